package fieldlog

import (
	"slices"
	"time"
)

// ActivityID identifies an activity record. It is chosen when the officer
// starts logging, so that saving the same draft twice stores one record.
type ActivityID string

// Count is a figure an officer gives, possibly approximate ("80余").
type Count struct {
	Value  int64
	Approx bool // given as 80余, 80多, 约80 or 80+: about Value, shown with 余
}

// Add sums two counts; the sum is approximate if either part is.
func (c Count) Add(o Count) Count { return Count{c.Value + o.Value, c.Approx || o.Approx} }

// MaxCount is the largest figure accepted for participants or a quantity;
// above it an officer is asked to check the number.
const MaxCount = 100000

// MaxPhotos is how many photos one record keeps.
const MaxPhotos = 10

// Photo is a photo of an activity, wherever its file is kept: by the
// channel it came through (Telegram keeps what officers send, and the bot
// shows it again by its id) or by the project (a photo uploaded on the
// web page, stored with PhotoFiles).
type Photo struct {
	Source PhotoSource
	// ID is the channel's file id, or the stored file's id.
	ID string
}

// PhotoSource says where a photo's file is kept.
type PhotoSource string

// The sources of photos.
const (
	// TelegramPhoto is a photo sent through Telegram: ID is its file_id.
	TelegramPhoto PhotoSource = "telegram"
	// TelegramDocument is an image sent through Telegram "as a file",
	// uncompressed: Telegram can only show it again as a document.
	TelegramDocument PhotoSource = "telegram-document"
	// StoredPhoto is a file the project stores (PhotoFiles).
	StoredPhoto PhotoSource = "stored"
)

// Activity is one logged activity record.
type Activity struct {
	ID           ActivityID
	SectionID    string
	TypeID       string
	Date         Date // the day it happened, local time
	Participants Count
	Quantity     Count // only for types with Quantity
	Title        string
	Place        string  // empty means the reporter's unit
	Photos       []Photo // at most MaxPhotos
	UnitID       UnitID
	ReporterID   int64
	ReporterName string
	LoggedAt     time.Time
	UpdatedAt    time.Time
	Deleted      bool
	DeletedAt    time.Time
	// Review is a coordinator's check of the record before the deadline.
	Review Review
}

// Review is the exchange between a coordinator who doubts a record and its
// reporter: the record is returned with a comment, and stays returned until
// the reporter edits it or confirms it as it is.
type Review struct {
	State  ReviewState
	Thread []ReviewNote // oldest first
}

// ReviewState is where a record's review stands.
type ReviewState string

// The states of a review. A record never reviewed has none.
const (
	Returned  ReviewState = "returned"  // waiting for the reporter
	Confirmed ReviewState = "confirmed" // the reporter kept it as it is
	Corrected ReviewState = "corrected" // the reporter edited it
)

// Pending reports whether the record waits for its reporter.
func (r Review) Pending() bool { return r.State == Returned }

// ReviewNote is one turn of a review: who did what, when, and the comment.
type ReviewNote struct {
	State  ReviewState // what this turn made of the review
	By     int64
	ByName string
	At     time.Time
	Text   string // the coordinator's comment; empty for the reporter's turns
}

// AnyThread is the seen of a ReviewActivity that adds its note whatever the
// thread holds: a coordinator's return, which stands whoever reviewed the
// record before.
const AnyThread = -1

// MaxReviewComment is how long a coordinator's comment may be.
const MaxReviewComment = 200

// ActivityFilter selects activity records. Deleted records are never
// returned.
//
// Units fail closed: a filter matches records of the listed units only, and
// an empty list matches nothing, so that a scope that came out empty (an
// unknown unit, a coordinator whose unit left the tree) shows nothing rather
// than everything. Every unit is asked for with AllUnits, which only an
// admin's views and an officer's own list (narrowed by ReporterID) use; see
// User.RecordScope. The other zero fields do not filter.
type ActivityFilter struct {
	ReporterID int64
	Units      []UnitID // records of any of these units
	AllUnits   bool     // records of every unit; Units is then ignored
	From, To   Date     // inclusive
}

// MatchesNothing reports whether f can match no record at all, so that a
// store need not ask the server.
func (f ActivityFilter) MatchesNothing() bool { return !f.AllUnits && len(f.Units) == 0 }

// Matches reports whether a is selected by f; stores that filter in Go use
// it, so that every store applies the same rule.
func (f ActivityFilter) Matches(a Activity) bool {
	switch {
	case a.Deleted:
		return false
	case f.ReporterID != 0 && a.ReporterID != f.ReporterID:
		return false
	case !f.AllUnits && !slices.Contains(f.Units, a.UnitID):
		return false
	case !f.From.IsZero() && a.Date.Before(f.From):
		return false
	case !f.To.IsZero() && f.To.Before(a.Date):
		return false
	}
	return true
}

// Invite is a one-time code that lets a new user join with a role and unit.
type Invite struct {
	Code      string
	Role      Role
	UnitID    UnitID
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedBy    int64
	UsedAt    time.Time
}

// InviteLifetime is how long an invitation code stays valid.
const InviteLifetime = 7 * 24 * time.Hour
