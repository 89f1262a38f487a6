package docx

import (
	"strings"
	"unicode"
)

// wordJoiner (U+2060) is invisible and forbids a line break on either side
// of it.
const wordJoiner = '\u2060'

// figureLangXML is the language of a figure's run: none, in both the Latin
// and the East Asian slot. Chinese may break between any two characters,
// and LibreOffice, which breaks Chinese text by its own rules, ignores
// U+2060 there and broke "60余人" as "6 / 0余人" at a line end. Text of no
// language it breaks by the Unicode rules, which honour U+2060; Word
// honours U+2060 in any language. (Measured with LibreOffice 7.4: a
// joiner alone, or no language in one slot only, still let figures split.)
const figureLangXML = `<w:lang w:val="x-none" w:eastAsia="x-none"/>`

// splitFigures cuts s into plain text and figures, in order, and hands each
// piece to plain or figure. A figure comes with its characters joined by
// U+2060, so that it stays on one line: the digits of a number, its 余, a
// magnitude (万) and the measure word after it ("60余人", "1200余份",
// "2万元", "11场次", "100%"). This is layout rather than wording, so it
// happens here and the report's text stays plain for the chat and the
// ledger.
func splitFigures(s string, plain, figure func(string)) {
	if !strings.ContainsFunc(s, unicode.IsDigit) {
		plain(s)
		return
	}
	rs := []rune(s)
	start := 0 // of the plain text not yet handed on
	for i := 0; i < len(rs); {
		if !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		end := figureEnd(rs, i)
		if end-i < 2 {
			i = end // a lone digit has nothing to keep together
			continue
		}
		if start < i {
			plain(string(rs[start:i]))
		}
		var b strings.Builder
		for j := i; j < end; j++ {
			if j > i {
				b.WriteRune(wordJoiner)
			}
			b.WriteRune(rs[j])
		}
		figure(b.String())
		start, i = end, end
	}
	if start < len(rs) {
		plain(string(rs[start:]))
	}
}

// figureEnd is the index just past the figure that starts at rs[i], a
// digit. A figure is digits, with a '.' or ',' between two of them (1.5,
// 1,200); then up to two of 余 多 万 千 亿 (80余, 2万, 1万余); then a
// percent sign, or one Han character, the measure word, with the 次 of
// 人次 and 场次 when it follows.
func figureEnd(rs []rune, i int) int {
	k := i
	for k < len(rs) && (unicode.IsDigit(rs[k]) ||
		(rs[k] == '.' || rs[k] == ',') && k+1 < len(rs) && unicode.IsDigit(rs[k+1])) {
		k++
	}
	for n := 0; n < 2 && k < len(rs) && strings.ContainsRune("余多万千亿", rs[k]); n++ {
		k++
	}
	if k < len(rs) {
		switch r := rs[k]; {
		case strings.ContainsRune("%％‰", r):
			k++
		case unicode.Is(unicode.Han, r):
			k++
			if k < len(rs) && rs[k] == '次' && strings.ContainsRune("人场户批件架", r) {
				k++
			}
		}
	}
	return k
}
