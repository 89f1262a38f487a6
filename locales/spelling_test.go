package locales

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"fieldlog"
)

// One word, one spelling (GLOSSARY.md): medial o/u (ᠣ U+1823 / ᠤ U+1824) and
// ö/ü (ᠥ U+1825 / ᠦ U+1826) look the same in most positions, and U+180E is
// invisible, so a word typed two ways looks the same to a reader but not to
// search, sorting or a test. These tests collect every Mongolian word of the
// locale files, the built-in catalogue and the sample unit files, and refuse
// two spellings that differ only in those letters.

// mongolianWord is a word of traditional Mongolian: letters with the
// variation selectors and the vowel separator inside it. U+202F is not part
// of it, so a suffix joined with U+202F is a word of its own here.
var mongolianWord = regexp.MustCompile(`[\x{1820}-\x{18AA}\x{180B}-\x{180F}]+`)

// spellingKey is what two spellings of one word have in common: without
// U+180E, and with ᠤ read as ᠣ and ᠦ as ᠥ.
func spellingKey(w string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\u180E':
			return -1
		case 'ᠤ':
			return 'ᠣ'
		case 'ᠦ':
			return 'ᠥ'
		}
		return r
	}, w)
}

// distinctWords lists pairs of different words whose spellings differ only
// in o/u, ö/ü or U+180E, with the reason they may both appear. The words of
// a pair are sorted.
var distinctWords = map[[2]string]string{
	{"ᠣᠨ", "ᠤᠨ"}: "ᠣᠨ is the noun \"year\", ᠤᠨ the genitive suffix",
}

// wordSources maps each Mongolian word to where it is used.
type wordSources map[string][]string

func (ws wordSources) add(where, text string) {
	for _, w := range mongolianWord.FindAllString(text, -1) {
		ws[w] = append(ws[w], where)
	}
}

// sourceText is one text of a file, and where it is.
type sourceText struct{ where, text string }

// collectWords gathers the Mongolian words of every mn-Mong locale file, of
// catalog/default.yaml and of deploy/units.sample.csv and .yaml.
func collectWords(t *testing.T) wordSources {
	t.Helper()
	ws := wordSources{}
	areas := loadPairs(t)
	for _, area := range sortedAreas(areas) {
		mn := areas[area][fieldlog.Mongolian]
		for _, id := range sortedIDs(mn) {
			for _, s := range forms(mn.msgs[id]) {
				ws.add(mn.name+": "+id, s)
			}
		}
	}
	for _, st := range dataTexts(t) {
		ws.add(st.where, st.text)
	}
	return ws
}

// dataTexts returns the texts of the data files outside the locales: the
// built-in catalogue and the sample units.
func dataTexts(t *testing.T) []sourceText {
	t.Helper()
	var out []sourceText
	for _, name := range []string{
		filepath.Join("..", "catalog", "default.yaml"),
		filepath.Join("..", "deploy", "units.sample.yaml"),
	} {
		buf, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(buf, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		yamlStrings(&doc, func(line int, s string) { out = append(out, sourceText{name + ":" + strconv.Itoa(line), s}) })
	}
	name := filepath.Join("..", "deploy", "units.sample.csv")
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for i, row := range rows {
		for _, cell := range row {
			out = append(out, sourceText{fmt.Sprintf("%s:%d", name, i+1), cell})
		}
	}
	return out
}

// yamlStrings calls f with every scalar of a YAML document (keys too; they
// are ASCII).
func yamlStrings(n *yaml.Node, f func(line int, s string)) {
	if n.Kind == yaml.ScalarNode {
		f(n.Line, n.Value)
	}
	for _, c := range n.Content {
		yamlStrings(c, f)
	}
}

// spellingConflicts groups the words that differ only in o/u, ö/ü or U+180E
// and are not listed in allowed.
func spellingConflicts(words []string, allowed map[[2]string]string) [][]string {
	byKey := map[string]map[string]bool{}
	for _, w := range words {
		k := spellingKey(w)
		if byKey[k] == nil {
			byKey[k] = map[string]bool{}
		}
		byKey[k][w] = true
	}
	var out [][]string
	for _, set := range byKey {
		if len(set) < 2 {
			continue
		}
		var group []string
		for w := range set {
			group = append(group, w)
		}
		sort.Strings(group)
		if len(group) == 2 {
			if _, ok := allowed[[2]string{group[0], group[1]}]; ok {
				continue
			}
		}
		out = append(out, group)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// visible shows a word with its invisible characters and the code point of
// each o/u, ö/ü, so that two spellings can be told apart in the message.
func visible(w string) string {
	var b strings.Builder
	for _, r := range w {
		switch r {
		case '\u180E':
			b.WriteString("<MVS>")
		case 'ᠣ', 'ᠤ', 'ᠥ', 'ᠦ':
			fmt.Fprintf(&b, "%c<U+%04X>", r, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestOneSpellingPerWord(t *testing.T) {
	ws := collectWords(t)
	if len(ws) < 300 {
		t.Fatalf("only %d distinct Mongolian words found: is the collection broken?", len(ws))
	}
	words := make([]string, 0, len(ws))
	for w := range ws {
		words = append(words, w)
	}
	for _, group := range spellingConflicts(words, distinctWords) {
		var lines []string
		for _, w := range group {
			where := ws[w]
			more := ""
			if len(where) > 3 {
				more = fmt.Sprintf(" and %d more", len(where)-3)
				where = where[:3]
			}
			lines = append(lines, fmt.Sprintf("  %s %s: %s%s", w, visible(w), strings.Join(where, "; "), more))
		}
		t.Errorf("one word, %d spellings (they differ only in o/u, ö/ü or U+180E); pick one (GLOSSARY.md):\n%s",
			len(group), strings.Join(lines, "\n"))
	}
	for pair := range distinctWords {
		if pair[0] >= pair[1] {
			t.Errorf("distinctWords: %q, %q are not sorted", pair[0], pair[1])
		}
		if spellingKey(pair[0]) != spellingKey(pair[1]) {
			t.Errorf("distinctWords: %q and %q differ in more than o/u or U+180E: drop the entry", pair[0], pair[1])
		}
		for _, w := range pair {
			if ws[w] == nil {
				t.Errorf("distinctWords lists %q, which no file uses any more", w)
			}
		}
	}
}

// The spelling check must catch what it is meant to catch.
func TestOneSpellingPerWordChecker(t *testing.T) {
	for name, words := range map[string][]string{
		"medial o/u":      {"ᠪᠣᠳᠣᠯᠭ\u180Eᠠ", "ᠪᠣᠳᠤᠯᠭ\u180Eᠠ"},
		"medial ö/ü":      {"ᠥᠨᠦᠳᠦᠷ", "ᠥᠨᠥᠳᠦᠷ"},
		"vowel separator": {"ᠰᠠᠷᠠ", "ᠰᠠᠷ\u180Eᠠ"},
		"both":            {"ᠬᠣᠭᠣᠰᠣᠨ", "ᠬᠣᠭᠤᠰᠤᠨ", "ᠬᠣᠭ\u180Eᠤᠰᠤᠨ"},
	} {
		if got := spellingConflicts(words, nil); len(got) != 1 || len(got[0]) != len(words) {
			t.Errorf("%s: %q gives %q, want one group of all", name, words, got)
		}
	}
	for name, words := range map[string][]string{
		"different words":   {"ᠰᠠᠷ\u180Eᠠ", "ᠰᠢᠷ\u180Eᠠ"},
		"one spelling":      {"ᠰᠠᠷ\u180Eᠠ", "ᠰᠠᠷ\u180Eᠠ"},
		"listed as allowed": {"ᠣᠨ", "ᠤᠨ"},
	} {
		if got := spellingConflicts(words, distinctWords); len(got) != 0 {
			t.Errorf("%s: %q gives %q, want none", name, words, got)
		}
	}
	ws := wordSources{}
	ws.add("x", "ᠡᠳᠦᠷ ᠰᠠᠷ\u180Eᠠ\u202Fᠶᠢᠨ {{.N}}᠂ ᠬᠦᠮᠦᠨ")
	for _, w := range []string{"ᠡᠳᠦᠷ", "ᠰᠠᠷ\u180Eᠠ", "ᠶᠢᠨ", "ᠬᠦᠮᠦᠨ"} {
		if ws[w] == nil {
			t.Errorf("word %q not collected from %v", w, ws)
		}
	}
	if len(ws) != 4 {
		t.Errorf("collected %d words, want 4: %v", len(ws), ws)
	}
}

// The catalogue and the sample units follow the same rule for the forms of
// the accusative and genitive as the locale files (TestMongolianWriting):
// ᠶᠢ and ᠶᠢᠨ after a vowel, ᠢ and ᠤᠨ/ᠦᠨ after a consonant, ᠤ/ᠦ after ᠨ.
func TestSuffixFormsInData(t *testing.T) {
	texts := dataTexts(t)
	joined := 0
	for _, st := range texts {
		for _, m := range joinedSuffix.FindAllStringSubmatch(st.text, -1) {
			joined++
			if want := suffixForm(m[1], m[2]); want != m[2] {
				t.Errorf("%s: %s after %s in %q: the word's last letter and vowels want %s", st.where, m[2], m[1], st.text, want)
			}
		}
	}
	if joined < 20 {
		t.Errorf("only %d joined suffixes in %d texts: is the check broken?", joined, len(texts))
	}
}
