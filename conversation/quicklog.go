package conversation

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
)

// Logging an activity in one message. An officer sends, outside a flow,
// the sentence they would write in WeChat ("6月7日在独贵龙社区开展政策宣讲，
// 80余人参加"), or a photo with it as the caption. What the sentence says
// fills a /log draft; the officer sees what was understood and is asked,
// with the steps of /log, only what the sentence left out or left open,
// and saves on the summary as in /log. It is the /log flow: varSkip names
// the steps the sentence answered, and advance and previous pass them by.

const (
	// stepTie asks which of the types the sentence matched equally well.
	stepTie = "tie"

	// varSkip holds the steps not to ask, space-separated: those the
	// sentence answered, and the photos, which an officer sends when they
	// like. It is set only for a draft read from a sentence.
	varSkip = "skip"
	// varTies holds the types of stepTie, as "section/type", space-separated.
	varTies = "ties"

	// maxTies is how many tied types are offered; beyond that the
	// sentence says too little, and the section step asks.
	maxTies = 6
)

// logFromSentence reads text sent outside a flow as an activity and starts
// its draft, or, for a text that is no activity, or from someone who may
// not log, shows the menu as for any text outside a flow.
func (t *turn) logFromSentence() error {
	text := t.in.Text
	if t.in.Photo.ID != "" {
		text = t.in.Caption
	}
	if !t.user.MayLog() || strings.TrimSpace(text) == "" {
		t.sayMenu(t.tr("hint_use_menu"))
		return nil
	}
	tree, err := t.units()
	if err != nil {
		return err
	}
	k := t.e.knowledge.of(t.e.catalog, tree)
	k.Today, k.Earliest = t.today(), t.earliest()
	r := t.e.read(text, k)
	if !r.Activity {
		t.sayMenu(t.tr("hint_use_menu"))
		return nil
	}

	t.startFlow(flowLog, stepSummary)
	// As in startLog, the id is fixed now so that the draft is saved once.
	d := &t.conv.Draft
	*d = fieldlog.Activity{ID: fieldlog.ActivityID(newID(12))}
	if t.in.Photo.ID != "" {
		d.Photos = []fieldlog.Photo{t.in.Photo}
	}
	skip := []string{stepPhotos}
	// A value of the sentence that a step would refuse is not taken: the
	// step asks for it, after the reason.
	var refused []string

	switch best := t.bestTypes(r.Types); {
	case len(best) == 1:
		d.SectionID, d.TypeID = best[0].SectionID, best[0].TypeID
		skip = append(skip, stepSection, stepType)
	case len(best) > 1:
		// The tie question stands for the section and type steps.
		var ties []string
		for _, b := range best {
			ties = append(ties, b.SectionID+"/"+b.TypeID)
		}
		t.setVar(varTies, strings.Join(ties, " "))
		skip = append(skip, stepSection, stepType)
	}
	if r.HasDate {
		why, err := t.refuseDate(r.Date)
		switch {
		case err != nil:
			return err
		case why != "":
			refused = append(refused, why)
		default:
			d.Date = r.Date
			skip = append(skip, stepDate)
		}
	}
	if r.HasParticipants {
		if err := office.CheckCount(r.Participants); err != nil {
			refused = append(refused, t.countError(err))
		} else {
			d.Participants = r.Participants
			skip = append(skip, stepParticipants)
		}
	}
	// A quantity is kept while the type may still count things.
	if ty, ok := t.e.catalog.Type(d.SectionID, d.TypeID); r.HasQuantity && (!ok || ty.Quantity) {
		if err := office.CheckCount(r.Quantity); err != nil {
			refused = append(refused, t.countError(err))
		} else {
			d.Quantity = r.Quantity
			skip = append(skip, stepQuantity)
		}
	}
	if title, err := parse.Title(r.Title, parse.MaxTitle); err == nil {
		d.Title = title
		skip = append(skip, stepTitle)
	}
	d.Place = t.placeRead(r, tree)
	t.setVar(varSkip, strings.Join(skip, " "))

	first := t.nextAsked("")
	t.e.log.Info("activity read from a message", "user", t.user.ID, "skip", t.conv.Vars[varSkip], "ties", t.conv.Vars[varTies], "first", first)
	if first != stepSummary {
		t.say(t.tr("quick_understood") + "\n\n" + t.describeKnown(*d, t.skipped))
		for _, why := range refused {
			t.say(why)
		}
	}
	t.goTo(first)
	return t.logPrompt()
}

// refuseDate says why the date step would refuse d, or "" if it would
// take it.
func (t *turn) refuseDate(d fieldlog.Date) (string, error) {
	if err := t.checkDate(d); err != nil {
		return t.dateError(err), nil
	}
	_, why, err := t.closed(t.user.UnitID, d)
	return why, err
}

// bestTypes are the catalogue's types among those with the reading's best
// score: one is the type, several are asked, none leaves the section step.
func (t *turn) bestTypes(scores []parse.TypeScore) []parse.TypeScore {
	var best []parse.TypeScore
	for _, s := range scores {
		if _, ok := t.e.catalog.Type(s.SectionID, s.TypeID); !ok || s.Score <= 0 {
			continue
		}
		if len(best) > 0 && s.Score < best[0].Score {
			break
		}
		if !slices.ContainsFunc(best, func(b parse.TypeScore) bool { return b.SectionID == s.SectionID && b.TypeID == s.TypeID }) {
			best = append(best, s)
		}
	}
	if len(best) > maxTies {
		return nil
	}
	return best
}

// placeRead is the place of the record from the reading: none when it is
// the officer's own unit, which a record without a place stands for.
func (t *turn) placeRead(r parse.Reading, tree *fieldlog.Tree) string {
	if r.PlaceUnit != "" && r.PlaceUnit == t.user.UnitID {
		return ""
	}
	place := r.Place
	if place == "" && r.PlaceUnit != "" {
		if _, ok := tree.Unit(r.PlaceUnit); ok {
			place = tree.Name(r.PlaceUnit, t.lang)
		}
	}
	// The place is not asked: one the place step would refuse is left
	// for Change.
	if p, err := parse.Title(place, maxPlace); err == nil {
		return p
	}
	return ""
}

// fromSentence reports whether the draft was read from a sentence.
func (t *turn) fromSentence() bool { return t.conv.Vars[varSkip] != "" }

// skipped reports whether step is one the draft read from a sentence does
// not ask.
func (t *turn) skipped(step string) bool {
	return slices.Contains(strings.Fields(t.conv.Vars[varSkip]), step)
}

// sentenceSteps are the steps of a draft read from a sentence, in order:
// the tie question, if there is one, then those of /log.
func (t *turn) sentenceSteps() []string {
	var steps []string
	if t.conv.Vars[varTies] != "" {
		steps = append(steps, stepTie)
	}
	return append(steps, t.sequence()...)
}

// nextAsked is the step after step that the sentence did not answer, or
// the summary; "" asks for the first.
func (t *turn) nextAsked(step string) string {
	steps := t.sentenceSteps()
	i := 0
	if step != "" {
		i = slices.Index(steps, step) + 1
		if i == 0 {
			return stepSummary
		}
	}
	for _, s := range steps[i:] {
		if !t.skipped(s) {
			return s
		}
	}
	return stepSummary
}

// previousAsked is where Back leads from step: the step asked before it,
// or step itself when it is the first asked.
func (t *turn) previousAsked(step string) string {
	if step == stepType {
		return stepSection // the type step is reached from the section step only
	}
	steps := t.sentenceSteps()
	i := slices.Index(steps, step)
	if i < 0 {
		return step
	}
	for j := i - 1; j >= 0; j-- {
		if !t.skipped(steps[j]) {
			return steps[j]
		}
	}
	return step
}

// backCancel is the last row of a step's buttons: Back, unless there is
// nothing to go back to (the first question about a sentence, or its
// summary when it asked nothing), and Cancel.
func (t *turn) backCancel() []Button {
	step := t.conv.Step
	if t.fromSentence() && t.conv.Vars[varReturn] != "1" && step != stepChange && t.previousAsked(step) == step {
		return []Button{t.btnCancel()}
	}
	return []Button{t.btnBack(), t.btnCancel()}
}

// tie is one of the types of stepTie.
type tie struct {
	section fieldlog.Section
	typ     fieldlog.ActivityType
}

// ties are the types of stepTie that the catalogue still has.
func (t *turn) ties() []tie {
	var out []tie
	for _, f := range strings.Fields(t.conv.Vars[varTies]) {
		sid, tid, _ := strings.Cut(f, "/")
		s, _ := t.e.catalog.Section(sid)
		if ty, ok := t.e.catalog.Type(sid, tid); ok {
			out = append(out, tie{s, ty})
		}
	}
	return out
}

// tieButtons offers the tied types; a type's name that two sections share
// comes with its section's.
func (t *turn) tieButtons() []Button {
	ties := t.ties()
	var bs []Button
	for i, c := range ties {
		name := c.typ.Name.In(t.lang)
		shared := slices.ContainsFunc(ties, func(o tie) bool { return o.section.ID != c.section.ID && o.typ.Name.In(t.lang) == name })
		if shared {
			name = t.tr("tie_option", "Type", name, "Section", c.section.Name.In(t.lang))
		}
		bs = append(bs, Button{Text: name, Data: t.flowData("pick", strconv.Itoa(i))})
	}
	return bs
}

// tieNamed finds the tied type a typed text names, in either language.
func (t *turn) tieNamed(text string) (string, bool) {
	for i, c := range t.ties() {
		if matchesLabel(c.typ.Name, text) {
			return strconv.Itoa(i), true
		}
	}
	return "", false
}

// pickTie takes the tied type number arg as the draft's type.
func (t *turn) pickTie(arg string) error {
	ties := t.ties()
	i, err := strconv.Atoi(arg)
	if err != nil || i < 0 || i >= len(ties) {
		t.notice(t.tr("stale_button"))
		return t.logPrompt()
	}
	d := &t.conv.Draft
	d.SectionID, d.TypeID = ties[i].section.ID, ties[i].typ.ID
	if !ties[i].typ.Quantity {
		d.Quantity = fieldlog.Count{}
	}
	return t.advance()
}

// knowledge keeps what sentences are read against, prepared once per unit
// tree (the engine's tree is cached, and replaced when the units change):
// folding the catalogue and the names again for every message costs most
// of the reading (BENCHMARKS.md, quick log).
type knowledge struct {
	mu       sync.Mutex
	tree     *fieldlog.Tree
	prepared parse.Knowledge
}

// of returns the prepared knowledge of cat and tree, without Today and
// Earliest, which the caller sets.
func (k *knowledge) of(cat *fieldlog.Catalog, tree *fieldlog.Tree) parse.Knowledge {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.tree != tree || k.prepared.Catalog != cat {
		k.tree = tree
		k.prepared = parse.Knowledge{Catalog: cat, Units: tree, MaxTitle: parse.MaxTitle}.Prepare()
	}
	return k.prepared
}

// anotherActivity reports whether the input, arriving while a record is
// being logged, tells of an activity of its own: a photo whose caption
// reads as one, or, at a step answered with a button, a sentence that
// does. Typed answers to a question (a date, a title) are the record's.
func (t *turn) anotherActivity() bool {
	text := t.in.Caption
	if t.in.Photo.ID == "" {
		if t.conv.Step != stepSummary && t.conv.Step != stepSection && t.conv.Step != stepType && t.conv.Step != stepPhotos {
			return false
		}
		text = t.in.Text
	}
	if strings.TrimSpace(text) == "" {
		return false
	}
	tree, err := t.units()
	if err != nil {
		return false // read as before: the record's
	}
	k := t.e.knowledge.of(t.e.catalog, tree)
	k.Today, k.Earliest = t.today(), t.earliest()
	return t.e.read(text, k).Activity
}
