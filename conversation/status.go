package conversation

import (
	"errors"
	"strings"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/statuschart"
)

// Who is silent: /status shows, for the current half-year, each unit
// directly below the coordinator's with its number of records and the day
// of its last one, silent units first (office.Status), as a message and a
// bar chart.

// showStatus sends the status of the user's scope.
func (t *turn) showStatus() error {
	p := fieldlog.PeriodOf(t.today())
	st, err := t.e.office.Status(t.ctx, t.user, p)
	if errors.Is(err, office.ErrForbidden) {
		t.sayMenu(t.tr("not_allowed"))
		return nil
	}
	if err != nil {
		return err
	}
	if len(st.Units) == 0 {
		t.sayMenu(t.tr("no_units"))
		return nil
	}
	tree, err := t.units()
	if err != nil {
		return err
	}
	title := t.tr("status_title", "Unit", t.scopeName(tree, st.Scope), "Period", t.periodName(p))
	lines := []string{title}
	chart := statuschart.Chart{Title: title, More: func(n int) string { return t.tr("status_more", "N", n) }}
	silent := 0
	for _, r := range st.Units {
		name := t.scopeName(tree, r.Unit)
		bar := statuschart.Bar{Label: name, Value: r.Records, Silent: r.Silent()}
		if r.Own {
			// Drawn apart from its units' bars, since a township's own
			// count dwarfs a village's.
			bar.Marker, bar.Own = t.tr("status_own_mark"), true
			name += bar.Marker
		}
		last := ""
		if r.Silent() {
			silent++
		} else {
			last = t.formatDate(r.Last)
		}
		line := t.tr("status_line", "Unit", name, "Count", r.Records, "Last", last)
		if r.Silent() {
			line = "⚠️ " + line
		}
		lines = append(lines, line)
		bar.Note = last
		chart.Bars = append(chart.Bars, bar)
	}
	summary := t.tr("status_summary", "Total", st.Records, "Silent", silent)
	lines = append(lines, "", summary)
	chart.Subtitle = summary
	reply := Reply{Text: strings.Join(lines, "\n")}
	if t.e.charts != nil {
		png, err := t.e.charts.Render(chart)
		if err != nil {
			// The numbers matter more than the picture: send them anyway.
			t.e.log.Error("render status chart", "err", err)
		} else {
			reply.Image = png
		}
	}
	t.resp.Replies = append(t.resp.Replies, reply)
	return nil
}

func (t *turn) scopeName(tree *fieldlog.Tree, unit fieldlog.UnitID) string {
	if unit == "" {
		return t.tr("status_all_units")
	}
	return tree.Name(unit, t.lang)
}
