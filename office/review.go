package office

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"fieldlog"
	"fieldlog/parse"
)

// Review before the deadline: a coordinator returns a record to its
// reporter with a short comment ("人数请核实"); the reporter confirms it as
// it is, or corrects it (Edit). Each side is told of the other's step.

// ErrNotPending is the refusal to confirm a record nobody returned.
var ErrNotPending = errors.New("the record is not returned for checking")

// ErrReturnedAgain is the refusal of a confirm read before a coordinator
// returned the record again: the new comment waits to be read.
var ErrReturnedAgain = errors.New("the record was returned again since it was read")

// Return returns the record with id to its reporter with comment, and
// tells the reporter. Only a coordinator or admin who sees its unit and
// did not report it may (fieldlog.User.MayReview); comment must not be
// blank nor longer than fieldlog.MaxReviewComment (an *InvalidError of
// FieldComment).
func (o *Office) Return(ctx context.Context, u fieldlog.User, id fieldlog.ActivityID, comment string) (fieldlog.Activity, error) {
	a, err := o.Record(ctx, u, id)
	if err != nil {
		return a, err
	}
	tree, err := o.Tree(ctx)
	if err != nil {
		return a, err
	}
	if !u.MayReview(tree, a) {
		return a, ErrForbidden
	}
	comment, err = parse.Title(comment, fieldlog.MaxReviewComment)
	if err != nil {
		return a, &InvalidError{FieldComment, err}
	}
	note := fieldlog.ReviewNote{State: fieldlog.Returned, By: u.ID, ByName: u.Name, At: o.now(), Text: comment}
	// A return stands whoever reviewed the record meanwhile.
	if err := o.store.ReviewActivity(ctx, id, note, fieldlog.AnyThread); err != nil {
		if errors.Is(err, fieldlog.ErrNotFound) {
			return a, fieldlog.ErrNotFound
		}
		return a, fmt.Errorf("return record %s: %w", id, err)
	}
	o.audit(ctx, u, fieldlog.ActionRecordReturn, fieldlog.RecordSubject(id), []fieldlog.FieldChange{
		reviewChange(a.Review.State, fieldlog.Returned),
		{Field: fieldlog.FieldComment, New: comment},
	})
	o.log.Info("record returned for review", "by", u.ID, "activity", id)
	// The record as returned, its thread as read and this note: the
	// reporter's confirm button counts no more than they were shown (a
	// note another wrote in between makes it count short, and the
	// confirm shows the record again rather than answer it).
	a.Review.State = fieldlog.Returned
	a.Review.Thread = append(slices.Clip(a.Review.Thread), note)
	if reporter, err := o.store.User(ctx, a.ReporterID); err != nil {
		o.log.Warn("reporter of a returned record", "activity", id, "err", err)
	} else {
		o.teller.Tell(ctx, Event{Kind: RecordReturned, To: reporter, By: u, Activity: a, Comment: comment})
	}
	return a, nil
}

// Confirm keeps a returned record as it is, with the refusals of
// Changeable and ErrNotPending when it is not returned; the coordinator
// who returned it is told. Of two confirms at once (a second tap, the chat
// and the web) one answers; the other gets ErrNotPending, as if it came
// after. seen is how many notes of the record's review thread the
// reporter was shown with the confirm button (fieldlog.AnyThread: not
// known: for callers that show the whole thread as they confirm; the
// chat and the web count what they showed). A confirm of a record returned
// again since, with a comment the reporter has not read, answers nothing:
// ErrReturnedAgain, with the record as it is now.
func (o *Office) Confirm(ctx context.Context, u fieldlog.User, id fieldlog.ActivityID, seen int) (fieldlog.Activity, error) {
	a, err := o.Record(ctx, u, id)
	if err != nil {
		return a, err
	}
	if !u.MayChange(a) {
		return a, ErrForbidden
	}
	if !a.Review.Pending() {
		return a, ErrNotPending
	}
	if seen != fieldlog.AnyThread && seen != len(a.Review.Thread) {
		return a, ErrReturnedAgain
	}
	if err := o.Closed(ctx, a.UnitID, a.Date); err != nil {
		return a, err
	}
	if err := o.answerReturn(ctx, u, a, fieldlog.Confirmed); err != nil {
		if !errors.Is(err, fieldlog.ErrReviewChanged) {
			return a, err
		}
		now, rerr := o.store.Activity(ctx, id)
		switch {
		case errors.Is(rerr, fieldlog.ErrNotFound):
			return a, fieldlog.ErrNotFound
		case rerr != nil:
			return a, fmt.Errorf("load record %s: %w", id, rerr)
		case !now.Review.Pending():
			return now, ErrNotPending
		}
		return now, ErrReturnedAgain
	}
	o.audit(ctx, u, fieldlog.ActionRecordConfirm, fieldlog.RecordSubject(a.ID), []fieldlog.FieldChange{reviewChange(a.Review.State, fieldlog.Confirmed)})
	a.Review.State = fieldlog.Confirmed
	return a, nil
}

// answerReturn records the reporter's answer to a returned record, a as
// they read it, and tells the coordinator who returned it. The answer is
// written only if nobody reviewed the record since a was read: an error
// wrapping fieldlog.ErrReviewChanged otherwise (answered already, or
// returned again with a comment the reporter has not seen), and nobody is
// told.
func (o *Office) answerReturn(ctx context.Context, u fieldlog.User, a fieldlog.Activity, state fieldlog.ReviewState) error {
	note := fieldlog.ReviewNote{State: state, By: u.ID, ByName: u.Name, At: o.now()}
	if err := o.store.ReviewActivity(ctx, a.ID, note, len(a.Review.Thread)); err != nil {
		return fmt.Errorf("record the review of %s: %w", a.ID, err)
	}
	var by int64
	for _, n := range a.Review.Thread {
		if n.State == fieldlog.Returned {
			by = n.By
		}
	}
	coord, err := o.store.User(ctx, by)
	if err != nil {
		return nil // the coordinator sees the answer in the record's details
	}
	kind := ReturnConfirmed
	if state == fieldlog.Corrected {
		kind = ReturnCorrected
	}
	o.teller.Tell(ctx, Event{Kind: kind, To: coord, By: u, Activity: a})
	return nil
}

// reviewChange is a record's review moving from one state to another.
func reviewChange(from, to fieldlog.ReviewState) fieldlog.FieldChange {
	return fieldlog.FieldChange{Field: fieldlog.FieldReview, Old: string(from), New: string(to)}
}
