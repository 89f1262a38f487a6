package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// BenchmarkAudit measures, on the embedded server with an audit trail of
// 20,000 entries (5,000 records of 4 entries), what opening a record's
// details costs an admin (AuditOf, by _id) against a find by subject,
// which the embedded server answers by reading every entry; and what a
// save adds (AppendAudit of a new record's first entry).
func BenchmarkAudit(b *testing.B) {
	s := openForBench(b)
	ctx := context.Background()
	at := time.Date(2024, 6, 20, 2, 0, 0, 0, time.UTC)
	var docs []any
	for r := range 5000 {
		subj := fieldlog.RecordSubject(fieldlog.ActivityID(fmt.Sprintf("rec%09d", r)))
		for seq := 1; seq <= 4; seq++ {
			e := fieldlog.AuditEntry{At: at, Actor: 7000003, ActorName: "Bat", Action: fieldlog.ActionRecordEdit, Subject: subj,
				Changes: []fieldlog.FieldChange{{Field: fieldlog.FieldParticipants, Old: "80+", New: "95"}}}
			docs = append(docs, toAuditDoc(e, seq))
		}
	}
	if _, err := s.audit.InsertMany(ctx, docs); err != nil {
		b.Fatal(err)
	}
	subj := fieldlog.RecordSubject("rec000002500")
	b.Run("AuditOf5", func(b *testing.B) {
		for b.Loop() {
			es, err := s.AuditOf(ctx, subj, 5)
			must(b, err)
			if len(es) != 4 {
				b.Fatalf("%d entries, want 4", len(es))
			}
		}
	})
	b.Run("FindBySubject", func(b *testing.B) {
		for b.Loop() {
			cur, err := s.audit.Find(ctx, bson.D{{Key: "subject_kind", Value: subj.Kind}, {Key: "subject_id", Value: subj.ID}},
				options.Find().SetSort(bson.D{{Key: "seq", Value: -1}}).SetLimit(5))
			must(b, err)
			var got []auditDoc
			must(b, cur.All(ctx, &got))
			if len(got) != 4 {
				b.Fatalf("%d entries, want 4", len(got))
			}
		}
	})
	i := 0
	b.Run("AppendNewRecord", func(b *testing.B) {
		for b.Loop() {
			i++
			must(b, s.AppendAudit(ctx, fieldlog.AuditEntry{At: at, Actor: 7000003, Action: fieldlog.ActionRecordCreate,
				Subject: fieldlog.RecordSubject(fieldlog.ActivityID(fmt.Sprint("new", i)))}))
		}
	})
}
