package deploy

import (
	"bufio"
	"context"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// composeFiles are the compose files deploy/ ships.
var composeFiles = []string{"docker-compose.yml", "docker-compose.bot.yml"}

func TestDockerfile(t *testing.T) {
	d, errs := readDockerfile("Dockerfile")
	for _, err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	// The golang image sets GOTOOLCHAIN=local: a builder older than go.mod's
	// go line cannot build the module.
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go ([0-9.]+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	for _, s := range d.stages {
		image, tag, _ := strings.Cut(s.base, ":")
		if image != "golang" {
			continue
		}
		tag, _, _ = strings.Cut(tag, "-") // 1.26-bookworm
		if !versionAtLeast(tag, string(m[1])) {
			t.Errorf("%s:%d: the builder is golang:%s, but go.mod asks for go %s", d.path, s.from.line, tag, m[1])
		}
	}
}

// versionAtLeast tells whether the image tag (1.26 or 1.26.8) provides
// Go version want; a tag without a patch number is the newest patch.
func versionAtLeast(tag, want string) bool {
	t, w := strings.Split(tag, "."), strings.Split(want, ".")
	for i := range w {
		if i >= len(t) {
			return true
		}
		a, errA := strconv.Atoi(t[i])
		b, errB := strconv.Atoi(w[i])
		if errA != nil || errB != nil {
			return false
		}
		if a != b {
			return a > b
		}
	}
	return true
}

func TestComposeFiles(t *testing.T) {
	for _, f := range composeFiles {
		for _, err := range readCompose(f) {
			t.Error(err)
		}
	}
}

// TestBrokenFilesRefused feeds the checkers files with known faults: each
// "# want: text" line of a file names an error it must be refused with.
func TestBrokenFilesRefused(t *testing.T) {
	files, err := filepath.Glob("testdata/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files in testdata (%v)", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var errs []error
			switch {
			case strings.HasSuffix(f, ".Dockerfile"):
				_, errs = checkDockerfile(f, data)
			case strings.HasSuffix(f, ".yml"):
				errs = checkCompose(f, data)
			case strings.HasSuffix(f, ".env"):
				errs = checkEnvFile(f, data)
			default:
				t.Fatalf("%s: neither .Dockerfile, .yml nor .env", f)
			}
			var got []string
			for _, err := range errs {
				got = append(got, err.Error())
			}
			wants := regexp.MustCompile(`(?m)^# want: (.*)$`).FindAllStringSubmatch(string(data), -1)
			if len(wants) == 0 {
				t.Fatalf("%s has no # want: lines", f)
			}
			for _, w := range wants {
				if !slices.ContainsFunc(got, func(e string) bool { return strings.Contains(e, w[1]) }) {
					t.Errorf("no error says %q; the errors:\n%s", w[1], strings.Join(got, "\n"))
				}
			}
		})
	}
}

func TestEnvExamples(t *testing.T) {
	for _, f := range []string{"fieldlog.env.example", "compose.env.example"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range checkEnvFile(f, data) {
			t.Error(err)
		}
	}
	// Every variable docker-compose.yml requires has its line in the
	// example of deploy/.env.
	data, err := os.ReadFile("compose.env.example")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, _, ok := strings.Cut(line, "="); ok && varNameRe.MatchString(k) {
			set[k] = true
		}
	}
	for _, f := range composeFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		refs, err := interpolationsIn(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range refs {
			if (r.op == ":?" || r.op == "?") && !set[r.name] {
				t.Errorf("%s requires %s, but compose.env.example does not set it", f, r.name)
			}
		}
	}
}

// interpolationsIn is every variable reference in a compose file.
func interpolationsIn(data []byte) ([]interpolation, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var refs []interpolation
	var firstErr error
	walkStrings(doc, "", func(_, s string) {
		r, err := interpolations(s)
		refs = append(refs, r...)
		if firstErr == nil {
			firstErr = err
		}
	})
	return refs, firstErr
}

var (
	envLineRe      = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
	envCommentedRe = regexp.MustCompile(`^#\s?([A-Z_][A-Z0-9_]*=.*)$`)
)

// checkEnvFile checks an environment file that both docker compose and
// systemd read: KEY=value lines and comment lines. A commented-out
// assignment is checked as the line it becomes once uncommented.
func checkEnvFile(path string, data []byte) []error {
	var errs []error
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if m := envCommentedRe.FindStringSubmatch(line); m != nil {
			line = m[1]
		} else if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := envLineRe.FindStringSubmatch(line)
		switch {
		case m == nil:
			errs = append(errs, fmtErr(path, n, "not KEY=value: %q", line))
		case strings.Contains(m[2], " #") || strings.Contains(m[2], "\t#"):
			errs = append(errs, fmtErr(path, n, "%s: a comment after the value, which systemd keeps in the value: put it on the line above", m[1]))
		case strings.TrimRight(m[2], " \t") != m[2]:
			errs = append(errs, fmtErr(path, n, "%s: blanks after the value", m[1]))
		}
	}
	return errs
}

// TestBuildAsTheDockerfileDoes runs the Dockerfile's go build line, with
// the stage's ARG and ENV values and --build-arg VERSION and COMMIT, in a
// copy of the context as .dockerignore leaves it; then checks the binary
// is static (the final image has no C library) and reports the version
// and commit it was given.
func TestBuildAsTheDockerfileDoes(t *testing.T) {
	d, errs := readDockerfile("Dockerfile")
	if len(errs) > 0 {
		t.Fatalf("the Dockerfile is not valid (TestDockerfile says why): %v", errs[0])
	}
	const version, commit = "0.0.0-deploycheck", "0123456789abcdef0123456789abcdef01234567"
	b, err := goBuildLine(d, map[string]string{"VERSION": version, "COMMIT": commit})
	if err != nil {
		t.Fatal(err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go on PATH: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	buildContext := filepath.Join(t.TempDir(), "src")
	if err := copyContext(root, buildContext); err != nil {
		t.Fatalf("copy the build context: %v", err)
	}
	binary := filepath.Join(t.TempDir(), "fieldlog")
	argv := slices.Clone(b.argv)
	argv[b.out] = binary
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, goTool, argv[1:]...)
	build.Dir = buildContext
	build.Env = buildEnv(os.Environ(), b.env)
	t.Logf("%s:%d, with %v: %s", d.path, b.line, b.env, shellJoin(argv))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build as the Dockerfile does: %v\n%s", err, out)
	}

	if runtime.GOOS == "linux" {
		f, err := elf.Open(binary)
		if err != nil {
			t.Fatal(err)
		}
		libs, _ := f.ImportedLibraries()
		interp := slices.ContainsFunc(f.Progs, func(p *elf.Prog) bool { return p.Type == elf.PT_INTERP })
		f.Close()
		if interp || len(libs) > 0 {
			t.Errorf("the binary is linked dynamically (%v): it cannot run on distroless/static", libs)
		}
	}

	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run := exec.CommandContext(ctx, binary, "version")
	home := t.TempDir()
	run.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "FIELDLOG_DATA_DIR=" + filepath.Join(home, "data")}
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("fieldlog version: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), version) || !strings.Contains(string(out), commit[:12]) {
		t.Errorf("fieldlog version says %q; want version %s and commit %s, which the Dockerfile's -ldflags -X set", out, version, commit[:12])
	}
}

// buildEnv is the environment the go build line runs in: this machine's
// (for the module proxy and caches) with the stage's values, and without
// GOFLAGS, which the golang image does not set.
func buildEnv(base []string, stage map[string]string) []string {
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, set := stage[k]; !set && k != "GOFLAGS" {
			env = append(env, kv)
		}
	}
	for _, k := range sortedKeys(stage) {
		env = append(env, k+"="+stage[k])
	}
	return env
}

// shellJoin writes argv as a command line sh would split back into it.
func shellJoin(argv []string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = a
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`;&|<>()*?[#~") {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}

func fmtErr(path string, line int, format string, a ...any) error {
	return fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, a...))
}
