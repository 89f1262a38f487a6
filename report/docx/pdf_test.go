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
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"fieldlog"
	"fieldlog/report"
	"fieldlog/report/docx"
)

// requireTools returns the paths of soffice and pdftotext.
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
	if soffice != "" && pdftotext != "" {
		return soffice, pdftotext
	}
	msg := "LibreOffice (soffice) or pdftotext is missing: run .ci/install-tools, " +
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
