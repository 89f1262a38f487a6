package fieldlog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Store is everything the conversation engine keeps. The MongoDB adapter in
// storage/ implements it; tests may use it too.
type Store interface {
	Users
	Accounts
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

// Accounts links channels' accounts to users of the project's own: a
// person who joined on the web page and then uses Telegram too. An account
// not linked is the user of its own id, as is everyone who came through
// Telegram. Accounts are keyed by AccountKey.
type Accounts interface {
	// AccountUser returns the id of the user account is linked to, or
	// ErrNotFound.
	AccountUser(ctx context.Context, account string) (int64, error)
	// LinkAccount links account to userID, replacing its link if it had
	// one.
	LinkAccount(ctx context.Context, account string, userID int64, at time.Time) error
	// UnlinkAccount removes account's link; removing none is no error.
	UnlinkAccount(ctx context.Context, account string) error
	// AccountsOf returns the accounts linked to userID, in no particular
	// order.
	AccountsOf(ctx context.Context, userID int64) ([]string, error)
}

// TelegramAccountKey is the key Accounts know Telegram account id by.
func TelegramAccountKey(id int64) string { return "telegram:" + strconv.FormatInt(id, 10) }

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
	// Unless seen is AnyThread, the write is made only if the thread still
	// holds seen notes, that is if nobody reviewed the record since the
	// caller read it (an answer answers the return its reporter saw, once);
	// ErrReviewChanged otherwise, and nothing is written. Check and write
	// are one step for every writer of the record.
	ReviewActivity(ctx context.Context, id ActivityID, note ReviewNote, seen int) error
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
	// DeletePhotoFile removes a stored file that no record keeps (taken
	// off in an edit, or stored for a form that was then refused);
	// removing one that is not there is no error.
	DeletePhotoFile(ctx context.Context, id string) error
}

// TokenHash is the SHA-256 of a secret token (a web session's cookie, a
// sign-in link). Stores keep only it, so that whoever reads the database
// cannot sign in as anyone.
type TokenHash [sha256.Size]byte

// HashToken is the hash stores keep of token.
func HashToken(token string) TokenHash { return sha256.Sum256([]byte(token)) }

// String is the hash in hex, as stores key it.
func (h TokenHash) String() string { return hex.EncodeToString(h[:]) }

// WebSession is a signed-in browser: its cookie's hash and whose it is.
type WebSession struct {
	Hash      TokenHash
	UserID    int64
	CreatedAt time.Time
	SeenAt    time.Time // last request; the store sets it only when told
	ExpiresAt time.Time
}

// WebSessions stores the web page's sessions, so that a restart keeps users
// signed in. Expired sessions are never returned and are pruned by the
// store.
type WebSessions interface {
	// CreateSession stores a new session; ErrDuplicate if its hash exists.
	CreateSession(ctx context.Context, s WebSession) error
	// Session returns the session with hash h that has not expired at now,
	// or ErrNotFound.
	Session(ctx context.Context, h TokenHash, now time.Time) (WebSession, error)
	// TouchSession sets the seen time and expiry of the session with hash
	// h that has not expired at seen; ErrNotFound otherwise.
	TouchSession(ctx context.Context, h TokenHash, seen, expires time.Time) error
	// DeleteSession ends the session with hash h; ending one that is not
	// there is no error (a sign-out sent twice).
	DeleteSession(ctx context.Context, h TokenHash) error
	// DeleteUserSessions ends every session of userID (sign-out everywhere)
	// and returns how many there were.
	DeleteUserSessions(ctx context.Context, userID int64) (int, error)
}

// SignInLinkTTL is how long a one-time sign-in link is valid (issue 12).
const SignInLinkTTL = 10 * time.Minute

// SignInLink is a one-time sign-in link: its token's hash and whom it signs
// in.
type SignInLink struct {
	Hash      TokenHash
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SignInLinks stores one-time sign-in links.
type SignInLinks interface {
	// CreateLink stores a new link; ErrDuplicate if its hash exists. Links
	// that expired are pruned.
	CreateLink(ctx context.Context, l SignInLink) error
	// RedeemLink uses up the link with hash h and returns it. Of concurrent
	// callers exactly one succeeds; the others, and every caller after the
	// link's expiry or use, get ErrNotFound.
	RedeemLink(ctx context.Context, h TokenHash, now time.Time) (SignInLink, error)
}

// TryRetention is how long tries are kept: RecordTry forgets older ones,
// so CountTries windows must not be longer.
const TryRetention = 24 * time.Hour

// Tries counts failed tries of something rate-limited by a string key (a
// network address, a typed code), where Attempts keys by user id: a web
// visitor who has not signed in has no user id yet. Callers may hash keys
// they would rather not store as typed.
type Tries interface {
	// RecordTry notes a failed try of kind for key at time at, and forgets
	// tries older than TryRetention before at.
	RecordTry(ctx context.Context, kind, key string, at time.Time) error
	// CountTries counts tries of kind for key at or after since.
	CountTries(ctx context.Context, kind, key string, since time.Time) (int, error)
}
