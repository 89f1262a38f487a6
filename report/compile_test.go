package report

import (
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"fieldlog"
	"fieldlog/locales"
)

// The test world: banner b with townships t1, t2 of three villages each,
// and a second banner x whose records never belong to b's report.
func testTree() *fieldlog.Tree {
	units := []fieldlog.Unit{
		{ID: "b", Level: fieldlog.Banner, Name: fieldlog.Text{fieldlog.Chinese: "样板旗", fieldlog.Mongolian: "ᠵᠢᠱᠢᠶ᠎ᠡ ᠬᠣᠰᠢᠭᠤ"}},
		{ID: "x", Level: fieldlog.Banner, Name: fieldlog.Text{fieldlog.Chinese: "邻旗", fieldlog.Mongolian: "ᠬᠦᠷᠢᠶᠡᠯᠡᠩ ᠬᠣᠰᠢᠭᠤ"}},
		{ID: "xv", ParentID: "x", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "邻嘎查", fieldlog.Mongolian: "ᠬᠦᠷᠢᠶᠡᠯᠡᠩ ᠭᠠᠴᠠᠭ᠎ᠠ"}},
	}
	for t := 1; t <= 2; t++ {
		tid := fieldlog.UnitID(fmt.Sprintf("t%d", t))
		units = append(units, fieldlog.Unit{ID: tid, ParentID: "b", Level: fieldlog.Township, Order: t,
			Name: fieldlog.Text{fieldlog.Chinese: fmt.Sprintf("第%d苏木", t), fieldlog.Mongolian: "ᠰᠤᠮᠤ " + strconv.Itoa(t)}})
		for v := 1; v <= 3; v++ {
			units = append(units, fieldlog.Unit{ID: fieldlog.UnitID(fmt.Sprintf("t%dv%d", t, v)), ParentID: tid, Level: fieldlog.Village, Order: v,
				Name: fieldlog.Text{fieldlog.Chinese: fmt.Sprintf("第%d-%d嘎查", t, v), fieldlog.Mongolian: fmt.Sprintf("ᠭᠠᠴᠠᠭ᠎ᠠ %d-%d", t, v)}})
		}
	}
	return fieldlog.NewTree(units)
}

func txt(zh, mn string) fieldlog.Text {
	return fieldlog.Text{fieldlog.Chinese: zh, fieldlog.Mongolian: mn}
}

// testCatalog has two sections that get records and a third that never
// does, to check that it is left out. The meeting states no participants
// and the lecture does, as the reference reports write them; the fund is
// written in 万 from 10,000.
func testCatalog() *fieldlog.Catalog {
	times := txt("次", "ᠤᠳᠠᠭ᠎ᠠ")
	return &fieldlog.Catalog{Sections: []fieldlog.Section{
		{ID: "lead", Name: txt("组织领导", "ᠤᠳᠤᠷᠢᠳᠤᠯᠭ᠎ᠠ"), Types: []fieldlog.ActivityType{
			{ID: "meet", Name: txt("党委会议研究统战工作", "ᠨᠠᠮ\u202fᠤᠨ ᠬᠣᠷᠢᠶ᠎ᠠ\u202fᠶᠢᠨ ᠬᠤᠷᠠᠯ"), Verb: txt("召开", "ᠨᠡᠭᠡᠭᠡᠭᠰᠡᠨ"), Unit: times},
			{ID: "talk", Name: txt("宣讲活动", "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ᠎ᠠ"), Verb: txt("开展", "ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"), Unit: txt("场", "ᠤᠳᠠᠭ᠎ᠠ"),
				HeadCount: txt("受众{N}人次", "ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ᠎ᠠ᠄ {N}")},
		}},
		{ID: "pub", Name: txt("宣传教育", "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ᠎ᠠ"), Types: []fieldlog.ActivityType{
			{ID: "leaflet", Name: txt("宣传资料", "ᠬᠡᠪᠯᠡᠮᠡᠯ"), Verb: txt("发放", "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"), Unit: txt("份", "ᠬᠤᠪᠢ"), Quantity: true},
			{ID: "post", Name: txt("线上宣传信息", "ᠮᠡᠳᠡᠭᠡ"), Verb: txt("发布", "ᠨᠡᠶᠢᠲᠡᠯᠡᠭᠰᠡᠨ"), Unit: txt("条", "ᠵᠦᠢᠯ"), Quantity: true},
			{ID: "fund", Name: txt("慰问金", "ᠮᠥᠩᠭᠦ"), Verb: txt("发放", "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"), Unit: txt("元", "ᠶᠤᠸᠠᠨ"), Quantity: true,
				TenThousand: txt("万", "ᠲᠦᠮᠡᠨ")},
		}},
		{ID: "idle", Name: txt("侨务工作", "ᠭᠠᠳᠠᠭᠠᠳᠤ"), Types: []fieldlog.ActivityType{
			{ID: "survey", Name: txt("侨情普查", "ᠪᠠᠶᠢᠴᠠᠭᠠᠯᠲᠠ"), Verb: txt("开展", "ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"), Unit: times},
		}},
	}}
}

func testMessages(t testing.TB) *locales.Messages {
	t.Helper()
	m, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func h1(year int) fieldlog.Period { return fieldlog.Period{Year: year, Half: 1} }

func day(y int, m time.Month, d int) fieldlog.Date { return fieldlog.Date{Year: y, Month: m, Day: d} }

// randomRecords draws n records around 2024 H1: some before and after the
// period, some of units outside banner b, some deleted, some approximate.
// Titles and places are Chinese even for the Mongolian report, as officers
// type what they type.
func randomRecords(rng *rand.Rand, n int, cat *fieldlog.Catalog, units []fieldlog.UnitID) []fieldlog.Activity {
	edges := []fieldlog.Date{day(2023, 12, 31), day(2024, 1, 1), day(2024, 6, 30), day(2024, 7, 1)}
	start := day(2023, 12, 1).Time(time.UTC)
	out := make([]fieldlog.Activity, n)
	for i := range out {
		s := cat.Sections[rng.Intn(2)] // never the third section
		t := s.Types[rng.Intn(len(s.Types))]
		d := fieldlog.DateOf(start.AddDate(0, 0, rng.Intn(245)), time.UTC)
		if rng.Intn(10) == 0 {
			d = edges[rng.Intn(len(edges))]
		}
		a := fieldlog.Activity{
			ID:           fieldlog.ActivityID(fmt.Sprintf("a%05d", i)),
			SectionID:    s.ID,
			TypeID:       t.ID,
			Date:         d,
			Participants: fieldlog.Count{Value: int64(rng.Intn(200)), Approx: rng.Intn(12) == 0},
			Title:        fmt.Sprintf("第%d次政策宣讲进牧户", i),
			UnitID:       units[rng.Intn(len(units))],
			Deleted:      rng.Intn(10) == 0,
		}
		if rng.Intn(3) == 0 {
			a.Place = fmt.Sprintf("牧民之家%d号", i)
		}
		if t.Quantity {
			a.Quantity = fieldlog.Count{Value: int64(rng.Intn(500)), Approx: rng.Intn(12) == 0}
		}
		out[i] = a
	}
	return out
}

// expectedSums is the straightforward computation the compiler must agree
// with: filter each record by the domain's own Period.Contains and the
// scope's Subtree, and add up.
func expectedSums(records []fieldlog.Activity, tree *fieldlog.Tree, scope fieldlog.UnitID, p fieldlog.Period) map[string]TypeFigures {
	in := map[fieldlog.UnitID]bool{}
	for _, u := range tree.Subtree(scope) {
		in[u] = true
	}
	sums := map[string]TypeFigures{}
	for _, a := range records {
		if a.Deleted || !p.Contains(a.Date) || !in[a.UnitID] {
			continue
		}
		k := a.SectionID + "/" + a.TypeID
		f := sums[k]
		f.Occurrences.Value++
		f.Participants.Value += a.Participants.Value
		f.Participants.Approx = f.Participants.Approx || a.Participants.Approx
		f.Quantity.Value += a.Quantity.Value
		f.Quantity.Approx = f.Quantity.Approx || a.Quantity.Approx
		sums[k] = f
	}
	return sums
}

func allUnits(tree *fieldlog.Tree) []fieldlog.UnitID {
	var out []fieldlog.UnitID
	for _, r := range tree.Roots() {
		out = append(out, tree.Subtree(r)...)
	}
	return out
}

// approxNumber writes a figure the way the test expects to read it: an
// approximate one keeps its first two digits and zeros the rest (of two
// digits, the first), and with a
// ten-thousand word a figure from 10,000 is divided by it.
func approxNumber(c fieldlog.Count, lang fieldlog.Lang, tenThousand string) string {
	digits := strconv.FormatInt(c.Value, 10)
	switch keep := min(len(digits), 2); {
	case c.Approx && len(digits) == 2:
		digits = digits[:1] + "0"
	case c.Approx:
		digits = digits[:keep] + strings.Repeat("0", len(digits)-keep)
	}
	n := digits
	if v, _ := strconv.ParseInt(digits, 10, 64); tenThousand != "" && v >= 10000 {
		n = strconv.FormatFloat(float64(v)/10000, 'f', -1, 64)
		if lang == fieldlog.Mongolian {
			n += " "
		}
		n += tenThousand
	}
	if !c.Approx {
		return n
	}
	if lang == fieldlog.Mongolian {
		return n + " ᠭᠠᠷᠤᠢ"
	}
	return n + "余"
}

// expectedPhrase is what the figures sentence must say about one type,
// built here from the sums and the catalogue, not by the compiler's code.
func expectedPhrase(t fieldlog.ActivityType, f TypeFigures, lang fieldlog.Lang) string {
	figure, measure, tenThousand := f.Occurrences, t.Unit.In(lang), ""
	if t.Quantity && (f.Quantity.Value > 0 || f.Quantity.Approx) {
		figure, tenThousand = f.Quantity, t.TenThousand.In(lang)
	} else if t.Quantity {
		measure = map[fieldlog.Lang]string{fieldlog.Chinese: "次", fieldlog.Mongolian: "ᠤᠳᠠᠭ᠎ᠠ"}[lang]
	}
	clause := ""
	if hc := t.HeadCount.In(lang); hc != "" && (f.Participants.Value > 0 || f.Participants.Approx) {
		clause = strings.Replace(hc, "{N}", approxNumber(f.Participants, lang, ""), 1)
	}
	if lang == fieldlog.Mongolian {
		s := t.Name.In(lang) + " " + approxNumber(figure, lang, tenThousand) + " " + measure + " " + t.Verb.In(lang)
		if clause != "" {
			s += " (" + clause + ")"
		}
		return s
	}
	s := t.Verb.In(lang) + t.Name.In(lang) + approxNumber(figure, lang, tenThousand) + measure
	if clause != "" {
		s += "，" + clause
	}
	return s
}

// sectionBody returns the paragraph after the Heading2 that names section.
func sectionBody(d Document, section string) (string, bool) {
	for i, p := range d.Paragraphs {
		if p.Kind == Heading2 && strings.HasSuffix(p.Text, section) && i+1 < len(d.Paragraphs) {
			return d.Paragraphs[i+1].Text, true
		}
	}
	return "", false
}

func TestCompileRandomFiguresMatchIndependentSums(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		records := randomRecords(rng, 50+rng.Intn(400), cat, allUnits(tree))
		for _, scope := range []fieldlog.UnitID{"b", "t2"} {
			want := expectedSums(records, tree, scope, h1(2024))
			for _, lang := range fieldlog.Langs {
				cfg := Config{Catalog: cat, Tree: tree, Scope: scope, Period: h1(2024), Lang: lang, Messages: msgs}
				c := NewCompiler(cfg)
				for _, a := range records {
					c.Add(a)
				}
				checkFigures(t, c.Figures(), want, cat)
				doc := c.Document()
				for _, s := range cat.Sections {
					body, ok := sectionBody(doc, s.Name.In(lang))
					var anyRecords bool
					for _, ty := range s.Types {
						f, has := want[s.ID+"/"+ty.ID]
						if !has {
							continue
						}
						anyRecords = true
						if phrase := expectedPhrase(ty, f, lang); !strings.Contains(body, phrase) {
							t.Errorf("seed %d %s %s: figures sentence %q lacks %q", seed, scope, lang, body, phrase)
						}
					}
					if ok != anyRecords {
						t.Errorf("seed %d %s %s: section %s present=%v, has records=%v", seed, scope, lang, s.ID, ok, anyRecords)
					}
				}
				text := paragraphsText(doc)
				approx := strings.Contains(text, "余") || strings.Contains(text, "ᠭᠠᠷᠤᠢ")
				if approx != anyApproxShown(want, cat) {
					t.Errorf("seed %d %s %s: approximate mark shown=%v, expected=%v", seed, scope, lang, approx, anyApproxShown(want, cat))
				}
			}
		}
	}
}

func checkFigures(t *testing.T, got []SectionFigures, want map[string]TypeFigures, cat *fieldlog.Catalog) {
	t.Helper()
	seen := 0
	lastSection := -1
	for _, s := range got {
		idx := -1
		for i, cs := range cat.Sections {
			if cs.ID == s.Section.ID {
				idx = i
			}
		}
		if idx <= lastSection {
			t.Errorf("section %s out of catalogue order", s.Section.ID)
		}
		lastSection = idx
		for _, f := range s.Types {
			k := s.Section.ID + "/" + f.Type.ID
			w, ok := want[k]
			if !ok {
				t.Errorf("%s: compiled %+v, expected no records", k, f)
				continue
			}
			seen++
			if f.Occurrences != w.Occurrences || f.Participants != w.Participants || f.Quantity != w.Quantity {
				t.Errorf("%s: compiled occurrences %v participants %v quantity %v; want %v %v %v",
					k, f.Occurrences, f.Participants, f.Quantity, w.Occurrences, w.Participants, w.Quantity)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("compiled %d types with records, want %d", seen, len(want))
	}
}

// anyApproxShown reports whether a figure the report states is
// approximate: participants of types with a head count, quantities of
// types that count things. (A highlight shows a record's own figure only
// where its type's sum is stated, and an approximate record makes that sum
// approximate.)
func anyApproxShown(sums map[string]TypeFigures, cat *fieldlog.Catalog) bool {
	for k, f := range sums {
		section, typ, _ := strings.Cut(k, "/")
		t, _ := cat.Type(section, typ)
		if (t.HeadCount != nil && f.Participants.Approx) || (t.Quantity && f.Quantity.Approx) {
			return true
		}
	}
	return false
}

func paragraphsText(d Document) string {
	var b strings.Builder
	for _, p := range d.Paragraphs {
		b.WriteString(p.Text)
		b.WriteString("\n")
	}
	return b.String()
}

func TestCompileEdgesOfPeriodScopeAndDeletion(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	rec := func(id string, d fieldlog.Date, unit fieldlog.UnitID, people int64) fieldlog.Activity {
		return fieldlog.Activity{ID: fieldlog.ActivityID(id), SectionID: "lead", TypeID: "meet", Date: d, UnitID: unit,
			Participants: fieldlog.Count{Value: people}, Title: "会议" + id}
	}
	deleted := rec("del", day(2024, 3, 1), "t1v1", 1000)
	deleted.Deleted = true
	records := []fieldlog.Activity{
		rec("jan1", day(2024, 1, 1), "t1v1", 1),
		rec("jun30", day(2024, 6, 30), "t2v3", 2),
		rec("jul1", day(2024, 7, 1), "t1v1", 100),
		rec("dec31", day(2023, 12, 31), "t1v1", 200),
		rec("other", day(2024, 3, 1), "xv", 400),
		rec("unknown", day(2024, 3, 1), "nowhere", 800),
		deleted,
	}
	h1cfg := Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Chinese, Messages: msgs}
	c := NewCompiler(h1cfg)
	for _, a := range records {
		c.Add(a)
	}
	figs := c.Figures()
	if len(figs) != 1 || len(figs[0].Types) != 1 {
		t.Fatalf("figures = %+v, want one section with one type", figs)
	}
	got := figs[0].Types[0]
	if got.Occurrences.Value != 2 || got.Participants.Value != 3 {
		t.Errorf("H1 counts 1 Jan and 30 Jun only: got %d records, %d people; want 2, 3", got.Occurrences.Value, got.Participants.Value)
	}

	h2cfg := h1cfg
	h2cfg.Period = fieldlog.Period{Year: 2024, Half: 2}
	f2 := NewCompiler(h2cfg)
	for _, a := range records {
		f2.Add(a)
	}
	if figs := f2.Figures(); len(figs) != 1 || figs[0].Types[0].Participants.Value != 100 {
		t.Errorf("H2 2024 should hold only the 1 July record: %+v", figs)
	}
	doc := f2.Document()
	if !strings.Contains(doc.Paragraphs[0].Text, "2024年下半年") {
		t.Errorf("H2 title = %q", doc.Paragraphs[0].Text)
	}
	if body, _ := sectionBody(doc, "组织领导"); !strings.HasPrefix(body, "下半年以来，召开党委会议研究统战工作1次。") {
		t.Errorf("H2 figures = %q", body)
	}
}

func TestCompileDocumentAnatomyChinese(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	records := []fieldlog.Activity{
		{ID: "1", SectionID: "lead", TypeID: "meet", Date: day(2024, 2, 3), UnitID: "t1", Participants: fieldlog.Count{Value: 12}, Title: "党委会议研究统战工作"},
		{ID: "2", SectionID: "lead", TypeID: "talk", Date: day(2024, 6, 7), UnitID: "t1v2", Participants: fieldlog.Count{Value: 80, Approx: true}, Title: "政策赶大集志愿服务活动", Place: "巴音集市"},
		{ID: "3", SectionID: "pub", TypeID: "leaflet", Date: day(2024, 6, 7), UnitID: "t1v2", Quantity: fieldlog.Count{Value: 1200, Approx: true}, Title: "发放民族政策宣传册。"},
		{ID: "4", SectionID: "pub", TypeID: "post", Date: day(2024, 3, 1), UnitID: "t1", Quantity: fieldlog.Count{Value: 25}, Title: "发布“石榴籽”公众号推文"},
	}
	notes := Notes{Problems: []string{"基层统战力量相对薄弱", "  "}, Plans: nil}
	doc := Compile(Config{Catalog: cat, Tree: tree, Scope: "t1", Period: h1(2024), Lang: fieldlog.Chinese, Notes: notes, Messages: msgs}, records)
	want := []Paragraph{
		{Title, "第1苏木2024年上半年统战工作开展情况"},
		{Body, "2024年上半年，第1苏木坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平总书记关于做好新时代党的统一战线工作的重要思想，紧紧围绕铸牢中华民族共同体意识工作主线，扎实推进各项统战工作。经统计，共开展各类统战活动4次，累计参与80余人次，涉及2个方面工作。现将上半年统战工作开展情况汇报如下："},
		{Heading1, "一、工作开展完成情况"},
		{Heading2, "（一）组织领导"},
		{Body, "年初以来，召开党委会议研究统战工作1次；开展宣讲活动1场，受众80余人次。2月3日，在第1苏木召开党委会议研究统战工作；6月7日，在巴音集市开展政策赶大集志愿服务活动，参加80余人。"},
		{Heading2, "（二）宣传教育"},
		{Body, "发放宣传资料1200余份，发布线上宣传信息25条。3月1日，在第1苏木发布“石榴籽”公众号推文25条；6月7日，在第1-2嘎查发放民族政策宣传册1200余份。"},
		{Heading1, "二、存在的问题"},
		{Body, "一是基层统战力量相对薄弱。"},
		{Heading1, "三、下一步计划"},
		{Body, "暂未填写下一步计划，待统战干事补充。"},
	}
	if len(doc.Paragraphs) != len(want) {
		t.Fatalf("got %d paragraphs:\n%s", len(doc.Paragraphs), paragraphsText(doc))
	}
	for i, p := range doc.Paragraphs {
		if p != want[i] {
			t.Errorf("paragraph %d:\n got %v %q\nwant %v %q", i, p.Kind, p.Text, want[i].Kind, want[i].Text)
		}
	}
	if doc.UnitName != "第1苏木" || doc.Lang != fieldlog.Chinese || doc.Period != h1(2024) {
		t.Errorf("document header = %q %v %v", doc.UnitName, doc.Lang, doc.Period)
	}
}

func TestCompileNoRecords(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	for _, lang := range fieldlog.Langs {
		doc := Compile(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: lang, Messages: msgs}, nil)
		kinds := map[Kind]int{}
		for _, p := range doc.Paragraphs {
			kinds[p.Kind]++
			if strings.HasPrefix(p.Text, "report.") {
				t.Errorf("%s: message id leaked: %q", lang, p.Text)
			}
		}
		if kinds[Heading2] != 0 || kinds[Heading1] != 3 || kinds[Title] != 1 {
			t.Errorf("%s: kinds = %v\n%s", lang, kinds, paragraphsText(doc))
		}
		if lang == fieldlog.Chinese && !strings.Contains(paragraphsText(doc), "本期尚未登记统战活动，暂无可汇总的数据。") {
			t.Errorf("no plain statement of no records:\n%s", paragraphsText(doc))
		}
	}
}

// A report whose scope is missing or not in the tree counts nothing: it
// must not fall back to every unit. AllUnits asks for those.
func TestCompileScopeFailsClosed(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	records := randomRecords(rand.New(rand.NewSource(3)), 200, cat, allUnits(tree))
	for _, tc := range []struct {
		name  string
		scope fieldlog.UnitID
		all   bool
		want  bool // some records counted
	}{
		{"no scope", "", false, false},
		{"a unit not in the tree", "removed", false, false},
		{"every unit", "", true, true},
		{"a banner", "b", false, true},
	} {
		c := NewCompiler(Config{Catalog: cat, Tree: tree, Scope: tc.scope, AllUnits: tc.all, Period: h1(2024), Lang: fieldlog.Chinese, Messages: msgs})
		for _, a := range records {
			c.Add(a)
		}
		if got := len(c.Figures()) > 0; got != tc.want {
			t.Errorf("%s: counted records = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Issue 10, point 4: the most notable by participation are chosen (ties:
// the later), then told in the order they happened, in the section's one
// paragraph after its figures.
func TestCompileHighlightsChosenByParticipationToldInDateOrder(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	var records []fieldlog.Activity
	add := func(id string, m time.Month, d int, people int64) {
		records = append(records, fieldlog.Activity{ID: fieldlog.ActivityID(id), SectionID: "lead", TypeID: "talk",
			Date: day(2024, m, d), UnitID: "t1v1", Participants: fieldlog.Count{Value: people}, Title: "活动" + id})
	}
	add("a", 1, 5, 10)
	add("b", 2, 5, 50)
	add("c", 3, 5, 30)
	add("d", 4, 5, 30) // ties with c, later: wins
	add("e", 5, 5, 5)
	add("f", 6, 5, 30) // ties with c and d, latest: wins
	c := NewCompiler(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Chinese, Messages: msgs})
	for _, a := range records {
		c.Add(a)
	}
	var ids []string
	for _, a := range c.Figures()[0].Highlights {
		ids = append(ids, string(a.ID))
	}
	if got := strings.Join(ids, ","); got != "b,d,f" {
		t.Errorf("highlights = %s, want b,d,f: the three largest, in date order", got)
	}
	doc := c.Document()
	body, _ := sectionBody(doc, "组织领导")
	want := "年初以来，开展宣讲活动6场，受众155人次。2月5日，在第1-1嘎查开展活动b，参加50人；4月5日，在第1-1嘎查开展活动d，参加30人；6月5日，在第1-1嘎查开展活动f，参加30人。"
	if body != want {
		t.Errorf("section paragraph:\n got %q\nwant %q", body, want)
	}
	for _, p := range doc.Paragraphs {
		if p.Kind == Body && strings.HasPrefix(p.Text, "2月5日") {
			t.Errorf("a highlight has a paragraph of its own: %q", p.Text)
		}
	}

	none := NewCompiler(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Chinese, Messages: msgs, Highlights: -1})
	for _, a := range records {
		none.Add(a)
	}
	if h := none.Figures()[0].Highlights; len(h) != 0 {
		t.Errorf("Highlights -1 kept %d", len(h))
	}
}

// Issue 10, point 4: never two highlights of the same day and place (the
// lecture and the leaflets of one market day are one occasion); the more
// notable tells it. A quantity type names what it gave out.
func TestCompileHighlightsOneOccasionOnce(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	records := []fieldlog.Activity{
		{ID: "1", SectionID: "pub", TypeID: "leaflet", Date: day(2024, 3, 12), UnitID: "t1v1", Place: "文化广场",
			Participants: fieldlog.Count{Value: 80, Approx: true}, Quantity: fieldlog.Count{Value: 1200, Approx: true}, Title: "政策赶大集"},
		{ID: "2", SectionID: "pub", TypeID: "leaflet", Date: day(2024, 3, 12), UnitID: "t1v1", Place: "文化广场",
			Participants: fieldlog.Count{Value: 20}, Quantity: fieldlog.Count{Value: 300}, Title: "入户宣传"},
		// Same day, the village's own name as place: the same occasion.
		{ID: "3", SectionID: "pub", TypeID: "post", Date: day(2024, 3, 12), UnitID: "t1v2", Place: "第1-1嘎查",
			Participants: fieldlog.Count{Value: 10}, Quantity: fieldlog.Count{Value: 4}, Title: "推送宣传信息"},
		{ID: "4", SectionID: "pub", TypeID: "post", Date: day(2024, 3, 12), UnitID: "t1v1",
			Participants: fieldlog.Count{Value: 5}, Quantity: fieldlog.Count{Value: 6}, Title: "公众号推文"},
		{ID: "5", SectionID: "pub", TypeID: "leaflet", Date: day(2024, 5, 16), UnitID: "t1v3",
			Quantity: fieldlog.Count{Value: 500}, Title: "入户发放民族政策宣传册"},
		{ID: "6", SectionID: "pub", TypeID: "fund", Date: day(2024, 1, 28), UnitID: "t1v3",
			Participants: fieldlog.Count{Value: 1}, Quantity: fieldlog.Count{Value: 12000}, Title: "春节慰问困难群众"},
	}
	doc := Compile(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Chinese, Messages: msgs}, records)
	body, _ := sectionBody(doc, "宣传教育")
	want := "年初以来，发放宣传资料2000余份，发布线上宣传信息10条，发放慰问金1.2万元。" +
		"1月28日，在第1-3嘎查开展春节慰问困难群众，发放慰问金1.2万元；" +
		"3月12日，在文化广场开展政策赶大集，发放宣传资料1200余份；" +
		"3月12日，在第1-1嘎查开展推送宣传信息，发布线上宣传信息4条。"
	if body != want {
		t.Errorf("section paragraph:\n got %q\nwant %q", body, want)
	}

	// The choice is the same as that of a brute force over every record:
	// the best record of each occasion, then the most notable of those.
	rng := rand.New(rand.NewSource(5))
	for round := 0; round < 200; round++ {
		var rs []fieldlog.Activity
		for i := range 1 + rng.Intn(40) {
			rs = append(rs, fieldlog.Activity{ID: fieldlog.ActivityID(fmt.Sprintf("r%02d", i)), SectionID: "lead", TypeID: "talk",
				Date: day(2024, time.Month(1+rng.Intn(2)), 1+rng.Intn(3)), UnitID: []fieldlog.UnitID{"t1v1", "t1v2"}[rng.Intn(2)],
				Participants: fieldlog.Count{Value: int64(rng.Intn(6))}, Title: "活动"})
		}
		n := 1 + rng.Intn(4)
		c := NewCompiler(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Chinese, Messages: msgs, Highlights: n})
		for _, a := range rs {
			c.Add(a)
		}
		var got []string
		for _, a := range c.Figures()[0].Highlights {
			got = append(got, string(a.ID))
		}
		if want := bruteHighlights(rs, n); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("round %d, n=%d: highlights %v, brute force %v", round, n, got, want)
		}
	}
}

// bruteHighlights picks highlights the slow way, with the rules written
// out: best of each day and unit (most participants, then later, then the
// smaller id), then the n best of those, in date order.
func bruteHighlights(rs []fieldlog.Activity, n int) []string {
	better := func(a, b fieldlog.Activity) bool {
		if a.Participants.Value != b.Participants.Value {
			return a.Participants.Value > b.Participants.Value
		}
		if a.Date != b.Date {
			return b.Date.Before(a.Date)
		}
		return a.ID < b.ID
	}
	best := map[string]fieldlog.Activity{}
	for _, a := range rs {
		k := a.Date.String() + string(a.UnitID)
		if b, ok := best[k]; !ok || better(a, b) {
			best[k] = a
		}
	}
	var all []fieldlog.Activity
	for _, a := range best {
		all = append(all, a)
	}
	sort.Slice(all, func(i, j int) bool { return better(all[i], all[j]) })
	all = all[:min(n, len(all))]
	sort.Slice(all, func(i, j int) bool {
		if all[i].Date != all[j].Date {
			return all[i].Date.Before(all[j].Date)
		}
		return all[i].ID < all[j].ID
	})
	var ids []string
	for _, a := range all {
		ids = append(ids, string(a.ID))
	}
	return ids
}

// Suffixes of the report's Mongolian; none may follow a plain space.
var mongolianSuffixes = []string{"ᠤᠨ", "ᠦᠨ", "ᠶᠢᠨ", "ᠤ", "ᠦ", "ᠢ", "ᠶᠢ", "ᠳᠤ", "ᠳᠦ", "ᠲᠤ", "ᠲᠦ", "ᠡᠴᠡ", "ᠠᠴᠠ", "ᠪᠠᠷ", "ᠪᠡᠷ", "ᠢᠶᠠᠷ", "ᠢᠶᠡᠷ"}

func TestCompileMongolian(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	rng := rand.New(rand.NewSource(7))
	records := randomRecords(rng, 300, cat, allUnits(tree))
	notes := Notes{Problems: []string{"ᠬᠦᠴᠦᠨ ᠰᠤᠯᠠ"}}
	base := Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Notes: notes, Messages: msgs}
	zhCfg, mnCfg := base, base
	zhCfg.Lang, mnCfg.Lang = fieldlog.Chinese, fieldlog.Mongolian
	zh, mn := NewCompiler(zhCfg), NewCompiler(mnCfg)
	for _, a := range records {
		zh.Add(a)
		mn.Add(a)
	}
	if fmt.Sprint(zh.Figures()) != fmt.Sprint(mn.Figures()) {
		t.Error("figures differ between languages")
	}
	doc := mn.Document()
	text := paragraphsText(doc)
	// Officers' titles and places are theirs; everything else must be
	// Mongolian (or digits and punctuation).
	rest := text
	for _, a := range records {
		rest = strings.ReplaceAll(rest, a.Title, "")
		if a.Place != "" {
			rest = strings.ReplaceAll(rest, a.Place, "")
		}
	}
	for _, r := range rest {
		if unicode.Is(unicode.Han, r) {
			t.Fatalf("Han character %q in the Mongolian report:\n%s", r, rest)
		}
	}
	if !strings.Contains(text, "\u202f") {
		t.Error("no U+202F suffix joins in the Mongolian report")
	}
	for _, s := range mongolianSuffixes {
		for _, after := range []string{" ", "᠂", "᠃", "\n"} {
			if strings.Contains(text, " "+s+after) {
				t.Errorf("suffix %s after a plain space", s)
			}
		}
	}
	for i, r := range []rune(text) {
		if r == '\u202f' && i > 0 && unicode.IsDigit([]rune(text)[i-1]) {
			t.Errorf("a suffix is glued to a number at rune %d", i)
		}
	}
	if !strings.HasPrefix(doc.Paragraphs[0].Text, "ᠵᠢᠱᠢᠶ᠎ᠡ ᠬᠣᠰᠢᠭᠤ᠄ 2024 ᠣᠨ\u202fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ") {
		t.Errorf("title = %q", doc.Paragraphs[0].Text)
	}
	if !strings.Contains(text, "︵ᠨᠢᠭᠡ︶ ᠬᠦᠴᠦᠨ ᠰᠤᠯᠠ᠃") {
		t.Errorf("problem not numbered or not ended:\n%s", text)
	}
}

func TestCompileMongolianHighlightDate(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	doc := Compile(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Mongolian, Messages: msgs},
		[]fieldlog.Activity{{ID: "1", SectionID: "lead", TypeID: "talk", Date: day(2024, 6, 7), UnitID: "t1v1",
			Participants: fieldlog.Count{Value: 80, Approx: true}, Title: "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ᠎ᠠ"}})
	want := "6 ᠰᠠᠷ᠎ᠠ\u202fᠶᠢᠨ 7᠂ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ᠎ᠠ (ᠭᠠᠵᠠᠷ᠄ ᠭᠠᠴᠠᠭ᠎ᠠ 1-1᠂ ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ ᠬᠦᠮᠦᠨ\u202fᠦ ᠲᠣᠭ᠎ᠠ᠄ 80 ᠭᠠᠷᠤᠢ)᠃"
	if !strings.Contains(paragraphsText(doc), want) {
		t.Errorf("highlight missing %q in\n%s", want, paragraphsText(doc))
	}
}

// reportMessages reads the ids and texts of report.<lang>.toml. go-i18n
// nests dotted ids as TOML tables; a table with "other" is a message.
func reportMessages(t *testing.T, lang fieldlog.Lang) map[string]string {
	t.Helper()
	files, err := locales.Files()
	if err != nil {
		t.Fatal(err)
	}
	src, ok := files["report."+string(lang)+".toml"]
	if !ok {
		t.Fatalf("report.%s.toml missing", lang)
	}
	var tree map[string]any
	if _, err := toml.Decode(src, &tree); err != nil {
		t.Fatalf("report.%s.toml: %v", lang, err)
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		if other, ok := m["other"].(string); ok {
			out[prefix] = other
			return
		}
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(strings.TrimPrefix(prefix+"."+k, "."), sub)
			}
		}
	}
	walk("", tree)
	return out
}

func TestReportMessagesSameIDsInBothLanguages(t *testing.T) {
	zh, mn := reportMessages(t, fieldlog.Chinese), reportMessages(t, fieldlog.Mongolian)
	if len(zh) == 0 {
		t.Fatal("no report messages")
	}
	for id := range zh {
		if _, ok := mn[id]; !ok {
			t.Errorf("%s: in report.zh-Hans.toml, not in report.mn-Mong.toml", id)
		}
	}
	for id := range mn {
		if _, ok := zh[id]; !ok {
			t.Errorf("%s: in report.mn-Mong.toml, not in report.zh-Hans.toml", id)
		}
	}
	msgs := testMessages(t)
	data := map[string]any{"Unit": "U", "Year": 2024, "Totals": "T", "Activities": "1", "People": "2",
		"Sections": 3, "N": "1", "Text": "X", "List": "L", "Verb": "V", "Name": "N", "Count": "1",
		"Measure": "M", "Quantity": "4", "Month": 6, "Day": 7, "Date": "D", "Place": "P", "Title": "T",
		"Figures": "F", "Highlights": "H", "Word": "W", "Amount": "A", "Things": "S"}
	for id, text := range mn {
		for _, lang := range fieldlog.Langs {
			if got := msgs.Text(lang, id, data); got == id || strings.Contains(got, "<no value>") {
				t.Errorf("%s %s does not render: %q", lang, id, got)
			}
		}
		for _, r := range text {
			if unicode.Is(unicode.Han, r) {
				t.Errorf("%s: Han character in Mongolian text %q", id, text)
				break
			}
		}
		// A suffix's form depends on the word before it, which a
		// placeholder does not know.
		if strings.Contains(text, "}}\u202f") {
			t.Errorf("%s: a suffix is glued to a placeholder: %q", id, text)
		}
		for _, s := range mongolianSuffixes {
			if strings.Contains(text+" ", " "+s+" ") {
				t.Errorf("%s: suffix %s after a plain space", id, s)
			}
		}
	}
}

// benchWorld is a banner of 10 townships with 20 villages each and the
// test catalogue.
func benchWorld() (*fieldlog.Tree, []fieldlog.UnitID) {
	units := []fieldlog.Unit{{ID: "b", Level: fieldlog.Banner, Name: txt("样板旗", "ᠵᠢᠱᠢᠶ᠎ᠡ ᠬᠣᠰᠢᠭᠤ")}}
	var ids []fieldlog.UnitID
	for t := 0; t < 10; t++ {
		tid := fieldlog.UnitID(fmt.Sprintf("t%d", t))
		units = append(units, fieldlog.Unit{ID: tid, ParentID: "b", Level: fieldlog.Township, Name: txt(fmt.Sprintf("第%d镇", t), "ᠰᠤᠮᠤ")})
		ids = append(ids, tid)
		for v := 0; v < 20; v++ {
			vid := fieldlog.UnitID(fmt.Sprintf("t%dv%d", t, v))
			units = append(units, fieldlog.Unit{ID: vid, ParentID: tid, Level: fieldlog.Village, Name: txt(fmt.Sprintf("第%d-%d村", t, v), "ᠭᠠᠴᠠᠭ᠎ᠠ")})
			ids = append(ids, vid)
		}
	}
	return fieldlog.NewTree(units), ids
}

// BenchmarkCompile100k compiles a report from 100,000 records: the pure
// compiler, Add for every record and then Document. The records are made
// before the timer starts, as a database cursor would hand them over.
func BenchmarkCompile100k(b *testing.B) {
	tree, units := benchWorld()
	cat := testCatalog()
	records := randomRecords(rand.New(rand.NewSource(1)), 100000, cat, units)
	cfg := Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Chinese, Messages: testMessages(b)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c := NewCompiler(cfg)
		for _, a := range records {
			c.Add(a)
		}
		if d := c.Document(); len(d.Paragraphs) == 0 {
			b.Fatal("empty document")
		}
	}
}
