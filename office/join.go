package office

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fieldlog"
)

// Joining: an invitation code gives a person their role and unit. On
// Telegram they are the user of their Telegram id; on the web page, a
// person without Telegram becomes a user of an id of the project's own
// (NewWebUserID).

// Limits on guessing codes: MaxCodeTries wrong codes in CodeTriesWindow,
// per user and, on the web, per address.
const (
	MaxCodeTries    = 5
	CodeTriesWindow = time.Hour
)

// Kinds of counted tries.
const (
	triesInvite = "invite"
)

// ErrAlreadyJoined is the refusal of a code by someone who has a role.
var ErrAlreadyJoined = errors.New("already joined")

// ErrTooManyTries is the refusal of a code after MaxCodeTries wrong ones
// within CodeTriesWindow.
var ErrTooManyTries = errors.New("too many wrong codes")

// WrongCodeError is the refusal of a code that names no usable invitation.
type WrongCodeError struct {
	// Left is how many tries remain within the window.
	Left int
}

func (e *WrongCodeError) Error() string { return fmt.Sprintf("no such code (%d tries left)", e.Left) }

// FirstWebUserID is the first user id of the project's own
// (fieldlog.FirstOwnUserID).
const FirstWebUserID = fieldlog.FirstOwnUserID

// NewWebUserID returns a new random id of the project's own, from
// FirstWebUserID up: random rather than counted, so that no store holds a
// counter and nobody can guess another's.
func NewWebUserID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24
	return FirstWebUserID + int64(binary.BigEndian.Uint64(b[:])>>2)%(int64(1)<<62-FirstWebUserID)
}

// IsWebUserID reports whether id is of the project's own (a user who
// joined on the web page) rather than a Telegram account's.
func IsWebUserID(id int64) bool { return id >= FirstWebUserID }

// Join lets u in with code (case and spaces do not matter): u takes the
// code's role and unit and is stored, u as stored, without the role an
// admin has by configuration. Refusals: ErrAlreadyJoined, ErrTooManyTries,
// *WrongCodeError. Wrong codes are counted for u, so that guessing is
// slowed to MaxCodeTries an hour.
func (o *Office) Join(ctx context.Context, u fieldlog.User, code string) (fieldlog.User, fieldlog.Invite, error) {
	if u.Joined() && u.Role != fieldlog.Admin && !o.IsAdmin(u) {
		return u, fieldlog.Invite{}, ErrAlreadyJoined
	}
	now := o.now()
	tries, err := o.store.CountAttempts(ctx, triesInvite, u.ID, now.Add(-CodeTriesWindow))
	if err != nil {
		return u, fieldlog.Invite{}, fmt.Errorf("count code tries of %d: %w", u.ID, err)
	}
	if tries >= MaxCodeTries {
		return u, fieldlog.Invite{}, ErrTooManyTries
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	inv, err := o.store.RedeemInvite(ctx, code, u.ID, now)
	if errors.Is(err, fieldlog.ErrNotFound) {
		if err := o.store.RecordAttempt(ctx, triesInvite, u.ID, now); err != nil {
			return u, fieldlog.Invite{}, fmt.Errorf("record code try of %d: %w", u.ID, err)
		}
		return u, fieldlog.Invite{}, &WrongCodeError{Left: MaxCodeTries - tries - 1}
	}
	if err != nil {
		return u, fieldlog.Invite{}, fmt.Errorf("redeem invitation: %w", err)
	}
	oldRole, oldUnit := u.Role, u.UnitID
	u.Role, u.UnitID, u.JoinedAt = inv.Role, inv.UnitID, now
	if err := o.store.SaveUser(ctx, u); err != nil {
		return u, inv, fmt.Errorf("save joined user %d: %w", u.ID, err)
	}
	o.audit(ctx, u, fieldlog.ActionUserJoin, fieldlog.UserSubject(u.ID), []fieldlog.FieldChange{
		{Field: fieldlog.FieldRole, Old: string(oldRole), New: string(inv.Role)},
		{Field: fieldlog.FieldUnit, Old: string(oldUnit), New: string(inv.UnitID)},
		{Field: fieldlog.FieldInvite, New: inv.Code},
		{Field: fieldlog.FieldInvitedBy, New: strconv.FormatInt(inv.CreatedBy, 10)},
	})
	o.log.Info("user joined", "user", u.ID, "role", inv.Role, "unit", inv.UnitID, "invited_by", inv.CreatedBy)
	return u, inv, nil
}
