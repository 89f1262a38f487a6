package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/locales"
	"fieldlog/report"
	"fieldlog/report/docx"
	"fieldlog/units"
)

// node is a generic XML element, enough to walk any part.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

// attr returns the attribute with the given local name, whatever its prefix.
func (n node) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// child returns the first direct child with the given local name.
func (n node) child(local string) (node, bool) {
	for _, c := range n.Nodes {
		if c.XMLName.Local == local {
			return c, true
		}
	}
	return node{}, false
}

// all returns every descendant (depth first, document order) named local.
func (n node) all(local string) []node {
	var out []node
	for _, c := range n.Nodes {
		if c.XMLName.Local == local {
			out = append(out, c)
		}
		out = append(out, c.all(local)...)
	}
	return out
}

// text concatenates the w:t descendants of n, as a reader sees them: without
// the word joiners that keep figures on one line.
func (n node) text() string {
	var b strings.Builder
	for _, t := range n.all("t") {
		b.WriteString(t.Text)
	}
	return strings.ReplaceAll(b.String(), "\u2060", "")
}

// pkg is a written .docx opened for inspection.
type pkg struct {
	t     *testing.T
	raw   []byte
	files map[string][]byte
	zr    *zip.Reader
}

func write(t *testing.T, d report.Document) pkg {
	t.Helper()
	var buf bytes.Buffer
	if err := docx.Write(&buf, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	p := pkg{t: t, raw: buf.Bytes(), files: map[string][]byte{}, zr: zr}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		if _, dup := p.files[f.Name]; dup {
			t.Fatalf("duplicate entry %s", f.Name)
		}
		p.files[f.Name] = data
	}
	return p
}

// part parses a part as XML, failing the test if it is missing or malformed.
func (p pkg) part(name string) node {
	p.t.Helper()
	data, ok := p.files[name]
	if !ok {
		p.t.Fatalf("missing part %s", name)
	}
	var n node
	if err := xml.Unmarshal(data, &n); err != nil {
		p.t.Fatalf("%s: %v", name, err)
	}
	return n
}

func chineseDoc() report.Document {
	return report.Document{
		Lang:     fieldlog.Chinese,
		Period:   fieldlog.Period{Year: 2025, Half: 1},
		UnitName: "某某嘎查",
		Paragraphs: []report.Paragraph{
			{Kind: report.Title, Text: "某某嘎查2025年上半年工作总结"},
			{Kind: report.Body, Text: "2025年上半年，我嘎查在镇党委、政府的领导下，扎实开展各项工作。现将有关情况总结如下。"},
			{Kind: report.Heading1, Text: "一、主要工作完成情况"},
			{Kind: report.Heading2, Text: "（一）入户走访"},
			{Kind: report.Body, Text: "全年共入户走访128户次，覆盖率100%。"},
			{Kind: report.Heading3, Text: "1. 政策宣讲"},
			{Kind: report.Body, Text: "开展政策宣讲12场，参加群众356人次。"},
			{Kind: report.Heading1, Text: "二、存在的问题"},
			{Kind: report.Body, Text: "部分牧户居住分散，走访成本较高。"},
		},
	}
}

func mongolianDoc() report.Document {
	return report.Document{
		Lang:     fieldlog.Mongolian,
		Period:   fieldlog.Period{Year: 2025, Half: 2},
		UnitName: "ᠭᠠᠴᠠᠭ᠎ᠠ",
		Paragraphs: []report.Paragraph{
			// U+202F before the suffix, U+180E (MVS) and FVS1 inside words:
			// all must survive untouched.
			{Kind: report.Title, Text: "ᠠᠵᠢᠯ\u202fᠤᠨ ᠳᠦᠭᠦᠮ"},
			{Kind: report.Heading1, Text: "ᠨᠢᠭᠡ᠂ ᠭᠠᠴᠠᠭ\u180eᠠ"},
			{Kind: report.Body, Text: "ᠮᠣᠩᠭ\u180bᠣᠯ ᠬᠡᠯᠡ 128"},
		},
	}
}

func TestTextInOrder(t *testing.T) {
	for _, d := range []report.Document{chineseDoc(), mongolianDoc()} {
		t.Run(string(d.Lang), func(t *testing.T) {
			p := write(t, d)
			paras := p.part("word/document.xml").all("p")
			if len(paras) != len(d.Paragraphs) {
				t.Fatalf("%d paragraphs, want %d", len(paras), len(d.Paragraphs))
			}
			wantStyle := map[report.Kind]string{
				report.Title: "Title", report.Body: "Body",
				report.Heading1: "Heading1", report.Heading2: "Heading2", report.Heading3: "Heading3",
			}
			for i, want := range d.Paragraphs {
				if got := paras[i].text(); got != want.Text {
					t.Errorf("paragraph %d text %q, want %q", i, got, want.Text)
				}
				st := paras[i].all("pStyle")
				if len(st) != 1 || st[0].attr("val") != wantStyle[want.Kind] {
					t.Errorf("paragraph %d style %v, want %s", i, st, wantStyle[want.Kind])
				}
			}
		})
	}
}

func TestPageGeometry(t *testing.T) {
	p := write(t, chineseDoc())
	sect := p.part("word/document.xml").all("sectPr")
	if len(sect) != 1 {
		t.Fatalf("%d sectPr, want 1", len(sect))
	}
	check := func(elem string, want map[string]string) {
		t.Helper()
		e, ok := sect[0].child(elem)
		if !ok {
			t.Fatalf("no %s", elem)
		}
		for k, v := range want {
			if got := e.attr(k); got != v {
				t.Errorf("%s %s = %q, want %q", elem, k, got, v)
			}
		}
	}
	// A4 210 × 297 mm; margins 37 / 26 / 35 / 28 mm at 56.6929 twips a mm.
	// The footer: the page number's dashes 7 mm under the type area, that
	// is 28 mm (1587 twips) above the page's edge, are half a 4号 line
	// (140 twips) above the bottom of the footer.
	check("pgSz", map[string]string{"w": "11906", "h": "16838"})
	check("pgMar", map[string]string{"top": "2098", "right": "1474", "bottom": "1984", "left": "1587", "footer": "1447"})
	// 12756 twips of type area / 22 lines, rounded down. No character
	// grid: LibreOffice spreads 16 pt characters over two cells of one.
	check("docGrid", map[string]string{"type": "lines", "linePitch": "579"})
}

func TestLinesAndCharsFit(t *testing.T) {
	p := write(t, chineseDoc())
	sect := p.part("word/document.xml").all("sectPr")[0]
	num := func(elem, a string) float64 {
		e, _ := sect.child(elem)
		f, err := strconv.ParseFloat(e.attr(a), 64)
		if err != nil {
			t.Fatalf("%s %s: %v", elem, a, err)
		}
		return f
	}
	textH := num("pgSz", "h") - num("pgMar", "top") - num("pgMar", "bottom")
	textW := num("pgSz", "w") - num("pgMar", "left") - num("pgMar", "right")
	pitch := num("docGrid", "linePitch")
	if n := int(textH / pitch); n != 22 {
		t.Errorf("%v lines fit, want 22", n)
	}
	// 8845 twips / 28 characters is 15.7946 pt: characters are condensed
	// by 0.25 pt (-5 twentieths) so that 28, and not 29, fit.
	condense := 0.0
	for _, e := range p.part("word/styles.xml").all("rPrDefault") {
		rpr, _ := e.child("rPr")
		sp, ok := rpr.child("spacing")
		if !ok {
			t.Fatal("no character spacing in the default run properties")
		}
		condense, _ = strconv.ParseFloat(sp.attr("val"), 64)
	}
	charPt := 16 + condense/20
	if n := int(textW / 20 / charPt); n != 28 {
		t.Errorf("%v characters of %.2f pt fit, want 28", n, charPt)
	}
	for _, id := range []string{"Normal", "Body", "Heading1"} {
		sp, ok := style(t, p, id).child("pPr")
		if !ok {
			t.Fatalf("%s: no pPr", id)
		}
		s, _ := sp.child("spacing")
		if s.attr("line") != "579" || s.attr("lineRule") != "exact" {
			t.Errorf("%s spacing %v, want exact 579", id, s.Attrs)
		}
	}
}

func style(t *testing.T, p pkg, id string) node {
	t.Helper()
	for _, s := range p.part("word/styles.xml").all("style") {
		if s.attr("styleId") == id {
			return s
		}
	}
	t.Fatalf("no style %s", id)
	return node{}
}

func TestStyles(t *testing.T) {
	p := write(t, chineseDoc())
	// The title's digits are 小标宋 too (2025年); elsewhere they are
	// Times New Roman.
	cases := []struct {
		id, eastAsia, latin, size string
		bold, centre              bool
	}{
		{"Title", "方正小标宋简体", "方正小标宋简体", "44", false, true},
		{"Body", "仿宋_GB2312", "Times New Roman", "32", false, false},
		{"Heading1", "黑体", "Times New Roman", "32", false, false},
		{"Heading2", "楷体_GB2312", "Times New Roman", "32", false, false},
		{"Heading3", "仿宋_GB2312", "Times New Roman", "32", true, false},
	}
	for _, c := range cases {
		s := style(t, p, c.id)
		rf := s.all("rFonts")
		if len(rf) != 1 || rf[0].attr("eastAsia") != c.eastAsia || rf[0].attr("ascii") != c.latin || rf[0].attr("hAnsi") != c.latin {
			t.Errorf("%s rFonts %v, want eastAsia %s and ascii and hAnsi %s", c.id, rf, c.eastAsia, c.latin)
		}
		if sz := s.all("sz"); len(sz) != 1 || sz[0].attr("val") != c.size {
			t.Errorf("%s sz %v, want %s", c.id, sz, c.size)
		}
		if got := len(s.all("b")) == 1; got != c.bold {
			t.Errorf("%s bold %v, want %v", c.id, got, c.bold)
		}
		jc := s.all("jc")
		if got := len(jc) == 1 && jc[0].attr("val") == "center"; got != c.centre {
			t.Errorf("%s centred %v, want %v", c.id, got, c.centre)
		}
		ind := s.all("ind")
		if indented := len(ind) == 1 && ind[0].attr("firstLineChars") == "200"; indented == c.centre {
			t.Errorf("%s first-line indent %v", c.id, ind)
		}
	}
}

func TestFooters(t *testing.T) {
	p := write(t, chineseDoc())
	rels := map[string]string{}
	for _, r := range p.part("word/_rels/document.xml.rels").all("Relationship") {
		rels[r.attr("Id")] = "word/" + r.attr("Target")
	}
	refs := map[string]string{}
	for _, f := range p.part("word/document.xml").all("footerReference") {
		refs[f.attr("type")] = rels[f.attr("id")]
	}
	for _, c := range []struct{ typ, side string }{{"default", "right"}, {"even", "left"}} {
		name, ok := refs[c.typ]
		if !ok || name == "word/" {
			t.Fatalf("no %s footer (refs %v)", c.typ, refs)
		}
		ftr := p.part(name)
		jc := ftr.all("jc")
		if len(jc) != 1 || jc[0].attr("val") != c.side {
			t.Errorf("%s footer jc %v, want %s", c.typ, jc, c.side)
		}
		ind := ftr.all("ind")
		if len(ind) != 1 || ind[0].attr(c.side) != "280" {
			t.Errorf("%s footer ind %v, want %s=280", c.typ, ind, c.side)
		}
		instr := ftr.all("instrText")
		if len(instr) != 1 || strings.TrimSpace(instr[0].Text) != "PAGE" {
			t.Errorf("%s footer field %v, want PAGE", c.typ, instr)
		}
		var kinds []string
		for _, f := range ftr.all("fldChar") {
			kinds = append(kinds, f.attr("fldCharType"))
		}
		if strings.Join(kinds, ",") != "begin,separate,end" {
			t.Errorf("%s footer fldChars %v", c.typ, kinds)
		}
		if txt := ftr.text(); !strings.HasPrefix(txt, "— ") || !strings.HasSuffix(txt, " —") {
			t.Errorf("%s footer text %q, want em dashes around the number", c.typ, txt)
		}
	}
	fs := style(t, p, "Footer")
	if rf := fs.all("rFonts"); len(rf) != 1 || rf[0].attr("eastAsia") != "宋体" {
		t.Errorf("footer font %v, want 宋体", rf)
	}
	if sz := fs.all("sz"); len(sz) != 1 || sz[0].attr("val") != "28" {
		t.Errorf("footer size %v, want 28 (4号)", sz)
	}
	if _, ok := p.part("word/settings.xml").child("evenAndOddHeaders"); !ok {
		t.Error("settings.xml lacks evenAndOddHeaders")
	}
}

func TestPackageComplete(t *testing.T) {
	p := write(t, chineseDoc())
	if p.zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first entry %s, want [Content_Types].xml", p.zr.File[0].Name)
	}
	ct := p.part("[Content_Types].xml")
	defaults := map[string]bool{}
	for _, d := range ct.all("Default") {
		defaults[d.attr("Extension")] = true
	}
	overrides := map[string]bool{}
	for _, o := range ct.all("Override") {
		name := strings.TrimPrefix(o.attr("PartName"), "/")
		overrides[name] = true
		if _, ok := p.files[name]; !ok {
			t.Errorf("content type for missing part %s", name)
		}
	}
	for _, want := range []string{
		"word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml",
		"word/footer2.xml", "docProps/core.xml", "docProps/app.xml",
	} {
		if !overrides[want] {
			t.Errorf("no content type override for %s", want)
		}
	}
	for name := range p.files {
		if name == "[Content_Types].xml" {
			continue
		}
		if !overrides[name] && !defaults[strings.TrimPrefix(filepath.Ext(name), ".")] {
			t.Errorf("part %s has no content type", name)
		}
		p.part(name) // well-formed
	}
	for relsName, base := range map[string]string{"_rels/.rels": "", "word/_rels/document.xml.rels": "word/"} {
		for _, r := range p.part(relsName).all("Relationship") {
			if _, ok := p.files[base+r.attr("Target")]; !ok {
				t.Errorf("%s points at missing %s", relsName, base+r.attr("Target"))
			}
		}
	}
	core := p.part("docProps/core.xml")
	if ti, _ := core.child("title"); ti.Text != "某某嘎查2025年上半年工作总结" {
		t.Errorf("core title %q", ti.Text)
	}
	if cr, _ := core.child("created"); cr.Text != "2025-06-30T00:00:00Z" {
		t.Errorf("core created %q", cr.Text)
	}
}

func TestEscaping(t *testing.T) {
	d := chineseDoc()
	in := "A&B <c> \"q\" 'a' x\x01y\uFFFE z\xff 😀 ᠮ\u180e\u202fᠣ\u180b\u180f  two spaces"
	want := "A&B <c> \"q\" 'a' xy z 😀 ᠮ\u180e\u202fᠣ\u180b\u180f  two spaces"
	d.Paragraphs[0].Text = in
	d.Paragraphs[1].Text = "a\tb\nc\r\nd"
	p := write(t, d)
	raw := p.files["word/document.xml"]
	if bytes.ContainsAny(raw, "\x01") || bytes.Contains(raw, []byte("\uFFFE")) || !bytes.Contains(raw, []byte("&amp;B &lt;c&gt;")) {
		t.Errorf("document.xml not escaped: %s", raw)
	}
	paras := p.part("word/document.xml").all("p")
	if got := paras[0].text(); got != want {
		t.Errorf("round trip %q, want %q", got, want)
	}
	if got := len(paras[1].all("tab")); got != 1 {
		t.Errorf("%d tabs, want 1", got)
	}
	if got := len(paras[1].all("br")); got != 2 {
		t.Errorf("%d breaks, want 2 (\\n and \\r\\n)", got)
	}
	for _, tx := range paras[0].all("t") {
		if tx.attr("space") != "preserve" {
			t.Errorf("w:t without xml:space=preserve: %v", tx.Attrs)
		}
	}
	if ti, _ := p.part("docProps/core.xml").child("title"); ti.Text != want {
		t.Errorf("core title %q, want %q", ti.Text, want)
	}
}

func TestLanguages(t *testing.T) {
	for _, c := range []struct {
		d          report.Document
		lang, font string
	}{
		{chineseDoc(), "zh-CN", "Times New Roman"},
		{mongolianDoc(), "mn-Mong", "Mongolian Baiti"},
	} {
		p := write(t, c.d)
		for _, r := range p.part("word/document.xml").all("r") {
			l := r.all("lang")
			if len(l) == 1 && l[0].attr("val") == "x-none" && strings.ContainsAny(r.text(), "0123456789") {
				continue // a figure: TestFiguresKeptTogether
			}
			if len(l) != 1 || l[0].attr("val") != c.lang || l[0].attr("eastAsia") != "zh-CN" {
				t.Errorf("%s: run lang %v", c.lang, l)
			}
		}
		for _, id := range []string{"Normal", "Title", "Body", "Heading1", "Heading2", "Heading3"} {
			rf := style(t, p, id).all("rFonts")
			font := c.font
			if id == "Title" && c.lang == "zh-CN" {
				font = "方正小标宋简体" // TestStyles
			}
			if len(rf) != 1 || rf[0].attr("ascii") != font || rf[0].attr("hAnsi") != font || rf[0].attr("cs") != font {
				t.Errorf("%s %s fonts %v, want %s", c.lang, id, rf, font)
			}
			if rf[0].attr("eastAsia") == "" {
				t.Errorf("%s %s: no East Asian font", c.lang, id)
			}
		}
		if cl, _ := p.part("docProps/core.xml").child("language"); cl.Text != c.lang {
			t.Errorf("core language %q, want %s", cl.Text, c.lang)
		}
	}
	// The Mongolian fallback is declared where Word looks for alternatives.
	p := write(t, mongolianDoc())
	found := false
	for _, f := range p.part("word/fontTable.xml").all("font") {
		if alt, ok := f.child("altName"); ok && f.attr("name") == "Mongolian Baiti" && alt.attr("val") == "Noto Sans Mongolian" {
			found = true
		}
	}
	if !found {
		t.Error("fontTable.xml: no Noto Sans Mongolian alternative for Mongolian Baiti")
	}
}

// TestFiguresKeptTogether: each figure, from its first digit to its
// measure word, is a run of its own whose characters are joined by U+2060
// and which has no language (see figureLangXML); the rest of the text is
// left as it is.
func TestFiguresKeptTogether(t *testing.T) {
	const wj = "\u2060"
	cases := []struct {
		text string
		runs []string // the runs' texts; figures are the ones with joiners
	}{
		{"参与60余人，发放1200余份", []string{"参与", "6" + wj + "0" + wj + "余" + wj + "人", "，发放", "1" + wj + "2" + wj + "0" + wj + "0" + wj + "余" + wj + "份"}},
		{"开展宣讲11场次；263余人次。", []string{"开展宣讲", "1" + wj + "1" + wj + "场" + wj + "次", "；", "2" + wj + "6" + wj + "3" + wj + "余" + wj + "人" + wj + "次", "。"}},
		{"慰问金2万元，覆盖率100%", []string{"慰问金", "2" + wj + "万" + wj + "元", "，覆盖率", "1" + wj + "0" + wj + "0" + wj + "%"}},
		{"1.5万余元", []string{"1" + wj + "." + wj + "5" + wj + "万" + wj + "余" + wj + "元"}},
		// A lone digit has nothing to keep together: 1. and the Mongolian
		// figure, written with a space before its word, stay in the text.
		{"1. 宣讲", []string{"1. 宣讲"}},
		{"ᠬᠡᠯᠡ 80 ᠭᠠᠷᠤᠢ", []string{"ᠬᠡᠯᠡ ", "8" + wj + "0", " ᠭᠠᠷᠤᠢ"}},
		{"没有数字", []string{"没有数字"}},
	}
	for _, c := range cases {
		d := chineseDoc()
		d.Paragraphs = []report.Paragraph{{Kind: report.Body, Text: c.text}}
		p := write(t, d)
		var got []string
		for _, r := range p.part("word/document.xml").all("r") {
			var txt strings.Builder
			for _, tx := range r.all("t") {
				txt.WriteString(tx.Text)
			}
			got = append(got, txt.String())
			lang := r.all("lang")
			figure := strings.Contains(txt.String(), wj)
			if len(lang) != 1 || (lang[0].attr("val") == "x-none") != figure || (lang[0].attr("eastAsia") == "x-none") != figure {
				t.Errorf("%q: run %q has lang %v", c.text, txt.String(), lang)
			}
		}
		if strings.Join(got, "|") != strings.Join(c.runs, "|") {
			t.Errorf("%q: runs %q, want %q", c.text, got, c.runs)
		}
	}
}

// TestSignatureXML: the 落款 (§7.3.5.1) follows the body as two paragraphs
// of the Signature style, right aligned: the date indented four 3号
// characters (4 × 315 twips) from the right, the issuer centred over it,
// so further in when it is shorter and further out when it is longer, and
// two blank lines (2 × 579 twips) above the issuer. The body's last
// paragraph and the issuer keep with what follows, so the signature never
// starts a page alone. TestPDFSignatureAndPageNumber measures the result.
func TestSignatureXML(t *testing.T) {
	type para struct {
		style, text, right, before string
		keepNext                   bool
	}
	read := func(p node) para {
		ppr, _ := p.child("pPr")
		st, _ := ppr.child("pStyle")
		ind, _ := ppr.child("ind")
		sp, _ := ppr.child("spacing")
		_, keep := ppr.child("keepNext")
		return para{st.attr("val"), p.text(), ind.attr("right"), sp.attr("before"), keep}
	}
	for _, c := range []struct {
		issuer, date string
		wantIssuer   func(right int) bool
	}{
		{"中共嘎鲁图镇委员会", "2025年6月30日", func(r int) bool { return r < 1260 }},
		{"嘎查", "2025年6月30日", func(r int) bool { return r > 1260 }},
	} {
		d := chineseDoc()
		d.Issuer, d.Date = c.issuer, c.date
		paras := write(t, d).part("word/document.xml").all("p")
		if len(paras) != len(d.Paragraphs)+2 {
			t.Fatalf("%d paragraphs, want the report's %d and two of signature", len(paras), len(d.Paragraphs))
		}
		body, issuer, date := read(paras[len(paras)-3]), read(paras[len(paras)-2]), read(paras[len(paras)-1])
		if !body.keepNext {
			t.Error("the body's last paragraph does not keep with the signature")
		}
		if issuer.style != "Signature" || issuer.text != c.issuer || !issuer.keepNext || issuer.before != "1158" {
			t.Errorf("issuer paragraph %+v, want Signature, %q, keepNext, 1158 twips before", issuer, c.issuer)
		}
		if right, err := strconv.Atoi(issuer.right); err != nil || !c.wantIssuer(right) {
			t.Errorf("issuer %q indented %q from the right: not centred over the date", c.issuer, issuer.right)
		}
		if date.style != "Signature" || date.text != c.date || date.right != "1260" || date.before != "" {
			t.Errorf("date paragraph %+v, want Signature, %q, 1260 twips from the right", date, c.date)
		}
	}
	sig := style(t, write(t, chineseDoc()), "Signature")
	if jc := sig.all("jc"); len(jc) != 1 || jc[0].attr("val") != "right" {
		t.Errorf("Signature style jc %v, want right", jc)
	}
	if ind := sig.all("ind"); len(ind) != 0 {
		t.Errorf("Signature style indents its first line: %v", ind)
	}

	// Only a date: it takes the blank lines; no signature: nothing, and
	// the body's last paragraph keeps nothing.
	d := chineseDoc()
	d.Date = "2025年6月30日"
	paras := write(t, d).part("word/document.xml").all("p")
	if got := read(paras[len(paras)-1]); len(paras) != len(d.Paragraphs)+1 || got.text != d.Date || got.before != "1158" {
		t.Errorf("a date alone: %d paragraphs, last %+v", len(paras), got)
	}
	paras = write(t, chineseDoc()).part("word/document.xml").all("p")
	if got := read(paras[len(paras)-1]); got.keepNext || got.style == "Signature" {
		t.Errorf("no signature, yet the last paragraph is %+v", got)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := write(t, chineseDoc()), write(t, chineseDoc())
	if !bytes.Equal(a.raw, b.raw) {
		t.Error("two writes of the same document differ")
	}
	want := time.Date(2025, time.June, 30, 0, 0, 0, 0, time.UTC)
	for _, f := range a.zr.File {
		if !f.Modified.Equal(want) {
			t.Errorf("%s modified %v, want %v", f.Name, f.Modified, want)
		}
	}
	c := write(t, mongolianDoc())
	if bytes.Equal(a.raw, c.raw) {
		t.Error("different documents wrote the same bytes")
	}
}

func TestUnknownKind(t *testing.T) {
	d := chineseDoc()
	d.Paragraphs = append(d.Paragraphs, report.Paragraph{Kind: report.Kind(99), Text: "?"})
	if err := docx.Write(io.Discard, d); err == nil {
		t.Error("Write accepted an unknown paragraph kind")
	}
}

// TestWriteSamples writes sample files for looking at them in Word or
// LibreOffice: DOCX_SAMPLE_DIR=/tmp/docx go test -run TestWriteSamples.
// township.docx is the half-year report of 嘎鲁图镇 in the sample units,
// compiled from 48 records in all nine sections of the built-in catalogue.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("DOCX_SAMPLE_DIR")
	if dir == "" {
		t.Skip("DOCX_SAMPLE_DIR not set")
	}
	long := chineseDoc()
	// Enough body text for a second page, to see the even-page footer.
	for i := 0; i < 12; i++ {
		long.Paragraphs = append(long.Paragraphs, report.Paragraph{Kind: report.Body,
			Text: "坚持以人民为中心的发展思想，深入基层一线，认真倾听群众意见，及时协调解决群众反映的实际困难和问题，切实把各项惠民政策落到实处。"})
	}
	long.Issuer, long.Date = "某某嘎查", "2025年6月30日"
	for name, d := range map[string]report.Document{"zh.docx": long, "mn.docx": mongolianDoc(), "township.docx": townshipReport(t)} {
		var buf bytes.Buffer
		if err := docx.Write(&buf, d); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// townshipReport compiles 嘎鲁图镇's first half of 2025 from 48 made-up
// records spread over every type of the built-in catalogue.
func townshipReport(t *testing.T) report.Document {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	list, err := units.ReadFile(filepath.Join("..", "..", "deploy", "units.sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	places := []fieldlog.UnitID{"galutu", "duguilang", "saruul", "khukh_nuur"}
	var records []fieldlog.Activity
	for k := 0; len(records) < 48; {
		for _, s := range cat.Sections {
			for _, typ := range s.Types {
				if k++; len(records) == 48 || k%3 == 0 {
					continue // every third type of a round has none
				}
				n := len(records)
				a := fieldlog.Activity{
					ID: fieldlog.ActivityID(fmt.Sprintf("r%02d", n)), SectionID: s.ID, TypeID: typ.ID,
					Date:         fieldlog.Date{Year: 2025, Month: time.Month(1 + n%6), Day: 1 + (n*7)%28},
					Participants: fieldlog.Count{Value: int64(8 + (n*37)%90), Approx: n%4 == 0},
					Title:        typ.Name.In(fieldlog.Chinese),
					UnitID:       places[n%len(places)],
				}
				if typ.Quantity {
					a.Quantity = fieldlog.Count{Value: int64(50 + (n*173)%1500), Approx: n%2 == 0}
				}
				records = append(records, a)
			}
		}
	}
	return report.Compile(report.Config{Catalog: cat, Tree: fieldlog.NewTree(list), Scope: "galutu",
		Period: fieldlog.Period{Year: 2025, Half: 1}, Lang: fieldlog.Chinese, Messages: msgs,
		Date: fieldlog.Date{Year: 2025, Month: time.June, Day: 30}}, records)
}
