package web

import (
	"errors"
	"slices"
	"strings"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
)

// The office's refusals in the user's language, with the bot's message ids
// (conversation/log.go, deadline.go), so that the web says what the bot says.

func (q *req) invalidText(e *office.InvalidError) string {
	switch {
	case errors.Is(e.Err, office.ErrMissing):
		if e.Field == office.FieldType {
			return q.tr("web_type_needed")
		}
		if e.Field == office.FieldDate {
			return q.dateError(e.Err)
		}
		return q.tr("draft_incomplete")
	case errors.Is(e.Err, office.ErrTooManyPhotos):
		return q.tr("photos_full", "Max", fieldlog.MaxPhotos)
	}
	switch e.Field {
	case office.FieldDate:
		return q.dateError(e.Err)
	case office.FieldParticipants, office.FieldQuantity:
		return q.countError(e.Err)
	}
	return q.textError(e.Err)
}

func (q *req) dateError(err error) string {
	id := "date_not_understood"
	switch {
	case errors.Is(err, parse.ErrImpossibleDate):
		id = "date_impossible"
	case errors.Is(err, parse.ErrFutureDate):
		id = "date_future"
	case errors.Is(err, parse.ErrTooEarly):
		id = "date_too_early"
	}
	return q.tr(id, "Earliest", q.s.cfg.Messages.Date(q.lang, q.s.cfg.Office.Earliest())) + " " + q.tr("date_forms")
}

func (q *req) countError(err error) string {
	switch {
	case errors.Is(err, parse.ErrNegative):
		return q.tr("count_negative")
	case errors.Is(err, parse.ErrTooLarge):
		return q.tr("count_too_large", "Max", fieldlog.MaxCount)
	case errors.Is(err, parse.ErrNotWhole):
		return q.tr("count_not_whole")
	}
	return q.tr("count_not_number")
}

func (q *req) textError(err error) string {
	var long parse.TooLongError
	if errors.As(err, &long) {
		return q.tr("text_too_long", "Len", long.Len, "Max", long.Max)
	}
	return q.tr("text_empty")
}

// closedText says that c's half-year is closed, since when, and whom to
// ask to reopen it.
func (q *req) closedText(c *office.ClosedError) (string, error) {
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return "", err
	}
	var names []string
	for _, u := range c.Reopeners {
		names = append(names, q.tr("whom_one", "Name", u.Name, "Unit", tree.Name(u.UnitID, q.lang)))
	}
	whom := q.tr("whom_anyone")
	if len(names) > 0 {
		slices.Sort(names)
		whom = strings.Join(names, q.tr("whom_separator"))
	}
	return q.tr("period_closed", "Period", q.s.cfg.Messages.Period(q.lang, c.Period), "Date", q.s.cfg.Messages.Date(q.lang, c.Due), "Whom", whom), nil
}

// pageTexts are the message ids the templates show as .T.id.
var pageTexts = []string{
	"web_title", "web_signin_intro", "web_signin_bot", "web_join_title", "web_code", "web_name", "web_language",
	"web_join_button", "web_logout", "web_home", "menu_log", "menu_my", "menu_records", "web_horizontal", "web_vertical",
	"web_type", "web_choose_type", "field_date", "field_participants", "field_quantity", "web_quantity_hint",
	"field_title", "field_place", "field_photos", "web_save", "web_edit_title", "btn_edit", "btn_delete",
	"btn_delete_yes", "btn_delete_no", "web_delete_confirm", "label_section", "label_type", "label_date",
	"label_participants", "label_quantity", "label_title", "label_place", "label_reporter", "label_unit",
	"label_photos", "web_returned", "web_no_records", "btn_prev_page", "btn_next_page", "web_remove_photo",
	"web_telegram_signing_in", "web_participants_hint", "web_login_confirm", "web_login_button",
	// The coordinators' pages.
	"menu_status", "menu_report", "btn_write_notes", "btn_return", "btn_confirm_record", "review_thread",
	"note_empty", "web_return_other", "web_period", "web_show", "web_notes_hint", "web_note_new",
	"web_note_add", "web_print", "web_download_docx", "web_download_xlsx", "web_report_word_zh",
}
