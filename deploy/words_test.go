package deploy

// Words and variables: how docker build reads ENV, ARG and FROM, and how
// /bin/sh reads the go build line of a RUN. Only the part of sh a single
// command needs is followed; anything else is refused, so that the build
// deploy/check runs is never a guess at what sh would have run.

import (
	"fmt"
	"strings"
)

// lex splits s into words, removing quotes and substituting $NAME and
// ${NAME} (also ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word})
// from env. With sh false it reads as docker build does (escape is the
// Dockerfile's escape character); with sh true as /bin/sh -c would, and
// refuses operators, command substitution and globs.
func lex(s string, env map[string]string, escape rune, sh bool) ([]string, error) {
	if sh {
		escape = '\\'
	}
	var (
		words   []string
		cur     strings.Builder
		inWord  bool // cur holds a word, maybe empty ("")
		runes   = []rune(s)
		special = func(r rune) bool { return sh && strings.ContainsRune(";&|<>()`*?[", r) }
	)
	endWord := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			endWord()
		case r == escape:
			if i+1 < len(runes) {
				i++
				if runes[i] != '\n' {
					cur.WriteRune(runes[i])
					inWord = true
				}
			}
		case r == '\'':
			j := i + 1
			for j < len(runes) && runes[j] != '\'' {
				j++
			}
			if j == len(runes) {
				return nil, fmt.Errorf("unterminated ' in %q", s)
			}
			cur.WriteString(string(runes[i+1 : j]))
			i = j
			inWord = true
		case r == '"':
			inWord = true
			i++
			for ; i < len(runes) && runes[i] != '"'; i++ {
				switch {
				case runes[i] == escape && i+1 < len(runes) && (!sh || strings.ContainsRune("$`\"\\\n", runes[i+1])):
					i++
					if runes[i] != '\n' {
						cur.WriteRune(runes[i])
					}
				case runes[i] == '$':
					value, n, err := expandAt(runes[i:], env, escape, sh)
					if err != nil {
						return nil, err
					}
					cur.WriteString(value)
					i += n - 1
				case sh && runes[i] == '`':
					return nil, fmt.Errorf("command substitution (`) in %q: make it a single command", s)
				default:
					cur.WriteRune(runes[i])
				}
			}
			if i >= len(runes) {
				return nil, fmt.Errorf("unterminated \" in %q", s)
			}
		case r == '$':
			value, n, err := expandAt(runes[i:], env, escape, sh)
			if err != nil {
				return nil, err
			}
			i += n - 1
			if !sh {
				cur.WriteString(value)
				inWord = true
				break
			}
			// sh splits an unquoted expansion into fields at blanks.
			blank := func(b byte) bool { return b == ' ' || b == '\t' || b == '\n' }
			if value != "" && blank(value[0]) {
				endWord()
			}
			for j, field := range strings.Fields(value) {
				if j > 0 {
					endWord()
				}
				cur.WriteString(field)
				inWord = true
			}
			if value != "" && blank(value[len(value)-1]) {
				endWord()
			}
		case special(r):
			return nil, fmt.Errorf("%q uses %q, shell syntax this check does not follow: make it a single command", s, r)
		case sh && r == '#' && !inWord:
			return nil, fmt.Errorf("%q has a comment: make it a single command", s)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	endWord()
	return words, nil
}

// expandAt substitutes the variable reference at the start of r (which
// begins with $) and says how many runes it took. A $ not followed by a
// name is kept as it is, as both sh and docker build do.
func expandAt(r []rune, env map[string]string, escape rune, sh bool) (value string, n int, err error) {
	isName := func(c rune, first bool) bool {
		return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9'
	}
	if len(r) < 2 {
		return "$", 1, nil
	}
	switch {
	case isName(r[1], true):
		j := 2
		for j < len(r) && isName(r[j], false) {
			j++
		}
		return env[string(r[1:j])], j, nil
	case r[1] == '{':
		end := -1
		depth := 0
		for j := 2; j < len(r); j++ {
			if r[j] == '{' {
				depth++
			} else if r[j] == '}' {
				if depth == 0 {
					end = j
					break
				}
				depth--
			}
		}
		if end < 0 {
			return "", 0, fmt.Errorf("unterminated ${ in %q", string(r))
		}
		body := string(r[2:end])
		j := 0
		for j < len(body) && isName(rune(body[j]), j == 0) {
			j++
		}
		name, op := body[:j], body[j:]
		if name == "" {
			return "", 0, fmt.Errorf("${%s}: no variable name", body)
		}
		v, set := env[name]
		word := ""
		for _, o := range []string{":-", ":+", "-", "+"} {
			if strings.HasPrefix(op, o) {
				word, op = op[len(o):], o
				break
			}
		}
		if word != "" {
			words, err := lex(word, env, escape, false)
			if err != nil {
				return "", 0, err
			}
			word = strings.Join(words, " ")
		}
		switch op {
		case "":
		case ":-":
			if v == "" {
				v = word
			}
		case "-":
			if !set {
				v = word
			}
		case ":+":
			if v != "" {
				v = word
			}
		case "+":
			if set {
				v = word
			}
		default:
			return "", 0, fmt.Errorf("${%s}: only ${NAME}, ${NAME:-word} and ${NAME:+word} are followed", body)
		}
		return v, end + 1, nil
	case sh && r[1] == '(':
		return "", 0, fmt.Errorf("command substitution $( in %q: make it a single command", string(r))
	case sh && strings.ContainsRune("0123456789@*#?$!-", r[1]):
		return "", 0, fmt.Errorf("special parameter $%c: not followed", r[1])
	}
	return "$", 1, nil
}

// expandDocker substitutes variables in one word as docker build does.
func expandDocker(s string, env map[string]string, escape rune) (string, error) {
	words, err := lex(s, env, escape, false)
	return strings.Join(words, " "), err
}
