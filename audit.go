package fieldlog

import (
	"context"
	"strconv"
	"time"
)

// The audit trail: every change people make through the bot (a record
// logged, edited, deleted, returned or confirmed; a user joining; an
// invitation; a deadline set; a half-year reopened; a paragraph of the
// notes added or deleted) is appended as an
// entry saying who, when and what changed, with the old and new values.
// Entries are never changed or removed.

// AuditAction is what an audit entry records.
type AuditAction string

// The actions the engine records. Locking has no action: a half-year
// closes by itself after its deadline day, nobody does it. A role changes
// only by joining with an invitation, so user.join carries the old and new
// role.
const (
	ActionRecordCreate  AuditAction = "record.create"
	ActionRecordEdit    AuditAction = "record.edit"
	ActionRecordDelete  AuditAction = "record.delete"
	ActionRecordReturn  AuditAction = "record.return"  // a coordinator's review comment
	ActionRecordConfirm AuditAction = "record.confirm" // the reporter keeps a returned record as it is
	ActionUserJoin      AuditAction = "user.join"
	ActionUserLink      AuditAction = "user.link" // a Telegram account linked to a user of the project's own
	ActionInviteCreate  AuditAction = "invite.create"
	ActionDeadlineSet   AuditAction = "deadline.set"
	ActionPeriodReopen  AuditAction = "period.reopen"
	// A paragraph of a unit's notes (subject: the period), its part
	// (problems, plans) as the field and its text as the value.
	ActionNoteAdd    AuditAction = "note.add"
	ActionNoteDelete AuditAction = "note.delete"
)

// SubjectKind is the kind of thing an audit entry is about.
type SubjectKind string

// The kinds of subjects.
const (
	SubjectRecord SubjectKind = "record" // ID: the record's id
	SubjectUser   SubjectKind = "user"   // ID: the user's id
	SubjectUnit   SubjectKind = "unit"   // ID: the unit id; invitations into it
	SubjectPeriod SubjectKind = "period" // ID: "<unit>/<2024-H1>", a unit's half-year
)

// AuditSubject is what an audit entry is about.
type AuditSubject struct {
	Kind SubjectKind
	ID   string
}

// RecordSubject is the subject of entries about record id.
func RecordSubject(id ActivityID) AuditSubject { return AuditSubject{SubjectRecord, string(id)} }

// UserSubject is the subject of entries about the user with id.
func UserSubject(id int64) AuditSubject {
	return AuditSubject{SubjectUser, strconv.FormatInt(id, 10)}
}

// UnitSubject is the subject of entries about unit.
func UnitSubject(unit UnitID) AuditSubject { return AuditSubject{SubjectUnit, string(unit)} }

// PeriodSubject is the subject of entries about unit's half-year p: its
// deadline and its reopenings.
func PeriodSubject(unit UnitID, p Period) AuditSubject {
	return AuditSubject{SubjectPeriod, string(unit) + "/" + p.String()}
}

// AuditEntry is one change, as it was made.
type AuditEntry struct {
	// ID is given by the store when the entry is appended.
	ID    string
	At    time.Time
	Actor int64 // the user who made the change
	// ActorName is their name at the time, as the channel gave it.
	ActorName string
	Action    AuditAction
	Subject   AuditSubject
	Changes   []FieldChange
}

// FieldChange is one field's value before and after a change; "" is no
// value (nothing before a creation, nothing after a deletion).
type FieldChange struct {
	Field    string
	Old, New string
}

// The fields audit entries name. Values are written so that they read the
// same in any language: ids for catalogue entries and units, dates as
// 2006-01-02, figures as 80 or 80+ (approximate), times in RFC 3339.
const (
	FieldType         = "type" // "<section id>/<type id>"
	FieldDate         = "date"
	FieldParticipants = "participants"
	FieldQuantity     = "quantity"
	FieldTitle        = "title"
	FieldPlace        = "place"
	FieldPhotos       = "photos" // how many
	FieldReview       = "review" // a ReviewState
	FieldComment      = "comment"
	FieldRole         = "role"
	FieldUnit         = "unit"
	FieldInvite       = "invite" // an invitation code
	FieldInvitedBy    = "invited_by"
	FieldTelegram     = "telegram" // a Telegram account's id
	FieldExpires      = "expires"
	FieldDue          = "due"
	FieldUntil        = "until"
)

// RecordChanges lists the fields that differ between two versions of a
// record, in the order the record's details show them. A zero Activity
// (no ID) on either side stands for no record: RecordChanges(Activity{}, a)
// lists every field a was created with, RecordChanges(a, Activity{})
// every field it had when deleted.
func RecordChanges(old, new Activity) []FieldChange {
	before, after := recordFields(old), recordFields(new)
	var out []FieldChange
	for i, f := range before {
		if f.value != after[i].value {
			out = append(out, FieldChange{Field: f.name, Old: f.value, New: after[i].value})
		}
	}
	return out
}

type fieldValue struct{ name, value string }

// recordFields are the audited fields of a, in order; all empty for the
// zero Activity.
func recordFields(a Activity) []fieldValue {
	fields := []fieldValue{{FieldType, ""}, {FieldDate, ""}, {FieldParticipants, ""}, {FieldQuantity, ""},
		{FieldTitle, ""}, {FieldPlace, ""}, {FieldPhotos, ""}}
	if a.ID == "" {
		return fields
	}
	fields[0].value = a.SectionID + "/" + a.TypeID
	if !a.Date.IsZero() {
		fields[1].value = a.Date.String()
	}
	fields[2].value = countValue(a.Participants)
	if a.Quantity != (Count{}) {
		fields[3].value = countValue(a.Quantity)
	}
	fields[4].value = a.Title
	fields[5].value = a.Place
	fields[6].value = strconv.Itoa(len(a.Photos))
	return fields
}

// countValue writes c as the audit trail keeps it: 80, or 80+ when
// approximate (as an officer may type it).
func countValue(c Count) string {
	s := strconv.FormatInt(c.Value, 10)
	if c.Approx {
		s += "+"
	}
	return s
}

// AuditLog keeps the audit trail. Entries are only ever appended.
type AuditLog interface {
	// AppendAudit stores e as a new entry, with an ID of the store's
	// choosing.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// AuditOf returns the latest entries about s, newest first, at most
	// limit of them (all when limit <= 0).
	AuditOf(ctx context.Context, s AuditSubject, limit int) ([]AuditEntry, error)
	// AuditSince calls fn for every entry made at or after since, oldest
	// first. An error from fn stops it and is returned.
	AuditSince(ctx context.Context, since time.Time, fn func(AuditEntry) error) error
}
