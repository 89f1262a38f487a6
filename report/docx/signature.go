package docx

import (
	"fmt"
	"strings"
	"unicode"

	"fieldlog/report"
)

// The 落款 of a sealed document (GB/T 9704 §7.3.5.1): the 成文日期 right
// indented four characters, the issuer centred over it, and the two lines
// under the body's last one with two blank lines between, so that the
// seal, whose top stays within a line of the body, presses on both from
// just above their middle.
const (
	dateIndentChars  = 4
	signatureGapRows = 2
)

// writeSignature writes the issuer and the date of d, those that are not
// empty, as two right-aligned paragraphs of the Signature style.
func writeSignature(b *strings.Builder, d report.Document, l layout, li langInfo) {
	if d.Issuer == "" && d.Date == "" {
		return
	}
	char := charPitch(l)
	dateIndent := dateIndentChars * char
	issuerIndent := dateIndent
	if d.Date != "" {
		// Centred over the date: half the difference of their widths
		// further in, or out for an issuer longer than the date.
		issuerIndent = max(0, dateIndent+(textWidth(d.Date, char)-textWidth(d.Issuer, char))/2)
	}
	gap := fmt.Sprintf(`<w:spacing w:before="%d" w:line="%d" w:lineRule="exact"/>`, signatureGapRows*l.linePitch, l.linePitch)
	para := func(text, keep, spacing string, indent int) {
		fmt.Fprintf(b, `<w:p><w:pPr><w:pStyle w:val="Signature"/>%s%s<w:ind w:right="%d"/></w:pPr>`, keep, spacing, indent)
		writeRuns(b, text, li)
		b.WriteString(`</w:p>`)
	}
	if d.Issuer != "" {
		para(d.Issuer, `<w:keepNext/>`, gap, issuerIndent)
		gap = ""
	}
	if d.Date != "" {
		para(d.Date, "", gap, dateIndent)
	}
}

// charPitch is the advance of one 3号 character in twips, condensed as
// every run is (see gbLayout): 315, so that 28 fill a line.
func charPitch(l layout) int { return sizeBody*twipsPerHalfPoint + l.condense }

// textWidth estimates the width of s in twips for the placing of the
// issuer: a Chinese character or full-width sign is one character, any
// other (digits in Times New Roman, Mongolian letters) half of one, and
// Word and LibreOffice add a quarter of one between Chinese and a digit or
// Latin letter (w:autoSpaceDN, w:autoSpaceDE).
func textWidth(s string, char int) int {
	w := 0
	prev := rune(0)
	for _, r := range s {
		if wide(r) {
			w += char
		} else {
			w += char / 2
		}
		if prev != 0 && wide(prev) != wide(r) && (isAlnum(prev) || isAlnum(r)) {
			w += char / 4
		}
		prev = r
	}
	return w
}

// wide reports whether r takes a whole character cell: Han, CJK symbols
// and punctuation (、。「」), full-width forms.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF01 && r <= 0xFF60)
}

func isAlnum(r rune) bool { return r < 0x80 && (unicode.IsDigit(r) || unicode.IsLetter(r)) }
