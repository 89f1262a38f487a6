package conversation

import (
	"context"
	"fmt"
	"strings"
)

// /remind off pauses a user's reminders, /remind on resumes them. And the
// buttons of reminders and digests (go|log, go|status, go|report) start
// what they name, below the reminder.

func (t *turn) remind(arg string) error {
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "off":
		t.user.RemindersOff = true
	case "on":
		t.user.RemindersOff = false
	default:
		t.sayMenu(t.tr("remind_usage", "Off", t.user.RemindersOff))
		return nil
	}
	if err := t.saveUser(); err != nil {
		return fmt.Errorf("save reminders setting: %w", err)
	}
	if t.user.RemindersOff {
		t.sayMenu(t.tr("remind_off"))
	} else {
		t.sayMenu(t.tr("remind_on"))
	}
	return nil
}

// goButton runs the command a reminder's button names.
func (t *turn) goButton(cmd string) error {
	t.in.MessageID = 0 // the reminder stays; the answer comes below it
	switch cmd {
	case "log":
		return t.startLog()
	case "status":
		return t.showStatus()
	case "report":
		return t.startScoped(flowReport)
	}
	t.notice(t.tr("stale_button"))
	return nil
}

// SetBlocked records that the user of account id blocked the bot (or, with
// false, wrote again), so that nothing is sent to them meanwhile. The
// channel calls it when it is told so.
func (e *Engine) SetBlocked(ctx context.Context, id int64, blocked bool) error {
	u, err := e.office.TelegramUser(ctx, id)
	if err != nil {
		return fmt.Errorf("load user of account %d: %w", id, err)
	}
	if u.Blocked == blocked {
		return nil
	}
	u.Blocked = blocked
	if err := e.store.SaveUser(ctx, u); err != nil {
		return fmt.Errorf("save user %d: %w", id, err)
	}
	return nil
}
