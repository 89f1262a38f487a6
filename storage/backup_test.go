package storage_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
	"fieldlog/storage"
	"fieldlog/storage/storagetest"
)

// populated returns a store filled by storagetest.Populate, closed and
// opened again as the export command finds it, and what Populate read back.
func populated(t *testing.T) (*storage.Store, storagetest.Sample) {
	t.Helper()
	place := storagetest.Place(t)
	s := storagetest.Open(t, place)
	sample := storagetest.Populate(t, s)
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	return storagetest.Open(t, place), sample
}

// export exports s to a new directory and returns it.
func export(t *testing.T, s *storage.Store) (string, storage.Manifest) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "export")
	m, err := s.Export(t.Context(), dir)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return dir, m
}

// sameDocuments fails t unless got holds exactly the documents of want,
// byte for byte: the same collections, ids, fields, order and BSON types.
func sameDocuments(t *testing.T, got, want map[string][]bson.Raw) {
	t.Helper()
	if g, w := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)); !slices.Equal(g, w) {
		t.Errorf("collections %v, want %v", g, w)
	}
	for name, wdocs := range want {
		gdocs := got[name]
		if len(gdocs) != len(wdocs) {
			t.Errorf("%s: %d documents, want %d", name, len(gdocs), len(wdocs))
			continue
		}
		for i := range wdocs {
			if !bytes.Equal(gdocs[i], wdocs[i]) {
				t.Errorf("%s: document\n got %s\nwant %s", name, gdocs[i], wdocs[i])
			}
		}
	}
}

// Every document of every collection comes back as it was, and the store
// reads it as before: users, units, records, conversations, notes.
func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	src, sample := populated(t)
	want := storage.Documents(t, src)
	for name, docs := range want {
		if len(docs) == 0 {
			t.Errorf("Populate writes nothing to collection %s: add a document of it, so that backups are tested with one", name)
		}
	}
	dir, m := export(t, src)
	if m.SchemaVersion != storage.SchemaVersion || m.Database == "" || m.ExportedAt.IsZero() {
		t.Errorf("manifest %+v", m)
	}
	var total int64
	for _, c := range m.Collections {
		if c.Documents != int64(len(want[c.Name])) {
			t.Errorf("manifest: %s has %d documents, the store %d", c.Name, c.Documents, len(want[c.Name]))
		}
		total += c.Documents
	}
	if len(m.Collections) != len(want) || m.Documents() != total {
		t.Errorf("manifest lists %d collections and %d documents, the store has %d collections", len(m.Collections), m.Documents(), len(want))
	}
	onDisk, err := storage.ReadManifest(dir)
	if err != nil || !reflect.DeepEqual(onDisk.Collections, m.Collections) || !onDisk.ExportedAt.Equal(m.ExportedAt) {
		t.Errorf("manifest on disk %+v, %v; want %+v", onDisk, err, m)
	}

	dst := storagetest.New(t)
	im, err := dst.Import(t.Context(), dir, storage.ImportOptions{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if im.Documents() != m.Documents() || im.Kept() != 0 {
		t.Errorf("import: %d documents, %d kept; want %d, 0", im.Documents(), im.Kept(), m.Documents())
	}
	sameDocuments(t, storage.Documents(t, dst), want)

	ctx := t.Context()
	if u, err := dst.User(ctx, sample.Officer.ID); err != nil || !reflect.DeepEqual(u, sample.Officer) {
		t.Errorf("officer after import: %+v, %v; want %+v", u, err, sample.Officer)
	}
	if a, err := dst.Activity(ctx, sample.Activity.ID); err != nil || !reflect.DeepEqual(a, sample.Activity) {
		t.Errorf("record after import: %+v, %v; want %+v", a, err, sample.Activity)
	}
	if n, err := dst.Notes(ctx, sample.Notes.UnitID, sample.Notes.Period); err != nil || !reflect.DeepEqual(n, sample.Notes) {
		t.Errorf("notes after import: %+v, %v; want %+v", n, err, sample.Notes)
	}
	if c, err := dst.Conversation(ctx, sample.Officer.ID); err != nil || c.Step != "photos" || len(c.Draft.Photos) != 1 {
		t.Errorf("conversation after import: %+v, %v", c, err)
	}
	if units, err := dst.AllUnits(ctx); err != nil || len(units) != 3 {
		t.Errorf("units after import: %v, %v", units, err)
	}
	waiting, err := dst.Unhandled(ctx)
	if err != nil || len(waiting) != 2 || !bytes.Equal(waiting[0].Payload, []byte("{\"update_id\":1003,\"message\":{\"text\":\"45\"}}\x00\xff")) {
		t.Errorf("waiting updates after import: %+v, %v", waiting, err)
	}
	// The store goes on from there.
	if err := dst.SaveUser(ctx, fieldlog.User{ID: 5, ChatID: 5, Lang: fieldlog.Chinese}); err != nil {
		t.Errorf("save after import: %v", err)
	}
}

// A database that holds anything is refused, and nothing is written; told
// to, the import goes on and keeps what the database had under the same id.
func TestImportIntoNonEmpty(t *testing.T) {
	t.Parallel()
	src, sample := populated(t)
	want := storage.Documents(t, src)
	dir, m := export(t, src)

	dst := storagetest.New(t)
	ctx := t.Context()
	mine := sample.Officer
	mine.Name = "已经在这里"
	if err := dst.SaveUser(ctx, mine); err != nil {
		t.Fatal(err)
	}
	// What the embedded store remembers of them must not outlive the import.
	if _, err := dst.User(ctx, 9001); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("admin before import: %v", err)
	}
	if units, err := dst.AllUnits(ctx); err != nil || len(units) != 0 {
		t.Fatalf("units before import: %v, %v", units, err)
	}
	before := storage.Documents(t, dst)
	_, err := dst.Import(ctx, dir, storage.ImportOptions{})
	if !errors.Is(err, storage.ErrNotEmpty) || !strings.Contains(err.Error(), "users") {
		t.Fatalf("import into a database with a user: err = %v, want ErrNotEmpty naming users", err)
	}
	sameDocuments(t, storage.Documents(t, dst), before)

	im, err := dst.Import(ctx, dir, storage.ImportOptions{IntoNonEmpty: true})
	if err != nil {
		t.Fatalf("import into non-empty: %v", err)
	}
	if im.Kept() != 1 || im.Documents() != m.Documents() {
		t.Errorf("kept %d of %d, want 1 of %d", im.Kept(), im.Documents(), m.Documents())
	}
	if u, err := dst.User(ctx, mine.ID); err != nil || u.Name != mine.Name {
		t.Errorf("the user the database had: %+v, %v; want it kept", u, err)
	}
	if u, err := dst.User(ctx, 9001); err != nil || u.Role != fieldlog.Admin {
		t.Errorf("admin after import: %+v, %v", u, err)
	}
	if units, err := dst.AllUnits(ctx); err != nil || len(units) != 3 {
		t.Errorf("units after import: %v, %v", units, err)
	}
	got := storage.Documents(t, dst)
	if len(got["users"]) != len(want["users"]) {
		t.Errorf("%d users, want %d", len(got["users"]), len(want["users"]))
	}
	delete(got, "users")
	delete(want, "users")
	sameDocuments(t, got, want)
}

// A damaged export is refused before anything is written, with the file
// and line, or the collection, that is wrong.
func TestImportRefusesDamagedExport(t *testing.T) {
	t.Parallel()
	src, _ := populated(t)
	dir, _ := export(t, src)
	original := map[string][]byte{}
	for _, name := range []string{"activities.jsonl", "users.jsonl", storage.ManifestFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		original[name] = data
	}
	lines := bytes.SplitAfter(original["activities.jsonl"], []byte("\n"))
	if len(lines) < 3 {
		t.Fatalf("activities.jsonl has %d lines, want at least 2 and the end", len(lines))
	}
	manifest := func(edit func(*storage.Manifest)) []byte {
		var m storage.Manifest
		if err := json.Unmarshal(original[storage.ManifestFile], &m); err != nil {
			t.Fatal(err)
		}
		edit(&m)
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	cases := map[string]struct {
		file    string
		content []byte
		want    string
	}{
		"cut mid-line": {"activities.jsonl", slices.Concat(lines[0], lines[1][:len(lines[1])/2]),
			"activities.jsonl line 2: not one JSON document"},
		"something after the document": {"activities.jsonl", slices.Concat(lines[0], bytes.TrimSuffix(lines[1], []byte("\n")), []byte(` {"_id":"x"}`+"\n")),
			"activities.jsonl line 2: not one JSON document"},
		"not extended JSON": {"activities.jsonl", slices.Concat(lines[0], []byte(`{"_id":"x","n":{"$numberInt":"many"}}`+"\n")),
			"activities.jsonl line 2: not a document in Extended JSON"},
		"an empty line": {"activities.jsonl", slices.Concat(lines[0], []byte("\n"), lines[1]),
			"activities.jsonl line 2: empty line"},
		"no _id": {"activities.jsonl", slices.Concat(lines[0], []byte(`{"title":"x"}`+"\n")),
			"activities.jsonl line 2: the document has no _id"},
		"a line missing": {"users.jsonl", bytes.SplitAfterN(original["users.jsonl"], []byte("\n"), 2)[1],
			"users.jsonl holds 4 documents, the manifest 5"},
		"a count changed": {storage.ManifestFile, manifest(func(m *storage.Manifest) {
			for i := range m.Collections {
				if m.Collections[i].Name == "activities" {
					m.Collections[i].Documents++
				}
			}
		}), "activities.jsonl holds 3 documents, the manifest 4"},
		"a newer schema": {storage.ManifestFile, manifest(func(m *storage.Manifest) { m.SchemaVersion = storage.SchemaVersion + 1 }),
			"is newer than this fieldlog's"},
		"a file missing": {storage.ManifestFile, manifest(func(m *storage.Manifest) {
			m.Collections = append(m.Collections, storage.CollectionCount{Name: "photos", Documents: 1})
		}), "open the file of collection photos"},
		"a name that is a path": {storage.ManifestFile, manifest(func(m *storage.Manifest) {
			m.Collections = append(m.Collections, storage.CollectionCount{Name: "../users", Documents: 4})
		}), `collection name "../users" is not valid`},
		"not a manifest": {storage.ManifestFile, []byte(`{"format":"something else"}`), "not a fieldlog export"},
	}
	// One store for all: each case must leave it empty.
	dst := storagetest.New(t)
	empty := storage.Documents(t, dst)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if err := os.WriteFile(path, tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(path, original[tc.file], 0o600)
			_, err := dst.Import(t.Context(), dir, storage.ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
			sameDocuments(t, storage.Documents(t, dst), empty)
		})
	}
	if err := os.Remove(filepath.Join(dir, storage.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Import(t.Context(), dir, storage.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Errorf("an export without its manifest: err = %v", err)
	}
}

// An export goes to a directory of its own: one holding an export, done or
// not, is refused rather than mixed with.
func TestExportRefusesAnExportsDirectory(t *testing.T) {
	t.Parallel()
	s := storagetest.New(t)
	dir, _ := export(t, s)
	if _, err := s.Export(t.Context(), dir); err == nil || !strings.Contains(err.Error(), "holds an export already") {
		t.Errorf("second export into %s: err = %v", dir, err)
	}
	if err := os.Remove(filepath.Join(dir, storage.ManifestFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Export(t.Context(), dir); err == nil || !strings.Contains(err.Error(), "holds an export already") {
		t.Errorf("export into an unfinished one: err = %v", err)
	}
}

// A user's conversation is exported once, in its latest state, even where
// the embedded server still holds the states it replaced.
func TestExportHasTheLatestConversation(t *testing.T) {
	t.Parallel()
	s := storagetest.New(t)
	ctx := t.Context()
	for _, step := range []string{"type", "date", "title"} {
		if err := s.SaveConversation(ctx, fieldlog.Conversation{UserID: 7001, Flow: "log", Step: step}); err != nil {
			t.Fatal(err)
		}
	}
	dir, m := export(t, s)
	for _, c := range m.Collections {
		if c.Name == "conversations" && c.Documents != 1 {
			t.Errorf("%d conversations exported, want 1", c.Documents)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "conversations.jsonl"))
	if err != nil || !bytes.Contains(data, []byte(`"step":"title"`)) {
		t.Errorf("conversations.jsonl: %s, %v; want the state at step title", data, err)
	}
	dst := storagetest.New(t)
	if _, err := dst.Import(ctx, dir, storage.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if c, err := dst.Conversation(ctx, 7001); err != nil || c.Step != "title" {
		t.Errorf("conversation after import: %+v, %v", c, err)
	}
}
