package deploy

// Building the binary as the Dockerfile does: the go build line of the
// stage the image copies its program from, run with that stage's ARG and
// ENV values, in a copy of the build context made with .dockerignore's
// rules.

import (
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// buildLine is the Dockerfile's go build command.
type buildLine struct {
	line   int               // of the RUN
	argv   []string          // go build …, as sh would run it
	out    int               // index in argv of -o's value
	env    map[string]string // the stage's ARG and ENV values at the RUN
	output string            // the binary's path in the build stage
}

var goBuildRe = regexp.MustCompile(`\bgo\s+build\b`)

// goBuildLine finds the command that builds the program the image runs:
// the ENTRYPOINT's program is COPY --from a stage, and that stage has one
// RUN go build -o writing it. buildArgs are the --build-arg values, which
// count only for declared ARGs, as in docker build.
func goBuildLine(d *dockerfile, buildArgs map[string]string) (buildLine, error) {
	final := d.final()
	var program string
	for _, in := range final.instrs {
		if in.cmd == "ENTRYPOINT" {
			list, _, err := jsonArgs(in.args)
			if err != nil || len(list) == 0 {
				return buildLine{}, fmt.Errorf("%s:%d: ENTRYPOINT is not a JSON array", d.path, in.line)
			}
			program = list[0]
		}
	}
	if program == "" {
		return buildLine{}, fmt.Errorf("%s: the final stage has no ENTRYPOINT naming the program", d.path)
	}
	var from, source string
	for _, in := range final.instrs {
		stageName, ok := in.flags["from"]
		if in.cmd != "COPY" || !ok {
			continue
		}
		words := strings.Fields(in.args)
		if len(words) != 2 {
			continue
		}
		dest := words[1]
		if strings.HasSuffix(dest, "/") {
			dest += path.Base(words[0])
		}
		if dest == program {
			from, source = stageName, words[0]
		}
	}
	if from == "" {
		return buildLine{}, fmt.Errorf("%s: no COPY --from=STAGE SOURCE %s in the final stage: where does the program come from?", d.path, program)
	}
	s := d.stageNamed(from)
	if s == nil {
		return buildLine{}, fmt.Errorf("%s: COPY --from=%s: no such stage", d.path, from)
	}

	globals := d.globalArgValues()
	env := map[string]string{}
	declared := map[string]bool{}
	workdir, contextAt := "/", ""
	var found []buildLine
	for _, in := range s.instrs {
		switch in.cmd {
		case "ARG":
			pairs, err := argPairs(in, env, d.escape)
			if err != nil {
				return buildLine{}, fmt.Errorf("%s:%d: %w", d.path, in.line, err)
			}
			for _, p := range pairs {
				declared[p.name] = true
				if v, ok := buildArgs[p.name]; ok {
					env[p.name] = v
				} else if p.hasDefault {
					env[p.name] = p.value
				} else {
					env[p.name] = globals[p.name]
				}
			}
		case "ENV":
			pairs, err := envPairs(in, env, d.escape)
			if err != nil {
				return buildLine{}, fmt.Errorf("%s:%d: %w", d.path, in.line, err)
			}
			for _, p := range pairs {
				env[p[0]] = p[1]
			}
		case "WORKDIR":
			dir, err := expandDocker(in.args, env, d.escape)
			if err != nil {
				return buildLine{}, fmt.Errorf("%s:%d: %w", d.path, in.line, err)
			}
			workdir = path.Join(workdir, dir)
		case "COPY":
			words := strings.Fields(in.args)
			if _, fromStage := in.flags["from"]; !fromStage && len(words) == 2 && path.Clean(words[0]) == "." {
				contextAt = path.Join(workdir, words[1])
			}
		case "RUN":
			if !goBuildRe.MatchString(in.args) {
				continue
			}
			argv, isJSON, err := jsonArgs(in.args)
			if !isJSON {
				argv, err = lex(in.args, env, d.escape, true)
			}
			if err != nil {
				return buildLine{}, fmt.Errorf("%s:%d: the go build RUN: %w", d.path, in.line, err)
			}
			if len(argv) < 2 || argv[0] != "go" || argv[1] != "build" {
				return buildLine{}, fmt.Errorf("%s:%d: the RUN runs %q, not go build alone: make it a single command", d.path, in.line, strings.Join(argv, " "))
			}
			b := buildLine{line: in.line, out: -1, env: maps.Clone(env)}
			for _, a := range argv {
				if v, ok := strings.CutPrefix(a, "-o="); ok {
					b.argv = append(b.argv, "-o", v)
				} else {
					b.argv = append(b.argv, a)
				}
			}
			for i, a := range b.argv {
				if a == "-o" && i+1 < len(b.argv) {
					b.out = i + 1
				}
			}
			if b.out < 0 {
				return buildLine{}, fmt.Errorf("%s:%d: go build without -o", d.path, in.line)
			}
			b.output = path.Join(workdir, b.argv[b.out])
			if b.output != path.Join(workdir, source) {
				continue
			}
			if contextAt == "" || contextAt != workdir {
				return buildLine{}, fmt.Errorf("%s:%d: go build runs in %s, but the context (COPY . DIR) is not copied there", d.path, in.line, workdir)
			}
			found = append(found, b)
		}
	}
	for name := range buildArgs {
		if !declared[name] {
			return buildLine{}, fmt.Errorf("%s: stage %q declares no ARG %s: docker build --build-arg %s=… would be ignored", d.path, s.name, name, name)
		}
	}
	if len(found) != 1 {
		return buildLine{}, fmt.Errorf("%s: %d RUN go build -o %s in stage %q, one expected", d.path, len(found), source, s.name)
	}
	return found[0], nil
}

// ignorePattern is one line of .dockerignore.
type ignorePattern struct {
	re        *regexp.Regexp
	exception bool // !pattern: brings back what an earlier line left out
}

// readDockerignore reads the rules of root/.dockerignore, none when there
// is no such file.
func readDockerignore(root string) ([]ignorePattern, error) {
	data, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read .dockerignore: %w", err)
	}
	var patterns []ignorePattern
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := ignorePattern{}
		if strings.HasPrefix(line, "!") {
			p.exception, line = true, strings.TrimSpace(line[1:])
		}
		line = strings.TrimPrefix(path.Clean(filepath.ToSlash(line)), "/")
		re, err := patternRegexp(line)
		if err != nil {
			return nil, fmt.Errorf(".dockerignore %q: %w", line, err)
		}
		p.re = re
		patterns = append(patterns, p)
	}
	return patterns, nil
}

// patternRegexp turns a .dockerignore pattern into a regular expression,
// as Docker's patternmatcher does: * and ? stay within a path element, **
// spans any number of them.
func patternRegexp(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*' && strings.HasPrefix(p[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case c == '*' && strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[' || c == '\\':
			return nil, fmt.Errorf("character classes and escapes are not followed by this check")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// ignored tells whether the context leaves out rel (slash-separated,
// relative to the root): the last matching line decides, and a line
// matching a parent directory matches what is in it.
func ignored(patterns []ignorePattern, rel string) bool {
	out := false
	for _, p := range patterns {
		if p.exception != out {
			continue // an exception only matters once left out, and back
		}
		match := p.re.MatchString(rel)
		for dir := path.Dir(rel); !match && dir != "."; dir = path.Dir(dir) {
			match = p.re.MatchString(dir)
		}
		if match {
			out = !p.exception
		}
	}
	return out
}

// copyContext copies root to dst as docker build sends it: without what
// .dockerignore leaves out.
func copyContext(root, dst string) error {
	patterns, err := readDockerignore(root)
	if err != nil {
		return err
	}
	exceptions := false
	for _, p := range patterns {
		exceptions = exceptions || p.exception
	}
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return err
		}
		if ignored(patterns, filepath.ToSlash(rel)) {
			if e.IsDir() && !exceptions {
				return filepath.SkipDir
			}
			return nil // an exception may bring back something inside
		}
		target := filepath.Join(dst, rel)
		switch {
		case e.IsDir():
			return os.MkdirAll(target, 0o755)
		case e.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case e.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Close()
}
