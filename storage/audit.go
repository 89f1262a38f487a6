package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"fieldlog"
)

// The audit trail, in the collection audit. Entries are only inserted.
//
// Each entry's _id is its subject and its number among the subject's
// entries, "record|k7q2m9abcdef|00000003", numbered 1, 2, 3 … without gaps.
// The latest entries of a subject (what an admin sees under a record) are
// then found by _id alone, which the embedded server looks up by index,
// instead of by a filter on the subject, which it answers by reading every
// entry of the collection (STACK-NOTES.md): the audit grows with every
// change ever made, and the embedded server has one connection for all
// users. The highest number is found by looking up ids (1, 2, 4 … until
// one is missing, then halving the gap): a handful of lookups for a
// record's few entries. Two entries appended at once for one subject take
// the same number; the insert decides, and the loser takes the next.
//
// AuditSince sorts by time with the index on at. On the embedded server it
// reads the whole collection, which is fine for the audit command; the
// index is for a real MongoDB.

// auditDoc is one entry of the audit trail.
type auditDoc struct {
	ID          string      `bson:"_id"`
	At          time.Time   `bson:"at"`
	Actor       int64       `bson:"actor"`
	ActorName   string      `bson:"actor_name"`
	Action      string      `bson:"action"`
	SubjectKind string      `bson:"subject_kind"`
	SubjectID   string      `bson:"subject_id"`
	Seq         int         `bson:"seq"` // the entry's number among its subject's
	Changes     []changeDoc `bson:"changes"`
}

// changeDoc is one field's change; empty values are left out.
type changeDoc struct {
	Field string `bson:"field"`
	Old   string `bson:"old,omitempty"`
	New   string `bson:"new,omitempty"`
}

// auditID is the _id of the seq-th entry about s.
func auditID(s fieldlog.AuditSubject, seq int) string {
	return fmt.Sprintf("%s|%s|%08d", s.Kind, s.ID, seq)
}

func toAuditDoc(e fieldlog.AuditEntry, seq int) auditDoc {
	changes := make([]changeDoc, len(e.Changes)) // never nil: stored as [] rather than null
	for i, c := range e.Changes {
		changes[i] = changeDoc{Field: c.Field, Old: c.Old, New: c.New}
	}
	return auditDoc{ID: auditID(e.Subject, seq), At: msTime(e.At), Actor: e.Actor, ActorName: e.ActorName,
		Action: string(e.Action), SubjectKind: string(e.Subject.Kind), SubjectID: e.Subject.ID, Seq: seq, Changes: changes}
}

func (d auditDoc) entry() fieldlog.AuditEntry {
	e := fieldlog.AuditEntry{ID: d.ID, At: d.At, Actor: d.Actor, ActorName: d.ActorName, Action: fieldlog.AuditAction(d.Action),
		Subject: fieldlog.AuditSubject{Kind: fieldlog.SubjectKind(d.SubjectKind), ID: d.SubjectID}}
	for _, c := range d.Changes {
		e.Changes = append(e.Changes, fieldlog.FieldChange{Field: c.Field, Old: c.Old, New: c.New})
	}
	return e
}

// maxAuditTries bounds how often an append looks for a free number when
// others keep taking it.
const maxAuditTries = 10

// AppendAudit stores e as the next entry about its subject.
func (s *Store) AppendAudit(ctx context.Context, e fieldlog.AuditEntry) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	last := 0
	for range maxAuditTries {
		var err error
		if last, err = s.lastAuditSeq(ctx, e.Subject, last); err != nil {
			return fmt.Errorf("append audit entry %s: %w", e.Action, err)
		}
		_, err = s.audit.InsertOne(ctx, toAuditDoc(e, last+1))
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("append audit entry %s: %w", auditID(e.Subject, last+1), err)
		}
		last++ // taken meanwhile: it exists now
	}
	return fmt.Errorf("append audit entry %s of %s %s: its number was taken %d times", e.Action, e.Subject.Kind, e.Subject.ID, maxAuditTries)
}

// AuditOf returns the latest entries about subj, newest first.
func (s *Store) AuditOf(ctx context.Context, subj fieldlog.AuditSubject, limit int) ([]fieldlog.AuditEntry, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	last, err := s.lastAuditSeq(ctx, subj, 0)
	if err != nil {
		return nil, fmt.Errorf("audit of %s %s: %w", subj.Kind, subj.ID, err)
	}
	var out []fieldlog.AuditEntry
	for seq := last; seq >= 1 && (limit <= 0 || len(out) < limit); seq-- {
		var d auditDoc
		err := s.audit.FindOne(ctx, bson.D{{Key: "_id", Value: auditID(subj, seq)}}).Decode(&d)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue // not written by AppendAudit: an import that left one out
		}
		if err != nil {
			return nil, fmt.Errorf("read audit entry %s: %w", auditID(subj, seq), err)
		}
		out = append(out, d.entry())
	}
	return out, nil
}

// lastAuditSeq is the number of the latest entry about subj, 0 if none;
// entry from exists (or from is 0). Entries are numbered without gaps, so
// it is found by looking up ids: from+1, from+2, from+4 … until one is
// missing, then by halving the gap between the last found and the first
// missing.
func (s *Store) lastAuditSeq(ctx context.Context, subj fieldlog.AuditSubject, from int) (int, error) {
	found, missing := from, 0
	for step := 1; missing == 0; step *= 2 {
		ok, err := s.auditExists(ctx, subj, found+step)
		if err != nil {
			return 0, err
		}
		if ok {
			found += step
		} else {
			missing = found + step
		}
	}
	for missing-found > 1 {
		mid := (found + missing) / 2
		ok, err := s.auditExists(ctx, subj, mid)
		if err != nil {
			return 0, err
		}
		if ok {
			found = mid
		} else {
			missing = mid
		}
	}
	return found, nil
}

// auditExists reports whether the seq-th entry about subj exists.
func (s *Store) auditExists(ctx context.Context, subj fieldlog.AuditSubject, seq int) (bool, error) {
	err := s.audit.FindOne(ctx, bson.D{{Key: "_id", Value: auditID(subj, seq)}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look up audit entry %s: %w", auditID(subj, seq), err)
	}
	return true, nil
}

// AuditSince calls fn for every entry made at or after since, oldest
// first, reading them in batches.
func (s *Store) AuditSince(ctx context.Context, since time.Time, fn func(fieldlog.AuditEntry) error) error {
	opts := options.Find().
		SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}).
		SetBatchSize(eachBatchSize)
	// fn's own error comes back as it is; eachDoc names the collection in
	// its own.
	return eachDoc(ctx, s.audit, bson.D{{Key: "at", Value: bson.D{{Key: "$gte", Value: msTime(since)}}}}, opts,
		func(d auditDoc) error { return fn(d.entry()) })
}
