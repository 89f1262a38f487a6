package main

// End-to-end tests: the real `serve` wiring (run) against the project's
// fake Bot API (bot/bottest) and the embedded MongoDB-compatible store, or
// a real MongoDB when MONGODB_TEST_URI is set.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot"
	"fieldlog/bot/bottest"
	"fieldlog/catalog"
	"fieldlog/locales"
	"fieldlog/parse"
	"fieldlog/units"
)

const adminID = 7000001

// app is one running bot process.
type app struct {
	t      *testing.T
	srv    *bottest.Server
	env    map[string]string
	msgs   *locales.Messages
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
	limits bot.Limits
	addr   chan net.Addr // where the HTTP endpoints listen, once they do
	url    string
}

// httpURL is the base URL of the running bot's HTTP endpoints.
func (a *app) httpURL() string {
	a.t.Helper()
	if a.url == "" {
		select {
		case addr := <-a.addr:
			a.url = "http://" + addr.String()
		case <-time.After(15 * time.Second):
			a.t.Fatalf("the bot did not listen for HTTP; logs:\n%s", a.logs.String())
		}
	}
	return a.url
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv is the environment of a bot under test: the fake Bot API, the
// embedded store in a temporary directory (or MONGODB_TEST_URI with a
// database of its own), and the sample units imported.
func testEnv(t testing.TB, srv *bottest.Server) map[string]string {
	t.Helper()
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": srv.Token(),
		"TELEGRAM_API_URL":   srv.URL(),
		"FIELDLOG_DATA_DIR":  t.TempDir(),
		"FIELDLOG_ADMINS":    fmt.Sprint(adminID),
		"FIELDLOG_LOG_LEVEL": "debug",
		"FIELDLOG_HTTP_ADDR": "127.0.0.1:0", // many bots at once
	}
	if uri := os.Getenv("MONGODB_TEST_URI"); uri != "" {
		env["MONGODB_URI"] = uri
		env["FIELDLOG_DB"] = fmt.Sprintf("fieldlog_e2e_%d", time.Now().UnixNano())
	}
	var out, logs bytes.Buffer
	err := run(context.Background(), []string{"units", "import", filepath.Join("..", "..", "deploy", "units.sample.csv")}, world{getenv: getenv(env), stdout: &out, stderr: &logs})
	if err != nil {
		t.Fatalf("import units: %v\n%s", err, logs.String())
	}
	return env
}

func getenv(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// clock is the bot's clock in a test. It starts at testStart, so that the
// dates a test types mean the same on any day the test runs, and goes on
// from there at the wall clock's pace; a test may move it.
type clock struct {
	mu    sync.Mutex
	base  time.Time // what it read at start
	start time.Time // the wall clock then
}

// testStart is 10:00 on 20 June 2024 in Asia/Shanghai, the deployment's
// zone: mid-afternoon of a weekday in the first half-year.
var testStart = time.Date(2024, 6, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start))
}

// set moves the clock to t.
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.start = t, time.Now()
}

var clocks sync.Map // *testing.T → *clock

// clockOf is the clock of every bot t starts, also across restarts.
func clockOf(t *testing.T) *clock {
	c, _ := clocks.LoadOrStore(t, &clock{base: testStart, start: time.Now()})
	t.Cleanup(func() { clocks.Delete(t) })
	return c.(*clock)
}

// startApp runs the bot until the test ends (or stop is called), sending
// as fast as the test's users answer: the fake Bot API enforces no limits
// unless told to, and the limits have tests of their own.
func startApp(t *testing.T, srv *bottest.Server, env map[string]string) *app {
	t.Helper()
	return startAppLimited(t, srv, env, bot.Limits{Off: true})
}

// startAppLimited runs the bot sending at limits (the zero value:
// Telegram's, as in production).
func startAppLimited(t *testing.T, srv *bottest.Server, env map[string]string, limits bot.Limits) *app {
	t.Helper()
	return startAppWorld(t, srv, env, func(w *world) { w.sendLimits = limits })
}

// startAppWorld runs the bot in a world that change adjusts.
func startAppWorld(t *testing.T, srv *bottest.Server, env map[string]string, change func(*world)) *app {
	t.Helper()
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &app{t: t, srv: srv, env: env, msgs: msgs, cancel: cancel, done: make(chan error, 1), logs: &syncBuffer{}, addr: make(chan net.Addr, 1)}
	w := world{getenv: getenv(env), stdout: &bytes.Buffer{}, stderr: a.logs, now: clockOf(t).now, listening: func(addr net.Addr) { a.addr <- addr }}
	change(&w)
	a.limits = w.sendLimits
	go func() {
		a.done <- run(ctx, []string{"serve"}, w)
	}()
	t.Cleanup(func() {
		a.stop()
		if t.Failed() {
			t.Logf("bot log:\n%s", a.logs.String())
		}
	})
	return a
}

// stop ends the bot process and waits for it, as a SIGTERM would.
func (a *app) stop() {
	if a.cancel == nil {
		return
	}
	a.cancel()
	a.cancel = nil
	select {
	case err := <-a.done:
		if err != nil {
			a.t.Errorf("bot stopped with error: %v", err)
		}
	case <-time.After(20 * time.Second):
		a.t.Errorf("bot did not stop; logs:\n%s", a.logs.String())
	}
}

func (a *app) tr(l fieldlog.Lang, id string) string { return a.msgs.Text(l, id, nil) }

// msg renders message id in l with its data, given as name, value pairs,
// as the bot renders it. Tests compare whole messages: a prefix of one
// message is often the prefix of another too.
func (a *app) msg(l fieldlog.Lang, id string, kv ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[kv[i].(string)] = kv[i+1]
	}
	return a.msgs.Text(l, id, data)
}

// date is a day as the bot writes it in l.
func (a *app) date(l fieldlog.Lang, d fieldlog.Date) string {
	return a.msg(l, "date_format", "Y", d.Year, "M", int(d.Month), "D", d.Day)
}

// chooseLanguage is the bilingual question a new user gets first.
func (a *app) chooseLanguage() string {
	return a.tr(fieldlog.Chinese, "choose_language") + "\n" + a.tr(fieldlog.Mongolian, "choose_language")
}

// say sends text as u and waits for the message whose whole text is want.
func (a *app) say(u bottest.User, text, want string) bottest.Message {
	a.t.Helper()
	a.srv.SendText(u, text)
	return a.waitText(u, want)
}

// sayLead sends text as u and waits for a message that opens with the
// paragraph lead (a whole message, followed by details the test checks).
func (a *app) sayLead(u bottest.User, text, lead string) bottest.Message {
	a.t.Helper()
	a.srv.SendText(u, text)
	return a.waitLead(u, lead)
}

// waitText waits for the message whose whole text is want.
func (a *app) waitText(u bottest.User, want string) bottest.Message {
	a.t.Helper()
	return a.srv.WaitFor(a.t, u.ID, func(m bottest.Message) bool { return m.Text == want }, 15*time.Second)
}

// waitLead waits for a message that is lead, or opens with the line lead.
func (a *app) waitLead(u bottest.User, lead string) bottest.Message {
	a.t.Helper()
	return a.srv.WaitFor(a.t, u.ID, func(m bottest.Message) bool {
		return m.Text == lead || strings.HasPrefix(m.Text, lead+"\n")
	}, 15*time.Second)
}

// waitContaining waits for a message that contains part, for messages
// made of data (a code, a list) rather than of one message id.
func (a *app) waitContaining(u bottest.User, part string) bottest.Message {
	a.t.Helper()
	return a.srv.WaitFor(a.t, u.ID, func(m bottest.Message) bool { return strings.Contains(m.Text, part) }, 15*time.Second)
}

// tap presses the newest button labelled label in u's chat and waits for
// the bot to answer the press.
func (a *app) tap(u bottest.User, label string) bottest.CallbackAnswer {
	a.t.Helper()
	msgs := a.srv.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if _, ok := msgs[i].Button(label); ok {
			upd, err := a.srv.Tap(u, msgs[i].ID, label)
			if err != nil {
				a.t.Fatal(err)
			}
			return a.srv.WaitAnswer(a.t, upd)
		}
	}
	a.t.Fatalf("no button %q in chat %d; last message: %q", label, u.ID, a.srv.Last(u.ID).Text)
	return bottest.CallbackAnswer{}
}

// tapThen presses a button and waits for a message containing want.
func (a *app) tapThen(u bottest.User, label, want string) bottest.Message {
	a.t.Helper()
	a.tap(u, label)
	return a.waitText(u, want)
}

// tapThenLead presses a button and waits for a message opening with lead.
func (a *app) tapThenLead(u bottest.User, label, lead string) bottest.Message {
	a.t.Helper()
	a.tap(u, label)
	return a.waitLead(u, lead)
}

// invite has inviter create an invitation for role at the unit reached by
// opening path (unit names) and picking its last element; it returns the code.
func (a *app) invite(inviter bottest.User, l fieldlog.Lang, roleLabel string, path ...string) string {
	a.t.Helper()
	a.say(inviter, "/invite", a.tr(l, "ask_invite_role"))
	a.tap(inviter, roleLabel)
	for _, name := range path[:len(path)-1] {
		a.tap(inviter, name+" ›")
	}
	last := path[len(path)-1]
	m := a.srv.Last(inviter.ID)
	if _, ok := m.Button(last); ok {
		a.tap(inviter, last)
	} else {
		a.tap(inviter, last+" ›")
		a.tap(inviter, "✓ "+last)
	}
	m = a.waitContaining(inviter, "?start=")
	i := strings.Index(m.Text, "?start=")
	code := strings.Fields(m.Text[i+len("?start="):])[0]
	if len(code) != 8 {
		a.t.Fatalf("code %q from %q", code, m.Text)
	}
	return code
}

// join makes u a member through the invitation link, choosing lang.
func (a *app) join(u bottest.User, l fieldlog.Lang, code string) {
	a.t.Helper()
	a.say(u, "/start "+code, a.chooseLanguage())
	label := "中文"
	if l == fieldlog.Mongolian {
		label = "ᠮᠣᠩᠭᠣᠯ"
	}
	a.tap(u, label)
	a.srv.WaitFor(a.t, u.ID, func(m bottest.Message) bool { return len(m.ReplyKeyboard) > 0 }, 15*time.Second)
}

// logLectureUpToTheDate has the admin start in Chinese and invite officer
// to 塔拉乌素嘎查, and officer join and start logging a lecture (宣讲活动):
// the bot now asks for its date.
func (a *app) logLectureUpToTheDate(admin, officer bottest.User) {
	a.t.Helper()
	zh := fieldlog.Chinese
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	a.join(officer, zh, a.invite(admin, zh, a.tr(zh, "role_officer"), "乌审旗", "苏力德苏木", "塔拉乌素嘎查"))
	a.say(officer, "/log", a.tr(zh, "ask_section"))
	a.tap(officer, "宣传教育")
	a.tap(officer, "宣讲活动")
}

// setUp starts a bot with an admin, a township coordinator and a village
// officer, all joined through invitations.
func setUp(t *testing.T, officerLang fieldlog.Lang) (*app, bottest.User, bottest.User, bottest.User) {
	srv := bottest.New(t)
	a := startApp(t, srv, testEnv(t, srv))
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	coord := bottest.User{ID: 7000002, FirstName: "王干事", LanguageCode: "zh-hans"}
	officer := bottest.User{ID: 7000003, FirstName: "Bat", LanguageCode: "mn"}

	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	a.waitText(admin, a.msg(zh, "welcome", "Name", "Admin", "Role", a.tr(zh, "role_admin"), "Unit", ""))
	code := a.invite(admin, zh, a.tr(zh, "role_coordinator"), "乌审旗", "嘎鲁图镇")
	a.join(coord, zh, code)
	if got, want := a.srv.Last(coord.ID).Text, a.msg(zh, "welcome", "Name", "王干事", "Role", a.tr(zh, "role_coordinator"), "Unit", "嘎鲁图镇"); got != want {
		t.Fatalf("coordinator welcome:\n%s\nwant\n%s", got, want)
	}
	code = a.invite(coord, zh, a.tr(zh, "role_officer"), "独贵龙社区")
	if officerLang == fieldlog.Mongolian {
		a.say(officer, "/start "+code, a.chooseLanguage())
		a.tap(officer, "ᠮᠣᠩᠭᠣᠯ")
		mn := fieldlog.Mongolian
		a.waitText(officer, a.msg(mn, "welcome", "Name", "Bat", "Role", a.tr(mn, "role_officer"), "Unit", unitName(t, "duguilang", mn)))
	} else {
		a.join(officer, zh, code)
		if got, want := a.srv.Last(officer.ID).Text, a.msg(zh, "welcome", "Name", "Bat", "Role", a.tr(zh, "role_officer"), "Unit", "独贵龙社区"); got != want {
			t.Fatalf("officer welcome:\n%s\nwant\n%s", got, want)
		}
	}
	return a, admin, coord, officer
}

// unitName is the name in l of a unit of the sample unit file.
func unitName(t *testing.T, id fieldlog.UnitID, l fieldlog.Lang) string {
	t.Helper()
	list, err := units.ReadFile(filepath.Join("..", "..", "deploy", "units.sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return fieldlog.NewTree(list).Name(id, l)
}

// labels returns the button labels of a catalogue section and type in l.
func labels(t *testing.T, l fieldlog.Lang, sectionID, typeID string) (section, typ string) {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := cat.Section(sectionID)
	ty, ok := cat.Type(sectionID, typeID)
	if !ok {
		t.Fatalf("no type %s/%s in the catalogue", sectionID, typeID)
	}
	return s.Name.In(l), ty.Name.In(l)
}

// logLeaflets walks an officer through logging a leaflet distribution up
// to the summary.
func logLeaflets(a *app, u bottest.User, l fieldlog.Lang) {
	a.t.Helper()
	section, typ := labels(a.t, l, "publicity", "leaflets")
	a.say(u, "/log", a.tr(l, "ask_section"))
	a.tap(u, section)
	a.tap(u, typ)
	a.tap(u, a.tr(l, "btn_yesterday"))
	a.say(u, "80余", a.askQuantity(l, "publicity", "leaflets"))
	a.say(u, "１２００", a.msg(l, "ask_title", "Max", parse.MaxTitle))
	a.say(u, "政策赶大集 🎉", a.msg(l, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos))
	a.tapThenLead(u, a.tr(l, "btn_skip_photos"), a.tr(l, "check_summary"))
}

// askQuantity is the question for the quantity of a type, in l.
func (a *app) askQuantity(l fieldlog.Lang, sectionID, typeID string) string {
	cat, err := catalog.Default()
	if err != nil {
		a.t.Fatal(err)
	}
	ty, _ := cat.Type(sectionID, typeID)
	return a.msg(l, "ask_quantity", "Unit", ty.Unit.In(l))
}

func TestJoinLogSeeAndFixInChinese(t *testing.T) {
	a, _, coord, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese

	// Someone uninvited gets only the explanation.
	stranger := bottest.User{ID: 7000099, FirstName: "X"}
	a.say(stranger, "/log", a.chooseLanguage())
	a.tap(stranger, "中文")
	a.waitText(stranger, a.tr(zh, "not_joined"))
	a.say(stranger, "/my", a.tr(zh, "not_joined"))

	logLeaflets(a, officer, zh)
	sum := a.srv.Last(officer.ID)
	for _, want := range []string{"80余人", "1200份", "政策赶大集 🎉", "独贵龙社区"} {
		if !strings.Contains(sum.Text, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum.Text)
		}
	}
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))
	if m := a.waitText(officer, a.tr(zh, "saved_next")); m.ReplyKeyboard == nil {
		t.Errorf("after saving the menu keyboard is not shown: %+v", m)
	}

	// The officer sees and fixes the record.
	list := a.sayLead(officer, a.tr(zh, "menu_my"), a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(officer, list.InlineKeyboard[0][0].Text)
	a.waitContaining(officer, "\n"+a.tr(zh, "label_reporter")+"Bat\n")
	a.tapThenLead(officer, a.tr(zh, "btn_edit"), a.tr(zh, "check_summary"))
	a.tapThen(officer, a.tr(zh, "btn_change"), a.tr(zh, "ask_change"))
	a.tapThen(officer, a.tr(zh, "field_participants"), a.tr(zh, "ask_participants"))
	if sum := a.sayLead(officer, "九十五", a.tr(zh, "check_summary")); !strings.Contains(sum.Text, "\n"+a.tr(zh, "label_participants")+"95人\n") {
		t.Errorf("after the change the summary is:\n%s", sum.Text)
	}
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))

	// The coordinator of the township sees it, read-only.
	list = a.sayLead(coord, "/records", a.msg(zh, "list_unit", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(coord, list.InlineKeyboard[0][0].Text)
	rec := a.waitContaining(coord, "\n"+a.tr(zh, "label_participants")+"95人\n")
	if _, ok := rec.Button(a.tr(zh, "btn_delete")); ok {
		t.Error("a coordinator who is not the reporter can delete the record")
	}

	// Deleting asks first, then the record is gone from the list.
	list = a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(officer, list.InlineKeyboard[0][0].Text)
	a.tapThenLead(officer, a.tr(zh, "btn_delete"), a.tr(zh, "confirm_delete"))
	a.tapThen(officer, a.tr(zh, "btn_delete_yes"), a.tr(zh, "deleted"))
	a.say(officer, "/my", a.tr(zh, "list_empty"))
}

func TestOfficerInMongolian(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Mongolian)
	mn := fieldlog.Mongolian
	m := a.srv.Last(officer.ID)
	if len(m.ReplyKeyboard) == 0 || m.ReplyKeyboard[0][0] != a.tr(mn, "menu_log") {
		t.Fatalf("the menu is not in Mongolian: %+v", m.ReplyKeyboard)
	}
	logLeaflets(a, officer, mn)
	sum := a.srv.Last(officer.ID)
	if !strings.Contains(sum.Text, "80 ") || !strings.Contains(sum.Text, "1200") {
		t.Errorf("Mongolian summary lacks the figures:\n%s", sum.Text)
	}
	a.tapThenLead(officer, a.tr(mn, "btn_save"), a.tr(mn, "saved"))
	// Bad input is refused in Mongolian and the step is asked again.
	a.say(officer, "/log", a.tr(mn, "ask_section"))
	section, typ := labels(t, mn, "publicity", "lecture")
	a.tap(officer, section)
	a.tap(officer, typ)
	earliest := a.date(mn, fieldlog.Date{Year: 2023, Month: 7, Day: 1}) // the clock says 20 June 2024
	askDate := a.msg(mn, "ask_date", "Forms", a.tr(mn, "date_forms"))
	a.say(officer, "2月30日", a.msg(mn, "date_impossible", "Earliest", earliest)+"\n"+a.tr(mn, "date_forms"))
	a.waitText(officer, askDate)
	a.say(officer, "᠒᠐᠒᠓-᠐᠖-᠓᠐", a.msg(mn, "date_too_early", "Earliest", earliest)+"\n"+a.tr(mn, "date_forms"))
	a.waitText(officer, askDate)
	// /lang switches the officer to Chinese mid-flow, at the same step.
	a.say(officer, "/lang", a.chooseLanguage())
	a.tap(officer, "中文")
	a.waitText(officer, a.msg(fieldlog.Chinese, "ask_date", "Forms", a.tr(fieldlog.Chinese, "date_forms")))
}

func TestRestartContinuesTheSameStep(t *testing.T) {
	srv := bottest.New(t)
	env := testEnv(t, srv)
	a := startApp(t, srv, env)
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin"}
	officer := bottest.User{ID: 7000010, FirstName: "李"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	code := a.invite(admin, zh, a.tr(zh, "role_officer"), "乌审旗", "苏力德苏木", "塔拉乌素嘎查")
	a.join(officer, zh, code)

	a.say(officer, "/log", a.tr(zh, "ask_section"))
	a.tap(officer, "宣传教育")
	a.tap(officer, "宣讲活动")
	// Typed as month.day: the bot's clock says 20 June 2024.
	a.say(officer, "6.20", a.tr(zh, "ask_participants"))
	a.say(officer, "约120", a.msg(zh, "ask_title", "Max", parse.MaxTitle))

	a.stop() // the bot goes down in the middle of logging
	a = startApp(t, srv, env)

	a.say(officer, "夏季宣讲", a.msg(zh, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos))
	sum := a.tapThenLead(officer, a.tr(zh, "btn_skip_photos"), a.tr(zh, "check_summary"))
	for _, want := range []string{"宣讲活动", "120余人", "2024年6月20日", "夏季宣讲"} {
		if !strings.Contains(sum.Text, want) {
			t.Errorf("after restart the summary lacks %q:\n%s", want, sum.Text)
		}
	}
}

func TestSavedOnceDespiteDoubleTapAndRedelivery(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	logLeaflets(a, officer, zh)
	sum := a.srv.Last(officer.ID)

	// Two taps on Save before the first is answered, then Telegram
	// delivers the first tap once more.
	first, err := a.srv.Tap(officer, sum.ID, a.tr(zh, "btn_save"))
	if err != nil {
		t.Fatal(err)
	}
	second := a.srv.TapData(officer, sum.ID, mustButton(t, sum, a.tr(zh, "btn_save")).Data)
	a.waitLead(officer, a.tr(zh, "saved"))
	a.waitText(officer, a.tr(zh, "saved_next"))
	// Once the second tap is answered the first has been handled.
	if ans := a.srv.WaitAnswer(t, second); ans.Text != a.tr(zh, "stale_button") {
		t.Errorf("the second tap on Save answered %q, want %q", ans.Text, a.tr(zh, "stale_button"))
	}
	if err := a.srv.Redeliver(first); err != nil {
		t.Fatal(err)
	}
	before := len(a.srv.Messages(officer.ID))
	a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	if n := len(a.srv.Messages(officer.ID)) - before; n != 1 {
		t.Errorf("the redelivered Save and /my made %d messages, want only the list", n)
	}
	// Whether it came while the first was still in the inbox or after it
	// had left, the second delivery is recognised.
	if logs := a.logs.String(); !strings.Contains(logs, "input already applied; skipped") && !strings.Contains(logs, "delivered again while waiting") {
		t.Error("the redelivered update was not recognised as such")
	}
}

func mustButton(t *testing.T, m bottest.Message, label string) bottest.Button {
	t.Helper()
	b, ok := m.Button(label)
	if !ok {
		t.Fatalf("no button %q on %q", label, m.Text)
	}
	return b
}

func TestNobodyReadsOrChangesWhatTheirRoleForbids(t *testing.T) {
	a, admin, coord, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	logLeaflets(a, officer, zh)
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))
	list := a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	recData := list.InlineKeyboard[0][0].Data // rec|<id>|o|0
	id := strings.Split(recData, "|")[1]

	// A second officer, in another township, forges buttons of the record.
	code := a.invite(admin, zh, a.tr(zh, "role_officer"), "乌审旗", "苏力德苏木", "塔拉乌素嘎查")
	other := bottest.User{ID: 7000020, FirstName: "Other"}
	a.join(other, zh, code)
	before := len(a.srv.Messages(other.ID))
	for _, forged := range []string{"rec|" + id + "|o|0", "edit|" + id, "del|" + id + "|o|0", "delok|" + id + "|o|0", "list|u|0", "f|abcdef|sec|pick|unity", strings.Repeat("x", 64)} {
		upd := a.srv.TapData(other, 1, forged)
		if ans := a.srv.WaitAnswer(t, upd); ans.Text == "" {
			t.Errorf("%q: no refusal", forged)
		}
	}
	if after := len(a.srv.Messages(other.ID)); after != before {
		t.Errorf("forged buttons made the bot send %d messages", after-before)
	}
	// A coordinator cannot invite outside their township, even by forging.
	a.say(coord, "/invite", a.tr(zh, "ask_invite_role"))
	a.tap(coord, a.tr(zh, "role_coordinator"))
	m := a.srv.Last(coord.ID)
	pick := mustButton(t, m, "✓ 嘎鲁图镇").Data
	forged := strings.Replace(pick, "galutu", "sulde", 1)
	upd := a.srv.TapData(coord, m.ID, forged)
	if ans := a.srv.WaitAnswer(t, upd); ans.Text != a.tr(zh, "not_allowed") {
		t.Errorf("forged unit: answer %q", ans.Text)
	}
	// The record is still there for its reporter.
	a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	// And an officer has no coordinator commands.
	a.say(officer, "/records", a.tr(zh, "not_allowed"))
	a.say(officer, "/invite", a.tr(zh, "not_allowed"))
}

func TestCommandListsAreSetForBothLanguages(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Mongolian)
	for _, lang := range []string{"", "zh", "mn"} {
		if cmds := a.srv.Commands("", lang); len(cmds) < 4 {
			t.Errorf("commands for %q: %v", lang, cmds)
		}
	}
	mn := a.srv.Commands("", "mn")
	if mn[0].Description != a.tr(fieldlog.Mongolian, "help_log") {
		t.Errorf("Mongolian command list: %+v", mn)
	}
	chat := a.srv.Commands(fmt.Sprintf(`{"type":"chat","chat_id":%d}`, officer.ID), "")
	if len(chat) == 0 || chat[0].Description != a.tr(fieldlog.Mongolian, "help_log") {
		t.Errorf("the officer's chat has no Mongolian command list: %+v", chat)
	}
}

func TestBadConfigurationNamesTheSetting(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"no token":     {map[string]string{"FIELDLOG_DATA_DIR": t.TempDir()}, "TELEGRAM_BOT_TOKEN"},
		"bad admins":   {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "FIELDLOG_ADMINS": "12,abc"}, "FIELDLOG_ADMINS"},
		"bad tz":       {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "FIELDLOG_TZ": "Mars/Base"}, "FIELDLOG_TZ"},
		"bad api url":  {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_API_URL": "localhost:8081"}, "TELEGRAM_API_URL"},
		"bad mongo":    {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "MONGODB_URI": "postgres://x"}, "MONGODB_URI"},
		"bad catalog":  {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "FIELDLOG_CATALOG": "/nonexistent.yaml"}, "FIELDLOG_CATALOG"},
		"bad loglevel": {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "FIELDLOG_LOG_LEVEL": "loud"}, "FIELDLOG_LOG_LEVEL"},
		"bad units":    {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "FIELDLOG_UNITS": "/nonexistent.csv"}, "FIELDLOG_UNITS"},
		"bad sync":     {map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "FIELDLOG_SYNC": "sometimes"}, "FIELDLOG_SYNC"},
	} {
		t.Run(name, func(t *testing.T) {
			err := run(context.Background(), nil, world{getenv: getenv(tc.env), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line naming %s", err, tc.want)
			}
		})
	}
}

func TestUnitsReimportKeepsRecordsValid(t *testing.T) {
	srv := bottest.New(t)
	env := testEnv(t, srv)
	renamed := filepath.Join(t.TempDir(), "units.csv")
	orig, err := os.ReadFile(filepath.Join("..", "..", "deploy", "units.sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(renamed, bytes.Replace(orig, []byte("塔拉乌素嘎查"), []byte("塔拉乌苏嘎查"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"units", "import", renamed}, world{getenv: getenv(env), stdout: &out, stderr: &bytes.Buffer{}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 12 units") {
		t.Errorf("import said %q", out.String())
	}
	a := startApp(t, srv, env)
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	a.say(admin, "/invite", a.tr(zh, "ask_invite_role"))
	a.tap(admin, a.tr(zh, "role_officer"))
	a.tap(admin, "乌审旗 ›")
	a.tap(admin, "苏力德苏木 ›")
	if _, ok := a.srv.Last(admin.ID).Button("塔拉乌苏嘎查"); !ok {
		t.Errorf("renamed unit not shown: %v", a.srv.Last(admin.ID).ButtonTexts())
	}
}

func TestPhotosAndCalendar(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	section, typ := labels(t, zh, "publicity", "lecture")
	a.say(officer, "/log", a.tr(zh, "ask_section"))
	a.tap(officer, section)
	a.tap(officer, typ)

	// The calendar opens on this month; today's day (the 20th, by the
	// bot's clock) is a button.
	a.tapThen(officer, a.tr(zh, "btn_calendar"), a.tr(zh, "ask_date_calendar"))
	a.tapThen(officer, "20", a.tr(zh, "ask_participants"))
	a.say(officer, "45", a.msg(zh, "ask_title", "Max", parse.MaxTitle))
	a.say(officer, "村史馆参观", a.msg(zh, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos))

	// Two photos, then Done.
	_, first := a.srv.SendPhoto(officer, "")
	a.waitText(officer, a.msg(zh, "photo_received", "Count", 1))
	a.srv.SendPhoto(officer, "")
	a.waitText(officer, a.msg(zh, "photo_received", "Count", 2))
	// A photo sent "as a file" counts too.
	_, asFile := a.srv.SendDocument(officer, "IMG_0001.jpg", []byte("\xff\xd8\xff\xe0 not really a jpeg"), "")
	a.waitText(officer, a.msg(zh, "photo_received", "Count", 3))
	sum := a.tapThenLead(officer, a.tr(zh, "btn_photos_done"), a.tr(zh, "check_summary"))
	if !strings.Contains(sum.Text, "\n"+a.tr(zh, "label_date")+"2024年6月20日\n") {
		t.Errorf("the day tapped in the calendar is not the record's date:\n%s", sum.Text)
	}
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))

	list := a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(officer, list.InlineKeyboard[0][0].Text)
	rec := a.waitContaining(officer, "\n"+a.tr(zh, "label_reporter"))
	if _, ok := rec.Button("🖼 照片（3）"); !ok {
		t.Fatalf("no photos button on %v", rec.ButtonTexts())
	}
	a.tap(officer, "🖼 照片（3）")
	m := a.srv.WaitFor(t, officer.ID, func(m bottest.Message) bool { return m.Photo != nil }, 15*time.Second)
	if m.Photo.ID != first {
		t.Errorf("first photo shown is %q, want %q", m.Photo.ID, first)
	}
	m = a.srv.WaitFor(t, officer.ID, func(m bottest.Message) bool { return m.Document != nil }, 15*time.Second)
	if m.Document.ID != asFile {
		t.Errorf("the photo sent as a file came back as %q, want %q", m.Document.ID, asFile)
	}
}

func TestWrongCodesAreSlowedDown(t *testing.T) {
	srv := bottest.New(t)
	a := startApp(t, srv, testEnv(t, srv))
	zh := fieldlog.Chinese
	guesser := bottest.User{ID: 7000050, FirstName: "G"}
	a.say(guesser, "/start", a.chooseLanguage())
	a.tap(guesser, "中文")
	for i := 0; i < 5; i++ {
		a.say(guesser, "/start WRONG"+fmt.Sprint(i), a.msg(zh, "code_invalid", "Left", 4-i))
	}
	a.say(guesser, "/start ANOTHER1", a.tr(zh, "code_too_many_tries"))
}

func mustLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
