package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/storage/memory"
)

// The audit command prints one tab-separated line per entry since the
// day, oldest first, in the deployment's time, each change in a cell.
func TestWriteAudit(t *testing.T) {
	ctx := context.Background()
	loc := mustLoc(t)
	store := memory.New()
	rec := fieldlog.RecordSubject("k7q2m9abcdef")
	for _, e := range []fieldlog.AuditEntry{
		{At: time.Date(2024, 6, 19, 23, 59, 0, 0, loc), Actor: 1, ActorName: "Admin", Action: fieldlog.ActionInviteCreate, Subject: fieldlog.UnitSubject("galutu")},
		{At: time.Date(2024, 6, 20, 11, 0, 5, 0, loc), Actor: 7000003, ActorName: "Bat", Action: fieldlog.ActionRecordEdit, Subject: rec,
			Changes: []fieldlog.FieldChange{{Field: "participants", Old: "80+", New: "95"}, {Field: "title", Old: "旧\t名称\n", New: "=1+1"}}},
		{At: time.Date(2024, 6, 20, 9, 30, 0, 0, loc), Actor: 7000002, ActorName: "=王干事", Action: fieldlog.ActionDeadlineSet,
			Subject: fieldlog.PeriodSubject("galutu", fieldlog.Period{Year: 2024, Half: 1}), Changes: []fieldlog.FieldChange{{Field: "due", Old: "2024-06-25", New: "2024-06-28"}}},
	} {
		if err := store.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	since := time.Date(2024, 6, 20, 0, 0, 0, 0, loc)
	var out bytes.Buffer
	if err := writeAudit(ctx, store, since, "", loc, &out); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"time\tactor\tname\taction\tsubject\tchanges",
		"2024-06-20 09:30:00\t7000002\t'=王干事\tdeadline.set\tperiod:galutu/2024-H1\tdue: 2024-06-25 → 2024-06-28",
		"2024-06-20 11:00:05\t7000003\tBat\trecord.edit\trecord:k7q2m9abcdef\tparticipants: 80+ → 95\ttitle: 旧 名称  → =1+1",
		"",
	}, "\n")
	if out.String() != want {
		t.Errorf("audit since 20 June:\n%s\nwant\n%s", out.String(), want)
	}

	out.Reset()
	if err := writeAudit(ctx, store, since, "k7q2m9abcdef", loc, &out); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "\trecord.edit\t") {
		t.Errorf("audit of one record:\n%s", out.String())
	}
}

func TestAuditCommandNeedsADay(t *testing.T) {
	env := map[string]string{"FIELDLOG_DATA_DIR": t.TempDir()}
	for _, args := range [][]string{{"audit"}, {"audit", "--since", "20.6.2024"}, {"audit", "--since", "2024-06-20", "extra"}, {"audit", "--until", "x"}} {
		err := run(context.Background(), args, world{getenv: getenv(env), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
		if err == nil || !strings.Contains(err.Error(), "audit") {
			t.Errorf("%q: err = %v, want one naming the audit command", args, err)
		}
	}
}
