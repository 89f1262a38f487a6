package fieldlog

import "time"

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

// Activity is one logged activity record.
type Activity struct {
	ID           ActivityID
	SectionID    string
	TypeID       string
	Date         Date // the day it happened, local time
	Participants Count
	Quantity     Count // only for types with Quantity
	Title        string
	Place        string   // empty means the reporter's unit
	Photos       []string // channel file ids, e.g. Telegram file_id
	UnitID       UnitID
	ReporterID   int64
	ReporterName string
	LoggedAt     time.Time
	UpdatedAt    time.Time
	Deleted      bool
	DeletedAt    time.Time
}

// ActivityFilter selects activity records. Zero fields do not filter.
// Deleted records are never returned.
type ActivityFilter struct {
	ReporterID int64
	Units      []UnitID // records of any of these units
	From, To   Date     // inclusive
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
