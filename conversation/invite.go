package conversation

import (
	"errors"

	"fieldlog"
	"fieldlog/office"
)

// Inviting: a coordinator or admin picks a role and a unit within their
// scope, and gets a one-time code (office.Invite) and a link to pass on.

const (
	flowInvite = "invite"
	stepRole   = "role"
	stepUnit   = "unit"

	varRole = "role"
)

// startInvite begins an invitation.
func (t *turn) startInvite() error {
	if ok, err := t.startCoordinatorFlow(flowInvite, stepRole); !ok {
		return err
	}
	return t.invitePrompt()
}

// invitePrompt asks the question of the current invitation step.
func (t *turn) invitePrompt() error {
	switch t.conv.Step {
	case stepRole:
		t.show(t.tr("ask_invite_role"), []Button{
			{Text: t.tr("role_officer"), Data: t.flowData("role", string(fieldlog.Officer))},
			{Text: t.tr("role_coordinator"), Data: t.flowData("role", string(fieldlog.Coordinator))},
		}, []Button{t.btnCancel()})
	case stepUnit:
		tree, err := t.units()
		if err != nil {
			return err
		}
		t.show(t.tr("ask_invite_unit", "Role", t.tr("role_"+t.conv.Vars[varRole])), t.pickerButtons(tree)...)
	default:
		t.endFlow()
		t.sayMenu(t.tr("hint_use_menu"))
	}
	return nil
}

// inviteButton handles a button of the invitation flow. Unit ids come
// from the button and are checked against the inviter's scope again.
func (t *turn) inviteButton(action, arg string) error {
	tree, err := t.units()
	if err != nil {
		return err
	}
	switch {
	case t.conv.Step == stepRole && action == "role":
		role := fieldlog.Role(arg)
		if role != fieldlog.Officer && role != fieldlog.Coordinator {
			t.notice(t.tr("stale_button"))
			return t.invitePrompt()
		}
		t.setVar(varRole, string(role))
		t.goTo(stepUnit)
	case t.conv.Step == stepUnit && t.pickerButton(tree, action, arg):
	case t.conv.Step == stepUnit && action == "back":
		t.goTo(stepRole)
	case t.conv.Step == stepUnit && action == "pick" && t.user.MayAct(tree, fieldlog.UnitID(arg)):
		return t.createInvite(fieldlog.Role(t.conv.Vars[varRole]), fieldlog.UnitID(arg), tree)
	default:
		t.notice(t.tr("not_allowed"))
	}
	return t.invitePrompt()
}

// createInvite has the office store a new invitation, and shows its code
// and link.
func (t *turn) createInvite(role fieldlog.Role, unit fieldlog.UnitID, tree *fieldlog.Tree) error {
	inv, err := t.e.office.Invite(t.ctx, t.user, role, unit)
	switch {
	case errors.As(err, new(*office.InvalidError)):
		t.goTo(stepRole)
		return t.invitePrompt()
	case errors.Is(err, office.ErrForbidden):
		t.notice(t.tr("not_allowed"))
		return t.invitePrompt()
	case err != nil:
		return err
	}
	t.endFlow()
	link := "https://t.me/" + t.e.botName + "?start=" + inv.Code
	t.show(t.tr("invite_created",
		"Role", t.tr("role_"+string(role)),
		"Unit", tree.Name(unit, t.lang),
		"Code", inv.Code,
		"Link", link,
		"Expires", t.formatDate(fieldlog.DateOf(inv.ExpiresAt, t.e.loc))))
	return nil
}
