package ledger

import (
	"fmt"
	"math"
	"sort"

	"github.com/xuri/excelize/v2"

	"fieldlog"
)

// totals are the summary figures, accumulated as records are added so that
// Close never needs the records again. They grow with units × sections.
type totals struct {
	nSections int
	units     map[fieldlog.UnitID]*unitTotals
	// otherSections are section ids that records carry but the catalogue
	// no longer lists; they get columns of their own so that a unit's row
	// still adds up to its records.
	otherSections map[string]bool
}

// unitTotals are one unit's figures.
type unitTotals struct {
	bySection    []int64          // records per catalogue section
	other        map[string]int64 // records per section id not in the catalogue
	records      int64
	participants fieldlog.Count
}

func newTotals(nSections int) totals {
	return totals{nSections: nSections, units: map[fieldlog.UnitID]*unitTotals{}, otherSections: map[string]bool{}}
}

// add counts a in section index sec, or -1 for a section not in the catalogue.
func (t *totals) add(a fieldlog.Activity, sec int) {
	u := t.units[a.UnitID]
	if u == nil {
		u = &unitTotals{bySection: make([]int64, t.nSections)}
		t.units[a.UnitID] = u
	}
	u.records++
	u.participants = u.participants.Add(a.Participants)
	if sec >= 0 {
		u.bySection[sec]++
		return
	}
	if u.other == nil {
		u.other = map[string]int64{}
	}
	u.other[a.SectionID]++
	t.otherSections[a.SectionID] = true
}

// writeSummary writes the summary sheet: a title, then records per unit
// and section with totals, then participants per unit. Figures are values,
// not formulas, so they match the report even if the records sheet is
// later sorted or edited.
func (l *Ledger) writeSummary() error {
	f, sheet, st := l.f, l.summarySheet, l.styles
	if _, err := f.NewSheet(sheet); err != nil {
		return fmt.Errorf("ledger: add summary sheet %q: %w", sheet, err)
	}
	text := func(id string) string { return l.cfg.Messages.Text(l.cfg.Lang, id, nil) }

	present := make(map[fieldlog.UnitID]bool, len(l.tot.units))
	for id := range l.tot.units {
		present[id] = true
	}
	units := l.units.order(present)
	others := make([]string, 0, len(l.tot.otherSections))
	for id := range l.tot.otherSections {
		others = append(others, id)
	}
	sort.Strings(others)

	// Column headers of the matrix: catalogue sections, unknown section
	// ids, then the row total.
	heads := append(append(append([]string{}, l.cat.sections...), cleanAll(others)...), text(msgTotal))

	row := 1
	var firstErr error
	put := func(col, row int, v any, style int) {
		if firstErr != nil {
			return
		}
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err == nil {
			err = f.SetCellValue(sheet, cell, v)
		}
		if err == nil {
			err = f.SetCellStyle(sheet, cell, cell, style)
		}
		firstErr = err
	}

	put(1, row, l.title, st.title)
	row += 2

	// Records per unit and section.
	put(1, row, text(msgSummaryBySection), st.caption)
	row++
	put(1, row, text(msgColUnit), st.sumHeader)
	for i, h := range heads {
		put(i+2, row, h, st.sumHeader)
	}
	matrixRow := row
	row++
	colSums := make([]int64, len(heads))
	for _, p := range units {
		u := l.tot.units[p.id]
		put(1, row, l.units.name(p.id), st.sumUnit[min(p.depth, maxIndent)])
		col := 0
		for _, n := range u.bySection {
			put(col+2, row, n, st.sumBody)
			colSums[col] += n
			col++
		}
		for _, id := range others {
			n := u.other[id]
			put(col+2, row, n, st.sumBody)
			colSums[col] += n
			col++
		}
		put(col+2, row, u.records, st.sumTotal)
		colSums[col] += u.records
		row++
	}
	put(1, row, text(msgTotal), st.sumTotalLabel)
	for i, n := range colSums {
		put(i+2, row, n, st.sumTotal)
	}
	row += 2

	// Participants per unit.
	put(1, row, text(msgSummaryParticipants), st.caption)
	row++
	partHeads := []string{text(msgColUnit), text(msgSummaryRecords), text(msgColParticipants), text(msgColParticipantsApx)}
	for i, h := range partHeads {
		put(i+1, row, h, st.sumHeader)
	}
	partRow := row
	row++
	var records int64
	var participants fieldlog.Count
	for _, p := range units {
		u := l.tot.units[p.id]
		put(1, row, l.units.name(p.id), st.sumUnit[min(p.depth, maxIndent)])
		put(2, row, u.records, st.sumBody)
		put(3, row, u.participants.Value, st.sumBody)
		put(4, row, l.markText(u.participants), st.sumMark)
		records += u.records
		participants = participants.Add(u.participants)
		row++
	}
	put(1, row, text(msgTotal), st.sumTotalLabel)
	put(2, row, records, st.sumTotal)
	put(3, row, participants.Value, st.sumTotal)
	put(4, row, l.markText(participants), st.sumMarkTotal)

	if firstErr != nil {
		return fmt.Errorf("ledger: write summary: %w", firstErr)
	}
	return l.layoutSummary(units, []headerRow{
		{matrixRow, append([]string{text(msgColUnit)}, heads...)},
		{partRow, partHeads},
	})
}

// headerRow is a header of one of the summary's tables.
type headerRow struct {
	row   int
	heads []string // from column A
}

// layoutSummary sets the summary's column widths from the names it shows,
// now that they are all known, makes header rows tall enough for their
// labels to wrap, and fits the sheet to the width of a printed page.
func (l *Ledger) layoutSummary(units []placed, headers []headerRow) error {
	f, sheet := l.f, l.summarySheet
	ncols := 0
	for _, h := range headers {
		ncols = max(ncols, len(h.heads))
	}
	widths := make([]float64, ncols)
	// Column A holds unit names, indented by depth (about two widths a level).
	for _, p := range units {
		widths[0] = max(widths[0], float64(displayWidth(l.units.name(p.id))+2*min(p.depth, maxIndent)+2))
	}
	for _, h := range headers {
		for i, name := range h.heads {
			hw := float64(displayWidth(name))
			if i == 0 {
				widths[0] = max(widths[0], hw+2)
				continue
			}
			// Figures are short: let a long label wrap instead.
			widths[i] = max(widths[i], 10, min(hw/2+2, 16))
		}
	}
	for i, w := range widths {
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return fmt.Errorf("ledger: summary column %d: %w", i+1, err)
		}
		if err := f.SetColWidth(sheet, name, name, min(w, maxColWidth)); err != nil {
			return fmt.Errorf("ledger: summary column width: %w", err)
		}
	}
	for _, h := range headers {
		lines := 1
		for i, name := range h.heads {
			lines = max(lines, int(math.Ceil(float64(displayWidth(name))/(min(widths[i], maxColWidth)-1))))
		}
		if err := f.SetRowHeight(sheet, h.row, float64(min(lines, 5))*headerLineHeight); err != nil {
			return fmt.Errorf("ledger: summary header height: %w", err)
		}
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptr(paperA4), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return fmt.Errorf("ledger: summary page layout: %w", err)
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return fmt.Errorf("ledger: summary sheet properties: %w", err)
	}
	return nil
}

// markText is the approximate mark for c as plain text, "" when exact.
func (l *Ledger) markText(c fieldlog.Count) string {
	if c.Approx {
		return l.approxMark
	}
	return ""
}

func cleanAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return out
}
