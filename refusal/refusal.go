// Package refusal words, in the user's language, what the parsers and
// the office refuse: a date in the future, a count too large, a title too
// long, a field missing, a half-year closed. Every channel (the chat, the
// web page) asks it, so that each says the same thing in the same words.
package refusal

import (
	"errors"
	"slices"
	"strings"

	"fieldlog"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/parse"
)

// Words words refusals in one language.
type Words struct {
	Messages *locales.Messages
	Lang     fieldlog.Lang
	// Earliest is the first day a record may have, which a refused date
	// names.
	Earliest fieldlog.Date
	// Break separates a message from the forms it lists: a line break in
	// a chat, a space on a page where the message has its own block.
	Break string
}

func (w Words) tr(id string, kv ...any) string { return w.Messages.Textf(w.Lang, id, kv...) }

// Invalid says what is wrong with a field of a draft.
func (w Words) Invalid(e *office.InvalidError) string {
	switch {
	case errors.Is(e.Err, office.ErrMissing):
		return w.tr("draft_incomplete")
	case errors.Is(e.Err, office.ErrTooManyPhotos):
		return w.tr("photos_full", "Max", fieldlog.MaxPhotos)
	}
	switch e.Field {
	case office.FieldDate:
		return w.Date(e.Err)
	case office.FieldParticipants, office.FieldQuantity:
		return w.Count(e.Err)
	}
	return w.Text(e.Err)
}

// Date says why a date is refused (parse.Date's errors, or the office's
// CheckDate), and which forms are understood.
func (w Words) Date(err error) string {
	id := "date_not_understood"
	switch {
	case errors.Is(err, parse.ErrImpossibleDate):
		id = "date_impossible"
	case errors.Is(err, parse.ErrFutureDate):
		id = "date_future"
	case errors.Is(err, parse.ErrTooEarly):
		id = "date_too_early"
	}
	return w.tr(id, "Earliest", w.Messages.Date(w.Lang, w.Earliest)) + w.Break + w.tr("date_forms")
}

// Count says why a participants or quantity figure is refused.
func (w Words) Count(err error) string {
	switch {
	case errors.Is(err, parse.ErrNegative):
		return w.tr("count_negative")
	case errors.Is(err, parse.ErrTooLarge):
		return w.tr("count_too_large", "Max", fieldlog.MaxCount)
	case errors.Is(err, parse.ErrNotWhole):
		return w.tr("count_not_whole")
	}
	return w.tr("count_not_number")
}

// Text says why a title, place or comment is refused.
func (w Words) Text(err error) string {
	var long parse.TooLongError
	if errors.As(err, &long) {
		return w.tr("text_too_long", "Len", long.Len, "Max", long.Max)
	}
	return w.tr("text_empty")
}

// Closed says that c's half-year is closed, since when, and whom to ask to
// reopen it, the coordinators' units named from tree.
func (w Words) Closed(c *office.ClosedError, tree *fieldlog.Tree) string {
	var names []string
	for _, u := range c.Reopeners {
		names = append(names, w.tr("whom_one", "Name", u.Name, "Unit", tree.Name(u.UnitID, w.Lang)))
	}
	whom := w.tr("whom_anyone")
	if len(names) > 0 {
		slices.Sort(names)
		whom = strings.Join(names, w.tr("whom_separator"))
	}
	return w.tr("period_closed", "Period", w.Messages.Period(w.Lang, c.Period), "Date", w.Messages.Date(w.Lang, c.Due), "Whom", whom)
}
