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
// the project's own it is linked to. fieldlog.ErrNotFound: nobody yet.
//
// The account's own user is asked first, and is the answer if they joined
// with an invitation, or the account is an admin of the configuration
// (who is always the account's own user): every update asks this, and
// only accounts that are neither (new ones, linked ones) cost a second
// lookup. Linking refuses such accounts, so the two never disagree. A
// link counts only while its user has the account (User.Telegram): one
// left behind by a new phone, or by a link that failed halfway, is none.
func (o *Office) TelegramUser(ctx context.Context, account int64) (fieldlog.User, error) {
	own, err := o.store.User(ctx, account)
	switch {
	case err == nil && (own.Joined() || o.IsAdmin(own)):
		return own, nil
	case err != nil && !errors.Is(err, fieldlog.ErrNotFound):
		return own, fmt.Errorf("load user %d: %w", account, err)
	case o.IsAdmin(fieldlog.User{ID: account}):
		return own, err
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
	case errors.Is(err, fieldlog.ErrNotFound) || err == nil && linked.Telegram != account:
		return own, ownErr // a link to nobody, or left behind: as if none
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
// update sends a used one). A link that fails halfway leaves the token
// good, and the account not yet theirs, for the next try.
func (o *Office) LinkTelegram(ctx context.Context, web WebStore, token string, account, chat int64) (fieldlog.User, error) {
	o.linking.Lock()
	defer o.linking.Unlock()
	current, err := o.TelegramUser(ctx, account)
	if err != nil && !errors.Is(err, fieldlog.ErrNotFound) {
		return current, err
	}
	found := err == nil
	// TelegramUser gives a user of the project's own only through a link
	// in force: then the account is theirs already.
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
		return current, o.unlinkOthers(ctx, current, account) // the same token again
	case linked && err == nil:
		return fieldlog.User{}, ErrAccountInUse // another's
	case errors.Is(err, fieldlog.ErrNotFound):
		return fieldlog.User{}, o.wrongLinkingToken(ctx, web, account)
	case err != nil:
		return fieldlog.User{}, fmt.Errorf("redeem a telegram link: %w", err)
	}
	u, err := o.link(ctx, l.UserID, current, found, account, chat)
	if err != nil && !errors.Is(err, ErrForbidden) {
		// Not linked, or not wholly: the token is good again for the
		// next try (the same command sent again).
		if rerr := web.CreateLink(ctx, l); rerr != nil {
			o.log.Warn("restore a telegram link after a failed link", "user", l.UserID, "err", rerr)
		}
	}
	return u, err
}

// link makes account the user's with id, for a token of theirs. current
// is who the account was (found: someone).
//
// The user's record is the truth of which account is theirs
// (TelegramUser), the links an index to it: the account's link is written
// first (alone it is no link), then the user with the account, then the
// links of their other accounts go. After a failure between them the
// account is either not yet theirs or wholly theirs, with at most a link
// left behind that counts for nothing.
func (o *Office) link(ctx context.Context, id int64, current fieldlog.User, found bool, account, chat int64) (fieldlog.User, error) {
	u, err := o.store.User(ctx, id)
	if errors.Is(err, fieldlog.ErrNotFound) {
		return fieldlog.User{}, ErrForbidden
	}
	if err != nil {
		return fieldlog.User{}, fmt.Errorf("load user %d: %w", id, err)
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
	if err := o.store.LinkAccount(ctx, fieldlog.TelegramAccountKey(account), u.ID, o.now()); err != nil {
		return fieldlog.User{}, fmt.Errorf("link telegram account %d to %d: %w", account, u.ID, err)
	}
	old := u.Telegram
	u.Telegram, u.ChatID, u.Blocked = account, chat, false
	if err := o.store.SaveUser(ctx, u); err != nil {
		return fieldlog.User{}, fmt.Errorf("save user %d with telegram account: %w", u.ID, err)
	}
	o.audit(ctx, u, fieldlog.ActionUserLink, fieldlog.UserSubject(u.ID), []fieldlog.FieldChange{
		{Field: fieldlog.FieldTelegram, Old: accountText(old), New: accountText(account)},
	})
	o.log.Info("telegram account linked", "user", u.ID)
	return u, o.unlinkOthers(ctx, u, account)
}

// unlinkOthers removes the links of u's accounts other than account. They
// count for nothing already (TelegramUser); this keeps the index small.
func (o *Office) unlinkOthers(ctx context.Context, u fieldlog.User, account int64) error {
	keys, err := o.store.AccountsOf(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("accounts of %d: %w", u.ID, err)
	}
	for _, k := range keys {
		if k == fieldlog.TelegramAccountKey(account) {
			continue
		}
		if err := o.store.UnlinkAccount(ctx, k); err != nil {
			return fmt.Errorf("unlink %s of %d: %w", k, u.ID, err)
		}
	}
	return nil
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

// UnlinkTelegram ends u's Telegram account being them (a phone lost, or
// given away): from then on it is nobody, and u uses the web page alone
// until they link one again. Only a user of the project's own has one to
// unlink (ErrForbidden otherwise: a Telegram user is their account). One
// with none linked is left as they are.
func (o *Office) UnlinkTelegram(ctx context.Context, u fieldlog.User) (fieldlog.User, error) {
	if !u.OwnID() {
		return u, ErrForbidden
	}
	o.linking.Lock()
	defer o.linking.Unlock()
	stored, err := o.store.User(ctx, u.ID)
	if err != nil {
		return u, fmt.Errorf("load user %d: %w", u.ID, err)
	}
	old := stored.Telegram
	// The user first: from then on no link of theirs counts
	// (TelegramUser), and the links are only tidied away.
	if old != 0 {
		stored.Telegram, stored.ChatID = 0, 0
		if err := o.store.SaveUser(ctx, stored); err != nil {
			return u, fmt.Errorf("save user %d without telegram account: %w", u.ID, err)
		}
		o.audit(ctx, stored, fieldlog.ActionUserLink, fieldlog.UserSubject(u.ID), []fieldlog.FieldChange{
			{Field: fieldlog.FieldTelegram, Old: accountText(old)},
		})
		o.log.Info("telegram account unlinked", "user", u.ID)
	}
	return stored, o.unlinkOthers(ctx, stored, 0)
}

func accountText(account int64) string {
	if account == 0 {
		return ""
	}
	return strconv.FormatInt(account, 10)
}
