package conversation

import (
	"errors"
	"fmt"

	"fieldlog"
	"fieldlog/office"
)

// Joining: the language comes first, then an invitation code.

const (
	flowLanguage = "language" // waiting for the first language choice
	varCode      = "code"     // an invitation code sent before the language was chosen

	languageButtonZh = "中文"
	languageButtonMn = "ᠮᠣᠩᠭᠣᠯ"
)

// firstContact asks a new user's language before anything else, keeping an
// invitation code they came with so that joining needs no second tap on
// the link.
func (t *turn) firstContact() error {
	if cmd, arg := t.command(); cmd == "start" && arg != "" {
		t.startFlow(flowLanguage, "")
		t.setVar(varCode, arg)
	}
	t.askLanguage()
	return nil
}

// askLanguage shows the two language buttons. They name each language in
// itself, so the question is understood whichever the user reads.
func (t *turn) askLanguage() {
	t.say(t.e.msgs.Text(fieldlog.Chinese, "choose_language", nil)+"\n"+t.e.msgs.Text(fieldlog.Mongolian, "choose_language", nil),
		[]Button{
			{Text: languageButtonZh, Data: data("lang", string(fieldlog.Chinese))},
			{Text: languageButtonMn, Data: data("lang", string(fieldlog.Mongolian))},
		})
}

// chooseLanguage stores the user's language and carries on with what they
// came for.
func (t *turn) chooseLanguage(l fieldlog.Lang) error {
	if !l.Valid() {
		t.notice(t.tr("stale_button"))
		return nil
	}
	t.user.Lang, t.lang = l, l
	if err := t.saveUser(); err != nil {
		return fmt.Errorf("save language: %w", err)
	}
	t.show(t.tr("language_set"))
	code := ""
	if t.hasConv && t.conv.Flow == flowLanguage {
		code = t.conv.Vars[varCode]
		t.endFlow()
	}
	switch {
	case !t.user.Joined() && code != "":
		return t.redeem(code)
	case !t.user.Joined():
		t.say(t.tr("not_joined"))
	default:
		t.refreshCommands()
		if t.hasConv {
			t.sayMenu(t.tr("language_set_continue"))
			t.in.MessageID = 0 // ask again below, not over the language buttons
			return t.prompt()
		}
		t.welcome()
	}
	return nil
}

// saveUser stores the user. The admin role comes from the configuration on
// every turn, so it is not written down: taking an id out of
// FIELDLOG_ADMINS takes the role away, and leaves any role they joined with.
func (t *turn) saveUser() error {
	u := t.user
	if t.e.office.IsAdmin(u) {
		u.Role = t.storedRole
	}
	if err := t.e.store.SaveUser(t.ctx, u); err != nil {
		return fmt.Errorf("save user %d: %w", u.ID, err)
	}
	return nil
}

// notJoined answers someone who has not joined: only a code gets them in.
func (t *turn) notJoined(cmd, arg string) error {
	switch {
	case cmd == "start" && arg != "":
		return t.redeem(arg)
	case cmd == "lang":
		t.askLanguage()
	default:
		t.say(t.tr("not_joined"))
	}
	return nil
}

// redeem lets the user in with an invitation code; the office decides,
// and slows guessing to a few tries an hour.
func (t *turn) redeem(code string) error {
	stored := t.user
	stored.Role = t.storedRole
	u, _, err := t.e.office.Join(t.ctx, stored, code)
	var wrong *office.WrongCodeError
	switch {
	case errors.Is(err, office.ErrAlreadyJoined):
		t.sayMenu(t.tr("already_joined"))
		return nil
	case errors.Is(err, office.ErrTooManyTries):
		t.say(t.tr("code_too_many_tries"))
		return nil
	case errors.As(err, &wrong):
		t.say(t.tr("code_invalid", "Left", wrong.Left))
		return nil
	case err != nil:
		return err
	}
	t.storedRole = u.Role
	t.user = t.e.office.Acting(u)
	t.refreshCommands()
	t.welcome()
	return nil
}

// linkTelegram makes this Telegram account the user of the project's own
// whose link from the web page it came with (t.me/<bot>?start=link-…),
// and carries on as them.
func (t *turn) linkTelegram(token string) error {
	if t.e.webStore == nil { // no web page: no such link was made
		t.say(t.tr("telegram_link_invalid"))
		return nil
	}
	u, err := t.e.office.LinkTelegram(t.ctx, t.e.webStore, token, t.in.UserID, t.in.ChatID)
	switch {
	case errors.Is(err, office.ErrAccountInUse):
		t.say(t.tr("telegram_link_in_use"))
		return nil
	case errors.Is(err, office.ErrTooManyTries):
		t.say(t.tr("code_too_many_tries"))
		return nil
	case errors.Is(err, fieldlog.ErrNotFound), errors.Is(err, office.ErrForbidden):
		t.say(t.tr("telegram_link_invalid"))
		return nil
	case err != nil:
		return err
	}
	// From here on this chat is u, in their conversation.
	t.storedRole = u.Role
	t.user, t.lang = t.e.office.Acting(u), u.Language()
	if err := t.loadConversation(); err != nil {
		return err
	}
	t.refreshCommands()
	t.say(t.tr("telegram_linked"))
	t.welcome()
	if t.hasConv {
		return t.prompt()
	}
	return nil
}
