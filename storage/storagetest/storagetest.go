// Package storagetest gives tests a fresh, empty storage.Store.
//
// By default each store is an embedded FerretDB in the test's temporary
// directory, so tests need no server. With MONGODB_TEST_URI set, the same
// tests run against that MongoDB instead, each in a database of its own
// that is dropped afterwards: the production code path, on the production
// server.
//
// Opening an embedded store is cheap enough to do in every test: about
// 75 ms for a fresh directory, index creation and Close included, and about
// 10 ms to reopen an existing one (measured on the project's 2-core
// machine; BenchmarkOpenEmbedded in package storage re-measures it).
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"testing"
	"time"

	"fieldlog/storage"
)

// EnvURI names the environment variable with a MongoDB URI for tests.
const EnvURI = "MONGODB_TEST_URI"

// openTimeout bounds Open, including the embedded server's start.
const openTimeout = time.Minute

// New opens an empty store for t and closes it (dropping the database on a
// shared server) when t ends. It fails t if the store cannot be opened.
func New(t testing.TB) *storage.Store {
	t.Helper()
	return Open(t, Place(t))
}

// Place returns where a fresh, empty store for t lives: a temporary
// directory for the embedded server, or a database of its own on the
// MongoDB of MONGODB_TEST_URI, dropped when t ends. A test may open a store
// there with Open, close it and open it again.
func Place(t testing.TB) storage.Config {
	t.Helper()
	cfg := storage.Config{Logger: Logger(t)}
	uri := os.Getenv(EnvURI)
	if uri == "" {
		cfg.DataDir = t.TempDir()
		return cfg
	}
	cfg.URI = uri
	cfg.Database = uniqueDatabase(t)
	// Registered before the cleanups of the stores opened here, so it runs
	// after them.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := storage.Open(ctx, cfg)
		if err != nil {
			t.Errorf("open test database %s to drop it: %v", cfg.Database, err)
			return
		}
		if err := s.Drop(ctx); err != nil {
			t.Errorf("drop test database %s: %v", cfg.Database, err)
		}
		if err := s.Close(ctx); err != nil {
			t.Errorf("close test store: %v", err)
		}
	})
	return cfg
}

// Open opens the store at cfg (from Place) and closes it when t ends, if
// it is still open. It fails t if the store cannot be opened.
func Open(t testing.TB, cfg storage.Config) *storage.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	s, err := storage.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open test store: %v", err)
	}
	// Registered after t.TempDir's own cleanup, so it runs first: the
	// embedded server stops before its directory is removed.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close test store: %v", err)
		}
	})
	return s
}

// Logger returns a logger that writes warnings and errors to t's output.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// uniqueDatabase names a database no other test run uses. MongoDB database
// names are at most 63 bytes and cannot hold '/', '.', ' ', '"' or '$', so
// the test name is not part of it.
func uniqueDatabase(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("random database name: %v", err)
	}
	return "fieldlog_test_" + hex.EncodeToString(b[:])
}
