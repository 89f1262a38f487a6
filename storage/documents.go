package storage

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fieldlog"
)

// The documents as stored. The domain types carry no bson tags and know
// nothing of the driver; these structs fix the field names on disk, and
// the functions below map between the two.
//
// Zero times are left out (omitempty), so a document never holds the year-1
// date Go uses for "unset"; reading a missing time gives the zero time back.

// userDoc is a user. Its _id is the Telegram id written as a string, and
// so is a conversation's: the embedded server finds a document by _id
// through SQLite only when the _id is a string or an ObjectID, and scans
// the whole collection otherwise (STACK-NOTES.md).
type userDoc struct {
	ID       string    `bson:"_id"`
	ChatID   int64     `bson:"chat_id"`
	Telegram int64     `bson:"telegram,omitempty"`
	Name     string    `bson:"name"`
	Lang     string    `bson:"lang"`
	Role     string    `bson:"role"`
	UnitID   string    `bson:"unit_id"`
	JoinedAt time.Time `bson:"joined_at,omitempty"`
	// RemindersOff and Blocked are left out while false.
	RemindersOff bool `bson:"reminders_off,omitempty"`
	Blocked      bool `bson:"blocked,omitempty"`
}

func toUserDoc(u fieldlog.User) userDoc {
	return userDoc{
		ID:       idString(u.ID),
		ChatID:   u.ChatID,
		Telegram: u.Telegram,
		Name:     u.Name,
		Lang:     string(u.Lang),
		Role:     string(u.Role),
		UnitID:   string(u.UnitID),
		JoinedAt: msTime(u.JoinedAt),

		RemindersOff: u.RemindersOff,
		Blocked:      u.Blocked,
	}
}

func (d userDoc) user() fieldlog.User {
	return fieldlog.User{
		ID:       idNumber(d.ID),
		ChatID:   d.ChatID,
		Telegram: d.Telegram,
		Name:     d.Name,
		Lang:     fieldlog.Lang(d.Lang),
		Role:     fieldlog.Role(d.Role),
		UnitID:   fieldlog.UnitID(d.UnitID),
		JoinedAt: d.JoinedAt,

		RemindersOff: d.RemindersOff,
		Blocked:      d.Blocked,
	}
}

type unitDoc struct {
	ID       string            `bson:"_id"`
	ParentID string            `bson:"parent_id"`
	Level    string            `bson:"level"`
	Name     map[string]string `bson:"name"` // language tag → label
	Order    int               `bson:"order"`
}

func (d unitDoc) unit() fieldlog.Unit {
	var name fieldlog.Text
	if len(d.Name) > 0 {
		name = make(fieldlog.Text, len(d.Name))
		for l, s := range d.Name {
			name[fieldlog.Lang(l)] = s
		}
	}
	return fieldlog.Unit{
		ID:       fieldlog.UnitID(d.ID),
		ParentID: fieldlog.UnitID(d.ParentID),
		Level:    fieldlog.Level(d.Level),
		Name:     name,
		Order:    d.Order,
	}
}

// idString is a Telegram id as the _id of its user and conversation.
func idString(id int64) string { return strconv.FormatInt(id, 10) }

// idNumber reads an id written by idString; anything else is 0.
func idNumber(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func textDoc(t fieldlog.Text) map[string]string {
	m := make(map[string]string, len(t)) // never nil: stored as {} rather than null
	for l, s := range t {
		m[string(l)] = s
	}
	return m
}

type inviteDoc struct {
	Code      string    `bson:"_id"`
	Role      string    `bson:"role"`
	UnitID    string    `bson:"unit_id"`
	CreatedBy int64     `bson:"created_by"`
	CreatedAt time.Time `bson:"created_at,omitempty"`
	ExpiresAt time.Time `bson:"expires_at"`
	// UsedBy is 0 until the code is redeemed; it is always written, because
	// RedeemInvite selects unused codes with used_by: 0.
	UsedBy int64     `bson:"used_by"`
	UsedAt time.Time `bson:"used_at,omitempty"`
}

func toInviteDoc(inv fieldlog.Invite) inviteDoc {
	return inviteDoc{
		Code:      inv.Code,
		Role:      string(inv.Role),
		UnitID:    string(inv.UnitID),
		CreatedBy: inv.CreatedBy,
		CreatedAt: msTime(inv.CreatedAt),
		ExpiresAt: msTime(inv.ExpiresAt),
		UsedBy:    inv.UsedBy,
		UsedAt:    msTime(inv.UsedAt),
	}
}

func (d inviteDoc) invite() fieldlog.Invite {
	return fieldlog.Invite{
		Code:      d.Code,
		Role:      fieldlog.Role(d.Role),
		UnitID:    fieldlog.UnitID(d.UnitID),
		CreatedBy: d.CreatedBy,
		CreatedAt: d.CreatedAt,
		ExpiresAt: d.ExpiresAt,
		UsedBy:    d.UsedBy,
		UsedAt:    d.UsedAt,
	}
}

// countDoc is a fieldlog.Count. The value is an int64, never a Decimal128,
// which the embedded server cannot store.
type countDoc struct {
	Value  int64 `bson:"value"`
	Approx bool  `bson:"approx"`
}

func toCountDoc(c fieldlog.Count) countDoc { return countDoc{Value: c.Value, Approx: c.Approx} }

func (d countDoc) count() fieldlog.Count { return fieldlog.Count{Value: d.Value, Approx: d.Approx} }

// activityDoc is an activity record. The date is a "YYYY-MM-DD" string:
// it sorts and compares as a string in date order, and it is the civil day
// the officer gave, free of any time zone.
type activityDoc struct {
	ID           string    `bson:"_id"`
	SectionID    string    `bson:"section_id"`
	TypeID       string    `bson:"type_id"`
	Date         string    `bson:"date"` // "" when unset (a draft)
	Participants countDoc  `bson:"participants"`
	Quantity     countDoc  `bson:"quantity"`
	Title        string    `bson:"title"`
	Place        string    `bson:"place"`
	Photos       []string  `bson:"photos"` // never null, so that it is always an array
	UnitID       string    `bson:"unit_id"`
	ReporterID   int64     `bson:"reporter_id"`
	ReporterName string    `bson:"reporter_name"`
	LoggedAt     time.Time `bson:"logged_at,omitempty"`
	UpdatedAt    time.Time `bson:"updated_at,omitempty"`
	Deleted      bool      `bson:"deleted"`
	DeletedAt    time.Time `bson:"deleted_at,omitempty"`
	// The review, left out of records never reviewed; written only by
	// ReviewActivity, one note at a time.
	ReviewState  string          `bson:"review_state,omitempty"`
	ReviewThread []reviewNoteDoc `bson:"review_thread,omitempty"`
}

type reviewNoteDoc struct {
	State  string    `bson:"state"`
	By     int64     `bson:"by"`
	ByName string    `bson:"by_name"`
	At     time.Time `bson:"at"`
	Text   string    `bson:"text"`
}

func toReviewNoteDoc(n fieldlog.ReviewNote) reviewNoteDoc {
	return reviewNoteDoc{State: string(n.State), By: n.By, ByName: n.ByName, At: msTime(n.At), Text: n.Text}
}

func (d reviewNoteDoc) note() fieldlog.ReviewNote {
	return fieldlog.ReviewNote{State: fieldlog.ReviewState(d.State), By: d.By, ByName: d.ByName, At: d.At, Text: d.Text}
}

func dateString(d fieldlog.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func parseDate(s string) (fieldlog.Date, error) {
	if s == "" {
		return fieldlog.Date{}, nil
	}
	return fieldlog.ParseISODate(s)
}

// Photos are stored as strings, as they were before they had a source: a
// Telegram photo's file_id as it is, an image sent as a file with "doc:"
// before it, a file the project stores with "stored:". Telegram's file
// ids never hold a colon, so the prefixes cannot be mistaken for one.
const (
	telegramDocumentPrefix = "doc:"
	storedPhotoPrefix      = "stored:"
)

// photosDoc is photos as stored: never nil, so that the field is an
// empty list rather than missing.
func photosDoc(photos []fieldlog.Photo) []string {
	out := make([]string, 0, len(photos))
	for _, p := range photos {
		switch p.Source {
		case fieldlog.TelegramDocument:
			out = append(out, telegramDocumentPrefix+p.ID)
		case fieldlog.StoredPhoto:
			out = append(out, storedPhotoPrefix+p.ID)
		default:
			out = append(out, p.ID)
		}
	}
	return out
}

// photosOf reads stored photos back; none gives nil.
func photosOf(ss []string) []fieldlog.Photo {
	var out []fieldlog.Photo
	for _, s := range ss {
		if id, ok := strings.CutPrefix(s, telegramDocumentPrefix); ok {
			out = append(out, fieldlog.Photo{Source: fieldlog.TelegramDocument, ID: id})
		} else if id, ok := strings.CutPrefix(s, storedPhotoPrefix); ok {
			out = append(out, fieldlog.Photo{Source: fieldlog.StoredPhoto, ID: id})
		} else {
			out = append(out, fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: s})
		}
	}
	return out
}

func toActivityDoc(a fieldlog.Activity) activityDoc {
	return activityDoc{
		ID:           string(a.ID),
		SectionID:    a.SectionID,
		TypeID:       a.TypeID,
		Date:         dateString(a.Date),
		Participants: toCountDoc(a.Participants),
		Quantity:     toCountDoc(a.Quantity),
		Title:        a.Title,
		Place:        a.Place,
		Photos:       photosDoc(a.Photos),
		UnitID:       string(a.UnitID),
		ReporterID:   a.ReporterID,
		ReporterName: a.ReporterName,
		LoggedAt:     msTime(a.LoggedAt),
		UpdatedAt:    msTime(a.UpdatedAt),
		Deleted:      a.Deleted,
		DeletedAt:    msTime(a.DeletedAt),
		ReviewState:  string(a.Review.State),
		ReviewThread: reviewThreadDoc(a.Review.Thread),
	}
}

func reviewThreadDoc(ns []fieldlog.ReviewNote) []reviewNoteDoc {
	var out []reviewNoteDoc
	for _, n := range ns {
		out = append(out, toReviewNoteDoc(n))
	}
	return out
}

// activity maps the document back. An empty photo list comes back as nil,
// whether it was stored as [] or left out by a projection.
func (d activityDoc) activity() (fieldlog.Activity, error) {
	date, err := parseDate(d.Date)
	if err != nil {
		return fieldlog.Activity{}, fmt.Errorf("activity %s: %w", d.ID, err)
	}
	photos := photosOf(d.Photos)
	return fieldlog.Activity{
		ID:           fieldlog.ActivityID(d.ID),
		SectionID:    d.SectionID,
		TypeID:       d.TypeID,
		Date:         date,
		Participants: d.Participants.count(),
		Quantity:     d.Quantity.count(),
		Title:        d.Title,
		Place:        d.Place,
		Photos:       photos,
		UnitID:       fieldlog.UnitID(d.UnitID),
		ReporterID:   d.ReporterID,
		ReporterName: d.ReporterName,
		LoggedAt:     d.LoggedAt,
		UpdatedAt:    d.UpdatedAt,
		Deleted:      d.Deleted,
		DeletedAt:    d.DeletedAt,
		Review:       review(d.ReviewState, d.ReviewThread),
	}, nil
}

func review(state string, thread []reviewNoteDoc) fieldlog.Review {
	r := fieldlog.Review{State: fieldlog.ReviewState(state)}
	for _, n := range thread {
		r.Thread = append(r.Thread, n.note())
	}
	return r
}

// conversationDoc is a user's current flow, written whole after every step
// of every user. It is kept small, because on the embedded server a write
// costs about as much as the document is long (FerretDB decodes the old
// one, encodes the new, and SQLite parses the JSON again for each index):
// the draft leaves out what is unset, and the applied update keys are one
// string. The draft is a sub-document and the flow's other answers
// another, so that the whole state is one document written with one
// ReplaceOne.
type conversationDoc struct {
	// UserID is the user's id as a string, as in userDoc; on the embedded
	// server, where conversations are a journal (journal.go), it is
	// "<user>/<seq>", and User and Seq say whose state and which.
	UserID string    `bson:"_id"`
	User   string    `bson:"user,omitempty"`
	Seq    int64     `bson:"seq,omitempty"`
	ID     string    `bson:"conversation_id,omitempty"`
	Flow   string    `bson:"flow,omitempty"`
	Step   string    `bson:"step,omitempty"`
	Draft  *draftDoc `bson:"draft,omitempty"`
	// Vars keys are chosen by the flows; they must not start with '$' or
	// contain '.', which field names cannot hold.
	Vars map[string]string `bson:"vars,omitempty"`
	// Applied holds the keys of the updates applied, newest last, joined
	// by newlines (keys hold none). It is written with the step.
	Applied   string    `bson:"applied_keys,omitempty"`
	UpdatedAt time.Time `bson:"updated_at,omitempty"`
}

// draftDoc is the record a flow is filling in; unset fields are left out.
// Its field names are those of activityDoc.
type draftDoc struct {
	ID           string    `bson:"_id,omitempty"`
	SectionID    string    `bson:"section_id,omitempty"`
	TypeID       string    `bson:"type_id,omitempty"`
	Date         string    `bson:"date,omitempty"`
	Participants *countDoc `bson:"participants,omitempty"`
	Quantity     *countDoc `bson:"quantity,omitempty"`
	Title        string    `bson:"title,omitempty"`
	Place        string    `bson:"place,omitempty"`
	Photos       []string  `bson:"photos,omitempty"`
	UnitID       string    `bson:"unit_id,omitempty"`
	ReporterID   int64     `bson:"reporter_id,omitempty"`
	ReporterName string    `bson:"reporter_name,omitempty"`
	LoggedAt     time.Time `bson:"logged_at,omitempty"`
	UpdatedAt    time.Time `bson:"updated_at,omitempty"`
}

func countPtr(c fieldlog.Count) *countDoc {
	if c == (fieldlog.Count{}) {
		return nil
	}
	d := toCountDoc(c)
	return &d
}

func (d *countDoc) countOrZero() fieldlog.Count {
	if d == nil {
		return fieldlog.Count{}
	}
	return d.count()
}

func toDraftDoc(a fieldlog.Activity) *draftDoc {
	d := &draftDoc{
		ID: string(a.ID), SectionID: a.SectionID, TypeID: a.TypeID, Date: dateString(a.Date),
		Participants: countPtr(a.Participants), Quantity: countPtr(a.Quantity),
		Title: a.Title, Place: a.Place, Photos: draftPhotos(a.Photos), UnitID: string(a.UnitID),
		ReporterID: a.ReporterID, ReporterName: a.ReporterName,
		LoggedAt: msTime(a.LoggedAt), UpdatedAt: msTime(a.UpdatedAt),
	}
	if reflect.ValueOf(*d).IsZero() {
		return nil
	}
	return d
}

func (d *draftDoc) activity() (fieldlog.Activity, error) {
	if d == nil {
		return fieldlog.Activity{}, nil
	}
	date, err := parseDate(d.Date)
	if err != nil {
		return fieldlog.Activity{}, fmt.Errorf("draft %s: %w", d.ID, err)
	}
	photos := photosOf(d.Photos)
	return fieldlog.Activity{
		ID: fieldlog.ActivityID(d.ID), SectionID: d.SectionID, TypeID: d.TypeID, Date: date,
		Participants: d.Participants.countOrZero(), Quantity: d.Quantity.countOrZero(),
		Title: d.Title, Place: d.Place, Photos: photos, UnitID: fieldlog.UnitID(d.UnitID),
		ReporterID: d.ReporterID, ReporterName: d.ReporterName, LoggedAt: d.LoggedAt, UpdatedAt: d.UpdatedAt,
	}, nil
}

func toConversationDoc(c fieldlog.Conversation) conversationDoc {
	var vars map[string]string
	for k, v := range c.Vars {
		if v == "" {
			continue // an unset answer reads back as unset
		}
		if vars == nil {
			vars = make(map[string]string, len(c.Vars))
		}
		vars[k] = v
	}
	return conversationDoc{
		UserID:    idString(c.UserID),
		ID:        c.ID,
		Flow:      c.Flow,
		Step:      c.Step,
		Draft:     toDraftDoc(c.Draft),
		Vars:      vars,
		Applied:   strings.Join(c.Applied, "\n"),
		UpdatedAt: msTime(c.UpdatedAt),
	}
}

// conversation maps the document back; no vars come back as a nil map.
func (d conversationDoc) conversation() (fieldlog.Conversation, error) {
	draft, err := d.Draft.activity()
	if err != nil {
		return fieldlog.Conversation{}, fmt.Errorf("draft of conversation of user %s: %w", d.UserID, err)
	}
	var vars map[string]string
	if len(d.Vars) > 0 {
		vars = d.Vars
	}
	var applied []string
	if d.Applied != "" {
		applied = strings.Split(d.Applied, "\n")
	}
	user := d.UserID
	if d.User != "" {
		user = d.User
	}
	return fieldlog.Conversation{
		UserID:    idNumber(user),
		ID:        d.ID,
		Flow:      d.Flow,
		Step:      d.Step,
		Draft:     draft,
		Vars:      vars,
		Applied:   applied,
		UpdatedAt: d.UpdatedAt,
	}, nil
}

type attemptDoc struct {
	Kind   string    `bson:"kind"`
	UserID int64     `bson:"user_id"`
	At     time.Time `bson:"at"`
}

// updateDoc is an incoming update waiting to be handled; its key is the
// _id, so that recording the same update twice is refused by the server.
type updateDoc struct {
	Key        string    `bson:"_id"`
	Seq        int64     `bson:"seq"`
	ChatID     int64     `bson:"chat_id"`
	Payload    []byte    `bson:"payload"`
	ReceivedAt time.Time `bson:"received_at"`
}

func toUpdateDoc(u fieldlog.IncomingUpdate) updateDoc {
	payload := u.Payload
	if payload == nil {
		payload = []byte{}
	}
	return updateDoc{
		Key:        u.Key,
		Seq:        u.Seq,
		ChatID:     u.ChatID,
		Payload:    payload,
		ReceivedAt: msTime(u.ReceivedAt),
	}
}

func (d updateDoc) update() fieldlog.IncomingUpdate {
	var payload []byte
	if len(d.Payload) > 0 {
		payload = d.Payload
	}
	return fieldlog.IncomingUpdate{
		Key:        d.Key,
		Seq:        d.Seq,
		ChatID:     d.ChatID,
		Payload:    payload,
		ReceivedAt: d.ReceivedAt,
	}
}

// draftPhotos is a draft's photos as stored: nil when it has none, so that
// an empty draft is no document at all.
func draftPhotos(photos []fieldlog.Photo) []string {
	if len(photos) == 0 {
		return nil
	}
	return photosDoc(photos)
}
