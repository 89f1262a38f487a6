package docx

import (
	"fmt"
	"strconv"
	"strings"

	"fieldlog/report"
)

// Font names as Chinese Word installations know them. The _GB2312 faces
// are what GB/T 9704 names; fontTable.xml offers the names current Windows
// ships (仿宋, 楷体) as alternatives.
const (
	fontLatin     = "Times New Roman"
	fontXiaoBiao  = "方正小标宋简体"
	fontFangSong  = "仿宋_GB2312"
	fontHei       = "黑体"
	fontKai       = "楷体_GB2312"
	fontSong      = "宋体"
	fontMongolian = "Mongolian Baiti"     // ships with Windows
	fontMongAlt   = "Noto Sans Mongolian" // where Mongolian Baiti is missing
)

// styleDef is one paragraph style, the Word counterpart of a report.Kind.
type styleDef struct {
	kind     report.Kind
	id, name string // w:styleId and w:name; heading names are Word's built-in ones
	eastAsia string
	// latin is the font of digits and Latin letters in a Chinese
	// document; empty for Times New Roman.
	latin   string
	size    int // half-points
	bold    bool
	centre  bool
	indent  bool // first line indented two characters
	outline int  // w:outlineLvl, -1 for none
}

// styleDefs is the table of paragraph styles, in the order they are written
// to styles.xml.
func styleDefs() []styleDef {
	// The title's digits (2025年) are drawn in 小标宋 like the rest of
	// it: in Times New Roman they look thin and short beside 2号 小标宋.
	return []styleDef{
		{report.Title, "Title", "Title", fontXiaoBiao, fontXiaoBiao, sizeTitle, false, true, false, -1},
		{report.Body, "Body", "Body", fontFangSong, "", sizeBody, false, false, true, -1},
		{report.Heading1, "Heading1", "heading 1", fontHei, "", sizeBody, false, false, true, 0},
		{report.Heading2, "Heading2", "heading 2", fontKai, "", sizeBody, false, false, true, 1},
		{report.Heading3, "Heading3", "heading 3", fontFangSong, "", sizeBody, true, false, true, 2},
	}
}

// styleOf returns the style for k, or false if k is unknown.
func styleOf(k report.Kind) (styleDef, bool) {
	for _, s := range styleDefs() {
		if s.kind == k {
			return s, true
		}
	}
	return styleDef{}, false
}

// rFontsXML names eastAsia for Chinese characters and, for the other
// slots, latin (Times New Roman when empty) or, in a Mongolian document, a
// Mongolian font: the Mongolian script is not East Asian to Word, so it is
// drawn with the ascii/hAnsi or complex-script font.
func rFontsXML(eastAsia, latin string, li langInfo) string {
	other := fontLatin
	switch {
	case li.mongolian:
		other = fontMongolian
	case latin != "":
		other = latin
	}
	o := escape(other)
	return `<w:rFonts w:ascii="` + o + `" w:hAnsi="` + o + `" w:eastAsia="` + escape(eastAsia) + `" w:cs="` + o + `"/>`
}

// sizeXML sets both the normal and the complex-script size, so Mongolian
// drawn in the complex-script slot is not left at the default size.
func sizeXML(halfPoints int) string {
	n := strconv.Itoa(halfPoints)
	return `<w:sz w:val="` + n + `"/><w:szCs w:val="` + n + `"/>`
}

// lineXML is exact line spacing of one grid line.
func lineXML(l layout) string {
	return `<w:spacing w:line="` + strconv.Itoa(l.linePitch) + `" w:lineRule="exact"/>`
}

// indentXML indents the first line by two characters. firstLineChars is
// what Word honours; firstLine (two 16 pt characters) is for readers that
// ignore character units.
const indentXML = `<w:ind w:firstLineChars="200" w:firstLine="640"/>`

func stylesXML(l layout, li langInfo) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:styles xmlns:w="` + nsW + `">`)

	// The defaults are the body's: 3号, condensed so that 28 characters
	// fit a line (see gbLayout).
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr>`)
	b.WriteString(rFontsXML(fontFangSong, "", li) + fmt.Sprintf(`<w:spacing w:val="%d"/>`, l.condense) + sizeXML(sizeBody) + li.langXML())
	b.WriteString(`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>`)
	b.WriteString(lineXML(l) + `<w:jc w:val="both"/>`)
	b.WriteString(`</w:pPr></w:pPrDefault></w:docDefaults>`)

	// Widow control off: it would end pages early and break the 22-line grid.
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>`)
	b.WriteString(`<w:pPr><w:widowControl w:val="0"/>` + lineXML(l) + `<w:jc w:val="both"/></w:pPr>`)
	b.WriteString(`<w:rPr>` + rFontsXML(fontFangSong, "", li) + sizeXML(sizeBody) + `</w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">` +
		`<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>`)

	for _, s := range styleDefs() {
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:styleId="%s"><w:name w:val="%s"/>`, s.id, s.name)
		b.WriteString(`<w:basedOn w:val="Normal"/><w:next w:val="Body"/><w:qFormat/><w:pPr>`)
		if s.kind != report.Body {
			b.WriteString(`<w:keepNext/>`)
		}
		if s.kind == report.Title {
			// LibreOffice ignores the run-level snapToGrid below and only
			// honours the paragraph's; the exact spacing makes it moot for
			// lines in Word.
			b.WriteString(`<w:snapToGrid w:val="0"/>`)
			// One blank line under the title (§7.3.3); contextual spacing
			// keeps a two-paragraph title together.
			fmt.Fprintf(&b, `<w:spacing w:after="%d" w:line="%d" w:lineRule="exact"/><w:contextualSpacing/>`, l.linePitch, l.linePitch)
		} else {
			b.WriteString(lineXML(l))
		}
		if s.indent {
			b.WriteString(indentXML)
		}
		if s.centre {
			b.WriteString(`<w:jc w:val="center"/>`)
		} else {
			b.WriteString(`<w:jc w:val="both"/>`)
		}
		if s.outline >= 0 {
			fmt.Fprintf(&b, `<w:outlineLvl w:val="%d"/>`, s.outline)
		}
		b.WriteString(`</w:pPr><w:rPr>` + rFontsXML(s.eastAsia, s.latin, li))
		if s.bold {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		if s.size != sizeBody {
			// A 22 pt character on a 16 pt character grid would take two
			// cells and the title would look letter-spaced.
			b.WriteString(`<w:snapToGrid w:val="0"/>`)
		}
		b.WriteString(sizeXML(s.size) + `</w:rPr></w:style>`)
	}

	// The signature (落款, see writeSignature): the body's font, right
	// aligned, not indented.
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:jc w:val="right"/></w:pPr></w:style>`)

	// The page number style: 4号 宋体 throughout, with the eastAsia hint
	// so the dashes are drawn full width. Single spacing off the grid: an
	// exact 14 pt line clips the glyphs' tops in LibreOffice, and the grid
	// would make the footer a 28.95 pt line.
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>` +
		`<w:rPr><w:rFonts w:ascii="` + fontSong + `" w:hAnsi="` + fontSong + `" w:eastAsia="` + fontSong +
		`" w:cs="` + fontSong + `" w:hint="eastAsia"/><w:snapToGrid w:val="0"/>` + sizeXML(sizePageNum) + `</w:rPr></w:style>`)

	b.WriteString(`</w:styles>`)
	return b.String()
}

// fontTableXML declares the fonts with their charsets and alternative
// names, which Word tries when the named font is not installed.
func fontTableXML() string {
	type font struct{ name, alt, charset, family string }
	fonts := []font{
		{fontLatin, "", "00", "roman"},
		{fontSong, "SimSun", "86", "auto"},
		{fontFangSong, "仿宋", "86", "modern"},
		{fontHei, "SimHei", "86", "modern"},
		{fontKai, "楷体", "86", "modern"},
		{fontXiaoBiao, "宋体", "86", "auto"},
		{fontMongolian, fontMongAlt, "00", "auto"},
	}
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:fonts xmlns:w="` + nsW + `">`)
	for _, f := range fonts {
		b.WriteString(`<w:font w:name="` + escape(f.name) + `">`)
		if f.alt != "" {
			b.WriteString(`<w:altName w:val="` + escape(f.alt) + `"/>`)
		}
		b.WriteString(`<w:charset w:val="` + f.charset + `"/><w:family w:val="` + f.family + `"/></w:font>`)
	}
	b.WriteString(`</w:fonts>`)
	return b.String()
}

// footerXML is the page number "— N —" (§7.5.1): odd pages at the right,
// even pages at the left, one 4号 character in from the edge of the type
// area. The cached field result is a plausible page number, shown by
// readers that do not update fields.
func footerXML(odd bool, li langInfo) string {
	side, cached := "left", "2"
	if odd {
		side, cached = "right", "1"
	}
	run := func(inner string) string { return `<w:r><w:rPr>` + li.langXML() + `</w:rPr>` + inner + `</w:r>` }
	return xmlHeader + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/>` +
		fmt.Sprintf(`<w:ind w:%s="%d"/><w:jc w:val="%s"/>`, side, sizePageNum*twipsPerHalfPoint, side) +
		`</w:pPr>` +
		run(`<w:t xml:space="preserve">— </w:t>`) +
		run(`<w:fldChar w:fldCharType="begin"/>`) +
		run(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`) +
		run(`<w:fldChar w:fldCharType="separate"/>`) +
		run(`<w:t>`+cached+`</w:t>`) +
		run(`<w:fldChar w:fldCharType="end"/>`) +
		run(`<w:t xml:space="preserve"> —</w:t>`) +
		`</w:p></w:ftr>`
}

// documentXML is the body: one paragraph per report paragraph, styled by
// reference so a user can restyle the whole report in Word, the signature,
// then the section with the page geometry, the grid and the two footers.
func documentXML(d report.Document, l layout, li langInfo) (string, error) {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	signed := d.Issuer != "" || d.Date != ""
	for i, p := range d.Paragraphs {
		s, ok := styleOf(p.Kind)
		if !ok {
			return "", fmt.Errorf("docx: paragraph %d: unknown kind %d", i, p.Kind)
		}
		keep := ""
		if signed && i == len(d.Paragraphs)-1 {
			keep = `<w:keepNext/>` // the signature never starts a page alone
		}
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + s.id + `"/>` + keep + `</w:pPr>`)
		writeRuns(&b, p.Text, li)
		b.WriteString(`</w:p>`)
	}
	writeSignature(&b, d, l, li)
	b.WriteString(`<w:sectPr>`)
	b.WriteString(`<w:footerReference w:type="default" r:id="` + ridFooterOdd + `"/>`)
	b.WriteString(`<w:footerReference w:type="even" r:id="` + ridFooterEvn + `"/>`)
	fmt.Fprintf(&b, `<w:pgSz w:w="%d" w:h="%d"/>`, l.pageW, l.pageH)
	fmt.Fprintf(&b, `<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		l.top, l.right, l.bottom, l.left, l.header, l.footer)
	b.WriteString(`<w:cols w:space="425"/>`)
	fmt.Fprintf(&b, `<w:docGrid w:type="lines" w:linePitch="%d"/>`, l.linePitch)
	b.WriteString(`</w:sectPr></w:body></w:document>`)
	return b.String(), nil
}

// runWriter writes the runs of a paragraph. Text, tabs (w:tab) and line
// breaks (w:br) go into runs of the document's language, opened as needed;
// each figure gets a run of its own (see splitFigures).
type runWriter struct {
	b    *strings.Builder
	rPr  string // the run properties of text that is not a figure
	open bool
}

func (w *runWriter) start() {
	if !w.open {
		w.b.WriteString(`<w:r><w:rPr>` + w.rPr + `</w:rPr>`)
		w.open = true
	}
}

func (w *runWriter) end() {
	if w.open {
		w.b.WriteString(`</w:r>`)
		w.open = false
	}
}

// text writes s with spaces preserved and its figures in runs of their own.
func (w *runWriter) text(s string) {
	splitFigures(s,
		func(t string) {
			if t = escape(t); t != "" {
				w.start()
				w.b.WriteString(`<w:t xml:space="preserve">` + t + `</w:t>`)
			}
		},
		func(fig string) {
			w.end()
			w.b.WriteString(`<w:r><w:rPr>` + figureLangXML + `</w:rPr><w:t xml:space="preserve">` + escape(fig) + `</w:t></w:r>`)
		})
}

// writeRuns writes s as the runs of a paragraph: tabs as w:tab and line
// breaks (\n, \r\n, \r) as w:br, since XML would fold them into spaces.
func writeRuns(b *strings.Builder, s string, li langInfo) {
	w := runWriter{b: b, rPr: li.langXML()}
	mark := func(elem string) {
		w.start()
		b.WriteString(elem)
	}
	start := 0
	// Scanning bytes is safe: tab, CR and LF never occur inside a multi-byte
	// UTF-8 sequence.
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\t':
			w.text(s[start:i])
			mark(`<w:tab/>`)
			start = i + 1
		case '\n':
			w.text(s[start:i])
			mark(`<w:br/>`)
			start = i + 1
		case '\r':
			w.text(s[start:i])
			if i+1 >= len(s) || s[i+1] != '\n' {
				mark(`<w:br/>`)
			}
			start = i + 1
		}
	}
	w.text(s[start:])
	w.end()
}
