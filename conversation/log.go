package conversation

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
	"fieldlog/refusal"
)

// Logging an activity: section → type → date → participants → quantity
// (only for types that count things) → title → photos → summary, where the
// officer saves, changes a field or cancels. Editing a record is the same
// flow entered at the summary; a draft read from one message
// (quicklog.go) is the same flow with the steps its sentence answered
// left out.

const (
	flowLog  = "log"
	flowEdit = "edit"

	stepSection      = "sec"
	stepType         = "typ"
	stepDate         = "date"
	stepParticipants = "ppl"
	stepQuantity     = "qty"
	stepTitle        = "title"
	stepPhotos       = "pho"
	stepSummary      = "sum"
	stepChange       = "chg"
	stepPlace        = "plc"

	varReturn   = "ret"  // "1": the step was opened from Change; go back to the summary
	varCalendar = "cal"  // the month shown by the calendar, YYYY-MM
	varRecord   = "rec"  // the record being edited
	varSeen     = "seen" // the notes of its review thread shown as the edit began

	maxPlace = office.MaxPlace
)

// startLog begins logging a new activity.
func (t *turn) startLog() error {
	if !t.user.MayLog() {
		t.sayMenu(t.tr("log_needs_unit"))
		return nil
	}
	t.startFlow(flowLog, stepSection)
	// The record's id is fixed now, so that saving the draft twice (a
	// double tap, a redelivered update) stores one record.
	t.conv.Draft = fieldlog.Activity{ID: fieldlog.ActivityID(newID(12))}
	return t.logPrompt()
}

// logPrompt asks the question of the current step.
func (t *turn) logPrompt() error {
	d := &t.conv.Draft
	backCancel := t.backCancel()
	switch t.conv.Step {
	case stepSection:
		var opts []Button
		for _, s := range t.e.catalog.Sections {
			opts = append(opts, Button{Text: s.Name.In(t.lang), Data: t.flowData("pick", s.ID)})
		}
		// /log begins here; a draft read from a sentence may have the tie
		// question before it.
		last := []Button{t.btnCancel()}
		if t.fromSentence() && t.conv.Vars[varReturn] != "1" {
			last = backCancel
		}
		t.show(t.tr("ask_section"), append(rows(opts, 2), last)...)
	case stepType:
		s, ok := t.e.catalog.Section(d.SectionID)
		if !ok {
			t.goTo(stepSection)
			return t.logPrompt()
		}
		var opts []Button
		for _, ty := range s.Types {
			opts = append(opts, Button{Text: ty.Name.In(t.lang), Data: t.flowData("pick", ty.ID)})
		}
		t.show(t.tr("ask_type", "Section", s.Name.In(t.lang)), append(rows(opts, 2), backCancel)...)
	case stepTie:
		t.show(t.tr("ask_type_tie"), append(rows(t.tieButtons(), 2),
			[]Button{{Text: t.tr("btn_other_type"), Data: t.flowData("other")}}, backCancel)...)
	case stepDate:
		if month := t.conv.Vars[varCalendar]; month != "" {
			t.show(t.tr("ask_date_calendar"), t.calendar(month)...)
			return nil
		}
		today := t.today()
		t.show(t.tr("ask_date", "Forms", t.tr("date_forms")),
			[]Button{
				{Text: t.tr("btn_today"), Data: t.flowData("day", today.String())},
				{Text: t.tr("btn_yesterday"), Data: t.flowData("day", today.AddDays(-1).String())},
				{Text: t.tr("btn_day_before"), Data: t.flowData("day", today.AddDays(-2).String())},
			},
			[]Button{{Text: t.tr("btn_calendar"), Data: t.flowData("cal", monthOf(today))}},
			backCancel)
	case stepParticipants:
		t.show(t.tr("ask_participants"), backCancel)
	case stepQuantity:
		t.show(t.tr("ask_quantity", "Unit", t.typeOf(*d).Unit.In(t.lang)), backCancel)
	case stepTitle:
		t.show(t.tr("ask_title", "Max", parse.MaxTitle), backCancel)
	case stepPhotos:
		t.show(t.tr("ask_photos", "Count", len(d.Photos), "Max", fieldlog.MaxPhotos),
			[]Button{{Text: t.tr(doneLabel(len(d.Photos))), Data: t.flowData("done")}}, backCancel)
	case stepSummary:
		first := []Button{{Text: t.tr("btn_save"), Data: t.flowData("save")}, {Text: t.tr("btn_change"), Data: t.flowData("change")}}
		last := backCancel
		if t.conv.Flow == flowEdit {
			last = []Button{t.btnCancel()}
		}
		t.show(t.tr("check_summary")+"\n\n"+t.describe(*d), first, last)
	case stepChange:
		fields := []Button{
			{Text: t.tr("field_type"), Data: t.flowData("field", stepSection)},
			{Text: t.tr("field_date"), Data: t.flowData("field", stepDate)},
			{Text: t.tr("field_participants"), Data: t.flowData("field", stepParticipants)},
		}
		if t.typeOf(*d).Quantity {
			fields = append(fields, Button{Text: t.tr("field_quantity"), Data: t.flowData("field", stepQuantity)})
		}
		fields = append(fields,
			Button{Text: t.tr("field_title"), Data: t.flowData("field", stepTitle)},
			Button{Text: t.tr("field_place"), Data: t.flowData("field", stepPlace)},
			Button{Text: t.tr("field_photos"), Data: t.flowData("field", stepPhotos)})
		t.show(t.tr("ask_change"), append(rows(fields, 2), []Button{t.btnBack()})...)
	case stepPlace:
		t.show(t.tr("ask_place", "Unit", t.unitName(t.user.UnitID), "Max", maxPlace),
			[]Button{{Text: t.tr("btn_place_unit"), Data: t.flowData("unit")}}, backCancel)
	default:
		t.endFlow()
		t.sayMenu(t.tr("hint_use_menu"))
	}
	return nil
}

// logButton handles a button of the logging flow.
func (t *turn) logButton(action, arg string) error {
	d := &t.conv.Draft
	step := t.conv.Step
	switch {
	case action == "back":
		if step == stepDate && t.conv.Vars[varCalendar] != "" {
			t.setVar(varCalendar, "")
			return t.logPrompt()
		}
		t.goTo(t.previous(step))
		return t.logPrompt()
	case step == stepSection && action == "pick":
		s, ok := t.e.catalog.Section(arg)
		if !ok {
			t.notice(t.tr("stale_button"))
			return t.logPrompt()
		}
		if s.ID != d.SectionID {
			d.SectionID, d.TypeID = s.ID, ""
		}
		t.goTo(stepType)
		return t.logPrompt()
	case step == stepType && action == "pick":
		ty, ok := t.e.catalog.Type(d.SectionID, arg)
		if !ok {
			t.notice(t.tr("stale_button"))
			return t.logPrompt()
		}
		d.TypeID = ty.ID
		if !ty.Quantity {
			d.Quantity = fieldlog.Count{}
		}
		return t.advance()
	case step == stepDate && action == "cal":
		if _, err := fieldlog.ParseISODate(arg + "-01"); err != nil {
			t.notice(t.tr("stale_button"))
			return t.logPrompt()
		}
		t.setVar(varCalendar, arg)
		return t.logPrompt()
	case step == stepDate && action == "day":
		date, err := fieldlog.ParseISODate(arg)
		if err == nil {
			// A day button from a calendar shown yesterday may now be
			// out of range.
			err = t.checkDate(date)
		}
		return t.takeDate(date, err)
	case step == stepTie && action == "pick":
		return t.pickTie(arg)
	case step == stepTie && action == "other":
		t.goTo(stepSection)
		return t.logPrompt()
	case step == stepPhotos && action == "done":
		return t.advance()
	case step == stepSummary && action == "save":
		return t.save()
	case step == stepSummary && action == "change":
		t.goTo(stepChange)
		return t.logPrompt()
	case step == stepChange && action == "field":
		switch arg {
		case stepSection, stepDate, stepParticipants, stepTitle, stepPlace, stepPhotos:
		case stepQuantity:
			if !t.typeOf(*d).Quantity {
				t.notice(t.tr("stale_button"))
				return t.logPrompt()
			}
		default:
			t.notice(t.tr("stale_button"))
			return t.logPrompt()
		}
		t.setVar(varReturn, "1")
		t.goTo(arg)
		return t.logPrompt()
	case step == stepPlace && action == "unit":
		d.Place = ""
		return t.advance()
	}
	t.notice(t.tr("stale_button"))
	return t.logPrompt()
}

// logAnswer handles typed text or a photo in the logging flow. Bad input
// gets a message saying why, and the same question again; nothing entered
// before is lost.
func (t *turn) logAnswer() error {
	d := &t.conv.Draft
	if t.anotherActivity() {
		// Officers send one captioned photo, or one sentence, per activity:
		// the next one is not this record's, and would be lost in it.
		t.say(t.tr("draft_open"))
		return t.logPrompt()
	}
	if t.in.Photo.ID != "" {
		// Photos are welcome at any step: an officer often sends them first.
		if len(d.Photos) >= fieldlog.MaxPhotos {
			t.say(t.tr("photos_full", "Max", fieldlog.MaxPhotos))
		} else {
			d.Photos = append(d.Photos, t.in.Photo)
			t.convChanged = true
			t.say(t.tr("photo_received", "Count", len(d.Photos)))
		}
		return t.logPrompt()
	}
	text := t.in.Text
	switch t.conv.Step {
	case stepSection:
		for _, s := range t.e.catalog.Sections {
			if matchesLabel(s.Name, text) {
				d.SectionID, d.TypeID = s.ID, ""
				t.goTo(stepType)
				return t.logPrompt()
			}
		}
	case stepType:
		if s, ok := t.e.catalog.Section(d.SectionID); ok {
			for _, ty := range s.Types {
				if matchesLabel(ty.Name, text) {
					return t.logButton("pick", ty.ID)
				}
			}
		}
	case stepTie:
		if i, ok := t.tieNamed(text); ok {
			return t.pickTie(i)
		}
	case stepDate:
		return t.takeDate(parse.Date(text, t.today(), t.earliest()))
	case stepParticipants, stepQuantity:
		n, err := parse.Count(text)
		if err != nil {
			t.say(t.countError(err))
			return t.logPrompt()
		}
		if t.conv.Step == stepParticipants {
			d.Participants = n
		} else {
			d.Quantity = n
		}
		return t.advance()
	case stepTitle:
		title, err := parse.Title(text, parse.MaxTitle)
		if err != nil {
			t.say(t.textError(err))
			return t.logPrompt()
		}
		d.Title = title
		return t.advance()
	case stepPlace:
		place, err := parse.Title(text, maxPlace)
		if err != nil {
			t.say(t.textError(err))
			return t.logPrompt()
		}
		d.Place = place
		return t.advance()
	case stepPhotos:
		t.say(t.tr("photos_expected"))
		return t.logPrompt()
	}
	t.say(t.tr("use_buttons"))
	return t.logPrompt()
}

// sequence is the order of the steps when logging from the start.
func (t *turn) sequence() []string {
	steps := []string{stepSection, stepType, stepDate, stepParticipants}
	if t.typeOf(t.conv.Draft).Quantity {
		steps = append(steps, stepQuantity)
	}
	return append(steps, stepTitle, stepPhotos, stepSummary)
}

// advance moves to the step after the one just answered.
func (t *turn) advance() error {
	t.convChanged = true
	step := t.conv.Step
	if t.conv.Vars[varReturn] == "1" {
		// A changed type that counts things needs its quantity too.
		if step == stepType && t.typeOf(t.conv.Draft).Quantity {
			t.goTo(stepQuantity)
			return t.logPrompt()
		}
		if step != stepSection {
			t.setVar(varReturn, "")
			t.goTo(stepSummary)
			return t.logPrompt()
		}
	}
	if t.fromSentence() {
		t.goTo(t.nextAsked(step))
		return t.logPrompt()
	}
	seq := t.sequence()
	for i, s := range seq {
		if s == step && i+1 < len(seq) {
			t.goTo(seq[i+1])
			return t.logPrompt()
		}
	}
	t.goTo(stepSummary)
	return t.logPrompt()
}

// previous is the step Back leads to from step.
func (t *turn) previous(step string) string {
	if step == stepChange {
		return stepSummary
	}
	if t.conv.Vars[varReturn] == "1" {
		if step == stepType {
			return stepSection
		}
		t.setVar(varReturn, "")
		return stepChange
	}
	if t.fromSentence() {
		return t.previousAsked(step)
	}
	seq := t.sequence()
	for i, s := range seq {
		if s == step && i > 0 {
			return seq[i-1]
		}
	}
	return step
}

// save stores the draft, a new record or the edited one, through the
// office, which checks the whole draft again first: it may have waited a
// long time (a draft begun in June and saved in July has a different
// earliest day), a step's rules may have changed since, or the half-year
// may have closed meanwhile.
func (t *turn) save() error {
	var a fieldlog.Activity
	var err error
	if t.conv.Flow == flowEdit {
		seen, serr := strconv.Atoi(t.conv.Vars[varSeen])
		if serr != nil {
			seen = fieldlog.AnyThread // an edit begun before the count was kept
		}
		a, err = t.e.office.Edit(t.ctx, t.user, t.conv.Draft, seen)
	} else {
		a, err = t.e.office.Log(t.ctx, t.user, t.conv.Draft)
		if errors.Is(err, office.ErrAlreadySaved) {
			err = nil // saved before: its record is what the user sees
		}
		if errors.Is(err, office.ErrIDTaken) {
			// Not this draft's record: it gets an id of its own.
			t.conv.Draft.ID = fieldlog.ActivityID(newID(12))
			a, err = t.e.office.Log(t.ctx, t.user, t.conv.Draft)
		}
	}
	var invalid *office.InvalidError
	var closed *office.ClosedError
	switch {
	case errors.As(err, &invalid):
		t.say(t.invalidText(invalid))
		t.setVar(varReturn, "1") // once fixed, back to the summary
		t.goTo(stepOfField(invalid.Field))
		return t.logPrompt()
	case errors.As(err, &closed):
		why, err := t.closedText(closed)
		if err != nil {
			return err
		}
		t.say(why)
		return t.logPrompt()
	case errors.Is(err, fieldlog.ErrNotFound), errors.Is(err, office.ErrForbidden):
		t.endFlow()
		t.show(t.tr("record_gone"))
		return nil
	case err != nil:
		return err
	}
	edited := t.conv.Flow == flowEdit
	t.endFlow()
	t.show(t.tr("saved") + "\n\n" + t.describe(a))
	if edited && a.Review.Pending() {
		// Returned again while it was edited: the new comment waits.
		t.say(t.tr("review_returned_again"))
		return t.showRecord(a.ID, scopeOwn, 0)
	}
	t.sayMenu(t.tr("saved_next"))
	return nil
}

// stepOfField is the step that asks for f.
func stepOfField(f office.Field) string {
	switch f {
	case office.FieldType:
		return stepSection
	case office.FieldDate:
		return stepDate
	case office.FieldParticipants:
		return stepParticipants
	case office.FieldQuantity:
		return stepQuantity
	case office.FieldTitle:
		return stepTitle
	case office.FieldPlace:
		return stepPlace
	case office.FieldPhotos:
		return stepPhotos
	}
	return stepSummary
}

// takeDate stores the activity's date and moves on, or, when err says the
// date cannot be taken, says why and asks again. A day of a half-year that
// has closed is refused here already, with whom to ask.
func (t *turn) takeDate(date fieldlog.Date, err error) error {
	if err != nil {
		t.say(t.dateError(err))
		return t.logPrompt()
	}
	unit := t.user.UnitID
	if t.conv.Flow == flowEdit && t.conv.Draft.UnitID != "" {
		unit = t.conv.Draft.UnitID
	}
	closed, why, err := t.closed(unit, date)
	if err != nil {
		return err
	}
	if closed {
		t.say(why)
		return t.logPrompt()
	}
	t.conv.Draft.Date = date
	t.setVar(varCalendar, "")
	return t.advance()
}

// checkDate applies the rules of a record's date to a date from a button.
func (t *turn) checkDate(d fieldlog.Date) error { return t.e.office.CheckDate(d) }

// earliest is the first day an activity may have happened on.
func (t *turn) earliest() fieldlog.Date { return t.e.office.Earliest() }

// describe lists a record's fields for the summary and the record view.
func (t *turn) describe(a fieldlog.Activity) string {
	return t.describeKnown(a, func(string) bool { return true })
}

// describeKnown is describe for a draft that may lack fields: a figure
// whose step known denies, and an empty section, type or title, show as
// "—" (a figure of 0 could be one).
func (t *turn) describeKnown(a fieldlog.Activity, known func(step string) bool) string {
	section, _ := t.e.catalog.Section(a.SectionID)
	ty := t.typeOf(a)
	unknown := func(s string) string { return cmp.Or(s, "—") }
	participants, quantity := "—", "—"
	if known(stepParticipants) {
		participants = t.formatCount(a.Participants, t.tr("people"))
	}
	if known(stepQuantity) {
		quantity = t.formatCount(a.Quantity, ty.Unit.In(t.lang))
	}
	lines := []string{
		t.tr("label_section") + unknown(section.Name.In(t.lang)),
		t.tr("label_type") + unknown(ty.Name.In(t.lang)),
		t.tr("label_date") + t.formatDate(a.Date),
		t.tr("label_participants") + participants,
	}
	if ty.Quantity {
		lines = append(lines, t.tr("label_quantity")+quantity)
	}
	place := a.Place
	if place == "" {
		unit := a.UnitID
		if unit == "" {
			unit = t.user.UnitID
		}
		place = t.unitName(unit)
	}
	lines = append(lines,
		t.tr("label_title")+unknown(a.Title),
		t.tr("label_place")+place,
		t.tr("label_photos")+fmt.Sprint(len(a.Photos)))
	return strings.Join(lines, "\n")
}

// typeOf is the catalogue type of a record (zero if unknown).
func (t *turn) typeOf(a fieldlog.Activity) fieldlog.ActivityType {
	ty, _ := t.e.catalog.Type(a.SectionID, a.TypeID)
	return ty
}

func (t *turn) formatDate(d fieldlog.Date) string {
	if d.IsZero() {
		return "—"
	}
	return t.e.msgs.Date(t.lang, d)
}

// formatCount shows a figure with its measure word; approximate figures
// carry 余 (or its Mongolian counterpart).
func (t *turn) formatCount(c fieldlog.Count, unit string) string {
	id := "count_exact"
	if c.Approx {
		id = "count_approx"
	}
	return t.tr(id, "N", c.Value, "Unit", unit)
}

func (t *turn) unitName(id fieldlog.UnitID) string {
	tree, err := t.units()
	if err != nil {
		return string(id)
	}
	return tree.Name(id, t.lang)
}

func (t *turn) btnBack() Button { return Button{Text: t.tr("btn_back"), Data: t.flowData("back")} }
func (t *turn) btnCancel() Button {
	return Button{Text: t.tr("btn_cancel"), Data: t.flowData("cancel")}
}

func doneLabel(photos int) string {
	if photos == 0 {
		return "btn_skip_photos"
	}
	return "btn_photos_done"
}

// matchesLabel reports whether typed text names a catalogue entry in any
// language, so that a user who types instead of tapping is understood.
func matchesLabel(label fieldlog.Text, text string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return false
	}
	for _, l := range fieldlog.Langs {
		if label[l] == text {
			return true
		}
	}
	return false
}

// rows lays buttons out n to a row.
func rows(bs []Button, n int) [][]Button {
	var out [][]Button
	for len(bs) > n {
		out = append(out, bs[:n])
		bs = bs[n:]
	}
	if len(bs) > 0 {
		out = append(out, bs)
	}
	return out
}

// words words refusals in the user's language, as every channel does.
func (t *turn) words() refusal.Words {
	return refusal.Words{Messages: t.e.msgs, Lang: t.lang, Earliest: t.earliest(), Break: "\n"}
}

func (t *turn) invalidText(e *office.InvalidError) string { return t.words().Invalid(e) }
func (t *turn) dateError(err error) string                { return t.words().Date(err) }
func (t *turn) countError(err error) string               { return t.words().Count(err) }
func (t *turn) textError(err error) string                { return t.words().Text(err) }
