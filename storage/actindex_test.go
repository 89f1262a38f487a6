package storage

import (
	"slices"
	"testing"
	"time"

	"fieldlog"
)

// An Import writes records behind the embedded store's index of
// activities: lists and counts afterwards show what was imported, not
// what the index held.
func TestActivityIndexAfterImport(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	open := func() *Store {
		s, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close(ctx) })
		return s
	}
	rec := func(id fieldlog.ActivityID, d int) fieldlog.Activity {
		return fieldlog.Activity{ID: id, UnitID: "hepan", ReporterID: 1, Date: fieldlog.Date{Year: 2025, Month: 5, Day: d},
			LoggedAt: time.Date(2025, 5, d, 8, 0, 0, 0, time.UTC), Title: string(id)}
	}
	src := open()
	for i, id := range []fieldlog.ActivityID{"i1", "i2", "i3"} {
		if err := src.InsertActivity(ctx, rec(id, i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.DeleteActivity(ctx, "i2", time.Now()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir() + "/export"
	if _, err := src.Export(ctx, dir); err != nil {
		t.Fatal(err)
	}

	dst := open()
	if err := dst.InsertActivity(ctx, rec("old", 9)); err != nil {
		t.Fatal(err)
	}
	all := fieldlog.ActivityFilter{AllUnits: true}
	list := func() []fieldlog.ActivityID {
		t.Helper()
		as, err := dst.ListActivities(ctx, all, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []fieldlog.ActivityID
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	if got := list(); !slices.Equal(got, []fieldlog.ActivityID{"old"}) { // the index is loaded
		t.Fatalf("before the import: %v", got)
	}
	if _, err := dst.Import(ctx, dir, ImportOptions{IntoNonEmpty: true}); err != nil {
		t.Fatal(err)
	}
	if got, want := list(), []fieldlog.ActivityID{"old", "i3", "i1"}; !slices.Equal(got, want) {
		t.Errorf("after the import: %v, want %v", got, want)
	}
	if n, err := dst.CountActivities(ctx, all); err != nil || n != 3 {
		t.Errorf("count after the import: %d, %v; want 3", n, err)
	}
}

// A document the store did not write as its records are written (no
// deleted field, a date that does not parse) leaves the index usable: it
// is left out, as the MongoDB query {deleted: false} leaves it out, and
// the other records list and count as before, after a restart too.
func TestActivityIndexSkipsUnreadableDocuments(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	s, err := Open(ctx, Config{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	good := fieldlog.Activity{ID: "ok1", UnitID: "hepan", ReporterID: 1, Date: fieldlog.Date{Year: 2025, Month: 5, Day: 3},
		LoggedAt: time.Date(2025, 5, 3, 8, 0, 0, 0, time.UTC), Title: "ok"}
	if err := s.InsertActivity(ctx, good); err != nil {
		t.Fatal(err)
	}
	for _, doc := range []any{
		map[string]any{"_id": "nodel", "unit_id": "hepan", "reporter_id": int64(1), "date": "2025-05-04"},
		map[string]any{"_id": "baddate", "unit_id": "hepan", "reporter_id": int64(1), "date": "May 4", "deleted": false},
	} {
		if _, err := s.activities.InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(ctx) })
	f := fieldlog.ActivityFilter{Units: []fieldlog.UnitID{"hepan"}}
	got, err := s.ListActivities(ctx, f, 0, 10)
	if err != nil || len(got) != 1 || got[0].ID != "ok1" {
		t.Fatalf("list: %v, %v", got, err)
	}
	if n, err := s.CountActivities(ctx, f); err != nil || n != 1 {
		t.Errorf("count: %d, %v", n, err)
	}
}
