package conversation

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
)

// Deadlines: /deadline shows the deadline in force for the user's unit and
// the units below it; a coordinator sets one for a half-year (the half-year,
// the unit, then the day, by the calendar or typed) or reopens a closed
// half-year for some days. After its deadline day a unit's half-year is
// closed: nobody adds, changes or deletes its records until it is reopened.

const (
	flowDeadline = "deadline"
	flowReopen   = "reopen"

	stepDue        = "due"
	stepReopenDays = "days"

	varUnit = "unit" // the unit chosen by a scoped flow

	maxReopenDays = office.MaxReopenDays
)

// reopenChoices are the numbers of days offered as buttons.
var reopenChoices = []int{3, 7, 14}

// showDeadlines answers /deadline: the deadlines in force this half-year
// for the user's unit and the units directly below it.
func (t *turn) showDeadlines() error {
	tree, err := t.units()
	if err != nil {
		return err
	}
	p := fieldlog.PeriodOf(t.today())
	sched, err := t.schedule(p)
	if err != nil {
		return err
	}
	var units []fieldlog.UnitID
	if u := t.user.UnitID; u != "" {
		units = append(units, u)
		if t.user.CanCoordinate() {
			units = append(units, tree.Children(u)...)
		}
	} else {
		units = tree.Roots()
	}
	lines := []string{t.tr("deadline_list", "Period", t.periodName(p))}
	for _, u := range units {
		lines = append(lines, t.deadlineLine(tree, sched, u))
	}
	var buttons [][]Button
	if t.user.CanCoordinate() {
		buttons = append(buttons, []Button{
			{Text: t.tr("btn_set_deadline"), Data: data("dl", "set")},
			{Text: t.tr("btn_reopen"), Data: data("dl", "reopen")},
		})
	}
	t.say(strings.Join(lines, "\n"), buttons...)
	return nil
}

// deadlineLine says a unit's deadline, where it comes from, and whether
// the half-year is reopened.
func (t *turn) deadlineLine(tree *fieldlog.Tree, sched fieldlog.Schedule, unit fieldlog.UnitID) string {
	due, from := sched.Due(tree, unit)
	date := t.formatDate(due)
	var line string
	switch from {
	case unit:
		line = t.tr("deadline_own", "Unit", tree.Name(unit, t.lang), "Date", date)
	case "":
		line = t.tr("deadline_default", "Unit", tree.Name(unit, t.lang), "Date", date)
	default:
		line = t.tr("deadline_inherited", "Unit", tree.Name(unit, t.lang), "Date", date, "From", tree.Name(from, t.lang))
	}
	if until := sched.ReopenedUntil(tree, unit, t.now); !until.IsZero() && t.now.Before(until) && due.Before(t.today()) {
		line += t.tr("deadline_reopened", "Until", t.formatTime(until))
	}
	return line
}

// deadlineButton starts setting or reopening from the buttons under the
// list: dl|set, dl|reopen.
func (t *turn) deadlineButton(what string) error {
	t.in.MessageID = 0 // keep the list; ask below it
	switch what {
	case "set":
		return t.startScoped(flowDeadline)
	case "reopen":
		return t.startScoped(flowReopen)
	}
	t.notice(t.tr("stale_button"))
	return nil
}

// startDeadline asks for the day, once the half-year and the unit are
// chosen.
func (t *turn) startDeadline(unit fieldlog.UnitID, p fieldlog.Period) error {
	t.setVar(varUnit, string(unit))
	t.setVar(varPeriod, p.String())
	due, err := t.dueOf(unit, p)
	if err != nil {
		return err
	}
	from, _ := t.dateRange()
	if from.Before(due) {
		t.setVar(varCalendar, monthOf(due))
	} else {
		t.setVar(varCalendar, monthOf(from))
	}
	t.goTo(stepDue)
	return t.deadlinePrompt()
}

// startReopen asks for the number of days, unless the half-year is open.
func (t *turn) startReopen(unit fieldlog.UnitID, p fieldlog.Period) error {
	t.setVar(varUnit, string(unit))
	t.setVar(varPeriod, p.String())
	tree, err := t.units()
	if err != nil {
		return err
	}
	sched, err := t.schedule(p)
	if err != nil {
		return err
	}
	if sched.Open(tree, unit, t.now, t.e.loc) {
		due, _ := sched.Due(tree, unit)
		t.endFlow()
		t.show(t.tr("reopen_not_closed", "Unit", tree.Name(unit, t.lang), "Period", t.periodName(p), "Date", t.formatDate(due)))
		return nil
	}
	t.goTo(stepReopenDays)
	return t.deadlinePrompt()
}

// deadlinePrompt asks the question of the current step.
func (t *turn) deadlinePrompt() error {
	switch t.conv.Step {
	case stepPeriod, stepUnit:
		return t.scopePrompt()
	case stepDue:
		unit, p := t.scopeOf()
		t.show(t.tr("ask_deadline_date", "Unit", t.unitName(unit), "Period", t.periodName(p)), t.calendar(t.conv.Vars[varCalendar])...)
	case stepReopenDays:
		unit, p := t.scopeOf()
		var days []Button
		for _, n := range reopenChoices {
			days = append(days, Button{Text: t.tr("btn_days", "N", n), Data: t.flowData("days", strconv.Itoa(n))})
		}
		t.show(t.tr("ask_reopen_days", "Unit", t.unitName(unit), "Period", t.periodName(p), "Max", maxReopenDays),
			days, []Button{t.btnBack(), t.btnCancel()})
	}
	return nil
}

// deadlineFlowButton handles a button of the deadline and reopen flows.
func (t *turn) deadlineFlowButton(action, arg string) error {
	switch t.conv.Step {
	case stepPeriod, stepUnit:
		return t.scopeAnswer(action, arg)
	case stepDue:
		switch action {
		case "cal":
			if _, err := fieldlog.ParseISODate(arg + "-01"); err != nil {
				break
			}
			t.setVar(varCalendar, arg)
			return t.deadlinePrompt()
		case "day":
			d, err := fieldlog.ParseISODate(arg)
			if err != nil {
				break
			}
			if from, to := t.dateRange(); d.Before(from) || to.Before(d) {
				// A calendar shown yesterday.
				t.say(t.deadlineDateError(parse.ErrPastDate))
				return t.deadlinePrompt()
			}
			return t.setDeadline(d)
		case "back":
			return t.backToScope()
		}
	case stepReopenDays:
		switch action {
		case "days":
			if n := atoi(arg); n >= 1 && n <= maxReopenDays {
				return t.reopen(n)
			}
		case "back":
			return t.backToScope()
		}
	}
	t.notice(t.tr("stale_button"))
	return t.deadlinePrompt()
}

// deadlineAnswer takes a typed day or number of days.
func (t *turn) deadlineAnswer() error {
	switch t.conv.Step {
	case stepPeriod, stepUnit:
		return t.scopeAnswer("text", t.in.Text)
	case stepDue:
		from, to := t.dateRange()
		d, err := parse.Deadline(t.in.Text, from, to)
		if err != nil {
			t.say(t.deadlineDateError(err))
			return t.deadlinePrompt()
		}
		return t.setDeadline(d)
	case stepReopenDays:
		n, err := parse.Count(t.in.Text)
		if err != nil || n.Value < 1 || n.Value > maxReopenDays || n.Approx {
			t.say(t.tr("reopen_days_bad", "Max", maxReopenDays))
			return t.deadlinePrompt()
		}
		return t.reopen(int(n.Value))
	}
	t.say(t.tr("use_buttons"))
	return t.deadlinePrompt()
}

// backToScope goes back from the day or the days to the choice of unit,
// or of the half-year for a user who does not choose units.
func (t *turn) backToScope() error {
	tree, err := t.units()
	if err != nil {
		return err
	}
	if t.user.Role != fieldlog.Admin && !hasGrandchildren(tree, t.user.UnitID) {
		t.goTo(stepPeriod)
	} else {
		t.goTo(stepUnit)
	}
	return t.scopePrompt()
}

func (t *turn) deadlineDateError(err error) string {
	from, to := t.dateRange()
	switch {
	case errors.Is(err, parse.ErrPastDate):
		return t.tr("deadline_past", "Earliest", t.formatDate(from))
	case errors.Is(err, parse.ErrTooLate):
		return t.tr("deadline_too_late", "Latest", t.formatDate(to))
	case errors.Is(err, parse.ErrImpossibleDate):
		return t.tr("date_impossible") + "\n" + t.tr("date_forms")
	}
	return t.tr("date_not_understood") + "\n" + t.tr("date_forms")
}

// chosenScope is the unit and half-year the flow chose, checked again
// against what the user may act on now (their role may have changed since
// the flow began); ok is false, and the flow over, when they may not.
func (t *turn) chosenScope() (tree *fieldlog.Tree, unit fieldlog.UnitID, p fieldlog.Period, ok bool, err error) {
	unit, p = t.scopeOf()
	if tree, err = t.units(); err != nil {
		return nil, "", p, false, err
	}
	if !t.user.MayAct(tree, unit) {
		t.endFlow()
		t.show(t.tr("not_allowed"))
		return tree, unit, p, false, nil
	}
	return tree, unit, p, true, nil
}

// setDeadline has the office set the day chosen.
func (t *turn) setDeadline(d fieldlog.Date) error {
	tree, unit, p, ok, err := t.chosenScope()
	if !ok {
		return err
	}
	_, err = t.e.office.SetDeadline(t.ctx, t.user, unit, p, d)
	if ok, err := t.deadlineRefused(err); !ok {
		return err
	}
	t.endFlow()
	t.show(t.tr("deadline_set", "Unit", tree.Name(unit, t.lang), "Period", t.periodName(p), "Date", t.formatDate(d)))
	return nil
}

// reopen has the office open the chosen unit's half-year for days from
// now.
func (t *turn) reopen(days int) error {
	tree, unit, p, ok, err := t.chosenScope()
	if !ok {
		return err
	}
	r, err := t.e.office.Reopen(t.ctx, t.user, unit, p, days)
	if errors.Is(err, office.ErrNotClosed) {
		// Reopened by another meanwhile.
		due, err := t.dueOf(unit, p)
		if err != nil {
			return err
		}
		t.endFlow()
		t.show(t.tr("reopen_not_closed", "Unit", tree.Name(unit, t.lang), "Period", t.periodName(p), "Date", t.formatDate(due)))
		return nil
	}
	if ok, err := t.deadlineRefused(err); !ok {
		return err
	}
	t.endFlow()
	t.show(t.tr("reopened", "Unit", tree.Name(unit, t.lang), "Period", t.periodName(p), "Until", t.formatTime(r.Until)))
	return nil
}

// deadlineRefused words the office's refusal of a deadline or a
// reopening, and reports whether there was none (ok).
func (t *turn) deadlineRefused(err error) (ok bool, _ error) {
	var invalid *office.InvalidError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &invalid) && invalid.Field == office.FieldDue:
		t.say(t.deadlineDateError(invalid.Err))
		return false, t.deadlinePrompt()
	case errors.As(err, &invalid):
		t.say(t.tr("reopen_days_bad", "Max", maxReopenDays))
		return false, t.deadlinePrompt()
	case errors.Is(err, office.ErrForbidden):
		t.endFlow()
		t.show(t.tr("not_allowed"))
		return false, nil
	}
	return false, err
}

// scopeOf is the unit and half-year a scoped flow has chosen.
func (t *turn) scopeOf() (fieldlog.UnitID, fieldlog.Period) {
	p, _ := t.chosenPeriod()
	return fieldlog.UnitID(t.conv.Vars[varUnit]), p
}

// dateRange is the days the date step of the current flow accepts: an
// activity from the earliest day to today; a deadline from today to some
// weeks after its half-year.
func (t *turn) dateRange() (from, to fieldlog.Date) {
	if t.conv.Flow == flowDeadline {
		_, p := t.scopeOf()
		return t.e.office.DeadlineRange(p)
	}
	return t.earliest(), t.today()
}

// schedule reads the deadlines and reopenings of p.
func (t *turn) schedule(p fieldlog.Period) (fieldlog.Schedule, error) {
	return t.e.office.Schedule(t.ctx, p)
}

// dueOf is the deadline in force for unit in p.
func (t *turn) dueOf(unit fieldlog.UnitID, p fieldlog.Period) (fieldlog.Date, error) {
	tree, err := t.units()
	if err != nil {
		return fieldlog.Date{}, err
	}
	sched, err := t.schedule(p)
	if err != nil {
		return fieldlog.Date{}, err
	}
	due, _ := sched.Due(tree, unit)
	return due, nil
}

// closed tells whether records of unit dated d may no longer change (the
// office decides). When they may not, why says so and whom to ask.
func (t *turn) closed(unit fieldlog.UnitID, d fieldlog.Date) (closed bool, why string, err error) {
	err = t.e.office.Closed(t.ctx, unit, d)
	var c *office.ClosedError
	if !errors.As(err, &c) {
		return false, "", err
	}
	why, err = t.closedText(c)
	return err == nil, why, err
}

// closedText says that c's half-year is closed, since when, and whom to
// ask to reopen it.
func (t *turn) closedText(c *office.ClosedError) (string, error) {
	tree, err := t.units()
	if err != nil {
		return "", err
	}
	return t.words().Closed(c, tree), nil
}

// formatTime is a moment as users read it: its day and hour, local time.
func (t *turn) formatTime(at time.Time) string {
	at = at.In(t.e.loc)
	return t.tr("time_format", "Date", t.formatDate(fieldlog.DateOf(at, t.e.loc)), "H", at.Hour(), "M", fmt.Sprintf("%02d", at.Minute()))
}
