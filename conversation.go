package fieldlog

import "time"

// Conversation is where a user is in a multi-step flow (logging, editing,
// inviting). It is stored after every step so that a restart of the bot
// continues at the same step with the answers given so far.
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
	Vars      map[string]string
	UpdatedAt time.Time
}
