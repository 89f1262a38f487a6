package parse

import "unicode"

// fold rewrites s into the plain form the Date, Count and Period patterns
// are written against. It is only ever used to read a value, never to store
// text, so it may drop and replace characters freely:
//
//   - full-width ASCII (２０２４／６／７, －５, ～８０) becomes ASCII, as a Chinese
//     IME in full-width mode types it;
//   - Mongolian digits ᠐–᠙ become 0–9;
//   - every kind of space, including U+3000 and the U+202F that glues a
//     Mongolian suffix to its word, becomes an ASCII space;
//   - the dashes and minus signs phones offer become '-', wave dashes '~';
//   - Mongolian free variation selectors, the vowel separator U+180E and
//     the zero-width joiners are dropped: they change how a word is drawn,
//     not which word it is, and keyboards differ in whether they insert them;
//   - ASCII letters are lower-cased ("Today", "2024 H1").
func fold(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width forms of ! … ~
			r -= 0xFEE0
		case r >= 0x1810 && r <= 0x1819: // Mongolian digits
			r = '0' + (r - 0x1810)
		case unicode.IsSpace(r):
			r = ' '
		case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE63:
			r = '-'
		case r == 0x301C, r == 0x223C: // 〜 wave dash, ∼ tilde operator
			r = '~'
		case r >= 0x180B && r <= 0x180F, r == 0x200C, r == 0x200D:
			continue
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		out = append(out, r)
	}
	return string(out)
}
