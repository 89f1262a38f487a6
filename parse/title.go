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
