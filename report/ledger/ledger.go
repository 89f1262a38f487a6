// Package ledger writes the Excel ledger (台账) that goes with a half-year
// report: one row per activity record on the first sheet, by unit and date,
// and on the second the totals a coordinator checks the report against:
// records per unit and section, participants per unit (every unit of the
// scope, those without records too), and the report's figures per type.
//
// Records are streamed: a caller feeds them from a database cursor with Add.
// Since a cursor delivers them in no particular order, Add keeps each one in
// a temporary file and only a small sort key in memory (see spill.go); Close
// writes them in order. Besides the keys, memory stays bounded by the number
// of units and catalogue types. excelize's stream writer keeps up to 16 MiB
// of sheet XML in memory and moves the rest to a temporary file, and Close
// compresses the workbook straight into the caller's writer instead of
// building it in memory.
package ledger

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"fieldlog"
	"fieldlog/locales"
	"fieldlog/report"
)

// Config is what a ledger needs besides its records.
type Config struct {
	// Lang is the language of headers, sheet names and catalogue labels.
	Lang fieldlog.Lang
	// Catalog names sections and types and says which types have a quantity.
	Catalog *fieldlog.Catalog
	// Tree names units and orders the summary.
	Tree *fieldlog.Tree
	// Scope is the unit whose subtree the ledger lists: a record of any
	// other unit is left out, even if the caller's query let it through.
	// AllUnits lists every unit instead; one of the two must be set.
	Scope    fieldlog.UnitID
	AllUnits bool
	// Period is the half-year of the report: a record dated outside it is
	// left out, as the report leaves it out.
	Period fieldlog.Period
	// Messages holds the ledger's own labels (ledger.* ids).
	Messages *locales.Messages
	// Location is the deployment's time zone; logging times are shown in it.
	Location *time.Location
	// Title is the document title and the summary heading, e.g.
	// "新城街道2024年上半年活动台账". Empty means a generic title.
	Title string
	// TempDir is where the records wait to be sorted, and where the records
	// sheet goes once it outgrows 16 MiB; empty means os.TempDir(). It
	// should be a disk, not a tmpfs, or the ledger is back in memory. New
	// fails if no file can be made there.
	TempDir string
}

// ErrClosed is returned by Add and Close once the ledger is closed.
var ErrClosed = errors.New("ledger: closed")

// Ledger writes one workbook. It is not safe for concurrent use.
//
// The records sheet is an Excel table named Ledger, so that a coordinator
// can filter by its header and write =SUM(Ledger[参加人数]).
type Ledger struct {
	w   io.Writer
	cfg Config
	f   *excelize.File
	sw  *excelize.StreamWriter

	pending *spill // the records added, until Close sorts them
	// figures sums the records per type exactly as the report does: it is
	// the report's own compiler.
	figures     *report.Compiler
	first, last int // the period as yyyymmdd

	recordsSheet string
	summarySheet string
	title        string
	approxMark   string
	review       struct{ returned, confirmed, corrected string }

	cat   catalogIndex
	units unitIndex

	styles styles
	widths []float64 // of the records sheet's columns
	row    []any     // the cells of a record, reused from one record to the next
	rows   int       // records added
	tot    totals
	// inScope remembers, per unit, whether it lies under the scope.
	inScope map[fieldlog.UnitID]bool
	closed  bool
	err     error // the first write error; a half-written sheet cannot be continued
}

// New starts a ledger that Close will write to w.
func New(w io.Writer, cfg Config) (*Ledger, error) {
	switch {
	case w == nil:
		return nil, errors.New("ledger: nil writer")
	case !cfg.Lang.Valid():
		return nil, fmt.Errorf("ledger: unsupported language %q", cfg.Lang)
	case cfg.Catalog == nil:
		return nil, errors.New("ledger: no catalogue")
	case cfg.Tree == nil:
		return nil, errors.New("ledger: no unit tree")
	case cfg.Scope == "" && !cfg.AllUnits:
		return nil, errors.New("ledger: no scope (a unit, or AllUnits)")
	case cfg.Period.Half != 1 && cfg.Period.Half != 2:
		return nil, fmt.Errorf("ledger: no half-year (period %s)", cfg.Period)
	case cfg.Messages == nil:
		return nil, errors.New("ledger: no messages")
	case cfg.Location == nil:
		// Guessing UTC would shift evening entries to the next day.
		return nil, errors.New("ledger: no time zone")
	}
	l := &Ledger{
		w:            w,
		cfg:          cfg,
		f:            excelize.NewFile(excelize.Options{TmpDir: cfg.TempDir}),
		recordsSheet: sheetName(cfg.Messages.Text(cfg.Lang, msgSheetRecords, nil)),
		summarySheet: sheetName(cfg.Messages.Text(cfg.Lang, msgSheetSummary, nil)),
		title:        clean(cfg.Title),
		approxMark:   cfg.Messages.Text(cfg.Lang, msgApprox, nil),
		cat:          indexCatalog(cfg.Catalog, cfg.Lang),
		units:        indexUnits(cfg.Tree, cfg.Lang),
		row:          make([]any, numCols),
		inScope:      map[fieldlog.UnitID]bool{},
		first:        dayKey(cfg.Period.Start()),
		last:         dayKey(cfg.Period.End()),
		figures: report.NewCompiler(report.Config{
			Catalog: cfg.Catalog, Tree: cfg.Tree, Scope: cfg.Scope, AllUnits: cfg.AllUnits,
			Period: cfg.Period, Lang: cfg.Lang, Messages: cfg.Messages,
		}),
	}
	if l.title == "" {
		l.title = cfg.Messages.Text(cfg.Lang, msgTitle, nil)
	}
	l.review.returned = cfg.Messages.Text(cfg.Lang, msgReviewReturned, nil)
	l.review.confirmed = cfg.Messages.Text(cfg.Lang, msgReviewConfirmed, nil)
	l.review.corrected = cfg.Messages.Text(cfg.Lang, msgReviewCorrected, nil)
	l.tot = newTotals(len(l.cat.sections))
	var err error
	if l.pending, err = newSpill(cfg.TempDir); err != nil {
		_ = l.f.Close()
		return nil, err
	}
	if err := l.start(); err != nil {
		_ = l.f.Close()
		_ = l.pending.close()
		return nil, err
	}
	return l, nil
}

// start prepares the records sheet and writes its header. Everything that
// excelize's stream writer puts before the rows (widths, column styles,
// panes) or after them (page setup, header and footer) must be set here,
// before the first row.
func (l *Ledger) start() error {
	if l.recordsSheet == l.summarySheet {
		return fmt.Errorf("ledger: records and summary sheets are both named %q", l.recordsSheet)
	}
	if err := l.f.SetSheetName(l.f.GetSheetName(0), l.recordsSheet); err != nil {
		return fmt.Errorf("ledger: name records sheet %q: %w", l.recordsSheet, err)
	}
	var err error
	if l.styles, err = newStyles(l.f); err != nil {
		return err
	}
	if err := l.setUpPrinting(l.recordsSheet); err != nil {
		return err
	}
	if l.sw, err = l.f.NewStreamWriter(l.recordsSheet); err != nil {
		return fmt.Errorf("ledger: stream records sheet: %w", err)
	}

	cols := columns()
	header := make([]any, len(cols))
	widths := make([]float64, len(cols))
	lines := 1
	for i, c := range cols {
		name := l.cfg.Messages.Text(l.cfg.Lang, c.msg, nil)
		header[i] = excelize.Cell{StyleID: l.styles.header, Value: name}
		// A long header wraps onto more lines rather than widen a column of
		// short numbers; the header row is made tall enough below.
		hw := float64(displayWidth(name))
		widths[i] = max(c.width, min(hw/2+1, maxColWidth))
		lines = max(lines, int(math.Ceil(hw/(widths[i]-1))))
	}
	l.widths = widths
	// excelize's stream writer emits <col> elements in the reverse order of
	// the calls, and Excel wants them ascending: set the last column first.
	// A column's style is what its cells get unless they name another: text
	// on top, and long text wrapped, so that a printed row shows all of it.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := l.sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return fmt.Errorf("ledger: width of column %d: %w", i+1, err)
		}
		style := l.styles.body
		if cols[i].wrap {
			style = l.styles.wrap
		}
		if err := l.sw.SetColStyle(i+1, i+1, style); err != nil {
			return fmt.Errorf("ledger: style of column %d: %w", i+1, err)
		}
	}
	if err := l.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("ledger: freeze header: %w", err)
	}
	if err := l.sw.SetRow("A1", header, excelize.RowOpts{Height: float64(min(lines, 4)) * headerLineHeight}); err != nil {
		return fmt.Errorf("ledger: write header: %w", err)
	}
	return nil
}

// setUpPrinting makes sheet print on A4 landscape, one page wide and as
// many long as it takes, with the title at the top of every page and its
// number at the bottom ("第 3 页").
func (l *Ledger) setUpPrinting(sheet string) error {
	if err := l.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptr(paperA4), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return fmt.Errorf("ledger: page layout of %q: %w", sheet, err)
	}
	if err := l.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return fmt.Errorf("ledger: sheet properties of %q: %w", sheet, err)
	}
	// In header and footer text & starts a code (&C centre, &P page
	// number): a title's own & is written &&.
	title := strings.ReplaceAll(l.title, "&", "&&")
	footer := l.cfg.Messages.Text(l.cfg.Lang, msgFooter, map[string]any{"Page": "&P"})
	if err := l.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&C" + title, OddFooter: "&C" + footer,
	}); err != nil {
		return fmt.Errorf("ledger: header and footer of %q: %w", sheet, err)
	}
	return nil
}

// covers reports whether records of unit belong in the ledger.
func (l *Ledger) covers(unit fieldlog.UnitID) bool {
	if l.cfg.AllUnits {
		return true
	}
	in, ok := l.inScope[unit]
	if !ok {
		in = l.cfg.Tree.Contains(l.cfg.Scope, unit)
		l.inScope[unit] = in
	}
	return in
}

// Add takes one record for the records sheet and the totals. Deleted
// records, records outside the scope and records dated outside the period
// are skipped: the ledger must show exactly what the report counts.
func (l *Ledger) Add(a fieldlog.Activity) error {
	if l.closed {
		return ErrClosed
	}
	if l.err != nil {
		return l.err
	}
	if d := dayKey(a.Date); a.Deleted || d < l.first || d > l.last || !l.covers(a.UnitID) {
		return nil
	}
	if l.rows+1 >= excelize.TotalRows { // one row is the header
		l.err = fmt.Errorf("ledger: record %s: a sheet holds at most %d records", a.ID, excelize.TotalRows-1)
		return l.err
	}
	if err := l.pending.add(a); err != nil {
		l.err = err
		return err
	}
	l.rows++
	secIdx, known := l.cat.sectionIndex[a.SectionID]
	if !known {
		secIdx = -1
	}
	l.tot.add(a, secIdx)
	l.figures.Add(a)
	return nil
}

// writeRecord writes a as the n-th record, the row below the header.
func (l *Ledger) writeRecord(a fieldlog.Activity, n int) error {
	rowNum := n + 1 // after the header
	secIdx, secKnown := l.cat.sectionIndex[a.SectionID]
	typ, typKnown := l.cat.types[typeKey{a.SectionID, a.TypeID}]
	unitName := l.units.name(a.UnitID)

	r := l.row
	clear(r)
	r[colNo] = n
	r[colUnit] = unitName
	r[colSection] = a.SectionID
	if secKnown {
		r[colSection] = l.cat.sections[secIdx]
	}
	r[colType] = a.TypeID
	if typKnown {
		r[colType] = typ.name
	}
	if serial, ok := dateSerial(a.Date); ok {
		r[colDate] = excelize.Cell{StyleID: l.styles.date, Value: serial}
	} else if !a.Date.IsZero() {
		r[colDate] = a.Date.String() // outside Excel's calendar: keep it readable
	}
	// No participants leaves the cell empty, not 0: a meeting's record
	// often has no head count, and a printed 0 reads as "nobody came".
	if given(a.Participants) {
		r[colParticipants] = a.Participants.Value
		r[colParticipantsApprox] = l.markCell(a.Participants)
	}
	// A type without quantity, or a record that gives none, leaves the
	// cells empty rather than 0, so that COUNT in Excel counts only records
	// that measure something. A record of a type since removed from the
	// catalogue keeps whatever it has.
	if (typ.quantity || !typKnown) && given(a.Quantity) {
		r[colQuantity] = a.Quantity.Value
		r[colQuantityApprox] = l.markCell(a.Quantity)
		r[colMeasure] = typ.measure
	}
	// User text goes in as inline strings: Excel never evaluates those, so a
	// title such as "=SUM(A1:A2)" stays text.
	r[colTitle] = clean(a.Title)
	place := clean(a.Place)
	if place == "" {
		place = unitName // an empty place means the reporter's unit
	}
	r[colPlace] = place
	if name := clean(a.ReporterName); name != "" {
		r[colReporter] = name
	} else if a.ReporterID != 0 {
		r[colReporter] = strconv.FormatInt(a.ReporterID, 10) // still traceable
	}
	if serial, ok := timeSerial(a.LoggedAt, l.cfg.Location); ok {
		r[colLoggedAt] = excelize.Cell{StyleID: l.styles.dateTime, Value: serial}
	}
	switch a.Review.State {
	case fieldlog.Returned:
		r[colReview] = l.review.returned
	case fieldlog.Confirmed:
		r[colReview] = l.review.confirmed
	case fieldlog.Corrected:
		r[colReview] = l.review.corrected
	}
	for i, v := range r {
		if s, ok := v.(string); ok && s == "" {
			r[i] = nil // no empty inline-string elements
		}
	}
	// A wrapped title or place needs a taller row: Excel does not grow a
	// row to fit wrapped text of a file it did not lay out itself.
	lines := max(l.lines(r[colTitle], colTitle), l.lines(place, colPlace))
	var err error
	if lines > 1 {
		err = l.sw.SetRow("A"+strconv.Itoa(rowNum), r, excelize.RowOpts{Height: float64(min(lines, maxRowLines)) * bodyLineHeight})
	} else {
		err = l.sw.SetRow("A"+strconv.Itoa(rowNum), r)
	}
	if err != nil {
		return fmt.Errorf("ledger: write record %s (row %d): %w", a.ID, rowNum, err)
	}
	return nil
}

// lines estimates how many lines v takes when wrapped in column col.
func (l *Ledger) lines(v any, col int) int {
	s, _ := v.(string)
	if s == "" {
		return 1
	}
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n += max(1, int(math.Ceil(float64(displayWidth(line))/(l.widths[col]-1))))
	}
	return n
}

// given reports whether c says anything: an exact 0 is what a record has
// when the officer gave no figure.
func given(c fieldlog.Count) bool { return c.Value != 0 || c.Approx }

// dayKey orders dates as the integer yyyymmdd.
func dayKey(d fieldlog.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// markCell is the approximate mark for c as a centred cell, or nil (no
// cell) for an exact figure.
func (l *Ledger) markCell(c fieldlog.Count) any {
	if c.Approx {
		return excelize.Cell{StyleID: l.styles.mark, Value: l.approxMark}
	}
	return nil
}

// Close finishes the records sheet, writes the summary sheet and the
// document properties, and writes the workbook to the writer given to New.
// It always releases the temporary file, even when it fails. A failure
// after writing has begun leaves a partial file in the writer.
func (l *Ledger) Close() error {
	if l.closed {
		return ErrClosed
	}
	l.closed = true
	defer l.f.Close()       // removes the stream writer's temporary file
	defer l.pending.close() // and the records kept for sorting
	if l.err != nil {
		return l.err
	}
	if err := l.writeRecords(); err != nil {
		return err
	}
	// The table gives the header its filter buttons and lets coordinators
	// write =SUM(Ledger[...]); excelize's stream writer has no plain
	// autofilter, and its table must be added after the rows.
	last, err := excelize.CoordinatesToCellName(numCols, l.rows+1)
	if err != nil {
		return fmt.Errorf("ledger: table range: %w", err)
	}
	if err := l.sw.AddTable(&excelize.Table{
		Range: "A1:" + last, Name: "Ledger", StyleName: "TableStyleLight1",
	}); err != nil {
		return fmt.Errorf("ledger: add table: %w", err)
	}
	if err := l.sw.Flush(); err != nil {
		return fmt.Errorf("ledger: finish records sheet: %w", err)
	}
	if err := l.writeSummary(); err != nil {
		return err
	}
	// The header row is printed again at the top of every page.
	if err := l.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(l.recordsSheet) + "!$1:$1", Scope: l.recordsSheet,
	}); err != nil {
		return fmt.Errorf("ledger: repeat header on printed pages: %w", err)
	}
	now := time.Now().UTC().Format(time.RFC3339)
	if err := l.f.SetDocProps(&excelize.DocProperties{
		Title:    l.title,
		Creator:  "fieldlog",
		Created:  now,
		Modified: now,
		Language: string(l.cfg.Lang),
	}); err != nil {
		return fmt.Errorf("ledger: document properties: %w", err)
	}
	// The records sheet is already the active one. Do not call
	// SetActiveSheet or anything else that reads every worksheet: excelize
	// would parse the streamed records sheet back into memory.
	return l.write()
}

// Discard abandons the ledger without writing anything, releasing the
// temporary file. Call it instead of Close when the record source fails.
func (l *Ledger) Discard() error {
	if l.closed {
		return nil
	}
	l.closed = true
	err := errors.Join(l.f.Close(), l.pending.close())
	if err != nil {
		return fmt.Errorf("ledger: discard: %w", err)
	}
	return nil
}

// writeRecords writes the records added, by unit in the order of the
// summary (the tree's), then by date.
func (l *Ledger) writeRecords() error {
	seen := make(map[fieldlog.UnitID]bool, len(l.pending.units))
	for _, id := range l.pending.units {
		seen[id] = true
	}
	place := make(map[fieldlog.UnitID]int, len(seen))
	for i, p := range l.units.order(seen) {
		place[p.id] = i
	}
	rank := make([]int, len(l.pending.units))
	for i, id := range l.pending.units {
		rank[i] = place[id]
	}
	n := 0
	return l.pending.each(rank, func(a fieldlog.Activity) error {
		n++
		return l.writeRecord(a, n)
	})
}

// write compresses the workbook into l.w. excelize's WriteTo assembles the
// whole zip in a bytes.Buffer first, which would hold the compressed ledger
// in memory; its zip writer hook lets the archive go straight to l.w
// instead. The buffer excelize passes in is then left empty, which is
// checked so that a change in excelize cannot silently drop output.
func (l *Ledger) write() error {
	bw := &stickyWriter{w: l.w}
	l.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(bw) })
	buf, err := l.f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("ledger: write workbook: %w", err)
	}
	if bw.err != nil {
		return fmt.Errorf("ledger: write workbook: %w", bw.err)
	}
	if buf.Len() != 0 {
		return fmt.Errorf("ledger: write workbook: excelize put %d bytes outside the zip writer", buf.Len())
	}
	return nil
}

// stickyWriter remembers the first error of w: excelize's writer may drop
// an error from a deferred write, and after one failed write the archive is
// broken anyway.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

func ptr[T any](v T) *T { return &v }
