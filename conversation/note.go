package conversation

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strconv"
	"strings"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
)

// Notes for the report: /note lets a coordinator write the paragraphs of
// 存在的问题 and 下一步计划 for a unit's half-year. Each paragraph is sent as
// a message and saved at once (office.AddParagraph); a button deletes one.

const (
	flowNote     = "note"
	stepNoteKind = "kind"
	stepNoteEdit = "nedit"

	varNoteUnit = "nunit"
	varNoteKind = "nkind"

	maxParagraph = office.MaxParagraph
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
		paras, ok, err := t.paragraphs()
		if !ok {
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
	unit, p := t.noteScope()
	n, err := t.e.office.DeleteParagraph(t.ctx, t.user, unit, p, t.notePart(), id)
	switch {
	case errors.Is(err, fieldlog.ErrNotFound):
		// Deleted already, perhaps by another coordinator.
		t.notice(t.tr("stale_button"))
	case err != nil:
		return t.noteRefused(err)
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
		unit, p := t.noteScope()
		_, n, err := t.e.office.AddParagraph(t.ctx, t.user, unit, p, t.notePart(), t.paragraphID(), t.in.Text)
		var invalid *office.InvalidError
		switch {
		case errors.As(err, &invalid):
			t.say(t.textError(invalid.Err))
		case errors.Is(err, office.ErrNotesFull):
			t.say(t.tr("note_full", "Max", fieldlog.MaxParagraphs))
		case err != nil:
			return t.noteRefused(err)
		default:
			t.say(t.tr("note_added", "N", n))
		}
		return t.notePrompt()
	}
	t.say(t.tr("use_buttons"))
	return t.notePrompt()
}

// noteRefused ends the flow of a user who may no longer write the unit's
// notes (their role changed since it began), or returns err.
func (t *turn) noteRefused(err error) error {
	if !errors.Is(err, office.ErrForbidden) {
		return err
	}
	t.endFlow()
	t.show(t.tr("not_allowed"))
	return nil
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

// paragraphs reads the part of the notes the flow is writing, as stored
// now; ok is false, and the flow over, when the user may not.
func (t *turn) paragraphs() (_ []fieldlog.Paragraph, ok bool, err error) {
	unit, p := t.noteScope()
	n, err := t.e.office.Notes(t.ctx, t.user, unit, p)
	if err != nil {
		return nil, false, t.noteRefused(err)
	}
	return n.Part(t.notePart()), true, nil
}
