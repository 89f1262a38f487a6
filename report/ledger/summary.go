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
// and section with totals, participants per unit, and the report's figures
// per type. Every unit of the scope is listed, those without records too:
// they are whom a coordinator calls. Figures are values, not formulas, so
// they match the report even if the records sheet is later sorted or edited.
func (l *Ledger) writeSummary() error {
	f, sheet, st := l.f, l.summarySheet, l.styles
	if _, err := f.NewSheet(sheet); err != nil {
		return fmt.Errorf("ledger: add summary sheet %q: %w", sheet, err)
	}
	text := func(id string) string { return l.cfg.Messages.Text(l.cfg.Lang, id, nil) }

	units := l.units.order(l.listedUnits())
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
	var named []namedRow // rows whose column A may need to wrap
	putName := func(row int, name string, depth, style int) {
		put(1, row, name, style)
		named = append(named, namedRow{row, name, depth})
	}
	indented := func(depth int) int { return st.sumUnit[min(depth, maxIndent)] }
	none := &unitTotals{bySection: make([]int64, l.tot.nSections)}
	totalsOf := func(id fieldlog.UnitID) *unitTotals {
		if u := l.tot.units[id]; u != nil {
			return u
		}
		return none
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
		u := totalsOf(p.id)
		putName(row, l.unitLabel(p.id), p.depth, indented(p.depth))
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
		u := totalsOf(p.id)
		putName(row, l.unitLabel(p.id), p.depth, indented(p.depth))
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
	row += 2

	// The report's figures per type, summed by the report's own compiler:
	// sections and types in catalogue order, those without records left
	// out as the report leaves them out.
	put(1, row, text(msgSummaryByType), st.caption)
	row++
	typeHeads := []string{
		text(msgColType), text(msgSummaryRecords), text(msgColParticipants), text(msgColParticipantsApx),
		text(msgColQuantity), text(msgColQuantityApx), text(msgColMeasure), text(msgColStated),
	}
	for i, h := range typeHeads {
		put(i+1, row, h, st.sumHeader)
	}
	typeRow := row
	row++
	var occurrences, people fieldlog.Count
	for _, s := range l.figures.Figures() {
		putName(row, clean(s.Section.Name.In(l.cfg.Lang)), 0, st.sumSection)
		for col := 2; col <= len(typeHeads); col++ {
			put(col, row, nil, st.sumBody)
		}
		row++
		for _, t := range s.Types {
			// Participants are given where the report states them
			// (受众…人次), so that the total is the lead's.
			stated, statesPeople := l.figures.Stated(t)
			putName(row, clean(t.Type.Name.In(l.cfg.Lang)), 1, indented(1))
			put(2, row, t.Occurrences.Value, st.sumBody)
			put(3, row, nil, st.sumBody)
			put(4, row, nil, st.sumMark)
			if statesPeople {
				put(3, row, t.Participants.Value, st.sumBody)
				put(4, row, l.markText(t.Participants), st.sumMark)
				people = people.Add(t.Participants)
			}
			put(5, row, nil, st.sumBody)
			put(6, row, nil, st.sumMark)
			put(7, row, nil, st.sumBody)
			if t.Type.Quantity && given(t.Quantity) {
				put(5, row, t.Quantity.Value, st.sumBody)
				put(6, row, l.markText(t.Quantity), st.sumMark)
				put(7, row, clean(t.Type.Unit.In(l.cfg.Lang)), st.sumBody)
			}
			put(8, row, clean(stated), st.sumBody)
			occurrences = occurrences.Add(t.Occurrences)
			row++
		}
	}
	put(1, row, text(msgTotal), st.sumTotalLabel)
	put(2, row, occurrences.Value, st.sumTotal)
	put(3, row, people.Value, st.sumTotal)
	put(4, row, l.markText(people), st.sumMarkTotal)
	for col := 5; col < len(typeHeads); col++ {
		put(col, row, nil, st.sumTotal) // quantities of different measures do not add up
	}
	put(8, row, clean(l.figures.StatedTotals()), st.sumTotal)

	if firstErr != nil {
		return fmt.Errorf("ledger: write summary: %w", firstErr)
	}
	return l.layoutSummary(named, []headerRow{
		{matrixRow, append([]string{text(msgColUnit)}, heads...)},
		{partRow, partHeads},
		{typeRow, typeHeads},
	})
}

// listedUnits are the units the summary lists: every unit of the scope (of
// the tree, for AllUnits), and any other unit a record names.
func (l *Ledger) listedUnits() map[fieldlog.UnitID]bool {
	var ids []fieldlog.UnitID
	if l.cfg.AllUnits {
		for _, r := range l.cfg.Tree.Roots() {
			ids = append(ids, l.cfg.Tree.Subtree(r)...)
		}
	} else {
		ids = l.cfg.Tree.Subtree(l.cfg.Scope)
	}
	out := make(map[fieldlog.UnitID]bool, len(ids)+len(l.tot.units))
	for _, id := range ids {
		out[id] = true
	}
	for id := range l.tot.units {
		out[id] = true
	}
	return out
}

// unitLabel names a unit on the summary. A unit with units below it is
// marked "（本级）": its row counts the records logged at its own level,
// not its subtree's, and without the mark a reader takes it for a subtotal.
func (l *Ledger) unitLabel(id fieldlog.UnitID) string {
	name := l.units.name(id)
	if len(l.cfg.Tree.Children(id)) == 0 {
		return name
	}
	return clean(l.cfg.Messages.Text(l.cfg.Lang, msgOwnLevel, map[string]any{"Unit": name}))
}

// namedRow is a summary row with a name in column A.
type namedRow struct {
	row   int
	name  string
	depth int
}

// headerRow is a header of one of the summary's tables.
type headerRow struct {
	row   int
	heads []string // from column A
}

// layoutSummary sets the summary's column widths from the names it shows,
// now that they are all known, makes header rows tall enough for their
// labels to wrap, and rows tall enough for a name that wraps, and fits the
// sheet to the width of a printed page.
func (l *Ledger) layoutSummary(named []namedRow, headers []headerRow) error {
	f, sheet := l.f, l.summarySheet
	ncols := 0
	for _, h := range headers {
		ncols = max(ncols, len(h.heads))
	}
	widths := make([]float64, ncols)
	// Column A holds names, indented by depth (about two widths a level).
	indent := func(depth int) float64 { return float64(2 * min(depth, maxIndent)) }
	for _, n := range named {
		widths[0] = max(widths[0], float64(displayWidth(n.name))+indent(n.depth)+2)
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
	for i := range widths {
		widths[i] = min(widths[i], maxColWidth)
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return fmt.Errorf("ledger: summary column %d: %w", i+1, err)
		}
		if err := f.SetColWidth(sheet, name, name, widths[i]); err != nil {
			return fmt.Errorf("ledger: summary column width: %w", err)
		}
	}
	for _, h := range headers {
		lines := 1
		for i, name := range h.heads {
			lines = max(lines, int(math.Ceil(float64(displayWidth(name))/(widths[i]-1))))
		}
		if err := f.SetRowHeight(sheet, h.row, float64(min(lines, 5))*headerLineHeight); err != nil {
			return fmt.Errorf("ledger: summary header height: %w", err)
		}
	}
	// A long (Mongolian) name wraps in its cell; Excel does not grow the row
	// for it by itself.
	for _, n := range named {
		room := widths[0] - indent(n.depth) - 1
		if lines := int(math.Ceil(float64(displayWidth(n.name)) / room)); lines > 1 {
			if err := f.SetRowHeight(sheet, n.row, float64(min(lines, maxRowLines))*bodyLineHeight); err != nil {
				return fmt.Errorf("ledger: summary row height: %w", err)
			}
		}
	}
	return l.setUpPrinting(sheet)
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
