package conversation

import (
	"context"
	"errors"
	"strconv"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
)

// Review before the deadline: from a record's details a coordinator
// returns it to its reporter with a short comment ("人数请核实"). The
// reporter is told, with buttons to edit it or to confirm it as it is; until
// they do, the record shows as returned in the lists and the ledger. The
// exchange stays in the record's details.

const (
	flowReturn  = "return"
	stepComment = "cmt"
)

// cannedComments are the comments offered as buttons, by message id.
var cannedComments = []string{"comment_people", "comment_date", "comment_title", "comment_photos"}

// startReturn asks a coordinator for the comment to return a record with.
func (t *turn) startReturn(id fieldlog.ActivityID) error {
	a, ok, err := t.readable(id)
	if err != nil || !ok {
		return err
	}
	tree, err := t.units()
	if err != nil {
		return err
	}
	if !t.user.MayReview(tree, a) {
		t.notice(t.tr("not_allowed"))
		return nil
	}
	t.startFlow(flowReturn, stepComment)
	t.setVar(varRecord, string(a.ID))
	t.in.MessageID = 0 // keep the record's details; ask below them
	return t.returnPrompt()
}

func (t *turn) returnPrompt() error {
	var canned []Button
	for i, id := range cannedComments {
		canned = append(canned, Button{Text: t.tr(id), Data: t.flowData("pick", strconv.Itoa(i))})
	}
	t.show(t.tr("ask_return_comment", "Max", fieldlog.MaxReviewComment), append(rows(canned, 2), []Button{t.btnCancel()})...)
	return nil
}

func (t *turn) returnButton(action, arg string) error {
	if i := atoi(arg); action == "pick" && arg != "" && i < len(cannedComments) {
		return t.returnRecord(t.tr(cannedComments[i]))
	}
	t.notice(t.tr("stale_button"))
	return t.returnPrompt()
}

func (t *turn) returnAnswer() error {
	text, err := parse.Title(t.in.Text, fieldlog.MaxReviewComment)
	if err != nil {
		t.say(t.textError(err))
		return t.returnPrompt()
	}
	return t.returnRecord(text)
}

// returnRecord returns the record with comment; the office tells its
// reporter (Tell).
func (t *turn) returnRecord(comment string) error {
	id := fieldlog.ActivityID(t.conv.Vars[varRecord])
	a, err := t.e.office.Return(t.ctx, t.user, id, comment)
	var invalid *office.InvalidError
	switch {
	case errors.As(err, &invalid):
		t.say(t.textError(invalid.Err))
		return t.returnPrompt()
	case errors.Is(err, fieldlog.ErrNotFound), errors.Is(err, office.ErrForbidden):
		t.endFlow()
		t.show(t.tr("record_gone"))
		return nil
	case err != nil:
		return err
	}
	t.endFlow()
	t.show(t.tr("returned_done", "Name", a.ReporterName))
	return nil
}

// confirmRecord lets the reporter keep a returned record as it is, as
// they saw it with seen notes in its review thread.
func (t *turn) confirmRecord(id fieldlog.ActivityID, seen int) error {
	a, err := t.e.office.Confirm(t.ctx, t.user, id, seen)
	if errors.Is(err, office.ErrNotPending) {
		t.notice(t.tr("review_not_pending"))
		return nil
	}
	if errors.Is(err, office.ErrReturnedAgain) {
		t.say(t.tr("review_returned_again"))
		return t.showRecord(a.ID, scopeOwn, 0) // with the new comment
	}
	if ok, err := t.refused(err); !ok {
		return err
	}
	t.show(t.tr("review_confirmed") + "\n\n" + t.describe(a))
	return nil
}

// Tell tells a user what another did to a record, in the user's
// language, with the buttons to act on it: the office's Teller.
func (e *Engine) Tell(ctx context.Context, ev office.Event) {
	t := &turn{e: e, ctx: ctx, now: e.now(), user: ev.To, lang: ev.To.Language()}
	a := ev.Activity
	switch ev.Kind {
	case office.RecordReturned:
		t.notify(ev.To, Reply{
			Text: t.tr("returned_to_you", "Name", ev.By.Name, "Comment", ev.Comment) + "\n\n" + t.describe(a),
			Buttons: [][]Button{{
				{Text: t.tr("btn_edit"), Data: data("edit", string(a.ID))},
				{Text: t.tr("btn_confirm_record"), Data: data("ok", string(a.ID), strconv.Itoa(len(a.Review.Thread)))},
			}},
		})
	case office.ReturnConfirmed, office.ReturnCorrected:
		id := "review_confirmed_by"
		if ev.Kind == office.ReturnCorrected {
			id = "review_corrected_by"
		}
		t.notify(ev.To, Reply{Text: t.tr(id, "Name", ev.By.Name, "Title", a.Title),
			Buttons: [][]Button{{{Text: t.tr("btn_open_record"), Data: data("rec", string(a.ID), scopeUnit, "0")}}}})
	}
}

// reviewLines is the exchange of a record's review, for its details.
func (t *turn) reviewLines(r fieldlog.Review) []string {
	if len(r.Thread) == 0 {
		return nil
	}
	lines := []string{t.tr("review_thread")}
	for _, n := range r.Thread {
		date := t.formatDate(fieldlog.DateOf(n.At, t.e.loc))
		switch n.State {
		case fieldlog.Returned:
			lines = append(lines, t.tr("review_note_returned", "Date", date, "Name", n.ByName, "Text", n.Text))
		case fieldlog.Confirmed:
			lines = append(lines, t.tr("review_note_confirmed", "Date", date, "Name", n.ByName))
		case fieldlog.Corrected:
			lines = append(lines, t.tr("review_note_corrected", "Date", date, "Name", n.ByName))
		}
	}
	return lines
}

// notify sends r to another user, when they can be reached.
func (t *turn) notify(u fieldlog.User, r Reply) {
	if t.e.notifier == nil || u.Blocked || u.ChatID == 0 {
		return
	}
	if _, err := t.e.notifier.Notify(t.ctx, u.ChatID, r); err != nil {
		t.e.log.Warn("notify a user", "user", u.ID, "err", err)
	}
}

// pendingMark marks a returned record in a list.
func pendingMark(a fieldlog.Activity) string {
	if a.Review.Pending() {
		return "↩️ "
	}
	return ""
}
