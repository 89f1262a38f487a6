package web

import (
	"errors"

	"fieldlog/office"
	"fieldlog/refusal"
)

// The office's refusals in the user's language, worded by package
// refusal as the bot words them, so that the web says what the bot says.

// words words refusals in the user's language.
func (q *req) words() refusal.Words {
	return refusal.Words{Messages: q.s.cfg.Messages, Lang: q.lang, Earliest: q.s.cfg.Office.Earliest(), Break: " "}
}

func (q *req) invalidText(e *office.InvalidError) string {
	// A form shows every field at once: the bot's "the draft lacks
	// something" would not say which.
	if errors.Is(e.Err, office.ErrMissing) {
		switch e.Field {
		case office.FieldType:
			return q.tr("web_type_needed")
		case office.FieldDate: // an empty field: which forms are understood
			return q.dateError(e.Err)
		}
	}
	return q.words().Invalid(e)
}

func (q *req) dateError(err error) string  { return q.words().Date(err) }
func (q *req) countError(err error) string { return q.words().Count(err) }
func (q *req) textError(err error) string  { return q.words().Text(err) }

// closedText says that c's half-year is closed, since when, and whom to
// ask to reopen it.
func (q *req) closedText(c *office.ClosedError) (string, error) {
	tree, err := q.s.cfg.Office.Tree(q.ctx)
	if err != nil {
		return "", err
	}
	return q.words().Closed(c, tree), nil
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
	"web_telegram_signing_in", "web_telegram_title", "web_telegram_intro", "web_telegram_linked",
	"web_telegram_button", "web_telegram_command", "web_telegram_unlink", "web_participants_hint", "web_login_confirm", "web_login_button",
	// The coordinators' pages.
	"menu_status", "menu_report", "btn_write_notes", "btn_return", "btn_confirm_record", "review_thread",
	"note_empty", "web_return_other", "web_period", "web_show", "web_notes_hint", "web_note_new",
	"web_note_add", "web_print", "web_download_docx", "web_download_xlsx", "web_report_word_zh",
}
