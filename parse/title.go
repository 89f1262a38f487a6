package parse

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTitle is the usual longest title, in runes, that callers pass to Title.
const MaxTitle = 100

// Errors returned by Title.
var (
	// ErrEmpty means there is nothing but space.
	ErrEmpty = errors.New("empty")
	// ErrTooLong means the title has more than the allowed number of runes.
	// Title returns it as a TooLongError, which carries both numbers.
	ErrTooLong = errors.New("too long")
	// ErrInvalidChar means the text has a control character (other than
	// line breaks and tabs) or is not valid UTF-8.
	ErrInvalidChar = errors.New("invalid character")
)

// TooLongError is the error Title returns for a title that is too long, so
// the caller can tell the user both lengths. errors.Is(err, ErrTooLong)
// reports true for it; get the numbers with errors.As.
type TooLongError struct {
	Len int // runes in the title as it would have been stored
	Max int // the most allowed
}

// Error gives both lengths, for logs; users get a message in their language.
func (e TooLongError) Error() string {
	return fmt.Sprintf("too long: %d characters, at most %d", e.Len, e.Max)
}

// Is makes errors.Is(err, ErrTooLong) true.
func (e TooLongError) Is(target error) bool { return target == ErrTooLong }

// Title reads a one-line title of at most maxRunes runes (normally
// MaxTitle).
//
// The text is stored as typed, with no Unicode normalisation, apart from
// three things: space is trimmed from both ends; each line break, together
// with the spaces and tabs around it, becomes one space; and remaining tabs
// become spaces. Space inside a line is kept: U+202F there joins a
// Mongolian suffix to its word. Mongolian variation selectors, U+180E and
// emoji joiners are kept too; none of them is space.
//
// The error is ErrInvalidChar, ErrEmpty or a TooLongError.
func Title(s string, maxRunes int) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrInvalidChar
	}
	for _, r := range s {
		if unicode.IsControl(r) && !isLineBreak(r) && r != '\t' {
			return "", ErrInvalidChar
		}
	}
	t := strings.ReplaceAll(oneLine(s), "\t", " ")
	t = strings.TrimFunc(t, unicode.IsSpace)
	if t == "" {
		return "", ErrEmpty
	}
	if n := utf8.RuneCountInString(t); n > maxRunes {
		return "", TooLongError{Len: n, Max: maxRunes}
	}
	return t, nil
}

// oneLine replaces each line break, with the spaces and tabs next to it,
// by one space. Other spaces (U+202F, U+3000) are left where they are.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	// s[blank:i] holds spaces and tabs not yet written (blank < 0: none).
	// They are written as typed unless a line break follows them.
	blank, inBreak := -1, false
	for i, r := range s {
		switch {
		case isLineBreak(r):
			inBreak = true
		case r == ' ' || r == '\t':
			if blank < 0 {
				blank = i
			}
		default:
			if inBreak {
				b.WriteByte(' ')
			} else if blank >= 0 {
				b.WriteString(s[blank:i])
			}
			b.WriteRune(r)
			blank, inBreak = -1, false
		}
	}
	if !inBreak && blank >= 0 {
		b.WriteString(s[blank:])
	}
	return b.String()
}

// isLineBreak reports whether r ends a line: \n, \r (so \r\n is one break
// among others), vertical tab, form feed, NEL and the Unicode line and
// paragraph separators.
func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return true
	}
	return false
}

// clauseEnds end a clause of a folded sentence (the full-width ，；！？ are
// folded to ASCII).
const clauseEnds = ",;。!?᠂᠃"

// sentenceTitle is the title of an activity read from a sentence: the
// sentence without cuts (the date, the participants, the quantity and the
// place, as spans of the folded text), at most maxRunes runes. A clause
// that loses a cut and is left without anything of what was done (only
// 参加群众 of 参加群众120余名) goes whole, with its comma; content reports
// whether a clause's remaining text says what was done. The text kept is
// as typed, with line breaks as spaces; it is "" if nothing is left or if
// Title would refuse it.
func sentenceTitle(t *text, cuts []span, content func(string) bool, maxRunes int) string {
	f := t.folded
	var b strings.Builder
	for start := 0; start < len(f); {
		end := len(f)
		if i := strings.IndexAny(f[start:], clauseEnds); i >= 0 {
			end = start + i
		}
		sep := end // the clause ends its text at end, its separator after
		if end < len(f) {
			_, size := utf8.DecodeRuneInString(f[end:])
			sep = end + size
		}
		// The folded parts of the clause outside the cuts.
		var keep []span
		cut := false
		for i := start; i < end; {
			j := i
			for j < end && !inside(cuts, j) {
				j++
			}
			if j > i {
				keep = append(keep, span{i, j})
			}
			for j < end && inside(cuts, j) {
				j++
				cut = true
			}
			i = j
		}
		if cut {
			var rest strings.Builder
			for _, k := range keep {
				rest.WriteString(f[k.start:k.end])
			}
			if !content(rest.String()) {
				start = sep
				continue
			}
		}
		for _, k := range keep {
			b.WriteString(t.orig[t.at[k.start]:t.at[k.end]])
		}
		b.WriteString(t.orig[t.at[end]:t.at[sep]])
		start = sep
	}
	return tidyTitle(b.String(), maxRunes)
}

// tidyTitle makes what is left of a sentence a title: one line, no control
// characters, single ASCII spaces, without what the cuts left dangling at
// its ends (a comma, a Mongolian case suffix whose word went), cut to
// maxRunes runes.
func tidyTitle(s string, maxRunes int) string {
	s = strings.ToValidUTF8(oneLine(s), "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	for strings.Contains(s, "  ") {
		s = strings.ReplaceAll(s, "  ", " ")
	}
	for _, pair := range []string{",，", "，，", "，,", ",,", "，。", ",。"} {
		for strings.Contains(s, pair) {
			first, _ := utf8.DecodeRuneInString(pair)
			s = strings.ReplaceAll(s, pair, string(first))
		}
	}
	// A place's 在 goes with the place (see Activity); what may dangle here
	// is punctuation.
	const dangling = ",，。、；;：:᠂᠃"
	for {
		before := s
		s = strings.TrimFunc(s, unicode.IsSpace)
		s = strings.TrimLeft(s, dangling)
		s = strings.TrimRight(s, ",，。、；;：:᠂᠃")
		if w, rest, ok := strings.Cut(s, " "); ok && mongolianSuffixes[w] {
			s = rest
		} else if !ok && mongolianSuffixes[s] {
			s = ""
		}
		if s == before {
			break
		}
	}
	if utf8.RuneCountInString(s) > maxRunes {
		s = string([]rune(s)[:maxRunes])
		s = strings.TrimRightFunc(s, unicode.IsSpace)
	}
	if _, err := Title(s, maxRunes); err != nil {
		return ""
	}
	return s
}
