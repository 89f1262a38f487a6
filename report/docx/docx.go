// Package docx renders a compiled report as a Word (.docx) file laid out as
// GB/T 9704-2012 (党政机关公文格式) prescribes: A4, a 156 × 225 mm type area,
// 22 lines of 28 characters, 小标宋/仿宋/黑体/楷体 and "— 1 —" page numbers
// on the outer side.
//
// The parts are written by hand with archive/zip rather than with a library:
// unioffice needs a commercial licence, baliance/gooxml is archived,
// fumiama/go-docx is AGPL and models only the page size of a section, and
// gomutex/godocx (MIT) has section and font types but no API for footer
// parts, PAGE fields or settings.xml (evenAndOddHeaders), so hand-made XML
// would have been injected into it anyway. Eleven small parts are easier to
// keep correct and deterministic than a workaround on top of any of them.
package docx

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
	"time"

	"fieldlog"
	"fieldlog/report"
)

// Content types of the package parts.
const (
	ctRels      = "application/vnd.openxmlformats-package.relationships+xml"
	ctXML       = "application/xml"
	ctDocument  = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	ctStyles    = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
	ctSettings  = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
	ctFontTable = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
	ctFooter    = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
	ctCore      = "application/vnd.openxmlformats-package.core-properties+xml"
	ctApp       = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
)

// Relationship types.
const (
	relOfficeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relCore           = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	relApp            = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
	relStyles         = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
	relSettings       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
	relFontTable      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
	relFooter         = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
)

// Namespaces.
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsCT  = "http://schemas.openxmlformats.org/package/2006/content-types"
)

// Relationship ids of document.xml; the footers' ids are referenced from
// the section properties.
const (
	ridStyles    = "rId1"
	ridSettings  = "rId2"
	ridFontTable = "rId3"
	ridFooterOdd = "rId4"
	ridFooterEvn = "rId5"
)

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// part is one file of the package.
type part struct {
	name        string
	contentType string // empty for parts covered by a Default (rels)
	data        string
}

// Write renders d as a .docx to w. The output depends only on d: the zip
// timestamps and the creation date are the last day of d.Period, since a
// report carries no time of its own. A paragraph of unknown Kind is an
// error rather than silently restyled, so a new Kind cannot slip through.
func Write(w io.Writer, d report.Document) error {
	lang := langOf(d.Lang)
	l := gbLayout()

	doc, err := documentXML(d, l, lang)
	if err != nil {
		return err
	}
	stamp := stampOf(d.Period)
	parts := []part{
		{"_rels/.rels", "", packageRels()},
		{"docProps/app.xml", ctApp, appXML()},
		{"docProps/core.xml", ctCore, coreXML(d, lang, stamp)},
		{"word/_rels/document.xml.rels", "", documentRels()},
		{"word/document.xml", ctDocument, doc},
		{"word/fontTable.xml", ctFontTable, fontTableXML()},
		{"word/footer1.xml", ctFooter, footerXML(true, lang)},
		{"word/footer2.xml", ctFooter, footerXML(false, lang)},
		{"word/settings.xml", ctSettings, settingsXML()},
		{"word/styles.xml", ctStyles, stylesXML(l, lang)},
	}
	// [Content_Types].xml goes first, as Office itself writes it; some
	// readers sniff the package type from the first entry.
	parts = append([]part{{"[Content_Types].xml", "", contentTypesXML(parts)}}, parts...)

	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
		if _, err := io.WriteString(f, p.data); err != nil {
			return fmt.Errorf("docx: %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

// stampOf is the fixed time of the package: midnight UTC of the period's
// last day, clamped to 1980, the earliest date a zip entry can hold.
func stampOf(p fieldlog.Period) time.Time {
	t := p.End().Time(time.UTC)
	if t.Year() < 1980 {
		return time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

// langInfo is what a fieldlog.Lang means for fonts and w:lang.
type langInfo struct {
	mongolian bool
	tag       string // w:lang w:val and dc:language
}

// langOf maps a document language; anything but Mongolian is treated as
// Chinese, the official language.
func langOf(l fieldlog.Lang) langInfo {
	if l == fieldlog.Mongolian {
		return langInfo{mongolian: true, tag: "mn-Mong"}
	}
	return langInfo{tag: "zh-CN"}
}

// langXML is the w:lang element for runs and styles. Chinese in a Mongolian
// document (numbers, quoted names) still needs zh-CN as its East Asian
// language; bidi is the complex-script language, the slot Word may use for
// the Mongolian script.
func (li langInfo) langXML() string {
	if li.mongolian {
		return `<w:lang w:val="mn-Mong" w:eastAsia="zh-CN" w:bidi="mn-Mong"/>`
	}
	return `<w:lang w:val="zh-CN" w:eastAsia="zh-CN"/>`
}

func contentTypesXML(parts []part) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<Types xmlns="` + nsCT + `">`)
	b.WriteString(`<Default Extension="rels" ContentType="` + ctRels + `"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="` + ctXML + `"/>`)
	for _, p := range parts {
		if p.contentType != "" {
			fmt.Fprintf(&b, `<Override PartName="/%s" ContentType="%s"/>`, escape(p.name), p.contentType)
		}
	}
	b.WriteString(`</Types>`)
	return b.String()
}

func packageRels() string {
	return xmlHeader + `<Relationships xmlns="` + nsRel + `">` +
		`<Relationship Id="rId1" Type="` + relOfficeDocument + `" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="` + relCore + `" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="` + relApp + `" Target="docProps/app.xml"/>` +
		`</Relationships>`
}

func documentRels() string {
	return xmlHeader + `<Relationships xmlns="` + nsRel + `">` +
		`<Relationship Id="` + ridStyles + `" Type="` + relStyles + `" Target="styles.xml"/>` +
		`<Relationship Id="` + ridSettings + `" Type="` + relSettings + `" Target="settings.xml"/>` +
		`<Relationship Id="` + ridFontTable + `" Type="` + relFontTable + `" Target="fontTable.xml"/>` +
		`<Relationship Id="` + ridFooterOdd + `" Type="` + relFooter + `" Target="footer1.xml"/>` +
		`<Relationship Id="` + ridFooterEvn + `" Type="` + relFooter + `" Target="footer2.xml"/>` +
		`</Relationships>`
}

func appXML() string {
	return xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
		`<Application>fieldlog</Application></Properties>`
}

// coreXML names the document after its title so the file shows a sensible
// name in Word's properties and in file managers that read them.
func coreXML(d report.Document, li langInfo, stamp time.Time) string {
	title := d.UnitName
	for _, p := range d.Paragraphs {
		if p.Kind == report.Title {
			title = p.Text
			break
		}
	}
	date := stamp.Format(time.RFC3339)
	return xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + escape(title) + `</dc:title>` +
		`<dc:creator>` + escape(d.UnitName) + `</dc:creator>` +
		`<dc:language>` + li.tag + `</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + date + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + date + `</dcterms:modified>` +
		`</cp:coreProperties>`
}

// settingsXML turns on separate odd and even footers and pins Word 2013+
// layout so the document does not open in compatibility mode.
func settingsXML() string {
	return xmlHeader + `<w:settings xmlns:w="` + nsW + `">` +
		`<w:zoom w:percent="100"/>` +
		`<w:defaultTabStop w:val="420"/>` +
		`<w:evenAndOddHeaders/>` +
		`<w:characterSpacingControl w:val="compressPunctuation"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		`</w:settings>`
}
