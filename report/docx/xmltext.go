package docx

import (
	"strings"
	"unicode/utf8"
)

// isXMLChar reports whether r may appear in an XML 1.0 document (the Char
// production). Everything else, C0 controls and U+FFFE/U+FFFF in particular,
// makes Word refuse the whole file, so it has to go.
func isXMLChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// escape returns s ready for XML character data or a quoted attribute value:
// markup characters become references, characters XML 1.0 forbids and bytes
// that are not UTF-8 are dropped. Everything else is kept as is, which
// matters for Mongolian: U+202F, U+180E and the variation selectors
// U+180B–U+180F change how words are shaped.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			continue
		}
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		// Attribute normalisation would turn these into spaces; references
		// survive it and are harmless in text.
		case '\t':
			b.WriteString("&#9;")
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		default:
			if isXMLChar(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
