package contract

import (
	"errors"
	"sync"
	"testing"
	"time"

	"fieldlog"
)

// The web page's sign-in state: sessions, one-time links and tries by
// string key, run by Run with the rest of the contract.

func testSessions(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	t0 := time.Date(2025, 6, 18, 9, 0, 0, 123456789, beijing(t))
	ws := fieldlog.WebSession{Hash: fieldlog.HashToken("cookie-1"), UserID: 7001, CreatedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour)}
	if err := s.CreateSession(ctx, ws); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, ws); !errors.Is(err, fieldlog.ErrDuplicate) {
		t.Errorf("same hash again: err = %v, want ErrDuplicate", err)
	}

	got, err := s.Session(ctx, ws.Hash, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := ws
	want.CreatedAt, want.ExpiresAt = ms(ws.CreatedAt), ms(ws.ExpiresAt)
	equal(t, "session", got, want)
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("created at %v, want UTC", got.CreatedAt)
	}

	for _, tc := range []struct {
		what string
		h    fieldlog.TokenHash
		at   time.Time
	}{
		{"another token", fieldlog.HashToken("cookie-2"), t0},
		{"at its expiry", ws.Hash, ws.ExpiresAt},
		{"after its expiry", ws.Hash, ws.ExpiresAt.Add(time.Second)},
	} {
		if _, err := s.Session(ctx, tc.h, tc.at); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", tc.what, err)
		}
	}

	// Touching moves the expiry: the session lives past its first one.
	seen := ws.ExpiresAt.Add(-time.Minute)
	if err := s.TouchSession(ctx, ws.Hash, seen, seen.Add(30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = s.Session(ctx, ws.Hash, ws.ExpiresAt.Add(time.Hour))
	if err != nil {
		t.Fatalf("after touch, past the first expiry: %v", err)
	}
	if !got.SeenAt.Equal(ms(seen)) || !got.ExpiresAt.Equal(ms(seen.Add(30*24*time.Hour))) || !got.CreatedAt.Equal(ms(t0)) {
		t.Errorf("after touch: %+v", got)
	}
	// An expired session cannot be revived by touching it.
	if err := s.TouchSession(ctx, ws.Hash, got.ExpiresAt, got.ExpiresAt.Add(time.Hour)); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("touch at expiry: err = %v, want ErrNotFound", err)
	}
	if err := s.TouchSession(ctx, fieldlog.HashToken("nobody"), t0, t0.Add(time.Hour)); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("touch unknown: err = %v, want ErrNotFound", err)
	}

	if err := s.DeleteSession(ctx, ws.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, ws.Hash, t0); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("after delete: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, ws.Hash); err != nil {
		t.Errorf("delete twice: %v", err)
	}

	// Creating a session prunes expired ones but keeps live ones.
	live := fieldlog.WebSession{Hash: fieldlog.HashToken("live"), UserID: 1, CreatedAt: t0, ExpiresAt: t0.Add(48 * time.Hour)}
	old := fieldlog.WebSession{Hash: fieldlog.HashToken("old"), UserID: 1, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	later := fieldlog.WebSession{Hash: fieldlog.HashToken("later"), UserID: 2, CreatedAt: t0.Add(24 * time.Hour), ExpiresAt: t0.Add(72 * time.Hour)}
	for _, x := range []fieldlog.WebSession{live, old, later} {
		if err := s.CreateSession(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Session(ctx, live.Hash, t0.Add(25*time.Hour)); err != nil {
		t.Errorf("live session after pruning: %v", err)
	}
	if n, err := s.DeleteUserSessions(ctx, 1); err != nil || n != 1 {
		t.Errorf("user 1's sessions after pruning: %d, %v; want 1 (the expired one pruned)", n, err)
	}
}

func testDeleteUserSessions(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	now := time.Date(2025, 6, 18, 9, 0, 0, 0, time.UTC)
	mk := func(token string, user int64) fieldlog.WebSession {
		return fieldlog.WebSession{Hash: fieldlog.HashToken(token), UserID: user, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	}
	for _, ws := range []fieldlog.WebSession{mk("phone", 7), mk("laptop", 7), mk("mini-app", 7), mk("other", 8)} {
		if err := s.CreateSession(ctx, ws); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.DeleteUserSessions(ctx, 7)
	if err != nil || n != 3 {
		t.Fatalf("sign out everywhere: %d, %v; want 3", n, err)
	}
	for _, tok := range []string{"phone", "laptop", "mini-app"} {
		if _, err := s.Session(ctx, fieldlog.HashToken(tok), now); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("session %s after sign-out everywhere: err = %v, want ErrNotFound", tok, err)
		}
	}
	if got, err := s.Session(ctx, fieldlog.HashToken("other"), now); err != nil || got.UserID != 8 {
		t.Errorf("another user's session: %+v, %v", got, err)
	}
	if n, err := s.DeleteUserSessions(ctx, 7); err != nil || n != 0 {
		t.Errorf("sign out everywhere again: %d, %v; want 0", n, err)
	}
}

func testSignInLinks(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	t0 := time.Date(2025, 6, 18, 9, 0, 0, 987654321, beijing(t))
	link := func(token string, user int64) fieldlog.SignInLink {
		return fieldlog.SignInLink{Hash: fieldlog.HashToken(token), UserID: user, CreatedAt: t0, ExpiresAt: t0.Add(fieldlog.SignInLinkTTL)}
	}
	l := link("link-1", 7001)
	if err := s.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateLink(ctx, l); !errors.Is(err, fieldlog.ErrDuplicate) {
		t.Errorf("same hash again: err = %v, want ErrDuplicate", err)
	}
	if _, err := s.RedeemLink(ctx, fieldlog.HashToken("link-2"), t0); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("unknown link: err = %v, want ErrNotFound", err)
	}
	got, err := s.RedeemLink(ctx, l.Hash, t0.Add(9*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	want := l
	want.CreatedAt, want.ExpiresAt = ms(l.CreatedAt), ms(l.ExpiresAt)
	equal(t, "redeemed link", got, want)
	if _, err := s.RedeemLink(ctx, l.Hash, t0.Add(9*time.Minute)); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("second use: err = %v, want ErrNotFound", err)
	}

	late := link("link-late", 7001)
	if err := s.CreateLink(ctx, late); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemLink(ctx, late.Hash, late.ExpiresAt); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("at expiry: err = %v, want ErrNotFound", err)
	}
	if _, err := s.RedeemLink(ctx, late.Hash, late.ExpiresAt.Add(-time.Millisecond)); err != nil {
		t.Errorf("a millisecond before expiry (the refused try did not use it up): %v", err)
	}
}

func testRedeemLinkConcurrently(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	now := time.Now()
	l := fieldlog.SignInLink{Hash: fieldlog.HashToken("race"), UserID: 42, CreatedAt: now, ExpiresAt: now.Add(fieldlog.SignInLinkTTL)}
	if err := s.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = s.RedeemLink(ctx, l.Hash, now)
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, fieldlog.ErrNotFound):
			t.Errorf("redeemer %d: unexpected error %v", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d redeemers used the link, want exactly 1", won)
	}
}

func testTries(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	record := func(kind, key string, at time.Time) {
		t.Helper()
		if err := s.RecordTry(ctx, kind, key, at); err != nil {
			t.Fatal(err)
		}
	}
	count := func(kind, key string, since time.Time) int {
		t.Helper()
		n, err := s.CountTries(ctx, kind, key, since)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	const addr, addr6, code = "203.0.113.7", "2001:db8::1", "ᠪᠠᠲᠤ-巴图-AB12"
	record("code", addr, now.Add(-30*time.Hour))
	if n := count("code", addr, now.Add(-48*time.Hour)); n != 1 {
		t.Fatalf("before pruning: %d tries, want 1", n)
	}
	record("code", addr, now.Add(-2*time.Hour))
	record("code", addr, now.Add(-time.Hour))
	record("code", addr, now.Add(-time.Minute))
	record("code", addr6, now.Add(-time.Minute))
	record("code", code, now.Add(-time.Minute))
	record("link", addr, now.Add(-time.Minute))
	for i := range 4 {
		record("code", code, now.Add(-time.Duration(i)*time.Second))
	}

	for _, tc := range []struct {
		kind, key string
		since     time.Time
		want      int
	}{
		{"code", addr, now.Add(-90 * time.Minute), 2},
		{"code", addr, now.Add(-time.Hour), 2}, // since is inclusive
		{"code", addr, now.Add(time.Second), 0},
		{"code", addr, now.Add(-48 * time.Hour), 3}, // the 30-hour-old one was pruned
		{"code", addr6, now.Add(-time.Hour), 1},
		{"code", code, now.Add(-time.Hour), 5},
		{"link", addr, now.Add(-time.Hour), 1},
		{"link", addr6, now.Add(-time.Hour), 0},
		{"code", "203.0.113", now.Add(-time.Hour), 0}, // keys match whole, not as prefixes
	} {
		if n := count(tc.kind, tc.key, tc.since); n != tc.want {
			t.Errorf("%s tries of %q since %s: %d, want %d", tc.kind, tc.key, tc.since.Format(time.Kitchen), n, tc.want)
		}
	}
}
