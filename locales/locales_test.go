package locales

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"fieldlog"
	"fieldlog/parse"
)

// These tests keep every <area>.zh-Hans.toml and <area>.mn-Mong.toml pair
// complete and consistent, keep the Mongolian text in traditional script
// written by the rules of /work/shared/GLOSSARY.md, and check that every
// message id the conversation code uses exists.

// localeFile is one parsed message file.
type localeFile struct {
	name string
	msgs map[string]*i18n.Message
}

// loadPairs parses the embedded files, by area and language. Files of other
// languages, files without their pair and unparsable files are problems,
// which TestPairsHaveTheSameIDs reports; the other tests check what they can.
func loadPairs(t *testing.T) map[string]map[fieldlog.Lang]*localeFile {
	t.Helper()
	areas, _ := loadPairsProblems(t)
	return areas
}

func loadPairsProblems(t *testing.T) (map[string]map[fieldlog.Lang]*localeFile, []string) {
	t.Helper()
	var problems []string
	files, err := Files()
	if err != nil {
		t.Fatalf("Files: %v", err)
	}
	unmarshal := map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal}
	areas := map[string]map[fieldlog.Lang]*localeFile{}
	for name, content := range files {
		area, rest, ok := strings.Cut(name, ".")
		lang, isTOML := strings.CutSuffix(rest, ".toml")
		if !ok || !isTOML || !fieldlog.Lang(lang).Valid() {
			problems = append(problems, fmt.Sprintf("%s: want a name <area>.<lang>.toml with lang %v", name, fieldlog.Langs))
			continue
		}
		mf, err := i18n.ParseMessageFileBytes([]byte(content), name, unmarshal)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		f := &localeFile{name: name, msgs: map[string]*i18n.Message{}}
		for _, m := range mf.Messages {
			f.msgs[m.ID] = m
		}
		if areas[area] == nil {
			areas[area] = map[fieldlog.Lang]*localeFile{}
		}
		areas[area][fieldlog.Lang(lang)] = f
	}
	if areas["active"] == nil {
		t.Fatalf("no active.*.toml among %d embedded files", len(files))
	}
	for area, byLang := range areas {
		for _, l := range fieldlog.Langs {
			if byLang[l] == nil {
				problems = append(problems, fmt.Sprintf("%s.%s.toml is missing: every message file needs its pair in each of %v", area, l, fieldlog.Langs))
			}
		}
	}
	sort.Strings(problems)
	return areas, problems
}

// sortedAreas lists the areas that have both languages, in order.
func sortedAreas(areas map[string]map[fieldlog.Lang]*localeFile) []string {
	var out []string
	for a, byLang := range areas {
		if byLang[fieldlog.Chinese] != nil && byLang[fieldlog.Mongolian] != nil {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

func sortedIDs(f *localeFile) []string {
	ids := make([]string, 0, len(f.msgs))
	for id := range f.msgs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// forms returns the non-empty plural forms of m.
func forms(m *i18n.Message) []string {
	var out []string
	for _, s := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestPairsHaveTheSameIDs(t *testing.T) {
	areas, problems := loadPairsProblems(t)
	for _, p := range problems {
		t.Error(p)
	}
	for _, area := range sortedAreas(areas) {
		zh, mn := areas[area][fieldlog.Chinese], areas[area][fieldlog.Mongolian]
		var onlyZh, onlyMn []string
		for _, id := range sortedIDs(zh) {
			if mn.msgs[id] == nil {
				onlyZh = append(onlyZh, id)
			}
		}
		for _, id := range sortedIDs(mn) {
			if zh.msgs[id] == nil {
				onlyMn = append(onlyMn, id)
			}
		}
		if len(onlyZh) > 0 {
			t.Errorf("%s lacks %d ids of %s: %s", mn.name, len(onlyZh), zh.name, strings.Join(onlyZh, ", "))
		}
		if len(onlyMn) > 0 {
			t.Errorf("%s has %d ids that %s lacks: %s", mn.name, len(onlyMn), zh.name, strings.Join(onlyMn, ", "))
		}
		for _, f := range []*localeFile{zh, mn} {
			for _, id := range sortedIDs(f) {
				if strings.TrimSpace(f.msgs[id].Other) == "" {
					t.Errorf("%s: %s has no text (the \"other\" form is empty)", f.name, id)
				}
			}
		}
	}
}

// withoutMongolian lists mn-Mong messages that may contain no traditional
// Mongolian letters although they contain other letters, with the reason.
// Values made only of placeholders, digits, spaces and punctuation
// (date_format "{{.Y}}.{{.M}}.{{.D}}", weekdays "1 2 3 4 5 6 7",
// count_exact "{{.N}} {{.Unit}}") are formats, not text, and need no entry.
var withoutMongolian = map[string]string{}

// suffixes are the case (and reflexive) suffixes that must be joined to their
// word with U+202F, never a plain space.
var suffixes = []string{
	"ᠤᠨ", "ᠦᠨ", "ᠶᠢᠨ", "ᠤ", "ᠦ", // genitive
	"ᠢ", "ᠶᠢ", // accusative
	"ᠳᠤ", "ᠲᠤ", "ᠳᠦ", "ᠲᠦ", // dative-locative
	"ᠪᠠᠷ", "ᠪᠡᠷ", "ᠢᠶᠠᠷ", "ᠢᠶᠡᠷ", "ᠡᠷ", // instrumental
	"ᠠᠴᠠ", "ᠡᠴᠡ", // ablative
	"ᠲᠠᠢ", "ᠲᠡᠢ", // comitative
	"ᠪᠠᠨ", "ᠪᠡᠨ", "ᠢᠶᠠᠨ", "ᠢᠶᠡᠨ", // reflexive
	"ᠳᠠᠭᠠᠨ", "ᠳᠡᠭᠡᠨ", "ᠲᠠᠭᠠᠨ", "ᠲᠡᠭᠡᠨ", // dative-reflexive
}

// particles are joined to their word with U+202F like the suffixes
// (GLOSSARY.md; suragch/mongol_code encodes them as Suffix.UU, Suffix.CHU).
var particles = []string{
	"ᠤᠤ", "ᠦᠦ", // question particle
	"ᠴᠤ", "ᠴᠦ", // "even", "also"
}

const (
	nnbsp = '\u202F' // joins a suffix to its word
	mvs   = '\u180E' // before a separated word-final a/e
)

var (
	suffixAlt = strings.Join(suffixes, "|")
	// A Mongolian letter (or the selector after one), a plain space, a
	// suffix, and the end of that word.
	spacedSuffix = regexp.MustCompile(`[\x{1820}-\x{18AA}\x{180B}-\x{180F}] (` + suffixAlt + `)(?:[\s\p{P}]|$)`)
	// The same for a particle: ᠤᠤ after a word, not a word that starts
	// with ᠦᠦ (ᠦᠦᠷᠡᠭ).
	spacedParticle = regexp.MustCompile(`[\x{1820}-\x{18AA}\x{180B}-\x{180F}] (` + strings.Join(particles, "|") + `)(?:[^\x{1820}-\x{18AA}\x{180B}-\x{180F}]|$)`)
	// A word, U+202F, and an accusative, genitive or question suffix whose
	// form depends on the sound of that word.
	joinedSuffix = regexp.MustCompile(`([\x{1820}-\x{18AA}\x{180B}-\x{180F}]+)\x{202F}(ᠶᠢᠨ|ᠤᠨ|ᠦᠨ|ᠤᠤ|ᠦᠦ|ᠤ|ᠦ|ᠶᠢ|ᠢ)(?:[^\x{1820}-\x{18AA}\x{180B}-\x{180F}]|$)`)
	// A suffix after a placeholder, joined or not: its form would depend on
	// the sound of the value.
	placeholderSuffix = regexp.MustCompile(`\}\}[ \x{202F}]?(` + suffixAlt + `)(?:[\s\p{P}]|$)`)
	// ASCII comma or full stop after a Mongolian letter: use ᠂ and ᠃.
	asciiPunct = regexp.MustCompile(`[\x{1820}-\x{18AA}\x{180B}-\x{180F}][,.]`)
	// A template action, removed before looking at the text itself.
	action = regexp.MustCompile(`\{\{.*?\}\}`)
)

func isMongolianLetter(r rune) bool { return r >= 0x1820 && r <= 0x18AA }

func isSelector(r rune) bool { return r >= 0x180B && r <= 0x180D || r == 0x180F }

// suffixForm returns the form of the accusative (ᠢ/ᠶᠢ), genitive
// (ᠶᠢᠨ/ᠤᠨ/ᠦᠨ/ᠤ/ᠦ) or question particle (ᠤᠤ/ᠦᠦ) that suf stands for, as the
// word before it requires: after a vowel ᠶᠢ and ᠶᠢᠨ, after ᠨ the genitive ᠤ/ᠦ,
// after other consonants ᠢ and ᠤᠨ/ᠦᠨ; ᠤ for a word with a back vowel
// (ᠠ ᠣ ᠤ), ᠦ otherwise.
func suffixForm(word, suf string) string {
	last := rune(0)
	for _, r := range word {
		if isMongolianLetter(r) {
			last = r
		}
	}
	vowel := strings.ContainsRune("ᠠᠡᠢᠣᠤᠥᠦᠧ", last)
	u := "ᠦ"
	if strings.ContainsAny(word, "ᠠᠣᠤ") {
		u = "ᠤ"
	}
	switch suf {
	case "ᠢ", "ᠶᠢ":
		if vowel {
			return "ᠶᠢ"
		}
		return "ᠢ"
	case "ᠤᠤ", "ᠦᠦ":
		return u + u
	}
	switch {
	case vowel:
		return "ᠶᠢᠨ"
	case last == 'ᠨ':
		return u
	}
	return u + "ᠨ"
}

// isHanOrFullWidth reports CJK ideographs, CJK punctuation and full-width
// forms, none of which belong in Mongolian text.
func isHanOrFullWidth(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}

// mongolianProblems lists what breaks the writing rules in one mn-Mong text.
func mongolianProblems(id, s string) []string {
	var out []string
	var han, cyr []string
	for _, r := range s {
		switch {
		case isHanOrFullWidth(r):
			han = append(han, string(r))
		case unicode.Is(unicode.Cyrillic, r):
			cyr = append(cyr, string(r))
		}
	}
	if len(han) > 0 {
		out = append(out, fmt.Sprintf("Han characters or CJK/full-width punctuation %q (untranslated? use ᠂ ᠃ ᠄)", strings.Join(han, "")))
	}
	if len(cyr) > 0 {
		out = append(out, fmt.Sprintf("Cyrillic letters %q: write traditional script", strings.Join(cyr, "")))
	}
	text := action.ReplaceAllString(s, "")
	hasLetter := strings.IndexFunc(text, unicode.IsLetter) >= 0
	if hasLetter && strings.IndexFunc(text, isMongolianLetter) < 0 {
		if _, ok := withoutMongolian[id]; !ok {
			out = append(out, "no traditional Mongolian letters (U+1820–U+18AA)")
		}
	}
	for _, m := range spacedSuffix.FindAllStringSubmatch(s, -1) {
		out = append(out, fmt.Sprintf("suffix %s after a plain space in %q: join it with U+202F", m[1], m[0]))
	}
	for _, m := range spacedParticle.FindAllStringSubmatch(s, -1) {
		out = append(out, fmt.Sprintf("particle %s after a plain space in %q: join it with U+202F", m[1], m[0]))
	}
	for _, m := range joinedSuffix.FindAllStringSubmatch(s, -1) {
		if want := suffixForm(m[1], m[2]); want != m[2] {
			out = append(out, fmt.Sprintf("%s after %s: the word's last letter and vowels want %s", m[2], m[1], want))
		}
	}
	for _, m := range placeholderSuffix.FindAllStringSubmatch(s, -1) {
		out = append(out, fmt.Sprintf("suffix %s after a placeholder in %q: write \"label: value\" instead", m[1], m[0]))
	}
	for _, m := range asciiPunct.FindAllString(s, -1) {
		out = append(out, fmt.Sprintf("ASCII punctuation after a Mongolian letter in %q: use ᠂ or ᠃", m))
	}
	rs := []rune(s)
	for i, r := range rs {
		prev, next, after := rune(0), rune(0), rune(0)
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		if i+2 < len(rs) {
			after = rs[i+2]
		}
		at := func() string { return strconv.QuoteToASCII(string(rs[max(0, i-3):min(len(rs), i+4)])) }
		switch {
		case r == nnbsp && !(isMongolianLetter(prev) || isSelector(prev) || prev == mvs) || r == nnbsp && !isMongolianLetter(next):
			out = append(out, "U+202F not between a Mongolian word and its suffix at "+at())
		case r == mvs && (!isMongolianLetter(prev) || next != 'ᠠ' && next != 'ᠡ' || isMongolianLetter(after) || isSelector(after)):
			out = append(out, "U+180E not before a word-final ᠠ/ᠡ at "+at())
		case isSelector(r) && !isMongolianLetter(prev):
			out = append(out, "variation selector not right after a Mongolian letter at "+at())
		}
	}
	return out
}

func TestMongolianWriting(t *testing.T) {
	areas := loadPairs(t)
	for _, area := range sortedAreas(areas) {
		mn := areas[area][fieldlog.Mongolian]
		for _, id := range sortedIDs(mn) {
			for _, s := range forms(mn.msgs[id]) {
				for _, p := range mongolianProblems(id, s) {
					t.Errorf("%s: %s: %s", mn.name, id, p)
				}
			}
		}
	}
	for id := range withoutMongolian {
		if areas["active"][fieldlog.Mongolian].msgs[id] == nil {
			t.Errorf("withoutMongolian lists %s, which active.mn-Mong.toml does not have", id)
		}
	}
}

// The checker must catch what it is meant to catch.
func TestMongolianWritingChecker(t *testing.T) {
	bad := map[string]string{
		"Han":                             "ᠬᠦᠮᠦᠨ 人",
		"CJK punctuation":                 "ᠬᠦᠮᠦᠨ。",
		"full-width colon":                "ᠬᠦᠮᠦᠨ：",
		"Cyrillic":                        "ᠬᠦᠮᠦᠨ хүн",
		"English only":                    "Save",
		"spaced suffix":                   "ᠬᠦᠮᠦᠨ ᠦ ᠲᠣᠭ᠎ᠠ",
		"spaced suffix at end":            "ᠪᠦᠷᠢᠳᠬᠡᠯ ᠢ",
		"suffix on placeholder":           "{{.Unit}}\u202Fᠶᠢᠨ ᠨᠡᠷ᠎ᠡ",
		"ASCII full stop":                 "ᠬᠠᠳᠠᠭᠠᠯᠠᠪᠠ.",
		"ASCII comma":                     "ᠬᠠᠳᠠᠭᠠᠯᠠᠪᠠ, ᠪᠣᠯᠣᠨ᠎ᠠ",
		"MVS as suffix joiner":            "ᠬᠦᠮᠦᠨ\u180Eᠦ",
		"stray NNBSP":                     "45\u202Fᠬᠦᠮᠦᠨ",
		"spaced question particle":        "ᠰᠣᠩᠭᠣᠨ᠎ᠠ ᠤᠤ᠃",
		"spaced front question particle":  "ᠬᠡᠷᠡᠭᠯᠡᠨ᠎ᠡ ᠦᠦ᠂ ᠡᠰᠡᠪᠡᠯ",
		"spaced question particle at end": "ᠬᠠᠰᠤᠬᠤ ᠤᠤ",
		"spaced question particle and ?":  "ᠬᠠᠰᠤᠬᠤ ᠤᠤ?",
		"spaced particle ᠴᠤ":              "ᠶᠠᠮᠠᠷ ᠴᠤ ᠠᠭᠤᠯᠭ᠎ᠠ",
		"accusative ᠢ after a vowel":      "ᠲᠥᠯᠥᠪᠯᠡᠭᠡ\u202Fᠢ ᠪᠢᠴᠢᠬᠦ",
		"accusative ᠶᠢ after a consonant": "ᠠᠵᠢᠯ\u202Fᠶᠢ",
		"genitive ᠤᠨ after a vowel":       "ᠰᠠᠷ᠎ᠠ\u202Fᠤᠨ ᠡᠳᠦᠷ",
		"genitive ᠦᠨ after n":             "ᠬᠦᠮᠦᠨ\u202Fᠦᠨ ᠲᠣᠭ᠎ᠠ",
		"genitive ᠤ after l":              "ᠠᠵᠢᠯ\u202Fᠤ ᠢᠯᠡᠳᠬᠡᠯ",
		"back genitive on a front word":   "ᠪᠦᠷᠢᠳᠬᠡᠯ\u202Fᠤᠨ ᠲᠣᠭ᠎ᠠ",
		"front particle on a back word":   "ᠰᠣᠩᠭᠣᠨ᠎ᠠ\u202Fᠦᠦ᠃",
	}
	for name, s := range bad {
		if len(mongolianProblems("x", s)) == 0 {
			t.Errorf("%s: %q passes the checker", name, s)
		}
	}
	good := []string{
		"ᠬᠦᠮᠦᠨ\u202Fᠦ ᠲᠣᠭ᠎ᠠ᠄ {{.Count}}᠃",
		"{{.Y}}.{{.M}}.{{.D}}",
		"1 2 3 4 5 6 7",
		"ᠡᠰᠡᠪᠡᠯ ᠢᠯᠡᠭᠡᠨ᠎ᠡ\u202Fᠦᠦ᠄ /start ᠤᠷᠢᠯᠭ᠎ᠠ\u202Fᠶᠢᠨ ᠺᠣᠳ᠋",
		"ᠰᠣᠩᠭᠣᠨ᠎ᠠ\u202Fᠤᠤ᠃ ᠬᠠᠰᠤᠬᠤ\u202Fᠤᠤ? ᠶᠠᠮᠠᠷ\u202Fᠴᠤ",
		"ᠶᠠᠮᠠᠷ ᠦᠦᠷᠡᠭ\u202Fᠲᠡᠢ ᠬᠦᠮᠦᠨ\u202Fᠢ",
		"ᠲᠥᠯᠥᠪᠯᠡᠭᠡ\u202Fᠶᠢ ᠪᠢᠴᠢᠬᠦ᠂ ᠺᠣᠳ᠋\u202Fᠢ᠂ ᠹᠷᠣᠨᠲ\u202Fᠤᠨ ᠠᠵᠢᠯ᠂ ᠪᠦᠷᠢᠳᠬᠡᠯ\u202Fᠦᠨ ᠲᠣᠭ᠎ᠠ᠂ ᠣᠨ\u202Fᠤ ᠡᠬᠢᠨ᠂ ᠤᠷᠢᠯᠭ᠎ᠠ\u202Fᠶᠢᠨ ᠺᠣᠳ᠋",
	}
	for _, s := range good {
		if p := mongolianProblems("x", s); len(p) > 0 {
			t.Errorf("%q is refused: %v", s, p)
		}
	}
}

var (
	// printedField is an action that prints one field: {{.Count}}.
	printedField = regexp.MustCompile(`\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}`)
	// fieldRef is any field an action refers to: {{if .Unit}}, {{.Count}}.
	fieldRef = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)
)

// fields returns the fields the forms of m print, and all it refers to.
func fields(m *i18n.Message) (printed, referenced map[string]bool) {
	printed, referenced = map[string]bool{}, map[string]bool{}
	for _, s := range forms(m) {
		for _, g := range printedField.FindAllStringSubmatch(s, -1) {
			printed[g[1]] = true
		}
		for _, a := range action.FindAllString(s, -1) {
			for _, g := range fieldRef.FindAllStringSubmatch(a, -1) {
				referenced[g[1]] = true
			}
		}
	}
	return printed, referenced
}

// placeholderExceptions lists, by message id, fields that the Chinese shows
// and the Mongolian deliberately leaves out, with the reason. Empty: every
// entry needs the lead's agreement.
var placeholderExceptions = map[string]map[string]string{
	"report.highlight": {"Verb": "the Mongolian highlight names the title and its figures without a verb, which would have to agree with the title"},
}

func missingFrom(want, have map[string]bool, except map[string]string) []string {
	var out []string
	for k := range want {
		if _, ok := except[k]; !have[k] && !ok {
			out = append(out, "{{."+k+"}}")
		}
	}
	sort.Strings(out)
	return out
}

func TestPlaceholdersMatch(t *testing.T) {
	areas := loadPairs(t)
	for _, area := range sortedAreas(areas) {
		zh, mn := areas[area][fieldlog.Chinese], areas[area][fieldlog.Mongolian]
		for _, id := range sortedIDs(zh) {
			for _, f := range []*localeFile{zh, mn} {
				if m := f.msgs[id]; m != nil {
					for _, s := range forms(m) {
						if _, err := template.New(id).Parse(s); err != nil {
							t.Errorf("%s: %s is not a valid template: %v", f.name, id, err)
						}
					}
				}
			}
			if mn.msgs[id] == nil {
				continue // reported by TestPairsHaveTheSameIDs
			}
			zhPrinted, zhRef := fields(zh.msgs[id])
			mnPrinted, mnRef := fields(mn.msgs[id])
			if miss := missingFrom(zhPrinted, mnPrinted, placeholderExceptions[id]); len(miss) > 0 {
				t.Errorf("%s: %s does not show %s, which the Chinese shows", mn.name, id, strings.Join(miss, " "))
			}
			if miss := missingFrom(mnPrinted, zhPrinted, nil); len(miss) > 0 {
				t.Errorf("%s: %s shows %s, which the Chinese does not", mn.name, id, strings.Join(miss, " "))
			}
			// A field only tested in the Chinese ({{if not .OwnVerb}}) may be
			// left out, but the Mongolian may not use data the Chinese does not.
			if miss := missingFrom(mnRef, zhRef, nil); len(miss) > 0 {
				t.Errorf("%s: %s uses %s, which the Chinese does not", mn.name, id, strings.Join(miss, " "))
			}
		}
	}
}

// sampleData fills every field a message refers to.
func sampleData(ms ...*i18n.Message) map[string]any {
	data := map[string]any{}
	for _, m := range ms {
		if m == nil {
			continue
		}
		_, ref := fields(m)
		for k := range ref {
			data[k] = 7
		}
	}
	return data
}

func render(t *testing.T, s string, data map[string]any) string {
	t.Helper()
	tmpl, err := template.New("").Parse(s)
	if err != nil {
		return ""
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		t.Errorf("execute %q: %v", s, err)
	}
	return b.String()
}

func newMessages(t *testing.T) *Messages {
	t.Helper()
	m, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

func TestTextInBothLanguages(t *testing.T) {
	areas := loadPairs(t)
	msgs := newMessages(t)
	for _, area := range sortedAreas(areas) {
		for _, id := range sortedIDs(areas[area][fieldlog.Chinese]) {
			data := sampleData(areas[area][fieldlog.Chinese].msgs[id], areas[area][fieldlog.Mongolian].msgs[id])
			for _, l := range fieldlog.Langs {
				m := areas[area][l].msgs[id]
				got := msgs.Text(l, id, data)
				switch {
				case got == id:
					t.Errorf("Text(%s, %s) returns the id: the message is missing or fails", l, id)
				case m == nil:
					// Missing from the file: TestPairsHaveTheSameIDs names it.
				case got != render(t, m.Other, data):
					t.Errorf("Text(%s, %s) = %q, want the text of %s", l, id, got, areas[area][l].name)
				case strings.Contains(got, "<no value>"):
					t.Errorf("Text(%s, %s) = %q shows a missing value", l, id, got)
				}
			}
		}
	}
	if got := msgs.Text(fieldlog.Mongolian, "no_such_message_id", nil); got != "no_such_message_id" {
		t.Errorf("a missing message gives %q, want its id", got)
	}
}

// Single messages whose form matters to the code that uses them.
func TestFormats(t *testing.T) {
	msgs := newMessages(t)
	today := fieldlog.Date{Year: 2024, Month: 6, Day: 10}
	earliest := fieldlog.Date{Year: 2024, Month: 1, Day: 1}
	for _, l := range fieldlog.Langs {
		tr := func(id string, kv ...any) string {
			data := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				data[kv[i].(string)] = kv[i+1]
			}
			return msgs.Text(l, id, data)
		}

		// The calendar header needs seven day names, Monday first.
		if w := strings.Fields(tr("weekdays")); len(w) != 7 {
			t.Errorf("%s weekdays: %d names %q, want 7", l, len(w), w)
		}
		// Both languages are shown at once, one line each.
		if s := tr("choose_language"); strings.Contains(s, "\n") {
			t.Errorf("%s choose_language %q has more than one line", l, s)
		}
		// A formatted date reads back as the same date.
		d := fieldlog.Date{Year: 2024, Month: 6, Day: 7}
		s := tr("date_format", "Y", d.Year, "M", int(d.Month), "D", d.Day)
		if got, err := parse.Date(s, today, earliest); err != nil || got != d {
			t.Errorf("%s date_format gives %q, which reads back as %v, %v", l, s, got, err)
		}
		if s := tr("calendar_month", "Y", 2024, "M", 6); !strings.Contains(s, "2024") || !strings.Contains(s, "6") || strings.Contains(s, "\n") {
			t.Errorf("%s calendar_month gives %q", l, s)
		}
		// Figures read back as they were entered.
		for _, c := range []fieldlog.Count{{Value: 80}, {Value: 80, Approx: true}} {
			id := "count_exact"
			if c.Approx {
				id = "count_approx"
			}
			s := tr(id, "N", c.Value, "Unit", tr("people"))
			if got, err := parse.Count(s); err != nil || got != c {
				t.Errorf("%s %s gives %q, which reads back as %+v, %v", l, id, s, got, err)
			}
		}
		// The approximate marker is the one the report and the ledger use.
		if approx := tr("report.approx", "N", 80); approx != "report.approx" {
			if s := tr("count_approx", "N", 80, "Unit", tr("people")); !strings.HasPrefix(s, approx) {
				t.Errorf("%s count_approx %q does not start like report.approx %q", l, s, approx)
			}
		}
		if mark := tr("ledger.approx"); mark != "ledger.approx" && !strings.Contains(tr("count_approx", "N", 80, "Unit", ""), mark) {
			t.Errorf("%s count_approx does not contain ledger.approx %q", l, mark)
		}
		// Examples shown to the user are accepted when typed.
		for _, ex := range examples(tr("date_forms"), 3) {
			if _, err := parse.Date(ex, today, earliest); err != nil {
				t.Errorf("%s date_forms: example %q is refused: %v", l, ex, err)
			}
		}
		for _, id := range []string{"ask_participants", "ask_quantity", "count_not_number"} {
			approx := false
			for _, ex := range examples(tr(id, "Unit", "x"), 2) {
				c, err := parse.Count(ex)
				if err != nil {
					t.Errorf("%s %s: example %q is refused: %v", l, id, ex, err)
				}
				approx = approx || c.Approx
			}
			if !approx {
				t.Errorf("%s %s: no example of an approximate figure", l, id)
			}
		}
		// Prompts that name a button use its label.
		for id, buttons := range map[string][]string{
			"ask_photos":      {"btn_photos_done", "btn_skip_photos"},
			"photos_expected": {"btn_photos_done", "btn_skip_photos"},
			"list_empty":      {"menu_log"},
		} {
			s := tr(id, "Count", 1, "Max", 9)
			for _, b := range buttons {
				if !strings.Contains(s, tr(b)) {
					t.Errorf("%s %s %q does not name the button %s %q", l, id, s, b, tr(b))
				}
			}
		}
	}
	// Menu labels are read back in either language, so they must all differ.
	seen := map[string]string{}
	for _, id := range []string{"menu_log", "menu_my", "menu_records", "menu_invite", "menu_help", "menu_lang"} {
		for _, l := range fieldlog.Langs {
			s := msgs.Text(l, id, nil)
			if other, dup := seen[s]; dup {
				t.Errorf("menu label %q is both %s and %s %s", s, other, l, id)
			}
			seen[s] = string(l) + " " + id
		}
	}
}

// examples returns the list after the last colon of s, split at list commas
// (、 ᠂ ，), and checks there are at least n.
func examples(s string, n int) []string {
	i := strings.LastIndexAny(s, ":：᠄")
	if i < 0 {
		return nil
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	list := strings.TrimRight(strings.TrimSpace(s[i+size:]), "。᠃.")
	var out []string
	for _, e := range strings.FieldsFunc(list, func(r rune) bool { return r == '、' || r == '᠂' || r == '，' }) {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	if len(out) < n {
		return append(out, fmt.Sprintf("(fewer than %d examples in %q)", n, s))
	}
	return out
}

// Message ids in the code. Every string literal of conversation/*.go that
// looks like an id (snake_case with at least one underscore) must be one,
// and so must every literal passed to tr or to Messages.Text, in
// conversation and in the command.

var idLike = regexp.MustCompile(`^[a-z]+(_[a-z]+)+$`)

// notMessageIDs are id-like literals of the conversation code that are not
// message ids.
var notMessageIDs = map[string]string{
	"invited_by":     "log attribute of the invitation a user joined with (join.go)",
	"embedded_store": "log attribute of the start-up line (cmd/fieldlog/main.go)",
	"not_sent":       "log attribute of a day's reminders (reminder/reminder.go)",
	"auth_date":      "a field of Telegram's initData (web/initdata.go)",
	"init_data":      "a form field of the Mini App's sign-in (web/signin.go)",
	"fl_session":     "a cookie's name (web/server.go)",
	"fl_pre":         "a cookie's name (web/server.go)",
	"fl_lang":        "a cookie's name (web/server.go)",
	"fl_layout":      "a cookie's name (web/server.go)",
}

// dynamicIDs expands the literal prefixes of ids built at run time.
var dynamicIDs = map[string][]string{
	// t.tr("role_"+string(role)): welcome, invitations.
	"role_": {"role_" + string(fieldlog.Officer), "role_" + string(fieldlog.Coordinator), "role_" + string(fieldlog.Admin)},
}

// codeIDs collects the message ids of the non-test Go files of dir, with
// where each is used. With allLiterals, every id-like literal counts.
func codeIDs(t *testing.T, dir string, allLiterals bool) (map[string][]string, int) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	files := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		files++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		add := func(e ast.Expr, why string) {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || strings.Contains(s, ".") { // report.* and ledger.* ids belong to their packages
				return
			}
			where := fmt.Sprintf("%s (%s)", fset.Position(lit.Pos()), why)
			if exp, ok := dynamicIDs[s]; ok {
				for _, id := range exp {
					ids[id] = append(ids[id], where)
				}
				return
			}
			ids[s] = append(ids[s], where)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				switch {
				case name == "tr" && len(n.Args) > 0:
					// tr(id, ...), or tr(lang, id, ...) as the reminders have it
					// (after an id held in a variable come data names, capitalised).
					add(n.Args[0], "tr")
					if len(n.Args) > 1 {
						if lit, ok := n.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							if v, err := strconv.Unquote(lit.Value); err == nil && idLike.MatchString(v) {
								add(n.Args[1], "tr")
							}
						}
					}
				case (name == "Text" || name == "Textf") && len(n.Args) >= 2:
					add(n.Args[1], "Text")
				}
			case *ast.BinaryExpr:
				// "role_"+x: a prefix must be listed in dynamicIDs.
				if lit, ok := n.X.(*ast.BasicLit); ok && n.Op == token.ADD && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && strings.HasSuffix(s, "_") {
						if _, ok := dynamicIDs[s]; !ok {
							t.Errorf("%s: id built from %q at run time: list its ids in dynamicIDs", fset.Position(lit.Pos()), s)
						}
					}
				}
			case *ast.BasicLit:
				if allLiterals && n.Kind == token.STRING {
					if s, err := strconv.Unquote(n.Value); err == nil && idLike.MatchString(s) {
						if _, skip := notMessageIDs[s]; !skip {
							add(n, "literal")
						}
					}
				}
			}
			return true
		})
	}
	return ids, files
}

func TestCodeMessageIDsExist(t *testing.T) {
	areas := loadPairs(t)
	zh := areas["active"][fieldlog.Chinese]
	if zh == nil {
		t.Fatal("no active.zh-Hans.toml")
	}
	used, n := codeIDs(t, filepath.Join("..", "conversation"), true)
	if n == 0 {
		t.Fatal("no Go files in ../conversation")
	}
	// Every string literal of the packages that speak to users is taken
	// for an id if it looks like one: they pass ids to helpers of their own
	// (the reminders' tr(lang, id, ...), main's bilingual(id)).
	for _, dir := range []string{filepath.Join("..", "cmd", "fieldlog"), filepath.Join("..", "reminder"), filepath.Join("..", "refusal"), filepath.Join("..", "web"), "."} {
		more, _ := codeIDs(t, dir, true)
		for id, where := range more {
			used[id] = append(used[id], where...)
		}
	}
	// The role names are shown through "role_"+role; check them whatever the
	// code looks like today.
	for _, r := range []fieldlog.Role{fieldlog.Officer, fieldlog.Coordinator, fieldlog.Admin} {
		if !r.Valid() {
			t.Errorf("role %q is not valid", r)
		}
		used["role_"+string(r)] = append(used["role_"+string(r)], "fieldlog.Role")
	}
	var missing []string
	for id, where := range used {
		if zh.msgs[id] == nil {
			missing = append(missing, fmt.Sprintf("%s (used at %s)", id, strings.Join(where, "; ")))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d message ids used in the code are not in active.zh-Hans.toml "+
			"(or, if a literal is no message id, list it in notMessageIDs):\n%s", len(missing), strings.Join(missing, "\n"))
	}
	// The scan must see ids through each of its ways, or it is broken.
	kinds := map[string]int{}
	for _, where := range used {
		for _, w := range where {
			for _, k := range []string{"(tr)", "(Text)", "(literal)"} {
				if strings.HasSuffix(w, k) {
					kinds[k]++
				}
			}
		}
	}
	if kinds["(tr)"] < 10 || kinds["(Text)"] == 0 || kinds["(literal)"] < 10 {
		t.Errorf("the code scan found too few ids (by way: %v): is it broken?", kinds)
	}
	var unused []string
	for _, id := range sortedIDs(zh) {
		if _, ok := used[id]; !ok {
			unused = append(unused, id)
		}
	}
	if len(unused) > 0 {
		t.Logf("ids of active.zh-Hans.toml not found in the scanned code: %s", strings.Join(unused, ", "))
	}
	for lit := range notMessageIDs {
		if zh.msgs[lit] != nil {
			t.Errorf("notMessageIDs lists %s, which is a message id", lit)
		}
	}
}
