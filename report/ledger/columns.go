package ledger

import (
	"fmt"
	"sort"

	"github.com/xuri/excelize/v2"

	"fieldlog"
)

// Message ids of the ledger's labels, in locales/ledger.*.toml.
const (
	msgSheetRecords        = "ledger.sheet.records"
	msgSheetSummary        = "ledger.sheet.summary"
	msgTitle               = "ledger.title"
	msgApprox              = "ledger.approx"
	msgTotal               = "ledger.total"
	msgColNo               = "ledger.col.no"
	msgColUnit             = "ledger.col.unit"
	msgColSection          = "ledger.col.section"
	msgColType             = "ledger.col.type"
	msgColDate             = "ledger.col.date"
	msgColParticipants     = "ledger.col.participants"
	msgColParticipantsApx  = "ledger.col.participantsApprox"
	msgColQuantity         = "ledger.col.quantity"
	msgColQuantityApx      = "ledger.col.quantityApprox"
	msgColMeasure          = "ledger.col.measure"
	msgColTitle            = "ledger.col.title"
	msgColPlace            = "ledger.col.place"
	msgColReporter         = "ledger.col.reporter"
	msgColLoggedAt         = "ledger.col.loggedAt"
	msgColReview           = "ledger.col.review"
	msgReviewReturned      = "ledger.review.returned"
	msgReviewConfirmed     = "ledger.review.confirmed"
	msgReviewCorrected     = "ledger.review.corrected"
	msgSummaryBySection    = "ledger.summary.bySection"
	msgSummaryParticipants = "ledger.summary.participants"
	msgSummaryRecords      = "ledger.summary.records"
	msgSummaryByType       = "ledger.summary.byType"
	msgColStated           = "ledger.col.stated"
	msgOwnLevel            = "ledger.ownLevel"
	msgFooter              = "ledger.footer"
)

// The columns of the records sheet, in order.
const (
	colNo                 = iota // 序号: restores the original order after sorting
	colUnit                      // 单位
	colSection                   // 板块
	colType                      // 活动类型
	colDate                      // 日期, an Excel date
	colParticipants              // 参加人数, a number
	colParticipantsApprox        // 余 when the number is approximate
	colQuantity                  // 数量, only for types with a quantity
	colQuantityApprox            // 余 when the quantity is approximate
	colMeasure                   // 份, 张, 元: reads "1200 余 份" left to right
	colTitle                     // 活动名称
	colPlace                     // 地点
	colReporter                  // 填报人
	colLoggedAt                  // 填报时间, an Excel date and time
	colReview                    // 核实: a record a coordinator returned, and how it ended
	numCols
)

// column is one column of the records sheet.
type column struct {
	msg   string  // header message id
	width float64 // in Excel character widths; a CJK character takes two
	wrap  bool    // long text wraps onto more lines instead of being cut off
}

// columns returns the records sheet's columns, indexed by the col constants.
func columns() []column {
	return []column{
		colNo:                 {msg: msgColNo, width: 6},
		colUnit:               {msg: msgColUnit, width: 18},
		colSection:            {msg: msgColSection, width: 18},
		colType:               {msg: msgColType, width: 22},
		colDate:               {msg: msgColDate, width: 11},
		colParticipants:       {msg: msgColParticipants, width: 9},
		colParticipantsApprox: {msg: msgColParticipantsApx, width: 5},
		colQuantity:           {msg: msgColQuantity, width: 9},
		colQuantityApprox:     {msg: msgColQuantityApx, width: 5},
		colMeasure:            {msg: msgColMeasure, width: 5},
		colTitle:              {msg: msgColTitle, width: 40, wrap: true},
		colPlace:              {msg: msgColPlace, width: 18, wrap: true},
		colReporter:           {msg: msgColReporter, width: 12},
		colLoggedAt:           {msg: msgColLoggedAt, width: 16},
		colReview:             {msg: msgColReview, width: 9},
	}
}

const (
	paperA4          = 9    // OOXML paperSize code
	maxColWidth      = 40   // wider columns push the rest off a printed page
	headerLineHeight = 16.5 // points per header line at the default 11 pt font
	bodyLineHeight   = 15   // points per line of a record's wrapped text
	maxRowLines      = 8    // a longer text is cut off in print rather than fill a page
)

// styles are the cell styles the workbook uses, created once.
type styles struct {
	header, date, dateTime, mark int
	body, wrap                   int // records sheet: text on top, or on top and wrapped
	title, caption               int
	sumHeader, sumBody, sumTotal int
	sumUnit                      []int // by indentation depth
	sumTotalLabel, sumMarkTotal  int
	sumSection                   int // a section's row above its types
	sumMark                      int
}

// maxIndent is the deepest unit indentation on the summary sheet: banner,
// township, village, with room for one more level.
const maxIndent = 3

func newStyles(f *excelize.File) (styles, error) {
	thin := []excelize.Border{
		{Type: "left", Color: "#A6A6A6", Style: 1}, {Type: "right", Color: "#A6A6A6", Style: 1},
		{Type: "top", Color: "#A6A6A6", Style: 1}, {Type: "bottom", Color: "#A6A6A6", Style: 1},
	}
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E7E6E6"}}
	centre := &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	// Records sheet cells sit on top, so that a row made tall by a wrapped
	// title still reads across.
	top := &excelize.Alignment{Vertical: "top"}
	var s styles
	for _, d := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&s.body, excelize.Style{Alignment: top}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.date, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd"), Alignment: top}},
		{&s.dateTime, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm"), Alignment: top}},
		{&s.mark, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"}}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.caption, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.sumHeader, excelize.Style{
			Font: &excelize.Font{Bold: true}, Border: thin, Fill: grey,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&s.sumBody, excelize.Style{Border: thin}},
		{&s.sumMark, excelize.Style{Border: thin, Alignment: centre}},
		{&s.sumTotal, excelize.Style{Border: thin, Fill: grey, Font: &excelize.Font{Bold: true}}},
		{&s.sumMarkTotal, excelize.Style{Border: thin, Fill: grey, Font: &excelize.Font{Bold: true}, Alignment: centre}},
		{&s.sumTotalLabel, excelize.Style{Border: thin, Fill: grey, Font: &excelize.Font{Bold: true}}},
		{&s.sumSection, excelize.Style{Border: thin, Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true}}},
	} {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return styles{}, fmt.Errorf("ledger: create style: %w", err)
		}
		*d.id = id
	}
	for depth := range maxIndent + 1 {
		// Excel ignores an indent unless the alignment is left or right. A
		// name too long for the column wraps (layoutSummary makes the row
		// tall enough).
		id, err := f.NewStyle(&excelize.Style{Border: thin, Alignment: &excelize.Alignment{
			Horizontal: "left", Vertical: "center", Indent: depth, WrapText: true,
		}})
		if err != nil {
			return styles{}, fmt.Errorf("ledger: create unit style: %w", err)
		}
		s.sumUnit = append(s.sumUnit, id)
	}
	return s, nil
}

// typeKey identifies an activity type; type ids are unique only within
// their section.
type typeKey struct{ section, typ string }

// typeInfo is what a row shows of an activity type.
type typeInfo struct {
	name     string
	measure  string // unit word of the quantity; empty without quantity
	quantity bool
}

// catalogIndex is the catalogue resolved into the ledger's language once,
// so that Add does map look-ups instead of scanning sections per record.
type catalogIndex struct {
	sections     []string // names, in catalogue order
	sectionIndex map[string]int
	types        map[typeKey]typeInfo
}

func indexCatalog(c *fieldlog.Catalog, l fieldlog.Lang) catalogIndex {
	ci := catalogIndex{sectionIndex: map[string]int{}, types: map[typeKey]typeInfo{}}
	for _, s := range c.Sections {
		if _, dup := ci.sectionIndex[s.ID]; dup {
			continue // Catalog.Section finds the first too
		}
		ci.sectionIndex[s.ID] = len(ci.sections)
		ci.sections = append(ci.sections, clean(s.Name.In(l)))
		for _, t := range s.Types {
			k := typeKey{s.ID, t.ID}
			if _, dup := ci.types[k]; dup {
				continue
			}
			ti := typeInfo{name: clean(t.Name.In(l)), quantity: t.Quantity}
			if t.Quantity {
				ti.measure = clean(t.Unit.In(l))
			}
			ci.types[k] = ti
		}
	}
	return ci
}

// unitIndex names units and orders them as the tree does; names are
// resolved on first use, so it grows with the units seen, not the tree.
type unitIndex struct {
	tree  *fieldlog.Tree
	lang  fieldlog.Lang
	names map[fieldlog.UnitID]string
}

func indexUnits(t *fieldlog.Tree, l fieldlog.Lang) unitIndex {
	return unitIndex{tree: t, lang: l, names: map[fieldlog.UnitID]string{}}
}

// name is the unit's name in the ledger's language, or its id when the
// tree no longer has it.
func (u unitIndex) name(id fieldlog.UnitID) string {
	if n, ok := u.names[id]; ok {
		return n
	}
	n := clean(u.tree.Name(id, u.lang))
	u.names[id] = n
	return n
}

// placed is a unit with its summary position.
type placed struct {
	id    fieldlog.UnitID
	depth int
}

// order returns ids in tree order (depth first, siblings in file order)
// with their depth; ids the tree does not know follow, sorted.
func (u unitIndex) order(ids map[fieldlog.UnitID]bool) []placed {
	out := make([]placed, 0, len(ids))
	seen := make(map[fieldlog.UnitID]bool, len(ids))
	var walk func(id fieldlog.UnitID, depth int)
	walk = func(id fieldlog.UnitID, depth int) {
		if seen[id] {
			return // a cycle in bad data
		}
		seen[id] = true
		if ids[id] {
			out = append(out, placed{id, depth})
		}
		for _, c := range u.tree.Children(id) {
			walk(c, depth+1)
		}
	}
	for _, r := range u.tree.Roots() {
		walk(r, 0)
	}
	var unknown []fieldlog.UnitID
	for id := range ids {
		if !seen[id] {
			unknown = append(unknown, id)
		}
	}
	sort.Slice(unknown, func(i, j int) bool { return unknown[i] < unknown[j] })
	for _, id := range unknown {
		out = append(out, placed{id, 0})
	}
	return out
}
