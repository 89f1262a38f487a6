package fieldlog

import (
	"context"
	"time"
)

// ReminderState is where the sending of one reminder stands.
type ReminderState string

// The states of a reminder. A reminder is claimed before it is sent, so it
// goes out at most once: one whose sender stopped mid-send is uncertain and
// is not sent again.
const (
	ReminderSending   ReminderState = "sending"
	ReminderSent      ReminderState = "sent"
	ReminderBlocked   ReminderState = "blocked"   // the user blocked the bot
	ReminderFailed    ReminderState = "failed"    // the channel refused it
	ReminderUncertain ReminderState = "uncertain" // the lease ran out mid-send
)

// ReminderClaim is a process's claim on sending one reminder.
type ReminderClaim struct {
	// Key names the reminder: what it is about, whom, and when, e.g.
	// "due|2024-H1|2024-06-25|-7|7000003". Two processes planning the same
	// wave compute the same keys.
	Key        string
	UserID     int64
	ClaimedBy  string // the process, for the operator
	ClaimedAt  time.Time
	LeaseUntil time.Time
}

// Reminders records the reminders sent, so that each goes out once even
// across restarts and processes.
type Reminders interface {
	// ClaimReminder records c before its reminder is sent. It returns
	// false when the key was claimed before, by anyone, ever: the reminder
	// is someone else's or done.
	ClaimReminder(ctx context.Context, c ReminderClaim) (bool, error)
	// FinishReminder records how a claimed reminder ended, and the
	// channel's id of the message sent (0 if none).
	FinishReminder(ctx context.Context, key string, state ReminderState, messageID int, at time.Time) error
	// ExpireReminders marks the claims still sending whose lease ended
	// before now as uncertain, and returns how many there were.
	ExpireReminders(ctx context.Context, now time.Time) (int, error)
	// ReminderState returns the state of key, or ErrNotFound if it was
	// never claimed.
	ReminderState(ctx context.Context, key string) (ReminderState, error)
}
