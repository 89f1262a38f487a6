package report

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxMessage is the longest text Telegram accepts in one message, counted
// in UTF-16 code units of the text as shown (after HTML entities are
// parsed): Chinese and Mongolian take one each, emoji two.
const MaxMessage = 4096

// paragraphBreak separates paragraphs within a message.
const paragraphBreak = "\n\n"

// HTML renders d as chat messages in Telegram's HTML, to be sent with
// parse_mode HTML: paragraphs separated by blank lines, the title first on
// its own, the title and headings bold, so that text copied from the chat
// is the report itself. Every paragraph is escaped: titles, places and
// notes are what users typed. Messages break between paragraphs; only a
// paragraph longer than a whole message is cut, at a sentence end if it
// has one, else between words, else between characters, and a cut heading
// is bold on both sides. Each message shows at most MaxMessage UTF-16 code
// units.
func HTML(d Document) []string {
	msgs := pack(chatParagraphs(d), MaxMessage)
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.html()
	}
	return out
}

// chatParagraph is a paragraph as a chat shows it.
type chatParagraph struct {
	text string // as shown: not escaped
	bold bool
}

// message is the paragraphs, or pieces of one, that one chat message holds.
type message []chatParagraph

// visible is the message's text as the user sees it.
func (m message) visible() string {
	parts := make([]string, len(m))
	for i, p := range m {
		parts[i] = p.text
	}
	return strings.Join(parts, paragraphBreak)
}

// html is the message in Telegram's HTML.
func (m message) html() string {
	var b strings.Builder
	for i, p := range m {
		if i > 0 {
			b.WriteString(paragraphBreak)
		}
		if p.bold {
			b.WriteString("<b>")
		}
		b.WriteString(html.EscapeString(p.text))
		if p.bold {
			b.WriteString("</b>")
		}
	}
	return b.String()
}

// chatParagraphs is each non-empty paragraph as it reads in a chat.
func chatParagraphs(d Document) []chatParagraph {
	out := make([]chatParagraph, 0, len(d.Paragraphs))
	for _, p := range d.Paragraphs {
		text := strings.TrimSpace(p.Text)
		if text == "" {
			continue
		}
		// Headings carry their own numbering (一、); in a chat, without
		// the document's fonts, bold is what makes them stand out.
		out = append(out, chatParagraph{text: text, bold: p.Kind != Body})
	}
	return out
}

// pack fills messages of at most limit UTF-16 units of visible text with
// whole paragraphs, cutting only a paragraph that alone is longer than
// limit.
func pack(paragraphs []chatParagraph, limit int) []message {
	var msgs []message
	var cur message
	curLen := 0
	flush := func() {
		if len(cur) > 0 {
			msgs = append(msgs, cur)
			cur, curLen = nil, 0
		}
	}
	sep := utf16Len(paragraphBreak)
	for _, p := range paragraphs {
		n := utf16Len(p.text)
		if curLen > 0 && curLen+sep+n <= limit {
			cur = append(cur, p)
			curLen += sep + n
			continue
		}
		flush()
		for n > limit {
			head, rest := cut(p.text, limit)
			msgs = append(msgs, message{{text: head, bold: p.bold}})
			p.text, n = rest, utf16Len(rest)
		}
		if p.text != "" {
			cur = message{p}
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
