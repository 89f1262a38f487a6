package storage

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"fieldlog"
	"fieldlog/storage/contract"
)

// On a real MongoDB a review's answer is checked by the update's filter
// (threadHolds), not under the embedded index's lock. The embedded server
// runs that filter too, so the path is tested here with the lock taken
// away: of answers given at once, one is written.
func TestReviewFilterAsOnMongoDB(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	s.acts = nil // as connected to a real MongoDB

	at := time.Date(2025, 6, 10, 9, 0, 0, 0, time.UTC)
	for i, id := range []fieldlog.ActivityID{"n0", "n1", "n2"} {
		a := fieldlog.Activity{ID: id, SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2025, Month: 6, Day: 7},
			Title: "宣讲", UnitID: "hepan", ReporterID: 7001, LoggedAt: at}
		if err := s.InsertActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
		for range i {
			if err := s.ReviewActivity(ctx, id, fieldlog.ReviewNote{State: fieldlog.Returned, By: 9, At: at, Text: "人数请核实"}, fieldlog.AnyThread); err != nil {
				t.Fatal(err)
			}
		}
	}
	for n, want := range []string{"n0", "n1", "n2"} {
		var docs []bson.M
		cur, err := s.activities.Find(ctx, bson.D{threadHolds(n)})
		if err != nil {
			t.Fatal(err)
		}
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		if len(docs) != 1 || docs[0]["_id"] != want {
			t.Errorf("threadHolds(%d) matches %v, want %s alone", n, docs, want)
		}
	}

	written := contract.AnswerAtOnce(t, s, "n1", 1, 8, at)
	got, err := s.Activity(ctx, "n1")
	if err != nil {
		t.Fatal(err)
	}
	if written != 1 || len(got.Review.Thread) != 2 {
		t.Errorf("%d answers written, thread of %d notes; want 1 and 2", written, len(got.Review.Thread))
	}
}
