package conversation

import (
	"context"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
)

// harness runs the engine over an in-memory store with a fixed clock.
type harness struct {
	t     *testing.T
	e     *Engine
	store fieldlog.Store
	msgs  *locales.Messages
	now   time.Time
	mu    sync.Mutex // guards last, for tests that run turns at once
	last  map[int64]Response
	msgID int
}

const (
	adminID   = 1
	officerID = 100
	otherID   = 200
	coordID   = 300
)

func testCatalog() *fieldlog.Catalog {
	zh, mn := fieldlog.Chinese, fieldlog.Mongolian
	return &fieldlog.Catalog{Sections: []fieldlog.Section{
		{ID: "publicity", Name: fieldlog.Text{zh: "宣传教育", mn: "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ᠎ᠠ"}, Types: []fieldlog.ActivityType{
			{ID: "lecture", Name: fieldlog.Text{zh: "宣讲活动", mn: "ᠨᠣᠮᠯᠠᠯ"}, Verb: fieldlog.Text{zh: "开展", mn: "ᠶᠠᠪᠤᠭᠳᠠᠭᠤᠯᠤᠭᠰᠠᠨ"}, Unit: fieldlog.Text{zh: "场", mn: "ᠤᠳᠠᠭ᠎ᠠ"}},
			{ID: "leaflets", Name: fieldlog.Text{zh: "发放宣传资料", mn: "ᠮᠠᠲ᠋ᠧᠷᠢᠶᠠᠯ"}, Verb: fieldlog.Text{zh: "", mn: ""}, Unit: fieldlog.Text{zh: "份", mn: "ᠬᠤᠪᠢ"}, Quantity: true},
		}},
		{ID: "unity", Name: fieldlog.Text{zh: "民族团结进步创建", mn: "ᠦᠨᠳᠦᠰᠦᠲᠡᠨ"}, Types: []fieldlog.ActivityType{
			{ID: "meeting", Name: fieldlog.Text{zh: "创建工作会议", mn: "ᠬᠤᠷᠠᠯ"}, Unit: fieldlog.Text{zh: "次", mn: "ᠤᠳᠠᠭ᠎ᠠ"}},
		}},
	}}
}

func testUnits() []fieldlog.Unit { return storagetest.Units() }

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, memory.New())
}

// newHarnessOn runs an engine over store; several harnesses on one store
// are several engines serving one database.
func newHarnessOn(t *testing.T, store fieldlog.Store) *harness {
	t.Helper()
	return newHarnessLogging(t, store, nil)
}

// newHarnessLogging is newHarnessOn with the engine's and the office's
// logs going to logger.
func newHarnessLogging(t *testing.T, store fieldlog.Store, logger *slog.Logger) *harness {
	t.Helper()
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	h := &harness{t: t, store: store, msgs: msgs, last: map[int64]Response{},
		now: time.Date(2024, 6, 20, 10, 0, 0, 0, loc)}
	if err := h.store.SaveUnits(context.Background(), testUnits()); err != nil {
		t.Fatal(err)
	}
	h.e = newEngine(Config{Store: h.store, Catalog: testCatalog(), Messages: msgs, Location: loc,
		BotName: "fieldlog_bot", Now: func() time.Time { return h.now }, Logger: logger}, adminID)
	return h
}

// join gives user a language and a role directly in the store.
func (h *harness) join(user int64, role fieldlog.Role, unit fieldlog.UnitID) {
	if err := h.store.SaveUser(context.Background(), fieldlog.User{ID: user, ChatID: user, Name: "user", Lang: fieldlog.Chinese, Role: role, UnitID: unit}); err != nil {
		h.t.Fatal(err)
	}
}

// user reads a user from the store (the zero user if there is none).
func (h *harness) user(id int64) fieldlog.User {
	u, _ := h.store.User(context.Background(), id)
	return u
}

// records lists every record in the store, newest first.
func (h *harness) records() []fieldlog.Activity {
	h.t.Helper()
	as, err := h.store.ListActivities(context.Background(), fieldlog.ActivityFilter{AllUnits: true}, 0, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return as
}

// invite stores an invitation code directly.
func (h *harness) invite(inv fieldlog.Invite) {
	h.t.Helper()
	if err := h.store.CreateInvite(context.Background(), inv); err != nil {
		h.t.Fatal(err)
	}
}

// inFlow reports whether user is in the middle of a flow.
func (h *harness) inFlow(user int64) bool {
	c, err := h.store.Conversation(context.Background(), user)
	return err == nil && c.Active()
}

func (h *harness) do(in Input) Response {
	h.t.Helper()
	in.ChatID = in.UserID
	resp, err := h.e.Handle(context.Background(), in)
	if err != nil {
		h.t.Fatalf("handle %+v: %v", in, err)
	}
	h.mu.Lock()
	h.last[in.UserID] = resp
	h.mu.Unlock()
	return resp
}

// sendAsync is send for another goroutine than the test's: it reports an
// error instead of stopping the test.
func (h *harness) sendAsync(user int64, text string) Response {
	resp, err := h.e.Handle(context.Background(), Input{UserID: user, ChatID: user, Text: text})
	if err != nil {
		h.t.Errorf("handle %q of %d: %v", text, user, err)
	}
	h.mu.Lock()
	h.last[user] = resp
	h.mu.Unlock()
	return resp
}

// pressAsync is press for another goroutine than the test's.
func (h *harness) pressAsync(user int64, label string) Response {
	h.mu.Lock()
	last := h.last[user]
	h.mu.Unlock()
	for _, r := range last.Replies {
		for _, row := range r.Buttons {
			for _, b := range row {
				if b.Text == label {
					resp, err := h.e.Handle(context.Background(), Input{UserID: user, ChatID: user, Button: b.Data, MessageID: 1})
					if err != nil {
						h.t.Errorf("press %q of %d: %v", label, user, err)
					}
					return resp
				}
			}
		}
	}
	h.t.Errorf("no button %q for %d in %s", label, user, dump(last))
	return Response{}
}

func (h *harness) send(user int64, text string) Response {
	h.t.Helper()
	return h.do(Input{UserID: user, Text: text})
}

// press taps the button labelled label in user's last response.
func (h *harness) press(user int64, label string) Response {
	h.t.Helper()
	for _, r := range h.last[user].Replies {
		for _, row := range r.Buttons {
			for _, b := range row {
				if b.Text == label {
					h.msgID++
					return h.do(Input{UserID: user, Button: b.Data, MessageID: h.msgID})
				}
			}
		}
	}
	h.t.Fatalf("no button %q in %s", label, dump(h.last[user]))
	return Response{}
}

func (h *harness) tr(id string) string { return h.msgs.Text(fieldlog.Chinese, id, nil) }

// msg renders message id in Chinese with data given as name, value pairs,
// as the engine renders it: tests compare whole messages, since a prefix
// of one message is often the prefix of another.
func (h *harness) msg(id string, kv ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[kv[i].(string)] = kv[i+1]
	}
	return h.msgs.Text(fieldlog.Chinese, id, data)
}

// texts are the texts of a response's replies, in order.
func texts(r Response) []string {
	var out []string
	for _, rep := range r.Replies {
		out = append(out, rep.Text)
	}
	return out
}

// mustSay fails unless the response's replies are exactly want.
func mustSay(t *testing.T, r Response, want ...string) {
	t.Helper()
	if got := texts(r); !slices.Equal(got, want) {
		t.Fatalf("replies:\n%q\nwant\n%q", got, want)
	}
}

func dump(r Response) string {
	var b strings.Builder
	b.WriteString("notice=" + r.Notice + "\n")
	for _, rep := range r.Replies {
		b.WriteString("> " + rep.Text + "\n")
		for _, row := range rep.Buttons {
			for _, bt := range row {
				b.WriteString("  [" + bt.Text + "]")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func text(r Response) string {
	var parts []string
	for _, rep := range r.Replies {
		parts = append(parts, rep.Text)
	}
	return strings.Join(parts, "\n")
}

func mustContain(t *testing.T, r Response, want string) {
	t.Helper()
	if !strings.Contains(text(r), want) {
		t.Fatalf("response lacks %q:\n%s", want, dump(r))
	}
}

func TestFirstContactAsksLanguageThenExplainsJoining(t *testing.T) {
	h := newHarness(t)
	r := h.send(officerID, "hello")
	if len(r.Replies) != 1 || len(r.Replies[0].Buttons) != 1 || len(r.Replies[0].Buttons[0]) != 2 {
		t.Fatalf("want one message with two language buttons:\n%s", dump(r))
	}
	r = h.press(officerID, "ᠮᠣᠩᠭᠣᠯ")
	if u := h.user(officerID); u.Lang != fieldlog.Mongolian || u.Joined() {
		t.Fatalf("stored user = %+v, want Mongolian and not joined", u)
	}
	mustContain(t, r, h.msgs.Text(fieldlog.Mongolian, "not_joined", nil))
	r = h.send(officerID, "/log")
	mustContain(t, r, h.msgs.Text(fieldlog.Mongolian, "not_joined", nil))
	if h.inFlow(officerID) {
		t.Fatal("someone who has not joined started a flow")
	}
}

func TestInviteLinkJoinsOnceAndBeforeLanguage(t *testing.T) {
	h := newHarness(t)
	h.join(coordID, fieldlog.Coordinator, "town")
	h.send(coordID, "/invite")
	h.press(coordID, h.tr("role_officer"))
	r := h.press(coordID, "一村")
	m := regexp.MustCompile(`https://t\.me/fieldlog_bot\?start=([A-Z0-9]{8})`).FindStringSubmatch(text(r))
	if m == nil {
		t.Fatalf("no invitation link:\n%s", dump(r))
	}
	code := m[1]
	mustContain(t, r, h.tr("role_officer"))
	mustContain(t, r, "一村")

	// The invitee opens the link before having a language: the code waits.
	h.send(officerID, "/start "+code)
	r = h.press(officerID, "中文")
	if u := h.user(officerID); u.Role != fieldlog.Officer || u.UnitID != "v1" {
		t.Fatalf("after joining user = %+v", u)
	}
	if r.Commands == nil || r.Replies[len(r.Replies)-1].Menu == nil {
		t.Fatalf("joining must set the menu and the commands:\n%s", dump(r))
	}

	// The code works once.
	h.send(otherID, "hi")
	h.press(otherID, "中文")
	r = h.send(otherID, "/start "+code)
	if h.user(otherID).Joined() {
		t.Fatal("a used code let a second user in")
	}
	mustContain(t, r, h.msgs.Text(fieldlog.Chinese, "code_invalid", map[string]any{"Left": office.MaxCodeTries - 1}))
}

func TestWrongCodesAreSlowedDown(t *testing.T) {
	h := newHarness(t)
	h.invite(fieldlog.Invite{Code: "GOODCODE", Role: fieldlog.Officer, UnitID: "v1", ExpiresAt: h.now.Add(24 * time.Hour)})
	h.send(officerID, "hi")
	h.press(officerID, "中文")
	for i := 0; i < office.MaxCodeTries; i++ {
		h.send(officerID, "/start WRONG")
	}
	r := h.send(officerID, "/start GOODCODE")
	if h.user(officerID).Joined() {
		t.Fatal("a sixth try within the hour was let through")
	}
	mustContain(t, r, h.tr("code_too_many_tries"))
	h.now = h.now.Add(61 * time.Minute)
	h.send(officerID, "/start goodcode") // codes are case-insensitive
	if !h.user(officerID).Joined() {
		t.Fatal("a good code an hour later was refused")
	}
}

func TestExpiredCodeIsRefused(t *testing.T) {
	h := newHarness(t)
	h.invite(fieldlog.Invite{Code: "OLDCODE2", Role: fieldlog.Officer, UnitID: "v1", ExpiresAt: h.now.Add(-time.Second)})
	h.send(officerID, "hi")
	h.press(officerID, "中文")
	h.send(officerID, "/start OLDCODE2")
	if h.user(officerID).Joined() {
		t.Fatal("an expired code let the user in")
	}
}

// logTo walks the log flow up to the summary with typed answers.
func (h *harness) logTo(user int64, typeLabel string) {
	h.t.Helper()
	h.send(user, "/log")
	section := "宣传教育"
	if typeLabel == "创建工作会议" {
		section = "民族团结进步创建"
	}
	h.press(user, section)
	h.press(user, typeLabel)
	h.press(user, h.tr("btn_yesterday"))
	h.send(user, "80余")
	if typeLabel == "发放宣传资料" {
		h.send(user, "１２００")
	}
	h.send(user, "  政策赶大集志愿服务活动 🎉 ")
	h.press(user, h.tr("btn_skip_photos"))
}

func TestLogActivityEndToEndInTheEngine(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.logTo(officerID, "发放宣传资料")
	r := h.last[officerID]
	mustContain(t, r, "80余人")
	mustContain(t, r, "1200份")
	mustContain(t, r, "2024年6月19日")
	h.press(officerID, h.tr("btn_save"))
	if len(h.records()) != 1 {
		t.Fatalf("stored %d records, want 1", len(h.records()))
	}
	for _, a := range h.records() {
		want := fieldlog.Activity{SectionID: "publicity", TypeID: "leaflets", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 19},
			Participants: fieldlog.Count{Value: 80, Approx: true}, Quantity: fieldlog.Count{Value: 1200},
			Title: "政策赶大集志愿服务活动 🎉", UnitID: "v1", ReporterID: officerID}
		got := a
		got.ID, got.LoggedAt, got.UpdatedAt, got.ReporterName, got.Photos = "", time.Time{}, time.Time{}, "", nil
		if got.SectionID != want.SectionID || got.TypeID != want.TypeID || got.Date != want.Date || got.Participants != want.Participants ||
			got.Quantity != want.Quantity || got.Title != want.Title || got.UnitID != want.UnitID || got.ReporterID != want.ReporterID {
			t.Fatalf("stored %+v\nwant   %+v", got, want)
		}
	}
	if h.inFlow(officerID) {
		t.Fatal("the flow is still open after saving")
	}
}

func TestDoubleSaveStoresOneRecord(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.logTo(officerID, "宣讲活动")
	saveResp := h.last[officerID]
	h.press(officerID, h.tr("btn_save"))
	h.last[officerID] = saveResp // the second tap lands on the same summary
	r := h.press(officerID, h.tr("btn_save"))
	if len(h.records()) != 1 {
		t.Fatalf("double Save stored %d records", len(h.records()))
	}
	if r.Notice != h.tr("stale_button") {
		t.Fatalf("second Save got notice %q", r.Notice)
	}
}

func TestBadInputKeepsStepAndAnswers(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.send(officerID, "/log")
	h.press(officerID, "宣传教育")
	h.press(officerID, "宣讲活动")
	earliest := h.msg("date_format", "Y", 2023, "M", 7, "D", 1) // the clock says 20 June 2024
	askDate := h.msg("ask_date", "Forms", h.tr("date_forms"))
	for _, bad := range []struct{ in, msg string }{
		{"2月30日", "date_impossible"},
		{"2030-01-01", "date_future"},
		{"2023-06-30", "date_too_early"},
		{"昨儿个吧", "date_not_understood"},
	} {
		r := h.send(officerID, bad.in)
		mustSay(t, r, h.msg(bad.msg, "Earliest", earliest)+"\n"+h.tr("date_forms"), askDate)
		c, _ := h.store.Conversation(context.Background(), officerID)
		if c.Step != stepDate || c.Draft.SectionID != "publicity" || c.Draft.TypeID != "lecture" {
			t.Fatalf("%q: conversation now %+v", bad.in, c)
		}
	}
	h.send(officerID, "2024-01-01") // the first day of the half-year is fine
	for _, bad := range []string{"-5", "很多", "200000", "3.5"} {
		h.send(officerID, bad)
		c, _ := h.store.Conversation(context.Background(), officerID)
		if c.Step != stepParticipants || c.Draft.Date != (fieldlog.Date{Year: 2024, Month: 1, Day: 1}) {
			t.Fatalf("%q: conversation now %+v", bad, c)
		}
	}
	h.send(officerID, "十二")
	long := strings.Repeat("长", 101)
	r := h.send(officerID, long)
	mustSay(t, r, h.msg("text_too_long", "Len", 101, "Max", 100), h.msg("ask_title", "Max", 100))
	c, _ := h.store.Conversation(context.Background(), officerID)
	if c.Step != stepTitle || c.Draft.Participants != (fieldlog.Count{Value: 12}) {
		t.Fatalf("after a long title: %+v", c)
	}
}

func TestQuantityIsAskedOnlyForTypesThatCountThings(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.send(officerID, "/log")
	h.press(officerID, "宣传教育")
	h.press(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_today"))
	h.send(officerID, "30")
	c, _ := h.store.Conversation(context.Background(), officerID)
	if c.Step != stepTitle {
		t.Fatalf("after participants of a lecture the step is %q, want title", c.Step)
	}
	h.press(officerID, h.tr("btn_back"))
	h.press(officerID, h.tr("btn_back"))
	h.press(officerID, h.tr("btn_back"))
	h.press(officerID, "发放宣传资料")
	h.press(officerID, h.tr("btn_today"))
	h.send(officerID, "30")
	c, _ = h.store.Conversation(context.Background(), officerID)
	if c.Step != stepQuantity || c.Draft.Participants.Value != 30 {
		t.Fatalf("after participants of leaflets: %+v", c)
	}
}

func TestStaleAndForeignButtonsChangeNothing(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.join(otherID, fieldlog.Officer, "v1")
	h.logTo(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_save"))
	id := h.records()[0].ID
	for _, forged := range []string{"edit|" + string(id), "del|" + string(id) + "|o|0", "delok|" + string(id) + "|o|0", "rec|" + string(id) + "|o|0", "f|zzzzzz|sec|pick|unity", "lang|xx", "list|u|0", "garbage"} {
		r := h.do(Input{UserID: otherID, Button: forged, MessageID: 1})
		if r.Notice == "" {
			t.Errorf("%q: no refusal notice:\n%s", forged, dump(r))
		}
		if len(r.Replies) != 0 {
			t.Errorf("%q: replies shown to a stranger:\n%s", forged, dump(r))
		}
	}
	if a, err := h.store.Activity(context.Background(), id); err != nil || a.Deleted {
		t.Fatalf("record changed by forged buttons: %+v %v", a, err)
	}
}

func TestCoordinatorSeesSubtreeReadOnly(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.join(coordID, fieldlog.Coordinator, "town")
	h.join(otherID, fieldlog.Coordinator, "town2")
	h.logTo(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_save"))
	r := h.send(coordID, "/records")
	mustContain(t, r, "政策赶大集")
	r = h.press(coordID, r.Replies[0].Buttons[0][0].Text)
	for _, row := range r.Replies[0].Buttons {
		for _, b := range row {
			if b.Text == h.tr("btn_edit") || b.Text == h.tr("btn_delete") {
				t.Fatalf("a coordinator who is not the reporter got %q", b.Text)
			}
		}
	}
	r = h.send(otherID, "/records")
	mustContain(t, r, h.tr("list_empty"))
}

func TestEditAndDeleteOwnRecord(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.logTo(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_save"))
	r := h.send(officerID, "/my")
	h.press(officerID, r.Replies[0].Buttons[0][0].Text)
	h.press(officerID, h.tr("btn_edit"))
	h.press(officerID, h.tr("btn_change"))
	h.press(officerID, h.tr("field_participants"))
	r = h.send(officerID, "95")
	mustContain(t, r, "95人")
	h.press(officerID, h.tr("btn_save"))
	if len(h.records()) != 1 {
		t.Fatalf("editing created a record: %d", len(h.records()))
	}
	for _, a := range h.records() {
		if a.Participants != (fieldlog.Count{Value: 95}) || a.ReporterID != officerID {
			t.Fatalf("edited record = %+v", a)
		}
	}
	r = h.send(officerID, "/my")
	h.press(officerID, r.Replies[0].Buttons[0][0].Text)
	h.press(officerID, h.tr("btn_delete"))
	h.press(officerID, h.tr("btn_delete_yes"))
	r = h.send(officerID, "/my")
	mustContain(t, r, h.tr("list_empty"))
}

func TestStartKeepsAnUnfinishedLog(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.send(officerID, "/log")
	h.press(officerID, "宣传教育")
	h.press(officerID, "宣讲活动")
	r := h.send(officerID, "/start")
	if got := texts(r); len(got) != 2 || got[1] != h.msg("ask_date", "Forms", h.tr("date_forms")) {
		t.Fatalf("after /start: %q, want the greeting and the date question again", got)
	}
	c, err := h.store.Conversation(context.Background(), officerID)
	if err != nil || c.Step != stepDate || c.Draft.TypeID != "lecture" {
		t.Fatalf("after /start the flow is %+v, %v", c, err)
	}
}

func TestLanguageChangeMidFlowAsksAgainBelow(t *testing.T) {
	h := newHarness(t)
	h.join(officerID, fieldlog.Officer, "v1")
	h.send(officerID, "/log")
	h.press(officerID, "宣传教育")
	h.send(officerID, "/lang")
	r := h.press(officerID, "ᠮᠣᠩᠭᠣᠯ")
	last := r.Replies[len(r.Replies)-1]
	want := h.msgs.Text(fieldlog.Mongolian, "ask_type", map[string]any{"Section": "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ᠎ᠠ"})
	if last.Edit || last.Text != want {
		t.Fatalf("last reply = %+v, want the type question in Mongolian as a new message", last)
	}
	if !r.Replies[0].Edit {
		t.Error("the language buttons were not replaced by the confirmation")
	}
}

// newEngine is an engine of cfg over an office of the same store,
// catalogue and clock, with admins, that tells users through the engine,
// as cmd/fieldlog wires them.
func newEngine(cfg Config, admins ...int64) *Engine {
	var e *Engine
	cfg.Office = office.New(office.Config{Store: cfg.Store, Catalog: cfg.Catalog, Messages: cfg.Messages, Location: cfg.Location, Now: cfg.Now, Admins: admins, Logger: cfg.Logger,
		Teller: office.TellerFunc(func(ctx context.Context, ev office.Event) { e.Tell(ctx, ev) })})
	e = New(cfg)
	return e
}

// A record's photos show as they are kept: a channel's by their id, one
// the project stores (uploaded on the web) with its bytes for the channel
// to upload; a stored file that went missing is left out, not an error.
func TestARecordsPhotosShowWhereverTheyAreKept(t *testing.T) {
	h := newHarness(t)
	store := h.store.(*memory.Store)
	ctx := context.Background()
	id, err := store.SavePhotoFile(ctx, []byte("jpeg bytes"), "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	h.e = newEngine(Config{Store: store, Catalog: testCatalog(), Messages: h.msgs, Location: h.now.Location(),
		PhotoFiles: store, Now: func() time.Time { return h.now }})
	h.join(officerID, fieldlog.Officer, "v1")
	a := fieldlog.Activity{ID: "r1", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 7},
		Title: "村史馆参观", UnitID: "v1", ReporterID: officerID, Photos: []fieldlog.Photo{
			{Source: fieldlog.TelegramPhoto, ID: "tg-1"},
			{Source: fieldlog.StoredPhoto, ID: id},
			{Source: fieldlog.StoredPhoto, ID: "gone"},
		}}
	if err := store.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}
	r := h.do(Input{UserID: officerID, Button: "photos|r1"})
	if len(r.Replies) != 1 {
		t.Fatalf("answered %+v", r)
	}
	got := r.Replies[0].Photos
	if len(got) != 2 || got[0].ID != "tg-1" || got[0].Data != nil || got[1].ID != id || string(got[1].Data) != "jpeg bytes" || r.Replies[0].Caption != "村史馆参观" {
		t.Errorf("photos %+v", got)
	}
}

// /web sends a one-time sign-in link to the web page, and, on HTTPS, a
// button that opens it inside Telegram; without a web page there is no
// /web.
func TestWebSendsAOneTimeLink(t *testing.T) {
	h := newHarness(t)
	store := h.store.(*memory.Store)
	h.join(officerID, fieldlog.Officer, "v1")
	if r := h.send(officerID, "/web"); text(r) != h.tr("unknown_command") {
		t.Errorf("/web without a web page:\n%s", dump(r))
	}
	if slices.ContainsFunc(h.e.Commands(h.user(officerID), fieldlog.Chinese), func(c Command) bool { return c.Name == "web" }) {
		t.Error("/web listed without a web page")
	}
	var o *office.Office
	h.e = newEngineWith(Config{Store: store, Catalog: testCatalog(), Messages: h.msgs, Location: h.now.Location(),
		WebURL: "https://fieldlog.example.cn/", WebStore: store, Now: func() time.Time { return h.now }}, &o)
	if !slices.ContainsFunc(h.e.Commands(h.user(officerID), fieldlog.Chinese), func(c Command) bool { return c.Name == "web" }) {
		t.Error("/web not listed")
	}
	r := h.send(officerID, "/web")
	if !strings.HasPrefix(text(r), h.msg("web_link", "Minutes", 10)) || len(r.Replies[0].Buttons) != 2 {
		t.Fatalf("/web answered:\n%s", dump(r))
	}
	link, app := r.Replies[0].Buttons[0][0], r.Replies[0].Buttons[1][0]
	token, ok := strings.CutPrefix(link.URL, "https://fieldlog.example.cn/web/login?t=")
	if !ok || app.WebApp != "https://fieldlog.example.cn/web/" {
		t.Fatalf("buttons %+v %+v", link, app)
	}
	u, err := o.RedeemSignInLink(context.Background(), store, token, "10.0.0.1")
	if err != nil || u.ID != officerID {
		t.Errorf("the link signs in %+v, %v", u, err)
	}
	// The menu's last row opens the page inside Telegram; where that
	// cannot open, its label comes as text and means /web.
	help := h.send(officerID, "/help")
	if app := help.Replies[len(help.Replies)-1].MenuApp; app.WebApp != "https://fieldlog.example.cn/web/" || app.Text != h.tr("menu_web") {
		t.Errorf("menu app %+v", app)
	}
	if r := h.send(officerID, h.tr("menu_web")); !strings.HasPrefix(text(r), h.msg("web_link", "Minutes", 10)) {
		t.Errorf("the menu's label as text:\n%s", dump(r))
	}
}

// newEngineWith is newEngine that also hands out the office.
func newEngineWith(cfg Config, o **office.Office, admins ...int64) *Engine {
	e := newEngine(cfg, admins...)
	*o = e.office
	return e
}
