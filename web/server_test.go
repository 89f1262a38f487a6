package web

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
)

// The pages through their handlers, over the in-memory store and a real
// office: what a browser posts, what it is answered, and what is stored.

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

var (
	officer   = fieldlog.User{ID: 1, ChatID: 1, Name: "巴特", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "v1"}
	neighbour = fieldlog.User{ID: 2, ChatID: 2, Name: "其其格", Lang: fieldlog.Mongolian, Role: fieldlog.Officer, UnitID: "v2"}
	coord     = fieldlog.User{ID: 3, ChatID: 3, Name: "王", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "town"}
	stranger  = fieldlog.User{ID: 4, ChatID: 4, Name: "李", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "town2"}
	unjoined  = fieldlog.User{ID: 5, ChatID: 5, Name: "路人", Lang: fieldlog.Chinese}
)

type world struct {
	t      *testing.T
	store  *memory.Store
	office *office.Office
	msgs   *locales.Messages
	h      http.Handler
	server *Server
	mu     sync.Mutex
	now    time.Time
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func newWorld(t *testing.T, change ...func(*Config)) *world {
	t.Helper()
	ctx := context.Background()
	store := memory.New()
	if err := store.SaveUnits(ctx, storagetest.Units()); err != nil {
		t.Fatal(err)
	}
	for _, u := range []fieldlog.User{officer, neighbour, coord, stranger, unjoined} {
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
	w := &world{t: t, store: store, msgs: msgs, now: time.Date(2024, 6, 20, 10, 0, 0, 0, shanghai)}
	w.office = office.New(office.Config{Store: store, Catalog: cat, Messages: msgs, Location: shanghai, Now: w.clock})
	cfg := Config{Office: w.office, Stores: store, Photos: store, Messages: msgs, BotToken: testToken, BotUsername: "fieldlog_test_bot",
		BaseURL: "https://fieldlog.example.org", CSRFKey: bytes.Repeat([]byte{1}, 32), Now: w.clock}
	for _, c := range change {
		c(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.h, w.server = s.Handler(), s
	return w
}

// browser keeps cookies between requests, as a phone's browser does.
type browser struct {
	w       *world
	cookies map[string]string
	addr    string
	last    string // the last page's HTML
}

func (w *world) browser() *browser {
	return &browser{w: w, cookies: map[string]string{}, addr: "192.0.2.10:4321"}
}

type answer struct {
	code int
	body string
	loc  string
	hdr  http.Header
}

func (b *browser) do(method, path string, body io.Reader, contentType string) answer {
	b.w.t.Helper()
	r := httptest.NewRequest(method, path, body)
	r.RemoteAddr = b.addr
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for k, v := range b.cookies {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.w.h.ServeHTTP(rec, r)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		b.w.t.Errorf("%s %s: CSP %q", method, path, csp)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		b.w.t.Errorf("%s %s: no nosniff", method, path)
	}
	a := answer{code: res.StatusCode, body: rec.Body.String(), loc: res.Header.Get("Location"), hdr: res.Header}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		b.last = a.body
	}
	return a
}

func (b *browser) get(path string) answer { return b.do("GET", path, nil, "") }

// login opens a one-time link and taps its button, as its user does.
func (b *browser) login(token string) answer {
	b.get("/web/login?t=" + url.QueryEscape(token))
	return b.post("/web/login", url.Values{"csrf": {b.csrf()}, "t": {token}})
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the token of the last page's forms.
func (b *browser) csrf() string {
	m := csrfField.FindStringSubmatch(b.last)
	if m == nil {
		b.w.t.Fatalf("no CSRF token on the page:\n%s", b.last)
	}
	return m[1]
}

func (b *browser) post(path string, v url.Values) answer {
	return b.do("POST", path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

// file is an upload of a multipart form.
type file struct {
	name string
	data []byte
}

func (b *browser) postMultipart(path string, v url.Values, files ...file) answer {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range v {
		for _, x := range vs {
			mw.WriteField(k, x)
		}
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile("photos", f.name)
		fw.Write(f.data)
	}
	mw.Close()
	return b.do("POST", path, &buf, mw.FormDataContentType())
}

// signIn signs u in through a one-time link.
func (w *world) signIn(u fieldlog.User) *browser {
	w.t.Helper()
	b := w.browser()
	token, err := w.office.NewSignInLink(context.Background(), w.store, u)
	if err != nil {
		w.t.Fatal(err)
	}
	if a := b.login(token); a.code != http.StatusSeeOther {
		w.t.Fatalf("sign in %s: %d\n%s", u.Name, a.code, a.body)
	}
	if a := b.get("/web/"); !strings.Contains(a.body, u.Name) {
		w.t.Fatalf("home of %s does not name them:\n%s", u.Name, a.body)
	}
	return b
}

func (w *world) records(u fieldlog.User) []fieldlog.Activity {
	w.t.Helper()
	p, err := w.office.Records(context.Background(), u, office.Own, 0, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.Records
}

func (w *world) tr(l fieldlog.Lang, id string, kv ...any) string { return w.msgs.Textf(l, id, kv...) }

// htmlText is s as html/template writes it into a page.
func htmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func logValues(csrf string) url.Values {
	return url.Values{"csrf": {csrf}, "id": {"webrec0001"}, "type": {"publicity/leaflets"}, "date": {"6月7日"},
		"participants": {"80余"}, "quantity": {"十二"}, "title": {"政策赶大集 <b>志愿</b>"}, "place": {""}}
}

func TestSignInByLinkOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	token, err := w.office.NewSignInLink(ctx, w.store, officer)
	if err != nil {
		t.Fatal(err)
	}
	b := w.browser()
	// Opening the link (a preview, a scanner, a HEAD) uses nothing up.
	for _, m := range []string{"HEAD", "GET"} {
		if a := b.do(m, "/web/login?t="+token, nil, ""); a.code != http.StatusOK || b.cookies[cookieSession] != "" {
			t.Fatalf("%s of the link: %d, cookies %v", m, a.code, b.cookies)
		}
	}
	a := b.login(token)
	if a.code != http.StatusSeeOther || b.cookies[cookieSession] == "" {
		t.Fatalf("first use: %d, cookies %v", a.code, b.cookies)
	}
	// The cookie is the token; the store has only its hash.
	if _, err := w.store.Session(ctx, fieldlog.HashToken(b.cookies[cookieSession]), w.clock()); err != nil {
		t.Errorf("session not stored by hash: %v", err)
	}
	if !strings.Contains(b.get("/web/").body, officer.Name) {
		t.Error("signed in, the home page does not name the user")
	}

	other := w.browser()
	if a := other.login(token); a.code != http.StatusForbidden || other.cookies[cookieSession] != "" {
		t.Errorf("reused link: %d, cookies %v", a.code, other.cookies)
	} else if !strings.Contains(a.body, w.tr(fieldlog.Chinese, "web_link_invalid")) {
		t.Errorf("reused link, no message:\n%s", a.body)
	}

	late, err := w.office.NewSignInLink(ctx, w.store, officer)
	if err != nil {
		t.Fatal(err)
	}
	w.advance(fieldlog.SignInLinkTTL + time.Second)
	if a := w.browser().login(late); a.code != http.StatusForbidden {
		t.Errorf("expired link: %d", a.code)
	}
}

func TestSessionCookie(t *testing.T) {
	w := newWorld(t)
	token, _ := w.office.NewSignInLink(context.Background(), w.store, officer)
	a := w.browser().login(token)
	var found bool
	for _, c := range (&http.Response{Header: a.hdr}).Cookies() {
		if c.Name == cookieSession {
			found = true
			if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/web/" {
				t.Errorf("session cookie %+v", c)
			}
		}
	}
	if !found {
		t.Error("no session cookie")
	}
}

func TestSignInByInitData(t *testing.T) {
	w := newWorld(t)
	initData := func(u fieldlog.User) string {
		f := batuFields(t, w.clock().Add(-time.Minute))
		f["user"] = userJSON(t, TelegramUser{ID: u.ID, FirstName: "巴特+%"})
		return sign(t, f, testToken).Encode()
	}
	b := w.browser()
	b.get("/web/")
	if !strings.Contains(b.last, `id="tg-signin"`) || !strings.Contains(b.last, `src="/web/static/app.js"`) {
		t.Fatal("the sign-in page has no Mini App form or script")
	}
	a := b.post("/web/tg", url.Values{"csrf": {b.csrf()}, "init_data": {initData(officer)}})
	if a.code != http.StatusSeeOther || !strings.Contains(b.get("/web/").body, officer.Name) {
		t.Fatalf("valid initData: %d\n%s", a.code, a.body)
	}

	for name, data := range map[string]string{
		"not joined":    initData(unjoined),
		"no such user":  initData(fieldlog.User{ID: 99}),
		"another bot's": sign(t, batuFields(t, w.clock()), otherToken).Encode(),
		"tampered":      strings.Replace(initData(officer), "query_id=", "query_id=X", 1),
		"stale":         sign(t, batuFields(t, w.clock().Add(-2*time.Hour)), testToken).Encode(),
	} {
		b := w.browser()
		b.get("/web/")
		if a := b.post("/web/tg", url.Values{"csrf": {b.csrf()}, "init_data": {data}}); a.code != http.StatusForbidden || b.cookies[cookieSession] != "" {
			t.Errorf("%s: %d", name, a.code)
		}
	}
	// Without the double-submit token: refused before anything is checked.
	b = w.browser()
	b.get("/web/")
	if a := b.post("/web/tg", url.Values{"init_data": {initData(officer)}}); a.code != http.StatusForbidden || b.cookies[cookieSession] != "" ||
		!strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_form_stale"))) {
		t.Errorf("initData without CSRF token: %d", a.code)
	}
	// Without any cookie, as in a frame of another site (Telegram in a
	// browser): told to use /web's link.
	b = w.browser()
	if a := b.post("/web/tg", url.Values{"init_data": {initData(officer)}}); a.code != http.StatusForbidden || b.cookies[cookieSession] != "" ||
		!strings.Contains(a.body, "/web") || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_telegram_framed"))) {
		t.Errorf("initData without cookies: %d\n%s", a.code, a.body)
	}
}

func TestJoinByCodeOnTheWeb(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.store.CreateInvite(ctx, fieldlog.Invite{Code: "ABCD2345", Role: fieldlog.Officer, UnitID: "v2", CreatedBy: coord.ID,
		CreatedAt: w.clock(), ExpiresAt: w.clock().Add(fieldlog.InviteLifetime)}); err != nil {
		t.Fatal(err)
	}
	b := w.browser()
	b.get("/web/")
	a := b.post("/web/join", url.Values{"csrf": {b.csrf()}, "code": {"WRONG999"}, "name": {"娜仁"}, "lang": {"mn-Mong"}})
	if a.code != http.StatusForbidden || !strings.Contains(a.body, w.tr(fieldlog.Mongolian, "code_invalid", "Left", office.MaxCodeTries-1)) {
		t.Fatalf("wrong code: %d\n%s", a.code, a.body)
	}
	if !strings.Contains(a.body, `value="娜仁"`) {
		t.Error("the name typed is not kept")
	}
	a = b.post("/web/join", url.Values{"csrf": {b.csrf()}, "code": {"abcd2345"}, "name": {"娜仁"}, "lang": {"mn-Mong"}})
	if a.code != http.StatusSeeOther {
		t.Fatalf("right code: %d\n%s", a.code, a.body)
	}
	home := b.get("/web/")
	if !strings.Contains(home.body, "娜仁") || !strings.Contains(home.body, `lang="mn-Mong"`) {
		t.Fatalf("joined, home:\n%s", home.body)
	}
	sess, err := w.store.Session(ctx, fieldlog.HashToken(b.cookies[cookieSession]), w.clock())
	if err != nil || !office.IsWebUserID(sess.UserID) {
		t.Fatalf("session %+v, %v: want a web user's", sess, err)
	}
	u, err := w.office.User(ctx, sess.UserID)
	if err != nil || u.UnitID != "v2" || u.Role != fieldlog.Officer || u.Lang != fieldlog.Mongolian {
		t.Errorf("joined user %+v, %v", u, err)
	}
}

func TestLogAnActivity(t *testing.T) {
	for _, u := range []fieldlog.User{officer, neighbour} {
		t.Run(string(u.Lang), func(t *testing.T) {
			w := newWorld(t)
			b := w.signIn(u)
			form := b.get("/web/log")
			if form.code != http.StatusOK || !strings.Contains(form.body, `<optgroup label="`) {
				t.Fatalf("form: %d\n%s", form.code, form.body)
			}
			if !strings.Contains(form.body, htmlText(w.tr(u.Lang, "web_quantity_hint"))) {
				t.Error("the form does not say which types need a quantity")
			}
			v := logValues(b.csrf())
			a := b.postMultipart("/web/log", v)
			if a.code != http.StatusSeeOther || a.loc != "/web/r/webrec0001" {
				t.Fatalf("post: %d %s\n%s", a.code, a.loc, a.body)
			}
			recs := w.records(u)
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			r := recs[0]
			want := fieldlog.Date{Year: 2024, Month: 6, Day: 7}
			if r.Date != want || r.Participants != (fieldlog.Count{Value: 80, Approx: true}) || r.Quantity != (fieldlog.Count{Value: 12}) ||
				r.SectionID != "publicity" || r.TypeID != "leaflets" || r.UnitID != u.UnitID || r.ReporterID != u.ID {
				t.Errorf("stored %+v", r)
			}
			page := b.get(a.loc)
			if strings.Contains(page.body, "<b>志愿</b>") || !strings.Contains(page.body, "&lt;b&gt;志愿&lt;/b&gt;") {
				t.Error("the title is not escaped on the record's page")
			}
			if !strings.Contains(page.body, htmlText(w.msgs.Date(u.Lang, want))) {
				t.Error("the record's page does not show its date")
			}
			// Posted again (a retried tap): still one record.
			b.postMultipart("/web/log", v)
			if n := len(w.records(u)); n != 1 {
				t.Errorf("after a retry, %d records", n)
			}
		})
	}
}

func TestRefusedFormKeepsValues(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(neighbour)
	b.get("/web/log")
	v := logValues(b.csrf())
	v.Set("date", "2024-06-28")
	a := b.postMultipart("/web/log", v)
	if a.code != http.StatusUnprocessableEntity {
		t.Fatalf("future date: %d", a.code)
	}
	if !strings.Contains(a.body, htmlText(w.tr(fieldlog.Mongolian, "date_future"))) || !strings.Contains(a.body, `id="error-date"`) {
		t.Errorf("no date message next to the field:\n%s", a.body)
	}
	for _, kept := range []string{`value="2024-06-28"`, `value="80余"`, `value="十二"`, "&lt;b&gt;志愿", `value="publicity/leaflets" selected`} {
		if !strings.Contains(a.body, kept) {
			t.Errorf("%s not kept", kept)
		}
	}
	if n := len(w.records(neighbour)); n != 0 {
		t.Errorf("%d records stored", n)
	}
	// A form without a type says so, from the office's check.
	v = logValues(b.csrf())
	v.Set("type", "")
	if a := b.postMultipart("/web/log", v); !strings.Contains(a.body, htmlText(w.tr(fieldlog.Mongolian, "web_type_needed"))) {
		t.Errorf("no type: %d\n%s", a.code, a.body)
	}
	v = logValues(b.csrf())
	v.Set("participants", "很多")
	if a := b.postMultipart("/web/log", v); !strings.Contains(a.body, htmlText(w.tr(fieldlog.Mongolian, "count_not_number"))) {
		t.Errorf("participants not a number: %d", a.code)
	}
}

func TestFormsNeedTheSessionsCSRFToken(t *testing.T) {
	w := newWorld(t)
	mine := w.signIn(officer)
	mine.get("/web/log")
	other := w.signIn(neighbour)
	other.get("/web/log")
	for name, token := range map[string]string{"none": "", "another session's": other.csrf(), "garbage": "x"} {
		v := logValues(token)
		if token == "" {
			v.Del("csrf")
		}
		a := mine.postMultipart("/web/log", v)
		if a.code != http.StatusForbidden || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_form_stale"))) {
			t.Errorf("%s token: %d", name, a.code)
		}
	}
	if n := len(w.records(officer)); n != 0 {
		t.Errorf("%d records stored through refused forms", n)
	}
	// A form of a session that ended is stale too.
	old := mine.csrf()
	mine.post("/web/logout", url.Values{"csrf": {old}})
	again := w.signIn(officer)
	again.cookies[cookieSession] = again.cookies[cookieSession]
	if a := again.postMultipart("/web/log", logValues(old)); a.code != http.StatusForbidden {
		t.Errorf("a stale session's token: %d", a.code)
	}
}

func TestLogoutEverywhere(t *testing.T) {
	w := newWorld(t)
	phone, laptop := w.signIn(officer), w.signIn(officer)
	phone.get("/web/")
	if a := phone.post("/web/logout", url.Values{"csrf": {phone.csrf()}}); a.code != http.StatusSeeOther {
		t.Fatalf("logout: %d", a.code)
	}
	if a := laptop.get("/web/my"); a.code != http.StatusSeeOther || a.loc != "/web/" {
		t.Errorf("the other device is still signed in: %d", a.code)
	}
}

// logged stores a record of u through the office.
func (w *world) logged(u fieldlog.User, id string) fieldlog.Activity {
	w.t.Helper()
	a, err := w.office.Log(context.Background(), u, fieldlog.Activity{ID: fieldlog.ActivityID(id), SectionID: "publicity", TypeID: "lecture",
		Date: fieldlog.Date{Year: 2024, Month: 6, Day: 7}, Participants: fieldlog.Count{Value: 30}, Title: "宣讲 " + id})
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

func TestForgedEditAndDeleteRefused(t *testing.T) {
	w := newWorld(t)
	theirs := w.logged(neighbour, "theirs01")
	b := w.signIn(officer)
	b.get("/web/log")
	token := b.csrf()
	for _, path := range []string{"/web/r/theirs01/edit", "/web/r/theirs01"} {
		if a := b.get(path); path == "/web/r/theirs01/edit" && a.code != http.StatusForbidden {
			t.Errorf("GET %s: %d", path, a.code)
		}
	}
	v := logValues(token)
	v.Set("title", "forged")
	if a := b.postMultipart("/web/r/theirs01/edit", v); a.code != http.StatusForbidden {
		t.Errorf("forged edit: %d", a.code)
	}
	if a := b.post("/web/r/theirs01/delete", url.Values{"csrf": {token}}); a.code != http.StatusForbidden {
		t.Errorf("forged delete: %d", a.code)
	}
	got, err := w.store.Activity(context.Background(), theirs.ID)
	if err != nil || got.Title != theirs.Title {
		t.Errorf("their record changed: %+v, %v", got, err)
	}
	// Their own: edited and deleted.
	mine := w.logged(officer, "mine0001")
	b.get("/web/r/mine0001/edit")
	v = logValues(b.csrf())
	v.Set("title", "改过的")
	v.Set("type", "publicity/lecture")
	if a := b.postMultipart("/web/r/mine0001/edit", v); a.code != http.StatusSeeOther {
		t.Fatalf("own edit: %d\n%s", a.code, a.body)
	}
	if got, _ := w.store.Activity(context.Background(), mine.ID); got.Title != "改过的" || got.ReporterID != officer.ID {
		t.Errorf("edited %+v", got)
	}
	b.get("/web/r/mine0001/delete")
	if a := b.post("/web/r/mine0001/delete", url.Values{"csrf": {b.csrf()}}); a.code != http.StatusSeeOther {
		t.Errorf("own delete: %d", a.code)
	}
	if _, err := w.store.Activity(context.Background(), mine.ID); err == nil {
		t.Error("own record not deleted")
	}
}

func TestListsShowTheirScope(t *testing.T) {
	w := newWorld(t)
	w.logged(officer, "mine0001")
	w.logged(neighbour, "next0001")
	w.logged(stranger, "far00001")
	b := w.signIn(officer)
	my := b.get("/web/my").body
	if !strings.Contains(my, "宣讲 mine0001") || strings.Contains(my, "next0001") || strings.Contains(my, "far00001") {
		t.Errorf("my records:\n%s", my)
	}
	if a := b.get("/web/records"); a.code != http.StatusForbidden {
		t.Errorf("an officer's subtree list: %d", a.code)
	}
	c := w.signIn(coord)
	if !strings.Contains(c.get("/web/").body, `href="/web/records"`) {
		t.Error("the coordinator's home has no link to the unit's records")
	}
	list := c.get("/web/records").body
	if !strings.Contains(list, "mine0001") || !strings.Contains(list, "next0001") || strings.Contains(list, "far00001") {
		t.Errorf("the coordinator's list:\n%s", list)
	}
	if a := c.get("/web/r/far00001"); a.code != http.StatusForbidden {
		t.Errorf("another unit's record: %d", a.code)
	}
}

func TestReturnedRecordStandsOut(t *testing.T) {
	w := newWorld(t)
	a := w.logged(officer, "mine0001")
	if _, err := w.office.Return(context.Background(), coord, a.ID, "人数对吗？"); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	my := b.get("/web/my").body
	if !strings.Contains(my, `class="record returned"`) || !strings.Contains(my, "人数对吗？") {
		t.Errorf("the returned record does not stand out:\n%s", my)
	}
}

func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x += 7 {
		img.Set(x, x%h, color.RGBA{200, 10, 10, 255})
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func TestUploads(t *testing.T) {
	w := newWorld(t, func(c *Config) { c.MaxPhotoBytes = 200 << 10; c.MaxUploadBytes = 1 << 20; c.MaxPixels = 5e6 })
	b := w.signIn(officer)
	b.get("/web/log")
	v := logValues(b.csrf())

	a := b.postMultipart("/web/log", v, file{"evil.jpg", []byte("<html><script>alert(1)</script></html>")})
	if a.code != http.StatusUnprocessableEntity || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_photo_not_image", "Name", "evil.jpg"))) {
		t.Errorf("not an image: %d\n%s", a.code, a.body)
	}
	big := make([]byte, 300<<10)
	copy(big, pngOf(10, 10))
	if a := b.postMultipart("/web/log", v, file{"big.png", big}); !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_photo_too_large", "Name", "big.png", "Size", "200 KB"))) {
		t.Errorf("a photo too large: %d\n%s", a.code, a.body)
	}
	huge := make([]byte, 2<<20)
	if a := b.postMultipart("/web/log", v, file{"a.png", huge}); a.code != http.StatusRequestEntityTooLarge || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_upload_too_large", "Size", "1 MB"))) {
		t.Errorf("a form too large: %d\n%s", a.code, a.body)
	}
	if a := b.postMultipart("/web/log", v, file{"wide.png", pngOf(3000, 2000)}); !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_photo_too_many_pixels", "Name", "wide.png"))) {
		t.Errorf("too many pixels: %d", a.code)
	}
	if n := len(w.records(officer)); n != 0 {
		t.Fatalf("%d records stored through refused uploads", n)
	}

	a = b.postMultipart("/web/log", v, file{"ok.png", pngOf(2000, 1000)})
	if a.code != http.StatusSeeOther {
		t.Fatalf("a good photo: %d\n%s", a.code, a.body)
	}
	recs := w.records(officer)
	if len(recs) != 1 || len(recs[0].Photos) != 1 || recs[0].Photos[0].Source != fieldlog.StoredPhoto {
		t.Fatalf("stored %+v", recs)
	}
	data, ct, err := w.store.PhotoFile(context.Background(), recs[0].Photos[0].ID)
	if err != nil || ct != "image/jpeg" {
		t.Fatalf("photo file %s, %v", ct, err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != PhotoLongSide || cfg.Height != PhotoLongSide/2 {
		t.Errorf("stored %dx%d, %v: want downscaled to %d", cfg.Width, cfg.Height, err, PhotoLongSide)
	}
	if a := b.get("/web/r/webrec0001/photo/0"); a.code != http.StatusOK || a.hdr.Get("Content-Type") != "image/jpeg" {
		t.Errorf("the photo's page: %d", a.code)
	}
	if a := w.signIn(stranger).get("/web/r/webrec0001/photo/0"); a.code != http.StatusForbidden {
		t.Errorf("another unit's photo: %d", a.code)
	}

	// Taken off in an edit, the file is deleted: nobody's record keeps it.
	b.get("/web/r/webrec0001/edit")
	ev := logValues(b.csrf())
	ev.Set("remove", "0")
	if a := b.postMultipart("/web/r/webrec0001/edit", ev); a.code != http.StatusSeeOther {
		t.Fatalf("the edit: %d\n%s", a.code, a.body)
	}
	if recs := w.records(officer); len(recs[0].Photos) != 0 {
		t.Errorf("photos after taking the one off: %+v", recs[0].Photos)
	}
	if _, _, err := w.store.PhotoFile(context.Background(), recs[0].Photos[0].ID); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("the file taken off is still stored: %v", err)
	}
}

func TestMongolianPageIsVertical(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(neighbour)
	for _, path := range []string{"/web/", "/web/log", "/web/my"} {
		a := b.get(path)
		if !strings.Contains(a.body, `<html lang="mn-Mong" class="vertical">`) {
			t.Errorf("%s: not a vertical Mongolian page:\n%.300s", path, a.body)
		}
	}
	b.get("/web/layout?v=h")
	if a := b.get("/web/log"); !strings.Contains(a.body, `<html lang="mn-Mong">`) {
		t.Errorf("the horizontal switch: %.200s", a.body)
	}
	zh := w.signIn(officer).get("/web/")
	if !strings.Contains(zh.body, `<html lang="zh-Hans">`) {
		t.Errorf("a Chinese page: %.200s", zh.body)
	}
	// Signed out, the language is chosen on the page.
	v := w.browser()
	v.get("/web/lang?l=mn-Mong")
	if a := v.get("/web/"); !strings.Contains(a.body, `lang="mn-Mong" class="vertical"`) || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Mongolian, "web_join_title"))) {
		t.Errorf("signed out in Mongolian: %.300s", a.body)
	}
	css := v.get("/web/static/style.css")
	for _, want := range []string{"writing-mode: vertical-lr", "font-display: swap", "textarea", "select"} {
		if !strings.Contains(css.body, want) {
			t.Errorf("the CSS lacks %q", want)
		}
	}
	font := v.get("/web/static/mongolian.ttf")
	if font.code != http.StatusOK || !strings.Contains(font.hdr.Get("Cache-Control"), "max-age=31536000") || len(font.body) < 100000 {
		t.Errorf("the font: %d %q %d bytes", font.code, font.hdr.Get("Cache-Control"), len(font.body))
	}
}

func TestNoInlineScriptOrStyle(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(officer)
	w.logged(officer, "mine0001")
	for _, path := range []string{"/web/", "/web/log", "/web/my", "/web/r/mine0001", "/web/r/mine0001/edit", "/web/r/mine0001/delete"} {
		a := b.get(path)
		if a.code != http.StatusOK {
			t.Errorf("%s: %d", path, a.code)
		}
		if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="| on[a-z]+="`).MatchString(a.body) {
			t.Errorf("%s: inline script or style", path)
		}
	}
	if a := b.get("/web/nothing"); a.code != http.StatusNotFound {
		t.Errorf("an unknown page: %d", a.code)
	}
}

func TestTriesCountedPerAddress(t *testing.T) {
	w := newWorld(t, func(c *Config) { c.TrustProxy = true })
	// Wrong links from one visitor (the proxy's last hop) are counted to
	// a stop; another visitor behind the same proxy is not stopped, and a
	// valid link signs in whoever has it.
	try := func(token, hops string) int {
		b := w.browser()
		b.get("/web/login?t=" + token)
		body := url.Values{"csrf": {b.csrf()}, "t": {token}}.Encode()
		r := httptest.NewRequest("POST", "/web/login", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Forwarded-For", hops)
		for k, v := range b.cookies {
			r.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		rec := httptest.NewRecorder()
		w.h.ServeHTTP(rec, r)
		return rec.Code
	}
	for i := range office.MaxCodeTries - 1 {
		if code := try("nope"+strconv.Itoa(i), "10.9.9.9, 203.0.113.7"); code != http.StatusForbidden {
			t.Fatalf("wrong link %d: %d", i, code)
		}
	}
	if code := try("nope-last", "1.2.3.4, 203.0.113.7"); code != http.StatusTooManyRequests {
		t.Errorf("the %dth wrong link from the proxy's last hop: %d", office.MaxCodeTries, code)
	}
	if code := try("nope-other", "203.0.113.8"); code != http.StatusForbidden {
		t.Errorf("a wrong link from another visitor: %d", code)
	}
	token, _ := w.office.NewSignInLink(context.Background(), w.store, officer)
	if code := try(token, "203.0.113.7"); code != http.StatusSeeOther {
		t.Errorf("a valid link from the stopped visitor: %d", code)
	}
}

// The layout switch goes back to a page of this site only: a path that
// leads elsewhere once a browser reads it (a backslash, two slashes, a
// scheme, dot segments out of /web/) goes home.
func TestLayoutSwitchStaysOnTheSite(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	for back, want := range map[string]string{
		"/web/my":                   "/web/my",
		"/web/r/abc/edit":           "/web/r/abc/edit",
		`/web/../\evil.com/`:        "/web/",
		"/web/../evil":              "/web/",
		"//evil.com/web/":           "/web/",
		"https://evil.com/web/":     "/web/",
		"/web/%2e%2e/%2e%2e/x":      "/web/",
		"/web/\t/evil":              "/web/",
		"javascript:alert(1)//web/": "/web/",
	} {
		a := b.get("/web/layout?v=h&back=" + url.QueryEscape(back))
		if a.code != http.StatusSeeOther || a.loc != want {
			t.Errorf("back=%q: %d to %q, want %q", back, a.code, a.loc, want)
		}
	}
}

// Nobody signed in makes the server read more than a small form; a photo
// whose pixels would take too much memory is refused before it is decoded.
func TestBodiesAndPixelsAreBounded(t *testing.T) {
	w := newWorld(t)
	b := w.browser()
	big := strings.Repeat("x", 2*MaxFormBytes)
	a := b.postMultipart("/web/logout", url.Values{"csrf": {"x"}, "pad": {big}})
	if a.code != http.StatusRequestEntityTooLarge {
		t.Errorf("a large body from nobody: %d", a.code)
	}
	// 16 bits a channel: 6300×6300 fits MaxPixels at 8 bits, not at 16.
	img := image.NewNRGBA64(image.Rect(0, 0, 6300, 6300))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if _, problem := w.server.photoJPEG(buf.Bytes()); problem != "pixels" {
		t.Errorf("a 16-bit photo of 40 MP: %q, want refused for its pixels", problem)
	}
}

// TestMessagesExist keeps every message id the web uses in both locale
// files: a missing one would show as its id.
func TestMessagesExist(t *testing.T) {
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	ids := append([]string(nil), pageTexts...)
	for _, name := range []string{"server.go", "signin.go", "records.go", "photos.go", "words.go", "coord.go"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`q\.tr\("([a-z0-9_]+)"`).FindAllStringSubmatch(string(src), -1) {
			ids = append(ids, m[1])
		}
	}
	if len(ids) < 60 {
		t.Fatalf("found only %d ids: is the scan broken?", len(ids))
	}
	for _, id := range ids {
		for _, l := range fieldlog.Langs {
			if msgs.Text(l, id, nil) == id {
				t.Errorf("%s: no message %s", l, id)
			}
		}
	}
}

func TestClosedHalfYearRefusedWithTheBotsMessage(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	h1 := fieldlog.Period{Year: 2024, Half: 1}
	if err := w.store.SetDeadline(ctx, fieldlog.Deadline{Unit: "banner", Period: h1, Due: fieldlog.Date{Year: 2024, Month: 6, Day: 10}, SetBy: coord.ID, SetAt: w.clock()}); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	b.get("/web/log")
	a := b.postMultipart("/web/log", logValues(b.csrf()))
	if a.code != http.StatusUnprocessableEntity {
		t.Fatalf("closed half-year: %d", a.code)
	}
	want := w.tr(fieldlog.Chinese, "period_closed", "Period", w.msgs.Period(fieldlog.Chinese, h1), "Date", w.msgs.Date(fieldlog.Chinese, fieldlog.Date{Year: 2024, Month: 6, Day: 10}),
		"Whom", w.tr(fieldlog.Chinese, "whom_one", "Name", coord.Name, "Unit", "嘎鲁图镇"))
	if !strings.Contains(a.body, htmlText(want)) {
		t.Errorf("want %q in:\n%s", want, a.body)
	}
	if n := len(w.records(officer)); n != 0 {
		t.Errorf("%d records stored", n)
	}
}

func TestEditKeepsAnOldDate(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	old := fieldlog.Activity{ID: "old00001", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2023, Month: 5, Day: 4},
		Participants: fieldlog.Count{Value: 9}, Title: "旧的", UnitID: officer.UnitID, ReporterID: officer.ID, ReporterName: officer.Name}
	if err := w.store.InsertActivity(ctx, old); err != nil {
		t.Fatal(err)
	}
	// Its half-year closed; a coordinator reopened it.
	if err := w.store.Reopen(ctx, fieldlog.Reopening{Unit: "town", Period: fieldlog.Period{Year: 2023, Half: 1}, Until: w.clock().Add(time.Hour), By: coord.ID, At: w.clock()}); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	form := b.get("/web/r/old00001/edit")
	if !strings.Contains(form.body, `value="2023-05-04"`) || !strings.Contains(form.body, `value="9"`) {
		t.Fatalf("the edit form does not show the record:\n%s", form.body)
	}
	v := url.Values{"csrf": {b.csrf()}, "type": {"publicity/lecture"}, "date": {"2023-05-04"}, "participants": {"9"}, "title": {"旧的，改了"}}
	if a := b.postMultipart("/web/r/old00001/edit", v); a.code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", a.code, a.body)
	}
	if got, _ := w.store.Activity(ctx, "old00001"); got.Title != "旧的，改了" || got.Date != old.Date {
		t.Errorf("edited %+v", got)
	}
}

// chatPhotos is the channel's photos: by id, whatever bytes they hold.
type chatPhotos map[string][]byte

func (c chatPhotos) ChannelPhoto(_ context.Context, p fieldlog.Photo) ([]byte, string, error) {
	data, ok := c[p.ID]
	if !ok {
		return nil, "", fieldlog.ErrNotFound
	}
	return data, "application/octet-stream", nil
}

// A photo sent in the chat shows on the record's page, fetched from the
// channel; one that is no image is not served.
func TestChatPhotosShowOnTheWeb(t *testing.T) {
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewRGBA(image.Rect(0, 0, 4, 4)), nil); err != nil {
		t.Fatal(err)
	}
	chat := chatPhotos{"tg-jpeg": jpg.Bytes(), "tg-html": []byte("<html><script>alert(1)</script></html>")}
	w := newWorld(t, func(c *Config) { c.ChannelPhotos = chat })
	ctx := context.Background()
	a := fieldlog.Activity{ID: "chat0001", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 7},
		Title: "聊天里发的照片", UnitID: officer.UnitID, ReporterID: officer.ID, ReporterName: officer.Name,
		Photos: []fieldlog.Photo{{Source: fieldlog.TelegramPhoto, ID: "tg-jpeg"}, {Source: fieldlog.TelegramDocument, ID: "tg-html"}, {Source: fieldlog.TelegramPhoto, ID: "gone"}}}
	if err := w.store.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	if got := b.get("/web/r/chat0001/photo/0"); got.code != http.StatusOK || got.hdr.Get("Content-Type") != "image/jpeg" || got.body != jpg.String() {
		t.Errorf("a chat photo: %d %q", got.code, got.hdr.Get("Content-Type"))
	}
	for _, n := range []string{"1", "2"} {
		if got := b.get("/web/r/chat0001/photo/" + n); got.code != http.StatusNotFound {
			t.Errorf("photo %s: %d %q", n, got.code, got.hdr.Get("Content-Type"))
		}
	}
	if got := w.signIn(neighbour).get("/web/r/chat0001/photo/0"); got.code == http.StatusOK {
		t.Error("another officer saw the photo")
	}
}

// The log form sent again after Back, changed, does not make a second
// record of one activity, nor change the first behind the officer's back:
// it leads to the saved record. Sent again unchanged, it is the same save.
func TestTheLogFormSentTwice(t *testing.T) {
	w := newWorld(t)
	b := w.signIn(officer)
	b.get("/web/log")
	v := logValues(b.csrf())
	if a := b.postMultipart("/web/log", v); a.code != http.StatusSeeOther || a.loc != "/web/r/webrec0001" {
		t.Fatalf("first post: %d %q", a.code, a.loc)
	}
	if a := b.postMultipart("/web/log", v); a.code != http.StatusSeeOther || a.loc != "/web/r/webrec0001" {
		t.Errorf("the same post again: %d %q", a.code, a.loc)
	}
	v.Set("title", "改过的标题")
	if a := b.postMultipart("/web/log", v, file{"p.png", pngOf(40, 30)}); a.code != http.StatusSeeOther || a.loc != "/web/r/webrec0001" {
		t.Errorf("changed after Back: %d %q", a.code, a.loc)
	}
	recs := w.records(officer)
	if len(recs) != 1 || recs[0].Title != "政策赶大集 <b>志愿</b>" || len(recs[0].Photos) != 0 {
		t.Errorf("records %+v", recs)
	}
}

// One who joined on the page links a Telegram account from it; the Mini
// App opened from that account is them. A Telegram user is their account
// already, and gets no link.
func TestATelegramAccountLinkedOnThePage(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if err := w.store.CreateInvite(ctx, fieldlog.Invite{Code: "LINK2345", Role: fieldlog.Officer, UnitID: "v2", CreatedBy: coord.ID,
		CreatedAt: w.clock(), ExpiresAt: w.clock().Add(fieldlog.InviteLifetime)}); err != nil {
		t.Fatal(err)
	}
	b := w.browser()
	b.get("/web/")
	if a := b.post("/web/join", url.Values{"csrf": {b.csrf()}, "code": {"LINK2345"}, "name": {"娜仁"}, "lang": {"zh-Hans"}}); a.code != http.StatusSeeOther {
		t.Fatalf("join: %d", a.code)
	}
	if home := b.get("/web/"); !strings.Contains(home.body, `action="/web/telegram"`) {
		t.Fatalf("no link for Telegram on the home page:\n%s", home.body)
	}
	if a := b.post("/web/telegram", url.Values{}); a.code != http.StatusForbidden || strings.Contains(a.body, "/start link-") {
		t.Errorf("a link without the CSRF token: %d", a.code)
	}
	a := b.post("/web/telegram", url.Values{"csrf": {b.csrf()}})
	_, after, ok := strings.Cut(a.body, "/start link-")
	token, _, _ := strings.Cut(after, "<")
	if a.code != http.StatusOK || !ok || token == "" {
		t.Fatalf("the link page: %d\n%s", a.code, a.body)
	}
	if !strings.Contains(a.body, `href="https://t.me/fieldlog_test_bot?start=link-`+token+`"`) {
		t.Errorf("no deep link in:\n%s", a.body)
	}
	if _, err := w.office.LinkTelegram(ctx, w.store, token, 880050, 880050); err != nil {
		t.Fatal(err)
	}

	mini := w.browser()
	mini.get("/web/")
	f := batuFields(t, w.clock().Add(-time.Minute))
	f["user"] = userJSON(t, TelegramUser{ID: 880050, FirstName: "Naran"})
	if a := mini.post("/web/tg", url.Values{"csrf": {mini.csrf()}, "init_data": {sign(t, f, testToken).Encode()}}); a.code != http.StatusSeeOther {
		t.Fatalf("the Mini App of the linked account: %d\n%s", a.code, a.body)
	}
	if home := mini.get("/web/"); !strings.Contains(home.body, "<h1>娜仁</h1>") {
		t.Errorf("the Mini App signed in someone else:\n%s", home.body)
	}

	// A lost phone: unlinked from the page, its Mini App is nobody.
	home := b.get("/web/").body
	if !strings.Contains(home, htmlText(w.tr(fieldlog.Chinese, "web_telegram_linked"))) || !strings.Contains(home, `action="/web/telegram/unlink"`) {
		t.Fatalf("the home page of a linked user:\n%s", home)
	}
	if a := b.post("/web/telegram/unlink", url.Values{}); a.code != http.StatusForbidden {
		t.Errorf("an unlink without the CSRF token: %d", a.code)
	}
	if a := b.post("/web/telegram/unlink", url.Values{"csrf": {b.csrf()}}); a.code != http.StatusOK ||
		!strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_telegram_unlinked"))) {
		t.Fatalf("unlink: %d\n%s", a.code, a.body)
	}
	if home := mini.get("/web/").body; strings.Contains(home, "<h1>娜仁</h1>") {
		t.Error("the lost phone's Mini App is still signed in")
	}
	if home := b.get("/web/").body; !strings.Contains(home, "<h1>娜仁</h1>") {
		t.Error("the browser that unlinked was signed out")
	}
	mini = w.browser()
	mini.get("/web/")
	if a := mini.post("/web/tg", url.Values{"csrf": {mini.csrf()}, "init_data": {sign(t, f, testToken).Encode()}}); a.code != http.StatusForbidden {
		t.Errorf("the Mini App of the unlinked phone: %d", a.code)
	}
	if home := b.get("/web/").body; strings.Contains(home, `action="/web/telegram/unlink"`) {
		t.Error("an unlink is offered with no account linked")
	}

	tg := w.signIn(officer)
	if home := tg.get("/web/"); strings.Contains(home.body, `action="/web/telegram"`) {
		t.Error("a Telegram user is offered a link for Telegram")
	}
	if a := tg.post("/web/telegram", url.Values{"csrf": {tg.csrf()}}); a.code != http.StatusForbidden {
		t.Errorf("a Telegram user's link: %d", a.code)
	}
	if a := tg.post("/web/telegram/unlink", url.Values{"csrf": {tg.csrf()}}); a.code != http.StatusForbidden {
		t.Errorf("a Telegram user's unlink: %d", a.code)
	}
}
