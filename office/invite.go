package office

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"fieldlog"
)

// Invitations: a coordinator or admin gets a one-time code that makes whoever
// redeems it an officer or a coordinator of a unit in their scope.

// FieldRole is the field of an InvalidError for the role of an invitation.
const FieldRole Field = "role"

// ErrNoSuchRole is the error of an InvalidError for a role nobody may be
// invited as: only officers and coordinators are; admins are appointed by
// the deployment's configuration.
var ErrNoSuchRole = errors.New("no role to invite as")

const (
	codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no I, O, 0, 1
	codeLength   = 8
)

// Invite stores a new invitation into unit as role, valid for
// fieldlog.InviteLifetime, and returns it. Only a coordinator or admin who
// may act on unit may (fieldlog.User.MayAct): ErrForbidden otherwise; an
// *InvalidError of FieldRole for a role other than officer or coordinator.
func (o *Office) Invite(ctx context.Context, u fieldlog.User, role fieldlog.Role, unit fieldlog.UnitID) (fieldlog.Invite, error) {
	tree, err := o.Tree(ctx)
	if err != nil {
		return fieldlog.Invite{}, err
	}
	if !u.MayAct(tree, unit) {
		return fieldlog.Invite{}, ErrForbidden
	}
	if role != fieldlog.Officer && role != fieldlog.Coordinator {
		return fieldlog.Invite{}, &InvalidError{FieldRole, ErrNoSuchRole}
	}
	now := o.now()
	inv := fieldlog.Invite{Role: role, UnitID: unit, CreatedBy: u.ID, CreatedAt: now, ExpiresAt: now.Add(fieldlog.InviteLifetime)}
	for range 3 { // a clash of random codes is rare; try again
		inv.Code = newCode()
		if err = o.store.CreateInvite(ctx, inv); !errors.Is(err, fieldlog.ErrDuplicate) {
			break
		}
	}
	if err != nil {
		return inv, fmt.Errorf("create an invitation into %s: %w", unit, err)
	}
	o.audit(ctx, u, fieldlog.ActionInviteCreate, fieldlog.UnitSubject(unit), []fieldlog.FieldChange{
		{Field: fieldlog.FieldInvite, New: inv.Code},
		{Field: fieldlog.FieldRole, New: string(role)},
		{Field: fieldlog.FieldExpires, New: o.auditTime(inv.ExpiresAt)},
	})
	o.log.Info("invitation created", "by", u.ID, "role", role, "unit", unit)
	return inv, nil
}

// newCode returns a random invitation code of unambiguous capitals and
// digits; the alphabet's 32 letters divide 256, so each is equally likely.
func newCode() string {
	b := make([]byte, codeLength)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// auditTime writes a moment for an audit value: RFC 3339 in the
// deployment's zone, as the audit command prints it.
func (o *Office) auditTime(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return at.In(o.loc).Format(time.RFC3339)
}
