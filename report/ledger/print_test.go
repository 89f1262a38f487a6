package ledger_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fieldlog"
	"fieldlog/report/ledger"
)

// rec is a record of the fixture's catalogue, for tests that spell out
// every record they use.
func rec(id string, unit fieldlog.UnitID, month time.Month, day int, title string) fieldlog.Activity {
	return fieldlog.Activity{
		ID: fieldlog.ActivityID(id), SectionID: "pub", TypeID: "talk", UnitID: unit,
		Date: fieldlog.Date{Year: 2024, Month: month, Day: day}, Title: title,
		Participants: fieldlog.Count{Value: 10},
		LoggedAt:     time.Date(2024, month, day, 20, 0, 0, 0, shanghai),
	}
}

// column returns column col (0-based) of every record row of sheet.
func column(t *testing.T, f *excelize.File, sheet string, col int) []string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, pad(r)[col])
	}
	return out
}

// TestLedgerSortsByUnitThenDate gives records in a cursor's arbitrary
// order: the sheet lists them by unit in tree order (a township's own
// records before its villages', units not in the tree last), then by date,
// then by the time they were logged, and numbers them in that order.
func TestLedgerSortsByUnitThenDate(t *testing.T) {
	sameDayEarly := rec("e", "hp", 3, 1, "同日先填")
	sameDayEarly.LoggedAt = sameDayEarly.LoggedAt.Add(-time.Hour)
	recs := []fieldlog.Activity{
		rec("a", "gc", 2, 1, "乌兰二月"),
		rec("b", "ghost", 1, 1, "已删单位"),
		rec("c", "hp", 3, 1, "河畔三月"),
		rec("d", "xc", 5, 9, "街道五月"),
		sameDayEarly,
		rec("f", "hp", 1, 15, "河畔一月"),
		rec("g", "xc", 1, 20, "街道一月"),
		rec("h", "jh", 4, 2, "京汉四月"),
		rec("i", "bs", 6, 30, "苏木六月"),
	}
	f := open(t, write(t, config(t, fieldlog.Chinese), recs))
	want := []string{"街道一月", "街道五月", "河畔一月", "同日先填", "河畔三月", "京汉四月", "苏木六月", "乌兰二月", "已删单位"}
	if got := column(t, f, "台账", cTitle); !slices.Equal(got, want) {
		t.Errorf("titles in sheet order:\n got %q\nwant %q", got, want)
	}
	if got := column(t, f, "台账", cNo); !slices.Equal(got, []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
		t.Errorf("numbers = %q, want 1 to 9 down the sheet", got)
	}
}

// TestLedgerListsEveryUnitOfTheScope: a township's ledger lists the
// township's own records, marked, and each of its villages, those without
// records with zeros, and no unit outside it.
func TestLedgerListsEveryUnitOfTheScope(t *testing.T) {
	for lang, want := range map[fieldlog.Lang][]string{
		fieldlog.Chinese:   {"巴彦苏木（本级）", "乌兰嘎查", "无记录村"},
		fieldlog.Mongolian: {"ᠪᠠᠶᠠᠨ ᠰᠤᠮᠤ (ᠲᠤᠰ ᠱᠠᠲᠤ)", "ᠤᠯᠠᠭᠠᠨ ᠭᠠᠴᠠᠭᠠ", "无记录村"},
	} {
		cfg := config(t, lang)
		cfg.Scope, cfg.AllUnits = "bs", false
		f := open(t, write(t, cfg, []fieldlog.Activity{rec("a", "gc", 2, 1, "乌兰"), rec("b", "gc", 2, 2, "乌兰"), rec("c", "hp", 2, 2, "范围外")}))
		sheets := f.GetSheetList()
		rows, err := f.GetRows(sheets[1])
		if err != nil {
			t.Fatal(err)
		}
		unit := cfg.Messages.Text(lang, "ledger.col.unit", nil)
		total := cfg.Messages.Text(lang, "ledger.total", nil)
		tables := 0
		for i, r := range rows {
			if len(r) == 0 || r[0] != unit {
				continue
			}
			tables++
			var names, records []string
			for _, u := range rows[i+1 : i+1+len(want)] {
				names = append(names, u[0])
				records = append(records, u[len(u)-1])
			}
			if !slices.Equal(names, want) {
				t.Errorf("%s: table %d lists %q, want %q", lang, tables, names, want)
			}
			if got := rows[i+1+len(want)][0]; got != total {
				t.Errorf("%s: table %d: after the units comes %q, want the total", lang, tables, got)
			}
			if tables == 1 && !slices.Equal(records, []string{"0", "2", "0"}) {
				t.Errorf("%s: records per unit %q, want 0, 2, 0", lang, records)
			}
		}
		if tables != 2 {
			t.Errorf("%s: %d tables by unit on the summary, want 2", lang, tables)
		}
	}
}

// TestLedgerKeepsToItsPeriod: a record dated outside the half-year is not
// the report's and not the ledger's either, even if the query let it in.
func TestLedgerKeepsToItsPeriod(t *testing.T) {
	recs := []fieldlog.Activity{rec("in", "hp", 6, 30, "六月底"), rec("out", "hp", 7, 1, "七月初"), rec("old", "hp", 1, 1, "元旦")}
	recs[2].Date.Year = 2023
	f := open(t, write(t, config(t, fieldlog.Chinese), recs))
	if got := column(t, f, "台账", cTitle); !slices.Equal(got, []string{"六月底"}) {
		t.Errorf("ledger of 2024 H1 lists %q, want only the record of 30 June", got)
	}
}

// TestLedgerPrints checks what a clerk needs to print the ledger: A4
// landscape one page wide, the header row on every page, the title at the
// top and "第 N 页" at the bottom of each page, long titles and places
// wrapped in rows tall enough for them, and no 0 for a record without a
// head count.
func TestLedgerPrints(t *testing.T) {
	long := strings.Repeat("深入开展民族团结进步创建", 6) // 66 characters, 132 widths
	place := "乌审旗嘎鲁图镇萨如拉社区党群服务中心二楼会议室"
	r1 := rec("a", "hp", 3, 1, long)
	r1.Place = place
	r2 := rec("b", "hp", 3, 2, "短标题")
	r2.Participants = fieldlog.Count{}
	cfg := config(t, fieldlog.Chinese)
	cfg.Title = "新城街道 R&D 台账" // & starts a code in header text
	f := open(t, write(t, cfg, []fieldlog.Activity{r1, r2}))

	for _, sheet := range []string{"台账", "汇总"} {
		layout, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "landscape" ||
			layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v, want A4 (9) landscape, 1 page wide, any number long", sheet, layout)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: sheet properties %+v, %v: want fit to page", sheet, props, err)
		}
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil || hf == nil {
			t.Fatalf("%s: no header or footer (%v)", sheet, err)
		}
		if hf.OddFooter != "&C第 &P 页" {
			t.Errorf("%s: footer %q, want the page number centred: &C第 &P 页", sheet, hf.OddFooter)
		}
		if hf.OddHeader != "&C新城街道 R&&D 台账" {
			t.Errorf("%s: header %q, want the title centred with & doubled", sheet, hf.OddHeader)
		}
	}
	var titles []excelize.DefinedName
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles = append(titles, d)
		}
	}
	if len(titles) != 1 || titles[0].RefersTo != "'台账'!$1:$1" || titles[0].Scope != "台账" {
		t.Errorf("print titles %+v, want row 1 of 台账 repeated", titles)
	}

	style := func(cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle("台账", cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	wraps := func(cell string) bool { s := style(cell); return s.Alignment != nil && s.Alignment.WrapText }
	for _, cell := range []string{"K2", "L2", "K3", "L3"} {
		if !wraps(cell) {
			t.Errorf("%s (活动名称 or 地点) does not wrap", cell)
		}
	}
	for _, cell := range []string{"B2", "D2", "F2", "M2"} {
		if wraps(cell) {
			t.Errorf("%s wraps: only 活动名称 and 地点 should", cell)
		}
	}
	if s := style("E2"); s.CustomNumFmt == nil || *s.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("date cell style %+v, want yyyy-mm-dd", s)
	}
	// 132 widths in a column 40 wide take four lines.
	if h, err := f.GetRowHeight("台账", 2); err != nil || h < 4*15 {
		t.Errorf("row of the long title is %v points high (%v), want at least four lines", h, err)
	}
	if h, err := f.GetRowHeight("台账", 3); err != nil || h > 15 {
		t.Errorf("row of a short title is %v points high (%v), want one line", h, err)
	}
	if v, err := f.GetCellValue("台账", "F3"); err != nil || v != "" {
		t.Errorf("participants of a record without any = %q, %v; want an empty cell", v, err)
	}
	if v, _ := f.GetCellValue("台账", "F2"); v != "10" {
		t.Errorf("participants = %q, want 10", v)
	}
}

// TestLedgerLeavesNoFiles: the records kept for sorting are removed by
// Close and by Discard.
func TestLedgerLeavesNoFiles(t *testing.T) {
	for _, discard := range []bool{false, true} {
		cfg := config(t, fieldlog.Chinese)
		cfg.TempDir = t.TempDir()
		l, err := ledger.New(&failingWriter{n: -1 << 40}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Add(rec("a", "hp", 3, 1, "标题")); err != nil {
			t.Fatal(err)
		}
		if files, _ := os.ReadDir(cfg.TempDir); len(files) != 1 {
			t.Errorf("after Add, TempDir holds %d files, want the records kept for sorting", len(files))
		}
		if discard {
			err = l.Discard()
		} else {
			err = l.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		if files, _ := os.ReadDir(cfg.TempDir); len(files) != 0 {
			t.Errorf("discard %v: %d files left in TempDir", discard, len(files))
		}
	}
}
