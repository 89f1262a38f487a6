package office_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/parse"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
)

// The use cases, called directly as a web handler would: every refusal a
// chat flow words, decided here once.

var (
	shanghai, _ = time.LoadLocation("Asia/Shanghai")
	now         = time.Date(2024, 6, 20, 10, 0, 0, 0, shanghai)
)

// The people of the tests: two officers of two villages, the township's
// coordinator, another township's, and an admin by configuration.
var (
	officer    = fieldlog.User{ID: 1, ChatID: 1, Name: "巴特", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "v1"}
	neighbour  = fieldlog.User{ID: 2, ChatID: 2, Name: "其其格", Lang: fieldlog.Mongolian, Role: fieldlog.Officer, UnitID: "v2"}
	coord      = fieldlog.User{ID: 3, ChatID: 3, Name: "王", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "town"}
	otherCoord = fieldlog.User{ID: 4, ChatID: 4, Name: "李", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "town2"}
	admin      = fieldlog.User{ID: 5, ChatID: 5, Name: "Admin", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "v1"}
)

type told struct {
	mu     sync.Mutex
	events []office.Event
}

func (t *told) Tell(_ context.Context, e office.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events = append(t.events, e)
}

func (t *told) kinds() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var ks []string
	for _, e := range t.events {
		ks = append(ks, string(e.Kind)+">"+e.To.Name)
	}
	return strings.Join(ks, " ")
}

// counted counts what the office tells its Observer.
type counted struct {
	mu             sync.Mutex
	saved, reports int
}

func (c *counted) RecordSaved() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.saved++
}

func (c *counted) ReportCompiled() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reports++
}

type world struct {
	t       *testing.T
	store   *memory.Store
	office  *office.Office
	told    *told
	counted *counted
	// gap is the store the office is given: store, with a hook that runs
	// between the office's reads and writes.
	gap *storagetest.Gap
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	store := memory.New()
	if err := store.SaveUnits(ctx, storagetest.Units()); err != nil {
		t.Fatal(err)
	}
	for _, u := range []fieldlog.User{officer, neighbour, coord, otherCoord, admin} {
		if err := store.SaveUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, store: store, told: &told{}, counted: &counted{}, gap: storagetest.NewGap(store)}
	w.office = office.New(office.Config{Store: w.gap, Catalog: cat, Messages: msgs, Location: shanghai, Now: func() time.Time { return now },
		Admins: []int64{admin.ID}, Teller: w.told, Observer: w.counted})
	return w
}

// draft is a complete new record of the lecture type dated d.
func draft(id string, d fieldlog.Date) fieldlog.Activity {
	return fieldlog.Activity{ID: fieldlog.ActivityID(id), SectionID: "publicity", TypeID: "lecture", Date: d,
		Participants: fieldlog.Count{Value: 80, Approx: true}, Title: "政策宣讲"}
}

func day(y int, m time.Month, d int) fieldlog.Date { return fieldlog.Date{Year: y, Month: m, Day: d} }

// logged logs a record of u and fails the test if it is refused.
func (w *world) logged(u fieldlog.User, id string) fieldlog.Activity {
	w.t.Helper()
	a, err := w.office.Log(context.Background(), u, draft(id, day(2024, 6, 7)))
	if err != nil {
		w.t.Fatalf("log %s: %v", id, err)
	}
	return a
}

func TestLogStoresTheRecordInTheReportersUnit(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	d := draft("r1", day(2024, 6, 7))
	d.UnitID, d.ReporterID, d.ReporterName = "town2", neighbour.ID, "forged" // not the draft's to say
	a, err := w.office.Log(ctx, officer, d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := w.store.Activity(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if got.UnitID != "v1" || got.ReporterID != officer.ID || got.ReporterName != officer.Name || !got.LoggedAt.Equal(now) || a.UnitID != "v1" {
		t.Errorf("stored %+v", got)
	}
	// Saved again (a retried tap): one record, one audit entry.
	if _, err := w.office.Log(ctx, officer, d); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.store.CountActivities(ctx, fieldlog.ActivityFilter{AllUnits: true}); n != 1 {
		t.Errorf("%d records", n)
	}
	if es, _ := w.store.AuditOf(ctx, fieldlog.RecordSubject("r1"), 0); len(es) != 1 || es[0].Action != fieldlog.ActionRecordCreate || es[0].Actor != officer.ID {
		t.Errorf("audit %+v", es)
	}
	// The same id sent again changed (a form after Back) is no replay:
	// the record stays as saved, and is handed back.
	changed := d
	changed.Title = "改过的标题"
	if got, err := w.office.Log(ctx, officer, changed); !errors.Is(err, office.ErrAlreadySaved) || got.Title != d.Title {
		t.Errorf("a changed draft of a saved id: %q, %v", got.Title, err)
	}
	if got, _ := w.store.Activity(ctx, "r1"); got.Title != d.Title {
		t.Errorf("the record changed to %q", got.Title)
	}
	// A draft of another's record's id (a forged form) is no replay.
	if _, err := w.office.Log(ctx, neighbour, draft("r1", day(2024, 6, 8))); !errors.Is(err, office.ErrIDTaken) {
		t.Errorf("a draft of another's id: %v", err)
	}
	// Nor of a deleted one's.
	if err := w.office.Delete(ctx, officer, "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.office.Log(ctx, officer, d); !errors.Is(err, office.ErrIDTaken) {
		t.Errorf("a draft of a deleted record's id: %v", err)
	}
	// Someone who has not joined logs nothing.
	if _, err := w.office.Log(ctx, fieldlog.User{ID: 99}, draft("r2", day(2024, 6, 7))); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("a stranger logged: %v", err)
	}
}

func TestLogChecksTheWholeDraft(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		edit  func(*fieldlog.Activity)
		field office.Field
		err   error
	}{
		{"no type", func(a *fieldlog.Activity) { a.TypeID = "" }, office.FieldType, office.ErrMissing},
		{"unknown type", func(a *fieldlog.Activity) { a.TypeID = "forged" }, office.FieldType, office.ErrMissing},
		{"no date", func(a *fieldlog.Activity) { a.Date = fieldlog.Date{} }, office.FieldDate, office.ErrMissing},
		{"future", func(a *fieldlog.Activity) { a.Date = day(2024, 6, 21) }, office.FieldDate, parse.ErrFutureDate},
		{"too early", func(a *fieldlog.Activity) { a.Date = day(2023, 6, 30) }, office.FieldDate, parse.ErrTooEarly},
		{"negative", func(a *fieldlog.Activity) { a.Participants.Value = -1 }, office.FieldParticipants, parse.ErrNegative},
		{"too many", func(a *fieldlog.Activity) { a.Participants.Value = fieldlog.MaxCount + 1 }, office.FieldParticipants, parse.ErrTooLarge},
		{"no title", func(a *fieldlog.Activity) { a.Title = "  " }, office.FieldTitle, nil},
		{"long place", func(a *fieldlog.Activity) { a.Place = strings.Repeat("地", office.MaxPlace+1) }, office.FieldPlace, nil},
		{"photos", func(a *fieldlog.Activity) { a.Photos = make([]fieldlog.Photo, fieldlog.MaxPhotos+1) }, office.FieldPhotos, office.ErrTooManyPhotos},
	} {
		d := draft("x-"+tc.name, day(2024, 6, 7))
		tc.edit(&d)
		_, err := w.office.Log(ctx, officer, d)
		var invalid *office.InvalidError
		if !errors.As(err, &invalid) || invalid.Field != tc.field || (tc.err != nil && !errors.Is(err, tc.err)) {
			t.Errorf("%s: %v, want %s %v", tc.name, err, tc.field, tc.err)
		}
	}
	if n, _ := w.store.CountActivities(ctx, fieldlog.ActivityFilter{AllUnits: true}); n != 0 {
		t.Errorf("%d records stored from invalid drafts", n)
	}
}

// The previous half-year's deadline has passed: its records are closed,
// and the refusal names the coordinators who may reopen it.
func TestAClosedHalfYearRefusesChanges(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.office.Log(ctx, officer, draft("old", day(2023, 10, 1)))
	var closed *office.ClosedError
	if !errors.As(err, &closed) || closed.Period != (fieldlog.Period{Year: 2023, Half: 2}) || closed.Due != day(2023, 12, 20) ||
		len(closed.Reopeners) != 1 || closed.Reopeners[0].ID != coord.ID {
		t.Fatalf("logging into a closed half-year: %v %+v", err, closed)
	}
	// A record already there (logged before the deadline) stays as it is.
	old := draft("old", day(2023, 10, 1))
	old.UnitID, old.ReporterID = officer.UnitID, officer.ID
	if err := w.store.InsertActivity(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := w.office.Changeable(ctx, officer, "old"); !errors.As(err, &closed) {
		t.Errorf("changeable: %v", err)
	}
	if err := w.office.Delete(ctx, officer, "old"); !errors.As(err, &closed) {
		t.Errorf("delete: %v", err)
	}
	// Nor may an open record move into the closed half-year.
	a := w.logged(officer, "new")
	a.Date = day(2023, 12, 1)
	if _, err := w.office.Edit(ctx, officer, a, fieldlog.AnyThread); !errors.As(err, &closed) {
		t.Errorf("moved into a closed half-year: %v", err)
	}
	// Reopened until tomorrow, it opens again.
	if err := w.store.Reopen(ctx, fieldlog.Reopening{Unit: "town", Period: fieldlog.Period{Year: 2023, Half: 2}, Until: now.Add(24 * time.Hour), By: coord.ID, At: now.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	w.office.ForgetSchedule(fieldlog.Period{Year: 2023, Half: 2})
	if err := w.office.Delete(ctx, officer, "old"); err != nil {
		t.Errorf("delete when reopened: %v", err)
	}
}

// Who may read, list, change and return what: the rules of access.go,
// asked by every use case.
func TestWhoMayDoWhat(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mine := w.logged(officer, "mine")
	if _, err := w.office.Record(ctx, officer, "mine"); err != nil {
		t.Errorf("reporter reads: %v", err)
	}
	if _, err := w.office.Record(ctx, neighbour, "mine"); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("another officer reads: %v", err)
	}
	if _, err := w.office.Record(ctx, coord, "mine"); err != nil {
		t.Errorf("the township's coordinator reads: %v", err)
	}
	if _, err := w.office.Record(ctx, otherCoord, "mine"); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("another township's coordinator reads: %v", err)
	}
	if _, err := w.office.Record(ctx, w.office.Acting(admin), "mine"); err != nil {
		t.Errorf("an admin reads: %v", err)
	}
	if _, err := w.office.Record(ctx, officer, "gone"); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a record that is not there: %v", err)
	}

	// Only the reporter changes a record, whatever the others' roles; a
	// forged edit changes nothing.
	forged := mine
	forged.Title = "改了"
	for _, u := range []fieldlog.User{neighbour, coord, otherCoord, w.office.Acting(admin)} {
		if _, err := w.office.Edit(ctx, u, forged, fieldlog.AnyThread); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s edits: %v", u.Name, err)
		}
		if err := w.office.Delete(ctx, u, "mine"); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s deletes: %v", u.Name, err)
		}
	}
	if got, _ := w.store.Activity(ctx, "mine"); got.Title != mine.Title {
		t.Errorf("the record changed: %q", got.Title)
	}
	// The reporter's edit keeps whose and where it is.
	forged.UnitID, forged.ReporterID = "town2", neighbour.ID
	if _, err := w.office.Edit(ctx, officer, forged, fieldlog.AnyThread); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.store.Activity(ctx, "mine"); got.Title != "改了" || got.UnitID != "v1" || got.ReporterID != officer.ID {
		t.Errorf("after the edit: %+v", got)
	}

	// Lists: an officer their own, a coordinator their subtree too.
	w.logged(neighbour, "theirs")
	if p, err := w.office.Records(ctx, officer, office.Own, 0, 5); err != nil || p.Total != 1 || p.Records[0].ID != "mine" {
		t.Errorf("own list: %+v %v", p, err)
	}
	if _, err := w.office.Records(ctx, officer, office.Subtree, 0, 5); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("an officer lists the subtree: %v", err)
	}
	if p, err := w.office.Records(ctx, coord, office.Subtree, 0, 5); err != nil || p.Total != 2 {
		t.Errorf("the coordinator's subtree: %+v %v", p, err)
	}
	if p, err := w.office.Records(ctx, otherCoord, office.Subtree, 0, 5); err != nil || p.Total != 0 {
		t.Errorf("another township's subtree: %+v %v", p, err)
	}
	// A page past the end is the last.
	if p, err := w.office.Records(ctx, coord, office.Subtree, 7, 1); err != nil || p.Index != 1 || p.Pages != 2 || len(p.Records) != 1 {
		t.Errorf("page past the end: %+v %v", p, err)
	}

	// Returning: a coordinator who sees it and did not report it.
	for _, u := range []fieldlog.User{officer, neighbour, otherCoord} {
		if _, err := w.office.Return(ctx, u, "mine", "人数请核实"); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s returns: %v", u.Name, err)
		}
	}
	coordsOwn := w.logged(coord, "coords")
	if _, err := w.office.Return(ctx, coord, coordsOwn.ID, "自己的"); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("a coordinator returns their own record: %v", err)
	}
	if w.told.kinds() != "" {
		t.Errorf("told: %s", w.told.kinds())
	}
}

// A return is told to the reporter, the answer to the coordinator; the
// record carries the exchange, and the audit trail each step.
func TestAReturnAndItsAnswers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	w.logged(officer, "b")
	if _, err := w.office.Return(ctx, coord, "a", strings.Repeat("长", fieldlog.MaxReviewComment+1)); !errors.As(err, new(*office.InvalidError)) {
		t.Errorf("a long comment: %v", err)
	}
	if _, err := w.office.Confirm(ctx, officer, "a", fieldlog.AnyThread); !errors.Is(err, office.ErrNotPending) {
		t.Errorf("confirm what nobody returned: %v", err)
	}
	for _, id := range []fieldlog.ActivityID{"a", "b"} {
		a, err := w.office.Return(ctx, coord, id, " 人数请核实 ")
		if err != nil || a.Review.State != fieldlog.Returned {
			t.Fatalf("return %s: %+v %v", id, a.Review, err)
		}
	}
	if _, err := w.office.Confirm(ctx, coord, "a", fieldlog.AnyThread); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("the coordinator confirms for the reporter: %v", err)
	}
	if a, err := w.office.Confirm(ctx, officer, "a", fieldlog.AnyThread); err != nil || a.Review.State != fieldlog.Confirmed {
		t.Errorf("confirm: %+v %v", a.Review, err)
	}
	b, _ := w.store.Activity(ctx, "b")
	b.Participants = fieldlog.Count{Value: 60}
	if a, err := w.office.Edit(ctx, officer, b, fieldlog.AnyThread); err != nil || a.Review.State != fieldlog.Corrected {
		t.Errorf("correct: %+v %v", a.Review, err)
	}
	if got := w.told.kinds(); got != "returned>巴特 returned>巴特 confirmed>王 corrected>王" {
		t.Errorf("told %q", got)
	}
	if got := w.told.events[0].Comment; got != "人数请核实" {
		t.Errorf("comment told %q", got)
	}
	a, _ := w.store.Activity(ctx, "a")
	if len(a.Review.Thread) != 2 || a.Review.Thread[0].Text != "人数请核实" || a.Review.Thread[1].State != fieldlog.Confirmed {
		t.Errorf("thread %+v", a.Review.Thread)
	}
	var actions []string
	for _, id := range []fieldlog.ActivityID{"a", "b"} {
		es, _ := w.store.AuditOf(ctx, fieldlog.RecordSubject(id), 0)
		for _, e := range es {
			actions = append(actions, string(e.Action))
		}
	}
	if got := strings.Join(actions, " "); got != "record.confirm record.return record.create record.edit record.return record.create" {
		t.Errorf("audit %s", got)
	}
}
