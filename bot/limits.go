package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's limits on what a bot sends, counted in UTF-16 code units after
// entities are parsed (the bot sends plain text). The adapter keeps every
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
