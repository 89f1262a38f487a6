package fieldlog

import (
	"context"
	"time"
)

// Deadlines of the half-year report, and the locking of a unit's half-year
// after its deadline.

// DefaultDue is a half-year's deadline where no unit above has set one:
// 25 June for the first half, 20 December for the second.
func DefaultDue(p Period) Date {
	if p.Half == 1 {
		return Date{p.Year, time.June, 25}
	}
	return Date{p.Year, time.December, 20}
}

// Deadline is the day a unit's report of a half-year is due, as a
// coordinator or admin set it. Its units below inherit it unless they have
// their own.
type Deadline struct {
	Unit   UnitID
	Period Period
	Due    Date
	SetBy  int64
	SetAt  time.Time
}

// Reopening lets the reporters of a unit and of the units below it change
// the records of a closed half-year again, until Until.
type Reopening struct {
	Unit   UnitID
	Period Period
	Until  time.Time
	By     int64
	At     time.Time
}

// Schedule is what decides, for one half-year, when each unit's records
// close: the deadlines units set and the reopenings coordinators granted.
type Schedule struct {
	Period     Period
	Deadlines  map[UnitID]Deadline
	Reopenings map[UnitID]Reopening // the latest of each unit
}

// NewSchedule indexes the deadlines and reopenings of p; of several
// reopenings of one unit the latest granted counts.
func NewSchedule(p Period, ds []Deadline, rs []Reopening) Schedule {
	s := Schedule{Period: p, Deadlines: map[UnitID]Deadline{}, Reopenings: map[UnitID]Reopening{}}
	for _, d := range ds {
		if d.Period == p {
			s.Deadlines[d.Unit] = d
		}
	}
	for _, r := range rs {
		if cur, ok := s.Reopenings[r.Unit]; r.Period == p && (!ok || cur.At.Before(r.At)) {
			s.Reopenings[r.Unit] = r
		}
	}
	return s
}

// Due is the deadline in force for unit: its own, else its nearest
// ancestor's, else the default. from is the unit that set it ("" for the
// default).
func (s Schedule) Due(t *Tree, unit UnitID) (due Date, from UnitID) {
	for id, seen := unit, 0; id != "" && seen <= t.Len(); seen++ {
		if d, ok := s.Deadlines[id]; ok {
			return d.Due, id
		}
		u, ok := t.Unit(id)
		if !ok {
			break
		}
		id = u.ParentID
	}
	return DefaultDue(s.Period), ""
}

// ReopenedUntil is until when unit's records are open again at now after
// its deadline: the reopening in force of the unit or of a unit above it
// that ends last; zero if none.
func (s Schedule) ReopenedUntil(t *Tree, unit UnitID, now time.Time) time.Time {
	var until time.Time
	for id, seen := unit, 0; id != "" && seen <= t.Len(); seen++ {
		if r, ok := s.Reopenings[id]; ok && !now.Before(r.At) && r.Until.After(until) {
			until = r.Until
		}
		u, ok := t.Unit(id)
		if !ok {
			break
		}
		id = u.ParentID
	}
	return until
}

// Open reports whether records of unit's half-year may still be added,
// changed or deleted at now: until the end of its deadline day, in loc,
// or while a reopening lasts.
func (s Schedule) Open(t *Tree, unit UnitID, now time.Time, loc *time.Location) bool {
	due, _ := s.Due(t, unit)
	if !due.Before(DateOf(now, loc)) {
		return true
	}
	return now.Before(s.ReopenedUntil(t, unit, now))
}

// Calendar stores deadlines and reopenings. Both are kept as history: a
// deadline set again replaces the one in force, and every reopening stays
// on record with who granted it and when.
type Calendar interface {
	// SetDeadline stores d as the deadline in force for its unit and
	// period, and keeps it on record.
	SetDeadline(ctx context.Context, d Deadline) error
	// Reopen keeps r on record; the latest reopening of a unit counts.
	Reopen(ctx context.Context, r Reopening) error
	// Schedule returns the deadlines and reopenings of p.
	Schedule(ctx context.Context, p Period) (Schedule, error)
}
