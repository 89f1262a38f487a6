package bottest

import (
	"fmt"
	"html"
	"strings"
)

// This file approximates Telegram's parse_mode handling, because bots break
// on it in production: an unescaped "." in MarkdownV2 or a "<" in HTML makes
// Telegram refuse the whole message with "can't parse entities". The checks
// are deliberately conservative (they flag only what Telegram certainly
// rejects), so a message the fake accepts may still be refused by Telegram,
// but not the other way round. Entities are not computed: Message.Text and
// the message returned to the bot carry the visible text only.

// render checks text against parse_mode and returns the text the user sees.
func render(text, mode string) (string, *apiError) {
	var (
		visible string
		err     error
	)
	switch {
	case mode == "":
		return text, nil
	case strings.EqualFold(mode, "HTML"):
		visible, err = renderHTML(text)
	case strings.EqualFold(mode, "MarkdownV2"):
		visible, err = renderMarkdownV2(text)
	case strings.EqualFold(mode, "Markdown"):
		visible, err = renderMarkdown(text)
	default:
		return "", badRequest("unsupported parse_mode")
	}
	if err != nil {
		return "", badRequest("can't parse entities: %v", err)
	}
	return visible, nil
}

// renderHTML accepts Telegram's tags, properly nested; any other "<" fails.
func renderHTML(s string) (string, error) {
	allowed := map[string]bool{
		"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
		"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
		"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
	}
	var out strings.Builder
	var open []string
	for i := 0; i < len(s); {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			out.WriteString(s[i:])
			break
		}
		out.WriteString(s[i : i+lt])
		i += lt
		gt := strings.IndexByte(s[i:], '>')
		if gt < 0 {
			return "", fmt.Errorf("Unclosed start tag at byte offset %d", i)
		}
		tag := s[i+1 : i+gt]
		if name, ok := strings.CutPrefix(tag, "/"); ok {
			name = strings.ToLower(strings.TrimSpace(name))
			if len(open) == 0 {
				return "", fmt.Errorf("Unexpected end tag at byte offset %d", i)
			}
			if top := open[len(open)-1]; name != top {
				return "", fmt.Errorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top, name)
			}
			open = open[:len(open)-1]
		} else {
			name := strings.ToLower(tag)
			if j := strings.IndexAny(name, " \t\n/"); j >= 0 {
				name = name[:j]
			}
			if !allowed[name] {
				return "", fmt.Errorf("Unsupported start tag \"%s\" at byte offset %d", name, i)
			}
			if name == "span" && !strings.Contains(tag, "tg-spoiler") {
				return "", fmt.Errorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", i)
			}
			open = append(open, name)
		}
		i += gt + 1
	}
	if len(open) > 0 {
		return "", fmt.Errorf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return html.UnescapeString(out.String()), nil
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
