package office_test

import (
	"context"
	"errors"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

// Invitations into a unit come from who may act on it, as an officer or a
// coordinator only; each is stored and audited.
func TestWhoMayInvite(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, u := range []fieldlog.User{officer, otherCoord, admin} {
		if _, err := w.office.Invite(ctx, u, fieldlog.Officer, "v1"); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s invites into v1: %v", u.Name, err)
		}
	}
	if _, err := w.office.Invite(ctx, coord, fieldlog.Officer, "nowhere"); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("an invitation into a unit not in the tree: %v", err)
	}
	for _, role := range []fieldlog.Role{fieldlog.Admin, "", "forged"} {
		var invalid *office.InvalidError
		if _, err := w.office.Invite(ctx, coord, role, "v1"); !errors.As(err, &invalid) || invalid.Field != office.FieldRole {
			t.Errorf("an invitation as %q: %v", role, err)
		}
	}
	if es, _ := w.store.AuditOf(ctx, fieldlog.UnitSubject("v1"), 0); len(es) != 0 {
		t.Errorf("refused invitations audited: %+v", es)
	}

	inv, err := w.office.Invite(ctx, coord, fieldlog.Officer, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Code) != 8 || inv.UnitID != "v1" || inv.CreatedBy != coord.ID || !inv.ExpiresAt.Equal(now.Add(fieldlog.InviteLifetime)) {
		t.Errorf("invitation %+v", inv)
	}
	if got, err := w.store.RedeemInvite(ctx, inv.Code, 42, now); err != nil || got.Role != fieldlog.Officer || got.UnitID != "v1" {
		t.Errorf("redeemed %+v %v", got, err)
	}
	es, _ := w.store.AuditOf(ctx, fieldlog.UnitSubject("v1"), 0)
	if len(es) != 1 || es[0].Action != fieldlog.ActionInviteCreate || es[0].Actor != coord.ID || es[0].Changes[0].New != inv.Code {
		t.Errorf("audit %+v", es)
	}
	// An admin by configuration invites a coordinator anywhere.
	if inv, err := w.office.Invite(ctx, w.office.Acting(admin), fieldlog.Coordinator, "town2"); err != nil || inv.Role != fieldlog.Coordinator {
		t.Errorf("an admin invites: %+v %v", inv, err)
	}
}
