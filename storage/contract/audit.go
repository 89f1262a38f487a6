package contract

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"fieldlog"
)

// The audit trail: entries come back as appended, the latest of a subject
// newest first, and every entry since a time oldest first.

func auditEntry(at time.Time, actor int64, action fieldlog.AuditAction, s fieldlog.AuditSubject, changes ...fieldlog.FieldChange) fieldlog.AuditEntry {
	return fieldlog.AuditEntry{At: at, Actor: actor, ActorName: fmt.Sprint("user ", actor), Action: action, Subject: s, Changes: changes}
}

// withoutIDs are entries as appended: the store chooses the IDs.
func withoutIDs(es []fieldlog.AuditEntry) []fieldlog.AuditEntry {
	out := slices.Clone(es)
	for i := range out {
		out[i].ID = ""
	}
	return out
}

func testAudit(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	rec, other := fieldlog.RecordSubject("r1"), fieldlog.RecordSubject("r2")
	t0 := time.Date(2025, 6, 18, 9, 0, 0, 123456789, beijing(t))
	var want []fieldlog.AuditEntry
	for i, e := range []fieldlog.AuditEntry{
		auditEntry(t0, 7, fieldlog.ActionRecordCreate, rec,
			fieldlog.FieldChange{Field: fieldlog.FieldTitle, New: "ᠪᠠᠲᠤ 政策赶大集 🎉"},
			fieldlog.FieldChange{Field: fieldlog.FieldParticipants, New: "80+"}),
		auditEntry(t0.Add(time.Minute), 7, fieldlog.ActionRecordCreate, other),
		auditEntry(t0.Add(2*time.Minute), 9, fieldlog.ActionRecordReturn, rec,
			fieldlog.FieldChange{Field: fieldlog.FieldReview, New: string(fieldlog.Returned)},
			fieldlog.FieldChange{Field: fieldlog.FieldComment, New: "人数请核实"}),
		auditEntry(t0.Add(3*time.Minute), 7, fieldlog.ActionRecordEdit, rec,
			fieldlog.FieldChange{Field: fieldlog.FieldParticipants, Old: "80+", New: "95"}),
		auditEntry(t0.Add(4*time.Minute), 7, fieldlog.ActionRecordDelete, rec),
	} {
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatalf("append entry %d: %v", i, err)
		}
		if e.Subject == rec {
			e.At = ms(e.At)
			want = append(want, e)
		}
	}
	slices.Reverse(want)

	got, err := s.AuditOf(ctx, rec, 0)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "all entries of r1, newest first", withoutIDs(got), want)
	ids := map[string]bool{}
	for _, e := range got {
		if e.ID == "" || ids[e.ID] {
			t.Errorf("entry ID %q is empty or not unique among %+v", e.ID, got)
		}
		ids[e.ID] = true
		if e.At.Location() != time.UTC {
			t.Errorf("entry time %v is not in UTC", e.At)
		}
	}
	latest, err := s.AuditOf(ctx, rec, 2)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "the latest 2 entries of r1", withoutIDs(latest), want[:2])

	none, err := s.AuditOf(ctx, fieldlog.UserSubject(7), 5)
	if err != nil || len(none) != 0 {
		t.Errorf("a subject without entries: %+v, %v", none, err)
	}
	// Subjects of other kinds with the same id are others.
	if err := s.AppendAudit(ctx, auditEntry(t0, 1, fieldlog.ActionUserJoin, fieldlog.AuditSubject{Kind: fieldlog.SubjectUser, ID: "r1"})); err != nil {
		t.Fatal(err)
	}
	if n, err := s.AuditOf(ctx, rec, 0); err != nil || len(n) != len(want) {
		t.Errorf("after an entry of user r1, record r1 has %d entries (err %v), want %d", len(n), err, len(want))
	}
}

func testAuditSince(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	t0 := time.Date(2025, 6, 18, 9, 0, 0, 0, time.UTC)
	// Appended out of time order, as two processes may: read back by time.
	for _, e := range []fieldlog.AuditEntry{
		auditEntry(t0.Add(2*time.Hour), 1, fieldlog.ActionDeadlineSet, fieldlog.PeriodSubject("hepan", fieldlog.Period{Year: 2025, Half: 1}),
			fieldlog.FieldChange{Field: fieldlog.FieldDue, Old: "2025-06-25", New: "2025-06-28"}),
		auditEntry(t0.Add(-time.Hour), 2, fieldlog.ActionInviteCreate, fieldlog.UnitSubject("hepan")), // before since
		auditEntry(t0, 3, fieldlog.ActionUserJoin, fieldlog.UserSubject(3)),                           // exactly since
		auditEntry(t0.Add(time.Hour), 4, fieldlog.ActionPeriodReopen, fieldlog.PeriodSubject("hepan", fieldlog.Period{Year: 2025, Half: 1})),
	} {
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var actors []int64
	err := s.AuditSince(ctx, t0, func(e fieldlog.AuditEntry) error {
		actors = append(actors, e.Actor)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "actors of the entries since t0, oldest first", actors, []int64{3, 4, 1})

	// An error from fn stops the reading and is returned.
	stop := fmt.Errorf("enough")
	n := 0
	err = s.AuditSince(ctx, time.Time{}, func(fieldlog.AuditEntry) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("AuditSince after fn failed: err %v after %d entries, want %v after 1", err, n, stop)
	}
}

func testAuditAppendConcurrently(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	rec := fieldlog.RecordSubject("busy")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	at := time.Date(2025, 6, 18, 9, 0, 0, 0, time.UTC)
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = s.AppendAudit(ctx, auditEntry(at, int64(100+i), fieldlog.ActionRecordEdit, rec))
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("append by %d: %v", 100+i, err)
		}
	}
	got, err := s.AuditOf(ctx, rec, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actors []int64
	for _, e := range got {
		actors = append(actors, e.Actor)
	}
	slices.Sort(actors)
	equal(t, "actors of the entries appended at once", actors, []int64{100, 101, 102, 103, 104, 105, 106, 107})
}
