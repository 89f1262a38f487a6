package parse

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestTitleAccepted(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"政策赶大集志愿服务活动", "政策赶大集志愿服务活动"},
		{"  政策赶大集志愿服务活动 \n", "政策赶大集志愿服务活动"},
		{"\u3000民族团结进步\u3000", "民族团结进步"},
		{"a\nb", "a b"},
		{"a\r\nb", "a b"},
		{"a\rb", "a b"},
		{"a \n\n  b", "a b"},
		{"a\t\n\tb", "a b"},
		{"a\u2028b\u2029c\u0085d", "a b c d"},
		{"a\vb\fc", "a b c"},
		{"\n\na\n\n", "a"},
		{"a\tb", "a b"},
		{"a  b", "a  b"}, // space inside a line is as typed
		{"a \u3000b", "a \u3000b"},
		// U+202F joins a Mongolian suffix: kept inside, trimmed at the ends.
		{"ᠬᠤᠷᠠᠯ\u202Fᠤᠨ ᠢᠯᠡᠳᠬᠡᠯ", "ᠬᠤᠷᠠᠯ\u202Fᠤᠨ ᠢᠯᠡᠳᠬᠡᠯ"},
		{"\u202Fᠬᠤᠷᠠᠯ\u202Fᠤᠨ\u202F", "ᠬᠤᠷᠠᠯ\u202Fᠤᠨ"},
		{"ᠬᠤᠷᠠᠯ\u202F\nᠤᠨ", "ᠬᠤᠷᠠᠯ\u202F ᠤᠨ"},
		// Variation selectors and the vowel separator are never removed,
		// even at the end.
		{"ᠭ\u180Bᠠ\u180Cᠠ\u180Dᠠ\u180F", "ᠭ\u180Bᠠ\u180Cᠠ\u180Dᠠ\u180F"},
		{"ᠬᠠᠨ\u180Eᠠ", "ᠬᠠᠨ\u180Eᠠ"},
		{"ᠬᠠᠨ\u180E", "ᠬᠠᠨ\u180E"},
		// Emoji sequences with joiners and variation selectors.
		{"👨\u200D👩\u200D👧 家庭 ❤\uFE0F", "👨\u200D👩\u200D👧 家庭 ❤\uFE0F"},
		// No normalisation: a decomposed é, the Ångström sign, a
		// full-width letter stay as typed.
		{"cafe\u0301", "cafe\u0301"},
		{"\u212B", "\u212B"},
		{"Ａ", "Ａ"},
	} {
		got, err := Title(c.in, MaxTitle)
		if err != nil || got != c.want {
			t.Errorf("Title(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestTitleRefused(t *testing.T) {
	for _, c := range []struct {
		in  string
		err error
	}{
		{"", ErrEmpty},
		{" \n\t\r ", ErrEmpty},
		{"\u3000", ErrEmpty},
		{"\u202F", ErrEmpty},
		{"a\x00b", ErrInvalidChar},
		{"a\x1b[31m", ErrInvalidChar},
		{"a\x7f", ErrInvalidChar},
		{"a\u0090", ErrInvalidChar},
		{"\x00", ErrInvalidChar},
		{"a\xffb", ErrInvalidChar},
		{strings.Repeat("字", MaxTitle+1), ErrTooLong},
	} {
		got, err := Title(c.in, MaxTitle)
		if !errors.Is(err, c.err) || got != "" {
			t.Errorf("Title(%q) = %q, %v; want error %v", c.in, got, err, c.err)
		}
	}
}

func TestTitleLength(t *testing.T) {
	// Length is in runes: 100 Chinese characters or Mongolian letters fit.
	for _, s := range []string{strings.Repeat("字", MaxTitle), strings.Repeat("ᠠ", MaxTitle), strings.Repeat("a", MaxTitle)} {
		if _, err := Title(s, MaxTitle); err != nil {
			t.Errorf("Title of %d runes: %v", utf8.RuneCountInString(s), err)
		}
	}
	// Length is counted after trimming and joining lines.
	if got, err := Title("  a\n\n\nb  ", 3); err != nil || got != "a b" {
		t.Errorf(`Title("  a\n\n\nb  ", 3) = %q, %v`, got, err)
	}
	_, err := Title(strings.Repeat("ᠠ", 120), MaxTitle)
	var tooLong TooLongError
	if !errors.Is(err, ErrTooLong) || !errors.As(err, &tooLong) || tooLong != (TooLongError{Len: 120, Max: MaxTitle}) {
		t.Fatalf("Title of 120 runes: %v (%+v)", err, tooLong)
	}
	if msg := err.Error(); !strings.Contains(msg, "120") || !strings.Contains(msg, "100") {
		t.Errorf("message %q does not give both lengths", msg)
	}
}

// FuzzTitle checks that a title Title returns is one trimmed line within
// the length, keeps every character that is not space in order, and is
// returned unchanged when given again.
func FuzzTitle(f *testing.F) {
	for _, s := range []string{
		"政策赶大集志愿服务活动", "  a \r\n b\t", "ᠬᠤᠷᠠᠯ\u202Fᠤᠨ", "\u202Fᠬᠠᠨ\u180Eᠠ\u202F", "ᠭ\u180Bᠠ", "👨\u200D👩\u200D👧",
		"", "\n", "a\x00", "\xff", "a\u2028b", strings.Repeat("字", 101),
	} {
		f.Add(s, uint8(MaxTitle))
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, maxRunes uint8) {
		got, err := Title(s, int(maxRunes))
		if err != nil {
			if got != "" || !isOneOf(err, ErrEmpty, ErrTooLong, ErrInvalidChar) {
				t.Fatalf("Title(%q) = %q, %v", s, got, err)
			}
			return
		}
		if got == "" || !utf8.ValidString(got) || utf8.RuneCountInString(got) > int(maxRunes) {
			t.Fatalf("Title(%q, %d) = %q: empty, invalid or too long", s, maxRunes, got)
		}
		first, _ := utf8.DecodeRuneInString(got)
		last, _ := utf8.DecodeLastRuneInString(got)
		if unicode.IsSpace(first) || unicode.IsSpace(last) {
			t.Fatalf("Title(%q) = %q: not trimmed", s, got)
		}
		for _, r := range got {
			if r == '\t' || isLineBreak(r) || unicode.IsControl(r) {
				t.Fatalf("Title(%q) = %q: has %U", s, got, r)
			}
		}
		if nonSpace(got) != nonSpace(s) {
			t.Fatalf("Title(%q) = %q: lost or changed a character", s, got)
		}
		if again, err := Title(got, int(maxRunes)); err != nil || again != got {
			t.Fatalf("Title(%q) = %q, then %q, %v", s, got, again, err)
		}
	})
}

// nonSpace is s without its space characters.
func nonSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
