package main

// Issue 9 end to end: webhook mode behind a proxy, the operator's
// endpoints, and a store taken away under the running bot.

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot"
	"fieldlog/bot/bottest"
	"fieldlog/parse"
)

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// proxy is the public HTTPS side in front of the bot (a load balancer or
// nginx): it forwards to the bot once it knows where the bot listens.
type proxy struct {
	*httptest.Server
	mu     sync.Mutex
	target *httputil.ReverseProxy
}

func newProxy(t *testing.T) *proxy {
	p := &proxy{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		target := p.target
		p.mu.Unlock()
		if target == nil {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		target.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) to(t *testing.T, base string) {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.target = httputil.NewSingleHostReverseProxy(u)
	p.mu.Unlock()
}

// metric returns the value of one sample line of the metrics page, e.g.
// `fieldlog_records_saved_total`, or "" if there is none.
func metric(page, sample string) string {
	for line := range strings.SplitSeq(page, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

// In webhook mode Telegram posts to the public URL, a proxy forwards to
// FIELDLOG_HTTP_ADDR, and a user joins and logs a record as with polling;
// the operator's endpoints answer beside the webhook and count what
// happened.
func TestWebhookModeAndOperatorEndpoints(t *testing.T) {
	srv := bottest.New(t)
	env := testEnv(t, srv)
	px := newProxy(t)
	env["FIELDLOG_WEBHOOK_URL"] = px.URL + "/telegram/hook"
	env["FIELDLOG_WEBHOOK_SECRET"] = "e2e-Secret_token"
	a := startApp(t, srv, env)
	px.to(t, a.httpURL())
	zh := fieldlog.Chinese

	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	officer := bottest.User{ID: 7000031, FirstName: "李"}
	a.logLectureUpToTheDate(admin, officer)
	a.say(officer, "6.20", a.tr(zh, "ask_participants"))
	a.say(officer, "45", a.msg(zh, "ask_title", "Max", parse.MaxTitle))
	a.say(officer, "夏季宣讲", a.msg(zh, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos))
	a.tapThenLead(officer, a.tr(zh, "btn_skip_photos"), a.tr(zh, "check_summary"))
	a.tap(officer, a.tr(zh, "btn_save"))
	a.waitLead(officer, a.tr(zh, "saved"))

	if _, secret, allowed, _, ok := srv.Webhook(); !ok || secret != "e2e-Secret_token" || strings.Join(allowed, ",") != "message,callback_query" {
		t.Errorf("webhook: set %v, secret %q, allowed %q", ok, secret, allowed)
	}
	if n := srv.Calls("getUpdates"); n != 0 {
		t.Errorf("the bot polled %d times in webhook mode", n)
	}
	for _, p := range srv.WebhookPosts() {
		if p.Status != http.StatusOK {
			t.Errorf("post of update %d answered %d", p.UpdateID, p.Status)
		}
	}
	// A post with a wrong secret is refused at the public address too.
	req, _ := http.NewRequest(http.MethodPost, px.URL+"/telegram/hook", strings.NewReader(`{"update_id":99999}`))
	req.Header.Set(bottest.SecretHeader, "guess")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a forged post: %v %v", resp.StatusCode, err)
	}

	base := a.httpURL()
	if code, body := get(t, base+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || body != "store: ok\ntelegram: ok\nupdates: ok\n" {
		t.Errorf("/readyz: %d %q", code, body)
	}
	srv.FailNext("getMe", 1, http.StatusInternalServerError, 0)
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "store: ok\ntelegram: ") || strings.Contains(body, srv.Token()) {
		t.Errorf("/readyz with the Bot API failing: %d %q", code, body)
	}
	// Handled updates leave the inbox within a second (bot/forget.go).
	var page string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		code, body := get(t, base+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("/metrics: %d", code)
		}
		page = body
		if metric(page, "fieldlog_inbox_backlog") == "0" || time.Now().After(deadline) {
			break
		}
	}
	for sample, want := range map[string]string{
		`fieldlog_records_saved_total`:                        "1",
		`fieldlog_reports_compiled_total`:                     "0",
		`fieldlog_inbox_backlog`:                              "0",
		`fieldlog_telegram_429_total`:                         "0",
		`fieldlog_updates_received_total{kind="command"}`:     "4", // /start twice, /invite, /log
		`fieldlog_updates_handled_total{kind="command"}`:      "4",
		`fieldlog_update_handling_seconds_count{kind="text"}`: "3",
	} {
		if got := metric(page, sample); got != want {
			t.Errorf("%s = %q, want %s", sample, got, want)
		}
	}
	if metric(page, "fieldlog_messages_sent_total") == "0" || metric(page, "fieldlog_messages_sent_total") == "" {
		t.Errorf("no messages counted as sent:\n%s", page)
	}
}

// cuttable dials the store and can cut every connection to it, and
// refuse new ones, as a store server that went away.
type cuttable struct {
	mu    sync.Mutex
	down  bool
	conns []net.Conn
	d     net.Dialer
}

func (c *cuttable) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return nil, errors.New("connection refused (the test took the store away)")
	}
	conn, err := c.d.DialContext(ctx, network, addr)
	if err == nil {
		c.conns = append(c.conns, conn)
	}
	return conn, err
}

func (c *cuttable) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = true
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

func (c *cuttable) restore() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = false
}

// The store goes away for 60 s under a running bot while an officer goes
// on logging: /readyz says so, nothing sent meanwhile is lost or answered
// with an apology, and once the store is back every message is answered,
// in order, once. (What is sent meanwhile cannot be recorded, so it is
// not confirmed and Telegram keeps it; an update already recorded when the
// store goes away waits for it: bot TestUpdatesInHandWaitForTheStore.)
func TestStoreOutageLosesNothing(t *testing.T) {
	// -short leaves it out while iterating; CI never does.
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("a minute long")
	}
	t.Parallel()
	srv := bottest.New(t)
	env := testEnv(t, srv)
	store := &cuttable{}
	a := startAppWorld(t, srv, env, func(w *world) { w.sendLimits = bot.Limits{Off: true}; w.storeDialer = store })
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	officer := bottest.User{ID: 7000032, FirstName: "李"}
	a.logLectureUpToTheDate(admin, officer)
	before := len(srv.Messages(officer.ID))

	store.cut()
	outage := time.Now()
	var ids []int64
	for _, step := range []struct {
		at   time.Duration
		text string
	}{{0, "6.20"}, {20 * time.Second, "45"}, {45 * time.Second, "夏季宣讲"}} {
		time.Sleep(time.Until(outage.Add(step.at)))
		ids = append(ids, srv.SendText(officer, step.text))
	}
	if code, body := get(t, a.httpURL()+"/readyz"); code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "store: ") || strings.HasPrefix(body, "store: ok") {
		t.Errorf("/readyz with the store away: %d %q", code, body)
	}
	time.Sleep(time.Until(outage.Add(60 * time.Second)))
	if n := len(srv.Messages(officer.ID)); n != before {
		t.Errorf("the bot sent %d messages while the store was away: %q", n-before, messageTextsOf(srv.Messages(officer.ID)[before:]))
	}
	store.restore()

	a.waitText(officer, a.msg(zh, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos))
	time.Sleep(time.Second) // a duplicate would come now
	got := messageTextsOf(srv.Messages(officer.ID)[before:])
	want := []string{a.tr(zh, "ask_participants"), a.msg(zh, "ask_title", "Max", parse.MaxTitle), a.msg(zh, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos)}
	if strings.Join(got, "\n--\n") != strings.Join(want, "\n--\n") {
		t.Errorf("after the outage the officer got:\n%q\nwant\n%q", got, want)
	}
	srv.WaitConfirmed(t, ids[len(ids)-1])
	if code, _ := get(t, a.httpURL()+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after the store came back: %d", code)
	}
	sum := a.tapThenLead(officer, a.tr(zh, "btn_skip_photos"), a.tr(zh, "check_summary"))
	for _, want := range []string{a.tr(zh, "label_participants") + "45人", a.tr(zh, "label_title") + "夏季宣讲"} {
		if !strings.Contains(sum.Text, "\n"+want+"\n") {
			t.Errorf("the summary lacks %q:\n%s", want, sum.Text)
		}
	}
}

func messageTextsOf(ms []bottest.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}
