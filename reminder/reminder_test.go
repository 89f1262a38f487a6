package reminder

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/conversation"
	"fieldlog/locales"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
)

var shanghai = time.FixedZone("CST", 8*3600)

func at(m time.Month, d, h, min int) time.Time { return time.Date(2024, m, d, h, min, 0, 0, shanghai) }

// clock is a clock the test moves; waits end when it passes them.
type clock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	c  chan time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	return ch
}

// set moves the clock to t, ending the waits it passes.
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if !t.Before(w.at) {
			w.c <- t
		} else {
			keep = append(keep, w)
		}
	}
	c.waiters = keep
}

func (c *clock) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// sender records what it is given to send.
type sender struct {
	mu      sync.Mutex
	sent    map[int64][]conversation.Reply
	blocked map[int64]bool
	// before runs before each send; it may stop the wave, change the
	// deadline, move the clock.
	before func(chat int64)
}

func newSender() *sender {
	return &sender{sent: map[int64][]conversation.Reply{}, blocked: map[int64]bool{}}
}

func (s *sender) Notify(_ context.Context, chat int64, r conversation.Reply) (int, error) {
	if s.before != nil {
		s.before(chat)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked[chat] {
		return 0, fmt.Errorf("blocked: %w", conversation.ErrUnreachable)
	}
	s.sent[chat] = append(s.sent[chat], r)
	return len(s.sent[chat]), nil
}

func (s *sender) texts(chat int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.sent[chat] {
		out = append(out, r.Text)
	}
	return out
}

func (s *sender) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, rs := range s.sent {
		n += len(rs)
	}
	return n
}

// The people of the tests: a township with two villages, in a banner.
const (
	officerA  = 101 // village 1, logged twice, long ago
	officerB  = 102 // village 1, never logged
	officerC  = 103 // village 2, logged two days ago
	officerD  = 104 // village 2, reminders off
	officerE  = 105 // village 1, Mongolian, never logged
	coordTown = 201
	coordBan  = 202
)

type fixture struct {
	t      *testing.T
	store  Store
	clock  *clock
	sender *sender
	msgs   *locales.Messages
}

func newFixture(t *testing.T, store Store) *fixture {
	t.Helper()
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: store, clock: &clock{now: at(6, 18, 9, 0)}, sender: newSender(), msgs: msgs}
	ctx := context.Background()
	zh, mn := fieldlog.Chinese, fieldlog.Mongolian
	if err := store.SaveUnits(ctx, []fieldlog.Unit{
		{ID: "banner", Level: fieldlog.Banner, Name: fieldlog.Text{zh: "乌审旗", mn: "ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ"}},
		{ID: "town", ParentID: "banner", Level: fieldlog.Township, Name: fieldlog.Text{zh: "嘎鲁图镇", mn: "ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ"}},
		{ID: "v1", ParentID: "town", Level: fieldlog.Village, Name: fieldlog.Text{zh: "一村", mn: "ᠨᠢᠭᠡ"}, Order: 1},
		{ID: "v2", ParentID: "town", Level: fieldlog.Village, Name: fieldlog.Text{zh: "二村", mn: "ᠬᠣᠶᠠᠷ"}, Order: 2},
		{ID: "town2", ParentID: "banner", Level: fieldlog.Township, Name: fieldlog.Text{zh: "苏力德苏木", mn: "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ"}},
	}); err != nil {
		t.Fatal(err)
	}
	joined := at(1, 2, 10, 0)
	for _, u := range []fieldlog.User{
		{ID: officerA, Role: fieldlog.Officer, UnitID: "v1", Lang: zh},
		{ID: officerB, Role: fieldlog.Officer, UnitID: "v1", Lang: zh},
		{ID: officerC, Role: fieldlog.Officer, UnitID: "v2", Lang: zh},
		{ID: officerD, Role: fieldlog.Officer, UnitID: "v2", Lang: zh, RemindersOff: true},
		{ID: officerE, Role: fieldlog.Officer, UnitID: "v1", Lang: mn},
		{ID: coordTown, Role: fieldlog.Coordinator, UnitID: "town", Lang: zh},
		{ID: coordBan, Role: fieldlog.Coordinator, UnitID: "banner", Lang: zh},
		{ID: 999, Lang: zh}, // has not joined
	} {
		u.ChatID, u.Name, u.JoinedAt = u.ID, fmt.Sprint("user", u.ID), joined
		if err := store.SaveUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	for i, r := range []struct {
		id       int64
		unit     fieldlog.UnitID
		m        time.Month
		d        int
		repeated int
	}{{officerA, "v1", 3, 1, 2}, {officerC, "v2", 6, 16, 1}} {
		for k := range r.repeated {
			a := fieldlog.Activity{ID: fieldlog.ActivityID(fmt.Sprint("r", i, k)), SectionID: "s", TypeID: "t",
				Date: fieldlog.Date{Year: 2024, Month: r.m, Day: r.d}, UnitID: r.unit, ReporterID: r.id, Title: "x",
				LoggedAt: at(r.m, r.d, 20, 0)}
			if err := store.InsertActivity(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func (f *fixture) scheduler(id string) *Scheduler {
	return New(Config{Store: f.store, Sender: f.sender, Messages: f.msgs, Location: shanghai, Clock: f.clock, ID: id, Workers: 4})
}

func (f *fixture) tr(l fieldlog.Lang, id string, kv ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[kv[i].(string)] = kv[i+1]
	}
	return f.msgs.Text(l, id, data)
}

func (f *fixture) day(ctx context.Context, s *Scheduler) {
	f.t.Helper()
	if err := s.Day(ctx); err != nil {
		f.t.Fatal(err)
	}
}

// Seven days before the default deadline (25 June): the officers who have
// not logged lately are reminded, in their language, with their count; the
// coordinators get one digest each.
func TestDayBeforeTheDeadline(t *testing.T) {
	f := newFixture(t, memory.New())
	f.day(context.Background(), f.scheduler("p1"))
	zh, mn := fieldlog.Chinese, fieldlog.Mongolian
	period := f.tr(zh, "period_h1", "Year", 2024)
	date := f.tr(zh, "date_format", "Y", 2024, "M", 6, "D", 25)
	for chat, want := range map[int64][]string{
		officerA: {f.tr(zh, "reminder_due", "Period", period, "Days", 7, "Date", date, "Count", 2)},
		officerB: {f.tr(zh, "reminder_due_none", "Period", period, "Days", 7, "Date", date)},
		officerE: {f.tr(mn, "reminder_due_none", "Period", f.tr(mn, "period_h1", "Year", 2024), "Days", 7,
			"Date", f.tr(mn, "date_format", "Y", 2024, "M", 6, "D", 25))},
		officerC: nil, // logged two days ago
		officerD: nil, // reminders off
		coordTown: {f.tr(zh, "digest", "Period", period, "Date", date, "Days", 7, "Unit", "嘎鲁图镇",
			"List", f.tr(zh, "digest_thin", "Unit", "一村", "Count", 2)+"\n"+f.tr(zh, "digest_thin", "Unit", "二村", "Count", 1))},
		coordBan: {f.tr(zh, "digest", "Period", period, "Date", date, "Days", 7, "Unit", "乌审旗",
			"List", f.tr(zh, "digest_silent", "Unit", "苏力德苏木"))},
		999: nil,
	} {
		if got := f.sender.texts(chat); !slices.Equal(got, want) {
			t.Errorf("chat %d got %q,\nwant %q", chat, got, want)
		}
	}
	r := f.sender.sent[officerA][0]
	if len(r.Buttons) != 1 || r.Buttons[0][0].Data != "go|log" {
		t.Errorf("an officer's reminder has buttons %+v, want one that starts /log", r.Buttons)
	}
	if b := f.sender.sent[coordTown][0].Buttons; len(b) != 1 || b[0][0].Data != "go|status" || b[0][1].Data != "go|report" {
		t.Errorf("a digest has buttons %+v, want /status and /report", b)
	}
	// The same day again sends nothing: each reminder once.
	before := f.sender.total()
	f.day(context.Background(), f.scheduler("p1"))
	if n := f.sender.total() - before; n != 0 {
		t.Errorf("the day run again sent %d more", n)
	}
}

// Two schedulers, as two processes on one store, run the same day at
// once: each reminder goes out exactly once.
func TestTwoSchedulersSendEachReminderOnce(t *testing.T) {
	for name, store := range map[string]func(t *testing.T) Store{
		"memory":   func(*testing.T) Store { return memory.New() },
		"embedded": func(t *testing.T) Store { return storagetest.New(t) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, store(t))
			var wg sync.WaitGroup
			for _, id := range []string{"p1", "p2"} {
				wg.Go(func() { f.day(context.Background(), f.scheduler(id)) })
			}
			wg.Wait()
			for _, chat := range []int64{officerA, officerB, officerE, coordTown, coordBan} {
				if n := len(f.sender.texts(chat)); n != 1 {
					t.Errorf("chat %d got %d messages, want 1", chat, n)
				}
			}
			if n := f.sender.total(); n != 5 {
				t.Errorf("%d messages in all, want 5", n)
			}
		})
	}
}

// A scheduler stops in the middle of a wave (the process is killed while
// a message is being sent): after a restart, the rest is sent, and the one
// in flight is not sent again (it is uncertain).
func TestRestartInTheMiddleOfAWave(t *testing.T) {
	f := newFixture(t, memory.New())
	ctx, kill := context.WithCancel(context.Background())
	var flight atomic.Int64
	gone := make(chan struct{})
	defer close(gone)
	var once sync.Once
	f.sender.before = func(chat int64) {
		once.Do(func() {
			flight.Store(chat)
			kill()
			<-gone // the process is gone: this send never ends
		})
	}
	s := f.scheduler("p1")
	s.workers = 1
	go func() { _ = s.Day(ctx) }()
	waitFor(t, func() bool { return flight.Load() != 0 })
	inFlight := flight.Load()
	// The restart, after the lease of the dead process ran out.
	f.sender.before = nil
	f.clock.set(at(6, 18, 9, 10))
	f.day(context.Background(), f.scheduler("p2"))
	if got := f.sender.texts(inFlight); len(got) != 0 {
		t.Errorf("the message in flight at the kill was sent again: %q", got)
	}
	st, err := f.store.ReminderState(context.Background(), key("due", "2024-H1", "2024-06-25", "7", itoa(inFlight)))
	if inFlight != coordTown && inFlight != coordBan && (err != nil || st != fieldlog.ReminderUncertain) {
		t.Errorf("the reminder in flight is %q, %v; want uncertain", st, err)
	}
	if n := f.sender.total(); n != 4 {
		t.Errorf("%d messages after the restart, want the other 4", n)
	}
}

// A wave that runs past midnight stops there; the next day sends nothing
// of the day before.
func TestWaveStopsAtMidnight(t *testing.T) {
	f := newFixture(t, memory.New())
	f.clock.set(at(6, 18, 23, 59))
	sends := 0
	f.sender.before = func(int64) {
		sends++
		if sends == 2 {
			f.clock.set(at(6, 19, 0, 0))
		}
	}
	s := f.scheduler("p1")
	s.workers = 1
	f.day(context.Background(), s)
	if n := f.sender.total(); n != 2 {
		t.Errorf("%d messages sent, want the 2 sent before midnight", n)
	}
	f.sender.before = nil
	f.clock.set(at(6, 19, 9, 0))
	f.day(context.Background(), s)
	if n := f.sender.total(); n != 2 {
		t.Errorf("the next day sent %d more: the day before's reminders are stale", n-2)
	}
}

// A deadline moved after the wave was planned: what is not yet sent is not
// sent for the old deadline. An officer who moved to another unit is
// reminded of their new unit's deadline only.
func TestDeadlineChangedAndOfficerMoved(t *testing.T) {
	f := newFixture(t, memory.New())
	ctx := context.Background()
	u, _ := f.store.User(ctx, officerB)
	u.UnitID = "town2" // its deadline is the default too: still reminded
	if err := f.store.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	moved := false
	f.sender.before = func(int64) {
		if !moved {
			moved = true
			if err := f.store.SetDeadline(ctx, fieldlog.Deadline{Unit: "v1", Period: fieldlog.Period{Year: 2024, Half: 1},
				Due: fieldlog.Date{Year: 2024, Month: 6, Day: 28}}); err != nil {
				t.Error(err)
			}
		}
	}
	s := f.scheduler("p1")
	s.workers = 1
	f.day(ctx, s)
	// Village 1 now closes on 28 June: its officers and its digest line
	// are not sent for the 25th, except what went out first.
	var sentV1 int
	for _, chat := range []int64{officerA, officerE} {
		sentV1 += len(f.sender.texts(chat))
	}
	if sentV1 > 1 {
		t.Errorf("%d reminders of the old deadline went to village 1 after it moved", sentV1)
	}
	if got := f.sender.texts(officerB); len(got) != 1 {
		t.Errorf("the officer who moved got %q, want their new unit's reminder", got)
	}
}

// An officer silent for thirty days is nudged once a month, not in the
// week before a deadline.
func TestNudgeAfterSilence(t *testing.T) {
	f := newFixture(t, memory.New())
	ctx := context.Background()
	f.clock.set(at(5, 10, 9, 0)) // no deadline near
	f.day(ctx, f.scheduler("p1"))
	nudge := f.tr(fieldlog.Chinese, "nudge", "Days", 70) // officer A last logged on 1 March
	if got := f.sender.texts(officerA); !slices.Equal(got, []string{nudge}) {
		t.Errorf("officer A got %q, want %q", got, nudge)
	}
	// Those who never logged count from when they joined (2 January).
	if got, want := f.sender.texts(officerB), f.tr(fieldlog.Chinese, "nudge", "Days", 129); !slices.Equal(got, []string{want}) {
		t.Errorf("officer B, silent since joining on 2 January, got %q, want %q", got, want)
	}
	if n := len(f.sender.texts(officerE)); n != 1 {
		t.Errorf("officer E, silent since joining, got %d nudges", n)
	}
	if got := f.sender.texts(officerD); len(got) != 0 {
		t.Errorf("an officer with reminders off got %q", got)
	}
	f.clock.set(at(5, 20, 9, 0))
	f.day(ctx, f.scheduler("p1"))
	if n := len(f.sender.texts(officerA)); n != 1 {
		t.Errorf("officer A was nudged %d times in May", n)
	}
	f.clock.set(at(6, 20, 9, 0)) // five days before the deadline: no nudge
	f.day(ctx, f.scheduler("p1"))
	for _, r := range f.sender.texts(officerA)[1:] {
		if strings.Contains(r, "没有记录活动了") {
			t.Errorf("a nudge in the week of a deadline: %q", r)
		}
	}
}

// On the deadline day coordinators get a final summary.
func TestFinalSummaryOnTheDeadlineDay(t *testing.T) {
	f := newFixture(t, memory.New())
	f.clock.set(at(6, 25, 9, 30))
	f.day(context.Background(), f.scheduler("p1"))
	zh := fieldlog.Chinese
	want := f.tr(zh, "digest_final", "Period", f.tr(zh, "period_h1", "Year", 2024), "Date", f.tr(zh, "date_format", "Y", 2024, "M", 6, "D", 25),
		"Unit", "乌审旗", "Total", 3, "Silent", 1) + "\n" + f.tr(zh, "digest_silent", "Unit", "苏力德苏木")
	if got := f.sender.texts(coordBan); !slices.Equal(got, []string{want}) {
		t.Errorf("banner coordinator got %q,\nwant %q", got, want)
	}
	if got := f.sender.texts(officerA); len(got) != 0 {
		t.Errorf("an officer got %q on the deadline day", got)
	}
}

// Run sends at 09:00 local time: started before, it waits; started after,
// it sends what is due today at once; then it waits for the next day.
func TestRunSendsAtNineAndCatchesUpToday(t *testing.T) {
	f := newFixture(t, memory.New())
	f.clock.set(at(6, 18, 8, 0))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.scheduler("p1").Run(ctx) }()
	waitFor(t, func() bool { return f.clock.waiting() == 1 })
	if n := f.sender.total(); n != 0 {
		t.Fatalf("%d sent before 09:00", n)
	}
	f.clock.set(at(6, 18, 9, 0))
	waitFor(t, func() bool { return f.sender.total() == 5 && f.clock.waiting() == 1 })
	cancel()
	<-done

	// Started at 15:00 on 22 June (3 days before): sends that day's.
	g := newFixture(t, memory.New())
	g.clock.set(at(6, 22, 15, 0))
	ctx, cancel = context.WithCancel(context.Background())
	go func() { done <- g.scheduler("p1").Run(ctx) }()
	waitFor(t, func() bool { return g.sender.total() > 0 && g.clock.waiting() == 1 })
	if got := g.sender.texts(officerB); len(got) != 1 || !strings.Contains(got[0], "3天") {
		t.Errorf("started after 09:00 on the 3-day mark, officer B got %q", got)
	}
	cancel()
	<-done
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}

// A user who blocked the bot is marked and skipped; nothing else is lost.
func TestBlockedUserIsSkipped(t *testing.T) {
	f := newFixture(t, memory.New())
	f.sender.blocked[officerB] = true
	f.day(context.Background(), f.scheduler("p1"))
	st, err := f.store.ReminderState(context.Background(), key("due", "2024-H1", "2024-06-25", "7", itoa(officerB)))
	if err != nil || st != fieldlog.ReminderBlocked {
		t.Errorf("a blocked user's reminder is %q, %v; want blocked", st, err)
	}
	if n := f.sender.total(); n != 4 {
		t.Errorf("%d sent, want the other 4", n)
	}
}

// "Logged in the last 3 days" counts from when a record was logged, not
// from the day of its activity: one who logs yesterday what they did in
// March has logged lately.
func TestLoggedLatelyCountsWhenLogged(t *testing.T) {
	f := newFixture(t, memory.New())
	ctx := context.Background()
	a := fieldlog.Activity{ID: "late", SectionID: "s", TypeID: "t", Date: fieldlog.Date{Year: 2024, Month: 3, Day: 2},
		UnitID: "v1", ReporterID: officerB, Title: "x", LoggedAt: at(6, 17, 21, 0)}
	if err := f.store.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}
	f.day(ctx, f.scheduler("p1"))
	if got := f.sender.texts(officerB); len(got) != 0 {
		t.Errorf("an officer who logged yesterday was reminded: %q", got)
	}
}
