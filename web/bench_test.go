package web

// Issue 12 §6: what a first visit downloads (TestPageWeight, a size budget)
// and how long the server takes per page (BenchmarkPages, p50 and p99 over
// every request of a run, on the in-memory and on the embedded store).
// See BENCHMARKS.md, "Web page (issue 12)".

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/locales"
	"fieldlog/office"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
	"fieldlog/units"
)

// weightBudget is issue 12's target for a first load without the font.
const weightBudget = 100 << 10

var (
	staticRef = regexp.MustCompile(`(?:href|src)="(/web/static/[^"]+)"`)
	cssRef    = regexp.MustCompile(`url\("?(/web/static/[^")]+)"?\)`)
	// mongolianLetters are the characters the @font-face's unicode-range
	// covers: a browser fetches the font only for a page showing them.
	mongolianLetters = regexp.MustCompile("[\u1800-\u18AF\u202F]")
)

// resource is one response of a first load.
type resource struct {
	path       string
	size, gzip int
}

// gzipSize is how many bytes data takes gzip'd (level 6, as a proxy's
// default would).
func gzipSize(data []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(data)
	zw.Close()
	return buf.Len()
}

// firstLoad fetches path and every static file it and its CSS reference,
// as a browser with an empty cache does; font says whether the browser
// would fetch the web font (the page shows Mongolian letters).
func (b *browser) firstLoad(t *testing.T, path string) (res []resource, font bool) {
	t.Helper()
	fetch := func(p string) []byte {
		r := httptest.NewRequest("GET", p, nil)
		r.Header.Set("Accept-Encoding", "gzip, deflate, br")
		for k, v := range b.cookies {
			r.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		rec := httptest.NewRecorder()
		b.w.h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", p, rec.Code, rec.Body)
		}
		if ce := rec.Header().Get("Content-Encoding"); ce != "" {
			t.Errorf("GET %s: Content-Encoding %s: the server compresses now; measure what it sends", p, ce)
		}
		data := rec.Body.Bytes()
		res = append(res, resource{path: p, size: len(data), gzip: gzipSize(data)})
		return data
	}
	html := fetch(path)
	font = mongolianLetters.Match(html)
	seen := map[string]bool{}
	var refs []string
	for _, m := range staticRef.FindAllSubmatch(html, -1) {
		refs = append(refs, string(m[1]))
	}
	for len(refs) > 0 {
		p := refs[0]
		refs = refs[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		if strings.HasSuffix(p, ".ttf") {
			// Counted apart, below: fetched only when needed.
			font = font || strings.Contains(string(html), `rel="preload" href="`+p+`"`)
			continue
		}
		data := fetch(p)
		if strings.HasSuffix(p, ".css") {
			for _, m := range cssRef.FindAllSubmatch(data, -1) {
				refs = append(refs, string(m[1]))
			}
		}
	}
	if seen["/web/static/mongolian.ttf"] && font {
		fetch("/web/static/mongolian.ttf")
	}
	return res, font
}

// TestPageWeight measures the first load of the main pages in both
// languages, and fails if one without the font weighs over the budget.
// With -v it prints the table of BENCHMARKS.md.
func TestPageWeight(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mnCoord := fieldlog.User{ID: 6, ChatID: 6, Name: "ᠪᠠᠲᠤ", Lang: fieldlog.Mongolian, Role: fieldlog.Coordinator, UnitID: "town"}
	if err := w.store.SaveUser(ctx, mnCoord); err != nil {
		t.Fatal(err)
	}
	// Full list pages: more records than a page shows, long titles.
	for i := range 3 * pageSize {
		for _, u := range []fieldlog.User{officer, neighbour} {
			title := fmt.Sprintf("第%d次政策宣讲进村入户活动暨民族团结进步创建宣传", i)
			if u.Lang == fieldlog.Mongolian {
				title = fmt.Sprintf("ᠪᠣᠳᠤᠯᠭ᠎ᠠ ᠶᠢᠨ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠬᠤᠷᠠᠯ %d", i)
			}
			a := fieldlog.Activity{ID: fieldlog.ActivityID(fmt.Sprintf("w%s%05d", u.UnitID, i)), SectionID: "publicity", TypeID: "leaflets",
				Date: fieldlog.Date{Year: 2024, Month: 6, Day: 1 + i%19}, Participants: fieldlog.Count{Value: int64(10 + i), Approx: i%3 == 0},
				Quantity: fieldlog.Count{Value: int64(100 + i)}, Title: title, Place: "村委会广场",
				UnitID: u.UnitID, ReporterID: u.ID, ReporterName: u.Name, LoggedAt: w.clock().Add(-time.Duration(i) * time.Hour)}
			if err := w.store.InsertActivity(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	type visit struct {
		page, path string
	}
	visits := func(u fieldlog.User, coordinates bool) []visit {
		if coordinates {
			return []visit{{"home (coordinator)", "/web/"}, {"subtree list", "/web/records"}}
		}
		return []visit{{"home", "/web/"}, {"log form", "/web/log"}, {"my records", "/web/my"},
			{"a record", fmt.Sprintf("/web/r/w%s%05d", u.UnitID, 0)}}
	}
	type row struct {
		lang, page                     string
		html, htmlGz, noFont, noFontGz int
		withFont, withFontGz           int
		font                           bool
	}
	var rows []row
	measure := func(lang fieldlog.Lang, b *browser, v visit) {
		res, font := b.firstLoad(t, v.path)
		r := row{lang: string(lang), page: v.page, html: res[0].size, htmlGz: res[0].gzip, font: font}
		for _, x := range res {
			r.withFont += x.size
			r.withFontGz += x.gzip
			if !strings.HasSuffix(x.path, ".ttf") {
				r.noFont += x.size
				r.noFontGz += x.gzip
			}
		}
		if r.noFont > weightBudget {
			t.Errorf("%s %s: %d bytes without the font, over the %d of issue 12", lang, v.page, r.noFont, weightBudget)
		}
		rows = append(rows, r)
	}
	for _, lang := range []fieldlog.Lang{fieldlog.Chinese, fieldlog.Mongolian} {
		b := w.browser()
		if lang == fieldlog.Mongolian {
			b.cookies[cookieLang] = string(lang)
		}
		measure(lang, b, visit{"sign-in", "/web/"})
	}
	for _, u := range []fieldlog.User{officer, neighbour, coord, mnCoord} {
		b := w.signIn(u)
		for _, v := range visits(u, u.Role == fieldlog.Coordinator) {
			measure(u.Lang, b, v)
		}
	}
	var out strings.Builder
	out.WriteString("| page | lang | HTML | HTML gz | first load without the font | gz | with the font (if fetched) | gz |\n|---|---|---|---|---|---|---|---|\n")
	kb := func(n int) string { return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KB" }
	for _, r := range rows {
		with, withGz := "not fetched", "–"
		if r.font {
			with, withGz = kb(r.withFont), kb(r.withFontGz)
		}
		fmt.Fprintf(&out, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.page, r.lang, kb(r.html), kb(r.htmlGz), kb(r.noFont), kb(r.noFontGz), with, withGz)
	}
	t.Logf("first loads (the server sends no Content-Encoding; gz is what gzip -6 would make of each response):\n%s", out.String())
}

// benchStore is what BenchmarkPages runs on: the in-memory store or the
// embedded one.
type benchStore interface {
	office.Store
	Stores
	fieldlog.PhotoFiles
}

// benchRecords is how many records BenchmarkPages stores: 50,000 unless
// WEBBENCH_RECORDS says otherwise.
func benchRecords(b *testing.B) int {
	n := 50000
	if v := os.Getenv("WEBBENCH_RECORDS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 200 {
			b.Fatalf("WEBBENCH_RECORDS=%q: want a number of at least 200", v)
		}
	}
	return n
}

// The users of BenchmarkPages.
var (
	benchOfficer = fieldlog.User{ID: 11, ChatID: 11, Name: "巴特", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "duguilang"}
	benchCoord   = fieldlog.User{ID: 12, ChatID: 12, Name: "王", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "galutu"}
)

// seedBench stores the sample units, the two users and n records spread
// over the sample villages, the last 170 days and the catalogue's types;
// every 250th record (200 of 50,000) is benchOfficer's, in their village.
// It returns the id of benchOfficer's newest record.
func seedBench(b *testing.B, store benchStore, cat *fieldlog.Catalog, now time.Time, n int) fieldlog.ActivityID {
	ctx := context.Background()
	unitList, err := units.ReadFile("../deploy/units.sample.csv")
	if err != nil {
		b.Fatal(err)
	}
	if err := store.SaveUnits(ctx, unitList); err != nil {
		b.Fatal(err)
	}
	var villages []fieldlog.UnitID
	for _, u := range unitList {
		if u.Level == fieldlog.Village {
			villages = append(villages, u.ID)
		}
	}
	for _, u := range []fieldlog.User{benchOfficer, benchCoord} {
		u.JoinedAt = now.Add(-365 * 24 * time.Hour)
		if err := store.SaveUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	var types []fieldlog.ActivityType
	var sections []string
	for _, s := range cat.Sections {
		for _, t := range s.Types {
			types, sections = append(types, t), append(sections, s.ID)
		}
	}
	today := fieldlog.DateOf(now, shanghai)
	var newest fieldlog.ActivityID
	for i := range n {
		t := i % len(types)
		a := fieldlog.Activity{
			ID:           fieldlog.ActivityID(fmt.Sprintf("bench%07d", i)),
			SectionID:    sections[t],
			TypeID:       types[t].ID,
			Date:         today.AddDays(-(i % 170)),
			Participants: fieldlog.Count{Value: int64(10 + i%190), Approx: i%5 == 0},
			Title:        fmt.Sprintf("第%d次政策宣讲进村入户活动", i),
			Place:        "村委会",
			UnitID:       villages[i%len(villages)],
			ReporterID:   int64(1000 + i%(2*len(villages))),
			ReporterName: "联络员",
			LoggedAt:     now.Add(-time.Duration(i%170)*24*time.Hour - time.Duration(i)*time.Second),
		}
		if i%250 == 0 {
			a.UnitID, a.ReporterID, a.ReporterName = benchOfficer.UnitID, benchOfficer.ID, benchOfficer.Name
			if newest == "" {
				newest = a.ID
			}
		}
		if types[t].Quantity {
			a.Quantity = fieldlog.Count{Value: int64(1 + i%500)}
		}
		a.UpdatedAt = a.LoggedAt
		if err := store.InsertActivity(ctx, a); err != nil {
			b.Fatalf("store record %d: %v", i, err)
		}
	}
	return newest
}

// benchClient is a signed-in browser for benchmarks: its session cookie.
type benchClient struct {
	h       http.Handler
	cookies []*http.Cookie
}

func (c *benchClient) serve(r *http.Request) *httptest.ResponseRecorder {
	for _, k := range c.cookies {
		r.AddCookie(k)
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, r)
	return rec
}

func signInBench(b *testing.B, h http.Handler, o *office.Office, web office.WebStore, u fieldlog.User) *benchClient {
	token, err := o.NewSignInLink(context.Background(), web, u)
	if err != nil {
		b.Fatal(err)
	}
	// The link's page, then its button (the page's CSRF token and cookie).
	c := &benchClient{h: h}
	page := c.serve(httptest.NewRequest("GET", "/web/login?t="+url.QueryEscape(token), nil))
	c.keep(page)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.Body.String())
	if m == nil {
		b.Fatalf("sign in %s: no form on the link's page", u.Name)
	}
	r := httptest.NewRequest("POST", "/web/login", strings.NewReader(url.Values{"csrf": {m[1]}, "t": {token}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := c.serve(r)
	if rec.Code != http.StatusSeeOther {
		b.Fatalf("sign in %s: %d", u.Name, rec.Code)
	}
	c.cookies = nil
	c.keep(rec)
	return c
}

// keep takes the cookies an answer set (and drops those it cleared).
func (c *benchClient) keep(rec *httptest.ResponseRecorder) {
	for _, k := range rec.Result().Cookies() {
		c.cookies = slices.DeleteFunc(c.cookies, func(o *http.Cookie) bool { return o.Name == k.Name })
		if k.MaxAge >= 0 {
			c.cookies = append(c.cookies, k)
		}
	}
}

// BenchmarkPages measures the server's time per page: every request is
// timed, and p50-ms and p99-ms are over the requests of the run (ns/op is
// their mean). The embedded store is seeded once per run; with 50,000
// records that takes a while (logged).
//
//	go test ./web -run XXX -bench 'Pages/store=memory' -benchtime 2000x
//	go test ./web -run XXX -bench 'Pages/store=embedded' -benchtime 100x
func BenchmarkPages(b *testing.B) {
	n := benchRecords(b)
	b.Run(fmt.Sprintf("store=memory/records=%d", n), func(b *testing.B) { benchmarkPages(b, memory.New(), n) })
	b.Run(fmt.Sprintf("store=embedded/records=%d", n), func(b *testing.B) { benchmarkPages(b, storagetest.New(b), n) })
}

func benchmarkPages(b *testing.B, store benchStore, n int) {
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	msgs, err := locales.New()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2024, 6, 20, 10, 0, 0, 0, shanghai)
	clock := func() time.Time { return now }
	start := time.Now()
	newest := seedBench(b, store, cat, now, n)
	seed := time.Since(start)
	b.Logf("%d records stored in %.1f s (%.0f µs each)", n, seed.Seconds(), float64(seed.Microseconds())/float64(n))

	o := office.New(office.Config{Store: store, Catalog: cat, Location: shanghai, Now: clock})
	s, err := New(Config{Office: o, Stores: store, Photos: store, Messages: msgs, BaseURL: "https://fieldlog.example.org",
		CSRFKey: bytes.Repeat([]byte{1}, 32), Now: clock, Logger: storagetest.Logger(b)})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	off := signInBench(b, h, o, store, benchOfficer)
	coordinator := signInBench(b, h, o, store, benchCoord)

	// The log form's CSRF token, for the posts.
	form := off.serve(httptest.NewRequest("GET", "/web/log", nil))
	m := csrfField.FindStringSubmatch(form.Body.String())
	if m == nil {
		b.Fatalf("no CSRF token on the log form:\n%s", form.Body)
	}
	csrf := m[1]
	posted := 0
	logPost := func() *http.Request {
		posted++
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range (url.Values{"csrf": {csrf}, "id": {fmt.Sprintf("webbench%06d", posted)}, "type": {"publicity/leaflets"},
			"date": {"6月7日"}, "participants": {"80余"}, "quantity": {"十二"}, "title": {"政策赶大集志愿服务"}, "place": {""}}) {
			mw.WriteField(k, v[0])
		}
		mw.CreateFormFile("photos", "") // a browser sends the empty file input
		mw.Close()
		r := httptest.NewRequest("POST", "/web/log", &buf)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		return r
	}
	get := func(path string) func() *http.Request {
		return func() *http.Request { return httptest.NewRequest("GET", path, nil) }
	}

	for _, p := range []struct {
		name   string
		c      *benchClient
		req    func() *http.Request
		status int
		want   string // in the page, to check it is the one meant
	}{
		{"home", off, get("/web/"), http.StatusOK, benchOfficer.Name},
		{"my", off, get("/web/my"), http.StatusOK, "/web/r/" + string(newest)},
		{"subtree", coordinator, get("/web/records"), http.StatusOK, "/web/r/"},
		{"record", off, get("/web/r/" + string(newest)), http.StatusOK, "第0次政策宣讲"},
		{"logform", off, get("/web/log"), http.StatusOK, `<optgroup label="`},
		{"logpost", off, logPost, http.StatusSeeOther, ""},
	} {
		b.Run(p.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				r := p.req()
				t0 := time.Now()
				rec := p.c.serve(r)
				d := time.Since(t0)
				if rec.Code != p.status || !strings.Contains(rec.Body.String(), p.want) {
					b.Fatalf("%s: %d, want %d with %q\n%s", p.name, rec.Code, p.status, p.want, rec.Body)
				}
				times = append(times, d)
			}
			slices.Sort(times)
			ms := func(q float64) float64 {
				i := int(math.Ceil(q*float64(len(times)))) - 1
				return float64(times[max(i, 0)].Microseconds()) / 1000
			}
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
		})
	}
}
