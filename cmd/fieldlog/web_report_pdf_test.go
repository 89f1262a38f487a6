package main

// The report page printed: Chromium prints it to PDF as a coordinator's
// print dialog would (web/browsertest's PrintToPDF), and poppler reads the
// PDF back: pdfinfo for the paper, pdftotext -bbox-layout for where the
// text lies and how big it is, pdftoppm for where the ink lies. Under CI
// (CI=true) a missing program fails the test, elsewhere it is skipped, as
// in report/docx's PDF tests; .ci/install-tools installs poppler-utils.
//
// Chromium embeds the CJK fonts (OpenType with CFF outlines) as Type 3
// fonts, whose boxes pdftotext makes far taller than the glyphs, so along
// a line a box is exact (it is the glyphs' advances) but across it it is
// not: the checks measure sizes along lines, compare sizes across lines
// only with each other, and take the margins across lines from the ink.

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// GB/T 9704's A4 page and margins (top 37 mm, bottom 35, left 28, right
// 26: a type area of 156 × 225 mm), in points, and its sizes, as the
// report's CSS sets them (web/static/report.css).
const (
	a4Width, a4Height = 595.28, 841.89
	pt                = 72 / 25.4 // points a millimetre
	marginTop         = 37 * pt
	marginLeft        = 28 * pt
	// The type area's far edges, from the page's left and top edges:
	// Chromium's A4 page is a fraction of a point smaller than A4 (whole
	// CSS pixels), and the type area keeps its size.
	typeRight  = marginLeft + 156*pt
	typeBottom = marginTop + 225*pt
	titleSize  = 22.0 // 2号
	bodySize   = 16.0 // 3号
	linePitch  = 28.95
)

// edgeTolerance is how far past a margin text may reach, in points: a
// justified line's last character ends its tracking (0.25pt) past the
// type area, and Chromium puts the page's edges on whole CSS pixels.
const edgeTolerance = 1.0

// requirePoppler returns the path of each of poppler's programs named.
func requirePoppler(t *testing.T, names ...string) []string {
	t.Helper()
	var paths []string
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			msg := n + " is missing: run .ci/install-tools, or apt-get install poppler-utils"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		paths = append(paths, p)
	}
	return paths
}

// pdfPageSizes are the width and height of each page of pdf, in points.
func pdfPageSizes(t *testing.T, pdf string) [][2]float64 {
	t.Helper()
	pdfinfo := requirePoppler(t, "pdfinfo")[0]
	out, err := exec.Command(pdfinfo, "-f", "1", "-l", "999", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", pdf, err)
	}
	var sizes [][2]float64
	for _, m := range regexp.MustCompile(`(?m)^Page +\d+ size: +([0-9.]+) x ([0-9.]+) pts`).FindAllStringSubmatch(string(out), -1) {
		sizes = append(sizes, [2]float64{atof(t, m[1]), atof(t, m[2])})
	}
	if len(sizes) == 0 {
		t.Fatalf("pdfinfo %s names no page:\n%s", pdf, out)
	}
	return sizes
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// pdfBox is a rectangle on a page, in points from its top left corner.
type pdfBox struct{ left, top, right, bottom float64 }

func (b pdfBox) width() float64  { return b.right - b.left }
func (b pdfBox) height() float64 { return b.bottom - b.top }

// union is the smallest box holding b and c.
func (b pdfBox) union(c pdfBox) pdfBox {
	return pdfBox{min(b.left, c.left), min(b.top, c.top), max(b.right, c.right), max(b.bottom, c.bottom)}
}

// pdfTextLine is a line of text as pdftotext finds it: its page (from 1),
// its box, and its words with theirs.
type pdfTextLine struct {
	page  int
	box   pdfBox
	words []pdfWord
}

type pdfWord struct {
	text string
	box  pdfBox
}

func (l pdfTextLine) text() string {
	var s []string
	for _, w := range l.words {
		s = append(s, w.text)
	}
	return strings.Join(s, " ")
}

// pdfTextLines is every line of text of pdf, page by page, from
// pdftotext -bbox-layout.
func pdfTextLines(t *testing.T, pdf string) []pdfTextLine {
	t.Helper()
	pdftotext := requirePoppler(t, "pdftotext")[0]
	out, err := exec.Command(pdftotext, "-bbox-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox-layout %s: %v", pdf, err)
	}
	box := `xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)"`
	lineRe := regexp.MustCompile(`(?s)<line ` + box + `>(.*?)</line>`)
	wordRe := regexp.MustCompile(`<word ` + box + `>([^<]*)</word>`)
	parse := func(m []string) pdfBox {
		return pdfBox{atof(t, m[1]), atof(t, m[2]), atof(t, m[3]), atof(t, m[4])}
	}
	var lines []pdfTextLine
	for i, page := range strings.Split(string(out), "<page ")[1:] {
		for _, m := range lineRe.FindAllStringSubmatch(page, -1) {
			l := pdfTextLine{page: i + 1, box: parse(m)}
			for _, w := range wordRe.FindAllStringSubmatch(m[5], -1) {
				l.words = append(l.words, pdfWord{unescapeXML(w[5]), parse(w)})
			}
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		t.Fatalf("pdftotext finds no text in %s", pdf)
	}
	return lines
}

var unescapeXML = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace

// pdfText is the text of pdf with every space and line break taken out,
// which pdftotext puts between the characters of vertical lines and where
// lines break.
func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	pdftotext := requirePoppler(t, "pdftotext")[0]
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	return withoutSpace(string(out))
}

func withoutSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// pdfInk is the box of the ink on each page of pdf: of the pixels darker
// than mid-grey when pdftoppm renders it at dpi.
func pdfInk(t *testing.T, pdf string, dpi int) []pdfBox {
	t.Helper()
	pdftoppm := requirePoppler(t, "pdftoppm")[0]
	dir := t.TempDir()
	if out, err := exec.Command(pdftoppm, "-gray", "-r", strconv.Itoa(dpi), pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm %s: %v\n%s", pdf, err, out)
	}
	files, err := filepath.Glob(filepath.Join(dir, "page-*.pgm"))
	if err != nil || len(files) == 0 {
		t.Fatalf("pdftoppm rendered no page of %s (%v)", pdf, err)
	}
	slices.Sort(files) // page-1 … page-9, or page-01 … page-10
	header := regexp.MustCompile(`^P5\s+(\d+)\s+(\d+)\s+255\s`)
	scale := 72 / float64(dpi)
	var boxes []pdfBox
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		h := header.FindSubmatch(data)
		if h == nil {
			t.Fatalf("%s: not an 8-bit binary PGM", f)
		}
		w, _ := strconv.Atoi(string(h[1]))
		rows, _ := strconv.Atoi(string(h[2]))
		px := data[len(h[0]):]
		left, top, right, bottom := w, rows, -1, -1
		for y := range rows {
			for x, v := range px[y*w : (y+1)*w] {
				if v < 128 {
					left, right = min(left, x), max(right, x)
					top, bottom = min(top, y), max(bottom, y)
				}
			}
		}
		if right < 0 {
			t.Errorf("%s: page %d is blank", pdf, len(boxes)+1)
			boxes = append(boxes, pdfBox{})
			continue
		}
		boxes = append(boxes, pdfBox{float64(left) * scale, float64(top) * scale,
			float64(right+1) * scale, float64(bottom+1) * scale})
	}
	return boxes
}

// checkPrintedA4 checks that every page of pdf is A4 and that its ink lies
// within GB/T 9704's margins, tolerance points at most outside them.
func checkPrintedA4(t *testing.T, pdf string, tolerance float64) {
	t.Helper()
	sizes := pdfPageSizes(t, pdf)
	for i, s := range sizes {
		if math.Abs(s[0]-a4Width) > 1 || math.Abs(s[1]-a4Height) > 1 {
			t.Errorf("%s: page %d is %.2f × %.2f pt, want A4 (%.0f × %.0f)", pdf, i+1, s[0], s[1], a4Width, a4Height)
		}
	}
	ink := pdfInk(t, pdf, 144)
	if len(ink) != len(sizes) {
		t.Fatalf("%s: pdftoppm rendered %d pages, pdfinfo counts %d", pdf, len(ink), len(sizes))
	}
	for i, b := range ink {
		t.Logf("%s: page %d: ink from %.1f to %.1f pt across, %.1f to %.1f down; type area %.1f to %.1f, %.1f to %.1f",
			filepath.Base(pdf), i+1, b.left, b.right, b.top, b.bottom, marginLeft, typeRight, marginTop, typeBottom)
		if b.left < marginLeft-tolerance || b.right > typeRight+tolerance ||
			b.top < marginTop-tolerance || b.bottom > typeBottom+tolerance {
			t.Errorf("%s: page %d has ink outside the type area (28 to 184 mm across, 37 to 262 mm down): ink %.1f–%.1f mm across, %.1f–%.1f mm down",
				pdf, i+1, b.left/pt, b.right/pt, b.top/pt, b.bottom/pt)
		}
	}
}

// thickest are the lines of the largest extent across the line (height
// when written horizontally, width when vertically), within a point of
// the largest: the title's, in the report; and the median extent of the
// others, the body's.
func thickest(lines []pdfTextLine, across func(pdfBox) float64) (title []pdfTextLine, body float64) {
	largest := 0.0
	for _, l := range lines {
		largest = max(largest, across(l.box))
	}
	var others []float64
	for _, l := range lines {
		if across(l.box) > largest-1 {
			title = append(title, l)
		} else {
			others = append(others, across(l.box))
		}
	}
	slices.Sort(others)
	if len(others) > 0 {
		body = others[len(others)/2]
	}
	return title, body
}

// meanStep is the mean of the steps between consecutive sorted values
// that are under most apart (those of one paragraph or of paragraphs
// next to each other, not across a blank line); 0 with none.
func meanStep(sorted []float64, most float64) float64 {
	sum, n := 0.0, 0
	for i := 1; i < len(sorted); i++ {
		if d := sorted[i] - sorted[i-1]; d > 0 && d < most {
			sum += d
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// checkPrintedChinese checks the Chinese report printed as pdf: on A4, its
// text within the margins and the body's lines starting at the left one,
// the title in 22pt and the body in 16pt, and all of the page's text,
// docText (the report's innerText), in the PDF.
func checkPrintedChinese(t *testing.T, pdf, title, docText string) {
	t.Helper()
	checkPrintedA4(t, pdf, edgeTolerance)
	lines := pdfTextLines(t, pdf)
	left := math.Inf(1)
	for _, l := range lines {
		left = min(left, l.box.left)
		// Along the line the box is the glyphs' advances: exact.
		if l.box.left < marginLeft-edgeTolerance || l.box.right > typeRight+edgeTolerance {
			t.Errorf("page %d: the line %q runs from %.1f to %.1f pt across: outside the type area (%.1f to %.1f)",
				l.page, l.text(), l.box.left, l.box.right, marginLeft, typeRight)
		}
	}
	if math.Abs(left-marginLeft) > 1 {
		t.Errorf("the body's text starts %.1f pt from the page's left edge, want 28 mm (%.1f pt)", left, marginLeft)
	}

	// Along a line of Han characters alone, each takes one em, less the
	// print style's tracking: the body's size, when the line is not
	// justified (ends short of the right margin). A full one holds 28, the
	// standard's grid.
	han := regexp.MustCompile(`^[\p{Han}，。、；：！？（）“”]+$`)
	var ems []float64
	full := 0
	for _, l := range lines {
		text := l.text()
		n := len([]rune(text))
		if !han.MatchString(text) || n < 4 {
			continue
		}
		if l.box.right < typeRight-bodySize {
			ems = append(ems, l.box.width()/float64(n))
			continue
		}
		full++
		if n != 28 {
			t.Errorf("page %d: the full line %q holds %d characters, want 28", l.page, text, n)
		}
	}
	if full == 0 {
		t.Error("no full line of Han characters alone to count the characters of")
	}
	if len(ems) == 0 {
		t.Fatal("no short line of Han characters alone to measure the body's size by")
	}
	slices.Sort(ems)
	em := ems[len(ems)/2]
	if math.Abs(em-bodySize) > 0.5 {
		t.Errorf("the body's characters are %.2f pt apart, want 16pt less a little tracking", em)
	}
	// Across, the boxes are the font's, in proportion to the size: the
	// title's to the body's as 22pt to 16pt.
	titleLines, body := thickest(lines, pdfBox.height)
	var got strings.Builder
	for _, l := range titleLines {
		got.WriteString(withoutSpace(l.text()))
	}
	if got.String() != withoutSpace(title) {
		t.Errorf("the PDF's largest type is %q, want the title %q", got.String(), title)
	}
	if size := titleLines[0].box.height() / body * em; math.Abs(size-titleSize) > 1 {
		t.Errorf("the title is %.1f pt, want 22 pt (boxes %.1f and %.1f pt high, title and body)", size, titleLines[0].box.height(), body)
	} else {
		t.Logf("the title %.1f pt, the body %.1f pt (less tracking)", size, em)
	}
	// The body's lines lie 28.95 pt apart: 22 lines in the type area.
	var tops []float64
	for _, l := range lines {
		if l.page == 1 && math.Abs(l.box.height()-body) < 0.5 {
			tops = append(tops, l.box.top)
		}
	}
	slices.Sort(tops)
	if pitch := meanStep(tops, 1.5*linePitch); math.Abs(pitch-linePitch) > 0.5 {
		t.Errorf("the body's lines lie %.2f pt apart, want %.2f", pitch, linePitch)
	}

	if text, want := pdfText(t, pdf), printable(docText); text != want {
		t.Errorf("the PDF's text is not the page's:\n got %s\nwant %s", text, want)
	}
}

// printable is text as pdfText reads it back from Chromium's PDF: with no
// spaces, and no emoji: without an emoji font (Debian's chromium brings
// none) Chromium prints one as an empty box, with no text.
func printable(text string) string {
	return withoutSpace(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.So, r) {
			return -1
		}
		return r
	}, text))
}

// checkPrintedMongolian checks the Mongolian report printed as pdf: on
// A4 within the margins, written vertically in columns from left to
// right, a line apart, the title's type larger than the body's as 22pt
// to 16pt, and all of docText (the report's innerText) in the PDF, the
// words named in their order.
func checkPrintedMongolian(t *testing.T, pdf, docText string, words ...string) {
	t.Helper()
	checkPrintedA4(t, pdf, edgeTolerance)
	lines := pdfTextLines(t, pdf)
	mongolian := regexp.MustCompile(`^\p{Mongolian}+`)
	long := regexp.MustCompile(`^\p{Mongolian}{5,}`) // taller than a line is wide
	vertical, horizontal := 0, 0
	for _, l := range lines {
		for _, w := range l.words {
			if !mongolian.MatchString(w.text) {
				continue
			}
			// Down the column a Mongolian word's box is its glyphs'
			// advances: exact (an upright Han character's is its Type 3
			// font's, taller).
			if w.box.top < marginTop-edgeTolerance || w.box.bottom > typeBottom+edgeTolerance {
				t.Errorf("page %d: the word %q runs from %.1f to %.1f pt down: outside the type area (%.1f to %.1f)",
					l.page, w.text, w.box.top, w.box.bottom, marginTop, typeBottom)
			}
			if !long.MatchString(w.text) {
				continue
			}
			if w.box.height() > w.box.width() {
				vertical++
			} else {
				horizontal++
			}
		}
	}
	if vertical == 0 || horizontal > 0 {
		t.Errorf("of the Mongolian words, %d are taller than wide and %d not: not all written vertically", vertical, horizontal)
	}

	// The title comes first: the leftmost columns of the first page, in
	// the largest type; the body's columns follow a line apart.
	titleLines, body := thickest(lines, pdfBox.width)
	firstPage := func(l pdfTextLine) bool { return l.page == 1 }
	var columns []float64
	for _, l := range lines {
		if firstPage(l) && math.Abs(l.box.width()-body) < 0.5 {
			columns = append(columns, l.box.left)
		}
	}
	slices.Sort(columns)
	columns = slices.Compact(columns)
	if len(columns) < 3 {
		t.Fatalf("%d columns of body text on the first page, at %v pt", len(columns), columns)
	}
	for _, tl := range titleLines {
		if !firstPage(tl) || tl.box.left > columns[0] {
			t.Errorf("the title's column %q (page %d, %.1f pt from the left) is not before the body's (%.1f)", tl.text(), tl.page, tl.box.left, columns[0])
		}
	}
	if size := titleLines[0].box.width() / body * bodySize; math.Abs(size-titleSize) > 1 {
		t.Errorf("the title's type is %.1f pt against the body's 16pt, want 22pt (columns %.1f and %.1f pt wide)", size, titleLines[0].box.width(), body)
	}
	if pitch := meanStep(columns, 1.5*linePitch); math.Abs(pitch-linePitch) > 0.5 {
		t.Errorf("the body's columns lie %.2f pt apart, want %.2f (a line)", pitch, linePitch)
	}

	// pdftotext reads vertical columns in an order of its own, so the text
	// is compared as the characters it is made of.
	text := pdfText(t, pdf)
	count := func(s string) map[rune]int {
		n := map[rune]int{}
		for _, r := range s {
			n[r]++
		}
		return n
	}
	got, want := count(text), count(printable(docText))
	for r, n := range want {
		if got[r] != n {
			t.Errorf("the PDF has %d of %q (%U), the page %d", got[r], r, r, n)
		}
	}
	for r, n := range got {
		if want[r] == 0 {
			t.Errorf("the PDF has %d of %q (%U), which the page has not", n, r, r)
		}
	}
	for _, w := range words {
		if !strings.Contains(text, withoutSpace(w)) {
			t.Errorf("the PDF's text lacks %q:\n%s", w, text)
		}
	}
}
