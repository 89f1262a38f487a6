package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fieldlog/storage"
	"fieldlog/storage/storagetest"
)

// envOf is the program's environment for the store at cfg.
func envOf(cfg storage.Config) map[string]string {
	return map[string]string{"MONGODB_URI": cfg.URI, "FIELDLOG_DB": cfg.Database, "FIELDLOG_DATA_DIR": cfg.DataDir}
}

// runCommand runs the program with args against the store at cfg and
// returns what it printed.
func runCommand(t *testing.T, cfg storage.Config, args ...string) (string, error) {
	t.Helper()
	var out, logs bytes.Buffer
	err := run(context.Background(), args, world{getenv: getenv(envOf(cfg)), stdout: &out, stderr: &logs})
	if err != nil {
		t.Logf("fieldlog %s: %v\n%s", strings.Join(args, " "), err, logs.String())
	}
	return out.String(), err
}

// sameExports fails t unless the exports in a and b hold the same
// collections with the same documents, byte for byte in canonical
// Extended JSON, in any order.
func sameExports(t *testing.T, a, b string) {
	t.Helper()
	ma, err := storage.ReadManifest(a)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := storage.ReadManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ma.Collections, mb.Collections) {
		t.Errorf("collections %+v, want %+v", mb.Collections, ma.Collections)
	}
	for _, c := range ma.Collections {
		la, lb := sortedLines(t, a, c.Name), sortedLines(t, b, c.Name)
		if !slices.Equal(la, lb) {
			t.Errorf("%s differs:\n got %s\nwant %s", c.Name, strings.Join(lb, "\n"), strings.Join(la, "\n"))
		}
	}
}

func sortedLines(t *testing.T, dir, collection string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, collection+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	slices.Sort(lines)
	return lines
}

// From a populated store to an empty one by the two commands, as an
// operator moves the bot: every document arrives, the bot reads it, and a
// second import is refused until told.
func TestExportThenImport(t *testing.T) {
	t.Parallel()
	src := storagetest.Place(t)
	s := storagetest.Open(t, src)
	sample := storagetest.Populate(t, s)
	if src.URI == "" {
		// The bot holds the embedded store while it runs.
		if _, err := runCommand(t, src, "export", "--out", filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "in use") {
			t.Errorf("export while the store is open elsewhere: err = %v", err)
		}
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "backup")
	out, err := runCommand(t, src, "export", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := storage.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Documents() < 20 {
		t.Errorf("the export has %d documents; Populate writes more", m.Documents())
	}
	if want := fmt.Sprintf("exported %d collections, %d documents to %s\n", len(m.Collections), m.Documents(), dir); out != want {
		t.Errorf("export printed %q, want %q", out, want)
	}

	dst := storagetest.Place(t)
	out, err = runCommand(t, dst, "import", dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("imported %d collections, %d documents from %s\n", len(m.Collections), m.Documents(), dir); out != want {
		t.Errorf("import printed %q, want %q", out, want)
	}

	// Again: refused, and nothing changes; then told to, nothing is
	// written over.
	if _, err := runCommand(t, dst, "import", dir); !errors.Is(err, storage.ErrNotEmpty) || !strings.Contains(err.Error(), "--into-nonempty") {
		t.Errorf("second import: err = %v, want ErrNotEmpty with the flag to use", err)
	}
	out, err = runCommand(t, dst, "import", "--into-nonempty", dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("imported %d collections, 0 documents from %s (%d already there, kept as they were)\n", len(m.Collections), dir, m.Documents()); out != want {
		t.Errorf("import into the same printed %q, want %q", out, want)
	}

	again := filepath.Join(t.TempDir(), "again")
	if _, err := runCommand(t, dst, "export", "--out", again); err != nil {
		t.Fatal(err)
	}
	sameExports(t, dir, again)

	d := storagetest.Open(t, dst)
	ctx := t.Context()
	if u, err := d.User(ctx, sample.Officer.ID); err != nil || !reflect.DeepEqual(u, sample.Officer) {
		t.Errorf("officer after import: %+v, %v; want %+v", u, err, sample.Officer)
	}
	if a, err := d.Activity(ctx, sample.Activity.ID); err != nil || !reflect.DeepEqual(a, sample.Activity) {
		t.Errorf("record after import: %+v, %v; want %+v", a, err, sample.Activity)
	}
}

// The commands say how they are used, and an import of a directory that is
// no export names what is missing.
func TestBackupCommandsUsage(t *testing.T) {
	t.Parallel()
	cfg := storage.Config{DataDir: t.TempDir()}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "usage: fieldlog export --out DIR"},
		{[]string{"export", "--out", "x", "y"}, "usage: fieldlog export --out DIR"},
		{[]string{"import"}, "usage: fieldlog import [--into-nonempty] DIR"},
		{[]string{"import", "a", "b"}, "usage: fieldlog import [--into-nonempty] DIR"},
		{[]string{"import", "--into-empty", "a"}, "flag provided but not defined"},
		{[]string{"import", t.TempDir()}, "has no manifest.json"},
	} {
		if _, err := runCommand(t, cfg, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("fieldlog %s: err = %v, want %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}
