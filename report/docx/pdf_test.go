package docx_test

// These tests render the document with LibreOffice, as a clerk's machine
// would, and read the PDF back with poppler's pdftotext: a check of what
// the XML tests cannot see, such as where lines break. Under CI (CI=true)
// a missing program fails the test; elsewhere the test is skipped with a
// message saying how to install it. .ci/install-tools installs both.

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"fieldlog"
	"fieldlog/report"
	"fieldlog/report/docx"
)

// requireTools returns the paths of soffice and pdftotext, and checks that
// pdftoppm is there too.
func requireTools(t *testing.T) (soffice, pdftotext string) {
	t.Helper()
	find := func(names ...string) string {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				return p
			}
		}
		return ""
	}
	soffice, pdftotext = find("soffice", "libreoffice"), find("pdftotext")
	if soffice != "" && pdftotext != "" && find("pdftoppm") != "" {
		return soffice, pdftotext
	}
	msg := "LibreOffice (soffice), pdftotext or pdftoppm is missing: run .ci/install-tools, " +
		"or apt-get install libreoffice-writer-nogui poppler-utils"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return "", ""
}

// fontsConf points fontconfig at the CJK font the status chart embeds, so
// the layout does not depend on which Chinese fonts the machine has (a
// fresh Debian has none, and LibreOffice would lay out boxes). The system
// configuration still supplies the Latin fonts.
func fontsConf(t *testing.T, dir string) string {
	t.Helper()
	fonts, err := filepath.Abs(filepath.Join("..", "..", "statuschart", "fonts"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "fonts.conf")
	xml := `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>` +
		`<include ignore_missing="yes">/etc/fonts/fonts.conf</include>` +
		`<dir>` + fonts + `</dir><cachedir>` + filepath.Join(dir, "fontcache") + `</cachedir></fontconfig>`
	if err := os.WriteFile(conf, []byte(xml), 0o644); err != nil {
		t.Fatal(err)
	}
	return conf
}

// renderPDF writes d, converts it with LibreOffice and returns the PDF's path.
func renderPDF(t *testing.T, d report.Document) string {
	t.Helper()
	soffice, _ := requireTools(t)
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A profile of its own: another LibreOffice running on the machine
	// would otherwise take the conversion over, or lock it out.
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+fontsConf(t, dir), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "report.pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	return pdf
}

// pdfLines is the text of pdf as pdftotext -layout lays it out, one string
// a line, with the spaces that justification and layout put between
// characters removed, blank lines and the page numbers dropped.
func pdfLines(t *testing.T, pdf string) []string {
	t.Helper()
	_, pdftotext := requireTools(t)
	out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pageNumber := regexp.MustCompile(`^—[0-9]+—$`)
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '\u2060' || r == '\f' {
				return -1
			}
			return r
		}, l)
		if l != "" && !pageNumber.MatchString(l) {
			lines = append(lines, l)
		}
	}
	return lines
}

// measures are the measure words the figures text uses, two-character ones
// first so the pattern takes them whole.
var measures = []string{"人次", "场次", "户次", "万元", "次", "场", "份", "条", "人", "名", "个", "期", "户", "元", "%"}

// figure matches a figure as a reader sees it: the number, 余 and the
// measure word.
var figure = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?余?(?:` + strings.Join(measures, "|") + `)`)

// figuresDoc is a report of many figures of every length, with and without
// 余, so that figures fall at line ends wherever the lines happen to break.
func figuresDoc() report.Document {
	rng := rand.New(rand.NewPCG(10, 8))
	phrases := []string{"召开党委会议", "开展宣讲活动", "发放宣传资料", "发布线上宣传信息", "举办专题讲座", "走访慰问困难群众",
		"开展志愿服务", "组织主题党日", "排查风险隐患", "发放慰问金", "培训宗教信息员", "开展交往交流交融活动"}
	number := func() string {
		n := rng.IntN(6) + 1 // 1 to 6 digits
		s := fmt.Sprint(rng.IntN(9) + 1)
		for i := 1; i < n; i++ {
			s += fmt.Sprint(rng.IntN(10))
		}
		if rng.IntN(3) == 0 {
			s += "余"
		}
		return s
	}
	d := report.Document{
		Lang:   fieldlog.Chinese,
		Period: fieldlog.Period{Year: 2025, Half: 1},
		Paragraphs: []report.Paragraph{
			{Kind: report.Title, Text: "嘎鲁图镇2025年上半年统战工作开展情况"},
			{Kind: report.Heading1, Text: "一、工作开展完成情况"},
		},
	}
	for p := 0; p < 16; p++ {
		var b strings.Builder
		b.WriteString("年初以来，")
		for i := 0; i < 8; i++ {
			if i > 0 {
				b.WriteString("，")
			}
			b.WriteString(phrases[rng.IntN(len(phrases))] + number() + measures[rng.IntN(len(measures))])
		}
		b.WriteString("。")
		d.Paragraphs = append(d.Paragraphs, report.Paragraph{Kind: report.Body, Text: b.String()})
	}
	return d
}

// TestPDFNoFigureSplitAcrossLines renders a report full of figures with
// LibreOffice and checks that no line ends inside a figure: "60余人" must
// not come out as "6 / 0余人" or "60余 / 人".
func TestPDFNoFigureSplitAcrossLines(t *testing.T) {
	d := figuresDoc()
	lines := pdfLines(t, renderPDF(t, d))

	// The lines read back must be the document's text, or the check
	// below would pass on a PDF of boxes. Commas are left out of the
	// comparison: LibreOffice drops one that hangs past the last line of a
	// page.
	var want strings.Builder
	for _, p := range d.Paragraphs {
		want.WriteString(p.Text)
	}
	got := strings.Join(lines, "")
	noCommas := strings.NewReplacer("，", "").Replace
	if noCommas(got) != noCommas(want.String()) {
		t.Fatalf("the PDF's text is not the document's:\n got %s\nwant %s", got, want.String())
	}

	// Where each line break falls, in bytes of the joined text.
	var breaks []int
	at := 0
	for _, l := range lines[:len(lines)-1] {
		at += len(l)
		breaks = append(breaks, at)
	}
	context := func(b int) string {
		before, after := []rune(got[:b]), []rune(got[b:])
		return string(before[max(0, len(before)-8):]) + " / " + string(after[:min(len(after), 8)])
	}
	figures, atFigures := 0, 0
	for _, m := range figure.FindAllStringIndex(got, -1) {
		figures++
		for _, b := range breaks {
			if b == m[0] || b == m[1] {
				atFigures++ // a figure that starts or ends a line: the case at issue
			}
			if b > m[0] && b < m[1] {
				t.Errorf("a line ends inside the figure %q: …%s…", got[m[0]:m[1]], context(b))
			}
		}
	}
	t.Logf("%d lines, %d figures, %d line breaks right before or after one", len(lines), figures, atFigures)
	if figures < 100 || len(lines) < 40 {
		t.Errorf("%d figures on %d lines: too few for the check to mean anything", figures, len(lines))
	}
}

// pdfLine is a line of text on a page and its box, in mm from the page's
// top left corner.
type pdfLine struct {
	text                     string
	left, top, right, bottom float64
}

// pdfLayout is every line of the first page of pdf, from pdftotext's
// -bbox-layout output.
func pdfLayout(t *testing.T, pdf string) []pdfLine {
	t.Helper()
	_, pdftotext := requireTools(t)
	out, err := exec.Command(pdftotext, "-bbox-layout", "-f", "1", "-l", "1", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox-layout: %v", err)
	}
	lineRe := regexp.MustCompile(`(?s)<line xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">(.*?)</line>`)
	wordRe := regexp.MustCompile(`<word[^>]*>([^<]*)</word>`)
	mm := func(s string) float64 {
		pt, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return pt * 25.4 / 72
	}
	var lines []pdfLine
	for _, m := range lineRe.FindAllStringSubmatch(string(out), -1) {
		var text strings.Builder
		for _, w := range wordRe.FindAllStringSubmatch(m[5], -1) {
			text.WriteString(strings.ReplaceAll(w[1], "\u2060", ""))
		}
		lines = append(lines, pdfLine{text.String(), mm(m[1]), mm(m[2]), mm(m[3]), mm(m[4])})
	}
	return lines
}

// inkRows renders the first page of pdf at dpi and returns, for each pixel
// row from top (mm from the page's top) for height mm, how many of its
// pixels are dark.
func inkRows(t *testing.T, pdf string, dpi int, top, height float64) []int {
	t.Helper()
	px := func(mm float64) string { return strconv.Itoa(int(math.Round(mm * float64(dpi) / 25.4))) }
	prefix := filepath.Join(t.TempDir(), "strip")
	cmd := exec.Command("pdftoppm", "-gray", "-singlefile", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1",
		"-x", "0", "-y", px(top), "-W", px(210), "-H", px(height), pdf, prefix)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	data, err := os.ReadFile(prefix + ".pgm")
	if err != nil {
		t.Fatal(err)
	}
	// A binary PGM: "P5", width, height and the largest value, each
	// followed by one whitespace, then a byte a pixel.
	var w, h, maxv int
	header := regexp.MustCompile(`^P5\s+(\d+)\s+(\d+)\s+(\d+)\s`).FindSubmatch(data)
	if header == nil {
		t.Fatalf("not a binary PGM: %q", data[:min(len(data), 20)])
	}
	w, _ = strconv.Atoi(string(header[1]))
	h, _ = strconv.Atoi(string(header[2]))
	maxv, _ = strconv.Atoi(string(header[3]))
	pixels := data[len(header[0]):]
	if maxv != 255 || len(pixels) < w*h {
		t.Fatalf("PGM of %d × %d, max %d, with %d bytes", w, h, maxv, len(pixels))
	}
	rows := make([]int, h)
	for y := range h {
		for _, v := range pixels[y*w : (y+1)*w] {
			if v < 128 {
				rows[y]++
			}
		}
	}
	return rows
}

// TestPDFSignatureAndPageNumber measures, on the page LibreOffice renders,
// where GB/T 9704 puts the 落款 and the page number: the date ends four
// characters in from the type area's right edge, the issuer is centred
// over it, two blank lines under the body; the page number's dashes are
// 7 mm under the type area, and an odd page's number ends one 4号
// character in from its right edge.
func TestPDFSignatureAndPageNumber(t *testing.T) {
	d := chineseDoc()
	d.Issuer, d.Date = "中共嘎鲁图镇委员会", "2025年6月30日"
	pdf := renderPDF(t, d)
	lines := pdfLayout(t, pdf)

	const (
		typeRight  = 28 + 156.0        // mm from the page's left edge
		typeBottom = 37 + 225.0        // mm from its top
		charMM     = 15.75 * 25.4 / 72 // a 3号 character, condensed to 28 a line
		pitchMM    = 579.0 / 20 * 25.4 / 72
	)
	find := func(text string) (int, pdfLine) {
		for i, l := range lines {
			if l.text == text {
				return i, l
			}
		}
		t.Fatalf("no line %q on page 1: %v", text, lines)
		return 0, pdfLine{}
	}
	iDate, date := find(d.Date)
	iIssuer, issuer := find(d.Issuer)
	_, last := find(d.Paragraphs[len(d.Paragraphs)-1].Text)
	if iIssuer+1 != iDate {
		t.Errorf("the issuer is line %d, the date line %d: want the date right under it", iIssuer, iDate)
	}
	near := func(what string, got, want, tolerance float64) {
		t.Helper()
		if math.Abs(got-want) > tolerance {
			t.Errorf("%s: %.2f mm, want %.2f ± %.1f", what, got, want, tolerance)
		} else {
			t.Logf("%s: %.2f mm (want %.2f)", what, got, want)
		}
	}
	near("the date's right end", date.right, typeRight-4*charMM, 0.5)
	near("the issuer's centre off the date's", (issuer.left+issuer.right)/2-(date.left+date.right)/2, 0, 1.5)
	near("from the body's last line to the issuer's", issuer.top-last.top, 3*pitchMM, 0.5)
	// The date's line mixes digits, in the Latin font, with 年月日 in the
	// CJK one, and pdftotext's box of a line is its fonts' ascent: which
	// CJK font is installed (none but LibreOffice's own, or Debian's
	// fonts-noto-cjk, which Chromium's tests need) moves its top by half a
	// millimetre. One line apart is still one line apart.
	near("from the issuer's line to the date's", date.top-issuer.top, pitchMM, 1.0)

	_, number := find("—1—")
	near("the page number's right end", number.right, typeRight-14*25.4/72, 0.5)
	// The dashes are the widest rows of ink under the type area.
	const dpi = 600
	rows := inkRows(t, pdf, dpi, typeBottom, 20)
	widest := 0
	for _, n := range rows {
		widest = max(widest, n)
	}
	first, lastRow := -1, -1
	for y, n := range rows {
		if n > widest/2 {
			if first < 0 {
				first = y
			}
			lastRow = y
		}
	}
	if widest == 0 {
		t.Fatal("no ink under the type area: no page number")
	}
	near("the dashes under the type area", float64(first+lastRow+1)/2*25.4/dpi, 7, 0.5)
}
