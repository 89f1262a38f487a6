package conversation

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fieldlog"
)

// The month calendar of the date step. Its buttons describe themselves
// (f|<flow>|date|day|2024-06-07), so they keep working after a restart.

func monthOf(d fieldlog.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, d.Month) }

// calendar lays out month (YYYY-MM) as rows of buttons, Monday first. Days
// that cannot be chosen (outside the flow's dateRange: an activity in the
// future, a deadline in the past) show as a dot and do nothing.
func (t *turn) calendar(month string) [][]Button {
	first, err := fieldlog.ParseISODate(month + "-01")
	if err != nil {
		first = fieldlog.Date{Year: t.today().Year, Month: t.today().Month, Day: 1}
	}
	earliest, latest := t.dateRange()
	noop := data("noop")

	prev := Button{Text: " ", Data: noop}
	if p := first.AddDays(-1); !p.Before(earliest) {
		prev = Button{Text: "‹", Data: t.flowData("cal", monthOf(p))}
	}
	next := Button{Text: " ", Data: noop}
	if n := first.AddDays(32); !latest.Before(fieldlog.Date{Year: n.Year, Month: n.Month, Day: 1}) {
		next = Button{Text: "›", Data: t.flowData("cal", monthOf(n))}
	}
	out := [][]Button{{prev, {Text: t.tr("calendar_month", "Y", first.Year, "M", int(first.Month)), Data: noop}, next}}

	var head []Button
	for _, w := range strings.Fields(t.tr("weekdays")) {
		head = append(head, Button{Text: w, Data: noop})
	}
	if len(head) == 7 {
		out = append(out, head)
	}

	// time.Weekday counts from Sunday; the calendar starts on Monday.
	lead := (int(first.Time(time.UTC).Weekday()) + 6) % 7
	var week []Button
	for i := 0; i < lead; i++ {
		week = append(week, Button{Text: " ", Data: noop})
	}
	for d := first; d.Month == first.Month; d = d.AddDays(1) {
		b := Button{Text: "·", Data: noop}
		if !latest.Before(d) && !d.Before(earliest) {
			b = Button{Text: strconv.Itoa(d.Day), Data: t.flowData("day", d.String())}
		}
		week = append(week, b)
		if len(week) == 7 {
			out = append(out, week)
			week = nil
		}
	}
	if len(week) > 0 {
		for len(week) < 7 {
			week = append(week, Button{Text: " ", Data: noop})
		}
		out = append(out, week)
	}
	return append(out, []Button{t.btnBack(), t.btnCancel()})
}
