package fieldlog

import (
	"testing"
	"time"
)

func TestScheduleDueInheritsAndOpenUntilTheEndOfTheDay(t *testing.T) {
	tr := NewTree(testUnits())
	loc := time.FixedZone("CST", 8*3600)
	h1 := Period{2024, 1}
	s := NewSchedule(h1, []Deadline{
		{Unit: "galutu", Period: h1, Due: Date{2024, 6, 20}},
		{Unit: "zhao", Period: h1, Due: Date{2024, 6, 15}},
		{Unit: "galutu", Period: h1.Previous(), Due: Date{2023, 12, 1}}, // another half-year
	}, []Reopening{
		{Unit: "galutu", Period: h1, Until: time.Date(2024, 6, 25, 18, 0, 0, 0, loc), At: time.Date(2024, 6, 22, 9, 0, 0, 0, loc)},
		{Unit: "galutu", Period: h1, Until: time.Date(2024, 6, 23, 18, 0, 0, 0, loc), At: time.Date(2024, 6, 21, 9, 0, 0, 0, loc)}, // older
	})
	for _, tc := range []struct {
		unit UnitID
		due  Date
		from UnitID
	}{
		{"galutu", Date{2024, 6, 20}, "galutu"},
		{"bayan", Date{2024, 6, 20}, "galutu"}, // inherits its township's
		{"zhao", Date{2024, 6, 15}, "zhao"},    // its own
		{"wushen", Date{2024, 6, 25}, ""},      // the default
		{"ghost", Date{2024, 6, 25}, ""},
	} {
		if due, from := s.Due(tr, tc.unit); due != tc.due || from != tc.from {
			t.Errorf("Due(%s) = %v from %q, want %v from %q", tc.unit, due, from, tc.due, tc.from)
		}
	}
	if got := DefaultDue(Period{2024, 2}); got != (Date{2024, 12, 20}) {
		t.Errorf("DefaultDue(H2) = %v", got)
	}
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2024, m, d, h, min, 0, 0, loc) }
	for _, tc := range []struct {
		unit UnitID
		now  time.Time
		open bool
	}{
		{"bayan", at(6, 20, 23, 59), true}, // the whole deadline day
		{"bayan", at(6, 21, 0, 0), false},  // closed the day after
		{"bayan", at(6, 22, 10, 0), true},  // reopened at the township (the latest reopening counts)
		{"bayan", at(6, 25, 18, 0), false}, // until the reopening ends
		{"zhao", at(6, 16, 9, 0), false},   // its own deadline has passed
		{"zhao", at(6, 23, 9, 0), true},    // and its township reopened since
		{"aral", at(6, 25, 23, 0), true},   // the default deadline
		{"aral", at(6, 26, 0, 30), false},
	} {
		if got := s.Open(tr, tc.unit, tc.now, loc); got != tc.open {
			t.Errorf("Open(%s, %v) = %v, want %v", tc.unit, tc.now, got, tc.open)
		}
	}
}
