package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/storage"
	"fieldlog/storage/storagetest"
)

func openEmbedded(t *testing.T, dir string) (*storage.Store, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	return storage.Open(ctx, storage.Config{DataDir: dir, Logger: storagetest.Logger(t)})
}

func closeStore(t *testing.T, s *storage.Store) {
	t.Helper()
	if err := s.Close(context.Background()); err != nil {
		t.Errorf("close: %v", err)
	}
}

// TestEmbeddedDataDir checks the data directory's lock and that data
// survives a restart (and that creating the indexes again is harmless).
func TestEmbeddedDataDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data") // created by Open

	start := time.Now()
	s, err := openEmbedded(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first Open of the embedded server: %v", time.Since(start))
	if !s.Embedded() {
		t.Error("Embedded() = false for an embedded store")
	}
	ctx := t.Context()
	a := fieldlog.Activity{ID: "keep", SectionID: "publicity", TypeID: "lecture",
		Date: fieldlog.Date{Year: 2025, Month: 6, Day: 7}, Participants: fieldlog.Count{Value: 10},
		Title: "ᠪᠣᠳᠣᠯᠭ᠎ᠠ\u202Fᠶᠢᠨ ᠰᠤᠷᠭᠠᠯᠲᠠ 政策赶大集", UnitID: "hepan", ReporterID: 7001,
		LoggedAt: time.Date(2025, 6, 7, 10, 0, 0, 0, time.UTC)}
	if err := s.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}

	second, err := openEmbedded(t, dir)
	if err == nil {
		closeStore(t, second)
		t.Fatal("second Open of the same directory succeeded")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error does not name the directory %s: %v", dir, err)
	}

	closeStore(t, s)
	if err := s.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}

	start = time.Now()
	s, err = openEmbedded(t, dir)
	if err != nil {
		t.Fatalf("reopen after Close: %v", err)
	}
	t.Logf("reopen of the embedded server: %v", time.Since(start))
	defer closeStore(t, s)
	got, err := s.Activity(ctx, "keep")
	if err != nil {
		t.Fatalf("record after reopen: %v", err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("record after reopen:\n got %+v\nwant %+v", got, a)
	}
	if err := s.InsertActivity(ctx, a); !errors.Is(err, fieldlog.ErrDuplicate) {
		t.Errorf("unique _id after reopen: err = %v, want ErrDuplicate", err)
	}
}

func TestOpenWithoutURIOrDataDir(t *testing.T) {
	t.Parallel()
	_, err := storage.Open(t.Context(), storage.Config{Logger: storagetest.Logger(t)})
	if err == nil || !strings.Contains(err.Error(), "DataDir") {
		t.Errorf("err = %v, want one that asks for DataDir or URI", err)
	}
}

// BenchmarkOpenEmbedded measures Open and Close of a fresh embedded store,
// which every test using storagetest pays.
func BenchmarkOpenEmbedded(b *testing.B) {
	for b.Loop() {
		s, err := storage.Open(b.Context(), storage.Config{DataDir: b.TempDir(), Logger: storagetest.Logger(b)})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}
