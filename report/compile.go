package report

import (
	"container/heap"
	"fmt"
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
	// Highlights are the section's most notable records (most
	// participants, then the later date), never two of the same day and
	// place, in date order as the report prints them.
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
	s.best.offer(highlight{a, placeName(a, c.cfg.Tree, c.cfg.Lang)}, c.highlights)
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
		best := make([]fieldlog.Activity, len(s.best))
		for i, h := range s.best {
			best[i] = h.a
		}
		// Chosen by participation, told in the order they happened.
		sort.Slice(best, func(i, j int) bool {
			if di, dj := dayKey(best[i].Date), dayKey(best[j].Date); di != dj {
				return di < dj
			}
			return best[i].ID < best[j].ID
		})
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
		add(Body, w.section(s, i == 0, c.cfg.Tree))
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
	// verbs are the catalogue's verbs and the language's other words that
	// make a title an action (开展, 深入, 与 …): a title with one of them
	// gets no verb of the report's own.
	verbs []string
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
	w.verbs = append(w.verbs, strings.FieldsFunc(w.text("report.title_verbs", nil), func(r rune) bool { return r == ' ' })...)
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

// count writes a figure in ASCII digits; see figure.
func (w *writer) count(c fieldlog.Count) string { return w.figure(c, "") }

// figure writes a figure in ASCII digits. An approximate one is rounded
// down to a round number and marked, as reports write them (263 → 260余,
// 2154 → 2100余, 63 → 60余; 80余 stays); an exact one stays exact. With a
// ten-thousand word, a figure of 10,000 or more is written in it (20000 →
// 2万, 21994 → 2.1994万, about 21994 → 2.1万余).
//
// One record's approximate figure is rounded too (an officer's 85余 is
// written 80余): 余 follows a round number wherever the report writes it.
func (w *writer) figure(c fieldlog.Count, tenThousand string) string {
	v := c.Value
	if c.Approx {
		v = roundDown(v)
	}
	n := strconv.FormatInt(v, 10)
	if tenThousand != "" && v >= 10000 {
		n = w.text("report.ten_thousand", map[string]any{"N": tenThousands(v), "Word": tenThousand})
	}
	if !c.Approx {
		return n
	}
	return w.text("report.approx", map[string]any{"N": n})
}

// roundDown rounds an approximate figure down to the round number that
// 余 follows in reports: two significant figures from 100 (263 → 260,
// 2154 → 2100), tens below (63 → 60, 11 → 10, as in 10余条), units below
// ten.
func roundDown(v int64) int64 {
	switch {
	case v < 10:
		return v
	case v < 100:
		return v / 10 * 10
	}
	p := int64(1)
	for v/p >= 100 {
		p *= 10
	}
	return v / p * p
}

// tenThousands writes v in units of 10,000 without losing a digit: 20000
// → 2, 21994 → 2.1994.
func tenThousands(v int64) string {
	whole, rest := v/10000, v%10000
	if rest == 0 {
		return strconv.FormatInt(whole, 10)
	}
	return strconv.FormatInt(whole, 10) + "." + strings.TrimRight(fmt.Sprintf("%04d", rest), "0")
}

// people writes a participant figure, or "" when there is none, which the
// templates test to leave the participants clause out.
func (w *writer) people(c fieldlog.Count) string {
	if c.Value == 0 && !c.Approx {
		return ""
	}
	return w.count(c)
}

// headCount is the type's clause stating the participants (受众1800余人次),
// or "" when the type states none or nobody was counted.
func (w *writer) headCount(t fieldlog.ActivityType, c fieldlog.Count) string {
	clause, n := t.HeadCount.In(w.lang), w.people(c)
	if clause == "" || n == "" {
		return ""
	}
	return strings.Replace(clause, fieldlog.HeadCountPlaceholder, n, 1)
}

// amount writes a quantity type's figure with its measure word (1200余份,
// 2万元), or "" when nothing was counted.
func (w *writer) amount(t fieldlog.ActivityType, q fieldlog.Count) string {
	if !t.Quantity || (q.Value == 0 && !q.Approx) {
		return ""
	}
	return w.text("report.amount", map[string]any{
		"Quantity": w.figure(q, t.TenThousand.In(w.lang)), "Measure": t.Unit.In(w.lang)})
}

// totals writes the totals sentence of the lead paragraph. Its
// participants are those the sections state (types with a head count
// clause), so the lead adds up to the sections and never counts a
// committee's members among the public.
func (w *writer) totals(figs []SectionFigures) string {
	if len(figs) == 0 {
		return w.text("report.totals_none", nil)
	}
	var activities, people fieldlog.Count
	for _, s := range figs {
		for _, t := range s.Types {
			activities = activities.Add(t.Occurrences)
			if w.headCount(t.Type, t.Participants) != "" {
				people = people.Add(t.Participants)
			}
		}
	}
	data := map[string]any{"Activities": w.count(activities), "People": w.people(people), "Sections": len(figs)}
	if data["People"] == "" {
		return w.text("report.totals_no_people", data)
	}
	return w.text("report.totals", data)
}

// section writes a section's paragraph: its figures sentence, then its
// highlights, as the reference reports do.
func (w *writer) section(s SectionFigures, first bool, tree *fieldlog.Tree) string {
	figures := w.figures(s, first)
	if len(s.Highlights) == 0 {
		return figures
	}
	items := make([]string, len(s.Highlights))
	for i, a := range s.Highlights {
		items[i] = w.highlight(a, s.Section, tree)
	}
	highlights := w.text("report.highlights", map[string]any{"List": strings.Join(items, w.text("report.highlight_separator", nil))})
	return w.text("report.section_body", map[string]any{"Figures": figures, "Highlights": highlights})
}

// figures writes the figures sentence of a section: 召开…8次，…. Only the
// first section opens with the period (年初以来), so that the opening is
// not repeated in every section.
func (w *writer) figures(s SectionFigures, first bool) string {
	var list strings.Builder
	clause := false // whether the phrase before has a clause of its own
	for i, t := range s.Types {
		people := w.headCount(t.Type, t.Participants) != ""
		// A phrase with a clause of its own (…11场，受众1800余人次) needs a
		// stronger break from its neighbours (；) than a plain one (，).
		switch {
		case i > 0 && (clause || people):
			list.WriteString(w.text("report.separator_clauses", nil))
		case i > 0:
			list.WriteString(w.text("report.separator", nil))
		}
		clause = people
		list.WriteString(w.phrase(t))
	}
	if !first {
		return w.text("report.figures_next", map[string]any{"List": list.String()})
	}
	return w.text("report.figures"+w.half, map[string]any{"List": list.String()})
}

// phrase writes one type's figures as the section's sentence states them:
// 开展宣讲活动11场，受众1800余人次; 发放宣传资料1200余份.
func (w *writer) phrase(t TypeFigures) string {
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
		"People":  w.headCount(t.Type, t.Participants),
	}
	id := "report.type_count"
	switch {
	case t.Type.Quantity && (t.Quantity.Value > 0 || t.Quantity.Approx):
		id = "report.type_quantity"
		data["Quantity"] = w.figure(t.Quantity, t.Type.TenThousand.In(w.lang))
	case t.Type.Quantity:
		// Nothing was counted: say how often it happened instead, since
		// the measure word (份, 元) fits only the quantity.
		data["Measure"] = w.text("report.times", nil)
	}
	return w.text(id, data)
}

// Stated is how the report states t's figures, in the compiler's language
// (开展宣讲活动4场，受众460余人次), and whether it states t's participants:
// the ledger prints both beside the exact sums, so that a coordinator can
// check the one against the other.
func (c *Compiler) Stated(t TypeFigures) (phrase string, statesParticipants bool) {
	w := newWriter(c.cfg)
	return w.phrase(t), w.headCount(t.Type, t.Participants) != ""
}

// StatedTotals is the report's sentence of all its figures (the lead's:
// 共开展各类统战活动48次，累计参与1600余人次…).
func (c *Compiler) StatedTotals() string { return newWriter(c.cfg).totals(c.Figures()) }

// highlight writes one notable activity, without its closing stop:
// 6月7日，在…召开…，参加80人; for a type that counts things, with what
// was given out: 6月7日，在…发放民族政策宣传册1200余份.
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
	// The verb before the title: the type's own (召开 a meeting, 举办 a
	// lecture), except for types that count things, whose verb (发放)
	// belongs to the things rather than to the event the title names; and
	// none when the officer's title has a verb already (与驻镇单位开展…).
	verb := typ.Verb.In(w.lang)
	if typ.Quantity || verb == "" {
		verb = w.text("report.highlight_verb", nil)
	}
	if w.hasVerb(title) {
		verb = ""
	}
	data := map[string]any{
		"Date":   w.text("report.date", map[string]any{"Month": int(a.Date.Month), "Day": a.Date.Day}),
		"Place":  placeName(a, tree, w.lang),
		"Verb":   verb,
		"Title":  title,
		"People": "",
	}
	if amount := w.amount(typ, a.Quantity); amount != "" {
		// A title that names the giving out (入户发放民族政策宣传册) takes
		// the amount itself; any other is followed by the type's phrase.
		data["Amount"] = amount
		data["TitleNamesThings"] = typ.Verb.In(w.lang) != "" && strings.Contains(title, typ.Verb.In(w.lang))
		data["Things"] = w.text("report.type_quantity", map[string]any{"Verb": typ.Verb.In(w.lang), "Name": typ.Name.In(w.lang),
			"Quantity": w.figure(a.Quantity, typ.TenThousand.In(w.lang)), "Measure": typ.Unit.In(w.lang), "People": ""})
	} else if typ.HeadCount.In(w.lang) != "" {
		// Participants are stated where the type's figures state them.
		data["People"] = w.people(a.Participants)
	}
	return w.text("report.highlight", data)
}

// hasVerb reports whether a title already says what was done.
func (w *writer) hasVerb(title string) bool {
	for _, v := range w.verbs {
		if strings.Contains(title, v) {
			return true
		}
	}
	return false
}

// placeName is where a record happened as the report names it: the place
// the officer gave, else the unit's name.
func placeName(a fieldlog.Activity, tree *fieldlog.Tree, lang fieldlog.Lang) string {
	if place := strings.TrimSpace(a.Place); place != "" {
		return place
	}
	return tree.Name(a.UnitID, lang)
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

// highlight is a candidate highlight and the place it is told at.
type highlight struct {
	a     fieldlog.Activity
	place string
}

// sameOccasion reports whether two records happened on the same day at
// the same place: a report names such an occasion once.
func (h highlight) sameOccasion(o highlight) bool {
	return dayKey(h.a.Date) == dayKey(o.a.Date) && h.place == o.place
}

// highlightHeap keeps the n most notable records of a section, at most one
// per day and place. It is a min-heap: the root is the least notable kept,
// so a new record only has to beat the root to get in.
type highlightHeap []highlight

func (h highlightHeap) Len() int           { return len(h) }
func (h highlightHeap) Less(i, j int) bool { return moreNotable(h[j].a, h[i].a) }
func (h highlightHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *highlightHeap) Push(x any)        { *h = append(*h, x.(highlight)) }
func (h *highlightHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// offer keeps x if it is among the n most notable seen, one per occasion.
// It stays exact while streaming: the heap holds the most notable record
// of each occasion in it, and the best record of any other occasion is
// less notable than everything it holds (or it would not have been pushed
// out), so comparing x with the root is enough.
func (h *highlightHeap) offer(x highlight, n int) {
	if n <= 0 {
		return
	}
	for i, kept := range *h {
		if kept.sameOccasion(x) {
			if moreNotable(x.a, kept.a) {
				(*h)[i] = x
				heap.Fix(h, i)
			}
			return
		}
	}
	switch {
	case len(*h) < n:
		heap.Push(h, x)
	case moreNotable(x.a, (*h)[0].a):
		(*h)[0] = x
		heap.Fix(h, 0)
	}
}
