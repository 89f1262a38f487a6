package deploy

// The Dockerfile checker: what docker build would refuse, and what it would
// accept but get wrong (a malformed JSON CMD runs as a shell command, an
// image without a shell cannot run one).

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// instruction is one Dockerfile instruction, its continuation lines joined.
type instruction struct {
	line  int               // where it starts, from 1
	cmd   string            // upper case: FROM, RUN, …
	flags map[string]string // leading --name=value options
	args  string            // the rest, as written
}

// stage is one FROM and the instructions under it.
type stage struct {
	index  int
	name   string // after AS; empty when unnamed
	base   string // the image, ARGs substituted
	from   instruction
	instrs []instruction
}

// dockerfile is a parsed Dockerfile.
type dockerfile struct {
	path       string
	escape     rune
	globalArgs []instruction // ARGs before the first FROM
	stages     []*stage
}

// final is the stage the image is made of.
func (d *dockerfile) final() *stage { return d.stages[len(d.stages)-1] }

// stageNamed is the stage called name (or numbered so), or nil.
func (d *dockerfile) stageNamed(name string) *stage {
	for _, s := range d.stages {
		if s.name == name || strconv.Itoa(s.index) == name {
			return s
		}
	}
	return nil
}

// flagsAllowed are the options each instruction takes, empty for "none".
var flagsAllowed = map[string][]string{
	"FROM":        {"platform"},
	"RUN":         {"mount", "network", "security", "device"},
	"COPY":        {"from", "chown", "chmod", "link", "parents", "exclude"},
	"ADD":         {"chown", "chmod", "link", "keep-git-dir", "checksum", "exclude", "unpack"},
	"HEALTHCHECK": {"interval", "timeout", "start-period", "start-interval", "retries"},
	"ARG":         {}, "CMD": {}, "ENTRYPOINT": {}, "ENV": {}, "EXPOSE": {}, "LABEL": {},
	"MAINTAINER": {}, "ONBUILD": {}, "SHELL": {}, "STOPSIGNAL": {}, "USER": {}, "VOLUME": {}, "WORKDIR": {},
}

var (
	directiveRe = regexp.MustCompile(`^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$`)
	heredocRe   = regexp.MustCompile(`<<-?\s*["']?[A-Za-z_]`)
	stageNameRe = regexp.MustCompile(`^[a-z][a-z0-9._-]*$`)
	exposeRe    = regexp.MustCompile(`^[0-9]+(-[0-9]+)?(/(tcp|udp|sctp))?$`)
)

// parseDockerfile splits a Dockerfile into stages of instructions. Its
// errors are the ones docker build stops on (and heredocs, which it does
// not follow).
func parseDockerfile(path string, data []byte) (*dockerfile, []error) {
	d := &dockerfile{path: path, escape: '\\'}
	var errs []error
	fail := func(line int, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, a...)))
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	start := 0
	// Parser directives (# syntax=…, # escape=…) come only before anything
	// else, comments included.
	for ; start < len(lines); start++ {
		m := directiveRe.FindStringSubmatch(lines[start])
		if m == nil {
			break
		}
		if strings.EqualFold(m[1], "escape") {
			switch m[2] {
			case `\`, "`":
				d.escape = rune(m[2][0])
			default:
				fail(start+1, "escape directive %q: only \\ or ` may be the escape character", m[2])
			}
		}
	}
	continuation := regexp.MustCompile(regexp.QuoteMeta(string(d.escape)) + `[ \t]*$`)

	var cur strings.Builder
	curLine := 0
	continued := 0 // the line that ended in the escape character, while the next is awaited
	finish := func() {
		text := strings.TrimSpace(cur.String())
		cur.Reset()
		if text == "" {
			return
		}
		if in, err := parseInstruction(curLine, text); err != nil {
			fail(curLine, "%v", err)
		} else {
			d.add(in, fail)
		}
	}
	for i := start; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		// Comment lines are dropped, also inside a continued instruction;
		// so are empty lines there.
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if cur.Len() == 0 {
			curLine = i + 1
		}
		if loc := continuation.FindStringIndex(line); loc != nil {
			cur.WriteString(line[:loc[0]]) // joined as docker build joins them: with nothing between
			continued = i + 1
			continue
		}
		cur.WriteString(line)
		continued = 0
		finish()
	}
	if continued > 0 {
		fail(continued, "the file ends in a line continuation")
	}
	finish()
	if len(d.stages) == 0 && len(errs) == 0 {
		fail(1, "no FROM: a Dockerfile starts with FROM (only ARG may come before it)")
	}
	return d, errs
}

// parseInstruction splits one instruction into its name, options and
// arguments.
func parseInstruction(line int, text string) (instruction, error) {
	cmd, rest := firstWord(text)
	in := instruction{line: line, cmd: strings.ToUpper(cmd), flags: map[string]string{}}
	allowed, known := flagsAllowed[in.cmd]
	if !known {
		return in, fmt.Errorf("unknown instruction %q", cmd)
	}
	rest = strings.TrimSpace(rest)
	for strings.HasPrefix(rest, "--") {
		word, after := firstWord(rest)
		name, value, _ := strings.Cut(strings.TrimPrefix(word, "--"), "=")
		if !slices.Contains(allowed, name) {
			return in, fmt.Errorf("%s has no option --%s", in.cmd, name)
		}
		if _, twice := in.flags[name]; twice && name != "mount" {
			return in, fmt.Errorf("%s --%s given twice", in.cmd, name)
		}
		in.flags[name] = value
		rest = strings.TrimSpace(after)
	}
	in.args = rest
	if in.args == "" {
		return in, fmt.Errorf("%s without arguments", in.cmd)
	}
	if (in.cmd == "RUN" || in.cmd == "COPY" || in.cmd == "ADD") && heredocRe.MatchString(in.args) {
		return in, fmt.Errorf("%s uses a heredoc, which this check does not follow", in.cmd)
	}
	return in, nil
}

// add puts an instruction in its stage.
func (d *dockerfile) add(in instruction, fail func(int, string, ...any)) {
	if in.cmd == "FROM" {
		s := &stage{index: len(d.stages), from: in}
		words := strings.Fields(in.args)
		switch {
		case len(words) == 3 && strings.EqualFold(words[1], "AS"):
			s.name = words[2]
			if !stageNameRe.MatchString(s.name) {
				fail(in.line, "stage name %q: lower-case letters, digits, . _ - and a letter first", s.name)
			}
			if d.stageNamed(s.name) != nil {
				fail(in.line, "stage name %q used twice", s.name)
			}
		case len(words) != 1:
			fail(in.line, "FROM takes an image and optionally AS name, not %q", in.args)
		}
		base, err := expandDocker(words[0], d.globalArgValues(), d.escape)
		if err != nil || base == "" {
			fail(in.line, "FROM %s: no image after substituting the ARGs before FROM", words[0])
		}
		s.base = base
		d.stages = append(d.stages, s)
		return
	}
	if len(d.stages) == 0 {
		if in.cmd != "ARG" {
			fail(in.line, "%s before the first FROM (only ARG may come before it)", in.cmd)
			return
		}
		d.globalArgs = append(d.globalArgs, in)
		return
	}
	s := d.stages[len(d.stages)-1]
	s.instrs = append(s.instrs, in)
}

// globalArgValues are the defaults of the ARGs before the first FROM.
func (d *dockerfile) globalArgValues() map[string]string {
	vals := map[string]string{}
	for _, in := range d.globalArgs {
		pairs, _ := argPairs(in, vals, d.escape)
		for _, p := range pairs {
			if p.hasDefault {
				vals[p.name] = p.value
			}
		}
	}
	return vals
}

// argPair is one name[=default] of an ARG.
type argPair struct {
	name, value string
	hasDefault  bool
}

var varNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// argPairs reads the names and defaults an ARG declares.
func argPairs(in instruction, env map[string]string, escape rune) ([]argPair, error) {
	words, err := lex(in.args, env, escape, false)
	if err != nil {
		return nil, err
	}
	var pairs []argPair
	for _, w := range words {
		name, value, has := strings.Cut(w, "=")
		if !varNameRe.MatchString(name) {
			return nil, fmt.Errorf("ARG %q: not a variable name", name)
		}
		pairs = append(pairs, argPair{name, value, has})
	}
	return pairs, nil
}

// envPairs reads the variables an ENV sets: KEY=value ..., or the old
// KEY value form.
func envPairs(in instruction, env map[string]string, escape rune) ([][2]string, error) {
	words, err := lex(in.args, env, escape, false)
	if err != nil {
		return nil, err
	}
	if len(words) > 0 && !strings.Contains(words[0], "=") {
		if len(words) < 2 {
			return nil, fmt.Errorf("ENV %s: no value", words[0])
		}
		return [][2]string{{words[0], strings.Join(words[1:], " ")}}, nil
	}
	var pairs [][2]string
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok || !varNameRe.MatchString(k) {
			return nil, fmt.Errorf("ENV %q: KEY=value expected", w)
		}
		pairs = append(pairs, [2]string{k, v})
	}
	return pairs, nil
}

// jsonArgs is the argument list of an exec-form instruction (["a", "b"]);
// isJSON is false for the shell form.
func jsonArgs(args string) (list []string, isJSON bool, err error) {
	if !strings.HasPrefix(strings.TrimSpace(args), "[") {
		return nil, false, nil
	}
	if err := json.Unmarshal([]byte(args), &list); err != nil {
		// docker build would take this as a shell command, quietly.
		return nil, true, fmt.Errorf("starts with [ but is not a JSON array of strings (%v): docker would run it as a shell command", err)
	}
	if len(list) == 0 {
		return nil, true, fmt.Errorf("empty JSON array")
	}
	return list, true, nil
}

// checkDockerfile parses and checks a Dockerfile; each error names the
// line. data is the file's content.
func checkDockerfile(path string, data []byte) (*dockerfile, []error) {
	d, errs := parseDockerfile(path, data)
	if len(d.stages) == 0 {
		return d, errs
	}
	fail := func(line int, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, a...)))
	}
	for _, in := range d.globalArgs {
		if _, err := argPairs(in, nil, d.escape); err != nil {
			fail(in.line, "%v", err)
		}
	}
	final := d.final()
	// distroless and scratch have no /bin/sh: a shell-form command cannot run.
	noShell := final.base == "scratch" || strings.Contains(final.base, "distroless")
	for _, s := range d.stages {
		env := map[string]string{}
		for _, in := range s.instrs {
			switch in.cmd {
			case "ARG":
				pairs, err := argPairs(in, env, d.escape)
				if err != nil {
					fail(in.line, "%v", err)
				}
				for _, p := range pairs {
					env[p.name] = p.value
				}
			case "ENV":
				pairs, err := envPairs(in, env, d.escape)
				if err != nil {
					fail(in.line, "%v", err)
				}
				for _, p := range pairs {
					env[p[0]] = p[1]
				}
			case "CMD", "ENTRYPOINT", "RUN", "SHELL", "VOLUME":
				_, isJSON, err := jsonArgs(in.args)
				switch {
				case err != nil:
					fail(in.line, "%s %v", in.cmd, err)
				case in.cmd == "SHELL" && !isJSON:
					fail(in.line, "SHELL takes a JSON array")
				case s == final && noShell && !isJSON && in.cmd != "VOLUME":
					fail(in.line, "%s in shell form, but %s has no shell: write it as a JSON array", in.cmd, final.base)
				}
			case "COPY", "ADD":
				if from, ok := in.flags["from"]; ok {
					src := d.stageNamed(from)
					switch {
					case from == "":
						fail(in.line, "COPY --from without a stage")
					case src == s:
						fail(in.line, "COPY --from=%s copies from its own stage", from)
					case src == nil && !strings.ContainsAny(from, ":/"):
						fail(in.line, "COPY --from=%s: no stage of that name before this line", from)
					case src != nil && src.index > s.index:
						fail(in.line, "COPY --from=%s: that stage comes later", from)
					}
				}
				if len(strings.Fields(in.args)) < 2 {
					if _, isJSON, _ := jsonArgs(in.args); !isJSON {
						fail(in.line, "%s needs a source and a destination", in.cmd)
					}
				}
			case "HEALTHCHECK":
				checkHealthcheck(in, s == final && noShell, final.base, fail)
			case "STOPSIGNAL":
				if !validSignal(in.args) {
					fail(in.line, "STOPSIGNAL %q is not a signal", in.args)
				}
			case "EXPOSE":
				for _, p := range strings.Fields(in.args) {
					if !exposeRe.MatchString(p) {
						fail(in.line, "EXPOSE %q is not port[/tcp|udp]", p)
					}
				}
			case "ONBUILD":
				inner, err := parseInstruction(in.line, in.args)
				if err != nil {
					fail(in.line, "ONBUILD: %v", err)
				} else if inner.cmd == "ONBUILD" || inner.cmd == "FROM" || inner.cmd == "MAINTAINER" {
					fail(in.line, "ONBUILD %s is not allowed", inner.cmd)
				}
			}
		}
	}
	user := ""
	userLine := final.from.line
	for _, in := range final.instrs {
		if in.cmd == "USER" {
			user, userLine = in.args, in.line
		}
	}
	name, _, _ := strings.Cut(user, ":")
	switch name {
	case "":
		fail(userLine, "the final stage has no USER: the bot would run as whatever the base image says, root for most")
	case "root", "0":
		fail(userLine, "the final stage runs as root (USER %s)", user)
	}
	return d, errs
}

// checkHealthcheck checks HEALTHCHECK's options and command.
func checkHealthcheck(in instruction, needJSON bool, base string, fail func(int, string, ...any)) {
	if strings.EqualFold(in.args, "NONE") {
		return
	}
	for _, name := range []string{"interval", "timeout", "start-period", "start-interval"} {
		if v, ok := in.flags[name]; ok {
			if d, err := time.ParseDuration(v); err != nil || d <= 0 {
				fail(in.line, "HEALTHCHECK --%s=%s is not a duration like 30s", name, v)
			}
		}
	}
	if v, ok := in.flags["retries"]; ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			fail(in.line, "HEALTHCHECK --retries=%s is not a positive number", v)
		}
	}
	word, cmd := firstWord(in.args)
	if !strings.EqualFold(word, "CMD") || strings.TrimSpace(cmd) == "" {
		fail(in.line, "HEALTHCHECK takes NONE or [options] CMD command")
		return
	}
	_, isJSON, err := jsonArgs(cmd)
	switch {
	case err != nil:
		fail(in.line, "HEALTHCHECK CMD %v", err)
	case needJSON && !isJSON:
		fail(in.line, "HEALTHCHECK CMD in shell form, but %s has no shell: write it as a JSON array", base)
	}
}

// validSignal tells a STOPSIGNAL value Docker accepts.
func validSignal(s string) bool {
	if n, err := strconv.Atoi(s); err == nil {
		return n > 0 && n < 65
	}
	switch strings.TrimPrefix(strings.ToUpper(s), "SIG") {
	case "HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM", "STOP", "PWR", "WINCH":
		return true
	}
	return strings.HasPrefix(strings.ToUpper(s), "SIGRTMIN") || strings.HasPrefix(strings.ToUpper(s), "SIGRTMAX")
}

// firstWord splits s at its first blank.
func firstWord(s string) (word, rest string) {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// readDockerfile reads and checks the Dockerfile at path.
func readDockerfile(path string) (*dockerfile, []error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, []error{fmt.Errorf("read Dockerfile: %w", err)}
	}
	return checkDockerfile(path, data)
}
