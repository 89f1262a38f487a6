package storage

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
)

// A state of the embedded server's journal becomes the user's one
// conversation document on MongoDB, every other field unchanged.
func TestSingleConversation(t *testing.T) {
	at := time.Date(2025, 6, 7, 10, 0, 0, 0, time.UTC)
	journal, err := bson.Marshal(bson.D{{Key: "_id", Value: "7001/3"}, {Key: "user", Value: "7001"}, {Key: "seq", Value: int64(3)},
		{Key: "flow", Value: "log"}, {Key: "vars", Value: bson.D{{Key: "n", Value: int32(2)}}}, {Key: "updated_at", Value: at}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := bson.Marshal(bson.D{{Key: "_id", Value: "7001"}, {Key: "flow", Value: "log"},
		{Key: "vars", Value: bson.D{{Key: "n", Value: int32(2)}}}, {Key: "updated_at", Value: at}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := singleConversation(journal)
	if err != nil || string(got) != string(want) {
		t.Errorf("singleConversation:\n got %s, %v\nwant %s", got, err, bson.Raw(want))
	}
	// A document of MongoDB's form, or saved before the journal, is one already.
	if got, err := singleConversation(want); err != nil || string(got) != string(want) {
		t.Errorf("singleConversation of a single one: %s, %v", got, err)
	}
}

// Collections that the import creates get the indexes Open makes: the
// store's own, and on the embedded server the SQLite index by _id, which
// FerretDB does not know and does not make for a new table.
func TestImportIndexesWhatItCreates(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	src, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close(context.Background())
	if err := src.InsertActivity(ctx, fieldlog.Activity{ID: "a1", UnitID: "u", ReporterID: 1, Date: fieldlog.Date{Year: 2025, Month: 6, Day: 1}}); err != nil {
		t.Fatal(err)
	}
	// A collection the code does not create at Open.
	if _, err := src.db.Collection("extra").InsertOne(ctx, bson.D{{Key: "_id", Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := src.Export(ctx, dir); err != nil {
		t.Fatal(err)
	}

	dstDir := t.TempDir()
	dst, err := Open(ctx, Config{DataDir: dstDir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close(context.Background())
	// Without its collection, activities is created by the import.
	if err := dst.activities.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.Import(ctx, dir, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	specs, err := dst.activities.Indexes().ListSpecifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range specs {
		names = append(names, s.Name)
	}
	for _, ix := range indexes() {
		if ix.collection == colActivities && !slices.Contains(names, ix.name) {
			t.Errorf("activities after import has indexes %v, not %s", names, ix.name)
		}
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dstDir, DefaultDatabase+".sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []string{colActivities, "extra"} {
		var table string
		if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, c).Scan(&table); err != nil {
			t.Fatalf("table of %s: %v", c, err)
		}
		var plan strings.Builder
		rows, err := db.Query(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = ?`, `"x"`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(detail)
		}
		rows.Close()
		if !strings.Contains(plan.String(), "USING INDEX fieldlog_id_") {
			t.Errorf("%s after import: lookup by _id plans %q, want the id index", c, plan.String())
		}
	}
}

// With MONGODB_TEST_URI: from the embedded store to MongoDB and back, as an
// operator moves, the bot finds everything, conversations included (one
// document per user on MongoDB, a journal on the embedded server).
func TestImportAcrossServers(t *testing.T) {
	uri := os.Getenv("MONGODB_TEST_URI")
	if uri == "" {
		t.Skip("MONGODB_TEST_URI not set: moving between the embedded store and MongoDB needs a MongoDB")
	}
	t.Parallel()
	ctx := t.Context()
	embedded, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer embedded.Close(context.Background())
	for _, step := range []string{"type", "title"} {
		if err := embedded.SaveConversation(ctx, fieldlog.Conversation{UserID: 7001, Flow: "log", Step: step, Applied: []string{"tg:" + step}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := embedded.SaveUser(ctx, fieldlog.User{ID: 7001, ChatID: 7001, Lang: fieldlog.Mongolian}); err != nil {
		t.Fatal(err)
	}
	toMongo := filepath.Join(t.TempDir(), "to-mongo")
	if _, err := embedded.Export(ctx, toMongo); err != nil {
		t.Fatal(err)
	}
	remote, err := Open(ctx, Config{URI: uri, Database: "fieldlog_test_across_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", ""), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		remote.Drop(context.Background())
		remote.Close(context.Background())
	}()
	if _, err := remote.Import(ctx, toMongo, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	c, err := remote.Conversation(ctx, 7001)
	if err != nil || c.Step != "title" || !slices.Equal(c.Applied, []string{"tg:title"}) {
		t.Errorf("conversation on MongoDB: %+v, %v", c, err)
	}
	if u, err := remote.User(ctx, 7001); err != nil || u.Lang != fieldlog.Mongolian {
		t.Errorf("user on MongoDB: %+v, %v", u, err)
	}

	back := filepath.Join(t.TempDir(), "back")
	if _, err := remote.Export(ctx, back); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close(context.Background())
	if _, err := again.Import(ctx, back, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if c, err := again.Conversation(ctx, 7001); err != nil || c.Step != "title" {
		t.Errorf("conversation back on the embedded store: %+v, %v", c, err)
	}
	// The next save continues the journal.
	if err := again.SaveConversation(ctx, fieldlog.Conversation{UserID: 7001, Flow: "log", Step: "photos"}); err != nil {
		t.Fatal(err)
	}
	if c, err := again.Conversation(ctx, 7001); err != nil || c.Step != "photos" {
		t.Errorf("conversation saved after the import: %+v, %v", c, err)
	}
}
