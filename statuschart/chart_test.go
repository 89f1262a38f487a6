package statuschart

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/go-text/typesetting/font"
)

var (
	chineseLabels   = []string{"新城街道", "河畔花园社区"}
	mongolianLabels = []string{"ᠰᠤᠮᠤ", "ᠭᠠᠴᠠᠭᠠ", "ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ"}
)

func newRenderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := NewRenderer()
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}

func sampleChart() Chart {
	return Chart{
		Title:    "新城街道 2025年上半年记录 · ᠭᠠᠴᠠᠭᠠ",
		Subtitle: "截至 2025-06-30，共 6 个单位",
		Bars: []Bar{
			{Label: "新城街道", Value: 12, Note: "2025-06-28"},
			{Label: "河畔花园社区", Value: 0, Note: "2024-11-02", Silent: true},
			{Label: "ᠰᠤᠮᠤ", Value: 7, Note: "2025-06-01"},
			{Label: "ᠭᠠᠴᠠᠭᠠ", Value: 3, Note: "2025-05-17"},
			{Label: "ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ", Value: 0, Silent: true},
			{Label: "ᠬᠦᠮᠦᠨ: 25", Value: 25, Note: "2025-06-30"},
		},
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not a PNG: %v", err)
	}
	return img
}

func TestRenderDecodesWithExpectedSize(t *testing.T) {
	r := newRenderer(t)
	chinese := Chart{Title: "新城街道 2025年上半年记录", Subtitle: "截至 2025-06-30", Bars: []Bar{
		{Label: "河畔花园社区", Value: 3, Note: "2025-06-01"}, {Label: "京汉新城社区", Value: 0, Silent: true},
	}}
	mongolianTitle := round(titleLine * mongolianLineScale)
	for _, tc := range []struct {
		name string
		c    Chart
		// Header: pad + title + subtitle + gap; then one row per bar; then pad.
		wantH, rowH int
	}{
		// Chinese labels stand beside their bars.
		{"Chinese", chinese, pad + titleLine + subtitleLine + headerGap + 2*RowHeight + pad, RowHeight},
		// Mongolian labels stand above them, and a Mongolian title line is
		// taller.
		{"Mongolian", sampleChart(), pad + mongolianTitle + subtitleLine + headerGap + 6*StackedRowHeight + pad, StackedRowHeight},
	} {
		img := decode(t, mustRender(t, r, tc.c))
		if got := img.Bounds(); got.Dx() != Width || got.Dy() != tc.wantH {
			t.Errorf("%s: size = %dx%d, want %dx%d", tc.name, got.Dx(), got.Dy(), Width, tc.wantH)
		}
		// One more bar makes the image exactly one row taller.
		tc.c.Bars = append(tc.c.Bars, Bar{Label: "新城街道", Value: 1})
		if d := decode(t, mustRender(t, r, tc.c)).Bounds().Dy() - tc.wantH; d != tc.rowH {
			t.Errorf("%s: one more bar added %d px, want %d", tc.name, d, tc.rowH)
		}
	}
}

func round(f float64) int { return int(math.Round(f)) }

// labelArea is where row i's label is drawn: beside the bar, or on the
// line above it.
func labelArea(l *layout, i int) image.Rectangle {
	top := l.rowTop(i)
	if l.stacked {
		return image.Rect(pad, top, Width-pad, top+stackedLabelLine)
	}
	return image.Rect(pad, top, l.barX-colGap, top+l.rowH)
}

func TestRenderDrawsLabelText(t *testing.T) {
	r := newRenderer(t)
	c := sampleChart()
	img := decode(t, mustRender(t, r, c))
	l, _, _ := r.layout(c)
	// Every label must leave dark ink in its row's label column: an empty
	// column would mean glyphs were not drawn at all.
	for i, b := range l.bars {
		if n := countDark(img, labelArea(l, i)); n < 30 {
			t.Errorf("label %q: %d dark pixels in its column, want ink", b.Label, n)
		}
	}
}

func mustRender(t *testing.T, r *Renderer, c Chart) []byte {
	t.Helper()
	b, err := r.Render(c)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b
}

// countDark counts pixels in area much darker than the background: text
// strokes in any of the text colours.
func countDark(img image.Image, area image.Rectangle) int {
	n := 0
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			rr, gg, bb, _ := img.At(x, y).RGBA()
			if (rr>>8)+(gg>>8)+(bb>>8) < 3*140 {
				n++
			}
		}
	}
	return n
}

func TestShapingHasNoTofu(t *testing.T) {
	r := newRenderer(t)
	for _, s := range append(append([]string{}, chineseLabels...), append(mongolianLabels, "ᠬᠦᠮᠦᠨ: 25", "2025-06-30", "另有 3 个单位未列出", "… +3",
		"ᠬᠣᠰᠢᠭᠤ\u202Fᠶᠢᠨ", // suffix joined with NARROW NO-BREAK SPACE (glossary rule)
		"ᠬᠠᠨ\u180Eᠠ",      // MONGOLIAN VOWEL SEPARATOR before a detached final ᠠ
		"ᠰᠤᠮᠤ᠂ ᠭᠠᠴᠠᠭᠠ᠃")...) {
		l := r.shape(s, labelSize)
		if len(l.runs) == 0 {
			t.Fatalf("%q: no runs", s)
		}
		for _, run := range l.runs {
			for _, g := range run.Glyphs {
				if g.GlyphID == 0 {
					t.Errorf("%q: glyph 0 (.notdef, a tofu box) at rune %d %q", s, g.ClusterIndex, []rune(s)[g.ClusterIndex])
				}
			}
		}
	}
}

func TestItemizeChoosesFontPerScript(t *testing.T) {
	r := newRenderer(t)
	cases := []struct {
		text string
		want []*font.Face // face per rune
	}{
		{"新城", []*font.Face{r.cjk, r.cjk}},
		{"ᠰᠤᠮᠤ", []*font.Face{r.mong, r.mong, r.mong, r.mong}},
		// The space between Mongolian words stays in the Mongolian run, so
		// both words are shaped together.
		{"ᠰᠤ ᠮᠤ", []*font.Face{r.mong, r.mong, r.mong, r.mong, r.mong}},
		// Digits are only in the CJK font.
		{"ᠰᠤ12", []*font.Face{r.mong, r.mong, r.cjk, r.cjk}},
		{"新ᠰ", []*font.Face{r.cjk, r.mong}},
	}
	for _, tc := range cases {
		text := []rune(tc.text)
		spans := r.itemize(text, nil)
		got := make([]*font.Face, len(text))
		for _, sp := range spans {
			for i := sp.start; i < sp.end; i++ {
				got[i] = sp.face
			}
		}
		for i := range text {
			if got[i] != tc.want[i] {
				t.Errorf("%q rune %d %q: face %s, want %s", tc.text, i, text[i], faceName(r, got[i]), faceName(r, tc.want[i]))
			}
		}
	}
}

func faceName(r *Renderer, f *font.Face) string {
	switch f {
	case r.cjk:
		return "CJK"
	case r.mong:
		return "Mongolian"
	}
	return "nil"
}

// TestMongolianJoins checks that Mongolian is shaped as joined text: each
// letter of ᠭᠠᠴᠠᠭᠠ must take its initial/medial/final form, a different
// glyph from the letter shaped alone (its isolated form).
func TestMongolianJoins(t *testing.T) {
	r := newRenderer(t)
	word := "ᠭᠠᠴᠠᠭᠠ"
	l := r.shape(word, labelSize)
	if len(l.runs) != 1 || l.runs[0].Face != r.mong {
		t.Fatalf("%q: want one Mongolian run, got %d runs", word, len(l.runs))
	}
	glyphs := l.runs[0].Glyphs
	inWord := func(runeIdx int) font.GID {
		for _, g := range glyphs {
			if g.ClusterIndex == runeIdx {
				return g.GlyphID
			}
		}
		t.Fatalf("%q: no glyph for rune %d", word, runeIdx)
		return 0
	}
	isolated := func(c rune) font.GID {
		gl := r.shape(string(c), labelSize).runs[0].Glyphs
		if len(gl) != 1 {
			t.Fatalf("%q alone shaped to %d glyphs", c, len(gl))
		}
		return gl[0].GlyphID
	}
	runes := []rune(word)
	first, last := inWord(0), inWord(len(runes)-1)
	if iso := isolated(runes[0]); first == iso {
		t.Errorf("first letter %q: glyph %d in the word equals its isolated form: not joined", runes[0], first)
	}
	if iso := isolated(runes[len(runes)-1]); last == iso {
		t.Errorf("last letter %q: glyph %d in the word equals its isolated form: not joined", runes[len(runes)-1], last)
	}
	// The medial ᠠ (rune 1) and the final ᠠ (rune 5) are the same letter in
	// different positions, so they must differ too.
	if m, f := inWord(1), inWord(5); m == f {
		t.Errorf("medial and final ᠠ share glyph %d: positional forms missing", m)
	}
}

// findRun returns the extent of the longest horizontal run of pixels of
// colour c on row y.
func findRun(img image.Image, y int, c color.RGBA) (start, length int) {
	b := img.Bounds()
	bestS, bestL := -1, 0
	for x := b.Min.X; x < b.Max.X; {
		if !same(img.At(x, y), c) {
			x++
			continue
		}
		s := x
		for x < b.Max.X && same(img.At(x, y), c) {
			x++
		}
		if x-s > bestL {
			bestS, bestL = s, x-s
		}
	}
	return bestS, bestL
}

func same(a color.Color, b color.RGBA) bool {
	r, g, bb, _ := a.RGBA()
	return uint8(r>>8) == b.R && uint8(g>>8) == b.G && uint8(bb>>8) == b.B
}

func TestBarLengthsAreProportional(t *testing.T) {
	r := newRenderer(t)
	c := Chart{Title: "比例", Bars: []Bar{
		{Label: "新城街道", Value: 40},
		{Label: "河畔花园社区", Value: 20},
		{Label: "ᠰᠤᠮᠤ", Value: 10},
		{Label: "ᠭᠠᠴᠠᠭᠠ", Value: 0},
	}}
	img := decode(t, mustRender(t, r, c))
	l, _, _ := r.layout(c)
	if l.barMax < 300 {
		t.Fatalf("bar area is only %d px wide", l.barMax)
	}
	lengths := make([]int, len(c.Bars))
	for i := range c.Bars {
		y := int(l.rowCentre(i))
		start, n := findRun(img, y, barColour)
		if n > 0 && start != l.barX {
			t.Errorf("bar %d starts at x=%d, want %d", i, start, l.barX)
		}
		lengths[i] = n
	}
	// The largest value fills the bar area; the others scale linearly.
	if d := lengths[0] - l.barMax; d < -1 || d > 1 {
		t.Errorf("longest bar is %d px, want %d", lengths[0], l.barMax)
	}
	for i, want := range []float64{1, 0.5, 0.25, 0} {
		exp := want * float64(l.barMax)
		if got := float64(lengths[i]); got < exp-2 || got > exp+2 {
			t.Errorf("bar %d (value %d) is %v px, want %v", i, c.Bars[i].Value, got, exp)
		}
	}
	// Just past each bar's end the background (or the value's text gap)
	// shows, not more bar.
	for i := range c.Bars[:3] {
		y := int(l.rowCentre(i))
		if x := l.barX + lengths[i] + 3; same(img.At(x, y), barColour) {
			t.Errorf("bar %d continues past its end at x=%d", i, x)
		}
	}
}

func TestSilentBarsUseWarningColour(t *testing.T) {
	r := newRenderer(t)
	c := Chart{Title: "警示", Bars: []Bar{
		{Label: "新城街道", Value: 8},
		{Label: "ᠭᠠᠴᠠᠭᠠ", Value: 4, Silent: true},
		{Label: "河畔花园社区", Value: 0, Silent: true},
	}}
	img := decode(t, mustRender(t, r, c))
	l, _, _ := r.layout(c)
	// Silent bars come first: ᠭᠠᠴᠠᠭᠠ, 河畔花园社区, then 新城街道.
	wantOrder := []string{"ᠭᠠᠴᠠᠭᠠ", "河畔花园社区", "新城街道"}
	for i, b := range l.bars {
		if b.Label != wantOrder[i] {
			t.Fatalf("row %d is %q, want %q (silent first)", i, b.Label, wantOrder[i])
		}
	}
	sample := func(i, dx int) color.Color { return img.At(l.barX+dx, int(l.rowCentre(i))) }
	if !same(sample(0, 5), warnColour) {
		t.Errorf("silent bar with value 4: pixel %v, want warning colour %v", sample(0, 5), warnColour)
	}
	if !same(sample(1, 2), warnColour) {
		t.Errorf("silent bar with value 0: pixel %v, want a warning-colour stub", sample(1, 2))
	}
	if !same(sample(2, 5), barColour) {
		t.Errorf("active bar: pixel %v, want bar colour %v", sample(2, 5), barColour)
	}
	// The silent row is tinted across its width, the active row is not.
	if !same(img.At(Width-5, int(l.rowCentre(0))), silentRowBg) {
		t.Errorf("silent row background not tinted")
	}
	if !same(img.At(Width-5, int(l.rowCentre(2))), background) {
		t.Errorf("active row background not white")
	}
}

func TestCapAtMaxBars(t *testing.T) {
	r := newRenderer(t)
	var bars []Bar
	for i := range MaxBars + 15 {
		bars = append(bars, Bar{Label: "单位" + strconv.Itoa(i), Value: i, Silent: i >= MaxBars+10})
	}
	told := -1
	words := func(n int) string { told = n; return "另有 " + strconv.Itoa(n) + " 个单位未列出" }
	for lang, more := range map[string]func(int) string{"caller's words": words, "default": nil} {
		c := Chart{Title: "上限", Bars: bars, More: more}
		img := decode(t, mustRender(t, r, c))
		wantH := pad + titleLine + moreLine + headerGap + MaxBars*RowHeight + pad
		if got := img.Bounds().Dy(); got != wantH {
			t.Errorf("%s: height %d, want %d (60 rows and a +N line)", lang, got, wantH)
		}
		l, _, head := r.layout(c)
		if l.hidden != 15 || len(l.bars) != MaxBars {
			t.Errorf("%s: %d bars shown, %d hidden; want %d and 15", lang, len(l.bars), l.hidden, MaxBars)
		}
		// The five silent units are among those shown, first.
		for i := range 5 {
			if !l.bars[i].Silent {
				t.Errorf("%s: row %d is not silent", lang, i)
			}
		}
		if len(head) != 2 {
			t.Errorf("%s: %d header lines, want title and +N", lang, len(head))
		}
	}
	if told != 15 {
		t.Errorf("the caller's words were asked for %d hidden bars, want 15", told)
	}
}

func TestLongLabelIsCut(t *testing.T) {
	r := newRenderer(t)
	long := "河畔花园社区河畔花园社区河畔花园社区河畔花园社区"
	l := r.shapeFit(long, labelSize, 300)
	if w := l.widthPx(); w > 300 || w < 200 {
		t.Errorf("cut label is %v px wide, want 200..300", w)
	}
	last := l.runs[len(l.runs)-1]
	if g := last.Glyphs[len(last.Glyphs)-1]; g.GlyphID == 0 {
		t.Errorf("ellipsis shaped to .notdef")
	}
}

func TestEmptyChart(t *testing.T) {
	r := newRenderer(t)
	img := decode(t, mustRender(t, r, Chart{}))
	if img.Bounds().Dx() != Width || img.Bounds().Dy() != 2*pad {
		t.Errorf("empty chart is %v", img.Bounds())
	}
}

// TestWriteSample writes a sample chart for a person to look at, when
// STATUSCHART_SAMPLE names the file, e.g.
//
//	STATUSCHART_SAMPLE=/tmp/statuschart-sample.png go test -run Sample ./statuschart
func TestWriteSample(t *testing.T) {
	path := os.Getenv("STATUSCHART_SAMPLE")
	if path == "" {
		t.Skip("STATUSCHART_SAMPLE not set")
	}
	r := newRenderer(t)
	c := sampleChart()
	c.Bars = append(c.Bars,
		Bar{Label: "ᠥᠨᠦᠳᠦᠷ ᠬᠤᠷᠠᠯ ᠢᠯᠡᠳᠬᠡᠯ", Value: 9, Note: "2025-06-12"},
		Bar{Label: "某某镇某某嘎查村民委员会第二网格", Value: 18, Note: "2025-06-29"},
		Bar{Label: "ᠬᠠᠨ᠎ᠠ", Value: 1, Note: "2025-01-03"},
		Bar{Label: "新城街道", Marker: "（本级）", Own: true, Value: 64, Note: "2025-06-30"},
	)
	if err := os.WriteFile(path, mustRender(t, r, c), 0o644); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkRender30(b *testing.B) {
	r := newRenderer(b)
	labels := append(append([]string{}, chineseLabels...), mongolianLabels...)
	var bars []Bar
	for i := range 30 {
		bars = append(bars, Bar{
			Label:  labels[i%len(labels)],
			Value:  (i * 7) % 23,
			Note:   "2025-06-" + strconv.Itoa(10+i%20),
			Silent: i%9 == 0,
		})
	}
	c := Chart{Title: "新城街道 2025年上半年记录", Subtitle: "截至 2025-06-30", Bars: bars}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(c); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentRender checks that one Renderer can serve several chats at
// once (run with -race).
func TestConcurrentRender(t *testing.T) {
	r := newRenderer(t)
	c := sampleChart()
	want := mustRender(t, r, c)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			b, err := r.Render(c)
			if err == nil && !bytes.Equal(b, want) {
				err = errors.New("concurrent render differs from a lone one")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestLongTitleWrapsAtSpaces(t *testing.T) {
	r := newRenderer(t)
	c := sampleChart()
	short, err := r.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	c.Title = "ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ᠂ 2026 ᠣᠨ\u202Fᠤ ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ᠄ ᠪᠦᠷᠢᠳᠬᠡᠯ\u202Fᠦᠨ ᠪᠠᠶᠢᠳᠠᠯ ᠪᠦᠷᠢᠳᠬᠡᠯ\u202Fᠦᠨ ᠪᠠᠶᠢᠳᠠᠯ"
	long, err := r.Render(c)
	if err != nil {
		t.Fatal(err)
	}
	lines := r.wrap(c.Title, titleSize, float64(Width-2*pad), headLines)
	if len(lines) < 2 {
		t.Fatalf("wrapped into %d lines, want more than one", len(lines))
	}
	for i, ln := range lines {
		if w := ln.widthPx(); w > float64(Width-2*pad) {
			t.Errorf("line %d is %v px wide, more than the chart's text width", i+1, w)
		}
	}
	// Each more line is a Mongolian title line.
	if d, want := decode(t, long).Bounds().Dy()-decode(t, short).Bounds().Dy(), (len(lines)-1)*round(titleLine*mongolianLineScale); d != want {
		t.Errorf("a title of %d lines added %d px to one of one line, want %d", len(lines), d, want)
	}
	// U+202F joins a suffix to its word: no line breaks there.
	glued := strings.ReplaceAll(c.Title, " ", "\u202F")
	if n := len(r.wrap(glued, titleSize, float64(Width-2*pad), headLines)); n != 1 {
		t.Errorf("a title without plain spaces wrapped into %d lines, want 1", n)
	}
}
