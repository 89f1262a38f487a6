package office_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/parse"
)

// Deadlines are set by who may act on the unit, within their range; each
// is audited with the deadline it replaced, and locks at once.
func TestWhoMaySetADeadline(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	due := day(2024, 6, 22)
	for _, u := range []fieldlog.User{officer, otherCoord, admin} {
		if _, err := w.office.SetDeadline(ctx, u, "town", h1, due); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s sets the township's deadline: %v", u.Name, err)
		}
	}
	var invalid *office.InvalidError
	if _, err := w.office.SetDeadline(ctx, coord, "town", h1, day(2024, 6, 19)); !errors.As(err, &invalid) || !errors.Is(err, parse.ErrPastDate) {
		t.Errorf("a deadline yesterday: %v", err)
	}
	if _, err := w.office.SetDeadline(ctx, coord, "town", h1, day(2024, 9, 2)); !errors.As(err, &invalid) || !errors.Is(err, parse.ErrTooLate) {
		t.Errorf("a deadline past the reach: %v", err)
	}
	if es, _ := w.store.AuditOf(ctx, fieldlog.PeriodSubject("town", h1), 0); len(es) != 0 {
		t.Errorf("refused deadlines audited: %+v", es)
	}
	if _, err := w.office.SetDeadline(ctx, coord, "town", h1, due); err != nil {
		t.Fatal(err)
	}
	sched, _ := w.store.Schedule(ctx, h1)
	if d := sched.Deadlines["town"]; d.Due != due || d.SetBy != coord.ID {
		t.Errorf("stored %+v", d)
	}
	es, _ := w.store.AuditOf(ctx, fieldlog.PeriodSubject("town", h1), 0)
	if len(es) != 1 || es[0].Action != fieldlog.ActionDeadlineSet || es[0].Changes[0] != (fieldlog.FieldChange{Field: fieldlog.FieldDue, Old: "2024-06-25", New: "2024-06-22"}) {
		t.Errorf("audit %+v", es)
	}
	// An admin by configuration sets the banner's; the township keeps its own.
	if _, err := w.office.SetDeadline(ctx, w.office.Acting(admin), "banner", h1, day(2024, 6, 20)); err != nil {
		t.Fatal(err)
	}
	// The office reads its own change at once, not its cached schedule.
	sched, err := w.office.Schedule(ctx, h1)
	if err != nil || sched.Deadlines["banner"].Due != day(2024, 6, 20) || sched.Deadlines["town"].Due != due {
		t.Errorf("schedule after the change: %+v %v", sched.Deadlines, err)
	}
}

// Reopening: who may act on the unit, only a closed half-year, for 1 to
// MaxReopenDays days; audited with the reopening it extends.
func TestWhoMayReopen(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	h2 := fieldlog.Period{Year: 2023, Half: 2} // closed on 20 December
	for _, u := range []fieldlog.User{officer, otherCoord, admin} {
		if _, err := w.office.Reopen(ctx, u, "v1", h2, 3); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s reopens: %v", u.Name, err)
		}
	}
	for _, days := range []int{0, office.MaxReopenDays + 1} {
		if _, err := w.office.Reopen(ctx, coord, "v1", h2, days); !errors.As(err, new(*office.InvalidError)) {
			t.Errorf("reopen for %d days: %v", days, err)
		}
	}
	if _, err := w.office.Reopen(ctx, coord, "v1", h1, 3); !errors.Is(err, office.ErrNotClosed) {
		t.Errorf("reopen an open half-year: %v", err)
	}
	r, err := w.office.Reopen(ctx, coord, "v1", h2, 3)
	if err != nil || !r.Until.Equal(now.Add(72*time.Hour)) || r.By != coord.ID {
		t.Fatalf("reopen: %+v %v", r, err)
	}
	// Open at once for the office's own checks, and no longer reopenable.
	if err := w.office.Closed(ctx, "v1", day(2023, 10, 1)); err != nil {
		t.Errorf("after the reopening: %v", err)
	}
	if _, err := w.office.Reopen(ctx, w.office.Acting(admin), "v1", h2, 7); !errors.Is(err, office.ErrNotClosed) {
		t.Errorf("reopen again: %v", err)
	}
	es, _ := w.store.AuditOf(ctx, fieldlog.PeriodSubject("v1", h2), 0)
	if len(es) != 1 || es[0].Action != fieldlog.ActionPeriodReopen || es[0].Changes[0].Old != "" || es[0].Changes[0].New != "2024-06-23T10:00:00+08:00" {
		t.Errorf("audit %+v", es)
	}
}
