package storage

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
)

// Many users save steps at once (the saves are group-committed); after a
// reopen each user continues from their last state, and superseded states
// are deleted.
func TestJournalKeepsEachUsersLastState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := t.Context()
	s, err := Open(ctx, Config{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	const users, steps = 40, 30
	var wg sync.WaitGroup
	for u := range users {
		wg.Go(func() {
			for i := range steps {
				c := fieldlog.Conversation{UserID: int64(1000 + u), ID: "c", Flow: "log", Step: fmt.Sprint("step", i),
					Applied: []string{fmt.Sprintf("tg:%d", u*steps+i)}}
				if err := s.SaveConversation(ctx, c); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	check := func(s *Store, when string) {
		t.Helper()
		for u := range users {
			c, err := s.Conversation(ctx, int64(1000+u))
			if err != nil || c.Step != fmt.Sprint("step", steps-1) || !c.HasApplied(fmt.Sprintf("tg:%d", u*steps+steps-1)) {
				t.Fatalf("%s: user %d has %+v, %v; want the last step", when, u, c, err)
			}
		}
	}
	check(s, "before the reopen")
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	check(s, "after the reopen")
	if n, err := s.conversations.CountDocuments(ctx, bson.D{}); err != nil || n != users {
		t.Errorf("%d conversation documents after the reopen, want one per user (%d): %v", n, users, err)
	}
	if _, err := s.Conversation(ctx, 99); err == nil {
		t.Error("a user who never saved has a conversation")
	}
}
