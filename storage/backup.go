package storage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// An export is a directory holding one file per collection,
// <collection>.jsonl, with one document a line in MongoDB Extended JSON,
// canonical form (every number, date and binary keeps its BSON type), and
// manifest.json, written last: a directory without a manifest is an export
// that did not finish.
//
// It is the way from one server to another (the embedded store to MongoDB
// and back) and a backup of the embedded store; a real MongoDB is better
// backed up with mongodump (README.md).

// ManifestFile is the name of the manifest in an export directory.
const ManifestFile = "manifest.json"

// exportFormat marks a manifest as fieldlog's.
const exportFormat = "fieldlog-export"

// Manifest describes an export.
type Manifest struct {
	Format        string            `json:"format"`         // always "fieldlog-export"
	SchemaVersion int               `json:"schema_version"` // SchemaVersion of the code that exported
	ExportedAt    time.Time         `json:"exported_at"`    // when the export began
	Database      string            `json:"database"`
	Collections   []CollectionCount `json:"collections"`
}

// CollectionCount is one collection of an export.
type CollectionCount struct {
	Name      string `json:"name"`
	Documents int64  `json:"documents"`
	// Kept is set by Import only: documents of the export whose _id the
	// database held already, which were left as they were.
	Kept int64 `json:"-"`
}

// Documents is the number of documents in the export.
func (m Manifest) Documents() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Documents
	}
	return n
}

// Kept is the number of documents an import left as the database had them.
func (m Manifest) Kept() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Kept
	}
	return n
}

// ErrNotEmpty is returned by Import for a database that holds documents
// when ImportOptions.IntoNonEmpty is not set.
var ErrNotEmpty = errors.New("the database is not empty")

// ImportOptions change what Import accepts.
type ImportOptions struct {
	// IntoNonEmpty lets Import write into a database that holds documents.
	// A document whose _id is there already is left as it is and counted
	// in CollectionCount.Kept, as mongorestore does without --drop.
	IntoNonEmpty bool
}

// collectionName is what a collection must be called to be exported: its
// name is a file name.
var collectionName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9_.-]*$`)

// Export writes every collection of the database (system.* excepted) to
// dir, which must not hold an export already, and returns the manifest it
// wrote. It streams each collection from a cursor to a file, so memory does
// not grow with the number of documents. The bot should be stopped: what
// it writes meanwhile may or may not be in the export.
//
// On the embedded server a user's superseded conversation states (the
// journal's, journal.go), which Open would delete, are left out.
func (s *Store) Export(ctx context.Context, dir string) (Manifest, error) {
	m := Manifest{Format: exportFormat, SchemaVersion: SchemaVersion, ExportedAt: time.Now().UTC(), Database: s.db.Name()}
	if err := newExportDir(dir); err != nil {
		return m, err
	}
	names, err := s.collectionNames(ctx)
	if err != nil {
		return m, err
	}
	for _, name := range names {
		if !collectionName.MatchString(name) {
			return m, fmt.Errorf("export collection %q: its name cannot be a file name", name)
		}
		n, err := s.exportCollection(ctx, dir, name)
		if err != nil {
			return m, err
		}
		m.Collections = append(m.Collections, CollectionCount{Name: name, Documents: n})
	}
	if err := writeManifest(dir, m); err != nil {
		return m, err
	}
	return m, nil
}

// newExportDir creates dir if needed and refuses one that holds an export,
// finished or not, whose files this one would mix with its own.
func newExportDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create export directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read export directory: %w", err)
	}
	for _, e := range entries {
		if e.Name() == ManifestFile || strings.HasSuffix(e.Name(), ".jsonl") {
			return fmt.Errorf("export directory %s holds an export already (%s): choose a new directory", dir, e.Name())
		}
	}
	return nil
}

// collectionNames lists the database's collections, system.* excepted,
// sorted.
func (s *Store) collectionNames(ctx context.Context) ([]string, error) {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list collections of %s: %w", s.db.Name(), err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") })
	slices.Sort(names)
	return names, nil
}

// exportCollection writes the documents of one collection to
// dir/<name>.jsonl and returns how many it wrote.
func (s *Store) exportCollection(ctx context.Context, dir, name string) (int64, error) {
	path := filepath.Join(dir, name+".jsonl")
	skip := func(bson.Raw) bool { return false }
	if name == colConversations && s.journal != nil {
		var err error
		if skip, err = s.supersededStates(ctx); err != nil {
			return 0, err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", name, err)
	}
	defer f.Close() // again after the Close below: harmless
	w := bufio.NewWriterSize(f, 256<<10)
	cur, err := s.db.Collection(name).Find(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("export %s: %w", name, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	var n int64
	for cur.Next(ctx) {
		if skip(cur.Current) {
			continue
		}
		line, err := bson.MarshalExtJSON(cur.Current, true, false)
		if err != nil {
			return n, fmt.Errorf("export %s: document %v: %w", name, cur.Current.Lookup("_id"), err)
		}
		w.Write(line)
		if err := w.WriteByte('\n'); err != nil { // a bufio.Writer keeps its first error
			return n, fmt.Errorf("write %s: %w", path, err)
		}
		n++
	}
	if err := cur.Err(); err != nil {
		return n, fmt.Errorf("export %s: %w", name, err)
	}
	if err := errors.Join(w.Flush(), f.Sync(), f.Close()); err != nil {
		return n, fmt.Errorf("write %s: %w", path, err)
	}
	return n, nil
}

// supersededStates reads which states of the embedded server's
// conversation journal a later state of the same user replaces, and
// returns a test for them. It holds one number per user, not per document.
func (s *Store) supersededStates(ctx context.Context) (func(bson.Raw) bool, error) {
	cur, err := s.conversations.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "user", Value: 1}, {Key: "seq", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("export conversations: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	latest := map[string]int64{}
	for cur.Next(ctx) {
		user, seq := journalState(cur.Current)
		if seq >= latest[user] {
			latest[user] = seq
		}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("export conversations: %w", err)
	}
	return func(d bson.Raw) bool {
		user, seq := journalState(d)
		return seq < latest[user]
	}, nil
}

// journalState says whose state a conversations document is and its number
// in the journal; a state saved before the journal is the user's 0th.
func journalState(d bson.Raw) (user string, seq int64) {
	if u, ok := d.Lookup("user").StringValueOK(); ok {
		seq, _ = d.Lookup("seq").AsInt64OK()
		return u, seq
	}
	id, _ := d.Lookup("_id").StringValueOK()
	return id, 0
}

// writeManifest writes the manifest under a temporary name and renames it,
// so that a manifest is there whole or not at all.
func writeManifest(dir string, m Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	tmp := filepath.Join(dir, ManifestFile+".tmp")
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, ManifestFile)); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	// The rename reaches the disk with the directory.
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("write manifest: sync %s: %w", dir, err)
	}
	return nil
}

// ReadManifest reads and checks the manifest of the export in dir.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	path := filepath.Join(dir, ManifestFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return m, fmt.Errorf("%s has no %s: not an export, or one that did not finish", dir, ManifestFile)
	}
	if err != nil {
		return m, fmt.Errorf("read manifest: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("read %s: %w", path, err)
	}
	if m.Format != exportFormat {
		return m, fmt.Errorf("%s: format %q is not %q: not a fieldlog export", path, m.Format, exportFormat)
	}
	if m.SchemaVersion > SchemaVersion {
		return m, fmt.Errorf("%s: schema version %d is newer than this fieldlog's %d: import it with the fieldlog that exported it, or a newer one", path, m.SchemaVersion, SchemaVersion)
	}
	seen := map[string]bool{}
	for _, c := range m.Collections {
		if !collectionName.MatchString(c.Name) || seen[c.Name] {
			return m, fmt.Errorf("%s: collection name %q is not valid or not unique", path, c.Name)
		}
		seen[c.Name] = true
		if c.Documents < 0 {
			return m, fmt.Errorf("%s: collection %s has %d documents", path, c.Name, c.Documents)
		}
	}
	return m, nil
}

// Import loads the export in dir into the database and returns its
// manifest, with the documents kept for each collection. Every file is
// read and checked against the manifest before anything is written, so a
// malformed line or a missing document changes nothing; a database that
// holds documents is refused (ErrNotEmpty) unless opts allow it. Afterwards
// the indexes exist and documents of an older schema are migrated, as at
// Open. The store must not be serving the bot meanwhile.
//
// Conversations exported by the embedded server, whose ids are those of its
// journal, are given the user's id as their _id when imported into a real
// MongoDB, which keeps one document per user.
func (s *Store) Import(ctx context.Context, dir string, opts ImportOptions) (Manifest, error) {
	if s.acts != nil {
		// Records are written behind the index: whatever happens, it is
		// read anew afterwards.
		defer s.acts.forget()
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return m, err
	}
	for _, c := range m.Collections {
		if err := checkExportFile(dir, c); err != nil {
			return m, err
		}
	}
	if !opts.IntoNonEmpty {
		if err := s.checkEmpty(ctx); err != nil {
			return m, err
		}
	}
	for i, c := range m.Collections {
		if m.Collections[i].Kept, err = s.importCollection(ctx, dir, c, opts); err != nil {
			return m, err
		}
	}
	if err := s.afterImport(ctx); err != nil {
		return m, err
	}
	return m, nil
}

// checkExportFile reads every line of one collection's file and checks
// that it holds a document and that there are as many as the manifest says.
func checkExportFile(dir string, c CollectionCount) error {
	lines, err := openLines(dir, c.Name)
	if err != nil {
		return err
	}
	defer lines.close()
	var n int64
	for {
		if _, err := lines.next(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		n++
	}
	if n != c.Documents {
		return fmt.Errorf("%s holds %d documents, the manifest %d: the export is incomplete or was changed", lines.path, n, c.Documents)
	}
	return nil
}

// checkEmpty returns ErrNotEmpty, naming a collection, if any collection
// holds a document.
func (s *Store) checkEmpty(ctx context.Context) error {
	names, err := s.collectionNames(ctx)
	if err != nil {
		return err
	}
	for _, name := range names {
		err := s.db.Collection(name).FindOne(ctx, bson.D{}).Err()
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check that %s is empty: %w", name, err)
		}
		return fmt.Errorf("%w: collection %s of %s holds documents", ErrNotEmpty, name, s.db.Name())
	}
	return nil
}

// Batches of an import: InsertMany of a few hundred documents is one
// SQLite transaction on the embedded server and one round trip on MongoDB.
const (
	importBatch      = 500
	importBatchBytes = 4 << 20
)

// importCollection inserts the documents of one collection's file and
// returns how many were kept as the database had them.
func (s *Store) importCollection(ctx context.Context, dir string, c CollectionCount, opts ImportOptions) (int64, error) {
	lines, err := openLines(dir, c.Name)
	if err != nil {
		return 0, err
	}
	defer lines.close()
	coll := s.db.Collection(c.Name)
	// An empty collection is created all the same, so that the database
	// has the same collections as the export.
	if err := s.db.CreateCollection(ctx, c.Name); err != nil {
		var ce mongo.CommandError
		if !errors.As(err, &ce) || ce.Code != 48 { // NamespaceExists
			return 0, fmt.Errorf("import %s: create collection: %w", c.Name, err)
		}
	}
	oneDocPerUser := c.Name == colConversations && s.journal == nil
	var (
		batch          []any
		lineOf         []int // the line of each document of batch
		size           int
		inserted, kept int64
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := coll.InsertMany(ctx, batch, options.InsertMany().SetOrdered(false))
		failed := 0
		var bwe mongo.BulkWriteException
		switch {
		case err == nil:
		case errors.As(err, &bwe) && bwe.WriteConcernError == nil && len(bwe.WriteErrors) > 0:
			for _, we := range bwe.WriteErrors {
				if we.Index < 0 || we.Index >= len(batch) {
					return fmt.Errorf("import %s: %w", c.Name, err)
				}
				if opts.IntoNonEmpty && mongo.IsDuplicateKeyError(we) {
					kept++
					failed++
					continue
				}
				return fmt.Errorf("import %s line %d: %w", lines.path, lineOf[we.Index], we)
			}
		default:
			return fmt.Errorf("import %s lines %d-%d: %w", lines.path, lineOf[0], lineOf[len(lineOf)-1], err)
		}
		inserted += int64(len(batch) - failed)
		batch, lineOf, size = batch[:0], lineOf[:0], 0
		return nil
	}
	for {
		doc, err := lines.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return kept, err
		}
		if oneDocPerUser {
			if doc, err = singleConversation(doc); err != nil {
				return kept, fmt.Errorf("%s line %d: %w", lines.path, lines.n, err)
			}
		}
		batch = append(batch, doc)
		lineOf = append(lineOf, lines.n)
		size += len(doc)
		if len(batch) >= importBatch || size >= importBatchBytes {
			if err := flush(); err != nil {
				return kept, err
			}
		}
	}
	if err := flush(); err != nil {
		return kept, err
	}
	if inserted+kept != c.Documents {
		return kept, fmt.Errorf("import %s: %d documents inserted and %d kept, the manifest has %d", c.Name, inserted, kept, c.Documents)
	}
	if !opts.IntoNonEmpty {
		// What the server holds now, not what it said it inserted.
		n, err := coll.CountDocuments(ctx, bson.D{})
		if err != nil {
			return kept, fmt.Errorf("import %s: count: %w", c.Name, err)
		}
		if n != c.Documents {
			return kept, fmt.Errorf("import %s: the collection holds %d documents after the import, the manifest has %d", c.Name, n, c.Documents)
		}
	}
	return kept, nil
}

// singleConversation turns a state of the embedded server's conversation
// journal into the one document a user has on MongoDB: _id is the user's
// id, without the journal's user and seq. Other documents are unchanged.
func singleConversation(doc bson.Raw) (bson.Raw, error) {
	user, ok := doc.Lookup("user").StringValueOK()
	if !ok {
		return doc, nil
	}
	var d bson.D
	if err := bson.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("read conversation state: %w", err)
	}
	out := make(bson.D, 0, len(d))
	for _, e := range d {
		switch e.Key {
		case "_id":
			e.Value = user
		case "user", "seq":
			continue
		}
		out = append(out, e)
	}
	raw, err := bson.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("write conversation of user %s: %w", user, err)
	}
	return raw, nil
}

// afterImport does what Open does once the collections exist: indexes
// (the embedded server's on _id too, for the tables the import created),
// migrations, and the memo and journal read anew.
func (s *Store) afterImport(ctx context.Context) error {
	if err := s.createCollections(ctx); err != nil {
		return fmt.Errorf("after import: %w", err)
	}
	if err := s.createIndexes(ctx); err != nil {
		return fmt.Errorf("after import: %w", err)
	}
	if s.embedded != nil {
		if err := s.embedded.indexIDs(ctx, s.db.Name()); err != nil {
			return fmt.Errorf("after import: %w", err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return fmt.Errorf("after import: %w", err)
	}
	if s.acts != nil {
		s.acts.forget()
	}
	if s.memo != nil {
		s.memo.forget()
		if err := s.loadJournal(ctx); err != nil {
			return fmt.Errorf("after import: %w", err)
		}
	}
	return nil
}

// exportLines reads the documents of one collection's file, one a line.
type exportLines struct {
	path string
	f    *os.File
	r    *bufio.Reader
	n    int // the line last read, from 1
}

func openLines(dir, collection string) (*exportLines, error) {
	path := filepath.Join(dir, collection+".jsonl")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the file of collection %s: %w", collection, err)
	}
	return &exportLines{path: path, f: f, r: bufio.NewReaderSize(f, 256<<10)}, nil
}

func (l *exportLines) close() { l.f.Close() }

// next returns the next line's document, io.EOF after the last, or an
// error naming the file and line. A line is read whole, however long: a
// document may be 16 MB, more in JSON.
func (l *exportLines) next() (bson.Raw, error) {
	line, err := l.r.ReadBytes('\n')
	if errors.Is(err, io.EOF) && len(line) == 0 {
		return nil, io.EOF
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", l.path, err)
	}
	l.n++
	line = bytes.TrimSpace(line)
	bad := func(why string, args ...any) error {
		return fmt.Errorf("%s line %d: %s", l.path, l.n, fmt.Sprintf(why, args...))
	}
	if len(line) == 0 {
		return nil, bad("empty line, a document was expected")
	}
	// Valid first: UnmarshalExtJSON stops after the first value and would
	// take a line with something after it.
	if !json.Valid(line) {
		return nil, bad("not one JSON document (cut short, or changed by hand?)")
	}
	var doc bson.Raw
	if err := bson.UnmarshalExtJSON(line, true, &doc); err != nil {
		return nil, bad("not a document in Extended JSON: %v", err)
	}
	if _, err := doc.LookupErr("_id"); err != nil {
		return nil, bad("the document has no _id")
	}
	return doc, nil
}
