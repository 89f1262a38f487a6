package parse

import (
	"errors"
	"testing"

	"fieldlog"
)

// Misreadings a review found with the real parser and the default
// catalogue, read on corpusToday (Thursday 2024-06-20). Each table is one
// fix; the cases failed before it.

// 下周五 names a day to come: refused as in the future, not read as last
// Friday, and not left in the title as 下.
func TestActivityNextWeekIsFuture(t *testing.T) {
	k := testKnowledge(t)
	for _, s := range []string{
		"下周五开展政策宣讲，80人参加",
		"下个周五开展政策宣讲，80人参加",
		"下星期五开展政策宣讲，80人参加",
	} {
		r := Activity(s, k)
		if r.HasDate || !errors.Is(r.DateProblem, ErrFutureDate) {
			t.Errorf("%s: date %v %v (%v), want refused as future", s, r.HasDate, r.Date, r.DateProblem)
		}
		if r.Title != "开展政策宣讲" {
			t.Errorf("%s: title %q, want 开展政策宣讲", s, r.Title)
		}
	}
}

// day is a date of the calendar, for the tables.
var _ = fieldlog.Date{}
