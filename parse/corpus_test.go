package parse

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/units"
)

// corpusToday and corpusEarliest are the days the corpus is read on: a
// Thursday, with the half-year open since 1 January.
var (
	corpusToday    = fieldlog.Date{Year: 2024, Month: 6, Day: 20}
	corpusEarliest = fieldlog.Date{Year: 2024, Month: 1, Day: 1}
)

// testKnowledge is the built-in catalogue and the sample units of
// deploy/units.sample.csv, read on corpusToday.
func testKnowledge(tb testing.TB) Knowledge {
	tb.Helper()
	c, err := catalog.Default()
	if err != nil {
		tb.Fatal(err)
	}
	us, err := units.ReadFile(filepath.Join("..", "deploy", "units.sample.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	return Knowledge{Catalog: c, Units: fieldlog.NewTree(us), Today: corpusToday, Earliest: corpusEarliest, MaxTitle: MaxTitle}.Prepare()
}

// corpusLine is one sentence of testdata/sentences.tsv and what it means.
type corpusLine struct {
	line                                     int
	sentence                                 string
	date, participants, quantity, place, typ string
}

var escapes = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// readCorpus reads testdata/sentences.tsv (its format is described at its top).
func readCorpus(tb testing.TB) []corpusLine { return readCorpusFile(tb, "sentences.tsv") }

func readCorpusFile(tb testing.TB, name string) []corpusLine {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		l = escapes.ReplaceAllStringFunc(l, func(e string) string {
			r, _ := strconv.ParseUint(e[2:], 16, 32)
			return string(rune(r))
		})
		cols := strings.Split(l, "\t")
		if len(cols) != 6 {
			tb.Fatalf("sentences.tsv:%d: %d columns, want 6", n, len(cols))
		}
		out = append(out, corpusLine{n, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// countText writes a count as the corpus does: 80, 80余, or - for none.
func countText(has bool, c fieldlog.Count) string {
	switch {
	case !has:
		return "-"
	case c.Approx:
		return fmt.Sprintf("%d余", c.Value)
	}
	return strconv.FormatInt(c.Value, 10)
}

// typeText writes the best types as the corpus does: section/type, a|b for
// a tie, - for none.
func typeText(r Reading) string {
	var ts []string
	for _, t := range r.Best() {
		ts = append(ts, t.SectionID+"/"+t.TypeID)
	}
	if len(ts) == 0 {
		return "-"
	}
	return strings.Join(ts, "|")
}

// corpusFields are the fields the corpus gives, in the order reported.
var corpusFields = []string{"date", "participants", "quantity", "place", "type"}

// reading writes what Activity read in the corpus's notation.
func reading(r Reading) map[string]string {
	got := map[string]string{
		"date": "-", "participants": countText(r.HasParticipants, r.Participants),
		"quantity": countText(r.HasQuantity, r.Quantity), "place": "-", "type": typeText(r),
	}
	if r.HasDate {
		got["date"] = r.Date.String()
	}
	if r.Place != "" {
		got["place"] = r.Place
	}
	return got
}

// accuracy is how many of a corpus's sentences Activity reads right, per
// field: over all sentences about an activity, and over those that give
// the field (where "-" is expected, reading nothing is right too, which
// the first figure counts and the second does not).
type accuracy struct {
	sentences, activities, notActivities int
	activityRight                        int
	right, given, givenRight             map[string]int
	failures                             []string
}

func measure(tb testing.TB, k Knowledge, lines []corpusLine) accuracy {
	a := accuracy{right: map[string]int{}, given: map[string]int{}, givenRight: map[string]int{}}
	for _, c := range lines {
		a.sentences++
		r := Activity(c.sentence, k)
		if c.typ == "not-activity" {
			a.notActivities++
			if !r.Activity {
				a.activityRight++
			} else {
				a.failures = append(a.failures, fmt.Sprintf("line %d: read as an activity: %s", c.line, c.sentence))
			}
			continue
		}
		a.activities++
		if r.Activity {
			a.activityRight++
		} else {
			a.failures = append(a.failures, fmt.Sprintf("line %d: not read as an activity: %s", c.line, c.sentence))
		}
		got := reading(r)
		want := map[string]string{"date": c.date, "participants": c.participants, "quantity": c.quantity, "place": c.place, "type": c.typ}
		for _, f := range corpusFields {
			ok := got[f] == want[f]
			if ok {
				a.right[f]++
			} else {
				a.failures = append(a.failures, fmt.Sprintf("line %d: %s = %q, want %q: %s", c.line, f, got[f], want[f], c.sentence))
			}
			if want[f] != "-" {
				a.given[f]++
				if ok {
					a.givenRight[f]++
				}
			}
		}
	}
	return a
}

func percent(n, of int) float64 {
	if of == 0 {
		return 100
	}
	return 100 * float64(n) / float64(of)
}

// log writes the figures as BENCHMARKS.md records them.
func (a accuracy) log(tb testing.TB, name string) {
	tb.Logf("%s: %d sentences, %d about an activity, %d not", name, a.sentences, a.activities, a.notActivities)
	tb.Logf("  %-13s %6.1f%% (%d/%d)", "activity", percent(a.activityRight, a.sentences), a.activityRight, a.sentences)
	for _, f := range corpusFields {
		tb.Logf("  %-13s %6.1f%% (%d/%d); where given %6.1f%% (%d/%d)", f,
			percent(a.right[f], a.activities), a.right[f], a.activities,
			percent(a.givenRight[f], a.given[f]), a.givenRight[f], a.given[f])
	}
}

// Issue 11: every field read right in at least 95% of the corpus, which is
// written from the reference reports' wording (testdata/sentences.tsv).
// The held-out sets (testdata/heldout.tsv, written in chat style after the
// parser, and heldout2.tsv, written by another hand without reading the
// parser or its keywords) are measured and logged too, without a bar:
// their figures are what BENCHMARKS.md reports as the honest estimate.
func TestActivityCorpus(t *testing.T) {
	k := testKnowledge(t)
	lines := readCorpus(t)
	mongolian := 0
	for _, c := range lines {
		if hasMongolianLetters(c.sentence) {
			mongolian++
		}
	}
	if len(lines) < 300 || mongolian < len(lines)/5 {
		t.Fatalf("corpus has %d sentences, %d of them Mongolian; want at least 300, a fifth Mongolian", len(lines), mongolian)
	}
	a := measure(t, k, lines)
	a.log(t, "sentences.tsv")
	const bar = 95.0
	low := percent(a.activityRight, a.sentences) < bar
	for _, f := range corpusFields {
		low = low || percent(a.right[f], a.activities) < bar
	}
	if low || testing.Verbose() {
		for _, f := range a.failures {
			t.Log(f)
		}
	}
	if low {
		t.Errorf("a field is read right in less than %.0f%% of the corpus (figures above)", bar)
	}

	for _, name := range []string{"heldout.tsv", "heldout2.tsv", "heldout3.tsv"} {
		h := measure(t, k, readCorpusFile(t, name))
		h.log(t, name)
		if testing.Verbose() {
			for _, f := range h.failures {
				t.Log(name + ": " + f)
			}
		}
	}
}
