package office

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fieldlog"
)

// ClosedError is the refusal of a change to a record of a half-year that
// is closed: its deadline passed and nobody reopened it.
type ClosedError struct {
	Unit   fieldlog.UnitID
	Period fieldlog.Period
	// Due is the deadline that passed.
	Due fieldlog.Date
	// Reopeners are the coordinators nearest above the unit, who may
	// reopen it; none means any coordinator above it, or an admin.
	Reopeners []fieldlog.User
}

func (e *ClosedError) Error() string {
	return fmt.Sprintf("%s of unit %s closed on %s", e.Period, e.Unit, e.Due)
}

// Closed returns a *ClosedError when records of unit dated d may no longer
// change, and nil when they may.
func (o *Office) Closed(ctx context.Context, unit fieldlog.UnitID, d fieldlog.Date) error {
	tree, err := o.Tree(ctx)
	if err != nil {
		return err
	}
	p := fieldlog.PeriodOf(d)
	sched, err := o.Schedule(ctx, p)
	if err != nil {
		return err
	}
	if sched.Open(tree, unit, o.now(), o.loc) {
		return nil
	}
	due, _ := sched.Due(tree, unit)
	who, err := o.reopeners(ctx, tree, unit)
	if err != nil {
		return err
	}
	return &ClosedError{Unit: unit, Period: p, Due: due, Reopeners: who}
}

// reopeners are the coordinators nearest above unit (its own first), in
// name order.
func (o *Office) reopeners(ctx context.Context, tree *fieldlog.Tree, unit fieldlog.UnitID) ([]fieldlog.User, error) {
	depth := map[fieldlog.UnitID]int{}
	for id, d := unit, 0; id != "" && d <= tree.Len(); d++ {
		depth[id] = d
		u, ok := tree.Unit(id)
		if !ok {
			break
		}
		id = u.ParentID
	}
	best := -1
	var who []fieldlog.User
	err := o.store.EachUser(ctx, func(u fieldlog.User) error {
		d, ok := depth[u.UnitID]
		if u.Role != fieldlog.Coordinator || !ok || (best >= 0 && d > best) {
			return nil
		}
		if d < best || best < 0 {
			best, who = d, nil
		}
		who = append(who, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find coordinators: %w", err)
	}
	slices.SortFunc(who, func(a, b fieldlog.User) int { return strings.Compare(a.Name, b.Name) })
	return who, nil
}
