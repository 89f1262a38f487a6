package deploy

// Tests of the checkers' parts: if one of these reads a file wrongly, the
// checks of the real files mean nothing.

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLexReadsLikeSh(t *testing.T) {
	env := map[string]string{"V": "1.0", "SPACED": "a b", "EMPTY": ""}
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`go build -ldflags "-s -w -X main.version=${V}" -o /out/x ./cmd/x`, []string{"go", "build", "-ldflags", "-s -w -X main.version=1.0", "-o", "/out/x", "./cmd/x"}},
		{`a $V '$V' "$V" \$V`, []string{"a", "1.0", "$V", "1.0", "$V"}},
		{`x$SPACED"y"`, []string{"xa", "by"}},        // unquoted: split into fields
		{`"$SPACED" $EMPTY ""`, []string{"a b", ""}}, // quoted: kept; empty unquoted: no word
		{"go \\\n  build", []string{"go", "build"}},  // a line continuation
		{`${V:-x} ${NONE:-dflt} ${V:+set}`, []string{"1.0", "dflt", "set"}},
	} {
		got, err := lex(c.in, env, '\\', true)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("lex(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{
		`go build -o x . && strip x`, `go build -o $(pwd)/x .`, "go build -o `pwd`/x .",
		`go build -o x ./...; true`, `go build -o "x`, `go build ./cmd/* -o x`, `go build -o x . > log`,
	} {
		if got, err := lex(in, env, '\\', true); err == nil {
			t.Errorf("lex(%q) = %q; want it refused", in, got)
		}
	}
	// docker build's own reading (ENV, ARG) keeps operators as text.
	if got, err := lex(`A="x && y" B=${V}`, env, '\\', false); err != nil || !slices.Equal(got, []string{"A=x && y", "B=1.0"}) {
		t.Errorf("docker lex = %q, %v", got, err)
	}
}

func TestGoBuildLine(t *testing.T) {
	const good = `ARG GO=1.26
FROM golang:${GO} AS build
WORKDIR /src
COPY . .
ARG VERSION=dev
ENV CGO_ENABLED=0
RUN --mount=type=cache,target=/root/.cache/go-build \
    go build -ldflags "-X main.version=${VERSION}" -o=/out/app ./cmd/app
FROM scratch
COPY --from=build /out/app /bin/
USER 1000
ENTRYPOINT ["/bin/app"]
`
	d, errs := checkDockerfile("good", []byte(good))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	b, err := goBuildLine(d, map[string]string{"VERSION": "2.0"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"go", "build", "-ldflags", "-X main.version=2.0", "-o", "/out/app", "./cmd/app"}
	if !slices.Equal(b.argv, want) || b.argv[b.out] != "/out/app" || b.env["CGO_ENABLED"] != "0" || b.env["VERSION"] != "2.0" {
		t.Errorf("goBuildLine = %q (out %d), env %v; want %q, CGO_ENABLED=0 VERSION=2.0", b.argv, b.out, b.env, want)
	}

	for _, c := range []struct{ name, from, to, buildArg, want string }{
		{"chained", `-o=/out/app ./cmd/app`, `-o=/out/app ./cmd/app && strip /out/app`, "", "make it a single command"},
		{"other output", `-o=/out/app`, `-o=/out/other`, "", "0 RUN go build -o /out/app"},
		{"no context", "COPY . .", "COPY go.mod .", "", "the context (COPY . DIR) is not copied there"},
		{"undeclared arg", "", "", "COMMIT", "declares no ARG COMMIT"},
		{"no entrypoint", `ENTRYPOINT ["/bin/app"]`, `CMD ["/bin/app"]`, "", "no ENTRYPOINT"},
	} {
		src := good
		if c.from != "" {
			src = strings.Replace(good, c.from, c.to, 1)
		}
		d, errs := checkDockerfile(c.name, []byte(src))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", c.name, errs)
		}
		args := map[string]string{}
		if c.buildArg != "" {
			args[c.buildArg] = "x"
		}
		if _, err := goBuildLine(d, args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: goBuildLine error %v; want one saying %q", c.name, err, c.want)
		}
	}
}

func TestDockerignore(t *testing.T) {
	root := t.TempDir()
	rules := "# comment\n.git\n/data\ndeploy/*.env\n**/*.tmp\ndocs\n!docs/keep.md\n"
	if err := os.WriteFile(filepath.Join(root, ".dockerignore"), []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	patterns, err := readDockerignore(root)
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{
		".git": true, ".git/HEAD": true, "data/x": true, "storage/data/x": false,
		"deploy/fieldlog.env": true, "deploy/.env": true, "deploy/fieldlog.env.example": false,
		"a.tmp": true, "x/y/z.tmp": true, "docs/a.md": true, "docs/keep.md": false, "main.go": false,
	} {
		if got := ignored(patterns, rel); got != want {
			t.Errorf("ignored(%q) = %v; want %v", rel, got, want)
		}
	}

	// The copy follows the same rules.
	for _, f := range []string{"main.go", "data/store.db", "docs/keep.md", "docs/drop.md"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "ctx")
	if err := copyContext(root, dst); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{"main.go": true, "data/store.db": false, "docs/keep.md": true, "docs/drop.md": false} {
		if _, err := os.Stat(filepath.Join(dst, f)); (err == nil) != want {
			t.Errorf("%s in the copied context: %v; want %v", f, err == nil, want)
		}
	}
}

func TestInterpolations(t *testing.T) {
	refs, err := interpolations(`a $$literal ${A} $B ${C:-x${D}} ${E:?set E in .env, see deploy/} tail`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range refs {
		names = append(names, r.name+r.op)
	}
	if want := []string{"A", "B", "D", "C:-", "E:?"}; !slices.Equal(names, want) {
		t.Errorf("names = %q; want %q", names, want)
	}
	for _, bad := range []string{"$", "${}", "${A", "${A!x}", "cost $5", "${1A}"} {
		if _, err := interpolations(bad); err == nil {
			t.Errorf("interpolations(%q) accepted", bad)
		}
	}
	for _, c := range []struct {
		key, value string
		want       bool
	}{
		{"X_PASSWORD", "${PW:?set PW}", false},
		{"X_PASSWORD", "${PW}", true}, // empty when forgotten
		{"X_PASSWORD", "hunter2", true},
		{"MONGODB_URI", "mongodb://u:${PW:?set PW in a/b}@h/", false},
		{"MONGODB_URI", "mongodb://u:${PW:-changeme}@h/", true},
		{"MONGODB_URI", "mongodb://u:hunter2@h/", true},
		{"MONGODB_URI", "mongodb://h:27017/?replicaSet=rs0", false},
	} {
		if got := hardCodedSecret(c.key, c.value); got != c.want {
			t.Errorf("hardCodedSecret(%s=%q) = %v; want %v", c.key, c.value, got, c.want)
		}
	}
}
