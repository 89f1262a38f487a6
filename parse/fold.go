package parse

import (
	"unicode"
	"unicode/utf8"
)

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
	i := 0 // s[:i] folds to itself, as most labels do: no copy is made
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if f, keep := foldRune(r); !keep || f != r || r == utf8.RuneError {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])
	for _, r := range s[i:] {
		if r, keep := foldRune(r); keep {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// foldRune is fold for one rune; keep is false for a rune fold drops.
func foldRune(r rune) (folded rune, keep bool) {
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
		return 0, false
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r, true
}

// text is a sentence as typed together with its folded form, and for every
// byte of the folded form the offset in the sentence it came from: the parts
// of a sentence are found in the folded form and cut from the sentence as
// typed, which keeps its U+202F, vowel separators and full-width digits.
type text struct {
	orig   string
	folded string
	// at[i] is the offset in orig of the rune that gave folded byte i;
	// at[len(folded)] is len(orig).
	at []int
}

func newText(orig string) *text {
	b := make([]byte, 0, len(orig))
	at := make([]int, 0, len(orig)+1)
	for i, r := range orig {
		r, keep := foldRune(r)
		if !keep {
			continue
		}
		n := len(b)
		b = utf8.AppendRune(b, r)
		for range len(b) - n {
			at = append(at, i)
		}
	}
	at = append(at, len(orig))
	return &text{orig: orig, folded: string(b), at: at}
}

// span is the part of the sentence as typed that folded bytes [i, j) came
// from. A dropped variation selector right after the last rune goes with it.
func (t *text) span(i, j int) Span { return Span{Start: t.at[i], End: t.at[j]} }
