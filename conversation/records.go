package conversation

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"fieldlog"
	"fieldlog/office"
)

// Seeing and fixing records: /my lists the user's own records, /records
// (coordinators) those of their whole subtree, newest first, a page at a
// time. A record opens to its details; its reporter may edit or delete it.

const (
	scopeOwn  = "o"
	scopeUnit = "u"
	pageSize  = 5
)

// showList shows a page of records.
func (t *turn) showList(scope string, page int, fromButton bool) error {
	sc := office.Own
	if scope == scopeUnit {
		sc = office.Subtree
	}
	pg, err := t.e.office.Records(t.ctx, t.user, sc, page, pageSize)
	if errors.Is(err, office.ErrForbidden) {
		t.notice(t.tr("not_allowed"))
		return nil
	}
	if err != nil {
		return err
	}
	if pg.Total == 0 {
		t.showOrSay(fromButton, t.tr("list_empty"))
		return nil
	}
	page, pages, total, list := pg.Index, pg.Pages, pg.Total, pg.Records
	head := "list_own"
	if scope == scopeUnit {
		head = "list_unit"
	}
	lines := []string{t.tr(head, "Page", page+1, "Pages", pages, "Total", total)}
	var buttons [][]Button
	for i, a := range list {
		n := page*pageSize + i + 1
		line := fmt.Sprintf("%d. %s%s · %s · %s", n, pendingMark(a), t.formatDate(a.Date), t.typeOf(a).Name.In(t.lang), a.Title)
		if scope == scopeUnit {
			line += " · " + t.unitName(a.UnitID)
		}
		lines = append(lines, line)
		label := fmt.Sprintf("%d. %s%02d-%02d %s", n, pendingMark(a), a.Date.Month, a.Date.Day, shorten(a.Title, 24))
		buttons = append(buttons, []Button{{Text: label, Data: data("rec", string(a.ID), scope, strconv.Itoa(page))}})
	}
	var nav []Button
	if page > 0 {
		nav = append(nav, Button{Text: t.tr("btn_prev_page"), Data: data("list", scope, strconv.Itoa(page-1))})
	}
	if page+1 < pages {
		nav = append(nav, Button{Text: t.tr("btn_next_page"), Data: data("list", scope, strconv.Itoa(page+1))})
	}
	if len(nav) > 0 {
		buttons = append(buttons, nav)
	}
	t.showOrSay(fromButton, strings.Join(lines, "\n"), buttons...)
	return nil
}

// showOrSay replaces the pressed message, or sends a new one for a command.
func (t *turn) showOrSay(fromButton bool, text string, buttons ...[]Button) {
	if fromButton {
		t.show(text, buttons...)
		return
	}
	t.say(text, buttons...)
}

// readable loads a record the user may see. When the record is gone or
// not theirs to see, the user is told and ok is false.
func (t *turn) readable(id fieldlog.ActivityID) (fieldlog.Activity, bool, error) {
	a, err := t.e.office.Record(t.ctx, t.user, id)
	ok, err := t.refused(err)
	return a, ok, err
}

// changeable loads a record the user may change now: only its reporter
// may, while its half-year is open. When they may not, they are told and
// ok is false.
func (t *turn) changeable(id fieldlog.ActivityID) (fieldlog.Activity, bool, error) {
	a, err := t.e.office.Changeable(t.ctx, t.user, id)
	ok, err := t.refused(err)
	return a, ok, err
}

// refused tells the user why the office refused what they asked, and
// reports whether it did not (ok); err is a failure to tell, or of the
// store.
func (t *turn) refused(err error) (ok bool, _ error) {
	var closed *office.ClosedError
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fieldlog.ErrNotFound):
		t.notice(t.tr("record_gone"))
	case errors.Is(err, office.ErrForbidden):
		t.notice(t.tr("not_allowed"))
	case errors.As(err, &closed):
		// Below the record's details, which stay.
		t.in.MessageID = 0
		why, err := t.closedText(closed)
		if err != nil {
			return false, err
		}
		t.say(why)
	default:
		return false, err
	}
	return false, nil
}

// showRecord shows one record's details.
func (t *turn) showRecord(id fieldlog.ActivityID, scope string, page int) error {
	a, ok, err := t.readable(id)
	if err != nil || !ok {
		return err
	}
	text := t.describe(a) + "\n" + t.tr("label_reporter") + a.ReporterName +
		"\n" + t.tr("label_unit") + t.unitName(a.UnitID)
	if lines := t.reviewLines(a.Review); len(lines) > 0 {
		text += "\n\n" + strings.Join(lines, "\n")
	}
	if t.user.MaySeeAudit() {
		if audit := t.auditSection(a, maxMessage-utf16Len(text)-2); audit != "" {
			text += "\n\n" + audit
		}
	}
	tree, err := t.units()
	if err != nil {
		return err
	}
	var buttons [][]Button
	if t.user.MayChange(a) {
		row := []Button{
			{Text: t.tr("btn_edit"), Data: data("edit", string(a.ID))},
			{Text: t.tr("btn_delete"), Data: data("del", string(a.ID), scope, strconv.Itoa(page))},
		}
		if a.Review.Pending() {
			row = append(row, Button{Text: t.tr("btn_confirm_record"), Data: data("ok", string(a.ID), strconv.Itoa(len(a.Review.Thread)))})
		}
		buttons = append(buttons, row)
	}
	if t.user.MayReview(tree, a) {
		buttons = append(buttons, []Button{{Text: t.tr("btn_return"), Data: data("ret", string(a.ID))}})
	}
	if len(a.Photos) > 0 {
		buttons = append(buttons, []Button{{Text: t.tr("btn_show_photos", "Count", len(a.Photos)), Data: data("photos", string(a.ID))}})
	}
	buttons = append(buttons, []Button{{Text: t.tr("btn_back_to_list"), Data: data("list", scope, strconv.Itoa(page))}})
	t.show(text, buttons...)
	return nil
}

// showPhotos sends a record's photos.
func (t *turn) showPhotos(id fieldlog.ActivityID) error {
	a, ok, err := t.readable(id)
	if err != nil || !ok {
		return err
	}
	var photos []Photo
	for _, p := range a.Photos {
		if p.Source != fieldlog.StoredPhoto {
			photos = append(photos, Photo{Photo: p})
			continue
		}
		if t.e.photoFiles == nil {
			continue
		}
		data, _, err := t.e.photoFiles.PhotoFile(t.ctx, p.ID)
		if errors.Is(err, fieldlog.ErrNotFound) {
			t.e.log.Warn("a record's stored photo is missing", "activity", a.ID, "photo", p.ID)
			continue
		}
		if err != nil {
			return fmt.Errorf("read photo %s of %s: %w", p.ID, a.ID, err)
		}
		photos = append(photos, Photo{Photo: p, Data: data})
	}
	t.resp.Replies = append(t.resp.Replies, Reply{Caption: a.Title, Photos: photos})
	return nil
}

// startEdit opens a record's summary for changes.
func (t *turn) startEdit(id fieldlog.ActivityID) error {
	a, ok, err := t.changeable(id)
	if err != nil || !ok {
		return err
	}
	t.startFlow(flowEdit, stepSummary)
	t.conv.Draft = a
	t.setVar(varRecord, string(a.ID))
	t.setVar(varSeen, strconv.Itoa(len(a.Review.Thread)))
	return t.logPrompt()
}

// confirmDelete asks before deleting.
func (t *turn) confirmDelete(id fieldlog.ActivityID, scope string, page int) error {
	a, ok, err := t.changeable(id)
	if err != nil || !ok {
		return err
	}
	t.show(t.tr("confirm_delete")+"\n\n"+t.describe(a), []Button{
		{Text: t.tr("btn_delete_yes"), Data: data("delok", string(a.ID), scope, strconv.Itoa(page))},
		{Text: t.tr("btn_delete_no"), Data: data("rec", string(a.ID), scope, strconv.Itoa(page))},
	})
	return nil
}

// delete removes a record after confirmation.
func (t *turn) delete(id fieldlog.ActivityID, scope string, page int) error {
	if ok, err := t.refused(t.e.office.Delete(t.ctx, t.user, id)); !ok {
		return err
	}
	t.show(t.tr("deleted"), []Button{{Text: t.tr("btn_back_to_list"), Data: data("list", scope, strconv.Itoa(page))}})
	return nil
}

// shorten cuts s to n characters for a button label.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
