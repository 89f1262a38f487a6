package web

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"fieldlog"
)

func TestCSRF(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	c, err := NewCSRF(key)
	if err != nil {
		t.Fatal(err)
	}
	mine := fieldlog.HashToken(NewToken())
	tok := c.Token(mine)
	if !c.Valid(mine, tok) {
		t.Fatal("a session's own token is refused")
	}
	if c.Token(mine) != tok {
		t.Error("the token changes between forms of one session")
	}

	// The key is copied: changing the caller's slice changes nothing.
	key[0] = 8
	if !c.Valid(mine, tok) {
		t.Error("changing the caller's key slice changed the tokens")
	}

	other := fieldlog.HashToken(NewToken())
	otherKey, err := NewCSRF(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		session fieldlog.TokenHash
		token   string
	}{
		{"another session's token", mine, c.Token(other)},
		{"my token for another session", other, tok},
		// A stale token: the session it was made for ended and a new one
		// began (signed in again).
		{"a stale session's token", fieldlog.HashToken(NewToken()), tok},
		{"made with another server key", mine, otherKey.Token(mine)},
		{"empty", mine, ""},
		{"not base64", mine, "!!!!"},
		{"cut short", mine, tok[:len(tok)-2]},
		{"padded", mine, tok + "="},
		{"the session's hash itself", mine, strings.TrimRight(mine.String(), "=")},
	} {
		if c.Valid(tc.session, tc.token) {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestNewCSRFShortKey(t *testing.T) {
	if _, err := NewCSRF([]byte("short")); !errors.Is(err, ErrCSRFKeyShort) {
		t.Errorf("err = %v, want ErrCSRFKeyShort", err)
	}
}

func TestNewToken(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b {
		t.Error("two tokens alike")
	}
	if len(a) != 43 || strings.ContainsAny(a, "+/=") {
		t.Errorf("token %q: want 43 URL-safe characters", a)
	}
}
