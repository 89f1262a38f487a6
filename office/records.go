package office

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fieldlog"
	"fieldlog/parse"
)

// Records: reading one, listing a page of them, logging, editing and
// deleting. Who may do which is fieldlog.User's to say (access.go).

// MaxPlace is the longest place, in runes.
const MaxPlace = 60

// Field is a field of a record, as an InvalidError names it.
type Field string

// The fields a draft is checked by.
const (
	FieldType         Field = "type" // section and type
	FieldDate         Field = "date"
	FieldParticipants Field = "participants"
	FieldQuantity     Field = "quantity"
	FieldTitle        Field = "title"
	FieldPlace        Field = "place"
	FieldPhotos       Field = "photos"
	FieldComment      Field = "comment" // of a return
)

// ErrIDTaken is the refusal to log a draft whose id another record has:
// the caller gives the draft a new id and logs it again.
var ErrIDTaken = errors.New("the record's id is taken")

// ErrAlreadySaved is the refusal to log a draft whose record its user
// saved before with other content (a form sent again, changed, after
// Back): Log returns the record as stored, for the user to see or edit;
// a second record of one activity would count it twice.
var ErrAlreadySaved = errors.New("the draft's record is saved already, as it was")

// ErrMissing is the error of an InvalidError for a field the draft lacks.
var ErrMissing = errors.New("missing")

// ErrTooManyPhotos is the error of an InvalidError for photos above
// fieldlog.MaxPhotos.
var ErrTooManyPhotos = errors.New("too many photos")

// InvalidError is the refusal of a draft one of whose fields breaks its
// rule. Err is the parser's error (parse.ErrFutureDate, parse.ErrTooLarge,
// parse.TooLongError …), ErrMissing or ErrTooManyPhotos.
type InvalidError struct {
	Field Field
	Err   error
}

func (e *InvalidError) Error() string { return fmt.Sprintf("%s: %v", e.Field, e.Err) }

func (e *InvalidError) Unwrap() error { return e.Err }

// Record returns the record with id if u may read it: fieldlog.ErrNotFound
// when it is gone, ErrForbidden when it is not theirs to see.
func (o *Office) Record(ctx context.Context, u fieldlog.User, id fieldlog.ActivityID) (fieldlog.Activity, error) {
	a, err := o.store.Activity(ctx, id)
	if errors.Is(err, fieldlog.ErrNotFound) {
		return a, fieldlog.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("load record %s: %w", id, err)
	}
	tree, err := o.Tree(ctx)
	if err != nil {
		return a, err
	}
	if !u.MayRead(tree, a) {
		return a, ErrForbidden
	}
	return a, nil
}

// Changeable returns the record with id if u may change it now: the
// refusals of Record, ErrForbidden when they are not its reporter, and a
// *ClosedError when its half-year is closed.
func (o *Office) Changeable(ctx context.Context, u fieldlog.User, id fieldlog.ActivityID) (fieldlog.Activity, error) {
	a, err := o.Record(ctx, u, id)
	if err != nil {
		return a, err
	}
	if !u.MayChange(a) {
		return a, ErrForbidden
	}
	if err := o.Closed(ctx, a.UnitID, a.Date); err != nil {
		return a, err
	}
	return a, nil
}

// Scope is which records a list shows.
type Scope int

// The scopes of a list.
const (
	// Own is the records the user reported, wherever they were logged.
	Own Scope = iota
	// Subtree is every record the user may see besides their own: all
	// units for an admin, a coordinator's subtree.
	Subtree
)

// Page is one page of a list of records, newest first.
type Page struct {
	Records []fieldlog.Activity
	// Index is the page's number from 0, Pages how many there are, Total
	// how many records all of them hold.
	Index, Pages, Total int
}

// Records returns page index (from 0; a page past the end is the last) of
// size records of scope, newest first. ErrForbidden when u may not list
// scope: Subtree is for coordinators and admins.
func (o *Office) Records(ctx context.Context, u fieldlog.User, scope Scope, index, size int) (Page, error) {
	var f fieldlog.ActivityFilter
	switch {
	case scope == Own:
		f = u.OwnRecords()
	case scope == Subtree && u.CanCoordinate():
		tree, err := o.Tree(ctx)
		if err != nil {
			return Page{}, err
		}
		f = u.RecordScope(tree)
	default:
		return Page{}, ErrForbidden
	}
	total, err := o.store.CountActivities(ctx, f)
	if err != nil {
		return Page{}, fmt.Errorf("count records: %w", err)
	}
	if total == 0 || size <= 0 {
		return Page{Total: total}, nil
	}
	pages := (total + size - 1) / size
	index = min(max(index, 0), pages-1)
	list, err := o.store.ListActivities(ctx, f, index*size, size)
	if err != nil {
		return Page{}, fmt.Errorf("list records: %w", err)
	}
	return Page{Records: list, Index: index, Pages: pages, Total: total}, nil
}

// CheckDate applies the rules of a record's date: no later than today, no
// earlier than Earliest. The error is parse.ErrFutureDate or
// parse.ErrTooEarly.
func (o *Office) CheckDate(d fieldlog.Date) error {
	switch {
	case o.Today().Before(d):
		return parse.ErrFutureDate
	case d.Before(o.Earliest()):
		return parse.ErrTooEarly
	}
	return nil
}

// CheckDraft applies the rule of every field to a draft, in the order a
// form asks them, and returns an *InvalidError for the first that fails,
// or nil. orig is the stored record of an edit (the zero Activity for a
// new one): a date it already had is kept even if it is now before the
// earliest day, so that fixing the title of an old record stays possible.
func (o *Office) CheckDraft(a, orig fieldlog.Activity) error {
	ty, ok := o.catalog.Type(a.SectionID, a.TypeID)
	if !ok {
		// Not chosen yet, or a catalogue changed under a running flow.
		return &InvalidError{FieldType, ErrMissing}
	}
	if a.Date.IsZero() {
		return &InvalidError{FieldDate, ErrMissing}
	}
	if err := o.CheckDate(a.Date); err != nil && (orig.ID == "" || a.Date != orig.Date) {
		return &InvalidError{FieldDate, err}
	}
	if err := CheckCount(a.Participants); err != nil {
		return &InvalidError{FieldParticipants, err}
	}
	if ty.Quantity {
		if err := CheckCount(a.Quantity); err != nil {
			return &InvalidError{FieldQuantity, err}
		}
	}
	if _, err := parse.Title(a.Title, parse.MaxTitle); err != nil {
		return &InvalidError{FieldTitle, err}
	}
	if a.Place != "" {
		if _, err := parse.Title(a.Place, MaxPlace); err != nil {
			return &InvalidError{FieldPlace, err}
		}
	}
	if len(a.Photos) > fieldlog.MaxPhotos {
		return &InvalidError{FieldPhotos, ErrTooManyPhotos}
	}
	return nil
}

// CheckCount applies the rules of parse.Count to a stored figure.
func CheckCount(c fieldlog.Count) error {
	switch {
	case c.Value < 0:
		return parse.ErrNegative
	case c.Value > fieldlog.MaxCount:
		return parse.ErrTooLarge
	}
	return nil
}

// Log stores draft as a new record of u, reported in u's unit, and
// returns it as stored. The draft is checked whole first (it may have
// waited: a draft begun in June and saved in July has another earliest
// day), and its half-year must be open. Logging a draft whose ID is
// stored already (a retried save) stores nothing more and succeeds.
func (o *Office) Log(ctx context.Context, u fieldlog.User, draft fieldlog.Activity) (fieldlog.Activity, error) {
	if !u.MayLog() {
		return draft, ErrForbidden
	}
	if draft.ID == "" {
		return draft, errors.New("log a record: no id")
	}
	a := draft
	a.UnitID, a.ReporterID, a.ReporterName = u.UnitID, u.ID, u.Name
	a.Review, a.Deleted, a.DeletedAt = fieldlog.Review{}, false, time.Time{}
	if err := o.CheckDraft(a, fieldlog.Activity{}); err != nil {
		return draft, err
	}
	if err := o.Closed(ctx, a.UnitID, a.Date); err != nil {
		return draft, err
	}
	a.LoggedAt = o.now()
	a.UpdatedAt = a.LoggedAt
	switch err := o.store.InsertActivity(ctx, a); {
	case err == nil:
		o.observe.RecordSaved()
		o.audit(ctx, u, fieldlog.ActionRecordCreate, fieldlog.RecordSubject(a.ID), fieldlog.RecordChanges(fieldlog.Activity{}, a))
	case errors.Is(err, fieldlog.ErrDuplicate):
		// Saved, and recorded, before: a replay, if the record is this
		// user's and still there; otherwise the id was someone else's
		// (a forged or unlucky form), and nothing of this draft is stored.
		// A replay is the same draft: one changed since (a form sent
		// again after Back) is a new record, and must not pass for saved.
		stored, err := o.store.Activity(ctx, a.ID)
		if err != nil || stored.ReporterID != u.ID {
			return draft, ErrIDTaken
		}
		if len(fieldlog.RecordChanges(stored, a)) > 0 {
			return stored, ErrAlreadySaved
		}
		o.log.Info("activity saved before; a replay", "user", u.ID, "activity", a.ID)
		return stored, nil
	default:
		return draft, fmt.Errorf("save record: %w", err)
	}
	o.log.Info("activity saved", "user", u.ID, "activity", a.ID)
	return a, nil
}

// Edit stores the editable fields of draft over the record of its ID, and
// returns the record as stored. Only the record's reporter may; the draft
// is checked whole; the half-year of its date, and of the stored date if
// it moved, must be open. A record returned for checking is corrected by
// the edit, and the coordinator who returned it is told, if the edit began
// from the return as it stands: seen is how many notes of the review
// thread its reporter was shown as they began (fieldlog.AnyThread: not
// known). An edit begun before the record was returned again is stored,
// and answers nothing: the new comment waits, its state stays returned.
func (o *Office) Edit(ctx context.Context, u fieldlog.User, draft fieldlog.Activity, seen int) (fieldlog.Activity, error) {
	orig, err := o.Record(ctx, u, draft.ID)
	if err != nil {
		return draft, err
	}
	if !u.MayChange(orig) {
		return draft, ErrForbidden
	}
	a := draft
	// Whose and where it is, and its review, are not the draft's to change.
	a.UnitID, a.ReporterID, a.ReporterName, a.LoggedAt, a.Review = orig.UnitID, orig.ReporterID, orig.ReporterName, orig.LoggedAt, orig.Review
	if err := o.CheckDraft(a, orig); err != nil {
		return draft, err
	}
	if err := o.Closed(ctx, a.UnitID, a.Date); err != nil {
		return draft, err
	}
	if fieldlog.PeriodOf(orig.Date) != fieldlog.PeriodOf(a.Date) {
		if err := o.Closed(ctx, orig.UnitID, orig.Date); err != nil {
			return draft, err
		}
	}
	a.UpdatedAt = o.now()
	if err := o.store.UpdateActivity(ctx, a); err != nil {
		if errors.Is(err, fieldlog.ErrNotFound) {
			return draft, fieldlog.ErrNotFound
		}
		return draft, fmt.Errorf("update record %s: %w", a.ID, err)
	}
	changes := fieldlog.RecordChanges(orig, a)
	var reviewErr error
	if orig.Review.Pending() && seen != fieldlog.AnyThread && seen != len(orig.Review.Thread) {
		o.log.Info("record returned again since its edit began; the edit answers nothing", "user", u.ID, "activity", a.ID)
	} else if orig.Review.Pending() {
		// The edit answers the return its reporter saw when it was loaded,
		// if nobody reviewed the record since: not a return made meanwhile,
		// whose comment they have not read, nor one answered meanwhile.
		reviewErr = o.answerReturn(ctx, u, orig, fieldlog.Corrected)
		switch {
		case reviewErr == nil:
			changes = append(changes, reviewChange(orig.Review.State, fieldlog.Corrected))
			a.Review.State = fieldlog.Corrected
		case errors.Is(reviewErr, fieldlog.ErrReviewChanged):
			reviewErr = nil
			o.log.Info("record reviewed during an edit; the edit answers nothing", "user", u.ID, "activity", a.ID)
			if now, err := o.store.Activity(ctx, a.ID); err == nil {
				a.Review = now.Review
			}
		}
	}
	// The edit is stored even when the review's answer is not; saved
	// again unchanged (or replayed after a crash, which finds the change
	// stored) there is nothing to record.
	if len(changes) > 0 {
		o.audit(ctx, u, fieldlog.ActionRecordEdit, fieldlog.RecordSubject(a.ID), changes)
	}
	if reviewErr != nil {
		return a, reviewErr
	}
	o.log.Info("activity saved", "user", u.ID, "activity", a.ID, "edit", true)
	return a, nil
}

// Delete deletes the record with id, with the refusals of Changeable.
func (o *Office) Delete(ctx context.Context, u fieldlog.User, id fieldlog.ActivityID) error {
	a, err := o.Changeable(ctx, u, id)
	if err != nil {
		return err
	}
	err = o.store.DeleteActivity(ctx, id, o.now())
	if errors.Is(err, fieldlog.ErrNotFound) {
		return fieldlog.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("delete record %s: %w", id, err)
	}
	o.audit(ctx, u, fieldlog.ActionRecordDelete, fieldlog.RecordSubject(id), fieldlog.RecordChanges(a, fieldlog.Activity{}))
	o.log.Info("activity deleted", "user", u.ID, "activity", id)
	return nil
}
