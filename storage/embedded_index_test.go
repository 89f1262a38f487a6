package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
)

// The embedded server's lookups by _id go through an index, in every table,
// after a reopen too: SQLite's plan for FerretDB's own query is a SEARCH,
// not a SCAN of every row.
func TestEmbeddedLooksUpByIndex(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for range 2 { // the second Open finds the index there, or makes it again
		s, err := Open(t.Context(), Config{DataDir: dir, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveUser(t.Context(), fieldlog.User{ID: 42, Lang: fieldlog.Chinese}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DefaultDatabase+".sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name, table_name FROM _ferretdb_collections`)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			t.Fatal(err)
		}
		tables[name] = table
	}
	rows.Close()
	for _, c := range []string{colUsers, colUnits, colInvites, colActivities, colConversations, colAttempts, colInbox, colNotes, colAudit} {
		table, ok := tables[c]
		if !ok {
			t.Errorf("collection %s has no table at Open", c)
			continue
		}
		var plan strings.Builder
		prows, err := db.Query(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = ?`, `"42"`)
		if err != nil {
			t.Fatal(err)
		}
		for prows.Next() {
			var id, parent, unused int
			var detail string
			if err := prows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(detail)
		}
		prows.Close()
		if !strings.Contains(plan.String(), "USING INDEX fieldlog_id_") {
			t.Errorf("%s: lookup by _id plans %q, want the id index", c, plan.String())
		}
	}
}

// Users and conversations stored with a numeric _id by earlier versions
// are found by their id after Open.
func TestMigrateNumericIDs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(t.Context(), Config{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := s.users.InsertOne(ctx, bson.D{{Key: "_id", Value: int64(7001)}, {Key: "chat_id", Value: int64(7001)},
		{Key: "name", Value: "巴图"}, {Key: "lang", Value: "mn-Mong"}, {Key: "role", Value: "officer"}, {Key: "unit_id", Value: "hepan"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.conversations.InsertOne(ctx, bson.D{{Key: "_id", Value: int64(7001)}, {Key: "conversation_id", Value: "c1"},
		{Key: "flow", Value: "log"}, {Key: "step", Value: "ppl"}, {Key: "draft", Value: bson.D{{Key: "_id", Value: "d1"}, {Key: "title", Value: "宣讲"}}},
		{Key: "vars", Value: bson.D{}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	u, err := s.User(ctx, 7001)
	if err != nil || u.Name != "巴图" || u.Role != fieldlog.Officer || u.UnitID != "hepan" {
		t.Errorf("user after migration: %+v, %v", u, err)
	}
	c, err := s.Conversation(ctx, 7001)
	if err != nil || c.UserID != 7001 || c.Step != "ppl" || c.Draft.Title != "宣讲" {
		t.Errorf("conversation after migration: %+v, %v", c, err)
	}
	if n, _ := s.users.CountDocuments(ctx, bson.D{}); n != 1 {
		t.Errorf("%d user documents after migration, want 1", n)
	}
}
