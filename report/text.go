package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMessage is the longest text Telegram accepts in one message, counted
// in UTF-16 code units: Chinese and Mongolian take one each, emoji two.
const MaxMessage = 4096

// paragraphBreak separates paragraphs within a message.
const paragraphBreak = "\n\n"

// Text renders d as plain-text chat messages, to be sent without a parse
// mode (no HTML or Markdown): paragraphs separated by blank lines, the
// title first on its own, a mark before each main heading. Messages break
// between paragraphs; only a paragraph longer than a whole message is cut,
// at a sentence end if it has one, else between words, else between
// characters. Each message is at most MaxMessage UTF-16 code units.
func Text(d Document) []string {
	return pack(chatParagraphs(d), MaxMessage)
}

// chatParagraphs is each non-empty paragraph as it reads in a chat.
func chatParagraphs(d Document) []string {
	out := make([]string, 0, len(d.Paragraphs))
	for _, p := range d.Paragraphs {
		text := strings.TrimSpace(p.Text)
		if text == "" {
			continue
		}
		if p.Kind == Heading1 {
			// Headings carry their own numbering (一、); in a chat,
			// without fonts, the mark is what makes them stand out.
			text = "■ " + text
		}
		out = append(out, text)
	}
	return out
}

// pack fills messages of at most limit UTF-16 units with whole paragraphs,
// cutting only a paragraph that alone is longer than limit.
func pack(paragraphs []string, limit int) []string {
	var msgs []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if cur.Len() > 0 {
			msgs = append(msgs, cur.String())
			cur.Reset()
			curLen = 0
		}
	}
	sep := utf16Len(paragraphBreak)
	for _, p := range paragraphs {
		n := utf16Len(p)
		if curLen > 0 && curLen+sep+n <= limit {
			cur.WriteString(paragraphBreak)
			cur.WriteString(p)
			curLen += sep + n
			continue
		}
		flush()
		for n > limit {
			head, rest := cut(p, limit)
			msgs = append(msgs, head)
			p, n = rest, utf16Len(rest)
		}
		if p != "" {
			cur.WriteString(p)
			curLen = n
		}
	}
	flush()
	return msgs
}

// cut splits s, which is longer than limit UTF-16 units, into a head of at
// most limit units and the rest. It cuts after the last sentence end or
// line break that fits, else at the last space, else between the last two
// characters that may be parted; the spaces at the cut are dropped.
func cut(s string, limit int) (head, rest string) {
	sentence, space, char := 0, 0, 0 // byte offsets of candidate cuts
	units := 0
	for i, r := range s {
		if i > 0 && canPart(s, i) {
			char = i
		}
		units += utf16RuneLen(r)
		if units > limit {
			break
		}
		end := i + utf8.RuneLen(r)
		switch {
		case r == '\n' || isSentenceEnd(r):
			sentence = end
		case r == ' ' || r == '\t':
			space = i
		}
	}
	at := sentence
	if at == 0 {
		at = space
	}
	if at == 0 {
		at = char
	}
	if at == 0 {
		// Nothing may be parted within limit (a pathological run of
		// joiners): part at any rune boundary rather than overflow.
		at = lastBoundary(s, limit)
	}
	return strings.TrimRight(s[:at], " \t\n"), strings.TrimLeft(s[at:], " \t\n")
}

// canPart reports whether s may be cut before byte i without breaking a
// written unit: a Mongolian word from its suffix (U+202F), a letter from
// its variation selector or separated final vowel (U+180B–U+180F), a
// combining mark or joiner from what it attaches to.
func canPart(s string, i int) bool {
	next, _ := utf8.DecodeRuneInString(s[i:])
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	return !binds(next) && !binds(prev)
}

func binds(r rune) bool {
	switch {
	case r >= 0x180B && r <= 0x180F, r == 0x202F, r == 0x200C, r == 0x200D, r == 0xFE0F:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

// lastBoundary is the byte offset of the last rune boundary within limit
// UTF-16 units (at least one rune, so progress is always made).
func lastBoundary(s string, limit int) int {
	units := 0
	for i, r := range s {
		units += utf16RuneLen(r)
		if units > limit {
			if i == 0 {
				return utf8.RuneLen(r)
			}
			return i
		}
	}
	return len(s)
}

// utf16Len is the length of s in UTF-16 code units, as Telegram counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16RuneLen(r)
	}
	return n
}

func utf16RuneLen(r rune) int {
	if r >= 0x10000 {
		return 2 // a surrogate pair
	}
	return 1
}
