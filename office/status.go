package office

import (
	"context"
	"fmt"
	"slices"

	"fieldlog"
)

// Who is silent: for a coordinator's subtree and a half-year, each unit
// directly below with its number of records and the day of its last one.

// Status is who is silent in a subtree over a half-year.
type Status struct {
	// Scope is the unit whose subtree it covers; "" covers every unit (an
	// admin without a unit, over a tree of several banners).
	Scope  fieldlog.UnitID
	Period fieldlog.Period
	// Units are the units directly below Scope (the roots when it is
	// empty), and Scope itself when records were logged at its own level:
	// silent units first, then the least active, since they are whom to
	// call. None when there are no units to show.
	Units []UnitStatus
	// Records counts every record of the subtree in the half-year.
	Records int
}

// UnitStatus is one unit of a Status.
type UnitStatus struct {
	Unit fieldlog.UnitID
	// Records counts the records of the unit and of every unit below it;
	// Last is the day of the latest, zero when there is none.
	Records int
	Last    fieldlog.Date
	// Own marks the row of Scope's own records, apart from its units'.
	Own bool
}

// Silent reports whether the unit logged nothing.
func (s UnitStatus) Silent() bool { return s.Records == 0 }

// Status is who is silent in u's subtree over p: a coordinator's unit, or
// for an admin without a unit the tree's one root (every unit when there
// are several). Only coordinators and admins may; ErrForbidden otherwise.
func (o *Office) Status(ctx context.Context, u fieldlog.User, p fieldlog.Period) (Status, error) {
	if !u.CanCoordinate() {
		return Status{}, ErrForbidden
	}
	tree, err := o.Tree(ctx)
	if err != nil {
		return Status{}, err
	}
	scope := u.UnitID
	if scope == "" && len(tree.Roots()) == 1 {
		scope = tree.Roots()[0]
	}
	st := Status{Scope: scope, Period: p}
	rows, bucket := statusRows(tree, scope)
	if len(rows) == 0 {
		return st, nil
	}
	f := fieldlog.ReportFilter(tree, scope, p)
	if scope == "" && u.Role == fieldlog.Admin {
		f = fieldlog.ActivityFilter{AllUnits: true, From: p.Start(), To: p.End()}
	}
	err = o.store.EachActivity(ctx, f, func(a fieldlog.Activity) error {
		i, ok := bucket[a.UnitID]
		if !ok {
			return nil
		}
		st.Records++
		rows[i].Records++
		if rows[i].Last.Before(a.Date) {
			rows[i].Last = a.Date
		}
		return nil
	})
	if err != nil {
		return Status{}, fmt.Errorf("count records for the status of %s: %w", scope, err)
	}
	// The scope's own row is there for records logged at its level; when
	// there are none it is not a silent unit to call, so it goes.
	if scope != "" && len(rows) > 1 && rows[0].Records == 0 {
		rows = rows[1:]
	}
	slices.SortStableFunc(rows, func(a, b UnitStatus) int { return a.Records - b.Records })
	st.Units = rows
	return st, nil
}

// statusRows lists the units a status shows — the children of scope (the
// roots when scope is empty), plus scope itself for records logged at its
// own level — and maps every unit of the subtree to its row.
func statusRows(tree *fieldlog.Tree, scope fieldlog.UnitID) ([]UnitStatus, map[fieldlog.UnitID]int) {
	children := tree.Roots()
	if scope != "" {
		children = tree.Children(scope)
	}
	var rows []UnitStatus
	bucket := map[fieldlog.UnitID]int{}
	if scope != "" {
		rows = append(rows, UnitStatus{Unit: scope, Own: len(children) > 0})
		bucket[scope] = 0
	}
	for _, c := range children {
		for _, u := range tree.Subtree(c) {
			bucket[u] = len(rows)
		}
		rows = append(rows, UnitStatus{Unit: c})
	}
	return rows, bucket
}
