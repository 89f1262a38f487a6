package fieldlog

// Who may see, change and report what. These rules are written once, here;
// every flow and channel asks them instead of deciding again.

// Sees reports whether the user may read records of unit. Admins see every
// unit; a coordinator sees their subtree; an officer only the records they
// reported themselves (see MayRead).
func (u User) Sees(t *Tree, unit UnitID) bool {
	switch u.Role {
	case Admin:
		return true
	case Coordinator:
		return t.Contains(u.UnitID, unit)
	}
	return false
}

// MayRead reports whether the user may open record a: its reporter may,
// and whoever sees its unit.
func (u User) MayRead(t *Tree, a Activity) bool {
	return (u.Joined() && a.ReporterID == u.ID) || u.Sees(t, a.UnitID)
}

// MayLog reports whether the user may log activities: whoever has joined
// with a unit, since a record counts in its reporter's unit.
func (u User) MayLog() bool { return u.Joined() && u.UnitID != "" }

// MayChange reports whether the user may edit or delete record a: only its
// reporter may, whatever their role, so that nobody's figures are changed
// behind their back.
func (u User) MayChange(a Activity) bool { return u.Joined() && a.ReporterID == u.ID }

// MayAct reports whether a coordinator or admin may act on unit: compile
// its report, write its notes, invite into it, see its status. The unit
// must be in the tree, and in the user's subtree unless they are an admin.
func (u User) MayAct(t *Tree, unit UnitID) bool {
	if _, ok := t.Unit(unit); !ok || !u.CanCoordinate() {
		return false
	}
	return u.Role == Admin || t.Contains(u.UnitID, unit)
}

// MayReport reports whether the user may compile the report of unit: who
// may act on it, and a coordinator their own unit even when it has left
// the tree, whose report then counts nothing (ReportFilter) rather than
// being refused.
func (u User) MayReport(t *Tree, unit UnitID) bool {
	return u.MayAct(t, unit) || (u.CanCoordinate() && unit != "" && unit == u.UnitID)
}

// RecordScope is the filter of every record the user may list besides
// their own: all units for an admin, a coordinator's subtree, and nothing
// for anyone else. A coordinator whose unit has left the tree sees
// nothing.
func (u User) RecordScope(t *Tree) ActivityFilter {
	switch u.Role {
	case Admin:
		return ActivityFilter{AllUnits: true}
	case Coordinator:
		return ActivityFilter{Units: t.Subtree(u.UnitID)}
	}
	return ActivityFilter{}
}

// OwnRecords is the filter of the records the user reported, in whatever
// unit they were logged.
func (u User) OwnRecords() ActivityFilter {
	return ActivityFilter{ReporterID: u.ID, AllUnits: true}
}

// ReportFilter is the filter of the records a report of unit for p counts:
// every unit of its subtree, every day of the half-year. An unknown unit
// gives a filter that matches nothing.
func ReportFilter(t *Tree, unit UnitID, p Period) ActivityFilter {
	return ActivityFilter{Units: t.Subtree(unit), From: p.Start(), To: p.End()}
}

// MayReview reports whether the user may return record a to its reporter
// for checking: a coordinator or admin who sees its unit, and who did not
// report it.
func (u User) MayReview(t *Tree, a Activity) bool {
	return u.CanCoordinate() && u.Sees(t, a.UnitID) && a.ReporterID != u.ID
}

// MaySeeAudit reports whether the user may read the audit trail of what
// people changed: only an admin may.
func (u User) MaySeeAudit() bool { return u.Role == Admin }
