package office_test

import (
	"context"
	"errors"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

func TestJoinWithACode(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	inv := fieldlog.Invite{Code: "ABCD2345", Role: fieldlog.Officer, UnitID: "v2", CreatedBy: coord.ID, CreatedAt: now, ExpiresAt: now.Add(fieldlog.InviteLifetime)}
	if err := w.store.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	newcomer := fieldlog.User{ID: 42, ChatID: 42, Name: "新人", Lang: fieldlog.Chinese}
	// Wrong codes count down to a refusal, even of the right one.
	for left := office.MaxCodeTries - 1; left >= 0; left-- {
		_, _, err := w.office.Join(ctx, newcomer, "WRONG")
		var wrong *office.WrongCodeError
		if !errors.As(err, &wrong) || wrong.Left != left {
			t.Fatalf("a wrong code: %v, want %d tries left", err, left)
		}
	}
	if _, _, err := w.office.Join(ctx, newcomer, "abcd2345"); !errors.Is(err, office.ErrTooManyTries) {
		t.Fatalf("after %d wrong codes: %v", office.MaxCodeTries, err)
	}
	// Another person's tries are their own; the code is read in any case.
	other := fieldlog.User{ID: 43, ChatID: 43, Name: "其他", Lang: fieldlog.Mongolian}
	u, got, err := w.office.Join(ctx, other, " abcd2345 ")
	if err != nil || u.Role != fieldlog.Officer || u.UnitID != "v2" || !u.JoinedAt.Equal(now) || got.Code != inv.Code {
		t.Fatalf("join: %+v %+v %v", u, got, err)
	}
	if stored, _ := w.store.User(ctx, 43); stored.Role != fieldlog.Officer || stored.UnitID != "v2" {
		t.Errorf("stored %+v", stored)
	}
	if es, _ := w.store.AuditOf(ctx, fieldlog.UserSubject(43), 0); len(es) != 1 || es[0].Action != fieldlog.ActionUserJoin {
		t.Errorf("audit %+v", es)
	}
	if _, _, err := w.office.Join(ctx, u, "ANY"); !errors.Is(err, office.ErrAlreadyJoined) {
		t.Errorf("joined twice: %v", err)
	}
	// An admin by configuration may take a code to have a unit of their own.
	inv2 := inv
	inv2.Code = "EFGH6789"
	if err := w.store.CreateInvite(ctx, inv2); err != nil {
		t.Fatal(err)
	}
	if u, _, err := w.office.Join(ctx, admin, "EFGH6789"); err != nil || u.UnitID != "v2" || u.Role != fieldlog.Officer {
		t.Errorf("an admin's join: %+v %v (stored without the configured role)", u, err)
	}
}

// The project's own ids never meet Telegram's, whose user ids have at most
// 52 significant bits.
func TestWebUserIDsAreNoTelegramIDs(t *testing.T) {
	seen := map[int64]bool{}
	for range 10000 {
		id := office.NewWebUserID()
		if !office.IsWebUserID(id) || id < 1<<53 || id < 0 || seen[id] {
			t.Fatalf("id %d", id)
		}
		seen[id] = true
	}
	if office.IsWebUserID(1<<52 - 1) {
		t.Error("a Telegram id taken for the project's own")
	}
}
