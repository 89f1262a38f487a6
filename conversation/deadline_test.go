package conversation

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog"
)

// Deadlines, locking, reopening, review and /remind, in the engine.

// mailbox records what the engine sends outside of its responses.
type mailbox struct {
	mu   sync.Mutex
	sent map[int64][]Reply
}

func (m *mailbox) Notify(_ context.Context, chat int64, r Reply) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sent == nil {
		m.sent = map[int64][]Reply{}
	}
	m.sent[chat] = append(m.sent[chat], r)
	return len(m.sent[chat]), nil
}

// take returns and forgets what was sent to chat.
func (m *mailbox) take(chat int64) []Reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.sent[chat]
	delete(m.sent, chat)
	return r
}

// withMailbox gives the harness's engine a notifier that records.
func (h *harness) withMailbox() *mailbox {
	m := &mailbox{}
	h.e.notifier = m
	return m
}

// received makes the one message sent to user the last thing they saw, so
// that press taps its buttons; it returns its text.
func (h *harness) received(m *mailbox, user int64) string {
	h.t.Helper()
	got := m.take(user)
	if len(got) != 1 {
		h.t.Fatalf("user %d was sent %d messages, want 1: %+v", user, len(got), got)
	}
	h.last[user] = Response{Replies: got}
	return got[0].Text
}

func (h *harness) date(y int, m time.Month, d int) string {
	return h.msg("date_format", "Y", y, "M", int(m), "D", d)
}

func TestDeadlineIsSetInheritedAndShown(t *testing.T) {
	h := newHarness(t)
	h.join(coordID, fieldlog.Coordinator, "town")
	h.join(officerID, fieldlog.Officer, "v1")
	h1 := h.msg("period_h1", "Year", 2024)

	r := h.send(coordID, "/deadline")
	mustSay(t, r, strings.Join([]string{
		h.msg("deadline_list", "Period", h1),
		h.msg("deadline_default", "Unit", "嘎鲁图镇", "Date", h.date(2024, 6, 25)),
		h.msg("deadline_default", "Unit", "一村", "Date", h.date(2024, 6, 25)),
		h.msg("deadline_default", "Unit", "二村", "Date", h.date(2024, 6, 25)),
	}, "\n"))
	mustSay(t, h.press(coordID, h.tr("btn_set_deadline")), h.tr("ask_report_period"))
	ask := h.msg("ask_deadline_date", "Unit", "嘎鲁图镇", "Period", h1)
	mustSay(t, h.press(coordID, h1), ask)
	// A day gone by, and one too far, get a second chance at the same step.
	mustSay(t, h.send(coordID, "2024-06-19"), h.msg("deadline_past", "Earliest", h.date(2024, 6, 20)), ask)
	mustSay(t, h.send(coordID, "2025-03-01"), h.msg("deadline_too_late", "Latest", h.date(2024, 8, 31)), ask)
	mustSay(t, h.send(coordID, "6月28日"), h.msg("deadline_set", "Unit", "嘎鲁图镇", "Period", h1, "Date", h.date(2024, 6, 28)))

	// The officer's village has no deadline of its own: the township's holds.
	mustSay(t, h.send(officerID, "/deadline"), strings.Join([]string{
		h.msg("deadline_list", "Period", h1),
		h.msg("deadline_inherited", "Unit", "一村", "Date", h.date(2024, 6, 28), "From", "嘎鲁图镇"),
	}, "\n"))
	if r := h.last[officerID]; len(r.Replies[0].Buttons) != 0 {
		t.Errorf("an officer is offered to set deadlines: %s", dump(r))
	}
	// An officer's forged button sets nothing.
	if r := h.do(Input{UserID: officerID, Button: "dl|set"}); h.inFlow(officerID) {
		t.Errorf("an officer started setting a deadline: %s", dump(r))
	}
}

func TestAdminPicksTheUnitOfADeadline(t *testing.T) {
	h := newHarness(t)
	h.join(adminID, fieldlog.Admin, "")
	h1 := h.msg("period_h1", "Year", 2024)
	h.send(adminID, "/deadline")
	h.press(adminID, h.tr("btn_set_deadline"))
	mustSay(t, h.press(adminID, h1), h.msg("ask_report_unit", "Period", h1))
	h.press(adminID, "乌审旗 ›")
	h.press(adminID, "嘎鲁图镇 ›")
	ask := h.msg("ask_deadline_date", "Unit", "一村", "Period", h1)
	mustSay(t, h.press(adminID, "一村"), ask)
	// The calendar's day buttons set it too.
	mustSay(t, h.press(adminID, "27"), h.msg("deadline_set", "Unit", "一村", "Period", h1, "Date", h.date(2024, 6, 27)))
	sched, err := h.store.Schedule(context.Background(), fieldlog.Period{Year: 2024, Half: 1})
	if err != nil {
		t.Fatal(err)
	}
	if due, from := sched.Due(fieldlog.NewTree(testUnits()), "v1"); due != (fieldlog.Date{Year: 2024, Month: 6, Day: 27}) || from != "v1" {
		t.Errorf("v1 is due %v (from %q), want 2024-06-27 of its own", due, from)
	}
}

func TestClosedAfterTheDeadlineUntilReopened(t *testing.T) {
	h := newHarness(t)
	h.store.SaveUser(context.Background(), fieldlog.User{ID: coordID, ChatID: coordID, Name: "王干事", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "town"})
	h.join(officerID, fieldlog.Officer, "v1")
	h.logTo(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_save"))
	h1 := h.msg("period_h1", "Year", 2024)

	h.now = h.now.Add(6 * 24 * time.Hour) // 26 June: the 25th has passed
	closed := h.msg("period_closed", "Period", h1, "Date", h.date(2024, 6, 25),
		"Whom", h.msg("whom_one", "Name", "王干事", "Unit", "嘎鲁图镇"))
	// Logging a day of the closed half-year is refused at the date, which
	// is asked again; the draft so far is kept.
	h.send(officerID, "/log")
	h.press(officerID, "宣传教育")
	h.press(officerID, "宣讲活动")
	askDate := h.msg("ask_date", "Forms", h.tr("date_forms"))
	mustSay(t, h.send(officerID, "6月20日"), closed, askDate)
	// Editing and deleting an earlier record are refused too.
	rec := h.records()[0]
	mustSay(t, h.do(Input{UserID: officerID, Button: "edit|" + string(rec.ID)}), closed)
	mustSay(t, h.do(Input{UserID: officerID, Button: "del|" + string(rec.ID) + "|o|0"}), closed)

	// The coordinator reopens the half-year for three days.
	h.send(coordID, "/deadline")
	h.press(coordID, h.tr("btn_reopen"))
	ask := h.msg("ask_reopen_days", "Unit", "嘎鲁图镇", "Period", h1, "Max", 30)
	mustSay(t, h.press(coordID, h1), ask)
	mustSay(t, h.send(coordID, "40"), h.msg("reopen_days_bad", "Max", 30), ask)
	until := h.now.Add(3 * 24 * time.Hour)
	mustSay(t, h.press(coordID, h.msg("btn_days", "N", 3)), h.msg("reopened", "Unit", "嘎鲁图镇", "Period", h1,
		"Until", h.msg("time_format", "Date", h.date(2024, 6, 29), "H", until.Hour(), "M", "00")))
	// The officer goes on where they were.
	mustSay(t, h.send(officerID, "6月20日"), h.tr("ask_participants"))
	mustContain(t, h.send(coordID, "/deadline"), h.tr("deadline_reopened")[:len("，已重新开放至")])

	// Three days on, it is closed again.
	h.now = until.Add(time.Minute)
	h.send(officerID, "/cancel")
	mustSay(t, h.do(Input{UserID: officerID, Button: "del|" + string(rec.ID) + "|o|0"}), closed)
	// Reopening an open half-year is declined with its deadline.
	h.now = time.Date(2024, 6, 20, 10, 0, 0, 0, h.now.Location())
	h.send(coordID, "/deadline")
	h.press(coordID, h.tr("btn_reopen"))
	mustSay(t, h.press(coordID, h1), h.msg("reopen_not_closed", "Unit", "嘎鲁图镇", "Period", h1, "Date", h.date(2024, 6, 25)))
}

func TestReturnedRecordIsConfirmedOrCorrected(t *testing.T) {
	h := newHarness(t)
	box := h.withMailbox()
	ctx := context.Background()
	h.store.SaveUser(ctx, fieldlog.User{ID: coordID, ChatID: coordID, Name: "王干事", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "town"})
	officer := fieldlog.User{ID: officerID, ChatID: officerID, Name: "Bat", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "v1"}
	h.store.SaveUser(ctx, officer)
	h.logTo(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_save"))
	rec := h.records()[0]
	officer.Lang = fieldlog.Mongolian // they read Mongolian from now on
	h.store.SaveUser(ctx, officer)

	// The coordinator opens the record and returns it.
	h.do(Input{UserID: coordID, Button: "rec|" + string(rec.ID) + "|u|0"})
	ask := h.msg("ask_return_comment", "Max", fieldlog.MaxReviewComment)
	mustSay(t, h.press(coordID, h.tr("btn_return")), ask)
	r := h.send(coordID, strings.Repeat("请", fieldlog.MaxReviewComment+1))
	if len(r.Replies) != 2 || r.Replies[1].Text != ask {
		t.Fatalf("an over-long comment was not asked again: %s", dump(r))
	}
	mustSay(t, h.press(coordID, h.tr("comment_people")), h.msg("returned_done", "Name", "Bat"))

	// The officer is told in Mongolian, with the comment in the coordinator's words.
	mn := func(id string, kv ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
		return h.msgs.Text(fieldlog.Mongolian, id, data)
	}
	got := h.received(box, officerID)
	if !strings.HasPrefix(got, mn("returned_to_you", "Name", "王干事", "Comment", h.tr("comment_people"))+"\n\n") {
		t.Fatalf("the officer got:\n%s", got)
	}
	notice := h.last[officerID]
	if a, _ := h.store.Activity(ctx, rec.ID); !a.Review.Pending() {
		t.Fatalf("the record is not pending review: %+v", a.Review)
	}
	mustContain(t, h.send(officerID, "/my"), "↩️ ")
	// Another officer's forged confirmation changes nothing.
	h.join(otherID, fieldlog.Officer, "v1")
	h.do(Input{UserID: otherID, Button: "ok|" + string(rec.ID) + "|1"})
	if a, _ := h.store.Activity(ctx, rec.ID); !a.Review.Pending() {
		t.Fatal("another officer resolved the review")
	}
	// Nor can the officer return records.
	h.do(Input{UserID: officerID, Button: "ret|" + string(rec.ID)})
	if h.inFlow(officerID) {
		t.Fatal("an officer started returning a record")
	}

	// The officer confirms it as it is; the coordinator is told.
	h.last[officerID] = notice
	if r := h.press(officerID, mn("btn_confirm_record")); !strings.HasPrefix(text(r), mn("review_confirmed")+"\n\n") {
		t.Fatalf("confirming answered:\n%s", dump(r))
	}
	if got := h.received(box, coordID); got != h.msg("review_confirmed_by", "Name", "Bat", "Title", rec.Title) {
		t.Errorf("the coordinator was told %q", got)
	}
	// Confirming twice is refused kindly.
	h.last[officerID] = notice
	if r := h.press(officerID, mn("btn_confirm_record")); r.Notice != mn("review_not_pending") {
		t.Errorf("a second confirmation answered %s", dump(r))
	}

	// Returned again, the officer corrects it; the coordinator is told.
	h.do(Input{UserID: coordID, Button: "rec|" + string(rec.ID) + "|u|0"})
	h.press(coordID, h.tr("btn_return"))
	mustSay(t, h.send(coordID, "日期请核实"), h.msg("returned_done", "Name", "Bat"))
	h.received(box, officerID)
	h.press(officerID, mn("btn_edit"))
	h.press(officerID, mn("btn_save"))
	if got := h.received(box, coordID); got != h.msg("review_corrected_by", "Name", "Bat", "Title", rec.Title) {
		t.Errorf("the coordinator was told %q", got)
	}
	a, _ := h.store.Activity(ctx, rec.ID)
	if a.Review.Pending() || len(a.Review.Thread) != 4 {
		t.Fatalf("after the correction the review is %+v", a.Review)
	}
	// The whole exchange shows in the record's details.
	day := h.date(2024, 6, 20)
	details := text(h.do(Input{UserID: coordID, Button: "rec|" + string(rec.ID) + "|u|0"}))
	want := strings.Join([]string{h.tr("review_thread"),
		h.msg("review_note_returned", "Date", day, "Name", "王干事", "Text", h.tr("comment_people")),
		h.msg("review_note_confirmed", "Date", day, "Name", "Bat"),
		h.msg("review_note_returned", "Date", day, "Name", "王干事", "Text", "日期请核实"),
		h.msg("review_note_corrected", "Date", day, "Name", "Bat"),
	}, "\n")
	if !strings.Contains(details, want) {
		t.Errorf("the details lack the exchange:\n%s\nwant\n%s", details, want)
	}
}

func TestRemindOffAndOn(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	mustSay(t, h.send(officerID, "/remind"), h.msg("remind_usage", "Off", false))
	mustSay(t, h.send(officerID, "/remind off"), h.tr("remind_off"))
	if !h.user(officerID).RemindersOff {
		t.Fatal("/remind off did not pause the reminders")
	}
	mustSay(t, h.send(officerID, "/remind"), h.msg("remind_usage", "Off", true))
	mustSay(t, h.send(officerID, "/remind on"), h.tr("remind_on"))
	if h.user(officerID).RemindersOff {
		t.Fatal("/remind on did not resume the reminders")
	}
}

func TestReminderButtonsStartWhatTheyName(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	mustSay(t, h.do(Input{UserID: officerID, Button: "go|log", MessageID: 5}), h.tr("ask_section"))
	if r := h.do(Input{UserID: officerID, Button: "go|nonsense", MessageID: 6}); r.Notice != h.tr("stale_button") {
		t.Errorf("an unknown go| button answered %s", dump(r))
	}
}

func TestWritingAgainClearsBlocked(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	ctx := context.Background()
	if err := h.e.SetBlocked(ctx, officerID, true); err != nil {
		t.Fatal(err)
	}
	if !h.user(officerID).Blocked {
		t.Fatal("SetBlocked did not mark the user")
	}
	h.send(officerID, "/help")
	if h.user(officerID).Blocked {
		t.Fatal("a user who writes again is still marked blocked")
	}
}

// A Telegram account linked to a user of the project's own (who joined on
// the web page) is that user: Telegram's word that the chat is blocked
// marks them, and their next message clears it.
func TestALinkedAccountIsItsUser(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const account = 5550001
	web := fieldlog.User{ID: fieldlog.FirstOwnUserID + 7, ChatID: account, Telegram: account, Name: "乌兰",
		Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "v1"}
	if err := h.store.SaveUser(ctx, web); err != nil {
		t.Fatal(err)
	}
	if err := h.store.LinkAccount(ctx, fieldlog.TelegramAccountKey(account), web.ID, h.now); err != nil {
		t.Fatal(err)
	}
	if err := h.e.SetBlocked(ctx, account, true); err != nil {
		t.Fatal(err)
	}
	if !h.user(web.ID).Blocked {
		t.Fatal("SetBlocked of the account did not mark its user")
	}
	mustSay(t, h.send(account, "/log"), h.tr("ask_section"))
	if u := h.user(web.ID); u.Blocked || u.Name != "乌兰" {
		t.Errorf("after writing: %+v", u)
	}
	if c, err := h.store.Conversation(ctx, web.ID); err != nil || c.Flow == "" {
		t.Errorf("the flow is not the user's: %+v %v", c, err)
	}
	if _, err := h.store.User(ctx, account); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("the account became a user of its own: %v", err)
	}
}
