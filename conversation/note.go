package conversation

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fieldlog"
	"fieldlog/parse"
)

// Notes for the report: /note lets a coordinator write the paragraphs of
// 存在的问题 and 下一步计划 for a unit's half-year. Each paragraph is sent as
// a message and saved at once; a button deletes one.

const (
	flowNote     = "note"
	stepNoteKind = "kind"
	stepNoteEdit = "nedit"

	varNoteUnit = "nunit"
	varNoteKind = "nkind"

	kindProblems = "problems"
	kindPlans    = "plans"

	maxParagraph  = 1000
	maxParagraphs = 20
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
	if !t.user.CanCoordinate() || !t.inScope(tree, unit) || perr != nil {
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
			[]Button{{Text: t.tr("btn_problems"), Data: t.flowData("kind", kindProblems)}, {Text: t.tr("btn_plans"), Data: t.flowData("kind", kindPlans)}},
			[]Button{t.btnCancel()})
	case stepNoteEdit:
		notes, err := t.loadNotes()
		if err != nil {
			return err
		}
		paras := *t.paragraphs(&notes)
		list := t.tr("note_empty")
		if len(paras) > 0 {
			lines := make([]string, len(paras))
			for i, p := range paras {
				lines[i] = strconv.Itoa(i+1) + ". " + p
			}
			list = strings.Join(lines, "\n")
		}
		var dels []Button
		for i := range paras {
			dels = append(dels, Button{Text: "🗑 " + strconv.Itoa(i+1), Data: t.flowData("del", strconv.Itoa(i))})
		}
		buttons := append(rows(dels, 5), []Button{t.btnBack(), {Text: t.tr("btn_done"), Data: t.flowData("done")}})
		part := t.tr("btn_problems")
		if t.conv.Vars[varNoteKind] == kindPlans {
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
		if action == "kind" && (arg == kindProblems || arg == kindPlans) {
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
			notes, err := t.loadNotes()
			if err != nil {
				return err
			}
			paras := t.paragraphs(&notes)
			i := atoi(arg)
			if arg == "" || i >= len(*paras) {
				t.notice(t.tr("stale_button"))
				return t.notePrompt()
			}
			*paras = append((*paras)[:i:i], (*paras)[i+1:]...)
			if err := t.saveNotes(notes); err != nil {
				return err
			}
			t.notice(t.tr("note_deleted", "N", i+1))
			return t.notePrompt()
		}
	}
	t.notice(t.tr("stale_button"))
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
		notes, err := t.loadNotes()
		if err != nil {
			return err
		}
		paras := t.paragraphs(&notes)
		if len(*paras) >= maxParagraphs {
			t.say(t.tr("note_full", "Max", maxParagraphs))
			return t.notePrompt()
		}
		*paras = append(*paras, text)
		if err := t.saveNotes(notes); err != nil {
			return err
		}
		t.say(t.tr("note_added", "N", len(*paras)))
		return t.notePrompt()
	}
	t.say(t.tr("use_buttons"))
	return t.notePrompt()
}

func (t *turn) notePeriodName() string {
	p, _ := t.chosenPeriod()
	return t.periodName(p)
}

// loadNotes reads the notes the flow is writing (empty if none yet).
func (t *turn) loadNotes() (fieldlog.Notes, error) {
	unit := fieldlog.UnitID(t.conv.Vars[varNoteUnit])
	p, _ := t.chosenPeriod()
	n, err := t.e.store.Notes(t.ctx, unit, p)
	if errors.Is(err, fieldlog.ErrNotFound) {
		return fieldlog.Notes{UnitID: unit, Period: p}, nil
	}
	if err != nil {
		return n, fmt.Errorf("load notes: %w", err)
	}
	return n, nil
}

func (t *turn) saveNotes(n fieldlog.Notes) error {
	n.UpdatedBy, n.UpdatedAt = t.user.ID, t.now
	if err := t.e.store.SaveNotes(t.ctx, n); err != nil {
		return fmt.Errorf("save notes: %w", err)
	}
	return nil
}

// paragraphs is the part of n the flow is writing.
func (t *turn) paragraphs(n *fieldlog.Notes) *[]string {
	if t.conv.Vars[varNoteKind] == kindPlans {
		return &n.Plans
	}
	return &n.Problems
}
