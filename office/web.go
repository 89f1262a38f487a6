package office

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"fieldlog"
)

// Signing in on the web page: a one-time link sent in the chat (/web), or
// an invitation code redeemed on the page by someone without Telegram.
// Sessions are the web's own (package web); who the user is, is decided
// here.

// WebStore is what signing in on the web needs besides Store.
type WebStore interface {
	fieldlog.SignInLinks
	fieldlog.Tries
}

// Kinds of wrong tries on the web page: invitation codes, counted per
// address and per code, and sign-in links, per address.
const (
	triesWebCode = "web-code"
	triesWebLink = "web-link"
)

// User returns the user with id as they act (Acting), or
// fieldlog.ErrNotFound.
func (o *Office) User(ctx context.Context, id int64) (fieldlog.User, error) {
	u, err := o.store.User(ctx, id)
	if errors.Is(err, fieldlog.ErrNotFound) {
		return u, fieldlog.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("load user %d: %w", id, err)
	}
	return o.Acting(u), nil
}

// SignedIn returns the user with id as they act, if they may use the web
// page: only those who have joined. fieldlog.ErrNotFound for nobody,
// ErrForbidden for someone who has not joined (or has left).
func (o *Office) SignedIn(ctx context.Context, id int64) (fieldlog.User, error) {
	u, err := o.User(ctx, id)
	if err != nil {
		return u, err
	}
	if !u.Joined() {
		return u, ErrForbidden
	}
	return u, nil
}

// NewSignInLink makes a one-time sign-in token for u, valid for
// fieldlog.SignInLinkTTL, for a link to the web page. Only a user who has
// joined may have one. Only the token's hash is stored.
func (o *Office) NewSignInLink(ctx context.Context, web WebStore, u fieldlog.User) (token string, err error) {
	if !u.Joined() {
		return "", ErrForbidden
	}
	token = newToken()
	now := o.now()
	l := fieldlog.SignInLink{Hash: fieldlog.HashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(fieldlog.SignInLinkTTL)}
	if err := web.CreateLink(ctx, l); err != nil {
		return "", fmt.Errorf("store a sign-in link for %d: %w", u.ID, err)
	}
	o.log.Info("sign-in link made", "user", u.ID)
	return token, nil
}

// RedeemSignInLink uses up a sign-in token and returns its user, as they
// act. A valid token always signs in: it is 256 random bits, and nobody
// should be locked out by others' wrong links from a shared address. A
// token used, expired or never made is fieldlog.ErrNotFound, counted per
// address (from): from the MaxCodeTries-th within CodeTriesWindow it is
// ErrTooManyTries, which says to stop trying.
func (o *Office) RedeemSignInLink(ctx context.Context, web WebStore, token, from string) (fieldlog.User, error) {
	l, err := fieldlog.SignInLink{}, fieldlog.ErrNotFound
	if wellFormedToken(token) {
		l, err = web.RedeemLink(ctx, fieldlog.HashToken(token), o.now())
	}
	if errors.Is(err, fieldlog.ErrNotFound) {
		o.tries.Lock()
		defer o.tries.Unlock()
		if err := web.RecordTry(ctx, triesWebLink, "addr:"+from, o.now()); err != nil {
			return fieldlog.User{}, fmt.Errorf("record a wrong sign-in link: %w", err)
		}
		if err := o.checkTries(ctx, web, triesWebLink, "addr:"+from); err != nil {
			return fieldlog.User{}, err
		}
		return fieldlog.User{}, fieldlog.ErrNotFound
	}
	if err != nil {
		return fieldlog.User{}, fmt.Errorf("redeem a sign-in link: %w", err)
	}
	u, err := o.User(ctx, l.UserID)
	if err != nil {
		return fieldlog.User{}, err
	}
	if !u.Joined() {
		return fieldlog.User{}, ErrForbidden
	}
	return u, nil
}

// JoinOnWeb lets someone without Telegram in with an invitation code typed
// on the web page: they become a new user of an id of the project's own
// (NewWebUserID), with name and lang, and the code's role and unit.
// Wrong codes are counted per address (from) and per code, MaxCodeTries
// of each within CodeTriesWindow (ErrTooManyTries); a wrong code is a
// *WrongCodeError.
func (o *Office) JoinOnWeb(ctx context.Context, web WebStore, code, from, name string, lang fieldlog.Lang) (fieldlog.User, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 64 || !lang.Valid() {
		return fieldlog.User{}, &InvalidError{Field: "name", Err: ErrMissing}
	}
	keys := []string{"addr:" + from, "code:" + fieldlog.HashToken(code).String()}
	// Counted, tried and recorded one at a time (see Office.tries).
	o.tries.Lock()
	defer o.tries.Unlock()
	left := MaxCodeTries
	for _, k := range keys {
		n, err := web.CountTries(ctx, triesWebCode, k, o.now().Add(-CodeTriesWindow))
		if err != nil {
			return fieldlog.User{}, fmt.Errorf("count code tries: %w", err)
		}
		if n >= MaxCodeTries {
			return fieldlog.User{}, ErrTooManyTries
		}
		left = min(left, MaxCodeTries-n)
	}
	u := fieldlog.User{ID: NewWebUserID(), Name: name, Lang: lang}
	joined, _, err := o.Join(ctx, u, code)
	var wrong *WrongCodeError
	if errors.As(err, &wrong) {
		for _, k := range keys {
			if err := web.RecordTry(ctx, triesWebCode, k, o.now()); err != nil {
				return fieldlog.User{}, fmt.Errorf("record a wrong code: %w", err)
			}
		}
		return fieldlog.User{}, &WrongCodeError{Left: left - 1}
	}
	if err != nil {
		return fieldlog.User{}, err
	}
	return o.Acting(joined), nil
}

// checkTries refuses with ErrTooManyTries when key has MaxCodeTries wrong
// tries of kind within CodeTriesWindow.
func (o *Office) checkTries(ctx context.Context, web WebStore, kind, key string) error {
	n, err := web.CountTries(ctx, kind, key, o.now().Add(-CodeTriesWindow))
	if err != nil {
		return fmt.Errorf("count tries: %w", err)
	}
	if n >= MaxCodeTries {
		return ErrTooManyTries
	}
	return nil
}

// newToken is 256 random bits, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return base64.RawURLEncoding.EncodeToString(b)
}

// wellFormedToken reports whether s could be a token of newToken. Only such
// are looked up: a sign-in link's and a linking token's hashes are of
// different texts ("telegram-link:" and the token), and a text that is no
// token cannot be made to hash as the other kind.
func wellFormedToken(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(32) {
		return false
	}
	for _, r := range s {
		if !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
