package ledger_test

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"fieldlog"
	"fieldlog/locales"
	"fieldlog/report"
	"fieldlog/report/ledger"
)

func messages(t testing.TB) *locales.Messages {
	t.Helper()
	m, err := locales.New()
	if err != nil {
		t.Fatalf("load messages: %v", err)
	}
	return m
}

func config(t testing.TB, lang fieldlog.Lang) ledger.Config {
	return ledger.Config{
		Lang: lang, Catalog: testCatalog(), Tree: testTree(), AllUnits: true, Period: fieldlog.Period{Year: 2024, Half: 1}, Messages: messages(t),
		Location: shanghai, Title: "新城街道2024年上半年活动台账",
	}
}

// write builds a ledger of recs and returns the file bytes.
func write(t *testing.T, cfg ledger.Config, recs []fieldlog.Activity) []byte {
	t.Helper()
	var buf bytes.Buffer
	l, err := ledger.New(&buf, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, a := range recs {
		if err := l.Add(a); err != nil {
			t.Fatalf("Add %s: %v", a.ID, err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open written ledger: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Column letters of the records sheet, as the package documents them.
const (
	cNo, cUnit, cSection, cType, cDate, cPart, cPartApx = 0, 1, 2, 3, 4, 5, 6
	cQty, cQtyApx, cMeasure, cTitle, cPlace, cReporter  = 7, 8, 9, 10, 11, 12
	cLoggedAt, nCols                                    = 13, 14
)

var headerIDs = []string{
	"ledger.col.no", "ledger.col.unit", "ledger.col.section", "ledger.col.type", "ledger.col.date",
	"ledger.col.participants", "ledger.col.participantsApprox", "ledger.col.quantity",
	"ledger.col.quantityApprox", "ledger.col.measure", "ledger.col.title", "ledger.col.place",
	"ledger.col.reporter", "ledger.col.loggedAt", "ledger.col.review",
}

// expectedText is what a user string should become in a cell: the XML
// forbidden control characters gone, everything else kept.
func expectedText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		return r
	}, s)
}

func excelDay(d fieldlog.Date) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24
}

func sectionName(id string, lang fieldlog.Lang) string {
	for _, s := range sectionNames {
		if s.id == id {
			return s.name.In(lang)
		}
	}
	return id
}

func typeOf(sec, id string) (fixtureType, bool) {
	for _, t := range fixtureTypes {
		if t.section == sec && t.id == id && t.name != nil {
			return t, true
		}
	}
	return fixtureType{}, false
}

func unitName(id fieldlog.UnitID, lang fieldlog.Lang) string {
	if n, ok := unitNames[id]; ok {
		return n.In(lang)
	}
	return string(id)
}

func TestLedgerRoundTrip(t *testing.T) {
	for _, lang := range fieldlog.Langs {
		t.Run(string(lang), func(t *testing.T) {
			cfg := config(t, lang)
			msgs := cfg.Messages
			text := func(id string) string { return msgs.Text(lang, id, nil) }

			r := rand.New(rand.NewPCG(42, uint64(len(lang))))
			var recs, kept []fieldlog.Activity
			for i := range 600 {
				a := gen(r, i)
				if i%97 == 5 {
					a.Deleted = true // must not appear anywhere
				}
				recs = append(recs, a)
				if !a.Deleted {
					kept = append(kept, a)
				}
			}
			f := open(t, write(t, cfg, recs))
			sortAsLedger(kept)

			records, summary := text("ledger.sheet.records"), text("ledger.sheet.summary")
			if got := f.GetSheetList(); !slices.Equal(got, []string{records, summary}) {
				t.Fatalf("sheets = %q, want %q", got, []string{records, summary})
			}

			raw, err := f.GetRows(records, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			shown, err := f.GetRows(records)
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) != len(kept)+1 {
				t.Fatalf("records sheet has %d rows, want %d records + header", len(raw), len(kept))
			}
			var wantHeader []string
			for _, id := range headerIDs {
				wantHeader = append(wantHeader, text(id))
			}
			if !slices.Equal(raw[0], wantHeader) {
				t.Errorf("header = %q, want %q", raw[0], wantHeader)
			}

			mark := text("ledger.approx")
			for i, a := range kept {
				row, disp := pad(raw[i+1]), pad(shown[i+1])
				ty, known := typeOf(a.SectionID, a.TypeID)
				want := map[int]string{
					cNo:       strconv.Itoa(i + 1),
					cUnit:     unitName(a.UnitID, lang),
					cSection:  sectionName(a.SectionID, lang),
					cType:     a.TypeID,
					cPart:     "", // no participants: an empty cell, not 0
					cPartApx:  "",
					cQty:      "",
					cQtyApx:   "",
					cMeasure:  "",
					cTitle:    expectedText(a.Title),
					cPlace:    expectedText(a.Place),
					cReporter: a.ReporterName,
				}
				if known {
					want[cType] = ty.name.In(lang)
				}
				if a.Participants != (fieldlog.Count{}) {
					want[cPart] = strconv.FormatInt(a.Participants.Value, 10)
				}
				if a.Participants.Approx {
					want[cPartApx] = mark
				}
				if ty.quantity && a.Quantity != (fieldlog.Count{}) {
					want[cQty] = strconv.FormatInt(a.Quantity.Value, 10)
					want[cMeasure] = ty.measure.In(lang)
					if a.Quantity.Approx {
						want[cQtyApx] = mark
					}
				}
				if a.Place == "" {
					want[cPlace] = unitName(a.UnitID, lang)
				}
				if a.ReporterName == "" {
					want[cReporter] = strconv.FormatInt(a.ReporterID, 10)
				}
				for col, w := range want {
					if row[col] != w {
						t.Errorf("row %d (%s) column %d = %q, want %q", i+2, a.ID, col+1, row[col], w)
					}
				}
				// The date is a number shown as yyyy-mm-dd, not a string.
				if day, err := strconv.ParseFloat(row[cDate], 64); err != nil || day != excelDay(a.Date) {
					t.Errorf("row %d date raw = %q, want serial %v", i+2, row[cDate], excelDay(a.Date))
				}
				if disp[cDate] != a.Date.String() {
					t.Errorf("row %d date shown = %q, want %q", i+2, disp[cDate], a.Date)
				}
				local := a.LoggedAt.In(shanghai)
				wantAt := excelDay(fieldlog.DateOf(local, shanghai)) + float64(local.Hour()*60+local.Minute())/1440
				if at, err := strconv.ParseFloat(row[cLoggedAt], 64); err != nil || math.Abs(at-wantAt) > 1e-9 {
					t.Errorf("row %d logged-at raw = %q, want %v", i+2, row[cLoggedAt], wantAt)
				}
				if got, want := disp[cLoggedAt], local.Format("2006-01-02 15:04"); got != want {
					t.Errorf("row %d logged-at shown = %q, want %q", i+2, got, want)
				}
			}

			checkNoFormulas(t, f, records, len(kept))
			checkSummary(t, f, summary, lang, text, kept)

			props, err := f.GetDocProps()
			if err != nil {
				t.Fatal(err)
			}
			if props.Title != cfg.Title || props.Creator != "fieldlog" {
				t.Errorf("doc props title %q creator %q", props.Title, props.Creator)
			}
			panes, err := f.GetPanes(records)
			if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 {
				t.Errorf("panes = %+v, %v; want header row frozen", panes, err)
			}
			tables, err := f.GetTables(records)
			if err != nil || len(tables) != 1 || tables[0].Range != fmt.Sprintf("A1:O%d", len(kept)+1) {
				t.Errorf("tables = %+v, %v; want one over every record", tables, err)
			}
			for col, min := range map[string]float64{"B": 18, "K": 40, "E": 11} {
				if w, err := f.GetColWidth(records, col); err != nil || w < min {
					t.Errorf("column %s width %v, %v; want at least %v", col, w, err, min)
				}
			}
		})
	}
}

// sortAsLedger sorts records as the records sheet lists them: by unit in
// tree order (units not in the tree last), then date, then logging time,
// then as they came.
func sortAsLedger(recs []fieldlog.Activity) {
	rank := map[fieldlog.UnitID]int{"ghost": len(unitOrder)}
	for i, id := range unitOrder {
		rank[id] = i
	}
	slices.SortStableFunc(recs, func(a, b fieldlog.Activity) int {
		return cmp.Or(cmp.Compare(rank[a.UnitID], rank[b.UnitID]),
			strings.Compare(a.Date.String(), b.Date.String()), a.LoggedAt.Compare(b.LoggedAt))
	})
}

// pad extends a row to every column: GetRows drops trailing empty cells.
func pad(row []string) []string {
	for len(row) < nCols {
		row = append(row, "")
	}
	return row
}

// checkNoFormulas checks that no title became a formula, through excelize
// and in the sheet XML itself.
func checkNoFormulas(t *testing.T, f *excelize.File, sheet string, n int) {
	t.Helper()
	sum := 0
	for row := 2; row <= n+1; row++ {
		cell := fmt.Sprintf("K%d", row)
		formula, err := f.GetCellFormula(sheet, cell)
		if err != nil || formula != "" {
			t.Errorf("%s formula = %q, %v; want none", cell, formula, err)
		}
		if v, _ := f.GetCellValue(sheet, cell); v == "=SUM(A1:A2)" {
			sum++
		}
	}
	if sum == 0 {
		t.Errorf("no title =SUM(A1:A2) in the ledger: the fixture no longer tests formulas")
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) {
			t.Errorf("%s contains a formula", zf.Name)
		}
	}
}

// ownMark is how the summary marks a unit's own records, spelled out here
// rather than read from the messages.
var ownMark = map[fieldlog.Lang]string{fieldlog.Chinese: "（本级）", fieldlog.Mongolian: " (ᠲᠤᠰ ᠱᠠᠲᠤ)"}

// summaryLabel is a unit's name on the summary sheet.
func summaryLabel(id fieldlog.UnitID, lang fieldlog.Lang) string {
	if hasChildren[id] {
		return unitName(id, lang) + ownMark[lang]
	}
	return unitName(id, lang)
}

// checkSummary compares the summary sheet with totals computed here from
// the records.
func checkSummary(t *testing.T, f *excelize.File, sheet string, lang fieldlog.Lang, text func(string) string, recs []fieldlog.Activity) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || rows[0][0] != "新城街道2024年上半年活动台账" {
		t.Errorf("summary title row = %q", rows)
	}

	// Expected: sections in catalogue order, then dropped ones by id.
	var sections []string
	for _, s := range sectionNames {
		sections = append(sections, s.id)
	}
	sections = append(sections, "gone")
	count := map[fieldlog.UnitID]map[string]int{}
	part := map[fieldlog.UnitID]fieldlog.Count{}
	for _, a := range recs {
		if count[a.UnitID] == nil {
			count[a.UnitID] = map[string]int{}
		}
		count[a.UnitID][a.SectionID]++
		part[a.UnitID] = part[a.UnitID].Add(a.Participants)
	}
	// Every unit of the tree, with records or not, then the unknown one.
	units := append(slices.Clone(unitOrder), "ghost")
	for id := range count {
		if !slices.Contains(units, id) {
			t.Fatalf("fixture: records of unit %s outside the expected order", id)
		}
	}

	header := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == text("ledger.col.unit") })
	if header < 0 {
		t.Fatalf("no matrix header in summary: %q", rows)
	}
	var wantHead []string
	wantHead = append(wantHead, text("ledger.col.unit"))
	for _, s := range sections {
		wantHead = append(wantHead, sectionName(s, lang))
	}
	wantHead = append(wantHead, text("ledger.total"))
	if !slices.Equal(rows[header], wantHead) {
		t.Errorf("matrix header = %q, want %q", rows[header], wantHead)
	}
	colTotals := make([]int, len(sections)+1)
	for i, id := range units {
		row := rows[header+1+i]
		want := []string{summaryLabel(id, lang)}
		total := 0
		for j, s := range sections {
			want = append(want, strconv.Itoa(count[id][s]))
			total += count[id][s]
			colTotals[j] += count[id][s]
		}
		colTotals[len(sections)] += total
		want = append(want, strconv.Itoa(total))
		if !slices.Equal(row, want) {
			t.Errorf("matrix row %d = %q, want %q", header+2+i, row, want)
		}
	}
	totalRow := rows[header+1+len(units)]
	want := []string{text("ledger.total")}
	for _, n := range colTotals {
		want = append(want, strconv.Itoa(n))
	}
	if !slices.Equal(totalRow, want) {
		t.Errorf("matrix total = %q, want %q", totalRow, want)
	}
	if colTotals[len(sections)] != len(recs) {
		t.Errorf("matrix grand total %d, want %d records", colTotals[len(sections)], len(recs))
	}

	// Participants per unit, in the table after the matrix.
	next := slices.IndexFunc(rows[header+1:], func(r []string) bool { return len(r) > 0 && r[0] == text("ledger.col.unit") })
	if next < 0 {
		t.Fatalf("no participants table in summary: %q", rows)
	}
	p := header + 1 + next
	wantHead = []string{text("ledger.col.unit"), text("ledger.summary.records"), text("ledger.col.participants"), text("ledger.col.participantsApprox")}
	if !slices.Equal(rows[p], wantHead) {
		t.Errorf("participants header = %q, want %q", rows[p], wantHead)
	}
	mark := func(c fieldlog.Count) string {
		if c.Approx {
			return text("ledger.approx")
		}
		return ""
	}
	var all fieldlog.Count
	for i, id := range units {
		n := 0
		for _, c := range count[id] {
			n += c
		}
		want := []string{summaryLabel(id, lang), strconv.Itoa(n), strconv.FormatInt(part[id].Value, 10), mark(part[id])}
		if got := padTo(rows[p+1+i], 4); !slices.Equal(got, want) {
			t.Errorf("participants row %d = %q, want %q", p+2+i, got, want)
		}
		all = all.Add(part[id])
	}
	want = []string{text("ledger.total"), strconv.Itoa(len(recs)), strconv.FormatInt(all.Value, 10), mark(all)}
	if got := padTo(rows[p+1+len(units)], 4); !slices.Equal(got, want) {
		t.Errorf("participants total = %q, want %q", got, want)
	}

	checkTypeTable(t, rows, lang, text, recs)
}

// checkTypeTable compares the per-type table with sums over the records
// computed here (records, participants where the report states them, and
// quantity per catalogue type; types without records and records of types
// the catalogue dropped left out, as the report leaves them out), and its
// column of the report's wording with the report compiled from the same
// records: each type's phrase is in its section's paragraph, the total's
// in the lead.
func checkTypeTable(t *testing.T, rows [][]string, lang fieldlog.Lang, text func(string) string, recs []fieldlog.Activity) {
	t.Helper()
	type sums struct {
		records      int
		participants fieldlog.Count
		quantity     fieldlog.Count
	}
	byType := map[string]*sums{}
	for _, a := range recs {
		if _, known := typeOf(a.SectionID, a.TypeID); !known {
			continue
		}
		k := a.SectionID + "/" + a.TypeID
		if byType[k] == nil {
			byType[k] = &sums{}
		}
		byType[k].records++
		byType[k].participants = byType[k].participants.Add(a.Participants)
		byType[k].quantity = byType[k].quantity.Add(a.Quantity)
	}
	mark := func(c fieldlog.Count) string {
		if c.Approx {
			return text("ledger.approx")
		}
		return ""
	}
	cfg := config(t, lang)
	doc := report.Compile(report.Config{Catalog: cfg.Catalog, Tree: cfg.Tree, Scope: cfg.Scope, AllUnits: cfg.AllUnits, Period: cfg.Period, Lang: lang, Messages: cfg.Messages}, recs)
	paragraphOf := map[string]string{} // section name → its paragraph
	for i, p := range doc.Paragraphs {
		if p.Kind == report.Heading2 && i+1 < len(doc.Paragraphs) {
			paragraphOf[p.Text] = doc.Paragraphs[i+1].Text
		}
	}
	lead := doc.Paragraphs[1].Text
	var want [][]string
	var records int
	var people fieldlog.Count
	for _, s := range sectionNames {
		var typeRows [][]string
		var sentence string
		for h, p := range paragraphOf {
			if strings.HasSuffix(h, s.name.In(lang)) {
				sentence = p
			}
		}
		for _, ft := range fixtureTypes {
			x := byType[ft.section+"/"+ft.id]
			if ft.section != s.id || x == nil {
				continue
			}
			row := []string{ft.name.In(lang), strconv.Itoa(x.records), "", "", "", "", ""}
			if ft.headCount != nil && x.participants != (fieldlog.Count{}) {
				row[2], row[3] = strconv.FormatInt(x.participants.Value, 10), mark(x.participants)
				people = people.Add(x.participants)
			}
			if ft.quantity {
				row[4], row[5], row[6] = strconv.FormatInt(x.quantity.Value, 10), mark(x.quantity), ft.measure.In(lang)
			}
			typeRows = append(typeRows, row)
			records += x.records
		}
		if len(typeRows) > 0 {
			want = append(want, []string{s.name.In(lang), "", "", "", "", "", ""})
			want = append(want, typeRows...)
			if sentence == "" {
				t.Errorf("the report has no paragraph for section %q", s.name.In(lang))
			}
		}
		for range typeRows {
			paragraphOf["want:"+s.name.In(lang)] = sentence
		}
	}
	want = append(want, []string{text("ledger.total"), strconv.Itoa(records), strconv.FormatInt(people.Value, 10), mark(people), "", "", ""})
	if len(want) < 6 {
		t.Fatalf("fixture: only %d rows in the per-type table", len(want))
	}

	head := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == text("ledger.col.type") })
	if head < 0 {
		t.Fatalf("no per-type table in summary: %q", rows)
	}
	if rows[head-1][0] != text("ledger.summary.byType") {
		t.Errorf("per-type table caption = %q", rows[head-1])
	}
	wantHead := []string{text("ledger.col.type"), text("ledger.summary.records"), text("ledger.col.participants"),
		text("ledger.col.participantsApprox"), text("ledger.col.quantity"), text("ledger.col.quantityApprox"), text("ledger.col.measure"),
		text("ledger.col.stated")}
	if !slices.Equal(rows[head], wantHead) {
		t.Errorf("per-type header = %q, want %q", rows[head], wantHead)
	}
	got := rows[head+1:]
	if len(got) != len(want) {
		t.Fatalf("per-type table has %d rows, want %d:\n%q\nwant %q", len(got), len(want), got, want)
	}
	section := ""
	for i := range want {
		g := padTo(got[i], 8)
		if !slices.Equal(g[:7], want[i]) {
			t.Errorf("per-type row %d = %q, want %q", head+2+i, g[:7], want[i])
		}
		stated := g[7]
		switch {
		case i == len(want)-1:
			if stated == "" || !strings.Contains(lead, stated) {
				t.Errorf("the total's wording %q is not the report's lead:\n%s", stated, lead)
			}
		case want[i][1] == "": // a section's row
			section = want[i][0]
		default:
			if p := paragraphOf["want:"+section]; stated == "" || !strings.Contains(p, stated) {
				t.Errorf("row %d's wording %q is not in the report's paragraph of %s:\n%s", head+2+i, stated, section, p)
			}
		}
	}
}

func padTo(r []string, n int) []string {
	for len(r) < n {
		r = append(r, "")
	}
	return r
}

func TestLedgerMongolianHeaders(t *testing.T) {
	cfg := config(t, fieldlog.Mongolian)
	f := open(t, write(t, cfg, []fieldlog.Activity{gen(rand.New(rand.NewPCG(1, 1)), 0)}))
	sheets := f.GetSheetList()
	if !slices.Equal(sheets, []string{"ᠪᠦᠷᠢᠳᠬᠡᠯ", "ᠨᠢᠭᠡᠳᠬᠡᠯ"}) {
		t.Fatalf("Mongolian sheet names = %q", sheets)
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][cUnit] != "ᠨᠢᠭᠡᠴᠡ" || rows[0][cDate] != "ᠡᠳᠦᠷ ᠰᠠᠷ\u180Eᠠ" {
		t.Errorf("Mongolian header = %q", rows[0])
	}
	seen := map[string]bool{}
	for i, h := range rows[0] {
		if !strings.ContainsFunc(h, func(r rune) bool { return r >= 0x1800 && r <= 0x18AF }) ||
			strings.ContainsFunc(h, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("header %d %q is not in Mongolian script", i+1, h)
		}
		if seen[h] {
			t.Errorf("header %q repeats: table columns must be unique", h)
		}
		seen[h] = true
	}
}

func TestLedgerEmpty(t *testing.T) {
	cfg := config(t, fieldlog.Chinese)
	f := open(t, write(t, cfg, nil))
	rows, err := f.GetRows("台账")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Errorf("empty ledger has %d rows, want the header only", len(rows))
	}
	sum, err := f.GetRows("汇总")
	if err != nil {
		t.Fatal(err)
	}
	// Every unit is listed with zeros, then the total row, all zeros.
	i := slices.IndexFunc(sum, func(r []string) bool { return len(r) > 0 && r[0] == "单位" })
	if i < 0 || i+len(unitOrder)+1 >= len(sum) {
		t.Fatalf("empty summary = %q", sum)
	}
	for j, id := range unitOrder {
		if want := []string{summaryLabel(id, fieldlog.Chinese), "0", "0", "0", "0"}; !slices.Equal(sum[i+1+j], want) {
			t.Errorf("empty summary row %q, want %q", sum[i+1+j], want)
		}
	}
	if want := []string{"合计", "0", "0", "0", "0"}; !slices.Equal(sum[i+1+len(unitOrder)], want) {
		t.Errorf("empty summary total %q, want %q", sum[i+1+len(unitOrder)], want)
	}
}

// TestLedgerKeepsToItsScope gives the ledger records of units outside its
// scope, as a too-wide query would: they are left out, and a scope that is
// not in the tree lists nothing, not everything.
func TestLedgerKeepsToItsScope(t *testing.T) {
	recs := []fieldlog.Activity{
		{ID: "in", SectionID: "edu", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 3, Day: 1}, UnitID: "hp", Title: "在范围内"},
		{ID: "out", SectionID: "edu", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 3, Day: 2}, UnitID: "gc", Title: "范围外"},
		{ID: "lost", SectionID: "edu", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 3, Day: 3}, UnitID: "gone", Title: "单位已删除"},
	}
	titles := func(cfg ledger.Config) []string {
		t.Helper()
		rows, err := open(t, write(t, cfg, recs)).GetRows("台账")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows[1:] {
			for _, c := range r {
				if strings.Contains(c, "范围") || strings.Contains(c, "删除") {
					out = append(out, c)
				}
			}
		}
		return out
	}
	cfg := config(t, fieldlog.Chinese)
	cfg.Scope, cfg.AllUnits = "xc", false
	if got := titles(cfg); !slices.Equal(got, []string{"在范围内"}) {
		t.Errorf("ledger of xc lists %q, want only the record of hp", got)
	}
	cfg.Scope = "removed-township"
	if got := titles(cfg); len(got) != 0 {
		t.Errorf("ledger of a unit not in the tree lists %q, want nothing", got)
	}
	cfg.Scope, cfg.AllUnits = "", true
	if got := titles(cfg); len(got) != 3 {
		t.Errorf("ledger of all units lists %q, want all three", got)
	}
}

func TestLedgerMisuse(t *testing.T) {
	cfg := config(t, fieldlog.Chinese)
	for name, mutate := range map[string]func(*ledger.Config){
		"no catalogue": func(c *ledger.Config) { c.Catalog = nil },
		"no tree":      func(c *ledger.Config) { c.Tree = nil },
		"no messages":  func(c *ledger.Config) { c.Messages = nil },
		"no location":  func(c *ledger.Config) { c.Location = nil },
		"bad language": func(c *ledger.Config) { c.Lang = "en" },
		"no scope":     func(c *ledger.Config) { c.Scope, c.AllUnits = "", false },
	} {
		c := cfg
		mutate(&c)
		if _, err := ledger.New(io.Discard, c); err == nil {
			t.Errorf("New with %s: no error", name)
		}
	}

	l, err := ledger.New(io.Discard, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Add(fieldlog.Activity{}); !errors.Is(err, ledger.ErrClosed) {
		t.Errorf("Add after Close = %v, want ErrClosed", err)
	}
	if err := l.Close(); !errors.Is(err, ledger.ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}

	l, err = ledger.New(io.Discard, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Discard(); err != nil {
		t.Errorf("Discard: %v", err)
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > 1000 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestLedgerWriteError(t *testing.T) {
	l, err := ledger.New(&failingWriter{}, config(t, fieldlog.Chinese))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 200 {
		if err := l.Add(gen(r, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Close to a failing writer = %v, want the write error", err)
	}
}
