package report

import (
	"container/heap"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"fieldlog"
	"fieldlog/locales"
)

// DefaultHighlights is how many notable activities each section names when
// Config.Highlights is zero.
const DefaultHighlights = 3

// Config says which report to compile.
type Config struct {
	Catalog *fieldlog.Catalog
	Tree    *fieldlog.Tree
	// Scope is the unit the report is about: records of it and of every
	// unit below it count. An empty or unknown scope counts nothing, unless
	// AllUnits asks for every unit of the tree (an admin's report).
	Scope    fieldlog.UnitID
	AllUnits bool
	Period   fieldlog.Period
	Lang     fieldlog.Lang // Chinese when not a supported language
	Notes    Notes
	Messages *locales.Messages // every sentence comes from report.<lang>.toml
	// Highlights is how many notable activities each section names:
	// 0 means DefaultHighlights, a negative number none.
	Highlights int
	// Date is the day the report is compiled, its 成文日期: the caller's
	// today, so that the compiler stays a function of its input. Zero
	// leaves the date out.
	Date fieldlog.Date
}

// TypeFigures are the sums of one activity type over the records counted.
// Each is a fieldlog.Count, so a sum that includes an approximate figure is
// approximate; Occurrences (one per record) is always exact.
type TypeFigures struct {
	Type         fieldlog.ActivityType
	Occurrences  fieldlog.Count
	Participants fieldlog.Count
	Quantity     fieldlog.Count // stays zero for types without Quantity
}

// SectionFigures are the figures of one catalogue section with records.
type SectionFigures struct {
	Section fieldlog.Section
	// Types holds the types that have records, in catalogue order.
	Types []TypeFigures
	// Highlights are the section's most notable records, most notable
	// first: most participants, then the later date.
	Highlights []fieldlog.Activity
}

// Compiler accumulates activity records one at a time and then writes the
// half-year report. It keeps sums and a few highlights per catalogue type,
// never the records themselves, so records can stream from a database
// cursor in constant memory. It is not safe for concurrent use.
type Compiler struct {
	cfg        Config
	highlights int
	first      int // the period as day keys (see dayKey), inclusive
	last       int
	// types finds a record's place in the catalogue in one lookup.
	types map[typeKey]slot
	// inScope remembers, per unit, whether it lies under Scope. It grows
	// with the number of units, not of records.
	inScope  map[fieldlog.UnitID]bool
	sections []sectionSums // parallel to cfg.Catalog.Sections
}

type typeKey struct{ section, typ string }

type slot struct{ section, typ int }

// sectionSums is what Add keeps for one catalogue section.
type sectionSums struct {
	types []TypeFigures // parallel to the section's types
	best  highlightHeap
}

// NewCompiler returns a compiler for cfg. Catalog, Tree and Messages must be
// set.
func NewCompiler(cfg Config) *Compiler {
	if !cfg.Lang.Valid() {
		cfg.Lang = fieldlog.Chinese
	}
	c := &Compiler{
		cfg:        cfg,
		highlights: cfg.Highlights,
		first:      dayKey(cfg.Period.Start()),
		last:       dayKey(cfg.Period.End()),
		types:      map[typeKey]slot{},
		inScope:    map[fieldlog.UnitID]bool{},
		sections:   make([]sectionSums, len(cfg.Catalog.Sections)),
	}
	if c.highlights == 0 {
		c.highlights = DefaultHighlights
	}
	for si, s := range cfg.Catalog.Sections {
		c.sections[si].types = make([]TypeFigures, len(s.Types))
		for ti, t := range s.Types {
			c.sections[si].types[ti].Type = t
			c.types[typeKey{s.ID, t.ID}] = slot{si, ti}
		}
	}
	return c
}

// Compile compiles records in one call; it is NewCompiler, Add and Document
// for callers that already hold the records in memory.
func Compile(cfg Config, records []fieldlog.Activity) Document {
	c := NewCompiler(cfg)
	for _, a := range records {
		c.Add(a)
	}
	return c.Document()
}

// Add counts a record. Records that are deleted, dated outside the period,
// of a unit outside the scope, or of a section or type the catalogue no
// longer has are ignored: the caller filters too, but the report must stay
// right even if a query is too wide.
func (c *Compiler) Add(a fieldlog.Activity) {
	if a.Deleted {
		return
	}
	if d := dayKey(a.Date); d < c.first || d > c.last {
		return
	}
	if !c.covers(a.UnitID) {
		return
	}
	pos, ok := c.types[typeKey{a.SectionID, a.TypeID}]
	if !ok {
		return
	}
	s := &c.sections[pos.section]
	t := &s.types[pos.typ]
	t.Occurrences = t.Occurrences.Add(fieldlog.Count{Value: 1})
	t.Participants = t.Participants.Add(a.Participants)
	if t.Type.Quantity {
		t.Quantity = t.Quantity.Add(a.Quantity)
	}
	s.best.offer(a, c.highlights)
}

// covers reports whether unit lies in the scope's subtree.
func (c *Compiler) covers(unit fieldlog.UnitID) bool {
	if c.cfg.AllUnits {
		return true
	}
	in, ok := c.inScope[unit]
	if !ok {
		in = c.cfg.Tree.Contains(c.cfg.Scope, unit)
		c.inScope[unit] = in
	}
	return in
}

// Figures returns the sums so far of the sections that have records, in
// catalogue order. Sections and types without records are left out, as the
// report leaves them out.
func (c *Compiler) Figures() []SectionFigures {
	var out []SectionFigures
	for si, s := range c.sections {
		var types []TypeFigures
		for _, t := range s.types {
			if t.Occurrences.Value > 0 {
				types = append(types, t)
			}
		}
		if len(types) == 0 {
			continue
		}
		best := append([]fieldlog.Activity(nil), s.best...)
		sort.Slice(best, func(i, j int) bool { return moreNotable(best[i], best[j]) })
		out = append(out, SectionFigures{Section: c.cfg.Catalog.Sections[si], Types: types, Highlights: best})
	}
	return out
}

// Document writes the report from the records added so far. It may be
// called more than once.
func (c *Compiler) Document() Document {
	w := newWriter(c.cfg)
	figs := c.Figures()
	unit := c.unitName()
	d := Document{Lang: c.cfg.Lang, Period: c.cfg.Period, UnitName: unit}
	add := func(k Kind, text string) { d.Paragraphs = append(d.Paragraphs, Paragraph{k, text}) }

	year := c.cfg.Period.Year
	add(Title, w.text("report.title"+w.half, map[string]any{"Unit": unit, "Year": year}))
	add(Body, w.text("report.lead"+w.half, map[string]any{"Unit": unit, "Year": year, "Totals": w.totals(figs)}))

	add(Heading1, w.numbered("report.numbered_h1", 1, w.text("report.heading_done", nil)))
	if len(figs) == 0 {
		add(Body, w.text("report.none", nil))
	}
	for i, s := range figs {
		add(Heading2, w.numbered("report.numbered_h2", i+1, s.Section.Name.In(w.lang)))
		add(Body, w.figures(s))
		// The most notable first: the largest participation leads.
		for _, a := range s.Highlights {
			add(Body, w.highlight(a, s.Section, c.cfg.Tree))
		}
	}

	notes := []struct {
		heading, none string
		items         []string
	}{
		{"report.heading_problems", "report.problems_none", c.cfg.Notes.Problems},
		{"report.heading_plans", "report.plans_none", c.cfg.Notes.Plans},
	}
	for i, n := range notes {
		add(Heading1, w.numbered("report.numbered_h1", i+2, w.text(n.heading, nil)))
		items := nonEmpty(n.items)
		if len(items) == 0 {
			add(Body, w.text(n.none, nil))
		}
		for j, item := range items {
			add(Body, w.numbered("report.numbered_item", j+1, w.endSentence(item)))
		}
	}
	d.Issuer, d.Date = unit, w.issued(c.cfg.Date)
	return d
}

// unitName names the scope; for the whole tree, its single root.
func (c *Compiler) unitName() string {
	id := c.cfg.Scope
	if roots := c.cfg.Tree.Roots(); id == "" && len(roots) == 1 {
		id = roots[0]
	}
	return c.cfg.Tree.Name(id, c.cfg.Lang)
}

// writer turns figures into sentences of the report's language. All words
// come from the message files; it only decides which message and fills in
// the numbers.
type writer struct {
	msgs     *locales.Messages
	lang     fieldlog.Lang
	half     string // "_h1" or "_h2": messages that differ by half-year (上半年, 年初以来)
	numerals []string
	verbs    []string // the catalogue's verbs, to tell a title that starts with one
}

func newWriter(cfg Config) *writer {
	w := &writer{msgs: cfg.Messages, lang: cfg.Lang, half: "_h1"}
	if cfg.Period.Half == 2 {
		w.half = "_h2"
	}
	// Split at ASCII spaces only: a numeral of two Mongolian words (ᠠᠷᠪᠠᠨ
	// ᠨᠢᠭᠡ, eleven) is joined with a no-break space, which strings.Fields
	// would split too.
	w.numerals = strings.FieldsFunc(w.text("report.numerals", nil), func(r rune) bool { return r == ' ' })
	for _, s := range cfg.Catalog.Sections {
		for _, t := range s.Types {
			if v := t.Verb.In(cfg.Lang); v != "" {
				w.verbs = append(w.verbs, v)
			}
		}
	}
	return w
}

func (w *writer) text(id string, data map[string]any) string {
	return w.msgs.Text(w.lang, id, data)
}

// numbered puts the n-th numeral (一, 二 … or 1, 2 …) before text.
func (w *writer) numbered(id string, n int, text string) string {
	num := strconv.Itoa(n)
	if n >= 1 && n <= len(w.numerals) {
		num = w.numerals[n-1]
	}
	return w.text(id, map[string]any{"N": num, "Text": text})
}

// count writes a figure in ASCII digits, marked when approximate (80余).
func (w *writer) count(c fieldlog.Count) string {
	n := strconv.FormatInt(c.Value, 10)
	if !c.Approx {
		return n
	}
	return w.text("report.approx", map[string]any{"N": n})
}

// people writes a participant figure, or "" when there is none, which the
// templates test to leave the participants clause out.
func (w *writer) people(c fieldlog.Count) string {
	if c.Value == 0 && !c.Approx {
		return ""
	}
	return w.count(c)
}

// totals writes the totals sentence of the lead paragraph.
func (w *writer) totals(figs []SectionFigures) string {
	if len(figs) == 0 {
		return w.text("report.totals_none", nil)
	}
	var activities, people fieldlog.Count
	for _, s := range figs {
		for _, t := range s.Types {
			activities = activities.Add(t.Occurrences)
			people = people.Add(t.Participants)
		}
	}
	data := map[string]any{"Activities": w.count(activities), "People": w.people(people), "Sections": len(figs)}
	if data["People"] == "" {
		return w.text("report.totals_no_people", data)
	}
	return w.text("report.totals", data)
}

// figures writes the figures sentence of a section: 年初以来，召开…8次，….
func (w *writer) figures(s SectionFigures) string {
	phrases := make([]string, 0, len(s.Types))
	sep := "report.separator"
	for _, t := range s.Types {
		name := t.Type.Name.In(w.lang)
		verb := t.Type.Verb.In(w.lang)
		if strings.HasPrefix(name, verb) {
			verb = "" // the name already says it: 发放宣传资料
		}
		data := map[string]any{
			"Verb":    verb,
			"Name":    name,
			"Measure": t.Type.Unit.In(w.lang),
			"Count":   w.count(t.Occurrences),
			"People":  w.people(t.Participants),
		}
		if data["People"] != "" {
			// A phrase with a clause of its own (…8次，参与40人次) needs a
			// stronger break from the next one (；).
			sep = "report.separator_clauses"
		}
		id := "report.type_count"
		switch {
		case t.Type.Quantity && (t.Quantity.Value > 0 || t.Quantity.Approx):
			id = "report.type_quantity"
			data["Quantity"] = w.count(t.Quantity)
		case t.Type.Quantity:
			// Nothing was counted: say how often it happened instead,
			// since the measure word (份, 元) fits only the quantity.
			data["Measure"] = w.text("report.times", nil)
		}
		phrases = append(phrases, w.text(id, data))
	}
	list := strings.Join(phrases, w.text(sep, nil))
	return w.text("report.figures"+w.half, map[string]any{"List": list})
}

// highlight writes one notable activity: 6月7日，在…召开…，参加80人。
func (w *writer) highlight(a fieldlog.Activity, s fieldlog.Section, tree *fieldlog.Tree) string {
	var typ fieldlog.ActivityType
	for _, t := range s.Types {
		if t.ID == a.TypeID {
			typ = t
		}
	}
	title := strings.TrimRightFunc(strings.TrimSpace(a.Title), isSentenceEnd)
	if title == "" {
		title = typ.Name.In(w.lang)
	}
	place := strings.TrimSpace(a.Place)
	if place == "" {
		place = tree.Name(a.UnitID, w.lang)
	}
	// The verb before the title: the type's own (召开 a meeting, 举办 a
	// lecture), except for types that count things, whose verb (发放)
	// belongs to the things rather than to the event the title names; and
	// none when the officer's title starts with a verb already.
	verb := typ.Verb.In(w.lang)
	if typ.Quantity || verb == "" {
		verb = w.text("report.highlight_verb", nil)
	}
	for _, v := range w.verbs {
		if strings.HasPrefix(title, v) {
			verb = ""
		}
	}
	return w.text("report.highlight", map[string]any{
		"Date":   w.text("report.date", map[string]any{"Month": int(a.Date.Month), "Day": a.Date.Day}),
		"Place":  place,
		"Verb":   verb,
		"Title":  title,
		"People": w.people(a.Participants),
	})
}

// endSentence gives a coordinator's note a full stop if it lacks an ending.
func (w *writer) endSentence(s string) string {
	if r, _ := utf8.DecodeLastRuneInString(s); isSentenceEnd(r) {
		return s
	}
	return s + w.text("report.full_stop", nil)
}

// isSentenceEnd reports whether r can end a sentence or clause: 。！？；
// ᠃ and their ASCII forms.
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '…', '᠃', '᠉', '.', '!', '?', ';':
		return true
	}
	return false
}

// nonEmpty drops blank notes and trims the others.
func nonEmpty(items []string) []string {
	var out []string
	for _, s := range items {
		if s = strings.TrimFunc(s, unicode.IsSpace); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// dayKey orders dates as the integer yyyymmdd; Date.Before formats strings,
// which would cost allocations on every record.
func dayKey(d fieldlog.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// moreNotable reports whether a makes a better highlight than b: more
// participants, then a later date, then (so the choice is stable) the
// smaller id.
func moreNotable(a, b fieldlog.Activity) bool {
	if a.Participants.Value != b.Participants.Value {
		return a.Participants.Value > b.Participants.Value
	}
	if da, db := dayKey(a.Date), dayKey(b.Date); da != db {
		return da > db
	}
	return a.ID < b.ID
}

// highlightHeap keeps the n most notable records of a section. It is a
// min-heap: the root is the least notable kept, so a new record only has to
// beat the root to get in.
type highlightHeap []fieldlog.Activity

func (h highlightHeap) Len() int           { return len(h) }
func (h highlightHeap) Less(i, j int) bool { return moreNotable(h[j], h[i]) }
func (h highlightHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *highlightHeap) Push(x any)        { *h = append(*h, x.(fieldlog.Activity)) }
func (h *highlightHeap) Pop() any {
	old := *h
	a := old[len(old)-1]
	*h = old[:len(old)-1]
	return a
}

// offer keeps a if it is among the n most notable seen.
func (h *highlightHeap) offer(a fieldlog.Activity, n int) {
	switch {
	case len(*h) < n:
		heap.Push(h, a)
	case n > 0 && moreNotable(a, (*h)[0]):
		(*h)[0] = a
		heap.Fix(h, 0)
	}
}
