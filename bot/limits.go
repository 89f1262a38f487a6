package bot

import (
	"html"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's limits on what a bot sends, counted in UTF-16 code units after
// entities are parsed (of the text as shown: the report's HTML tags take
// no room). The adapter keeps every
// message inside them, so that no flow can produce one that Telegram would
// refuse and the user would never see.
const (
	maxText    = 4096 // a message's text
	maxCaption = 1024 // a photo's or document's caption
	// maxButtonData is the most bytes of callback data a button carries.
	maxButtonData = 64
)

// utf16Len is the length of s as Telegram counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// splitText cuts s into parts of at most limit UTF-16 units each, at line
// breaks where it can: a part ends before a newline, which is dropped. A
// single line longer than limit is cut at its last space within the limit,
// or else between two characters.
func splitText(s string, limit int) []string {
	if utf16Len(s) <= limit {
		return []string{s}
	}
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if strings.TrimSpace(cur.String()) != "" {
			parts = append(parts, cur.String())
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.Split(s, "\n") {
		n := utf16Len(line)
		switch {
		case curLen > 0 && curLen+1+n <= limit:
			cur.WriteByte('\n')
			cur.WriteString(line)
			curLen += 1 + n
		case n <= limit:
			flush()
			cur.WriteString(line)
			curLen = n
		default:
			flush()
			for _, piece := range cutLine(line, limit) {
				parts = append(parts, piece)
			}
		}
	}
	flush()
	return parts
}

// cutLine cuts one over-long line into pieces of at most limit units,
// preferring to cut after a space.
func cutLine(line string, limit int) []string {
	var out []string
	for utf16Len(line) > limit {
		end, units, lastSpace := 0, 0, -1
		for i, r := range line {
			w := utf16.RuneLen(r)
			if units+w > limit {
				break
			}
			units += w
			end = i + utf8.RuneLen(r)
			if r == ' ' {
				lastSpace = end
			}
		}
		if end < len(line) && line[end] != ' ' && lastSpace > 0 {
			end = lastSpace // else the cut falls before a space already
		}
		out = append(out, strings.TrimRight(line[:end], " "))
		line = strings.TrimLeft(line[end:], " ")
	}
	if strings.TrimSpace(line) != "" {
		out = append(out, line)
	}
	return out
}

// fitCaption returns caption if it fits under a photo, and otherwise no
// caption and the text to send as messages after it.
func fitCaption(caption string) (fits, overflow string) {
	if utf16Len(caption) <= maxCaption {
		return caption, ""
	}
	return "", caption
}

// htmlToken is a piece of Telegram HTML that a cut cannot go through: a
// tag, an entity (&amp;) or one character of text.
type htmlToken struct {
	raw   string
	width int    // UTF-16 units shown: 0 for a tag
	tag   string // a tag's name, lower case; "" for text
	end   bool   // an end tag (</b>)
}

// htmlTokens splits Telegram HTML into tokens. A "<" without its ">" or an
// "&" that starts no entity is text, as the bot never sends them (text is
// escaped); Telegram would refuse them whatever the split.
func htmlTokens(s string) []htmlToken {
	var toks []htmlToken
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if gt := strings.IndexByte(s[i:], '>'); gt > 0 {
				raw := s[i : i+gt+1]
				name, end := strings.CutPrefix(raw[1:len(raw)-1], "/")
				if j := strings.IndexAny(name, " \t\n/"); j >= 0 {
					name = name[:j]
				}
				toks = append(toks, htmlToken{raw: raw, tag: strings.ToLower(name), end: end})
				i += gt + 1
				continue
			}
		case '&':
			if semi := strings.IndexByte(s[i:], ';'); semi > 1 && semi <= 10 && isEntityName(s[i+1:i+semi]) {
				raw := s[i : i+semi+1]
				toks = append(toks, htmlToken{raw: raw, width: utf16Len(html.UnescapeString(raw))})
				i += semi + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		toks = append(toks, htmlToken{raw: s[i : i+size], width: utf16.RuneLen(r)})
		i += size
	}
	return toks
}

func isEntityName(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '#') {
			return false
		}
	}
	return true
}

// splitHTML is splitText for a text in Telegram HTML, whose limit counts
// the text as shown: tags take no room and an entity counts as the
// character it stands for. It cuts at line breaks where it can, else at a
// space, else between two characters, never inside a tag or an entity;
// the tags open at a cut are closed at the end of the part and opened
// again at the start of the next, so each part is balanced on its own and
// every character keeps its formatting.
func splitHTML(s string, limit int) []string {
	toks := htmlTokens(s)
	total := 0
	for _, t := range toks {
		total += t.width
	}
	if total <= limit {
		return []string{s}
	}
	// open[i] is the start tags in force before token i.
	open := make([][]htmlToken, len(toks)+1)
	var stack []htmlToken
	for i, t := range toks {
		open[i] = stack
		switch {
		case t.tag != "" && !t.end:
			stack = append(slices.Clip(stack), t)
		case t.tag != "" && len(stack) > 0 && stack[len(stack)-1].tag == t.tag:
			stack = slices.Clip(stack[:len(stack)-1])
		}
	}
	open[len(toks)] = stack

	var parts []string
	for start := 0; start < len(toks); {
		end, next := htmlCut(toks, start, limit)
		// Blank lines and spaces at either end of a part are dropped, as
		// splitText drops them; the tags among them stay.
		body := slices.Clone(toks[start:end])
		first := slices.IndexFunc(body, func(t htmlToken) bool { return t.tag == "" && !isBlank(t) })
		if first < 0 {
			start = next
			continue // nothing to show
		}
		last := len(body) - 1
		for isBlank(body[last]) || body[last].tag != "" {
			last--
		}
		body = slices.Concat(
			slices.DeleteFunc(slices.Clone(body[:first]), isBlank), body[first:last+1],
			slices.DeleteFunc(slices.Clone(body[last+1:]), isBlank))
		var b strings.Builder
		for _, t := range open[start] {
			b.WriteString(t.raw)
		}
		for _, t := range body {
			b.WriteString(t.raw)
		}
		for i := len(open[end]) - 1; i >= 0; i-- {
			b.WriteString("</" + open[end][i].tag + ">")
		}
		parts = append(parts, b.String())
		start = next
	}
	return parts
}

// isBlank reports whether t is a space or line break of text.
func isBlank(t htmlToken) bool { return t.tag == "" && strings.TrimSpace(t.raw) == "" }

// htmlCut finds where the part that starts at token start ends: the tokens
// start to end belong to it, and the next part starts at next (a line
// break or space cut at is dropped).
func htmlCut(toks []htmlToken, start, limit int) (end, next int) {
	units, newline, space := 0, -1, -1
	for i := start; i < len(toks); i++ {
		t := toks[i]
		if units+t.width > limit {
			switch {
			case newline > start:
				return newline, newline + 1
			case space > start:
				return space, space + 1
			}
			// Between two characters: start tags just before the cut go
			// with the text they open.
			end = i
			for end > start && toks[end-1].tag != "" && !toks[end-1].end {
				end--
			}
			if end == start { // one character wider than the limit
				end = i + 1
			}
			return end, end
		}
		units += t.width
		switch t.raw {
		case "\n":
			newline = i
		case " ":
			space = i
		}
	}
	return len(toks), len(toks)
}
