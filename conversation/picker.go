package conversation

import (
	"fieldlog"
)

// The unit picker walks the organisation tree within the user's scope:
// "✓ <unit>" picks the unit shown, "<child> ›" opens a child, "‹" goes up.
// Every flow that asks for a unit uses it; unit ids come back from buttons
// and are checked against the scope again.

const varAt = "at" // the unit whose children the picker shows; "" = the roots

// startCoordinatorFlow starts a flow that needs a coordinator and the unit
// tree, with the picker at the top of the user's scope. When it cannot
// start, the user has been told why and ok is false.
func (t *turn) startCoordinatorFlow(flow, step string) (ok bool, err error) {
	if !t.user.CanCoordinate() {
		t.sayMenu(t.tr("not_allowed"))
		return false, nil
	}
	tree, err := t.units()
	if err != nil {
		return false, err
	}
	if tree.Len() == 0 {
		t.sayMenu(t.tr("no_units"))
		return false, nil
	}
	t.startFlow(flow, step)
	t.pickerStart()
	return true, nil
}

// pickerStart puts the picker at the top of the user's scope.
func (t *turn) pickerStart() { t.setVar(varAt, string(t.user.UnitID)) }

// pickerButtons lays out the picker at its current unit.
func (t *turn) pickerButtons(tree *fieldlog.Tree) [][]Button {
	at := fieldlog.UnitID(t.conv.Vars[varAt])
	children := tree.Roots()
	var buttons [][]Button
	if at != "" {
		children = tree.Children(at)
		buttons = append(buttons, []Button{{Text: "✓ " + tree.Name(at, t.lang), Data: t.flowData("pick", string(at))}})
	}
	var opts []Button
	for _, c := range children {
		if len(tree.Children(c)) > 0 {
			opts = append(opts, Button{Text: tree.Name(c, t.lang) + " ›", Data: t.flowData("open", string(c))})
		} else {
			opts = append(opts, Button{Text: tree.Name(c, t.lang), Data: t.flowData("pick", string(c))})
		}
	}
	buttons = append(buttons, rows(opts, 2)...)
	if at != t.user.UnitID {
		buttons = append(buttons, []Button{{Text: t.tr("btn_up"), Data: t.flowData("up")}})
	}
	return append(buttons, []Button{t.btnBack(), t.btnCancel()})
}

// pickerButton moves the picker for an "open" or "up" button and reports
// whether it was one; "pick" is left to the flow, which asks
// User.MayAct itself.
func (t *turn) pickerButton(tree *fieldlog.Tree, action, arg string) bool {
	switch action {
	case "open":
		if t.user.MayAct(tree, fieldlog.UnitID(arg)) {
			t.setVar(varAt, arg)
		} else {
			t.notice(t.tr("not_allowed"))
		}
		return true
	case "up":
		at := fieldlog.UnitID(t.conv.Vars[varAt])
		if u, ok := tree.Unit(at); ok && at != t.user.UnitID && (u.ParentID == "" || t.user.MayAct(tree, u.ParentID)) {
			t.setVar(varAt, string(u.ParentID))
		}
		return true
	}
	return false
}
