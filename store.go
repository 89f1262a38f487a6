package fieldlog

import (
	"context"
	"time"
)

// Store is everything the conversation engine keeps. The MongoDB adapter in
// storage/ implements it; tests may use it too.
type Store interface {
	Users
	Units
	Invites
	Activities
	Conversations
	Attempts
	Notebook
	Calendar
	Reminders
	AuditLog
}

// Users stores people who have written to the bot.
type Users interface {
	// User returns the user with Telegram id, or ErrNotFound.
	User(ctx context.Context, id int64) (User, error)
	// SaveUser creates or replaces the user.
	SaveUser(ctx context.Context, u User) error
	// EachUser calls fn for every user who has joined, in no particular
	// order and in memory that does not grow with their number. An error
	// from fn stops it and is returned.
	EachUser(ctx context.Context, fn func(User) error) error
}

// Units stores the organisation tree.
type Units interface {
	// AllUnits returns every unit.
	AllUnits(ctx context.Context) ([]Unit, error)
	// SaveUnits creates units or updates their names, parents and order,
	// keyed by id; records that refer to a unit stay valid.
	SaveUnits(ctx context.Context, units []Unit) error
}

// Invites stores invitation codes.
type Invites interface {
	// CreateInvite stores a new invitation; ErrDuplicate if the code exists.
	CreateInvite(ctx context.Context, inv Invite) error
	// RedeemInvite marks the unused, unexpired invitation code as used by
	// userID and returns it. It returns ErrNotFound when there is no such
	// usable code. At most one user succeeds for a code; the same user
	// redeeming it again (a retried update) gets it again.
	RedeemInvite(ctx context.Context, code string, userID int64, now time.Time) (Invite, error)
}

// Activities stores activity records.
type Activities interface {
	// InsertActivity stores a new record, confirmed by the server before it
	// returns. ErrDuplicate if a record with its ID exists.
	InsertActivity(ctx context.Context, a Activity) error
	// Activity returns a record that is not deleted, or ErrNotFound.
	Activity(ctx context.Context, id ActivityID) (Activity, error)
	// UpdateActivity replaces the editable fields of a record that is not
	// deleted; ErrNotFound otherwise.
	UpdateActivity(ctx context.Context, a Activity) error
	// DeleteActivity marks a record deleted; ErrNotFound if it is not there.
	DeleteActivity(ctx context.Context, id ActivityID, at time.Time) error
	// ListActivities returns matching records newest first (by date, then
	// by logging time), skipping skip and returning at most limit.
	ListActivities(ctx context.Context, f ActivityFilter, skip, limit int) ([]Activity, error)
	// CountActivities counts matching records.
	CountActivities(ctx context.Context, f ActivityFilter) (int, error)
	// EachActivity calls fn for every matching record, in no particular
	// order and in memory that does not grow with their number; photos
	// are left out.
	// An error from fn stops the iteration and is returned.
	EachActivity(ctx context.Context, f ActivityFilter, fn func(Activity) error) error
	// ReviewActivity sets the review state of a record that is not deleted
	// and adds note to its thread, in one write; ErrNotFound otherwise.
	ReviewActivity(ctx context.Context, id ActivityID, note ReviewNote) error
}

// Conversations stores each user's current flow.
type Conversations interface {
	// Conversation returns the user's conversation, or ErrNotFound.
	Conversation(ctx context.Context, userID int64) (Conversation, error)
	// SaveConversation creates or replaces the user's conversation in one
	// write: the step, the draft and the applied update keys together.
	SaveConversation(ctx context.Context, c Conversation) error
}

// AttemptRetention is how long failed attempts are kept: RecordAttempt
// forgets older ones, so CountAttempts windows must not be longer.
const AttemptRetention = 24 * time.Hour

// Attempts counts failed tries of something rate-limited, per user.
type Attempts interface {
	// RecordAttempt notes a failed try of kind by userID at time at, and
	// forgets tries older than AttemptRetention before at.
	RecordAttempt(ctx context.Context, kind string, userID int64, at time.Time) error
	// CountAttempts counts tries of kind by userID since since.
	CountAttempts(ctx context.Context, kind string, userID int64, since time.Time) (int, error)
}

// PhotoFiles keeps the photo files the project stores itself (a photo
// uploaded on the web page), as opposed to those a channel keeps.
type PhotoFiles interface {
	// SavePhotoFile stores data, an image of contentType, and returns the
	// id of the new file.
	SavePhotoFile(ctx context.Context, data []byte, contentType string) (id string, err error)
	// PhotoFile returns a stored file and its content type, or ErrNotFound.
	PhotoFile(ctx context.Context, id string) (data []byte, contentType string, err error)
}
