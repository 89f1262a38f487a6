package bottest

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/go-telegram/bot/models"
)

// This file approximates Telegram's parse_mode handling, because bots break
// on it in production: an unescaped "." in MarkdownV2 or a "<" in HTML makes
// Telegram refuse the whole message with "can't parse entities". The checks
// are deliberately conservative (they flag only what Telegram certainly
// rejects), so a message the fake accepts may still be refused by Telegram,
// but not the other way round. Message.Text and the message returned to the
// bot carry the visible text; entities are computed for HTML only (the
// message's Entities, offsets and lengths in UTF-16 units as Telegram's).

// render checks text against parse_mode and returns the text the user sees
// and, for HTML, its formatting entities.
func render(text, mode string) (string, []models.MessageEntity, *apiError) {
	var (
		visible  string
		entities []models.MessageEntity
		err      error
	)
	switch {
	case mode == "":
		return text, nil, nil
	case strings.EqualFold(mode, "HTML"):
		visible, entities, err = renderHTML(text)
	case strings.EqualFold(mode, "MarkdownV2"):
		visible, err = renderMarkdownV2(text)
	case strings.EqualFold(mode, "Markdown"):
		visible, err = renderMarkdown(text)
	default:
		return "", nil, badRequest("unsupported parse_mode")
	}
	if err != nil {
		return "", nil, badRequest("can't parse entities: %v", err)
	}
	return visible, entities, nil
}

// htmlEntityTypes are the entities Telegram's HTML tags make.
var htmlEntityTypes = map[string]models.MessageEntityType{
	"b": models.MessageEntityTypeBold, "strong": models.MessageEntityTypeBold,
	"i": models.MessageEntityTypeItalic, "em": models.MessageEntityTypeItalic,
	"u": models.MessageEntityTypeUnderline, "ins": models.MessageEntityTypeUnderline,
	"s": models.MessageEntityTypeStrikethrough, "strike": models.MessageEntityTypeStrikethrough, "del": models.MessageEntityTypeStrikethrough,
	"span": models.MessageEntityTypeSpoiler, "tg-spoiler": models.MessageEntityTypeSpoiler,
	"a": models.MessageEntityTypeTextLink, "code": models.MessageEntityTypeCode, "pre": models.MessageEntityTypePre,
	"blockquote": models.MessageEntityTypeBlockquote, "tg-emoji": models.MessageEntityTypeCustomEmoji,
}

// renderHTML accepts Telegram's tags, properly nested; any other "<" fails.
// It returns the visible text and an entity for each non-empty element,
// ordered by offset, an outer element before the inner ones.
func renderHTML(s string) (string, []models.MessageEntity, error) {
	allowed := map[string]bool{
		"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
		"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
		"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
	}
	type element struct {
		name, tag string
		offset    int // UTF-16 units of visible text before it
	}
	var out strings.Builder
	var open []element
	var entities []models.MessageEntity
	units := 0
	text := func(raw string) {
		// Entities stand within text, never across a tag.
		v := html.UnescapeString(raw)
		out.WriteString(v)
		units += utf16Len(v)
	}
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			text(s[i:])
			break
		}
		text(s[i : i+lt])
		i += lt
		gt := strings.IndexByte(s[i:], '>')
		if gt < 0 {
			return "", nil, fmt.Errorf("Unclosed start tag at byte offset %d", i)
		}
		tag := s[i+1 : i+gt]
		if name, ok := strings.CutPrefix(tag, "/"); ok {
			name = strings.ToLower(strings.TrimSpace(name))
			if len(open) == 0 {
				return "", nil, fmt.Errorf("Unexpected end tag at byte offset %d", i)
			}
			top := open[len(open)-1]
			if name != top.name {
				return "", nil, fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
			}
			open = open[:len(open)-1]
			if units > top.offset {
				e := models.MessageEntity{Type: htmlEntityTypes[name], Offset: top.offset, Length: units - top.offset}
				if name == "a" {
					e.URL = attribute(top.tag, "href")
				}
				entities = append(entities, e)
			}
		} else {
			name := strings.ToLower(tag)
			if j := strings.IndexAny(name, " \t\n/"); j >= 0 {
				name = name[:j]
			}
			if !allowed[name] {
				return "", nil, fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
			}
			if name == "span" && !strings.Contains(tag, "tg-spoiler") {
				return "", nil, fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
			}
			open = append(open, element{name: name, tag: tag, offset: units})
		}
		i += gt + 1
	}
	if len(open) > 0 {
		return "", nil, fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1].name)
	}
	sort.SliceStable(entities, func(i, j int) bool {
		if entities[i].Offset != entities[j].Offset {
			return entities[i].Offset < entities[j].Offset
		}
		return entities[i].Length > entities[j].Length
	})
	return out.String(), entities, nil
}

// attribute is the value of attribute name in the inside of a start tag
// (a href="…"), unescaped.
func attribute(tag, name string) string {
	_, rest, ok := strings.Cut(tag, name+"=")
	if !ok || rest == "" {
		return ""
	}
	if q := rest[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(rest[1:], q); end >= 0 {
			return html.UnescapeString(rest[1 : 1+end])
		}
		return ""
	}
	if end := strings.IndexAny(rest, " \t\n"); end >= 0 {
		rest = rest[:end]
	}
	return html.UnescapeString(rest)
}

// renderMarkdownV2 flags reserved characters that are not escaped and
// entities that are not closed; "[", "]" not forming a link pass.
func renderMarkdownV2(s string) (string, error) {
	reserved := func(c byte) error {
		return fmt.Errorf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
	}
	var out strings.Builder
	count := map[byte]int{}  // entity delimiters: '*', '_', '~', '|' (for "||")
	opened := map[byte]int{} // byte offset of the last delimiter, for errors
	lineStart, expandable := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) {
				i++
				out.WriteByte(s[i])
			}
		case '`':
			delim := "`"
			if strings.HasPrefix(s[i:], "```") {
				delim = "```"
			}
			end := closing(s, i+len(delim), delim)
			if end < 0 {
				kind := map[string]string{"`": "Code", "```": "Pre"}[delim]
				return "", fmt.Errorf("Can't find end of %s entity at byte offset %d", kind, i)
			}
			body := s[i+len(delim) : end]
			if delim == "```" {
				// The first line names the language if it is a single word.
				if nl := strings.IndexByte(body, '\n'); nl >= 0 && !strings.ContainsAny(body[:nl], " \t") {
					body = body[nl+1:]
				}
			}
			out.WriteString(unescape(body))
			i = end + len(delim) - 1
		case '[':
			// Link text follows; the brackets of a link are not shown.
			if end := closing(s, i+1, "]"); end < 0 || end+1 >= len(s) || s[end+1] != '(' {
				out.WriteByte(c)
			}
		case ']':
			if i+1 < len(s) && s[i+1] == '(' {
				end := closing(s, i+2, ")")
				if end < 0 {
					return "", fmt.Errorf("Can't find end of a URL at byte offset %d", i+1)
				}
				i = end
			} else {
				out.WriteByte(c)
			}
		case '(', ')':
			return "", reserved(c)
		case '>':
			switch s[lineStart:i] {
			case "":
			case "**":
				expandable = true
			default:
				return "", reserved(c)
			}
		case '#', '+', '-', '=', '{', '}', '.':
			return "", reserved(c)
		case '!':
			if i+1 >= len(s) || s[i+1] != '[' { // "![emoji](tg://emoji?id=...)"
				return "", reserved(c)
			}
		case '*', '_', '~':
			count[c]++
			opened[c] = i
		case '|':
			if i+1 >= len(s) || s[i+1] != '|' {
				return "", reserved(c)
			}
			i++
			// "||" at the end of an expandable block quote closes the quote.
			if expandable && (i+1 == len(s) || s[i+1] == '\n') {
				expandable = false
				break
			}
			count['|']++
			opened['|'] = i - 1
		default:
			out.WriteByte(c)
		}
		if c == '\n' {
			lineStart = i + 1
		}
	}
	for _, d := range []struct {
		c    byte
		name string
	}{{'*', "Bold"}, {'_', "Italic"}, {'~', "Strikethrough"}, {'|', "Spoiler"}} {
		if count[d.c]%2 != 0 {
			return "", fmt.Errorf("Can't find end of %s entity at byte offset %d", d.name, opened[d.c])
		}
	}
	return out.String(), nil
}

// renderMarkdown is legacy Markdown: *bold*, _italic_, `code`, [text](url),
// and every entity must be closed.
func renderMarkdown(s string) (string, error) {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && strings.IndexByte("_*`[", s[i+1]) >= 0 {
				i++
			}
			out.WriteByte(s[i])
		case '*', '_', '`':
			delim := string(c)
			if strings.HasPrefix(s[i:], "```") {
				delim = "```"
			}
			end := strings.Index(s[i+len(delim):], delim)
			if end < 0 {
				return "", fmt.Errorf("Can't find end of the entity starting at byte offset %d", i)
			}
			out.WriteString(s[i+len(delim) : i+len(delim)+end])
			i += len(delim) + end + len(delim) - 1
		case '[':
			text, rest, ok := strings.Cut(s[i+1:], "](")
			url, _, ok2 := strings.Cut(rest, ")")
			if !ok || !ok2 || strings.Contains(text, "]") {
				out.WriteByte(c)
				continue
			}
			out.WriteString(text)
			i += 1 + len(text) + 2 + len(url)
		default:
			out.WriteByte(c)
		}
	}
	return out.String(), nil
}

// closing finds delim in s from index from, skipping backslash escapes.
func closing(s string, from int, delim string) int {
	for i := from; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], delim) {
			return i
		}
	}
	return -1
}

// unescape drops backslash escapes (inside code, only "`" and "\" are
// escaped, but any escaped character stands for itself).
func unescape(s string) string {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		out.WriteByte(s[i])
	}
	return out.String()
}
