// Package storage is the MongoDB adapter of fieldlog: it implements
// fieldlog.Store and fieldlog.Inbox with the official Go driver.
//
// The same code runs against two servers: a real MongoDB in production, or
// an embedded FerretDB (SQLite backend) started in-process when no URI is
// configured, for small deployments and for tests. FerretDB speaks the wire
// protocol but is not MongoDB (see shared/STACK-NOTES.md), so this package
// uses only what both servers do correctly:
//
//   - plain and unique indexes, single and compound; no partial, TTL, text or
//     collation indexes (NotImplemented on the embedded server), so old data
//     is pruned with explicit deletes;
//   - find with filter, sort, skip, limit and projection, countDocuments,
//     insert, update with $set, findOneAndUpdate without projection;
//   - no transactions, no aggregation pipelines (the embedded server computes
//     only the first $group accumulator and silently returns wrong values for
//     the rest), no Decimal128 (crashes the embedded server's connection), no
//     $push with $slice (silently ignored);
//   - uniqueness is decided by inserts (duplicate key E11000 on both servers),
//     never by error codes of updates, which differ on the embedded server;
//   - $pull removes only elements equal to its value on the embedded server,
//     and {"arr.f": {$ne: v}} and $elemMatch match arrays of documents
//     wrongly there; $nor of an equality is right on both.
//
// The embedded server is slow in ways a real MongoDB is not (a lookup that
// is not by a string _id reads every document; a replace costs four inserts;
// every commit synced to disk), and this process is its only client, so in
// embedded mode only:
//
//   - users, conversations and the unit tree are answered from memory
//     (memo.go), written through to the store before the caller goes on;
//   - conversations are a journal of inserted states, group-committed
//     across users and pruned in batches (journal.go);
//   - the inbox has a connection of its own, and handled updates leave it
//     in batches (the bot's forgetter);
//   - each table gets an SQLite index on the expression FerretDB looks _id
//     up by (indexIDs), and the write-ahead log is synced every 100 ms
//     unless Config.Sync asks for every write.
//
// Times are stored in UTC truncated to milliseconds, the precision of a BSON
// date, and come back in UTC: a value written and read back is Equal to the
// truncated original. Callers compare times with Equal, not ==.
package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"fieldlog"
)

// DefaultDatabase is the database used when Config.Database is empty.
const DefaultDatabase = "fieldlog"

// Collection names.
const (
	colUsers         = "users"
	colAccounts      = "accounts"
	colUnits         = "units"
	colInvites       = "invites"
	colActivities    = "activities"
	colConversations = "conversations"
	colAttempts      = "attempts"
	colInbox         = "inbox"
	colNotes         = "notes"
	colCalendar      = "calendar"
	colReminders     = "reminders"
	colLeases        = "leases"
	colAudit         = "audit"
	colPeers         = "peers"
)

// Config says which server to use.
type Config struct {
	// URI of a MongoDB server, e.g. "mongodb://localhost:27017". When empty,
	// an embedded FerretDB is started with its files in DataDir.
	//
	// It must be a real MongoDB, not a FerretDB: through a URI the driver
	// uses a normal connection pool, and FerretDB then loses concurrent
	// updates (the concurrent-redeem test lets several users redeem one
	// invitation that way). See Open.
	URI string
	// Database name; DefaultDatabase when empty.
	Database string
	// DataDir holds the embedded server's SQLite files; it is created if
	// needed and locked against a second process. Unused when URI is set.
	DataDir string
	// Logger receives this package's messages and, at level Error only, the
	// embedded server's. slog.Default() when nil.
	Logger *slog.Logger
	// Sync says when the embedded server's writes reach the disk;
	// SyncInterval when empty. A real MongoDB follows its write concern.
	Sync Sync
	// OpTimeout bounds each store operation, so that a server that stopped
	// answering fails a request instead of holding it; zero means
	// DefaultOpTimeout. Reading every record of a report (EachActivity) is
	// bounded by its caller instead.
	OpTimeout time.Duration
	// Dialer, if not nil, makes the connections to the server (tests cut
	// them to simulate an outage).
	Dialer options.ContextDialer
}

// Sync is when the embedded server's writes are synced to disk.
type Sync string

// The ways of syncing. Either way a write the store has confirmed survives
// a stop or crash of the process; they differ on a power failure.
const (
	// SyncInterval syncs every 100 ms, as MongoDB writes its journal with
	// its default write concern: a power failure may lose the last 100 ms.
	SyncInterval Sync = "interval"
	// SyncEveryWrite syncs every write before confirming it: nothing
	// confirmed is lost even to a power failure, at a cost in speed
	// (BENCHMARKS.md).
	SyncEveryWrite Sync = "write"
)

// DefaultOpTimeout is Config.OpTimeout when none is given.
const DefaultOpTimeout = 10 * time.Second

// Store is the MongoDB-backed fieldlog.Store and fieldlog.Inbox. It is safe
// for concurrent use.
type Store struct {
	log    *slog.Logger
	client *mongo.Client
	// inboxClient is the inbox's own connection to the embedded server;
	// nil for MongoDB, whose pool serves all.
	inboxClient *mongo.Client
	db          *mongo.Database

	users, accounts, units, invites, activities, conversations, attempts, inbox, notes, calendar, reminders, leases, audit, peers *mongo.Collection

	embedded  *embedded // nil when connected to an external server
	memo      *memo     // what the embedded server holds, in memory; nil for MongoDB
	acts      *actIndex // the embedded server's records, indexed in memory; nil for MongoDB
	journal   *journal  // the embedded server's conversation states; nil for MongoDB
	opTimeout time.Duration

	closeOnce sync.Once
	closeErr  error
}

var (
	_ fieldlog.Store      = (*Store)(nil)
	_ fieldlog.Inbox      = (*Store)(nil)
	_ fieldlog.ChatLeases = (*Store)(nil)
	_ fieldlog.Peers      = (*Store)(nil)
)

// Open connects to the server described by cfg, starting the embedded one
// when cfg.URI is empty, and creates the indexes. Close releases it.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	dbName := cfg.Database
	if dbName == "" {
		dbName = DefaultDatabase
	}

	s := &Store{log: logger, opTimeout: cmp.Or(cfg.OpTimeout, DefaultOpTimeout)}
	uri := cfg.URI
	opts := options.Client().SetAppName("fieldlog")
	if uri == "" {
		e, err := startEmbedded(cfg.DataDir, logger, cmp.Or(cfg.Sync, SyncInterval))
		if err != nil {
			return nil, err
		}
		s.embedded = e
		s.memo = newMemo()
		s.acts = newActIndex()
		uri = e.uri
		// One connection only. The embedded server executes an update as a
		// read-modify-write in Go without a transaction, so two updates of
		// the same document on two connections lose one of them (measured:
		// $inc ×400 from 8 connections ended at 20). Requests on one
		// connection are handled one after another, which makes every
		// update, findOneAndUpdate included, atomic. A real MongoDB needs no
		// such limit and gets the driver's normal pool.
		opts.SetMaxPoolSize(1)
	}
	opts.ApplyURI(uri)

	// fail closes what was opened so far. It does not use ctx, which may be
	// the reason Open failed: the embedded server must stop and release the
	// data directory all the same.
	fail := func(err error) (*Store, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if cerr := s.Close(cctx); cerr != nil {
			s.log.Error("close after failed open", "err", cerr)
		}
		return nil, err
	}

	// The driver's own timeouts for finding a server and connecting, so
	// that a MongoDB that is down fails the start in seconds.
	opts.SetServerSelectionTimeout(10 * time.Second).SetConnectTimeout(10 * time.Second)
	if cfg.Dialer != nil {
		opts.SetDialer(cfg.Dialer)
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return fail(fmt.Errorf("connect to %s: %w", redact(cfg.URI), err))
	}
	s.client = client
	if err := client.Ping(ctx, readpref.Primary()); err != nil {
		return fail(fmt.Errorf("ping %s: %w", redact(cfg.URI), err))
	}

	s.db = client.Database(dbName)
	s.users = s.db.Collection(colUsers)
	s.accounts = s.db.Collection(colAccounts)
	s.units = s.db.Collection(colUnits)
	s.invites = s.db.Collection(colInvites)
	s.activities = s.db.Collection(colActivities)
	s.conversations = s.db.Collection(colConversations)
	s.attempts = s.db.Collection(colAttempts)
	s.inbox = s.db.Collection(colInbox)
	if s.embedded != nil {
		// The inbox gets a connection of its own: recording a batch of
		// updates (which Telegram is told of only then) must not wait
		// behind every user's step on the one connection of the others.
		// Its documents are never updated, only inserted and deleted,
		// which the embedded server does correctly from two connections.
		inboxOpts := options.Client().SetAppName("fieldlog-inbox").SetMaxPoolSize(1).ApplyURI(uri)
		if cfg.Dialer != nil {
			inboxOpts.SetDialer(cfg.Dialer)
		}
		inboxClient, err := mongo.Connect(inboxOpts)
		if err != nil {
			return fail(fmt.Errorf("connect to the embedded server for the inbox: %w", err))
		}
		s.inboxClient = inboxClient
		s.inbox = inboxClient.Database(dbName).Collection(colInbox)
	}
	s.notes = s.db.Collection(colNotes)
	s.calendar = s.db.Collection(colCalendar)
	s.reminders = s.db.Collection(colReminders)
	s.leases = s.db.Collection(colLeases)
	s.audit = s.db.Collection(colAudit)
	s.peers = s.db.Collection(colPeers)

	if err := s.createCollections(ctx); err != nil {
		return fail(err)
	}
	if err := s.createIndexes(ctx); err != nil {
		return fail(err)
	}
	if s.embedded != nil {
		if err := s.embedded.indexIDs(ctx, dbName); err != nil {
			return fail(err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return fail(err)
	}
	if s.memo != nil {
		if err := s.loadJournal(ctx); err != nil {
			return fail(err)
		}
	}
	if s.acts != nil {
		// Loaded now rather than by the first list (2 s for 50,000
		// records), so that no request waits for it; a failure here is
		// retried by that list.
		s.acts.mu.Lock()
		if err := s.acts.load(ctx, s); err != nil {
			s.log.Warn("load the index of activities", "err", err)
		}
		s.acts.mu.Unlock()
	}
	return s, nil
}

// op gives one store operation its deadline.
func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.opTimeout)
}

// redact names the server in errors without its credentials.
func redact(uri string) string {
	if uri == "" {
		return "embedded server"
	}
	u, err := url.Parse(uri)
	if err != nil {
		return "MongoDB server"
	}
	u.User = nil
	u.RawQuery = "" // may hold credentials or TLS key passwords too
	return u.String()
}

// Embedded reports whether the store runs on the embedded server.
func (s *Store) Embedded() bool { return s.embedded != nil }

// Close disconnects from the server and, for the embedded server, stops it
// and releases the data directory. Later calls return the first result.
func (s *Store) Close(ctx context.Context) error {
	s.closeOnce.Do(func() {
		var errs []error
		if s.inboxClient != nil {
			if err := s.inboxClient.Disconnect(ctx); err != nil {
				errs = append(errs, fmt.Errorf("disconnect the inbox: %w", err))
			}
		}
		if s.client != nil {
			if err := s.client.Disconnect(ctx); err != nil {
				errs = append(errs, fmt.Errorf("disconnect: %w", err))
			}
		}
		if err := s.stopEmbedded(ctx); err != nil {
			errs = append(errs, err)
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

func (s *Store) stopEmbedded(ctx context.Context) error {
	if s.embedded == nil {
		return nil
	}
	return s.embedded.stop(ctx)
}

// Drop deletes the store's database with everything in it. It is meant for
// tests that use a throw-away database on a shared server.
func (s *Store) Drop(ctx context.Context) error {
	if err := s.db.Drop(ctx); err != nil {
		return fmt.Errorf("drop database %s: %w", s.db.Name(), err)
	}
	return nil
}

// msTime prepares a time for storage: UTC, truncated to the millisecond
// precision of a BSON date, so that what is read back equals what was
// written. The zero time stays zero (and is left out of documents).
func msTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// findAll reads every document of coll matching filter and converts each
// with conv. For small results only (units, unhandled updates, a page of
// records): large ones stream, as EachActivity does.
func findAll[D, T any](ctx context.Context, coll *mongo.Collection, filter any, opts *options.FindOptionsBuilder, conv func(D) (T, error)) ([]T, error) {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", coll.Name(), err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", coll.Name(), err)
	}
	out := make([]T, len(docs))
	for i, d := range docs {
		if out[i], err = conv(d); err != nil {
			return nil, fmt.Errorf("read %s: %w", coll.Name(), err)
		}
	}
	return out, nil
}

// eachDoc calls fn for every document coll holds under filter, decoded as
// D, through a cursor: constant memory in the number of documents. The
// server-side cursor is killed with a context of its own, also when ctx is
// what ended the loop.
func eachDoc[D any](ctx context.Context, coll *mongo.Collection, filter any, opts *options.FindOptionsBuilder, fn func(D) error) error {
	cur, err := coll.Find(ctx, filter, opts)
	if err != nil {
		return fmt.Errorf("find in %s: %w", coll.Name(), err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = cur.Close(cctx)
	}()
	for cur.Next(ctx) {
		var d D
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("decode a document of %s: %w", coll.Name(), err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read %s: %w", coll.Name(), err)
	}
	return nil
}

// infallible adapts a conversion that cannot fail for findAll.
func infallible[D, T any](conv func(D) T) func(D) (T, error) {
	return func(d D) (T, error) { return conv(d), nil }
}

// notFound turns the driver's "no documents" into fieldlog.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fieldlog.ErrNotFound
	}
	return err
}

// duplicate turns a duplicate-key error into fieldlog.ErrDuplicate.
func duplicate(err error) error {
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("%w: %w", fieldlog.ErrDuplicate, err)
	}
	return err
}

// Ping checks that the server answers, for the readiness probe.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("ping the store: %w", err)
	}
	return nil
}
