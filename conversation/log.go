package conversation

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"fieldlog"
	"fieldlog/parse"
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

	varReturn   = "ret" // "1": the step was opened from Change; go back to the summary
	varCalendar = "cal" // the month shown by the calendar, YYYY-MM
	varRecord   = "rec" // the record being edited

	maxPlace = 60
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
	if t.in.PhotoID != "" {
		// Photos are welcome at any step: an officer often sends them first.
		if len(d.Photos) >= fieldlog.MaxPhotos {
			t.say(t.tr("photos_full", "Max", fieldlog.MaxPhotos))
		} else {
			d.Photos = append(d.Photos, t.in.PhotoID)
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

// save stores the draft: a new record, or the edited one. The whole draft
// is checked again first, by the rules of each step: it may have waited a
// long time (a draft begun in June and saved in July has a different
// earliest day), or a step's rules may have changed since.
func (t *turn) save() error {
	a := t.conv.Draft
	var orig fieldlog.Activity
	if t.conv.Flow == flowEdit {
		var err error
		orig, err = t.e.store.Activity(t.ctx, a.ID)
		if errors.Is(err, fieldlog.ErrNotFound) || (err == nil && !t.user.MayChange(orig)) {
			t.endFlow()
			t.show(t.tr("record_gone"))
			return nil
		}
		if err != nil {
			return fmt.Errorf("load record %s to edit: %w", a.ID, err)
		}
	}
	if step, why := t.checkDraft(a, orig); step != "" {
		t.say(why)
		t.setVar(varReturn, "1") // once fixed, back to the summary
		t.goTo(step)
		return t.logPrompt()
	}
	// A half-year may have closed since the draft began; an edit may not
	// move a record out of a closed one either.
	for _, c := range t.halfYearsTouched(a, orig) {
		closed, why, err := t.closed(c.unit, c.date)
		if err != nil {
			return err
		}
		if closed {
			t.say(why)
			return t.logPrompt()
		}
	}
	a.UpdatedAt = t.now
	if t.conv.Flow == flowEdit {
		if err := t.e.store.UpdateActivity(t.ctx, a); err != nil {
			return fmt.Errorf("update record %s: %w", a.ID, err)
		}
		changes := fieldlog.RecordChanges(orig, a)
		var reviewErr error
		if orig.Review.Pending() {
			if reviewErr = t.resolveReview(orig, fieldlog.Corrected); reviewErr == nil {
				changes = append(changes, reviewChange(orig.Review.State, fieldlog.Corrected))
			}
		}
		// The edit is stored even when the review's answer is not; saved
		// again unchanged (or replayed after a crash, which finds the
		// change stored) there is nothing to record.
		if len(changes) > 0 {
			t.audit(fieldlog.ActionRecordEdit, fieldlog.RecordSubject(a.ID), changes)
		}
		if reviewErr != nil {
			return reviewErr
		}
	} else {
		a.UnitID, a.ReporterID, a.ReporterName, a.LoggedAt = t.user.UnitID, t.user.ID, t.user.Name, t.now
		switch err := t.e.store.InsertActivity(t.ctx, a); {
		case err == nil:
			t.e.observe.RecordSaved()
			t.audit(fieldlog.ActionRecordCreate, fieldlog.RecordSubject(a.ID), fieldlog.RecordChanges(fieldlog.Activity{}, a))
		case !errors.Is(err, fieldlog.ErrDuplicate):
			return fmt.Errorf("save record: %w", err)
		}
		// A duplicate was saved, and recorded, before (a replay).
	}
	t.e.log.Info("activity saved", "user", t.user.ID, "activity", a.ID, "flow", t.conv.Flow)
	t.endFlow()
	t.show(t.tr("saved") + "\n\n" + t.describe(a))
	t.sayMenu(t.tr("saved_next"))
	return nil
}

// checkDraft applies every step's rules to the draft. When one fails it
// returns the step to ask again and the message that says why; an empty
// step means the draft may be saved. For an edit, orig is the stored
// record: a date it already had is kept even if it is now before the
// earliest day, so that fixing the title of an old record stays possible.
func (t *turn) checkDraft(a, orig fieldlog.Activity) (step, why string) {
	ty, ok := t.e.catalog.Type(a.SectionID, a.TypeID)
	if !ok {
		// A catalogue changed under a running flow.
		return stepSection, t.tr("draft_incomplete")
	}
	if a.Date.IsZero() {
		return stepDate, t.tr("draft_incomplete")
	}
	if err := t.checkDate(a.Date); err != nil && (t.conv.Flow != flowEdit || a.Date != orig.Date) {
		return stepDate, t.dateError(err)
	}
	if err := checkCount(a.Participants); err != nil {
		return stepParticipants, t.countError(err)
	}
	if ty.Quantity {
		if err := checkCount(a.Quantity); err != nil {
			return stepQuantity, t.countError(err)
		}
	}
	if _, err := parse.Title(a.Title, parse.MaxTitle); err != nil {
		return stepTitle, t.textError(err)
	}
	if a.Place != "" {
		if _, err := parse.Title(a.Place, maxPlace); err != nil {
			return stepPlace, t.textError(err)
		}
	}
	if len(a.Photos) > fieldlog.MaxPhotos {
		return stepPhotos, t.tr("photos_full", "Max", fieldlog.MaxPhotos)
	}
	return "", ""
}

// checkCount applies the rules of parse.Count to a stored figure.
func checkCount(c fieldlog.Count) error {
	switch {
	case c.Value < 0:
		return parse.ErrNegative
	case c.Value > fieldlog.MaxCount:
		return parse.ErrTooLarge
	}
	return nil
}

// halfYearsTouched are the unit and day of each half-year a save changes:
// the draft's, and an edited record's own if its date moved.
func (t *turn) halfYearsTouched(a, orig fieldlog.Activity) []struct {
	unit fieldlog.UnitID
	date fieldlog.Date
} {
	unit := t.user.UnitID
	if t.conv.Flow == flowEdit {
		unit = orig.UnitID
	}
	out := []struct {
		unit fieldlog.UnitID
		date fieldlog.Date
	}{{unit, a.Date}}
	if t.conv.Flow == flowEdit && fieldlog.PeriodOf(orig.Date) != fieldlog.PeriodOf(a.Date) {
		out = append(out, struct {
			unit fieldlog.UnitID
			date fieldlog.Date
		}{unit, orig.Date})
	}
	return out
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

// checkDate applies the rules of parse.Date to a date from a button.
func (t *turn) checkDate(d fieldlog.Date) error {
	switch {
	case t.today().Before(d):
		return parse.ErrFutureDate
	case d.Before(t.earliest()):
		return parse.ErrTooEarly
	}
	return nil
}

// earliest is the first day an activity may have happened on: the start
// of the previous half-year, whose report may still be in preparation.
func (t *turn) earliest() fieldlog.Date {
	return fieldlog.PeriodOf(t.today()).Previous().Start()
}

func (t *turn) dateError(err error) string {
	id := "date_not_understood"
	switch {
	case errors.Is(err, parse.ErrImpossibleDate):
		id = "date_impossible"
	case errors.Is(err, parse.ErrFutureDate):
		id = "date_future"
	case errors.Is(err, parse.ErrTooEarly):
		id = "date_too_early"
	}
	return t.tr(id, "Earliest", t.formatDate(t.earliest())) + "\n" + t.tr("date_forms")
}

func (t *turn) countError(err error) string {
	switch {
	case errors.Is(err, parse.ErrNegative):
		return t.tr("count_negative")
	case errors.Is(err, parse.ErrTooLarge):
		return t.tr("count_too_large", "Max", fieldlog.MaxCount)
	case errors.Is(err, parse.ErrNotWhole):
		return t.tr("count_not_whole")
	}
	return t.tr("count_not_number")
}

func (t *turn) textError(err error) string {
	var long parse.TooLongError
	if errors.As(err, &long) {
		return t.tr("text_too_long", "Len", long.Len, "Max", long.Max)
	}
	return t.tr("text_empty")
}

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
