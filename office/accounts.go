package office

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fieldlog"
)

// Telegram accounts and users. Who came through Telegram is the user of
// their account's id. Who joined on the web page has an id of the
// project's own, and may link a Telegram account to it: on the page they
// get a one-time link that opens the bot with it (TelegramStartPayload),
// and from then on that account is them in the chat, and in the Mini App.

// ErrAccountInUse is the refusal to link a Telegram account that is
// already someone who has joined: its own user, or another's link.
var ErrAccountInUse = errors.New("telegram account already in use")

// triesTelegramLink counts wrong linking tokens, per Telegram account.
const triesTelegramLink = "telegram-link"

// telegramLinkPrefix starts the bot's start parameter that carries a
// linking token (at most 64 characters of A–Z, a–z, 0–9, _ and -, as
// Telegram allows); invitation codes never start so.
const telegramLinkPrefix = "link-"

// TelegramStartPayload is the start parameter of the bot's deep link
// (t.me/<bot>?start=…) or /start command that links with token.
func TelegramStartPayload(token string) string { return telegramLinkPrefix + token }

// TelegramLinkToken returns the linking token a start parameter carries,
// if it is one.
func TelegramLinkToken(payload string) (token string, ok bool) {
	token, ok = strings.CutPrefix(payload, telegramLinkPrefix)
	return token, ok && token != ""
}

// telegramLinkHash is the hash a linking token is stored by: of another
// text than a sign-in link's, so that neither token is taken for the
// other.
func telegramLinkHash(token string) fieldlog.TokenHash {
	return fieldlog.HashToken("telegram-link:" + token)
}

// TelegramUser returns the user who writes from Telegram account, as
// stored (not as acting): the user of the account's own id, or the user of
// the project's own it was linked to. fieldlog.ErrNotFound: nobody yet.
//
// The account's own user is asked first, and is the answer if they joined
// with an invitation: every update asks this, and only accounts that have
// not (new ones, linked ones, admins by configuration alone) cost a
// second lookup. Linking refuses accounts that joined, so the two never
// disagree.
func (o *Office) TelegramUser(ctx context.Context, account int64) (fieldlog.User, error) {
	own, err := o.store.User(ctx, account)
	switch {
	case err == nil && own.Joined():
		return own, nil
	case err != nil && !errors.Is(err, fieldlog.ErrNotFound):
		return own, fmt.Errorf("load user %d: %w", account, err)
	}
	ownErr := err
	id, err := o.store.AccountUser(ctx, fieldlog.TelegramAccountKey(account))
	switch {
	case errors.Is(err, fieldlog.ErrNotFound):
		return own, ownErr
	case err != nil:
		return own, fmt.Errorf("look up telegram account %d: %w", account, err)
	}
	linked, err := o.store.User(ctx, id)
	switch {
	case errors.Is(err, fieldlog.ErrNotFound):
		return own, ownErr // a link to nobody: as if none
	case err != nil:
		return own, fmt.Errorf("load user %d of telegram account %d: %w", id, account, err)
	}
	return linked, nil
}

// SignedInTelegram returns, as they act, the user who opened the Mini App
// from Telegram account, if they may use the web page (SignedIn).
func (o *Office) SignedInTelegram(ctx context.Context, account int64) (fieldlog.User, error) {
	u, err := o.TelegramUser(ctx, account)
	if err != nil {
		return u, err
	}
	return o.SignedIn(ctx, u.ID)
}

// NewTelegramLink makes a one-time token, valid for
// fieldlog.SignInLinkTTL, with which u links a Telegram account
// (LinkTelegram). Only a user of the project's own who has joined may
// have one (ErrForbidden otherwise): a Telegram user is their account
// already. Linking again replaces the account linked before, for a
// new phone. Only the token's hash is stored.
func (o *Office) NewTelegramLink(ctx context.Context, web WebStore, u fieldlog.User) (token string, err error) {
	if !u.Joined() || !u.OwnID() {
		return "", ErrForbidden
	}
	token = newToken()
	now := o.now()
	l := fieldlog.SignInLink{Hash: telegramLinkHash(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(fieldlog.SignInLinkTTL)}
	if err := web.CreateLink(ctx, l); err != nil {
		return "", fmt.Errorf("store a telegram link for %d: %w", u.ID, err)
	}
	o.log.Info("telegram link made", "user", u.ID)
	return token, nil
}

// LinkTelegram uses up a linking token sent from Telegram account (in
// chat, the private chat with the bot) and links the account to the
// token's user, who is returned as stored. From then on TelegramUser
// gives that user for the account, and any account linked to them before
// is no longer them (a new phone).
//
// Refusals: ErrAccountInUse when the account is someone who has joined
// or an admin of the configuration (and the token stays unused), or is
// linked to another user; fieldlog.ErrNotFound for a token used, expired,
// never made or malformed, counted per account (from the MaxCodeTries-th
// within CodeTriesWindow it is ErrTooManyTries, which says to stop
// trying; a valid token always links, as a sign-in link always signs in);
// ErrForbidden when the token's user has left. An account linked to its
// user already is answered with them, whatever the token (a retried
// update sends a used one), and a link left half-made by a failure is
// completed.
func (o *Office) LinkTelegram(ctx context.Context, web WebStore, token string, account, chat int64) (fieldlog.User, error) {
	o.linking.Lock()
	defer o.linking.Unlock()
	current, err := o.TelegramUser(ctx, account)
	if err != nil && !errors.Is(err, fieldlog.ErrNotFound) {
		return current, err
	}
	found := err == nil
	// TelegramUser gives a user of the project's own only through the
	// account's link: then the account is theirs already.
	linked := found && current.OwnID() && current.Joined()
	if !linked && (o.IsAdmin(fieldlog.User{ID: account}) || found && o.Acting(current).Joined()) {
		// Its own user: decided before the token is used up, which
		// stays good for another account.
		return fieldlog.User{}, ErrAccountInUse
	}
	l, err := fieldlog.SignInLink{}, fieldlog.ErrNotFound
	if wellFormedToken(token) {
		l, err = web.RedeemLink(ctx, telegramLinkHash(token), o.now())
	}
	switch {
	case linked && (errors.Is(err, fieldlog.ErrNotFound) || err == nil && l.UserID == current.ID):
		return o.completeLink(ctx, current, account, chat) // the same token again
	case linked && err == nil:
		return fieldlog.User{}, ErrAccountInUse // another's
	case errors.Is(err, fieldlog.ErrNotFound):
		return fieldlog.User{}, o.wrongLinkingToken(ctx, web, account)
	case err != nil:
		return fieldlog.User{}, fmt.Errorf("redeem a telegram link: %w", err)
	}
	u, err := o.store.User(ctx, l.UserID)
	if errors.Is(err, fieldlog.ErrNotFound) {
		return fieldlog.User{}, ErrForbidden
	}
	if err != nil {
		return fieldlog.User{}, fmt.Errorf("load user %d: %w", l.UserID, err)
	}
	if !o.Acting(u).Joined() || !u.OwnID() {
		return fieldlog.User{}, ErrForbidden
	}
	if found && current.OwnID() && current.ID != u.ID && current.Telegram == account {
		// Linked before to someone who has left since: no longer theirs.
		current.Telegram = 0
		if err := o.store.SaveUser(ctx, current); err != nil {
			return fieldlog.User{}, fmt.Errorf("save user %d without telegram account: %w", current.ID, err)
		}
	}
	return o.completeLink(ctx, u, account, chat)
}

// completeLink makes account u's, and only it: the account's link first,
// then the other accounts' go, then u is stored with it. Each step may be
// made again, so that after a failure between them the next try (the
// same token again, from the same phone) completes the link.
func (o *Office) completeLink(ctx context.Context, u fieldlog.User, account, chat int64) (fieldlog.User, error) {
	key := fieldlog.TelegramAccountKey(account)
	if err := o.store.LinkAccount(ctx, key, u.ID, o.now()); err != nil {
		return fieldlog.User{}, fmt.Errorf("link telegram account %d to %d: %w", account, u.ID, err)
	}
	others, err := o.store.AccountsOf(ctx, u.ID)
	if err != nil {
		return fieldlog.User{}, fmt.Errorf("accounts of %d: %w", u.ID, err)
	}
	for _, k := range others {
		if k == key {
			continue
		}
		if err := o.store.UnlinkAccount(ctx, k); err != nil {
			return fieldlog.User{}, fmt.Errorf("unlink %s of %d: %w", k, u.ID, err)
		}
	}
	if u.Telegram == account && u.ChatID == chat && !u.Blocked {
		return u, nil
	}
	old := u.Telegram
	u.Telegram, u.ChatID, u.Blocked = account, chat, false
	if err := o.store.SaveUser(ctx, u); err != nil {
		return fieldlog.User{}, fmt.Errorf("save user %d with telegram account: %w", u.ID, err)
	}
	if old != account {
		o.audit(ctx, u, fieldlog.ActionUserLink, fieldlog.UserSubject(u.ID), []fieldlog.FieldChange{
			{Field: fieldlog.FieldTelegram, Old: accountText(old), New: accountText(account)},
		})
		o.log.Info("telegram account linked", "user", u.ID)
	}
	return u, nil
}

// wrongLinkingToken counts a wrong token from account: fieldlog.ErrNotFound,
// or ErrTooManyTries from the MaxCodeTries-th within CodeTriesWindow.
func (o *Office) wrongLinkingToken(ctx context.Context, web WebStore, account int64) error {
	key := "tg:" + strconv.FormatInt(account, 10)
	// Counted, tried and recorded one at a time (see Office.tries).
	o.tries.Lock()
	defer o.tries.Unlock()
	if err := web.RecordTry(ctx, triesTelegramLink, key, o.now()); err != nil {
		return fmt.Errorf("record a wrong telegram link: %w", err)
	}
	if err := o.checkTries(ctx, web, triesTelegramLink, key); err != nil {
		return err
	}
	return fieldlog.ErrNotFound
}

func accountText(account int64) string {
	if account == 0 {
		return ""
	}
	return strconv.FormatInt(account, 10)
}
