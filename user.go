package fieldlog

import "time"

// FirstOwnUserID is the first user id of the project's own, given to
// people who joined on the web page: Telegram's user ids have at most 52
// significant bits, so the ids from 2^53 up can never be a Telegram
// account's, and those below stay what they always were, the user's
// Telegram id.
const FirstOwnUserID = int64(1) << 53

// Role is what a user may do.
type Role string

// The roles. A user who has not joined has no role.
const (
	Officer     Role = "officer"     // 联络员/信息员: logs activities
	Coordinator Role = "coordinator" // 统战干事: invites, sees the subtree, compiles reports
	Admin       Role = "admin"       // owner of the deployment; sees everything
)

// Valid reports whether r is a role a user can hold.
func (r Role) Valid() bool { return r == Officer || r == Coordinator || r == Admin }

// User is a person who uses fieldlog. Until they join with an invitation
// their Role is empty: they only have a language.
//
// Who came through Telegram is the user of their Telegram account's id.
// Who joined on the web page has an id of the project's own (from
// FirstOwnUserID up), and may link a Telegram account later (Telegram).
type User struct {
	ID     int64
	ChatID int64 // private chat with the bot; 0 for none
	// Telegram is the Telegram account linked to a user of the project's
	// own id; 0 for none, and for every user whose id is their account.
	Telegram int64
	Name     string
	Lang     Lang
	Role     Role
	UnitID   UnitID
	JoinedAt time.Time
	// RemindersOff is set by /remind off: no reminders or nudges.
	RemindersOff bool
	// Blocked is set when Telegram says the user blocked the bot, and
	// cleared when they write again; nothing is sent to them meanwhile.
	Blocked bool
}

// TelegramAccount is the Telegram user id the user writes to the bot
// from, 0 for none.
func (u User) TelegramAccount() int64 {
	switch {
	case u.Telegram != 0:
		return u.Telegram
	case u.ID > 0 && u.ID < FirstOwnUserID:
		return u.ID
	}
	return 0
}

// OwnID reports whether the user's id is of the project's own (they joined
// on the web page) rather than a Telegram account's.
func (u User) OwnID() bool { return u.ID >= FirstOwnUserID }

// Joined reports whether the user has a role.
func (u User) Joined() bool { return u.Role.Valid() }

// CanCoordinate reports whether the user may invite and see a subtree.
func (u User) CanCoordinate() bool { return u.Role == Coordinator || u.Role == Admin }

// Language is the language the user reads: theirs, or Chinese, the
// language of the reports, for one who has not chosen yet.
func (u User) Language() Lang {
	if u.Lang.Valid() {
		return u.Lang
	}
	return Chinese
}
