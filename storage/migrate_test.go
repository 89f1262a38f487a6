package storage

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
)

// TestMigrateEarlierShapes opens a store over documents the previous
// version wrote: notes paragraphs as plain strings, and handled updates
// kept in the inbox. The notes keep their text and get ids that delete
// buttons can carry; handled updates are not handled again.
func TestMigrateEarlierShapes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := t.Context()
	open := func() *Store {
		t.Helper()
		s, err := Open(ctx, Config{DataDir: dir, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	at := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	if _, err := s.notes.InsertOne(ctx, bson.D{
		{Key: "_id", Value: "galutu|2024-H1"}, {Key: "unit_id", Value: "galutu"}, {Key: "year", Value: 2024}, {Key: "half", Value: 1},
		{Key: "problems", Value: bson.A{"宣传覆盖面不够广", "ᠬᠦᠮᠦᠨ\u202Fᠦ ᠲᠣᠭ᠎ᠠ"}}, {Key: "plans", Value: bson.A{"加强培训"}},
		{Key: "updated_by", Value: int64(7)}, {Key: "updated_at", Value: at},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.inbox.InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: "tg:1"}, {Key: "chat_id", Value: int64(5)}, {Key: "payload", Value: []byte("{}")}, {Key: "received_at", Value: at}, {Key: "handled", Value: true}, {Key: "handled_at", Value: at}},
		bson.D{{Key: "_id", Value: "tg:2"}, {Key: "chat_id", Value: int64(5)}, {Key: "payload", Value: []byte("{}")}, {Key: "received_at", Value: at}, {Key: "handled", Value: false}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}

	s = open()
	defer s.Close(context.Background())
	n, err := s.Notes(ctx, "galutu", fieldlog.Period{Year: 2024, Half: 1})
	if err != nil {
		t.Fatal(err)
	}
	texts := func(ps []fieldlog.Paragraph) (out []string) {
		for _, p := range ps {
			if p.ID == "" {
				t.Errorf("paragraph %q has no id", p.Text)
			}
			out = append(out, p.Text)
		}
		return out
	}
	if got := texts(n.Problems); !reflect.DeepEqual(got, []string{"宣传覆盖面不够广", "ᠬᠦᠮᠦᠨ\u202Fᠦ ᠲᠣᠭ᠎ᠠ"}) {
		t.Errorf("problems after migration: %q", got)
	}
	if got := texts(n.Plans); !reflect.DeepEqual(got, []string{"加强培训"}) {
		t.Errorf("plans after migration: %q", got)
	}
	if err := s.DeleteParagraph(ctx, "galutu", fieldlog.Period{Year: 2024, Half: 1}, fieldlog.Problems, n.Problems[0].ID); err != nil {
		t.Errorf("delete a migrated paragraph: %v", err)
	}
	waiting, err := s.Unhandled(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(waiting) != 1 || waiting[0].Key != "tg:2" {
		t.Errorf("waiting after migration: %+v, want only tg:2", waiting)
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// Every store operation has a deadline of its own (Config.OpTimeout), so a
// server that stops answering fails the request instead of holding it.
func TestOperationsHaveATimeout(t *testing.T) {
	t.Parallel()
	s, err := Open(t.Context(), Config{DataDir: t.TempDir(), Logger: testLogger(t), OpTimeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	if _, err := s.User(t.Context(), 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("User with a deadline of 1ns: err = %v, want context.DeadlineExceeded", err)
	}
	if err := s.SaveConversation(t.Context(), fieldlog.Conversation{UserID: 1}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("SaveConversation with a deadline of 1ns: err = %v, want context.DeadlineExceeded", err)
	}
}

// minLevel passes on only errors, with the attributes and groups the
// logger was given, applied in order.
func TestMinLevelAppliesAttributesWhenItLogs(t *testing.T) {
	var buf strings.Builder
	h := minLevel{min: slog.LevelError, h: slog.NewTextHandler(&buf, nil)}
	l := slog.New(h).With("conn", 7).WithGroup("cmd").With("name", "insert")
	l.Info("chatty")
	l.Error("broken", "code", 11000)
	got := buf.String()
	if strings.Contains(got, "chatty") {
		t.Errorf("an Info record was passed on: %s", got)
	}
	if !strings.Contains(got, "msg=broken conn=7 cmd.name=insert cmd.code=11000") {
		t.Errorf("the Error record lacks its attributes: %s", got)
	}
}
