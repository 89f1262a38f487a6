// Package ledger writes the Excel ledger (台账) that goes with a half-year
// report: one row per activity record on the first sheet, and record counts
// and participant totals per unit on the second.
//
// Records are streamed: a caller feeds them from a database cursor with Add
// and memory stays bounded by the number of units and sections, not records.
// excelize's stream writer keeps up to 16 MiB of sheet XML in memory and
// moves the rest to a temporary file, and Close compresses the workbook
// straight into the caller's writer instead of building it in memory.
package ledger

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"fieldlog"
	"fieldlog/locales"
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
	// Messages holds the ledger's own labels (ledger.* ids).
	Messages *locales.Messages
	// Location is the deployment's time zone; logging times are shown in it.
	Location *time.Location
	// Title is the document title and the summary heading, e.g.
	// "新城街道2024年上半年活动台账". Empty means a generic title.
	Title string
	// TempDir is where the records sheet goes once it outgrows 16 MiB;
	// empty means os.TempDir(). It should be a disk, not a tmpfs, or the
	// ledger is back in memory. If no file can be made there, excelize
	// quietly keeps the whole sheet in memory.
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

	recordsSheet string
	summarySheet string
	title        string
	approxMark   string
	review       struct{ returned, confirmed, corrected string }

	cat   catalogIndex
	units unitIndex

	styles styles
	row    []any // the cells of a record, reused from one record to the next
	rows   int   // records written
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
	}
	if l.title == "" {
		l.title = cfg.Messages.Text(cfg.Lang, msgTitle, nil)
	}
	l.review.returned = cfg.Messages.Text(cfg.Lang, msgReviewReturned, nil)
	l.review.confirmed = cfg.Messages.Text(cfg.Lang, msgReviewConfirmed, nil)
	l.review.corrected = cfg.Messages.Text(cfg.Lang, msgReviewCorrected, nil)
	l.tot = newTotals(len(l.cat.sections))
	if err := l.start(); err != nil {
		_ = l.f.Close()
		return nil, err
	}
	return l, nil
}

// start prepares the records sheet and writes its header. Everything that
// excelize's stream writer puts before the rows (widths, panes, page setup)
// must be set here, before the first row.
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
	// Landscape, one page wide: the ledger is printed and filed.
	if err := l.f.SetPageLayout(l.recordsSheet, &excelize.PageLayoutOptions{
		Size: ptr(paperA4), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return fmt.Errorf("ledger: page layout: %w", err)
	}
	if err := l.f.SetSheetProps(l.recordsSheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return fmt.Errorf("ledger: sheet properties: %w", err)
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
	// excelize's stream writer emits <col> elements in the reverse order of
	// the calls, and Excel wants them ascending: set the last column first.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := l.sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return fmt.Errorf("ledger: width of column %d: %w", i+1, err)
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

// Add writes one record as the next row of the records sheet. Deleted
// records and records outside the scope are skipped: the ledger must show
// exactly what the report counts.
func (l *Ledger) Add(a fieldlog.Activity) error {
	if l.closed {
		return ErrClosed
	}
	if l.err != nil {
		return l.err
	}
	if a.Deleted || !l.covers(a.UnitID) {
		return nil
	}
	rowNum := l.rows + 2 // after the header
	if rowNum > excelize.TotalRows {
		l.err = fmt.Errorf("ledger: record %s: a sheet holds at most %d records", a.ID, excelize.TotalRows-1)
		return l.err
	}
	secIdx, secKnown := l.cat.sectionIndex[a.SectionID]
	typ, typKnown := l.cat.types[typeKey{a.SectionID, a.TypeID}]
	unitName := l.units.name(a.UnitID)

	r := l.row
	clear(r)
	r[colNo] = l.rows + 1
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
	r[colParticipants] = a.Participants.Value
	r[colParticipantsApprox] = l.markCell(a.Participants)
	// A type without quantity leaves the cells empty rather than 0, so that
	// COUNT in Excel counts only records that measure something. A record of
	// a type since removed from the catalogue keeps whatever it has.
	if typ.quantity || (!typKnown && a.Quantity != (fieldlog.Count{})) {
		r[colQuantity] = a.Quantity.Value
		r[colQuantityApprox] = l.markCell(a.Quantity)
		r[colMeasure] = typ.measure
	}
	// User text goes in as inline strings: Excel never evaluates those, so a
	// title such as "=SUM(A1:A2)" stays text.
	r[colTitle] = clean(a.Title)
	if place := clean(a.Place); place != "" {
		r[colPlace] = place
	} else {
		r[colPlace] = unitName // an empty place means the reporter's unit
	}
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
	if err := l.sw.SetRow("A"+strconv.Itoa(rowNum), r); err != nil {
		l.err = fmt.Errorf("ledger: write record %s (row %d): %w", a.ID, rowNum, err)
		return l.err
	}
	l.rows++
	if !secKnown {
		secIdx = -1
	}
	l.tot.add(a, secIdx)
	return nil
}

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
	defer l.f.Close() // removes the stream writer's temporary file
	if l.err != nil {
		return l.err
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
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("ledger: discard: %w", err)
	}
	return nil
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
