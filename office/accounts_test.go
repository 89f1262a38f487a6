package office_test

import (
	"context"
	"errors"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

// joinOnWeb makes a web-only officer of v2.
func joinOnWeb(t *testing.T, w *world, code, name string) fieldlog.User {
	t.Helper()
	ctx := context.Background()
	inv := fieldlog.Invite{Code: code, Role: fieldlog.Officer, UnitID: "v2", CreatedBy: coord.ID, CreatedAt: now, ExpiresAt: now.Add(fieldlog.InviteLifetime)}
	if err := w.store.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	u, err := w.office.JoinOnWeb(ctx, w.store, code, "10.0.0.1", name, fieldlog.Mongolian)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAWebUserLinksATelegramAccount(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINK2", "苏和")
	const account, chat = 880001, 880001

	// Before: the account is nobody, and no Mini App signs it in.
	if _, err := w.office.TelegramUser(ctx, account); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("an unknown account: %v", err)
	}
	if _, err := w.office.SignedInTelegram(ctx, account); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("Mini App of an unknown account: %v", err)
	}
	// Only a user of the project's own, who has joined, gets a token.
	for _, u := range []fieldlog.User{officer, {ID: fieldlog.FirstOwnUserID + 9, Lang: fieldlog.Chinese}} {
		if _, err := w.office.NewTelegramLink(ctx, w.store, u); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("a token for %d: %v, want ErrForbidden", u.ID, err)
		}
	}
	token, err := w.office.NewTelegramLink(ctx, w.store, web)
	if err != nil {
		t.Fatal(err)
	}
	payload := office.TelegramStartPayload(token)
	if len(payload) > 64 {
		t.Errorf("start parameter %q is %d characters, Telegram takes 64", payload, len(payload))
	}
	if got, ok := office.TelegramLinkToken(payload); !ok || got != token {
		t.Errorf("TelegramLinkToken(%q) = %q, %v", payload, got, ok)
	}
	// A linking token is no sign-in link, and the other way round.
	if _, err := w.office.RedeemSignInLink(ctx, w.store, token, "10.0.0.7"); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a linking token as a sign-in link: %v", err)
	}
	signIn, _ := w.office.NewSignInLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, signIn, account, chat); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a sign-in link as a linking token: %v", err)
	}

	u, err := w.office.LinkTelegram(ctx, w.store, token, account, chat)
	if err != nil || u.ID != web.ID || u.Telegram != account || u.ChatID != chat {
		t.Fatalf("linked: %+v %v", u, err)
	}
	if got, err := w.office.TelegramUser(ctx, account); err != nil || got.ID != web.ID || got.UnitID != "v2" {
		t.Errorf("the account after linking is %+v %v, want user %d", got, err, web.ID)
	}
	if got, err := w.office.SignedInTelegram(ctx, account); err != nil || got.ID != web.ID {
		t.Errorf("Mini App after linking: %+v %v", got, err)
	}
	if stored, _ := w.store.User(ctx, web.ID); stored.Telegram != account || stored.TelegramAccount() != account || stored.ChatID != chat {
		t.Errorf("stored %+v", stored)
	}
	// The same token again (a retried update) answers the same.
	if again, err := w.office.LinkTelegram(ctx, w.store, token, account, chat); err != nil || again.ID != web.ID {
		t.Errorf("the token again: %+v %v", again, err)
	}
	// The audit trail has it.
	entries, err := w.store.AuditOf(ctx, fieldlog.UserSubject(web.ID), 10)
	if err != nil {
		t.Fatal(err)
	}
	linked := false
	for _, e := range entries {
		linked = linked || e.Action == fieldlog.ActionUserLink
	}
	if !linked {
		t.Errorf("no %s entry among %+v", fieldlog.ActionUserLink, entries)
	}

	// A new phone: linking another account replaces the first.
	token2, _ := w.office.NewTelegramLink(ctx, w.store, u)
	if _, err := w.office.LinkTelegram(ctx, w.store, token2, account+1, account+1); err != nil {
		t.Fatal(err)
	}
	if got, err := w.office.TelegramUser(ctx, account+1); err != nil || got.ID != web.ID {
		t.Errorf("the new account: %+v %v", got, err)
	}
	if _, err := w.office.TelegramUser(ctx, account); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("the old account is still someone: %v", err)
	}
}

func TestAnAccountInUseIsNotLinked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINK3", "苏和")
	other := joinOnWeb(t, w, "WEBLINK4", "其其格")

	// A Telegram account that joined itself stays itself, and the token
	// stays good for another.
	token, _ := w.office.NewTelegramLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, officer.ID, officer.ChatID); !errors.Is(err, office.ErrAccountInUse) {
		t.Fatalf("linking a joined account: %v, want ErrAccountInUse", err)
	}
	if u, err := w.office.LinkTelegram(ctx, w.store, token, 880011, 880011); err != nil || u.ID != web.ID {
		t.Fatalf("the token after a refusal: %+v %v", u, err)
	}
	web, _ = w.store.User(ctx, web.ID)
	if got, _ := w.office.TelegramUser(ctx, officer.ID); got.ID != officer.ID {
		t.Errorf("the officer's account is now %d", got.ID)
	}
	if stored, _ := w.store.User(ctx, web.ID); stored.Telegram != 880011 {
		t.Errorf("the web user's account: %+v", stored)
	}
	// So does the configuration's admin, whatever role is stored.
	token, _ = w.office.NewTelegramLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, admin.ID, admin.ChatID); !errors.Is(err, office.ErrAccountInUse) {
		t.Errorf("linking the admin's account: %v", err)
	}
	// An account linked to another web user is theirs.
	token, _ = w.office.NewTelegramLink(ctx, w.store, other)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880009, 880009); err != nil {
		t.Fatal(err)
	}
	token, _ = w.office.NewTelegramLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880009, 880009); !errors.Is(err, office.ErrAccountInUse) {
		t.Errorf("linking another's account: %v", err)
	}
	if got, _ := w.office.TelegramUser(ctx, 880009); got.ID != other.ID {
		t.Errorf("the account is now %d, want %d", got.ID, other.ID)
	}
	// An account that only chose a language is free to link (the token
	// shown to another's account was used up).
	token, _ = w.office.NewTelegramLink(ctx, w.store, web)
	if err := w.store.SaveUser(ctx, fieldlog.User{ID: 880010, ChatID: 880010, Lang: fieldlog.Chinese}); err != nil {
		t.Fatal(err)
	}
	if u, err := w.office.LinkTelegram(ctx, w.store, token, 880010, 880010); err != nil || u.ID != web.ID {
		t.Errorf("linking a fresh account: %+v %v", u, err)
	}
}

func TestWrongLinkingTokensAreCountedPerAccount(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINK5", "苏和")
	for i := range office.MaxCodeTries - 1 {
		if _, err := w.office.LinkTelegram(ctx, w.store, "guess", 880020, 880020); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, err := w.office.LinkTelegram(ctx, w.store, "guess", 880020, 880020); !errors.Is(err, office.ErrTooManyTries) {
		t.Errorf("the fifth wrong token: %v", err)
	}
	// Another account is not held up, and a valid token always links.
	if _, err := w.office.LinkTelegram(ctx, w.store, "guess", 880021, 880021); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("another account's first guess: %v", err)
	}
	token, _ := w.office.NewTelegramLink(ctx, w.store, web)
	if u, err := w.office.LinkTelegram(ctx, w.store, token, 880020, 880020); err != nil || u.ID != web.ID {
		t.Errorf("a valid token after wrong ones: %+v %v", u, err)
	}
}

// A user who has left is not linked, and an account linked to someone who
// left since is free again.
func TestLinkingAfterLeaving(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINK6", "苏和")
	token, _ := w.office.NewTelegramLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880030, 880030); err != nil {
		t.Fatal(err)
	}
	left, _ := w.store.User(ctx, web.ID)
	left.Role, left.UnitID = "", ""
	if err := w.store.SaveUser(ctx, left); err != nil {
		t.Fatal(err)
	}
	if _, err := w.office.SignedInTelegram(ctx, 880030); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("Mini App of one who left: %v", err)
	}
	newcomer := joinOnWeb(t, w, "WEBLINK7", "其其格")
	token, _ = w.office.NewTelegramLink(ctx, w.store, newcomer)
	if u, err := w.office.LinkTelegram(ctx, w.store, token, 880030, 880030); err != nil || u.ID != newcomer.ID {
		t.Fatalf("linking the account of one who left: %+v %v", u, err)
	}
	if stored, _ := w.store.User(ctx, web.ID); stored.Telegram != 0 {
		t.Errorf("the one who left keeps the account: %+v", stored)
	}
}
