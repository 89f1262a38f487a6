package conversation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"fieldlog"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
)

// Tests of the defects of issue 6, at the engine: each fails on the code
// before it was fixed.

// record stores a record of unit directly.
func (h *harness) record(id fieldlog.ActivityID, unit fieldlog.UnitID, reporter int64, d fieldlog.Date) {
	h.t.Helper()
	a := fieldlog.Activity{ID: id, SectionID: "publicity", TypeID: "lecture", Date: d, Participants: fieldlog.Count{Value: 10},
		Title: "宣讲 " + string(id), UnitID: unit, ReporterID: reporter, LoggedAt: h.now}
	if err := h.store.InsertActivity(context.Background(), a); err != nil {
		h.t.Fatal(err)
	}
}

// Item 2: an input whose update was applied already (handled before a
// crash, then handled again at start) changes nothing and says nothing: a
// typed "45" meant for the participants must not become the title.
func TestInputAppliedBeforeIsSkipped(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	key := 0
	do := func(in Input) Response {
		key++
		in.Key = fmt.Sprintf("tg:%d", key)
		return h.do(in)
	}
	do(Input{UserID: officerID, Text: "/log"})
	h.press(officerID, "宣传教育")
	h.press(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_yesterday"))
	r := do(Input{UserID: officerID, Text: "45"})
	mustSay(t, r, h.msg("ask_title", "Max", 100))

	again := h.do(Input{UserID: officerID, Text: "45", Key: fmt.Sprintf("tg:%d", key)})
	if len(again.Replies) != 0 || again.Notice != "" {
		t.Errorf("the replayed input was answered again:\n%s", dump(again))
	}
	c, err := h.store.Conversation(context.Background(), officerID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Step != stepTitle || c.Draft.Title != "" || c.Draft.Participants != (fieldlog.Count{Value: 45}) {
		t.Errorf("after the replay the draft is %+v at step %s, want 45 participants and the title still to ask", c.Draft, c.Step)
	}
	// The key is remembered between flows too.
	do(Input{UserID: officerID, Text: "/cancel"})
	cancelKey := fmt.Sprintf("tg:%d", key)
	if r := h.do(Input{UserID: officerID, Text: "/cancel", Key: cancelKey}); len(r.Replies) != 0 {
		t.Errorf("a replayed /cancel was answered again:\n%s", dump(r))
	}
}

// Item 3: the scope of a coordinator whose unit is not in the tree is
// empty, not everything: the report, /records and /status show nothing.
func TestCoordinatorOfAMissingUnitSeesNothing(t *testing.T) {
	h := newHarness(t)
	h.join(coordID, fieldlog.Coordinator, "removed-township")
	h.record("r1", "v1", officerID, fieldlog.Date{Year: 2024, Month: 6, Day: 1})
	h.record("r2", "town2", otherID, fieldlog.Date{Year: 2024, Month: 6, Day: 2})

	r := h.send(coordID, "/records")
	mustSay(t, r, h.tr("list_empty"))

	h.send(coordID, "/report")
	r = h.press(coordID, h.msg("period_h1", "Year", 2024))
	ready := r.Replies[len(r.Replies)-1]
	if ready.Text != h.msg("report_ready", "Count", 0) {
		t.Errorf("the report of a missing unit says %q, want it built from 0 records", ready.Text)
	}
	for _, rep := range r.Replies {
		if strings.Contains(rep.Text, "宣讲活动") {
			t.Errorf("the report of a missing unit counts other units' records:\n%s", rep.Text)
		}
	}
	r = h.send(coordID, "/status")
	lines := strings.Split(text(r), "\n")
	if got, want := lines[len(lines)-1], h.msg("status_summary", "Total", 0, "Silent", 1); got != want {
		t.Errorf("status of a missing unit ends %q, want %q:\n%s", got, want, text(r))
	}
}

// Item 1: twenty paragraphs of the most a paragraph may hold still make a
// list that fits in one Telegram message.
func TestNotesListFitsInAMessage(t *testing.T) {
	h := newHarness(t)
	h.join(coordID, fieldlog.Coordinator, "v1")
	h.send(coordID, "/note")
	h.press(coordID, h.msg("period_h1", "Year", 2024))
	h.press(coordID, h.tr("btn_problems"))
	para := strings.Repeat("部分嘎查宣传覆盖面不够广。", maxParagraph/13)
	for i := range fieldlog.MaxParagraphs {
		h.send(coordID, fmt.Sprint(i+1, para))
	}
	r := h.last[coordID]
	list := r.Replies[len(r.Replies)-1].Text
	if n := len(utf16.Encode([]rune(list))); n > 4096 {
		t.Errorf("the list of %d paragraphs is %d UTF-16 units, over Telegram's 4096", fieldlog.MaxParagraphs, n)
	}
	if !strings.Contains(list, "20. 20部分嘎查") {
		t.Errorf("the list does not show paragraph 20:\n%s", list)
	}
}

// Item 4: a delete button names the paragraph by id, so it deletes that
// paragraph even after another coordinator deleted one before it; and two
// engines adding paragraphs at once both keep theirs.
func TestNotesOfTwoCoordinatorsAtOnce(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) fieldlog.Store{
		"memory":   func(*testing.T) fieldlog.Store { return memory.New() },
		"embedded": func(t *testing.T) fieldlog.Store { return storagetest.New(t) },
	} {
		t.Run(name, func(t *testing.T) {
			store := open(t)
			h := newHarnessOn(t, store)
			other := newHarnessOn(t, store) // a second engine on the same store
			other.now = h.now
			h.join(coordID, fieldlog.Coordinator, "town")
			h.join(adminID, fieldlog.Admin, "")
			openNotes := func(h *harness, user int64) {
				h.send(user, "/note")
				h.press(user, h.msg("period_h1", "Year", 2024))
				if user == adminID {
					h.press(user, "乌审旗 ›")
					h.press(user, "嘎鲁图镇 ›")
					h.press(user, "✓ 嘎鲁图镇")
				}
				h.press(user, h.tr("btn_problems"))
			}
			openNotes(h, coordID)
			openNotes(other, adminID)
			for _, p := range []string{"第一条", "第二条", "第三条"} {
				h.send(coordID, p)
			}
			other.send(adminID, "管理员补充")
			before := h.last[coordID]
			other.press(adminID, "🗑 1") // the admin deletes 第一条
			// "🗑 2" in the coordinator's list, shown before that delete, is
			// 第二条, which must go, not 第三条 now in second place.
			h.last[coordID] = before
			r := h.press(coordID, "🗑 2")
			if r.Notice != h.msg("note_deleted", "N", 1) {
				t.Errorf("deleting 第二条 answered %q, want it named as number 1 now", r.Notice)
			}
			n, err := store.Notes(context.Background(), "town", fieldlog.Period{Year: 2024, Half: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got := paragraphTexts(n.Problems); strings.Join(got, "|") != "第三条|管理员补充" {
				t.Errorf("paragraphs left: %q, want 第三条 and 管理员补充", got)
			}

			// Both add at the same time.
			var wg sync.WaitGroup
			for _, w := range []struct {
				h    *harness
				user int64
			}{{h, coordID}, {other, adminID}} {
				wg.Go(func() {
					for i := range 6 {
						w.h.sendAsync(w.user, fmt.Sprintf("%d写的第%d条", w.user, i))
					}
				})
			}
			wg.Wait()
			n, err = store.Notes(context.Background(), "town", fieldlog.Period{Year: 2024, Half: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(n.Problems) != 2+12 {
				t.Errorf("after adding 6 each at once there are %d paragraphs, want 14: %q", len(n.Problems), paragraphTexts(n.Problems))
			}
		})
	}
}

// Item 5: a draft is checked again at save. Begun in June with a date of
// last August, it cannot be saved in July, when the earliest day is 1
// January; the officer is asked for the date and keeps the rest.
func TestDraftCheckedAgainAtSave(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	// The report of the second half of 2023 is due late, so its records
	// are still open in June.
	if err := h.store.SetDeadline(context.Background(), fieldlog.Deadline{Unit: "banner", Period: fieldlog.Period{Year: 2023, Half: 2},
		Due: fieldlog.Date{Year: 2024, Month: 7, Day: 10}}); err != nil {
		t.Fatal(err)
	}
	h.send(officerID, "/log")
	h.press(officerID, "宣传教育")
	h.press(officerID, "宣讲活动")
	h.send(officerID, "2023-08-05")
	h.send(officerID, "45")
	h.send(officerID, "夏季宣讲")
	h.press(officerID, h.tr("btn_skip_photos"))

	h.now = time.Date(2024, 7, 2, 9, 0, 0, 0, h.now.Location())
	r := h.press(officerID, h.tr("btn_save"))
	earliest := h.msg("date_format", "Y", 2024, "M", 1, "D", 1)
	mustSay(t, r, h.msg("date_too_early", "Earliest", earliest)+"\n"+h.tr("date_forms"), h.msg("ask_date", "Forms", h.tr("date_forms")))
	if n := len(h.records()); n != 0 {
		t.Fatalf("a record dated before the earliest day was stored (%d)", n)
	}
	r = h.send(officerID, "2024-07-01")
	if !strings.HasPrefix(text(r), h.tr("check_summary")) || !strings.Contains(text(r), "夏季宣讲") || !strings.Contains(text(r), "45人") {
		t.Fatalf("after a good date: %s", dump(r))
	}
	h.press(officerID, h.tr("btn_save"))
	if recs := h.records(); len(recs) != 1 || recs[0].Date != (fieldlog.Date{Year: 2024, Month: 7, Day: 1}) {
		t.Fatalf("stored %+v", recs)
	}
}

// slowStore makes some reads slow, or wait for their context.
type slowStore struct {
	fieldlog.Store
	userDelay time.Duration
	eachDelay time.Duration
}

func (s *slowStore) User(ctx context.Context, id int64) (fieldlog.User, error) {
	select {
	case <-time.After(s.userDelay):
	case <-ctx.Done():
		return fieldlog.User{}, ctx.Err()
	}
	return s.Store.User(ctx, id)
}

func (s *slowStore) EachActivity(ctx context.Context, f fieldlog.ActivityFilter, fn func(fieldlog.Activity) error) error {
	select {
	case <-time.After(s.eachDelay):
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.Store.EachActivity(ctx, f, fn)
}

// Item 6: a turn has a deadline; a report has a longer one.
func TestTurnHasADeadlineLongerForAReport(t *testing.T) {
	mem := memory.New()
	slow := &slowStore{Store: mem}
	h := newHarnessOn(t, slow)
	h.e.turnTimeout, h.e.reportTimeout = 50*time.Millisecond, 5*time.Second
	h.join(coordID, fieldlog.Coordinator, "town")

	slow.userDelay = time.Second
	_, err := h.e.Handle(context.Background(), Input{UserID: coordID, ChatID: coordID, Text: "/help"})
	if !errors.Is(err, context.Canceled) && !errors.Is(err, ErrTurnTimeout) {
		t.Fatalf("a turn whose store hangs returned %v, want it cut at its deadline", err)
	}

	slow.userDelay = 0
	slow.eachDelay = 300 * time.Millisecond // longer than a turn, shorter than a report
	h.send(coordID, "/report")
	r := h.press(coordID, h.msg("period_h1", "Year", 2024))
	if last := r.Replies[len(r.Replies)-1].Text; last != h.msg("report_ready", "Count", 0) {
		t.Fatalf("the report did not get its longer deadline: %s", dump(r))
	}
}

// notices records what the engine sends outside of responses.
type notices struct {
	mu   sync.Mutex
	sent []string
}

func (n *notices) Notify(_ context.Context, chat int64, r Reply) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sent = append(n.sent, fmt.Sprint(chat, ": ", r.Text))
	return len(n.sent), nil
}

// Item 7: at most MaxReports reports compile at once; one that waits is
// told so at once, and comes when its turn is there.
func TestReportsTakeTurns(t *testing.T) {
	slow := &slowStore{Store: memory.New(), eachDelay: 300 * time.Millisecond}
	h := newHarnessOn(t, slow)
	n := &notices{}
	h.e.notifier = n
	h.e.reports = make(chan struct{}, 1)
	h.join(coordID, fieldlog.Coordinator, "town")
	h.join(coordID+1, fieldlog.Coordinator, "town2")
	for _, u := range []int64{coordID, coordID + 1} {
		h.send(u, "/report")
	}
	var wg sync.WaitGroup
	results := make([]Response, 2)
	for i, u := range []int64{coordID, coordID + 1} {
		wg.Go(func() {
			if i == 1 {
				// The first is compiling: it holds the one slot.
				for deadline := time.Now().Add(10 * time.Second); len(h.e.reports) == 0; time.Sleep(time.Millisecond) {
					if time.Now().After(deadline) {
						t.Error("the first report did not start compiling within 10s")
						break
					}
				}
			}
			results[i] = h.pressAsync(u, h.msg("period_h1", "Year", 2024))
		})
	}
	wg.Wait()
	for i, r := range results {
		if last := r.Replies[len(r.Replies)-1].Text; last != h.msg("report_ready", "Count", 0) {
			t.Errorf("report %d: %s", i, dump(r))
		}
	}
	if want := fmt.Sprint(coordID+1, ": ", h.tr("report_queued")); len(n.sent) != 1 || n.sent[0] != want {
		t.Errorf("told while waiting: %q, want only %q", n.sent, want)
	}
}

// A confirm tapped under a return that a coordinator has just made again
// answers nothing, and shows the record with what to do.
func TestAConfirmUnderANewReturnSaysSo(t *testing.T) {
	gap := storagetest.NewGap(memory.New())
	h := newHarnessOn(t, gap)
	h.join(officerID, fieldlog.Officer, "v1")
	h.join(coordID, fieldlog.Coordinator, "town")
	ctx := context.Background()
	h.record("r1", "v1", officerID, fieldlog.Date{Year: 2024, Month: 6, Day: 7})
	ret := func(comment string) { h.returned("r1", comment) }
	ret("人数请核实")
	gap.After(func() { ret("日期也请核实") })
	r := h.do(Input{UserID: officerID, Button: "ok|r1|1"})
	if len(r.Replies) != 2 || r.Replies[0].Text != h.tr("review_returned_again") || !strings.Contains(r.Replies[1].Text, "日期也请核实") {
		t.Fatalf("the confirm answered:\n%s", dump(r))
	}
	if a, _ := gap.Activity(ctx, "r1"); !a.Review.Pending() || len(a.Review.Thread) != 2 {
		t.Errorf("the review is %+v, want the second return waiting", a.Review)
	}
}

// The confirm button of a return's message counts the notes it showed: a
// tap on it after the coordinator returned the record again answers
// nothing, and the record is shown with the new comment.
func TestAnOldConfirmButtonAfterANewReturn(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	ctx := context.Background()
	h.record("r1", "v1", officerID, fieldlog.Date{Year: 2024, Month: 6, Day: 7})
	ret := func(comment string) { h.returned("r1", comment) }
	ret("人数请核实")
	r := h.do(Input{UserID: officerID, Button: "rec|r1|o|0", MessageID: 9})
	button := confirmButton(r)
	if button != "ok|r1|1" {
		t.Fatalf("the confirm button is %q in %s", button, dump(r))
	}
	ret("日期也请核实")
	r = h.do(Input{UserID: officerID, Button: button, MessageID: 9})
	if len(r.Replies) != 2 || r.Replies[0].Text != h.tr("review_returned_again") || !strings.Contains(r.Replies[1].Text, "日期也请核实") {
		t.Fatalf("the old button answered:\n%s", dump(r))
	}
	if a, _ := h.store.Activity(ctx, "r1"); !a.Review.Pending() {
		t.Errorf("the review is %+v, want the second return waiting", a.Review)
	}
	if r := h.do(Input{UserID: officerID, Button: "ok|r1|2", MessageID: 9}); !strings.HasPrefix(text(r), h.tr("review_confirmed")) {
		t.Errorf("the button shown now answered:\n%s", dump(r))
	}
}

// A confirm button of before the notes shown were counted (ok|<id>)
// confirms nothing: the record is shown as it is, with a button that
// counts.
func TestAnUncountedConfirmButtonShowsTheRecord(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	ctx := context.Background()
	h.record("r1", "v1", officerID, fieldlog.Date{Year: 2024, Month: 6, Day: 7})
	h.returned("r1", "人数请核实")
	r := h.do(Input{UserID: officerID, Button: "ok|r1", MessageID: 9})
	if r.Notice != h.tr("stale_button") || !strings.Contains(text(r), "人数请核实") || confirmButton(r) != "ok|r1|1" {
		t.Fatalf("the uncounted button answered:\n%s", dump(r))
	}
	if a, _ := h.store.Activity(ctx, "r1"); !a.Review.Pending() {
		t.Errorf("confirmed by an uncounted button: %+v", a.Review)
	}
}

// An edit begun from a return, saved after the coordinator returned the
// record again, is saved and answers nothing: the officer is shown the
// new comment.
func TestAnEditSavedAfterANewReturn(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	ctx := context.Background()
	h.record("r1", "v1", officerID, fieldlog.Date{Year: 2024, Month: 6, Day: 7})
	ret := func(comment string) { h.returned("r1", comment) }
	ret("人数请核实")
	h.do(Input{UserID: officerID, Button: "edit|r1", MessageID: 9})
	ret("日期也请核实")
	r := h.press(officerID, h.tr("btn_save"))
	if !strings.Contains(dump(r), h.tr("review_returned_again")) || !strings.Contains(dump(r), "日期也请核实") {
		t.Fatalf("saving the edit answered:\n%s", dump(r))
	}
	if a, _ := h.store.Activity(ctx, "r1"); !a.Review.Pending() || len(a.Review.Thread) != 2 {
		t.Errorf("the review is %+v, want the second return waiting", a.Review)
	}
}

// confirmButton is the data of the confirm button among r's replies.
func confirmButton(r Response) string {
	for _, reply := range r.Replies {
		for _, row := range reply.Buttons {
			for _, b := range row {
				if strings.HasPrefix(b.Data, "ok|") {
					return b.Data
				}
			}
		}
	}
	return ""
}

// returned has a coordinator return record id with comment, in the store
// directly (as another process would).
func (h *harness) returned(id fieldlog.ActivityID, comment string) {
	h.t.Helper()
	note := fieldlog.ReviewNote{State: fieldlog.Returned, By: coordID, ByName: "王", Text: comment, At: h.now}
	if err := h.store.ReviewActivity(context.Background(), id, note, fieldlog.AnyThread); err != nil {
		h.t.Fatal(err)
	}
}
