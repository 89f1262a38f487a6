package office_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

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

// A linking token is no sign-in link, however it is dressed: only tokens
// of the form made are looked up at all.
func TestALinkingTokenDoesNotSignIn(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINK8", "苏和")
	token, _ := w.office.NewTelegramLink(ctx, w.store, web)
	for _, forged := range []string{token, "telegram-link:" + token, " " + token} {
		if u, err := w.office.RedeemSignInLink(ctx, w.store, forged, "10.0.0.7"); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("the linking token as %q signed in as %d (%v)", forged, u.ID, err)
		}
	}
	signIn, _ := w.office.NewSignInLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, "telegram-link:"+signIn, 880040, 880040); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a dressed sign-in token linked: %v", err)
	}
	// Neither was used up by those tries.
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880040, 880040); err != nil {
		t.Errorf("the linking token after the forgeries: %v", err)
	}
	if _, err := w.office.RedeemSignInLink(ctx, w.store, signIn, "10.0.0.7"); err != nil {
		t.Errorf("the sign-in link after the forgeries: %v", err)
	}
}

// A link that failed halfway is completed by the next try, and a new
// phone is the only one that is the user afterwards.
func TestALinkHalfMadeIsCompleted(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINK9", "苏和")
	flaky := &failingStore{Store: w.store}
	o := w.officeOver(flaky)
	token, _ := o.NewTelegramLink(ctx, w.store, web)
	flaky.method = "SaveUser"
	if _, err := o.LinkTelegram(ctx, w.store, token, 880201, 880201); err == nil {
		t.Fatal("the link did not fail with the store")
	}
	// The same token again (Telegram sends the update again).
	u, err := o.LinkTelegram(ctx, w.store, token, 880201, 880201)
	if err != nil || u.Telegram != 880201 || u.ChatID != 880201 {
		t.Fatalf("the retried link: %+v %v", u, err)
	}
	if stored, _ := w.store.User(ctx, web.ID); stored.Telegram != 880201 {
		t.Errorf("stored %+v", stored)
	}
	// A new phone: only it is the user now.
	token, _ = o.NewTelegramLink(ctx, w.store, u)
	if _, err := o.LinkTelegram(ctx, w.store, token, 880202, 880202); err != nil {
		t.Fatal(err)
	}
	if got, err := o.TelegramUser(ctx, 880201); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("the old phone is still %d (%v)", got.ID, err)
	}
	if accounts, _ := w.store.AccountsOf(ctx, web.ID); len(accounts) != 1 || accounts[0] != fieldlog.TelegramAccountKey(880202) {
		t.Errorf("accounts of the user: %q", accounts)
	}
}

// gapAccounts runs step once, just before its first AccountsOf: between a
// link's writes, where a second link of the same user would fall.
type gapAccounts struct {
	office.Store
	once sync.Once
	step func()
}

func (g *gapAccounts) AccountsOf(ctx context.Context, userID int64) ([]string, error) {
	g.once.Do(g.step)
	return g.Store.AccountsOf(ctx, userID)
}

// Two phones linking one user at once: one of them is the user after.
// The second link is let run in the middle of the first; it waits for
// the first to end, and then takes over.
func TestTwoLinksAtOnceLeaveOneAccount(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINKA", "苏和")
	gap := &gapAccounts{Store: w.store}
	o := w.officeOver(gap)
	first, _ := o.NewTelegramLink(ctx, w.store, web)
	second, _ := o.NewTelegramLink(ctx, w.store, web)
	done := make(chan error, 1)
	gap.step = func() {
		go func() {
			_, err := o.LinkTelegram(ctx, w.store, second, 880301, 880301)
			done <- err
		}()
		select { // it finishes here only if nothing holds it back
		case err := <-done:
			done <- err
		case <-time.After(200 * time.Millisecond):
		}
	}
	if _, err := o.LinkTelegram(ctx, w.store, first, 880300, 880300); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	accounts, _ := w.store.AccountsOf(ctx, web.ID)
	stored, _ := w.store.User(ctx, web.ID)
	if len(accounts) != 1 || accounts[0] != fieldlog.TelegramAccountKey(stored.Telegram) {
		t.Errorf("accounts %q, the user's %d", accounts, stored.Telegram)
	}
}

// The configuration's admins are Telegram accounts, each its own user:
// never linked away, and one made an admin after it was linked is the
// admin again, whatever link it had.
func TestAdminsAndLinkedAccounts(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINKB", "苏和")
	const account = 880400
	// The account chose a language in the chat, then was linked.
	if err := w.store.SaveUser(ctx, fieldlog.User{ID: account, ChatID: account, Lang: fieldlog.Chinese}); err != nil {
		t.Fatal(err)
	}
	token, _ := w.office.NewTelegramLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, account, account); err != nil {
		t.Fatal(err)
	}
	// And another, that never wrote to the bot before, for another user.
	third := joinOnWeb(t, w, "WEBLINKE", "娜仁")
	token, _ = w.office.NewTelegramLink(ctx, w.store, third)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880402, 880402); err != nil {
		t.Fatal(err)
	}
	// Later the accounts are made admins of the configuration.
	o := w.officeOver(w.store, account, 880401, 880402)
	if u, err := o.TelegramUser(ctx, 880402); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("an admin's account is the user it was linked to: %+v %v", u, err)
	}
	u, err := o.TelegramUser(ctx, account)
	if err != nil || u.ID != account || o.Acting(u).Role != fieldlog.Admin {
		t.Fatalf("the admin's account is %+v %v, want its own user, acting as admin", u, err)
	}
	if got, _ := o.TelegramUser(ctx, 880401); got.ID != 0 && got.ID != 880401 {
		t.Errorf("an admin that never wrote is %d", got.ID)
	}
	// An admin account that never wrote to the bot is not linked away.
	other := joinOnWeb(t, w, "WEBLINKC", "其其格")
	token, _ = o.NewTelegramLink(ctx, w.store, other)
	if _, err := o.LinkTelegram(ctx, w.store, token, 880401, 880401); !errors.Is(err, office.ErrAccountInUse) {
		t.Errorf("linking an admin's account: %v", err)
	}
	if _, err := o.TelegramUser(ctx, 880401); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("the admin account after a refused link: %v", err)
	}
}

// officeOver is another office of the world's deployment, over store,
// with admins as the configuration's.
func (w *world) officeOver(store office.Store, admins ...int64) *office.Office {
	return office.New(office.Config{Store: store, Catalog: w.office.Catalog(), Location: shanghai,
		Now: func() time.Time { return now }, Admins: admins})
}

// failingStore fails the next call of the method it is told.
type failingStore struct {
	office.Store
	method string
}

func (f *failingStore) fails(m string) bool {
	if f.method == m {
		f.method = ""
		return true
	}
	return false
}

func (f *failingStore) SaveUser(ctx context.Context, u fieldlog.User) error {
	if f.fails("SaveUser") {
		return errors.New("store down")
	}
	return f.Store.SaveUser(ctx, u)
}

func (f *failingStore) LinkAccount(ctx context.Context, account string, id int64, at time.Time) error {
	if f.fails("LinkAccount") {
		return errors.New("store down")
	}
	return f.Store.LinkAccount(ctx, account, id, at)
}

func (f *failingStore) AccountsOf(ctx context.Context, id int64) ([]string, error) {
	if f.fails("AccountsOf") {
		return nil, errors.New("store down")
	}
	return f.Store.AccountsOf(ctx, id)
}

// A new phone's link that fails at any step leaves one phone the user:
// the old one until the user is stored with the new, the new one after.
// The same command sent again completes it.
func TestANewPhoneLinkFailingHalfway(t *testing.T) {
	for _, step := range []string{"LinkAccount", "AccountsOf"} {
		t.Run(step, func(t *testing.T) {
			w := newWorld(t)
			ctx := context.Background()
			web := joinOnWeb(t, w, "WEBLINKD", "苏和")
			flaky := &failingStore{Store: w.store}
			o := w.officeOver(flaky)
			token, _ := o.NewTelegramLink(ctx, w.store, web)
			if _, err := o.LinkTelegram(ctx, w.store, token, 880501, 880501); err != nil {
				t.Fatal(err)
			}
			token, _ = o.NewTelegramLink(ctx, w.store, web)
			flaky.method = step
			if _, err := o.LinkTelegram(ctx, w.store, token, 880502, 880502); err == nil {
				t.Fatal("the link did not fail with the store")
			}
			users := 0
			for _, phone := range []int64{880501, 880502} {
				if u, err := o.TelegramUser(ctx, phone); err == nil && u.ID == web.ID {
					users++
				}
			}
			if users != 1 {
				t.Errorf("%d phones are the user after the failure", users)
			}
			if u, err := o.LinkTelegram(ctx, w.store, token, 880502, 880502); err != nil || u.Telegram != 880502 {
				t.Fatalf("the command again: %+v %v", u, err)
			}
			if _, err := o.TelegramUser(ctx, 880501); !errors.Is(err, fieldlog.ErrNotFound) {
				t.Errorf("the old phone after the link: %v", err)
			}
			if accounts, _ := w.store.AccountsOf(ctx, web.ID); len(accounts) != 1 {
				t.Errorf("accounts of the user: %q", accounts)
			}
		})
	}
}

// A lost phone: unlinking makes the account nobody, and the user keeps
// everything; a Telegram user has nothing to unlink.
func TestUnlinkingTelegram(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	web := joinOnWeb(t, w, "WEBLINKF", "苏和")
	if _, err := w.office.Log(ctx, web, draft("u1", day(2024, 6, 7))); err != nil {
		t.Fatal(err)
	}
	token, _ := w.office.NewTelegramLink(ctx, w.store, web)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880600, 880600); err != nil {
		t.Fatal(err)
	}
	u, err := w.office.UnlinkTelegram(ctx, web)
	if err != nil || u.Telegram != 0 || u.ChatID != 0 || u.Role != fieldlog.Officer {
		t.Fatalf("unlinked: %+v %v", u, err)
	}
	if got, err := w.office.TelegramUser(ctx, 880600); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("the lost phone is still %d (%v)", got.ID, err)
	}
	if accounts, _ := w.store.AccountsOf(ctx, web.ID); len(accounts) != 0 {
		t.Errorf("links left: %q", accounts)
	}
	if p, err := w.office.Records(ctx, u, office.Own, 0, 10); err != nil || p.Total != 1 {
		t.Errorf("the user's records after unlinking: %+v %v", p, err)
	}
	if _, err := w.office.UnlinkTelegram(ctx, u); err != nil {
		t.Errorf("unlinking twice: %v", err)
	}
	if _, err := w.office.UnlinkTelegram(ctx, officer); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("a Telegram user unlinks: %v", err)
	}
	// The phone may be linked again.
	token, _ = w.office.NewTelegramLink(ctx, w.store, u)
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880600, 880600); err != nil {
		t.Errorf("linking again: %v", err)
	}
}
