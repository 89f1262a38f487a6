package office

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fieldlog"
	"fieldlog/parse"
)

// Deadlines and reopenings: a coordinator or admin sets the day a unit's
// half-year report is due, after which its records close, or reopens a
// closed half-year for some days.

// MaxReopenDays is the longest a reopening lasts, in days.
const MaxReopenDays = 30

// deadlineReach is how far past its half-year a deadline may lie, in days:
// a report may be due some weeks after the half-year ends.
const deadlineReach = 62

// The fields of an InvalidError of a deadline or a reopening.
const (
	FieldDue  Field = "due"
	FieldDays Field = "days"
)

// ErrNotClosed is the refusal to reopen a half-year that is open.
var ErrNotClosed = errors.New("the half-year is not closed")

// ErrDays is the error of an InvalidError for a reopening of fewer than
// one or more than MaxReopenDays days.
var ErrDays = errors.New("days out of range")

// DeadlineRange is the days a deadline of p may be set to: from today to
// some weeks after the half-year ends, or today when those have passed.
func (o *Office) DeadlineRange(p fieldlog.Period) (from, to fieldlog.Date) {
	from, to = o.Today(), p.End().AddDays(deadlineReach)
	if to.Before(from) {
		to = from
	}
	return from, to
}

// SetDeadline sets the deadline of unit's half-year p to due, for the unit
// and the units below it that have none of their own, and returns it.
// Only who may act on unit may (fieldlog.User.MayAct): ErrForbidden
// otherwise; an *InvalidError of FieldDue (parse.ErrPastDate,
// parse.ErrTooLate) for a day outside DeadlineRange.
func (o *Office) SetDeadline(ctx context.Context, u fieldlog.User, unit fieldlog.UnitID, p fieldlog.Period, due fieldlog.Date) (fieldlog.Deadline, error) {
	tree, err := o.Tree(ctx)
	if err != nil {
		return fieldlog.Deadline{}, err
	}
	if !u.MayAct(tree, unit) {
		return fieldlog.Deadline{}, ErrForbidden
	}
	switch from, to := o.DeadlineRange(p); {
	case due.Before(from):
		return fieldlog.Deadline{}, &InvalidError{FieldDue, parse.ErrPastDate}
	case to.Before(due):
		return fieldlog.Deadline{}, &InvalidError{FieldDue, parse.ErrTooLate}
	}
	sched, err := o.Schedule(ctx, p)
	if err != nil {
		return fieldlog.Deadline{}, err
	}
	before, _ := sched.Due(tree, unit)
	d := fieldlog.Deadline{Unit: unit, Period: p, Due: due, SetBy: u.ID, SetAt: o.now()}
	if err := o.store.SetDeadline(ctx, d); err != nil {
		return d, fmt.Errorf("set the deadline of %s %s: %w", unit, p, err)
	}
	o.ForgetSchedule(p)
	o.audit(ctx, u, fieldlog.ActionDeadlineSet, fieldlog.PeriodSubject(unit, p),
		[]fieldlog.FieldChange{{Field: fieldlog.FieldDue, Old: before.String(), New: due.String()}})
	o.log.Info("deadline set", "by", u.ID, "unit", unit, "period", p.String(), "due", due.String())
	return d, nil
}

// Reopen opens unit's closed half-year p, for it and the units below it,
// for days from now, and returns the reopening. Only who may act on unit
// may (fieldlog.User.MayAct): ErrForbidden otherwise; ErrNotClosed when
// it is open; an *InvalidError of FieldDays (ErrDays) for days outside 1
// to MaxReopenDays.
func (o *Office) Reopen(ctx context.Context, u fieldlog.User, unit fieldlog.UnitID, p fieldlog.Period, days int) (fieldlog.Reopening, error) {
	tree, err := o.Tree(ctx)
	if err != nil {
		return fieldlog.Reopening{}, err
	}
	if !u.MayAct(tree, unit) {
		return fieldlog.Reopening{}, ErrForbidden
	}
	if days < 1 || days > MaxReopenDays {
		return fieldlog.Reopening{}, &InvalidError{FieldDays, ErrDays}
	}
	sched, err := o.Schedule(ctx, p)
	if err != nil {
		return fieldlog.Reopening{}, err
	}
	now := o.now()
	if sched.Open(tree, unit, now, o.loc) {
		return fieldlog.Reopening{}, ErrNotClosed
	}
	r := fieldlog.Reopening{Unit: unit, Period: p, Until: now.Add(time.Duration(days) * 24 * time.Hour), By: u.ID, At: now}
	if err := o.store.Reopen(ctx, r); err != nil {
		return r, fmt.Errorf("reopen %s %s: %w", unit, p, err)
	}
	o.ForgetSchedule(p)
	o.audit(ctx, u, fieldlog.ActionPeriodReopen, fieldlog.PeriodSubject(unit, p),
		[]fieldlog.FieldChange{{Field: fieldlog.FieldUntil, Old: o.auditTime(sched.ReopenedUntil(tree, unit, now)), New: o.auditTime(r.Until)}})
	o.log.Info("half-year reopened", "by", u.ID, "unit", unit, "period", p.String(), "until", r.Until)
	return r, nil
}
