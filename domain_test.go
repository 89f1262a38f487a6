package fieldlog

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database
)

// ---- Tree ----

// testUnits is a small banner given out of order: neither the input order
// nor the ids sort the way Order does, so only ordering by Order passes.
func testUnits() []Unit {
	return []Unit{
		{ID: "bayan", ParentID: "galutu", Level: Village, Name: Text{Chinese: "巴音村", Mongolian: "ᠪᠠᠶᠠᠨ"}, Order: 4},
		{ID: "sulide", ParentID: "wushen", Level: Township, Name: Text{Chinese: "苏力德苏木"}, Order: 5},
		{ID: "zhao", ParentID: "galutu", Level: Village, Name: Text{Chinese: "召村"}, Order: 3},
		{ID: "galutu", ParentID: "wushen", Level: Township, Name: Text{Chinese: "嘎鲁图镇", Mongolian: "ᠭᠠᠯᠠᠭᠤᠲᠤ"}, Order: 2},
		{ID: "wushen", Level: Banner, Name: Text{Chinese: "乌审旗", Mongolian: "ᠦᠦᠰᠢᠨ"}, Order: 1},
		{ID: "aral", ParentID: "sulide", Level: Village, Name: Text{Chinese: "阿日勒"}, Order: 6},
		// A second banner listed first in the file order of roots (Order 0).
		{ID: "otog", Level: Banner, Name: Text{Chinese: "鄂托克旗"}, Order: 0},
	}
}

func TestNewTreeOrdersByOrder(t *testing.T) {
	tr := NewTree(testUnits())
	if got, want := tr.Roots(), []UnitID{"otog", "wushen"}; !slices.Equal(got, want) {
		t.Errorf("Roots() = %v, want %v", got, want)
	}
	// Input order has sulide first; Order puts galutu (2) before sulide (5).
	if got, want := tr.Children("wushen"), []UnitID{"galutu", "sulide"}; !slices.Equal(got, want) {
		t.Errorf("Children(wushen) = %v, want %v", got, want)
	}
	// By id or by input order it would be [bayan zhao]; by Order it is [zhao bayan].
	if got, want := tr.Children("galutu"), []UnitID{"zhao", "bayan"}; !slices.Equal(got, want) {
		t.Errorf("Children(galutu) = %v, want %v", got, want)
	}
	if got := tr.Children("zhao"); len(got) != 0 {
		t.Errorf("Children of a village = %v, want none", got)
	}
	if got := tr.Children("ghost"); len(got) != 0 {
		t.Errorf("Children of an unknown id = %v, want none", got)
	}
	if got := tr.Len(); got != 7 {
		t.Errorf("Len() = %d, want 7", got)
	}
}

func TestNewTreeEqualOrderFallsBackToID(t *testing.T) {
	// Units read back from a store come in the store's order; with equal
	// Order the tree must still be deterministic.
	for _, units := range [][]Unit{
		{{ID: "b"}, {ID: "a"}, {ID: "c"}},
		{{ID: "c"}, {ID: "b"}, {ID: "a"}},
	} {
		if got, want := NewTree(units).Roots(), []UnitID{"a", "b", "c"}; !slices.Equal(got, want) {
			t.Errorf("Roots() of %v = %v, want %v", units, got, want)
		}
	}
}

func TestNewTreeOrphansAndSelfParentsAreRoots(t *testing.T) {
	tr := NewTree([]Unit{
		{ID: "w", Order: 1},
		{ID: "orphan", ParentID: "deleted", Order: 2}, // parent not in the tree
		{ID: "self", ParentID: "self", Order: 3},      // bad data: its own parent
		{ID: "t", ParentID: "w", Order: 4},
	})
	if got, want := tr.Roots(), []UnitID{"w", "orphan", "self"}; !slices.Equal(got, want) {
		t.Errorf("Roots() = %v, want %v", got, want)
	}
	if got := tr.Children("self"); len(got) != 0 {
		t.Errorf("Children(self) = %v: a unit must not be its own child", got)
	}
	if got := tr.Children("deleted"); len(got) != 0 {
		t.Errorf("Children(deleted) = %v, want none: unknown parents get no children", got)
	}
	if got, want := tr.Subtree("self"), []UnitID{"self"}; !slices.Equal(got, want) {
		t.Errorf("Subtree(self) = %v, want %v", got, want)
	}
}

func TestTreeUnitAndName(t *testing.T) {
	tr := NewTree(testUnits())
	u, ok := tr.Unit("galutu")
	if !ok || u.ParentID != "wushen" || u.Level != Township {
		t.Errorf("Unit(galutu) = %+v, %v", u, ok)
	}
	if _, ok := tr.Unit("ghost"); ok {
		t.Error("Unit(ghost) found an unknown unit")
	}
	if got := tr.Name("galutu", Mongolian); got != "ᠭᠠᠯᠠᠭᠤᠲᠤ" {
		t.Errorf("Name(galutu, mn) = %q", got)
	}
	if got := tr.Name("sulide", Mongolian); got != "苏力德苏木" {
		t.Errorf("Name(sulide, mn) = %q, want the Chinese fallback", got)
	}
	if got := tr.Name("ghost", Chinese); got != "ghost" {
		t.Errorf("Name(ghost) = %q, want the id itself", got)
	}
}

func TestTreeContains(t *testing.T) {
	tr := NewTree(append(testUnits(), Unit{ID: "orphan", ParentID: "deleted"}))
	tests := []struct {
		ancestor, unit UnitID
		want           bool
	}{
		{"wushen", "wushen", true}, // a unit contains itself
		{"zhao", "zhao", true},
		{"wushen", "galutu", true},
		{"wushen", "bayan", true}, // two levels down
		{"galutu", "zhao", true},
		{"galutu", "aral", false},   // cousin
		{"galutu", "sulide", false}, // sibling
		{"zhao", "galutu", false},   // a child does not contain its parent
		{"otog", "bayan", false},    // another banner
		{"wushen", "orphan", false}, // unknown parent: a root of its own
		{"wushen", "ghost", false},  // unknown unit
		{"ghost", "bayan", false},   // unknown ancestor
		{"", "bayan", false},        // no unit (e.g. a coordinator without one)
		{"", "", false},
		{"wushen", "", false},
	}
	for _, tc := range tests {
		if got := tr.Contains(tc.ancestor, tc.unit); got != tc.want {
			t.Errorf("Contains(%q, %q) = %v, want %v", tc.ancestor, tc.unit, got, tc.want)
		}
	}
}

// withTimeout runs f and fails the test if it does not return in time (an
// endless loop would otherwise hang the whole test binary).
func withTimeout(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return within 5s: endless loop?", what)
	}
}

func TestTreeContainsCycleTerminates(t *testing.T) {
	// Bad data: a and b are each other's parent; c hangs below the cycle.
	tr := NewTree([]Unit{
		{ID: "a", ParentID: "b"},
		{ID: "b", ParentID: "a"},
		{ID: "c", ParentID: "a"},
		{ID: "x"},
	})
	type result struct{ outside, inside, viaCycle bool }
	var r result
	withTimeout(t, "Contains on a cycle", func() {
		r = result{
			outside:  tr.Contains("x", "c"),
			inside:   tr.Contains("a", "c"),
			viaCycle: tr.Contains("b", "c"),
		}
	})
	if r.outside {
		t.Error(`Contains("x", "c") = true on a cycle that does not include x`)
	}
	if !r.inside || !r.viaCycle {
		t.Errorf(`Contains("a", "c"), Contains("b", "c") = %v, %v; want true, true`, r.inside, r.viaCycle)
	}
}

func TestTreeSubtreeDepthFirst(t *testing.T) {
	tr := NewTree(testUnits())
	tests := []struct {
		id   UnitID
		want []UnitID
	}{
		// Depth first: galutu's villages come before galutu's sibling sulide.
		{"wushen", []UnitID{"wushen", "galutu", "zhao", "bayan", "sulide", "aral"}},
		{"galutu", []UnitID{"galutu", "zhao", "bayan"}},
		{"zhao", []UnitID{"zhao"}},
		{"otog", []UnitID{"otog"}},
		{"ghost", nil},
	}
	for _, tc := range tests {
		if got := tr.Subtree(tc.id); !slices.Equal(got, tc.want) {
			t.Errorf("Subtree(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
	// Every unit of a subtree is contained in its root, and nothing else is.
	for _, root := range []UnitID{"wushen", "galutu", "sulide"} {
		sub := tr.Subtree(root)
		for _, u := range testUnits() {
			if in := slices.Contains(sub, u.ID); in != tr.Contains(root, u.ID) {
				t.Errorf("Subtree(%q) has %q: %v, but Contains says %v", root, u.ID, in, !in)
			}
		}
	}
}

func TestTreeSubtreeCycleTerminates(t *testing.T) {
	tr := NewTree([]Unit{
		{ID: "a", ParentID: "b"},
		{ID: "b", ParentID: "a"},
		{ID: "c", ParentID: "a"},
	})
	var got []UnitID
	withTimeout(t, "Subtree on a cycle", func() { got = tr.Subtree("a") })
	if want := []UnitID{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("Subtree(a) = %v, want %v (each unit once)", got, want)
	}
}

// ---- Date ----

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDateOfUsesLocalDay(t *testing.T) {
	sh := shanghai(t)

	// 23:30 on 30 June in Inner Mongolia is 15:30 UTC the same day: H1.
	late := time.Date(2024, time.June, 30, 23, 30, 0, 0, sh)
	if h := late.UTC().Hour(); h != 15 {
		t.Fatalf("test setup: %v is %d:xx UTC, want 15", late, h)
	}
	d := DateOf(late, sh)
	if want := (Date{2024, time.June, 30}); d != want {
		t.Errorf("DateOf(%v) = %v, want %v", late, d, want)
	}
	if p := PeriodOf(d); p != (Period{2024, 1}) {
		t.Errorf("PeriodOf(%v) = %v, want 2024-H1", d, p)
	}

	// 16:30 UTC on 30 June is already 00:30 on 1 July in Shanghai: H2.
	utc := time.Date(2024, time.June, 30, 16, 30, 0, 0, time.UTC)
	d = DateOf(utc, sh)
	if want := (Date{2024, time.July, 1}); d != want {
		t.Errorf("DateOf(%v, Shanghai) = %v, want %v", utc, d, want)
	}
	if p := PeriodOf(d); p != (Period{2024, 2}) {
		t.Errorf("PeriodOf(%v) = %v, want 2024-H2", d, p)
	}
	// The same instant read in UTC is still 30 June: the zone matters.
	if got := DateOf(utc, time.UTC); got != (Date{2024, time.June, 30}) {
		t.Errorf("DateOf(%v, UTC) = %v, want 2024-06-30", utc, got)
	}
}

func TestDateTime(t *testing.T) {
	sh := shanghai(t)
	d := Date{2024, time.July, 1}
	got := d.Time(sh)
	if want := time.Date(2024, time.July, 1, 0, 0, 0, 0, sh); !got.Equal(want) {
		t.Errorf("Time(Shanghai) = %v, want %v", got, want)
	}
	if back := DateOf(got, sh); back != d {
		t.Errorf("DateOf(Time(d)) = %v, want %v", back, d)
	}
}

func TestDateAddDays(t *testing.T) {
	tests := []struct {
		from Date
		n    int
		want Date
	}{
		{Date{2024, time.June, 7}, 0, Date{2024, time.June, 7}},
		{Date{2024, time.January, 31}, 1, Date{2024, time.February, 1}},
		{Date{2024, time.February, 28}, 1, Date{2024, time.February, 29}}, // leap year
		{Date{2024, time.February, 29}, 1, Date{2024, time.March, 1}},
		{Date{2023, time.February, 28}, 1, Date{2023, time.March, 1}}, // not a leap year
		{Date{2024, time.March, 1}, -1, Date{2024, time.February, 29}},
		{Date{2023, time.March, 1}, -1, Date{2023, time.February, 28}},
		{Date{1900, time.February, 28}, 1, Date{1900, time.March, 1}},     // century, not leap
		{Date{2000, time.February, 28}, 1, Date{2000, time.February, 29}}, // 400 years: leap
		{Date{2024, time.June, 30}, 1, Date{2024, time.July, 1}},
		{Date{2024, time.December, 31}, 1, Date{2025, time.January, 1}},
		{Date{2025, time.January, 1}, -1, Date{2024, time.December, 31}},
		{Date{2024, time.January, 1}, 366, Date{2025, time.January, 1}},
		{Date{2023, time.January, 1}, 365, Date{2024, time.January, 1}},
		{Date{2024, time.April, 30}, -30, Date{2024, time.March, 31}},
	}
	for _, tc := range tests {
		if got := tc.from.AddDays(tc.n); got != tc.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestDateBeforeAndString(t *testing.T) {
	tests := []struct {
		a, b Date
		want bool
	}{
		{Date{2024, time.June, 7}, Date{2024, time.June, 8}, true},
		{Date{2024, time.June, 8}, Date{2024, time.June, 7}, false},
		{Date{2024, time.June, 7}, Date{2024, time.June, 7}, false}, // strict
		// Unpadded text would sort "2024-10-1" before "2024-9-30".
		{Date{2024, time.September, 30}, Date{2024, time.October, 1}, true},
		{Date{2024, time.October, 1}, Date{2024, time.September, 30}, false},
		{Date{2024, time.June, 9}, Date{2024, time.June, 10}, true},
		{Date{2023, time.December, 31}, Date{2024, time.January, 1}, true},
		{Date{2024, time.January, 1}, Date{2023, time.December, 31}, false},
	}
	for _, tc := range tests {
		if got := tc.a.Before(tc.b); got != tc.want {
			t.Errorf("%v.Before(%v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if got := (Date{2024, time.June, 7}).String(); got != "2024-06-07" {
		t.Errorf("String() = %q, want 2024-06-07", got)
	}
	if !(Date{}).IsZero() || (Date{2024, time.June, 7}).IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestParseISODate(t *testing.T) {
	d, err := ParseISODate("2024-02-29")
	if err != nil || d != (Date{2024, time.February, 29}) {
		t.Errorf(`ParseISODate("2024-02-29") = %v, %v`, d, err)
	}
	// String and ParseISODate round-trip.
	for _, want := range []Date{{2024, time.June, 7}, {1999, time.December, 31}, {2025, time.January, 1}} {
		if got, err := ParseISODate(want.String()); err != nil || got != want {
			t.Errorf("ParseISODate(%q) = %v, %v; want %v", want.String(), got, err, want)
		}
	}
	for _, bad := range []string{
		"", "2024-6-7", "2024/06/07", "2024.06.07", "24-06-07", " 2024-06-07", "2024-06-07 ",
		"2024-06-07T00:00:00Z", "2023-02-29", "2024-13-01", "2024-00-10", "2024-06-31",
		"2024-06-00", "abcd-ef-gh", "６月７日",
	} {
		d, err := ParseISODate(bad)
		if err == nil {
			t.Errorf("ParseISODate(%q) = %v, want an error", bad, d)
			continue
		}
		if !d.IsZero() {
			t.Errorf("ParseISODate(%q) returned %v with its error, want the zero Date", bad, d)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("ParseISODate(%q) error %q does not name the input", bad, err)
		}
	}
}

// ---- Period ----

func TestPeriodOfAndBounds(t *testing.T) {
	tests := []struct {
		d    Date
		want Period
	}{
		{Date{2024, time.January, 1}, Period{2024, 1}},
		{Date{2024, time.June, 30}, Period{2024, 1}},
		{Date{2024, time.July, 1}, Period{2024, 2}},
		{Date{2024, time.December, 31}, Period{2024, 2}},
	}
	for _, tc := range tests {
		if got := PeriodOf(tc.d); got != tc.want {
			t.Errorf("PeriodOf(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
	h1, h2 := Period{2024, 1}, Period{2024, 2}
	if h1.Start() != (Date{2024, time.January, 1}) || h1.End() != (Date{2024, time.June, 30}) {
		t.Errorf("2024-H1 = %v..%v, want 2024-01-01..2024-06-30", h1.Start(), h1.End())
	}
	if h2.Start() != (Date{2024, time.July, 1}) || h2.End() != (Date{2024, time.December, 31}) {
		t.Errorf("2024-H2 = %v..%v, want 2024-07-01..2024-12-31", h2.Start(), h2.End())
	}
}

func TestPeriodContains(t *testing.T) {
	h1, h2 := Period{2024, 1}, Period{2024, 2}
	tests := []struct {
		p    Period
		d    Date
		want bool
	}{
		{h1, Date{2024, time.January, 1}, true}, // first day
		{h1, Date{2024, time.June, 30}, true},   // last day
		{h1, Date{2024, time.March, 15}, true},
		{h1, Date{2023, time.December, 31}, false},
		{h1, Date{2024, time.July, 1}, false},
		{h1, Date{2025, time.March, 15}, false},   // same half, other year
		{h2, Date{2024, time.July, 1}, true},      // first day
		{h2, Date{2024, time.December, 31}, true}, // last day
		{h2, Date{2024, time.June, 30}, false},
		{h2, Date{2025, time.January, 1}, false},
	}
	for _, tc := range tests {
		if got := tc.p.Contains(tc.d); got != tc.want {
			t.Errorf("%v.Contains(%v) = %v, want %v", tc.p, tc.d, got, tc.want)
		}
	}
	// Every day of three years lies in exactly its own half-year.
	for d := (Date{2023, time.January, 1}); d.Year < 2026; d = d.AddDays(1) {
		p := PeriodOf(d)
		if !p.Contains(d) || p.Previous().Contains(d) || d.Before(p.Start()) || p.End().Before(d) {
			t.Fatalf("%v: PeriodOf = %v (%v..%v) is inconsistent", d, p, p.Start(), p.End())
		}
	}
}

func TestPeriodPreviousAndString(t *testing.T) {
	tests := []struct {
		p, prev Period
		s       string
	}{
		{Period{2024, 2}, Period{2024, 1}, "2024-H2"},
		{Period{2024, 1}, Period{2023, 2}, "2024-H1"}, // across the year boundary
		{Period{2000, 1}, Period{1999, 2}, "2000-H1"},
	}
	for _, tc := range tests {
		if got := tc.p.Previous(); got != tc.prev {
			t.Errorf("%v.Previous() = %v, want %v", tc.p, got, tc.prev)
		}
		if got := tc.p.String(); got != tc.s {
			t.Errorf("String() = %q, want %q", got, tc.s)
		}
	}
	// Previous's last day is the day before Start.
	for _, p := range []Period{{2024, 1}, {2024, 2}} {
		if got, want := p.Previous().End(), p.Start().AddDays(-1); got != want {
			t.Errorf("%v.Previous().End() = %v, want %v", p, got, want)
		}
	}
}

// ---- Count ----

func TestCountAdd(t *testing.T) {
	exact := func(v int64) Count { return Count{Value: v} }
	approx := func(v int64) Count { return Count{Value: v, Approx: true} }
	tests := []struct {
		a, b, want Count
	}{
		{exact(45), exact(12), exact(57)},
		{exact(45), approx(80), approx(125)},
		{approx(80), exact(45), approx(125)},
		{approx(80), approx(200), approx(280)},
		{Count{}, approx(0), approx(0)}, // approximation survives even a zero
		{Count{}, Count{}, Count{}},
	}
	for _, tc := range tests {
		if got := tc.a.Add(tc.b); got != tc.want {
			t.Errorf("%+v.Add(%+v) = %+v, want %+v", tc.a, tc.b, got, tc.want)
		}
	}
	// One approximate figure anywhere makes the total approximate.
	for i := range 5 {
		var sum Count
		for j := range 5 {
			c := exact(10)
			if j == i {
				c = approx(10)
			}
			sum = sum.Add(c)
		}
		if sum != approx(50) {
			t.Errorf("sum with approximate part %d = %+v, want 50余", i, sum)
		}
	}
}

// ---- languages ----

func TestTextIn(t *testing.T) {
	both := Text{Chinese: "乌审旗", Mongolian: "ᠦᠦᠰᠢᠨ"}
	tests := []struct {
		name string
		text Text
		lang Lang
		want string
	}{
		{"mn present", both, Mongolian, "ᠦᠦᠰᠢᠨ"},
		{"zh present", both, Chinese, "乌审旗"},
		{"mn missing: Chinese", Text{Chinese: "乌审旗"}, Mongolian, "乌审旗"},
		{"mn empty: Chinese", Text{Chinese: "乌审旗", Mongolian: ""}, Mongolian, "乌审旗"},
		{"zh missing: any", Text{Mongolian: "ᠦᠦᠰᠢᠨ"}, Chinese, "ᠦᠦᠰᠢᠨ"},
		{"unknown lang: Chinese", both, Lang("en"), "乌审旗"},
		{"only another lang", Text{Lang("en"): "Uxin"}, Mongolian, "Uxin"},
		{"skips empty entries", Text{Chinese: "", Mongolian: "", Lang("en"): "Uxin"}, Mongolian, "Uxin"},
		{"nil", nil, Mongolian, ""},
		{"all empty", Text{Chinese: "", Mongolian: ""}, Chinese, ""},
	}
	for _, tc := range tests {
		if got := tc.text.In(tc.lang); got != tc.want {
			t.Errorf("%s: In(%q) = %q, want %q", tc.name, tc.lang, got, tc.want)
		}
	}
	// Chinese comes before "any text" every time, not by the luck of map
	// iteration order.
	many := Text{Chinese: "乌审旗", Lang("en"): "Uxin", Lang("ru"): "Ушин", Lang("ja"): "ウーシン"}
	for range 100 {
		if got := many.In(Mongolian); got != "乌审旗" {
			t.Fatalf("In(mn) of a text without Mongolian = %q, want the Chinese %q", got, "乌审旗")
		}
	}
}

func TestLangFromTelegram(t *testing.T) {
	tests := map[string]Lang{
		"mn":      Mongolian,
		"mn-MN":   Mongolian,
		"MN":      Mongolian,
		"zh-hans": Chinese,
		"zh-hant": Chinese,
		"zh":      Chinese,
		"en":      Chinese,
		"ru":      Chinese,
		"":        Chinese,
	}
	for code, want := range tests {
		if got := LangFromTelegram(code); got != want {
			t.Errorf("LangFromTelegram(%q) = %q, want %q", code, got, want)
		}
		if !LangFromTelegram(code).Valid() {
			t.Errorf("LangFromTelegram(%q) is not a supported language", code)
		}
	}
	for _, l := range Langs {
		if !l.Valid() {
			t.Errorf("%q in Langs is not Valid", l)
		}
	}
	if Langs[0] != Chinese {
		t.Errorf("Langs[0] = %q, want Chinese first", Langs[0])
	}
	for _, l := range []Lang{"", "zh", "mn", "zh-Hant", "mn-Cyrl"} {
		if l.Valid() {
			t.Errorf("Lang(%q).Valid() = true", l)
		}
	}
}

// ---- users and roles ----

func TestRoleValid(t *testing.T) {
	for _, r := range []Role{Officer, Coordinator, Admin} {
		if !r.Valid() {
			t.Errorf("%q.Valid() = false", r)
		}
	}
	for _, r := range []Role{"", "Admin", "owner", "officer "} {
		if r.Valid() {
			t.Errorf("%q.Valid() = true", r)
		}
	}
}

func TestUserJoinedAndCanCoordinate(t *testing.T) {
	tests := []struct {
		role               Role
		joined, coordinate bool
	}{
		{"", false, false},
		{"owner", false, false},
		{Officer, true, false},
		{Coordinator, true, true},
		{Admin, true, true},
	}
	for _, tc := range tests {
		u := User{Role: tc.role}
		if u.Joined() != tc.joined || u.CanCoordinate() != tc.coordinate {
			t.Errorf("role %q: Joined, CanCoordinate = %v, %v; want %v, %v",
				tc.role, u.Joined(), u.CanCoordinate(), tc.joined, tc.coordinate)
		}
	}
}

func TestUserSees(t *testing.T) {
	tr := NewTree(testUnits())
	tests := []struct {
		name string
		user User
		unit UnitID
		want bool
	}{
		{"admin, any unit", User{Role: Admin}, "bayan", true},
		{"admin, other banner", User{Role: Admin, UnitID: "wushen"}, "otog", true},
		{"admin, unknown unit", User{Role: Admin}, "ghost", true},
		{"coordinator, own unit", User{Role: Coordinator, UnitID: "galutu"}, "galutu", true},
		{"coordinator, village below", User{Role: Coordinator, UnitID: "galutu"}, "zhao", true},
		{"banner coordinator, two levels", User{Role: Coordinator, UnitID: "wushen"}, "aral", true},
		{"coordinator, sibling township", User{Role: Coordinator, UnitID: "galutu"}, "sulide", false},
		{"coordinator, village of sibling", User{Role: Coordinator, UnitID: "galutu"}, "aral", false},
		{"coordinator, parent banner", User{Role: Coordinator, UnitID: "galutu"}, "wushen", false},
		{"coordinator without unit", User{Role: Coordinator}, "galutu", false},
		{"coordinator, unknown unit", User{Role: Coordinator, UnitID: "galutu"}, "ghost", false},
		// Officers see only records they reported; that is checked on the record.
		{"officer, own unit", User{Role: Officer, UnitID: "zhao"}, "zhao", false},
		{"officer, other unit", User{Role: Officer, UnitID: "zhao"}, "bayan", false},
		{"not joined", User{UnitID: "galutu"}, "galutu", false},
		{"unknown role", User{Role: "owner", UnitID: "galutu"}, "galutu", false},
	}
	for _, tc := range tests {
		if got := tc.user.Sees(tr, tc.unit); got != tc.want {
			t.Errorf("%s: Sees(%q) = %v, want %v", tc.name, tc.unit, got, tc.want)
		}
	}
}
