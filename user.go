package fieldlog

import "time"

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

// User is a person who has written to the bot. Until they join with an
// invitation their Role is empty: they only have a language.
type User struct {
	ID       int64 // Telegram user id
	ChatID   int64 // private chat with the bot
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
