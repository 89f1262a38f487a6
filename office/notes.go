package office

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"

	"fieldlog"
	"fieldlog/parse"
)

// Notes: the paragraphs of 存在的问题 and 下一步计划 that coordinators write
// for a unit's half-year report. Several may write one unit's notes at
// once: paragraphs are added and deleted one by one, by id, so nobody's
// work is overwritten.

// MaxParagraph is the longest paragraph of the notes, in runes.
const MaxParagraph = 1000

// FieldParagraph is the field of an InvalidError for a paragraph of the
// notes.
const FieldParagraph Field = "paragraph"

// ErrNotesFull is the refusal to add a paragraph to a part of the notes
// that holds fieldlog.MaxParagraphs already.
var ErrNotesFull = errors.New("the notes are full")

// Notes returns the notes of unit for p, for a coordinator or admin who
// may act on unit (fieldlog.User.MayAct); ErrForbidden otherwise.
func (o *Office) Notes(ctx context.Context, u fieldlog.User, unit fieldlog.UnitID, p fieldlog.Period) (fieldlog.Notes, error) {
	tree, err := o.Tree(ctx)
	if err != nil {
		return fieldlog.Notes{}, err
	}
	if !u.MayAct(tree, unit) {
		return fieldlog.Notes{}, ErrForbidden
	}
	n, err := o.store.Notes(ctx, unit, p)
	if err != nil {
		return n, fmt.Errorf("load notes of %s: %w", unit, err)
	}
	return n, nil
}

// AddParagraph appends text to part of the notes of unit for p, with the
// refusals of Notes, an *InvalidError of FieldParagraph for a blank or
// too long text, and ErrNotesFull. id names the paragraph, so that adding
// it again stores it once; empty gives it a new one. It returns the
// paragraph and its number in the part, from 1.
func (o *Office) AddParagraph(ctx context.Context, u fieldlog.User, unit fieldlog.UnitID, p fieldlog.Period, part fieldlog.NotePart, id, text string) (fieldlog.Paragraph, int, error) {
	if !part.Valid() {
		return fieldlog.Paragraph{}, 0, fmt.Errorf("add a paragraph: no part %q", part)
	}
	text, err := parse.Title(text, MaxParagraph)
	if err != nil {
		return fieldlog.Paragraph{}, 0, &InvalidError{FieldParagraph, err}
	}
	notes, err := o.Notes(ctx, u, unit, p)
	if err != nil {
		return fieldlog.Paragraph{}, 0, err
	}
	// Not atomic with the add: two coordinators adding the last paragraph
	// at once may go one over, which is harmless.
	paras := notes.Part(part)
	if len(paras) >= fieldlog.MaxParagraphs {
		return fieldlog.Paragraph{}, 0, ErrNotesFull
	}
	if id == "" {
		id = rand.Text()
	}
	para := fieldlog.Paragraph{ID: id, Text: text, By: u.ID, At: o.now()}
	if err := o.store.AddParagraph(ctx, unit, p, part, para); err != nil {
		return para, 0, fmt.Errorf("add a paragraph to the notes of %s: %w", unit, err)
	}
	o.audit(ctx, u, fieldlog.ActionNoteAdd, fieldlog.PeriodSubject(unit, p), []fieldlog.FieldChange{{Field: string(part), New: text}})
	return para, len(paras) + 1, nil
}

// DeleteParagraph deletes the paragraph with id from part of the notes of
// unit for p, with the refusals of Notes, and fieldlog.ErrNotFound when it
// is not there (deleted already, perhaps by another coordinator). It
// returns the number the paragraph had in the part, from 1.
func (o *Office) DeleteParagraph(ctx context.Context, u fieldlog.User, unit fieldlog.UnitID, p fieldlog.Period, part fieldlog.NotePart, id string) (int, error) {
	notes, err := o.Notes(ctx, u, unit, p)
	if err != nil {
		return 0, err
	}
	paras := notes.Part(part)
	i := slices.IndexFunc(paras, func(para fieldlog.Paragraph) bool { return para.ID == id })
	if i < 0 || !part.Valid() {
		return 0, fieldlog.ErrNotFound
	}
	err = o.store.DeleteParagraph(ctx, unit, p, part, id)
	switch {
	case errors.Is(err, fieldlog.ErrNotFound):
		return 0, fieldlog.ErrNotFound
	case err != nil:
		return 0, fmt.Errorf("delete a paragraph of the notes of %s: %w", unit, err)
	}
	o.audit(ctx, u, fieldlog.ActionNoteDelete, fieldlog.PeriodSubject(unit, p), []fieldlog.FieldChange{{Field: string(part), Old: paras[i].Text}})
	return i + 1, nil
}
