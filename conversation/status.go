package conversation

import (
	"fmt"
	"slices"
	"strings"

	"fieldlog"
	"fieldlog/statuschart"
)

// Who is silent: /status shows, for the current half-year, each unit
// directly below the coordinator's with its number of records and the day
// of its last one, silent units first, as a message and a bar chart.

// unitStatus is one row of /status.
type unitStatus struct {
	unit  fieldlog.UnitID
	count int
	last  fieldlog.Date
}

// showStatus sends the status of the user's scope.
func (t *turn) showStatus() error {
	if !t.user.CanCoordinate() {
		t.sayMenu(t.tr("not_allowed"))
		return nil
	}
	tree, err := t.units()
	if err != nil {
		return err
	}
	scope := t.user.UnitID
	if scope == "" && len(tree.Roots()) == 1 {
		scope = tree.Roots()[0] // an admin without a unit sees the banner
	}
	rows, bucket := statusRows(tree, scope)
	if len(rows) == 0 {
		t.sayMenu(t.tr("no_units"))
		return nil
	}
	p := fieldlog.PeriodOf(t.today())
	f := fieldlog.ReportFilter(tree, scope, p)
	if scope == "" && t.user.Role == fieldlog.Admin {
		// An admin without a unit, over a tree of several banners.
		f = fieldlog.ActivityFilter{AllUnits: true, From: p.Start(), To: p.End()}
	}
	total := 0
	err = t.e.store.EachActivity(t.ctx, f, func(a fieldlog.Activity) error {
		i, ok := bucket[a.UnitID]
		if !ok {
			return nil
		}
		total++
		rows[i].count++
		if rows[i].last.Before(a.Date) {
			rows[i].last = a.Date
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("count records for status: %w", err)
	}
	// The scope's own row is there for records logged at its level; when
	// there are none it is not a silent unit to call, so it goes.
	if scope != "" && len(rows) > 1 && rows[0].count == 0 {
		rows = rows[1:]
	}
	// Silent units first, then the least active: they are whom to call.
	slices.SortStableFunc(rows, func(a, b unitStatus) int { return a.count - b.count })

	title := t.tr("status_title", "Unit", t.scopeName(tree, scope), "Period", t.periodName(p))
	lines := []string{title}
	chart := statuschart.Chart{Title: title, More: func(n int) string { return t.tr("status_more", "N", n) }}
	silent := 0
	for _, r := range rows {
		name := t.scopeName(tree, r.unit)
		bar := statuschart.Bar{Label: name, Value: r.count, Silent: r.count == 0}
		if r.unit == scope && scope != "" && len(tree.Children(scope)) > 0 {
			// The scope's own records: marked, and drawn apart from its
			// units' bars, since a township's own count dwarfs a village's.
			bar.Marker, bar.Own = t.tr("status_own_mark"), true
			name += bar.Marker
		}
		last := ""
		if r.count > 0 {
			last = t.formatDate(r.last)
		} else {
			silent++
		}
		line := t.tr("status_line", "Unit", name, "Count", r.count, "Last", last)
		if r.count == 0 {
			line = "⚠️ " + line
		}
		lines = append(lines, line)
		bar.Note = last
		chart.Bars = append(chart.Bars, bar)
	}
	summary := t.tr("status_summary", "Total", total, "Silent", silent)
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

// statusRows lists the units a status shows — the children of scope (the
// roots when scope is empty), plus scope itself for records logged at its
// own level — and maps every unit of the subtree to its row.
func statusRows(tree *fieldlog.Tree, scope fieldlog.UnitID) ([]unitStatus, map[fieldlog.UnitID]int) {
	children := tree.Roots()
	if scope != "" {
		children = tree.Children(scope)
	}
	var rows []unitStatus
	bucket := map[fieldlog.UnitID]int{}
	if scope != "" {
		rows = append(rows, unitStatus{unit: scope})
		bucket[scope] = 0
	}
	for _, c := range children {
		for _, u := range tree.Subtree(c) {
			bucket[u] = len(rows)
		}
		rows = append(rows, unitStatus{unit: c})
	}
	return rows, bucket
}

func (t *turn) scopeName(tree *fieldlog.Tree, unit fieldlog.UnitID) string {
	if unit == "" {
		return t.tr("status_all_units")
	}
	return tree.Name(unit, t.lang)
}
