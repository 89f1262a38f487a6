package parse

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"fieldlog"
)

// cue is a keyword folded for matching, with its length in runes, which is
// what it scores: the longer a keyword, the more it says (宗教信息员培训 over
// 培训).
type cue struct {
	word      string
	runes     int
	mongolian bool // written in Mongolian: not looked for in a Chinese sentence, nor the other way
}

// typeCues is what tells a sentence is of one catalogue type.
type typeCues struct {
	sectionID, typeID string
	// name is the type's Chinese name, folded: the activity it names (培训 in
	// 宗教信息员培训) keeps its subject keyword from being taken as a modifier.
	name string
	// cues are the type's name and keywords in both languages, longest first.
	cues []cue
	// section are the section's name and keywords; they add sectionBonus.
	section []cue
	// quantity is set for a type that counts things; units are its measure
	// words in both languages, folded (份, ᠬᠤᠪᠢ).
	quantity bool
	units    []string
	// formats are the keywords of the ways the type is done (a meeting, a
	// visit, a check); one found adds formatBonus.
	formats []cue
}

// sectionBonus is what a section keyword adds to each of its types: a
// tie-breaker, less than the shortest type keyword, so that 走访慰问困难侨眷
// is 侨务工作's visit rather than 非公有制经济's.
const sectionBonus = 1

// formatBonus is what one of a type's format keywords adds when it is no
// part of a keyword found (慰问 of 慰问金 is no visit): as little as a
// section keyword, so that a section's subject and a format's way of doing
// it together tell a paraphrase's type (党委班子开会 is the committee
// meeting, 把草场纠纷梳理了一遍 the risk screening), and a format breaks a
// tie between the types of one section.
const formatBonus = 1

// typeCuesOf folds the catalogue's names and keywords once.
func typeCuesOf(c *fieldlog.Catalog) []typeCues {
	if c == nil {
		return nil
	}
	var out []typeCues
	for _, s := range c.Sections {
		section := cuesOf(s.Name, s.Keywords)
		for _, t := range s.Types {
			tc := typeCues{sectionID: s.ID, typeID: t.ID, name: fold(t.Name[fieldlog.Chinese]), cues: cuesOf(t.Name, t.Keywords), section: section, quantity: t.Quantity}
			for _, l := range fieldlog.Langs {
				if u := strings.TrimSpace(fold(t.Unit[l])); u != "" {
					tc.units = append(tc.units, u)
				}
			}
			for _, id := range t.Formats {
				if f, ok := c.Format(id); ok {
					tc.formats = append(tc.formats, cuesOf(nil, f.Keywords)...)
				}
			}
			out = append(out, tc)
		}
	}
	return out
}

// cuesOf is a name and keywords, folded, without repeats, longest first.
func cuesOf(name fieldlog.Text, keywords fieldlog.Keywords) []cue {
	var words []string
	for _, l := range fieldlog.Langs {
		words = append(words, name[l])
		words = append(words, keywords[l]...)
	}
	var cues []cue
	for _, w := range words {
		w = strings.TrimSpace(fold(w))
		if w == "" || slices.ContainsFunc(cues, func(c cue) bool { return c.word == w }) {
			continue
		}
		cues = append(cues, cue{w, utf8.RuneCountInString(w), hasMongolianLetters(w)})
	}
	slices.SortStableFunc(cues, func(a, b cue) int { return b.runes - a.runes })
	return cues
}

// scoreTypes scores every type against the folded sentence s, leaving out
// what lies in skip (the place: 在新时代文明实践站 says nothing of the type).
// A type scores the runes of its keywords found, each keyword once, none
// overlapping another, and none that is part of a longer one already
// counted (宣讲 adds nothing to 政策宣讲, wherever it is), plus sectionBonus
// if a keyword of its section is found, plus formatBonus if a keyword of
// one of its formats is found outside every keyword found.
// A topic keyword right before another type's activity keyword is that
// activity's subject (宗教政策法规专题学习 is a study of the policy): the head
// of a Chinese phrase comes last, so the topic scores modifierScore (see
// modifies).
// The result has the types that score, best first, ties in catalogue order.
func scoreTypes(s string, skip []span, types []typeCues) []TypeScore {
	mongolian := hasMongolianLetters(s)
	chinese := strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	// The keywords of each type found, where.
	found := make([][]span, len(types))
	starts := map[int][]int{} // where a keyword starts: the types it is of
	for ti, t := range types {
		var counted []string
		for _, c := range t.cues {
			if c.mongolian && !mongolian || !c.mongolian && !chinese {
				continue
			}
			if slices.ContainsFunc(counted, func(w string) bool { return strings.Contains(w, c.word) }) {
				continue // 慰问 says nothing more where 走访慰问 was found
			}
			if at, ok := findOutside(s, c.word, skip, found[ti]); ok {
				found[ti] = append(found[ti], span{at, at + len(c.word)})
				counted = append(counted, c.word)
				starts[at] = append(starts[at], ti)
			}
		}
	}
	var all []span // every keyword found: a format word within one is part of it (慰问 of 慰问金)
	for _, f := range found {
		all = append(all, f...)
	}
	var out []TypeScore
	sectionHit := map[string]bool{}
	for ti, t := range types {
		score := 0
		for _, f := range found[ti] {
			runes := utf8.RuneCountInString(s[f.start:f.end])
			if !mongolian && slices.ContainsFunc(starts[f.end], func(o int) bool { return o != ti && modifies(s[f.start:f.end], t, head(s, found[o], f.end)) }) {
				runes = min(runes, modifierScore)
			}
			score += runes
		}
		hit, seen := sectionHit[t.sectionID]
		if !seen {
			hit = slices.ContainsFunc(t.section, func(c cue) bool {
				if c.mongolian && !mongolian || !c.mongolian && !chinese {
					return false
				}
				_, ok := findOutside(s, c.word, skip, nil)
				return ok
			})
			sectionHit[t.sectionID] = hit
		}
		if hit {
			score += sectionBonus
		}
		if slices.ContainsFunc(t.formats, func(c cue) bool {
			if c.mongolian && !mongolian || !c.mongolian && !chinese {
				return false
			}
			_, ok := findOutside(s, c.word, skip, all)
			return ok
		}) {
			score += formatBonus
		}
		if score > 0 {
			out = append(out, TypeScore{SectionID: t.sectionID, TypeID: t.typeID, Score: score})
		}
	}
	slices.SortStableFunc(out, func(a, b TypeScore) int { return b.Score - a.Score })
	return out
}

// modifierScore is what a keyword scores as the subject of another type's
// activity word right after it: as little as a section keyword.
const modifierScore = 1

// activityWords say what was done rather than about what: a keyword with
// one of them is an activity (专题学习), one without a topic (宗教政策法规).
var activityWords = []string{"学习", "培训", "宣讲", "宣传", "座谈", "讲座", "会议", "研讨", "交流", "联谊", "竞赛", "排查", "走访", "慰问", "活动", "党课", "大会"}

// modifies reports whether keyword, of type t, is the subject of the other
// type's keyword h that follows it: keyword names no activity, and t's own
// name does not name the activity of h (宗教信息员业务培训 is still the
// informants' 培训, 隐患防控业务培训 the risk 培训).
func modifies(keyword string, t typeCues, h string) bool {
	if containsAny(keyword, activityWords) {
		return false
	}
	for _, w := range activityWords {
		if strings.Contains(h, w) && strings.Contains(t.name, w) {
			return false
		}
	}
	return containsAny(h, activityWords)
}

// head is the keyword of found that starts at i.
func head(s string, found []span, i int) string {
	for _, f := range found {
		if f.start == i {
			return s[f.start:f.end]
		}
	}
	return ""
}

// findOutside finds word in s where it overlaps neither skip nor claimed,
// and is whole words if it is Mongolian (ᠨᠠᠮ is not the start of ᠨᠠᠮᠳᠠ).
func findOutside(s, word string, skip, claimed []span) (int, bool) {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return 0, false
		}
		i += from
		end := i + len(word)
		if !overlaps(skip, i, end) && !overlaps(claimed, i, end) && mongolianWordStart(s, i) {
			return i, true
		}
		from = i + len(string(firstRune(s[i:])))
	}
	return 0, false
}

// mongolianWordStart reports whether a Mongolian word starts at s[i] (or s[i]
// is not Mongolian). A Mongolian keyword may end inside a word, being a
// stem: ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢ matches ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ.
func mongolianWordStart(s string, i int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	return !(isMongolianLetter(firstRune(s[i:])) && isMongolianLetter(before))
}

// best returns the types tied at the best score.
func best(types []TypeScore) []TypeScore {
	n := 0
	for n < len(types) && types[n].Score == types[0].Score {
		n++
	}
	return types[:n]
}
