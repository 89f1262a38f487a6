package fieldlog

import (
	"slices"
	"time"
)

// Conversation is where a user is in a multi-step flow (logging, editing,
// inviting). It is stored after every step so that a restart of the bot
// continues at the same step with the answers given so far. A user between
// flows has a conversation with an empty Flow, which still remembers the
// updates applied last.
type Conversation struct {
	UserID int64
	// ID changes with every new flow; buttons carry it so that a button of a
	// finished flow is recognised as stale.
	ID    string
	Flow  string
	Step  string
	Draft Activity
	// Vars holds the few other answers a flow collects (invite role and unit,
	// calendar month shown, the step to return to after a change).
	Vars map[string]string
	// Applied holds the keys of the user's most recent updates whose effect
	// this state includes, newest last. It is written in the same write as
	// the step, so an update handled again after a crash (or delivered
	// again by the channel) is recognised and skipped: a typed "45" meant
	// for the participants must not become the title of the next step.
	Applied   []string
	UpdatedAt time.Time
}

// MaxApplied is how many update keys a conversation remembers. Updates of
// one chat are handled in order, so only the last one can be replayed after
// a crash; more are kept for a channel that delivers a batch again, which
// holds at most the few updates one person sent in a few seconds.
const MaxApplied = 16

// Active reports whether the user is in the middle of a flow.
func (c Conversation) Active() bool { return c.Flow != "" }

// HasApplied reports whether the update with key has been applied.
func (c Conversation) HasApplied(key string) bool {
	return key != "" && slices.Contains(c.Applied, key)
}

// MarkApplied records that the update with key has been applied, keeping
// the newest MaxApplied keys.
func (c *Conversation) MarkApplied(key string) {
	if key == "" || c.HasApplied(key) {
		return
	}
	c.Applied = append(c.Applied, key)
	if n := len(c.Applied); n > MaxApplied {
		c.Applied = slices.Clone(c.Applied[n-MaxApplied:])
	}
}
