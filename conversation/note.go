package conversation

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fieldlog"
	"fieldlog/parse"
)

// Notes for the report: /note lets a coordinator write the paragraphs of
// 存在的问题 and 下一步计划 for a unit's half-year. Each paragraph is sent as
// a message and saved at once; a button deletes one. Several coordinators
// may write one unit's notes at once: paragraphs are added and deleted one
// by one, by id, so nobody's work is overwritten.

const (
	flowNote     = "note"
	stepNoteKind = "kind"
	stepNoteEdit = "nedit"

	varNoteUnit = "nunit"
	varNoteKind = "nkind"

	maxParagraph = 1000
	// listParagraph is how much of each paragraph the list shows, so that
	// twenty of them fit in one message.
	listParagraph = 100
)

// startNotes shows which part of the notes to write.
func (t *turn) startNotes(unit fieldlog.UnitID, p fieldlog.Period) error {
	t.setVar(varNoteUnit, string(unit))
	t.setVar(varPeriod, p.String())
	t.goTo(stepNoteKind)
	return t.notePrompt()
}

// noteFromReport starts /note from the button under a report:
// note|<unit>|<period>.
func (t *turn) noteFromReport(unit fieldlog.UnitID, period string) error {
	tree, err := t.units()
	if err != nil {
		return err
	}
	p, perr := parse.Period(period, t.today())
	if !t.user.MayAct(tree, unit) || perr != nil {
		t.notice(t.tr("not_allowed"))
		return nil
	}
	t.startFlow(flowNote, stepNoteKind)
	t.in.MessageID = 0 // keep the report's message; ask below it
	return t.startNotes(unit, p)
}

// notePrompt asks the question of the current notes step.
func (t *turn) notePrompt() error {
	switch t.conv.Step {
	case stepPeriod, stepUnit:
		return t.scopePrompt()
	case stepNoteKind:
		t.show(t.tr("ask_note_kind", "Unit", t.unitName(fieldlog.UnitID(t.conv.Vars[varNoteUnit])), "Period", t.notePeriodName()),
			[]Button{{Text: t.tr("btn_problems"), Data: t.flowData("kind", string(fieldlog.Problems))}, {Text: t.tr("btn_plans"), Data: t.flowData("kind", string(fieldlog.Plans))}},
			[]Button{t.btnCancel()})
	case stepNoteEdit:
		paras, err := t.paragraphs()
		if err != nil {
			return err
		}
		// Each paragraph is shortened: the list of twenty full ones would
		// not fit in a message. The coordinator sees each in full when
		// sending it, and in the report.
		list := t.tr("note_empty")
		if len(paras) > 0 {
			lines := make([]string, len(paras))
			for i, p := range paras {
				lines[i] = strconv.Itoa(i+1) + ". " + shorten(p.Text, listParagraph)
			}
			list = strings.Join(lines, "\n")
		}
		var dels []Button
		for i, p := range paras {
			dels = append(dels, Button{Text: "🗑 " + strconv.Itoa(i+1), Data: t.flowData("del", p.ID)})
		}
		buttons := append(rows(dels, 5), []Button{t.btnBack(), {Text: t.tr("btn_done"), Data: t.flowData("done")}})
		part := t.tr("btn_problems")
		if t.notePart() == fieldlog.Plans {
			part = t.tr("btn_plans")
		}
		t.show(t.tr("note_list", "Part", part, "List", list), buttons...)
	}
	return nil
}

// noteButton handles a button of the notes flow.
func (t *turn) noteButton(action, arg string) error {
	switch t.conv.Step {
	case stepPeriod, stepUnit:
		return t.scopeAnswer(action, arg)
	case stepNoteKind:
		if part := fieldlog.NotePart(arg); action == "kind" && part.Valid() {
			t.setVar(varNoteKind, arg)
			t.goTo(stepNoteEdit)
			return t.notePrompt()
		}
	case stepNoteEdit:
		switch action {
		case "back":
			t.goTo(stepNoteKind)
			return t.notePrompt()
		case "done":
			t.endFlow()
			t.show(t.tr("note_done"))
			return nil
		case "del":
			return t.deleteParagraph(arg)
		}
	}
	t.notice(t.tr("stale_button"))
	return t.notePrompt()
}

// deleteParagraph deletes the paragraph whose id the button carries, where
// ever it now stands in the list.
func (t *turn) deleteParagraph(id string) error {
	paras, err := t.paragraphs()
	if err != nil {
		return err
	}
	n := slices.IndexFunc(paras, func(p fieldlog.Paragraph) bool { return p.ID == id }) + 1
	if n == 0 {
		// Deleted already, perhaps by another coordinator.
		t.notice(t.tr("stale_button"))
		return t.notePrompt()
	}
	unit, p := t.noteScope()
	err = t.e.store.DeleteParagraph(t.ctx, unit, p, t.notePart(), id)
	switch {
	case errors.Is(err, fieldlog.ErrNotFound):
		t.notice(t.tr("stale_button"))
	case err != nil:
		return fmt.Errorf("delete a paragraph of the notes: %w", err)
	default:
		t.notice(t.tr("note_deleted", "N", n))
	}
	return t.notePrompt()
}

// noteAnswer adds a typed paragraph.
func (t *turn) noteAnswer() error {
	switch t.conv.Step {
	case stepPeriod, stepUnit:
		return t.scopeAnswer("text", t.in.Text)
	case stepNoteEdit:
		text, err := parse.Title(t.in.Text, maxParagraph)
		if err != nil {
			t.say(t.textError(err))
			return t.notePrompt()
		}
		paras, err := t.paragraphs()
		if err != nil {
			return err
		}
		// Not atomic with the add: two coordinators adding the twentieth
		// paragraph at once may make it twenty-one, which is harmless.
		if len(paras) >= fieldlog.MaxParagraphs {
			t.say(t.tr("note_full", "Max", fieldlog.MaxParagraphs))
			return t.notePrompt()
		}
		unit, p := t.noteScope()
		para := fieldlog.Paragraph{ID: t.paragraphID(), Text: text, By: t.user.ID, At: t.now}
		if err := t.e.store.AddParagraph(t.ctx, unit, p, t.notePart(), para); err != nil {
			return fmt.Errorf("add a paragraph to the notes: %w", err)
		}
		t.say(t.tr("note_added", "N", len(paras)+1))
		return t.notePrompt()
	}
	t.say(t.tr("use_buttons"))
	return t.notePrompt()
}

// paragraphID names a new paragraph after the update that carried it, so
// that the same update handled twice adds it once.
func (t *turn) paragraphID() string {
	if t.in.Key == "" {
		return newID(8)
	}
	sum := sha256.Sum256([]byte(t.in.Key))
	return base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:5])
}

func (t *turn) notePeriodName() string {
	p, _ := t.chosenPeriod()
	return t.periodName(p)
}

// noteScope is the unit and half-year the flow writes notes for.
func (t *turn) noteScope() (fieldlog.UnitID, fieldlog.Period) {
	p, _ := t.chosenPeriod()
	return fieldlog.UnitID(t.conv.Vars[varNoteUnit]), p
}

// notePart is the part of the notes the flow is writing.
func (t *turn) notePart() fieldlog.NotePart {
	if fieldlog.NotePart(t.conv.Vars[varNoteKind]) == fieldlog.Plans {
		return fieldlog.Plans
	}
	return fieldlog.Problems
}

// paragraphs reads the part of the notes the flow is writing, as stored now.
func (t *turn) paragraphs() ([]fieldlog.Paragraph, error) {
	unit, p := t.noteScope()
	n, err := t.e.store.Notes(t.ctx, unit, p)
	if err != nil {
		return nil, fmt.Errorf("load notes: %w", err)
	}
	return n.Part(t.notePart()), nil
}
