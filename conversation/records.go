package conversation

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"fieldlog"
)

// Seeing and fixing records: /my lists the user's own records, /records
// (coordinators) those of their whole subtree, newest first, a page at a
// time. A record opens to its details; its reporter may edit or delete it.

const (
	scopeOwn  = "o"
	scopeUnit = "u"
	pageSize  = 5
)

// listFilter is what a list of scope shows this user; ok is false when the
// user may not see it. Who sees what is decided by fieldlog.User.
func (t *turn) listFilter(scope string) (fieldlog.ActivityFilter, bool, error) {
	switch {
	case scope == scopeOwn:
		return t.user.OwnRecords(), true, nil
	case scope == scopeUnit && t.user.CanCoordinate():
		tree, err := t.units()
		if err != nil {
			return fieldlog.ActivityFilter{}, false, err
		}
		return t.user.RecordScope(tree), true, nil
	}
	return fieldlog.ActivityFilter{}, false, nil
}

// showList shows a page of records.
func (t *turn) showList(scope string, page int, fromButton bool) error {
	f, ok, err := t.listFilter(scope)
	if err != nil {
		return err
	}
	if !ok {
		t.notice(t.tr("not_allowed"))
		return nil
	}
	total, err := t.e.store.CountActivities(t.ctx, f)
	if err != nil {
		return fmt.Errorf("count records: %w", err)
	}
	if total == 0 {
		t.showOrSay(fromButton, t.tr("list_empty"))
		return nil
	}
	pages := (total + pageSize - 1) / pageSize
	page = min(max(page, 0), pages-1)
	list, err := t.e.store.ListActivities(t.ctx, f, page*pageSize, pageSize)
	if err != nil {
		return fmt.Errorf("list records: %w", err)
	}
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
func (t *turn) readable(id fieldlog.ActivityID) (a fieldlog.Activity, ok bool, err error) {
	a, err = t.e.store.Activity(t.ctx, id)
	if errors.Is(err, fieldlog.ErrNotFound) {
		t.notice(t.tr("record_gone"))
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("load record %s: %w", id, err)
	}
	tree, err := t.units()
	if err != nil {
		return a, false, err
	}
	if !t.user.MayRead(tree, a) {
		t.notice(t.tr("not_allowed"))
		return a, false, nil
	}
	return a, true, nil
}

// writable loads a record the user may change: only its reporter may.
func (t *turn) writable(id fieldlog.ActivityID) (fieldlog.Activity, bool, error) {
	a, ok, err := t.readable(id)
	if err != nil || !ok {
		return a, ok, err
	}
	if !t.user.MayChange(a) {
		t.notice(t.tr("not_allowed"))
		return a, false, nil
	}
	return a, true, nil
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
			row = append(row, Button{Text: t.tr("btn_confirm_record"), Data: data("ok", string(a.ID))})
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
	t.resp.Replies = append(t.resp.Replies, Reply{Caption: a.Title, Photos: a.Photos})
	return nil
}

// startEdit opens a record's summary for changes.
func (t *turn) startEdit(id fieldlog.ActivityID) error {
	a, ok, err := t.writable(id)
	if err != nil || !ok {
		return err
	}
	if locked, err := t.lockedOut(a); locked || err != nil {
		return err
	}
	t.startFlow(flowEdit, stepSummary)
	t.conv.Draft = a
	t.setVar(varRecord, string(a.ID))
	return t.logPrompt()
}

// confirmDelete asks before deleting.
func (t *turn) confirmDelete(id fieldlog.ActivityID, scope string, page int) error {
	a, ok, err := t.writable(id)
	if err != nil || !ok {
		return err
	}
	if locked, err := t.lockedOut(a); locked || err != nil {
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
	a, ok, err := t.writable(id)
	if err != nil || !ok {
		return err
	}
	if locked, err := t.lockedOut(a); locked || err != nil {
		return err
	}
	err = t.e.store.DeleteActivity(t.ctx, id, t.now)
	if errors.Is(err, fieldlog.ErrNotFound) {
		t.notice(t.tr("record_gone"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("delete record %s: %w", id, err)
	}
	t.audit(fieldlog.ActionRecordDelete, fieldlog.RecordSubject(id), fieldlog.RecordChanges(a, fieldlog.Activity{}))
	t.e.log.Info("activity deleted", "user", t.user.ID, "activity", id)
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
