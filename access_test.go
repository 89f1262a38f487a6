package fieldlog

import (
	"slices"
	"testing"
)

// The filter fails closed: no unit list matches nothing; every unit must be
// asked for.
func TestActivityFilterFailsClosed(t *testing.T) {
	a := Activity{ID: "a", UnitID: "zhao", ReporterID: 7, Date: Date{2024, 6, 1}}
	for _, tc := range []struct {
		name string
		f    ActivityFilter
		want bool
	}{
		{"zero filter", ActivityFilter{}, false},
		{"empty unit list", ActivityFilter{Units: []UnitID{}}, false},
		{"reporter alone", ActivityFilter{ReporterID: 7}, false},
		{"all units", ActivityFilter{AllUnits: true}, true},
		{"the unit", ActivityFilter{Units: []UnitID{"bayan", "zhao"}}, true},
		{"another unit", ActivityFilter{Units: []UnitID{"bayan"}}, false},
		{"own records", User{ID: 7, Role: Officer}.OwnRecords(), true},
		{"someone else's records", User{ID: 8, Role: Officer}.OwnRecords(), false},
		{"in the period", ActivityFilter{AllUnits: true, From: Date{2024, 1, 1}, To: Date{2024, 6, 30}}, true},
		{"after the period", ActivityFilter{AllUnits: true, To: Date{2024, 5, 31}}, false},
	} {
		if got := tc.f.Matches(a); got != tc.want {
			t.Errorf("%s: Matches = %v, want %v", tc.name, got, tc.want)
		}
		if tc.f.MatchesNothing() && tc.want {
			t.Errorf("%s: MatchesNothing, yet it matches", tc.name)
		}
	}
	deleted := a
	deleted.Deleted = true
	if (ActivityFilter{AllUnits: true}).Matches(deleted) {
		t.Error("a deleted record matches")
	}
}

func TestRecordScopeAndReportFilter(t *testing.T) {
	tr := NewTree(testUnits())
	p := Period{2024, 1}
	for _, tc := range []struct {
		name string
		f    ActivityFilter
		want []UnitID // nil: nothing; "*": every unit
	}{
		{"admin", User{Role: Admin}.RecordScope(tr), []UnitID{"*"}},
		{"township coordinator", User{Role: Coordinator, UnitID: "galutu"}.RecordScope(tr), []UnitID{"galutu", "zhao", "bayan"}},
		{"coordinator of a unit not in the tree", User{Role: Coordinator, UnitID: "gone"}.RecordScope(tr), nil},
		{"officer", User{Role: Officer, UnitID: "zhao"}.RecordScope(tr), nil},
		{"report of a township", ReportFilter(tr, "galutu", p), []UnitID{"galutu", "zhao", "bayan"}},
		{"report of a unit not in the tree", ReportFilter(tr, "gone", p), nil},
		{"report of no unit", ReportFilter(tr, "", p), nil},
	} {
		var got []UnitID
		switch {
		case tc.f.AllUnits:
			got = []UnitID{"*"}
		case !tc.f.MatchesNothing():
			got = tc.f.Units
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: units %v, want %v", tc.name, got, tc.want)
		}
	}
	if f := ReportFilter(tr, "galutu", p); f.From != p.Start() || f.To != p.End() {
		t.Errorf("report filter dates %v–%v, want the half-year", f.From, f.To)
	}
}

func TestWhoMayReadChangeAndAct(t *testing.T) {
	tr := NewTree(testUnits())
	rec := Activity{ID: "r", UnitID: "zhao", ReporterID: 7}
	officer := User{ID: 7, Role: Officer, UnitID: "zhao"}
	neighbour := User{ID: 8, Role: Officer, UnitID: "zhao"}
	coord := User{ID: 9, Role: Coordinator, UnitID: "galutu"}
	other := User{ID: 10, Role: Coordinator, UnitID: "sulide"}
	admin := User{ID: 1, Role: Admin}
	stranger := User{ID: 7} // the reporter's id, but not joined
	for _, tc := range []struct {
		name         string
		u            User
		read, change bool
	}{
		{"reporter", officer, true, true},
		{"officer of the same village", neighbour, false, false},
		{"coordinator above", coord, true, false},
		{"coordinator of another township", other, false, false},
		{"admin", admin, true, false},
		{"not joined", stranger, false, false},
	} {
		if got := tc.u.MayRead(tr, rec); got != tc.read {
			t.Errorf("%s: MayRead = %v, want %v", tc.name, got, tc.read)
		}
		if got := tc.u.MayChange(rec); got != tc.change {
			t.Errorf("%s: MayChange = %v, want %v", tc.name, got, tc.change)
		}
	}
	for _, tc := range []struct {
		name string
		u    User
		unit UnitID
		want bool
	}{
		{"coordinator, own township", coord, "galutu", true},
		{"coordinator, village below", coord, "bayan", true},
		{"coordinator, banner above", coord, "wushen", false},
		{"coordinator, unit not in the tree", coord, "gone", false},
		{"coordinator whose unit is gone", User{Role: Coordinator, UnitID: "gone"}, "galutu", false},
		{"admin, any unit", admin, "otog", true},
		{"admin, unit not in the tree", admin, "gone", false},
		{"officer", officer, "zhao", false},
	} {
		if got := tc.u.MayAct(tr, tc.unit); got != tc.want {
			t.Errorf("%s: MayAct(%s) = %v, want %v", tc.name, tc.unit, got, tc.want)
		}
	}
}

// Logging needs a unit to count the record in, whatever the role.
func TestMayLog(t *testing.T) {
	for _, tc := range []struct {
		u    User
		want bool
	}{
		{User{Role: Officer, UnitID: "zhao"}, true},
		{User{Role: Coordinator, UnitID: "town"}, true},
		{User{Role: Admin, UnitID: "banner"}, true},
		{User{Role: Admin}, false},
		{User{Role: Officer}, false},
		{User{UnitID: "zhao"}, false}, // not joined
	} {
		if got := tc.u.MayLog(); got != tc.want {
			t.Errorf("%+v: MayLog = %v, want %v", tc.u, got, tc.want)
		}
	}
}
