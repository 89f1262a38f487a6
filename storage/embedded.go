package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // the driver FerretDB uses, for indexIDs
)

// lockFileName is the lock file taken in the embedded server's data
// directory.
const lockFileName = "fieldlog.lock"

// ferretNew serialises ferretdb.New. It writes a package-level variable of
// FerretDB (version.Get().Package = "embedded") without synchronisation, so
// two stores opened at the same time in one process, as parallel tests do,
// race on it. This lock is the one process-wide variable of the package,
// because the variable it guards is process-wide too.
var ferretNew sync.Mutex

// embedded is an in-process FerretDB with its SQLite files in a directory
// that this process holds locked.
type embedded struct {
	dir        string
	uri        string
	lock       *os.File
	stopServer context.CancelFunc
	done       chan error // receives Run's result, then is closed
	stopped    bool
	log        *slog.Logger
	synced     chan struct{} // closed when syncLogs has ended
}

// startEmbedded locks dir and starts FerretDB on a free loopback port.
func startEmbedded(dir string, logger *slog.Logger, sync Sync) (*embedded, error) {
	if dir == "" {
		return nil, errors.New("start embedded server: no data directory configured (set DataDir or URI)")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("start embedded server in %s: %w", dir, err)
	}
	// FerretDB takes the directory as an SQLite URI and does not escape it.
	if strings.ContainsAny(abs, "?#%") {
		return nil, fmt.Errorf("start embedded server: data directory %q must not contain '?', '#' or '%%'", abs)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", abs, err)
	}

	lock, err := lockDir(abs)
	if err != nil {
		return nil, err
	}

	// SQLite syncs its write-ahead log to disk at every commit by default.
	// With SyncInterval it does not, and the log is synced every
	// syncInterval below instead: what a stop or crash of the process
	// leaves is the same (committed means kept), and a power failure may
	// take the last moments, as it may from a MongoDB with its default
	// write concern, whose journal is written every 100 ms.
	url := "file:" + abs + "/"
	if sync == SyncInterval {
		url += "?_pragma=synchronous(normal)"
	}
	ferretNew.Lock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		// FerretDB logs every connection and command at Info and Debug; only
		// its errors are worth a line in fieldlog's log.
		Logger:    slog.New(minLevel{min: slog.LevelError, h: logger.With("component", "ferretdb").Handler()}),
		Handler:   "sqlite",
		SQLiteURL: url,
	})
	ferretNew.Unlock()
	if err != nil {
		_ = unlock(lock)
		return nil, fmt.Errorf("start embedded server in %s: %w", abs, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		// Run returns when ctx is cancelled, after it has closed the
		// listener, every connection and the SQLite files.
		done <- f.Run(ctx)
		close(done)
	}()
	e := &embedded{
		dir:        abs,
		uri:        f.MongoDBURI(), // safe before Run: v1.24 listens in New
		lock:       lock,
		stopServer: cancel,
		done:       done,
		log:        logger,
		synced:     make(chan struct{}),
	}
	if sync == SyncInterval {
		go e.syncLogs(ctx)
	} else {
		close(e.synced)
	}
	return e, nil
}

// syncInterval is how often the write-ahead logs are synced to disk with
// SyncInterval: MongoDB's journal commit interval.
const syncInterval = 100 * time.Millisecond

// syncLogs syncs the SQLite write-ahead logs of the data directory every
// syncInterval until ctx ends. fsync of the file by its path covers what
// FerretDB's connections wrote; the path is opened each time, since SQLite
// deletes and creates the log as connections come and go.
func (e *embedded) syncLogs(ctx context.Context) {
	defer close(e.synced)
	tick := time.NewTicker(syncInterval)
	defer tick.Stop()
	failed := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		logs, _ := filepath.Glob(filepath.Join(e.dir, "*.sqlite-wal"))
		for _, path := range logs {
			err := syncFile(path)
			switch {
			case err != nil && !errors.Is(err, os.ErrNotExist) && !failed:
				e.log.Error("sync the store's write-ahead log to disk", "file", path, "err", err)
				failed = true
			case err == nil:
				failed = false
			}
		}
	}
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// stop cancels the server, waits for it to close its files and then
// releases the directory. If ctx ends first the lock is kept: another
// process must not open files this server may still write.
func (e *embedded) stop(ctx context.Context) error {
	if e.stopped {
		return nil
	}
	e.stopServer()
	<-e.synced
	select {
	case err := <-e.done:
		if err != nil {
			err = fmt.Errorf("stop embedded server in %s: %w", e.dir, err)
		}
		e.stopped = true
		return errors.Join(err, unlock(e.lock))
	case <-ctx.Done():
		return fmt.Errorf("stop embedded server in %s: %w", e.dir, ctx.Err())
	}
}

// lockDir takes an exclusive, non-blocking flock on dir/fieldlog.lock. The
// embedded server has no lock of its own, and two servers writing the same
// SQLite files would corrupt them. The lock belongs to the open file, so a
// second Open in the same process is refused as well, and the kernel drops
// it when the process dies: there is never a stale lock to clean up.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %s is in use by another fieldlog store (lock %s is held): %w", dir, path, err)
		}
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}
	// The pid helps whoever finds the directory locked; the lock itself is
	// the flock, not the content.
	if err := f.Truncate(0); err == nil {
		_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	}
	return f, nil
}

// unlock releases the lock taken by lockDir.
func unlock(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN); err != nil {
		_ = f.Close()
		return fmt.Errorf("unlock %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close lock file %s: %w", f.Name(), err)
	}
	return nil
}

// minLevel passes on only records at or above min. FerretDB makes a
// logger with attributes for every connection and command; those are only
// applied when a record is passed on, since formatting them for a handler
// that then discards everything cost 5 % of the bot's CPU under load.
type minLevel struct {
	min slog.Level
	h   slog.Handler
	// ops are the WithAttrs and WithGroup calls not yet applied to h, in
	// order.
	ops []func(slog.Handler) slog.Handler
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}

func (m minLevel) Handle(ctx context.Context, r slog.Record) error {
	h := m.h
	for _, op := range m.ops {
		h = op(h)
	}
	return h.Handle(ctx, r)
}

func (m minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return m.with(func(h slog.Handler) slog.Handler { return h.WithAttrs(attrs) })
}

func (m minLevel) WithGroup(name string) slog.Handler {
	return m.with(func(h slog.Handler) slog.Handler { return h.WithGroup(name) })
}

func (m minLevel) with(op func(slog.Handler) slog.Handler) minLevel {
	ops := make([]func(slog.Handler) slog.Handler, len(m.ops), len(m.ops)+1)
	copy(ops, m.ops)
	return minLevel{min: m.min, h: m.h, ops: append(ops, op)}
}

// indexIDs makes the embedded server's lookups by _id use an index.
//
// FerretDB v1.24 finds a document by a string _id with WHERE
// _ferretdb_sjson->'$._id' = ?, but its unique index is on
// _ferretdb_sjson->"_id", which SQLite does not match to that expression:
// every such lookup, update and delete parsed the JSON of every row of the
// table (EXPLAIN QUERY PLAN: SCAN). An index on FerretDB's own expression
// turns it into SEARCH (10,000 documents: FindOne 11.7 → 0.36 ms, UpdateOne
// 35.7 → 1.2 ms; STACK-NOTES.md). FerretDB does not know of the index and
// does not keep it when it drops a table, so it is created, if missing, at
// every Open, after every collection exists. The SQLite file is the one
// FerretDB keeps for the database, <dir>/<database>.sqlite; WAL mode and
// FerretDB's busy timeout let a second connection write to it.
func (e *embedded) indexIDs(ctx context.Context, database string) error {
	path := filepath.Join(e.dir, database+".sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open %s to index ids: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("list tables of %s: %w", path, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("list tables of %s: %w", path, err)
		}
		tables = append(tables, t)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("list tables of %s: %w", path, err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, "fieldlog_id_"+t, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index ids of table %s in %s: %w", t, path, err)
		}
	}
	return nil
}

// activityRow is what the index of activities needs of one record, read
// straight from the embedded server's SQLite table.
type activityRow struct {
	id, unit, date sql.NullString // null when the document lacks the field
	reporter       sql.NullInt64
	logged         sql.NullInt64 // Unix milliseconds; null when unset
	deleted        sql.NullBool  // null: no field, which {deleted: false} does not match
}

// scanActivities calls fn with the indexed fields of every document of
// the activities collection, read from FerretDB's SQLite table with
// SQLite's JSON functions: a projected find through the server decodes
// every whole document in Go and took 9–17 s for 50,000 records, this
// reads them in a fraction of a second (BENCHMARKS.md). FerretDB's JSON
// ("sjson") holds a string as a JSON string, a long as a number, a date
// as Unix milliseconds and a bool as true or false; a value of another
// type fails the scan, and the caller reads through the server instead.
// Callers make sure no record is being written meanwhile; the read sees
// what the server committed (WAL mode).
func (e *embedded) scanActivities(ctx context.Context, database string, fn func(activityRow) error) error {
	path := filepath.Join(e.dir, database+".sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("open %s to read activities: %w", path, err)
	}
	defer db.Close()
	var table string
	err = db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, colActivities).Scan(&table)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find the table of activities in %s: %w", path, err)
	}
	q := fmt.Sprintf(`SELECT json_extract(_ferretdb_sjson, '$._id'), json_extract(_ferretdb_sjson, '$.unit_id'),
		json_extract(_ferretdb_sjson, '$.date'), json_extract(_ferretdb_sjson, '$.reporter_id'),
		json_extract(_ferretdb_sjson, '$.logged_at'), json_extract(_ferretdb_sjson, '$.deleted') FROM %q`, table)
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("read activities from %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r activityRow
		if err := rows.Scan(&r.id, &r.unit, &r.date, &r.reporter, &r.logged, &r.deleted); err != nil {
			return fmt.Errorf("read activities from %s: %w", path, err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read activities from %s: %w", path, err)
	}
	return nil
}
