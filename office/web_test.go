package office_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

func TestSignInLinksAreOneTimeAndGuessingIsSlowed(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.office.NewSignInLink(ctx, w.store, fieldlog.User{ID: 77}); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("a link for someone who has not joined: %v", err)
	}
	token, err := w.office.NewSignInLink(ctx, w.store, officer)
	if err != nil {
		t.Fatal(err)
	}
	u, err := w.office.RedeemSignInLink(ctx, w.store, token, "10.0.0.1")
	if err != nil || u.ID != officer.ID || u.UnitID != "v1" {
		t.Fatalf("redeem: %+v %v", u, err)
	}
	if _, err := w.office.RedeemSignInLink(ctx, w.store, token, "10.0.0.1"); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a link used twice: %v", err)
	}
	// The admin of the configuration signs in as admin.
	tok, _ := w.office.NewSignInLink(ctx, w.store, admin)
	if u, err := w.office.RedeemSignInLink(ctx, w.store, tok, "10.0.0.2"); err != nil || u.Role != fieldlog.Admin {
		t.Errorf("admin: %+v %v", u, err)
	}
	// Wrong tokens from one address are counted: the fifth (one used
	// twice above was the first) says to stop; a valid link still signs
	// in, whoever shares the address.
	fresh, _ := w.office.NewSignInLink(ctx, w.store, officer)
	for i := range office.MaxCodeTries - 2 {
		if _, err := w.office.RedeemSignInLink(ctx, w.store, "guess", "10.0.0.1"); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, err := w.office.RedeemSignInLink(ctx, w.store, "guess", "10.0.0.1"); !errors.Is(err, office.ErrTooManyTries) {
		t.Errorf("the fifth wrong link: %v", err)
	}
	if u, err := w.office.RedeemSignInLink(ctx, w.store, fresh, "10.0.0.1"); err != nil || u.ID != officer.ID {
		t.Errorf("a valid link after others' wrong ones: %+v %v", u, err)
	}
	// Wrong links do not count against invitation codes.
	inv := fieldlog.Invite{Code: "LINK2345", Role: fieldlog.Officer, UnitID: "v2", CreatedBy: coord.ID, CreatedAt: now, ExpiresAt: now.Add(fieldlog.InviteLifetime)}
	if err := w.store.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if _, err := w.office.JoinOnWeb(ctx, w.store, "LINK2345", "10.0.0.1", "新人", fieldlog.Chinese); err != nil {
		t.Errorf("a code from the address of wrong links: %v", err)
	}
}

// A burst of wrong codes at once passes no more than the limit: each is
// counted, tried and recorded in turn.
func TestABurstOfWrongCodesStopsAtTheLimit(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	judged := 0
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.office.JoinOnWeb(ctx, w.store, "NOPE0000", "10.9.9.9", "某", fieldlog.Chinese)
			if errors.As(err, new(*office.WrongCodeError)) {
				mu.Lock()
				judged++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if judged != office.MaxCodeTries {
		t.Errorf("%d of 40 wrong codes at once were tried, want %d", judged, office.MaxCodeTries)
	}
}

func TestJoinOnTheWebWithoutTelegram(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	inv := fieldlog.Invite{Code: "WEB23456", Role: fieldlog.Officer, UnitID: "v2", CreatedBy: coord.ID, CreatedAt: now, ExpiresAt: now.Add(fieldlog.InviteLifetime)}
	if err := w.store.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if _, err := w.office.JoinOnWeb(ctx, w.store, "web23456", "10.0.0.1", " ", fieldlog.Mongolian); !errors.As(err, new(*office.InvalidError)) {
		t.Errorf("no name: %v", err)
	}
	u, err := w.office.JoinOnWeb(ctx, w.store, " web23456 ", "10.0.0.1", "苏和", fieldlog.Mongolian)
	if err != nil || !office.IsWebUserID(u.ID) || u.ChatID != 0 || u.Role != fieldlog.Officer || u.UnitID != "v2" || u.Lang != fieldlog.Mongolian {
		t.Fatalf("joined %+v, %v", u, err)
	}
	if stored, err := w.store.User(ctx, u.ID); err != nil || stored.Name != "苏和" {
		t.Errorf("stored %+v %v", stored, err)
	}
	// The record they log counts in their unit, like anyone's.
	if _, err := w.office.Log(ctx, u, draft("w1", day(2024, 6, 7))); err != nil {
		t.Errorf("a web user logs: %v", err)
	}
	// Guessing: per address…
	for left := office.MaxCodeTries - 1; left >= 0; left-- {
		_, err := w.office.JoinOnWeb(ctx, w.store, "NOPE0000", "10.0.0.5", "某", fieldlog.Chinese)
		var wrong *office.WrongCodeError
		if !errors.As(err, &wrong) || wrong.Left != left {
			t.Fatalf("wrong code: %v, want %d left", err, left)
		}
	}
	if _, err := w.office.JoinOnWeb(ctx, w.store, "OTHER000", "10.0.0.5", "某", fieldlog.Chinese); !errors.Is(err, office.ErrTooManyTries) {
		t.Errorf("the address after too many: %v", err)
	}
	// …and per code, from any address.
	for i := range office.MaxCodeTries - 1 {
		addr := "10.1.0." + string(rune('1'+i))
		if _, err := w.office.JoinOnWeb(ctx, w.store, "ONECODE0", addr, "某", fieldlog.Chinese); !errors.As(err, new(*office.WrongCodeError)) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if _, err := w.office.JoinOnWeb(ctx, w.store, "ONECODE0", "10.2.0.1", "某", fieldlog.Chinese); !errors.As(err, new(*office.WrongCodeError)) {
		t.Fatalf("the fifth try of a code: %v", err)
	}
	if _, err := w.office.JoinOnWeb(ctx, w.store, "ONECODE0", "10.3.0.1", "某", fieldlog.Chinese); !errors.Is(err, office.ErrTooManyTries) {
		t.Errorf("the code after too many: %v", err)
	}
}
