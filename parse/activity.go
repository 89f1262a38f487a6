package parse

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fieldlog"
)

// An officer's one sentence about an activity, read whole: "6月7日在独贵龙
// 社区开展政策宣讲，80余人参加". Activity finds what the sentence says of
// each field of a record, so that the bot can fill a draft with it and ask
// only for what is missing. It is deterministic and needs no network: it
// normalises the text (full-width to half-width, Mongolian digits, the
// invisible Mongolian characters; see fold), finds the spans of a date, the
// figures and a place with this package's date and number grammar, scores
// the catalogue's keywords for the type, and makes the title of what is left.

// Knowledge is what Activity reads a sentence against.
type Knowledge struct {
	Catalog *fieldlog.Catalog
	// Units are the names a place may be (the whole tree, both languages).
	Units *fieldlog.Tree
	// Today and Earliest bound the date, as for Date: a date without a year
	// is the most recent past one.
	Today, Earliest fieldlog.Date
	// MaxTitle is the longest title, in runes; 0 means MaxTitle.
	MaxTitle int

	// index is the catalogue and tree folded for reading, made by Prepare.
	index *index
}

// Prepare returns k with the catalogue's keywords and the tree's names
// folded once, as every sentence read against them needs. A bot keeps the
// prepared Knowledge (with Today updated as days pass); Activity works as
// well without it, only slower. A prepared Knowledge whose Catalog or Units
// are later replaced is read against the new ones, folded again each time.
func (k Knowledge) Prepare() Knowledge {
	k.index = newIndex(k.Catalog, k.Units)
	return k
}

// Reading is what a sentence says. A field the sentence does not give is
// its zero value with its Has… false.
type Reading struct {
	// Activity is false for a text that is clearly not an activity (a
	// greeting, a question, a few characters): the bot then answers as to
	// any text outside a flow.
	Activity bool

	HasDate bool
	Date    fieldlog.Date
	// DateProblem is why a date the sentence gives was not taken
	// (HasDate false): ErrFutureDate, ErrTooEarly or ErrImpossibleDate, as
	// Date returns them, so the bot can say what is wrong with it.
	DateProblem error

	HasParticipants bool
	Participants    fieldlog.Count

	// HasQuantity is set for a quantity of the chosen type's measure word
	// (发放宣传资料1200余份, 慰问金2万元).
	HasQuantity bool
	Quantity    fieldlog.Count

	// Place is the place as the record keeps it (Activity.Place): a unit's
	// name from the tree, or the text after 在…; empty when none.
	Place string
	// PlaceUnit is the unit Place names, if it is one of the tree.
	PlaceUnit fieldlog.UnitID

	// Types are the catalogue types the sentence may be, best first, with
	// their scores; the bot takes the first when it alone has the best
	// score, and asks with buttons among those tied at the best.
	Types []TypeScore

	// Title is the sentence without the date, count, quantity and place
	// phrases, trimmed to Knowledge.MaxTitle; empty when nothing is left.
	Title string

	// Where in the sentence each field was read, as byte offsets into it;
	// the zero Span for a field not read. DateSpan is set for a date
	// refused with DateProblem too.
	DateSpan, ParticipantsSpan, QuantitySpan, PlaceSpan Span
}

// Span is a part of a sentence: its bytes s[Start:End].
type Span struct{ Start, End int }

// TypeScore is a catalogue type and how well the sentence matches it.
type TypeScore struct {
	SectionID, TypeID string
	Score             int
}

// Best returns the types tied at the best score: one when the sentence
// tells its type, several when the officer must choose, none when the
// sentence names no type.
func (r Reading) Best() []TypeScore { return best(r.Types) }

// Activity reads s against k. It never panics, whatever s is.
func Activity(s string, k Knowledge) Reading {
	idx := k.index
	if idx == nil || idx.catalog != k.Catalog || idx.tree != k.Units {
		idx = newIndex(k.Catalog, k.Units)
	}
	maxTitle := k.MaxTitle
	if maxTitle <= 0 {
		maxTitle = MaxTitle
	}
	t := newText(s)
	f := t.folded
	var r Reading
	var cuts []span // what the title leaves out

	// The date: the first one the sentence gives that can be logged, else
	// the first one, refused, so the bot can say why.
	mentions := findDates(f, k.Today)
	var taken []span
	for _, d := range mentions {
		taken = append(taken, span{d.start, d.end})
	}
	chosen := -1
	for i, d := range mentions {
		err := d.err
		if err == nil {
			_, err = inRange(d.date, k.Today, k.Earliest)
		}
		if err == nil || i == 0 {
			chosen, r.DateProblem = i, err
		}
		if err == nil {
			break
		}
	}
	if chosen >= 0 {
		d := mentions[chosen]
		if r.HasDate = r.DateProblem == nil; r.HasDate {
			r.Date = d.date
		}
		r.DateSpan = t.span(d.start, d.end)
		c := span{d.start, d.end}
		if w, ok := suffixOf(f[:d.start], []string{"于", "在"}); ok {
			c.start -= len(w) // 于6月9日: on that day, all of it out of the title
		}
		cuts = append(cuts, c)
	}
	dates := slices.Clone(taken)

	// The figures, then the place, which no figure or date is part of.
	figs := findFigures(f, dates, idx.measures)
	for _, g := range figs {
		taken = append(taken, span{g.start, g.end})
	}
	p, hasPlace := findPlace(f, taken, dates, idx.places, idx.ends)
	var skip []span
	if hasPlace {
		skip = append(skip, p.at)
		name := p.name
		if name == "" {
			name = strings.TrimSpace(t.orig[t.at[p.at.start]:t.at[p.at.end]])
		}
		if name = cleanPlace(name); name != "" {
			r.Place, r.PlaceUnit, r.PlaceSpan = name, p.unit, t.span(p.at.start, p.at.end)
			cuts = append(cuts, p.cut)
		}
	}

	r.Types = scoreTypes(f, skip, idx.types)

	// Participants: a figure of people, the one the sentence says took part
	// (参加, 受众, ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ) if several are given.
	who := -1
	for i, g := range figs {
		if !g.people {
			continue
		}
		if who < 0 || takesPart(f, g) && !takesPart(f, figs[who]) {
			who = i
		}
	}
	if who >= 0 {
		g := figs[who]
		if g.err == nil {
			r.HasParticipants, r.Participants = true, g.count
			r.ParticipantsSpan = t.span(g.start, g.end)
		}
		cuts = append(cuts, participantsCut(f, g))
	}

	// The quantity, for the best type that counts things: a figure in its
	// measure word, else, for a type that counts things rather than money,
	// in a word for things (宣传手册200本 for 份). Money and things never
	// stand for each other: 印刷费3000元 is no number of leaflets, 米面油200份
	// no sum of relief money.
	if qt, ok := quantityType(r.Types, idx.types); ok {
		money := containsAny(strings.Join(qt.units, " "), moneyWords)
		q := -1
		for i, g := range figs {
			if i == who || g.people {
				continue
			}
			if slices.Contains(qt.units, g.measure) {
				q = i
				break
			}
			if q < 0 && !money && slices.Contains(thingWords, g.measure) && !slices.Contains(moneyWords, g.measure) {
				q = i
			}
			if q < 0 && g.measure == "" && countsKeyword(f[g.end:], qt) {
				q = i // 4 ᠮᠡᠳᠡᠭᠡ: a Mongolian number before the noun counts it, with no measure word
			}
		}
		if q >= 0 && figs[q].err == nil {
			g := figs[q]
			r.HasQuantity, r.Quantity = true, g.count
			r.QuantitySpan = t.span(g.start, g.end)
			cuts = append(cuts, span{g.start, g.end})
		}
	}

	r.Activity = isActivity(f, r, idx)
	r.Title = sentenceTitle(t, cuts, idx.saysWhatWasDone, maxTitle)
	return r
}

// span is a part of the folded text: folded[start:end].
type span struct{ start, end int }

func inside(spans []span, i int) bool {
	for _, s := range spans {
		if s.start <= i && i < s.end {
			return true
		}
	}
	return false
}

func overlaps(spans []span, start, end int) bool {
	for _, s := range spans {
		if start < s.end && s.start < end {
			return true
		}
	}
	return false
}

// index is what Activity looks for in a sentence, folded once per catalogue
// and tree (see Knowledge.Prepare).
type index struct {
	catalog *fieldlog.Catalog
	tree    *fieldlog.Tree
	types   []typeCues
	places  []placeName
	// ends end a place after 在; verbs say that something was done; content
	// are keywords long enough to say on their own what a clause is about.
	ends, verbs, content []string
	// measures are the measure words a figure may have, longest first.
	measures []string
}

// Words that say something was done, besides the catalogue's verbs: a text
// with none of them, no type keyword, no figure and no place is no activity.
// The Mongolian ones are stems, found within their words.
var doneWords = []string{
	"开展", "举办", "举行", "召开", "组织", "进行", "发放", "发布", "推送", "转发", "收集", "征求",
	"走访", "慰问", "看望", "宣讲", "宣传", "学习", "排查", "摸排", "观摩", "参观", "考察", "交流",
	"座谈", "帮扶", "取缔", "清除", "申报", "上报", "创建", "承办", "开设", "接受", "迎接",
	"ᠶᠠᠪᠤᠭᠤᠯ", "ᠵᠣᠬᠢᠶᠠᠨ ᠪᠠᠶᠢᠭᠤᠯ", "ᠨᠡᠭᠡᠭᠡ", "ᠲᠠᠷᠬᠠᠭᠠ", "ᠨᠡᠶᠢᠲᠡᠯᠡ", "ᠴᠤᠭᠯᠠᠭᠤᠯ", "ᠰᠤᠳᠤᠯ",
	"ᠪᠠᠶᠢᠴᠠᠭᠠ", "ᠪᠣᠰᠬᠠ", "ᠠᠶᠢᠯᠴᠢᠯᠠ", "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠ", "ᠬᠠᠯᠠᠮᠵᠢᠯᠠ",
}

func newIndex(c *fieldlog.Catalog, tree *fieldlog.Tree) *index {
	idx := &index{catalog: c, tree: tree, types: typeCuesOf(c), places: placeNames(tree)}
	idx.ends = slices.Clone(placeEnds)
	idx.verbs = slices.Clone(doneWords)
	idx.measures = slices.Clone(sentenceMeasures)
	add := func(list []string, w string) []string {
		if w = strings.TrimSpace(fold(w)); w != "" && !slices.Contains(list, w) {
			list = append(list, w)
		}
		return list
	}
	if c != nil {
		for _, s := range c.Sections {
			for _, at := range s.Types {
				idx.ends = add(idx.ends, at.Verb[fieldlog.Chinese])
				for _, l := range fieldlog.Langs {
					idx.verbs = add(idx.verbs, at.Verb[l])
					idx.measures = add(idx.measures, at.Unit[l])
				}
			}
		}
	}
	for _, t := range idx.types {
		for _, c := range t.cues {
			if c.runes >= 4 || hasMongolianLetters(c.word) {
				idx.content = add(idx.content, c.word)
			}
		}
	}
	slices.SortStableFunc(idx.measures, func(a, b string) int { return len(b) - len(a) })
	return idx
}

// saysWhatWasDone reports whether a folded part of a sentence says what
// was done: a verb of doing or a keyword long enough (宣讲活动, not 培训).
func (idx *index) saysWhatWasDone(s string) bool {
	return containsAny(s, idx.verbs) || containsAny(s, idx.content)
}

// quantityType is the first type tied at the best score that counts things.
func quantityType(types []TypeScore, all []typeCues) (typeCues, bool) {
	for _, ts := range best(types) {
		for _, t := range all {
			if t.sectionID == ts.SectionID && t.typeID == ts.TypeID && t.quantity {
				return t, true
			}
		}
	}
	return typeCues{}, false
}

// countsKeyword reports whether rest, the text right after a figure with no
// measure word, starts with a Mongolian keyword of t: the figure counts what
// the keyword names (4 ᠮᠡᠳᠡᠭᠡ, four posts).
func countsKeyword(rest string, t typeCues) bool {
	rest = strings.TrimLeft(rest, " ")
	return slices.ContainsFunc(t.cues, func(c cue) bool { return c.mongolian && strings.HasPrefix(rest, c.word) })
}

// Words that say a figure of people took part, before it within its clause
// (参加群众120余名, 受众1800余人) or right after it (80余人参加).
var (
	takePartBefore = []string{"参加", "参与", "参会", "参训", "参赛", "受众", "惠及", "覆盖", "出席", "观众", "培训", "受益", "人数", "到场", "ᠣᠷᠣᠯᠴᠠ"}
	takePartAfter  = []string{"参加", "参与", "出席", "参会", "参训", "到场", "ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ", "ᠣᠷᠣᠯᠴᠠᠪᠠ", "ᠣᠷᠣᠯᠴᠠ"}
)

// takesPart reports whether the sentence says the people of g took part.
func takesPart(s string, g figure) bool {
	if g.label {
		return true
	}
	before := s[clauseStart(s, g.start):g.start]
	_, after := cutPrefix(strings.TrimLeft(s[g.end:], " "), takePartAfter)
	return after || containsAny(before, takePartBefore)
}

// participantsCut is the participants' figure with the word after it that
// says they took part (80余人参加), as the title leaves it out.
func participantsCut(s string, g figure) span {
	c := span{g.start, g.end}
	rest := strings.TrimLeft(s[g.end:], " ")
	if after, ok := cutPrefix(rest, takePartAfter); ok {
		c.end = len(s) - len(after)
	}
	return c
}

// clauseStart is where the clause holding s[i] starts: after the last
// comma, full stop or semicolon before it.
func clauseStart(s string, i int) int {
	return strings.LastIndexAny(s[:i], ",;。!?᠂᠃") + 1
}

// cleanPlace returns a place fit for the record, or "" if it has characters
// no title may have (control characters, invalid UTF-8).
func cleanPlace(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return ""
	}
	return strings.TrimFunc(s, unicode.IsSpace)
}

// Question words: a text with one asks something of the bot. ᠤᠤ and ᠦᠦ are
// the Mongolian question particle, a word of their own after U+202F.
var (
	questionWords          = []string{"吗", "怎么", "如何", "为什么", "什么", "哪里", "哪儿", "哪个", "能否", "是否", "请问", "几点", "多少", "咋"}
	questionWordsMongolian = []string{"ᠤᠤ", "ᠦᠦ", "ᠶᠠᠭᠤ", "ᠶᠠᠭᠠᠬᠢᠵᠤ", "ᠬᠡᠵᠢᠶᠡ"}
)

// minWords is the fewest words a text about an activity has: Chinese
// characters, numbers and Latin words count one, a Mongolian word two (it
// says about as much as two characters: ᠰᠤᠷᠭᠠᠯᠲᠠ, 培训).
const minWords = 4

// isActivity reports whether the folded text f, read as r, is about an
// activity: it is no question, has at least minWords words, and says
// something of one: a type, participants, a quantity, a place or a verb of
// doing. A date alone is not enough (我今天请假), nor a place or a verb
// alone (我今天去独贵龙社区了); a plan (明天组织学习) or a word about
// recording (还没录, 录入不了) makes it no activity.
func isActivity(f string, r Reading, idx *index) bool {
	trimmed := strings.TrimRight(f, " .。!")
	if strings.HasSuffix(trimmed, "?") || containsAny(f, questionWords) {
		return false
	}
	words := 0
	prev := rune(0)
	for _, w := range strings.Fields(f) {
		if slices.Contains(questionWordsMongolian, w) {
			return false
		}
	}
	for _, c := range f {
		switch {
		case unicode.Is(unicode.Han, c):
			words++
		case isMongolianLetter(c) && !isMongolianLetter(prev):
			words += 2
		case isDigit(c) && !isDigit(prev),
			c < utf8.RuneSelf && unicode.IsLetter(c) && !(prev < utf8.RuneSelf && unicode.IsLetter(prev)):
			words++
		}
		prev = c
	}
	if words < minWords || containsAny(f, planWords) || containsAny(f, recordingTrouble) {
		return false
	}
	// A place alone (我是独贵龙社区的联络员) or a verb alone says nothing
	// done; together they do (在独贵龙社区开展…).
	return len(r.Types) > 0 || r.HasParticipants || r.HasQuantity || r.Place != "" && containsAny(f, idx.verbs)
}

// Words that say a thing is still to be done (明天组织学习, 马上改,
// 三点开会别忘了, 请准时参加): an
// activity is logged after it happened. 将 counts only as 将于, 将在,
// 将要, never alone (将近80人 is about 80); 计划 only before what is
// planned (计划在…, not 计划生育宣传).
var planWords = []string{"明天", "明日", "后天", "下周", "下个月", "下星期", "马上", "准备", "计划在", "计划于", "计划开展", "计划组织", "计划举办", "打算", "即将", "将要", "将于", "将在", "明早", "明晚", "别忘", "记得", "准时"}

// recordingTrouble are words about recording itself (还没录, 录入不了): a
// complaint or a question for the bot, not an activity.
var recordingTrouble = []string{"录入", "没录", "未录", "录不", "不了", "还没"}
