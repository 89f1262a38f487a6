package reminder

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fieldlog"
	"fieldlog/conversation"
)

// wave is what a day's reminders are planned from: the unit tree, the
// deadlines of the half-years whose reports may be due (this one, and the
// last, whose deadline may come after it ended), and counts of records per
// reporter and per unit. It holds no users.
type wave struct {
	s       *Scheduler
	day     fieldlog.Date
	tree    *fieldlog.Tree
	periods []fieldlog.Period
	scheds  map[fieldlog.Period]fieldlog.Schedule
	// reporters and units count records per half-year; last is the day
	// each reporter last logged.
	reporters map[int64]map[fieldlog.Period]int
	last      map[int64]fieldlog.Date
	units     map[fieldlog.Period]map[fieldlog.UnitID]int
}

// plan reads what today's reminders depend on, in one pass over the
// records of the two half-years.
func (s *Scheduler) plan(ctx context.Context, day fieldlog.Date) (*wave, error) {
	us, err := s.store.AllUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	p := fieldlog.PeriodOf(day)
	w := &wave{s: s, day: day, tree: fieldlog.NewTree(us), periods: []fieldlog.Period{p, p.Previous()},
		scheds: map[fieldlog.Period]fieldlog.Schedule{}, reporters: map[int64]map[fieldlog.Period]int{},
		last: map[int64]fieldlog.Date{}, units: map[fieldlog.Period]map[fieldlog.UnitID]int{}}
	for _, q := range w.periods {
		sc, err := s.store.Schedule(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("read deadlines of %s: %w", q, err)
		}
		w.scheds[q] = sc
		w.units[q] = map[fieldlog.UnitID]int{}
	}
	f := fieldlog.ActivityFilter{AllUnits: true, From: p.Previous().Start(), To: day}
	err = s.store.EachActivity(ctx, f, func(a fieldlog.Activity) error {
		q := fieldlog.PeriodOf(a.Date)
		if w.reporters[a.ReporterID] == nil {
			w.reporters[a.ReporterID] = map[fieldlog.Period]int{}
		}
		w.reporters[a.ReporterID][q]++
		// When they logged, not the day of the activity: logging today
		// what happened last week is logging.
		logged := a.Date
		if !a.LoggedAt.IsZero() {
			logged = fieldlog.DateOf(a.LoggedAt, s.loc)
		}
		if w.last[a.ReporterID].Before(logged) {
			w.last[a.ReporterID] = logged
		}
		if m := w.units[q]; m != nil {
			m[a.UnitID]++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count records for reminders: %w", err)
	}
	return w, nil
}

// daysUntil is how many days from w's day to d.
func (w *wave) daysUntil(d fieldlog.Date) int {
	return int(d.Time(time.UTC).Sub(w.day.Time(time.UTC)).Hours() / 24)
}

// jobsFor lists the messages due to u today.
func (w *wave) jobsFor(u fieldlog.User) []job {
	if u.UnitID == "" || u.ChatID == 0 || u.Blocked {
		return nil
	}
	var jobs []job
	deadlineWeek := false
	for _, q := range w.periods {
		due, _ := w.scheds[q].Due(w.tree, u.UnitID)
		off := w.daysUntil(due)
		if off >= 0 && off <= quietWeek {
			deadlineWeek = true
		}
		switch {
		case u.Role == fieldlog.Officer && offsets[off]:
			if w.last[u.ID].Before(w.day.AddDays(-recentDays)) || w.last[u.ID].IsZero() {
				jobs = append(jobs, w.dueJob(u, q, due, off))
			}
		case u.Role == fieldlog.Coordinator && offsets[off]:
			jobs = append(jobs, w.digestJob(u, q, due, off))
		case u.Role == fieldlog.Coordinator && off == 0:
			jobs = append(jobs, w.finalJob(u, q, due))
		}
	}
	if u.Role == fieldlog.Officer && !deadlineWeek && w.silent(u) {
		jobs = append(jobs, w.nudgeJob(u))
	}
	return jobs
}

// silent reports whether u has logged nothing for silentDays (counting
// from when they joined, for one who never logged).
func (w *wave) silent(u fieldlog.User) bool {
	since := w.last[u.ID]
	if since.IsZero() {
		if u.JoinedAt.IsZero() {
			return false
		}
		since = fieldlog.DateOf(u.JoinedAt, w.s.loc)
	}
	return !w.day.AddDays(-silentDays).Before(since)
}

// stillDue reports whether u's deadline of q is still due, the user as
// they are when the message is sent: the deadline may have changed since
// the plan, or the user moved to another unit.
func (w *wave) stillDue(ctx context.Context, u fieldlog.User, q fieldlog.Period, due fieldlog.Date) (bool, error) {
	sc, err := w.s.store.Schedule(ctx, q)
	if err != nil {
		return false, err
	}
	now, _ := sc.Due(w.tree, u.UnitID)
	return now == due, nil
}

func (w *wave) tr(l fieldlog.Lang, id string, kv ...any) string { return w.s.msgs.Textf(l, id, kv...) }

func (w *wave) date(l fieldlog.Lang, d fieldlog.Date) string { return w.s.msgs.Date(l, d) }

func (w *wave) period(l fieldlog.Lang, q fieldlog.Period) string { return w.s.msgs.Period(l, q) }

func goButton(label, cmd string) conversation.Button {
	return conversation.Button{Text: label, Data: "go|" + cmd}
}

// dueJob reminds an officer of their unit's deadline.
func (w *wave) dueJob(u fieldlog.User, q fieldlog.Period, due fieldlog.Date, off int) job {
	return job{key: key("due", q.String(), due.String(), itoa(int64(off)), itoa(u.ID)), user: u, kind: "due",
		check: func(ctx context.Context, u fieldlog.User) (conversation.Reply, bool, error) {
			if ok, err := w.stillDue(ctx, u, q, due); !ok || err != nil {
				return conversation.Reply{}, false, err
			}
			l := u.Language()
			n := w.reporters[u.ID][q]
			text := w.tr(l, "reminder_due", "Period", w.period(l, q), "Days", off, "Date", w.date(l, due), "Count", n)
			if n == 0 {
				text = w.tr(l, "reminder_due_none", "Period", w.period(l, q), "Days", off, "Date", w.date(l, due))
			}
			return conversation.Reply{Text: text, Buttons: [][]conversation.Button{{goButton(w.tr(l, "btn_log_now"), "log")}}}, true, nil
		}}
}

// unitCount is the records of q in the subtree of unit.
func (w *wave) unitCount(q fieldlog.Period, unit fieldlog.UnitID) int {
	n := 0
	for _, id := range w.tree.Subtree(unit) {
		n += w.units[q][id]
	}
	return n
}

// maxDigestLines bounds the units a digest names; the rest are counted.
const maxDigestLines = 40

// digestLines names the units below unit that are silent or thin in q.
func (w *wave) digestLines(l fieldlog.Lang, q fieldlog.Period, unit fieldlog.UnitID) (lines []string, silent int) {
	more := 0
	for _, c := range w.tree.Children(unit) {
		n := w.unitCount(q, c)
		if n == 0 {
			silent++
		}
		if n >= thin {
			continue
		}
		if len(lines) == maxDigestLines {
			more++
			continue
		}
		if n == 0 {
			lines = append(lines, w.tr(l, "digest_silent", "Unit", w.tree.Name(c, l)))
		} else {
			lines = append(lines, w.tr(l, "digest_thin", "Unit", w.tree.Name(c, l), "Count", n))
		}
	}
	if more > 0 {
		lines = append(lines, w.tr(l, "status_more", "N", more))
	}
	return lines, silent
}

func (w *wave) coordinatorButtons(l fieldlog.Lang) [][]conversation.Button {
	return [][]conversation.Button{{goButton(w.tr(l, "menu_status"), "status"), goButton(w.tr(l, "menu_report"), "report")}}
}

// digestJob tells a coordinator, in one message, which units below them
// are silent or thin.
func (w *wave) digestJob(u fieldlog.User, q fieldlog.Period, due fieldlog.Date, off int) job {
	return job{key: key("digest", q.String(), due.String(), itoa(int64(off)), itoa(u.ID)), user: u, kind: "digest",
		check: func(ctx context.Context, u fieldlog.User) (conversation.Reply, bool, error) {
			if ok, err := w.stillDue(ctx, u, q, due); !ok || err != nil {
				return conversation.Reply{}, false, err
			}
			if len(w.tree.Children(u.UnitID)) == 0 {
				return conversation.Reply{}, false, nil
			}
			l := u.Language()
			lines, _ := w.digestLines(l, q, u.UnitID)
			list := w.tr(l, "digest_all_active")
			if len(lines) > 0 {
				list = strings.Join(lines, "\n")
			}
			text := w.tr(l, "digest", "Period", w.period(l, q), "Date", w.date(l, due), "Days", off,
				"Unit", w.tree.Name(u.UnitID, l), "List", list)
			return conversation.Reply{Text: text, Buttons: w.coordinatorButtons(l)}, true, nil
		}}
}

// finalJob sums up a coordinator's half-year on the deadline day.
func (w *wave) finalJob(u fieldlog.User, q fieldlog.Period, due fieldlog.Date) job {
	return job{key: key("final", q.String(), due.String(), itoa(u.ID)), user: u, kind: "final",
		check: func(ctx context.Context, u fieldlog.User) (conversation.Reply, bool, error) {
			if ok, err := w.stillDue(ctx, u, q, due); !ok || err != nil {
				return conversation.Reply{}, false, err
			}
			l := u.Language()
			lines, silent := w.digestLines(l, q, u.UnitID)
			text := w.tr(l, "digest_final", "Period", w.period(l, q), "Date", w.date(l, due), "Unit", w.tree.Name(u.UnitID, l),
				"Total", w.unitCount(q, u.UnitID), "Silent", silent)
			if len(lines) > 0 {
				text += "\n" + strings.Join(lines, "\n")
			}
			return conversation.Reply{Text: text, Buttons: w.coordinatorButtons(l)}, true, nil
		}}
}

// nudgeJob reminds an officer silent for a month, at most once a month.
func (w *wave) nudgeJob(u fieldlog.User) job {
	month := fmt.Sprintf("%04d-%02d", w.day.Year, w.day.Month)
	return job{key: key("nudge", month, itoa(u.ID)), user: u, kind: "nudge",
		check: func(ctx context.Context, u fieldlog.User) (conversation.Reply, bool, error) {
			l := u.Language()
			// Days since they last logged, or since they joined.
			since := w.last[u.ID]
			if since.IsZero() {
				since = fieldlog.DateOf(u.JoinedAt, w.s.loc)
			}
			days := -w.daysUntil(since)
			return conversation.Reply{Text: w.tr(l, "nudge", "Days", days),
				Buttons: [][]conversation.Button{{goButton(w.tr(l, "btn_log_now"), "log")}}}, true, nil
		}}
}
