package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/office"
	"fieldlog/storage/memory"
	"fieldlog/storage/storagetest"
)

// The coordinators' pages: return and confirm, status, notes, the report.

var (
	// coord2 coordinates the other township: none of town's business.
	coord2 = fieldlog.User{ID: 6, ChatID: 6, Name: "赵", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "town2"}
	// coordMn coordinates town in Mongolian.
	coordMn = fieldlog.User{ID: 7, ChatID: 7, Name: "ᠰᠠᠷᠠ", Lang: fieldlog.Mongolian, Role: fieldlog.Coordinator, UnitID: "town"}
)

func coordWorld(t *testing.T) *world {
	w := newWorld(t)
	for _, u := range []fieldlog.User{coord2, coordMn} {
		if err := w.store.SaveUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

var h1 = fieldlog.Period{Year: 2024, Half: 1}

func (w *world) notes(unit fieldlog.UnitID) fieldlog.Notes {
	w.t.Helper()
	n, err := w.store.Notes(context.Background(), unit, h1)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *world) review(id fieldlog.ActivityID) fieldlog.Review {
	w.t.Helper()
	a, err := w.store.Activity(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return a.Review
}

func TestCoordinatorPagesRefuseAnOfficer(t *testing.T) {
	w := coordWorld(t)
	ctx := context.Background()
	theirs := w.logged(neighbour, "theirs01")
	para, _, err := w.office.AddParagraph(ctx, coord, "v1", h1, fieldlog.Problems, "", "宣传不够")
	if err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	if home := b.get("/web/").body; strings.Contains(home, "/web/report") || strings.Contains(home, "/web/status") {
		t.Errorf("an officer's home links to coordinators' pages:\n%s", home)
	}
	for _, path := range []string{"/web/status", "/web/status.png", "/web/notes", "/web/notes?unit=v1&period=2024-H1",
		"/web/notes?unit=town", "/web/report", "/web/report?unit=v1&period=2024-H1", "/web/report/docx?unit=v1", "/web/report/xlsx?unit=town"} {
		if a := b.get(path); a.code != http.StatusForbidden {
			t.Errorf("an officer's GET %s: %d", path, a.code)
		}
	}
	if page := b.get("/web/r/theirs01"); strings.Contains(page.body, "return-form") {
		t.Error("a return form on an officer's page")
	}
	b.get("/web/log")
	token := b.csrf()
	scope := url.Values{"csrf": {token}, "unit": {"v1"}, "period": {"2024-H1"}, "part": {"problems"}}
	add := url.Values{"text": {"伪造的"}}
	for k, v := range scope {
		add[k] = v
	}
	del := url.Values{"id": {para.ID}}
	for k, v := range scope {
		del[k] = v
	}
	for path, v := range map[string]url.Values{
		"/web/notes/add": add, "/web/notes/delete": del,
		"/web/r/theirs01/return": {"csrf": {token}, "comment": {"伪造的"}},
	} {
		if a := b.post(path, v); a.code != http.StatusForbidden {
			t.Errorf("an officer's POST %s: %d", path, a.code)
		}
	}
	if n := w.notes("v1"); len(n.Problems) != 1 || n.Problems[0].Text != "宣传不够" {
		t.Errorf("the notes changed: %+v", n)
	}
	if r := w.review(theirs.ID); r.State != "" || len(r.Thread) != 0 {
		t.Errorf("the record was returned: %+v", r)
	}
}

func TestAnotherTownshipsCoordinatorRefused(t *testing.T) {
	w := coordWorld(t)
	mine := w.logged(officer, "mine0001")
	b := w.signIn(coord2)
	for _, path := range []string{"/web/report?unit=town&period=2024-H1", "/web/report?unit=v1", "/web/report/docx?unit=town",
		"/web/report/xlsx?unit=town", "/web/notes?unit=town&period=2024-H1", "/web/notes?unit=v2"} {
		if a := b.get(path); a.code != http.StatusForbidden {
			t.Errorf("another township's coordinator GET %s: %d", path, a.code)
		}
	}
	// Their own unit is theirs.
	if a := b.get("/web/report"); a.code != http.StatusOK || !strings.Contains(a.body, "苏力德苏木") {
		t.Errorf("their own report: %d", a.code)
	}
	token := b.csrf()
	if a := b.post("/web/notes/add", url.Values{"csrf": {token}, "unit": {"town"}, "period": {"2024-H1"}, "part": {"plans"}, "text": {"越权"}}); a.code != http.StatusForbidden {
		t.Errorf("notes of another township: %d", a.code)
	}
	if a := b.post("/web/r/mine0001/return", url.Values{"csrf": {token}, "canned": {"0"}}); a.code != http.StatusForbidden {
		t.Errorf("return of another township's record: %d", a.code)
	}
	if n := w.notes("town"); len(n.Plans) != 0 {
		t.Errorf("notes written: %+v", n)
	}
	if r := w.review(mine.ID); r.Pending() {
		t.Errorf("returned: %+v", r)
	}
}

func TestReturnAndConfirm(t *testing.T) {
	w := coordWorld(t)
	mine := w.logged(officer, "mine0001")
	c := w.signIn(coord)
	page := c.get("/web/r/mine0001")
	if !strings.Contains(page.body, `action="/web/r/mine0001/return"`) || !strings.Contains(page.body, htmlText(w.tr(fieldlog.Chinese, "comment_people"))) {
		t.Fatalf("no return form with the bot's comments:\n%s", page.body)
	}
	token := c.csrf()
	// Forged: no token, or another session's.
	if a := c.post("/web/r/mine0001/return", url.Values{"canned": {"0"}}); a.code != http.StatusForbidden {
		t.Errorf("a return without CSRF: %d", a.code)
	}
	other := w.signIn(coord)
	other.get("/web/")
	if a := c.post("/web/r/mine0001/return", url.Values{"csrf": {other.csrf()}, "canned": {"0"}}); a.code != http.StatusForbidden {
		t.Errorf("a return with another session's token: %d", a.code)
	}
	if r := w.review(mine.ID); r.Pending() {
		t.Fatalf("returned by a forged post: %+v", r)
	}
	// Neither a comment nor a choice: refused, with the bot's message.
	if a := c.post("/web/r/mine0001/return", url.Values{"csrf": {token}, "comment": {"   "}}); a.code != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "text_empty"))) {
		t.Errorf("an empty comment: %d", a.code)
	}
	// A comment of the coordinator's own wins over the choice.
	if a := c.post("/web/r/mine0001/return", url.Values{"csrf": {token}, "canned": {"1"}, "comment": {"照片是哪天的？"}}); a.code != http.StatusSeeOther {
		t.Fatalf("return: %d\n%s", a.code, a.body)
	}
	r := w.review(mine.ID)
	if r.State != fieldlog.Returned || len(r.Thread) != 1 || r.Thread[0].Text != "照片是哪天的？" || r.Thread[0].By != coord.ID {
		t.Fatalf("after the return: %+v", r)
	}
	// The coordinator is not the reporter: no confirming for them.
	if a := c.post("/web/r/mine0001/confirm", url.Values{"csrf": {token}, "seen": {"1"}}); a.code != http.StatusForbidden {
		t.Errorf("the coordinator confirms: %d", a.code)
	}
	// The reporter sees it returned, with the comment, and confirms it.
	b := w.signIn(officer)
	if my := b.get("/web/my").body; !strings.Contains(my, `class="record returned"`) || !strings.Contains(my, "照片是哪天的？") {
		t.Errorf("the returned record does not stand out:\n%s", my)
	}
	rec := b.get("/web/r/mine0001").body
	if !strings.Contains(rec, `action="/web/r/mine0001/confirm"`) || strings.Contains(rec, "return-form") || !strings.Contains(rec, "照片是哪天的？") {
		t.Fatalf("the reporter's page:\n%s", rec)
	}
	if a := b.post("/web/r/mine0001/confirm", url.Values{}); a.code != http.StatusForbidden {
		t.Errorf("a confirm without CSRF: %d", a.code)
	}
	if w.review(mine.ID).State != fieldlog.Returned {
		t.Fatal("confirmed by a forged post")
	}
	if a := b.post("/web/r/mine0001/confirm", url.Values{"csrf": {b.csrf()}, "seen": {"1"}}); a.code != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", a.code, a.body)
	}
	if r := w.review(mine.ID); r.State != fieldlog.Confirmed || len(r.Thread) != 2 {
		t.Errorf("after the confirm: %+v", r)
	}
	if my := b.get("/web/my").body; strings.Contains(my, "record returned") {
		t.Error("a confirmed record still stands out")
	}
	if rec := b.get("/web/r/mine0001").body; strings.Contains(rec, "/confirm") || !strings.Contains(rec, htmlText(w.tr(fieldlog.Chinese, "review_thread"))) {
		t.Errorf("after the confirm, the page:\n%s", rec)
	}
	if a := b.post("/web/r/mine0001/confirm", url.Values{"csrf": {b.csrf()}, "seen": {"2"}}); a.code != http.StatusConflict {
		t.Errorf("confirm again: %d", a.code)
	}
	// A choice of the bot's comments, in the coordinator's language.
	if a := c.post("/web/r/mine0001/return", url.Values{"csrf": {token}, "canned": {"0"}}); a.code != http.StatusSeeOther {
		t.Fatalf("return again: %d", a.code)
	}
	if r := w.review(mine.ID); r.State != fieldlog.Returned || r.Thread[len(r.Thread)-1].Text != w.tr(fieldlog.Chinese, "comment_people") {
		t.Errorf("a canned return: %+v", r)
	}
}

func TestNotesAddAndDelete(t *testing.T) {
	w := coordWorld(t)
	c := w.signIn(coord)
	page := c.get("/web/notes?unit=v1&period=2024-H1")
	if page.code != http.StatusOK || !strings.Contains(page.body, "一村") || !strings.Contains(page.body, htmlText(w.tr(fieldlog.Chinese, "btn_plans"))) {
		t.Fatalf("notes page: %d\n%s", page.code, page.body)
	}
	// The units the coordinator may act on, and the two half-years.
	for _, want := range []string{`value="town"`, `value="v1" selected`, `value="v2"`, `value="2024-H1" selected`, `value="2023-H2"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the notes page lacks %s", want)
		}
	}
	if strings.Contains(page.body, `value="town2"`) || strings.Contains(page.body, `value="banner"`) {
		t.Error("units outside the coordinator's subtree are offered")
	}
	m := regexp.MustCompile(`name="part" value="problems"><input type="hidden" name="id" value="([^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no add form for problems:\n%s", page.body)
	}
	add := url.Values{"csrf": {c.csrf()}, "unit": {"v1"}, "period": {"2024-H1"}, "part": {"problems"}, "id": {m[1]}, "text": {"群众参与度<不高>"}}
	for range 2 { // sent twice (a double tap): stored once
		if a := c.post("/web/notes/add", add); a.code != http.StatusSeeOther || a.loc != "/web/notes?period=2024-H1&unit=v1" {
			t.Fatalf("add: %d %q\n%s", a.code, a.loc, a.body)
		}
	}
	n := w.notes("v1")
	if len(n.Problems) != 1 || n.Problems[0].Text != "群众参与度<不高>" || n.Problems[0].By != coord.ID {
		t.Fatalf("after the add: %+v", n)
	}
	if page := c.get("/web/notes?unit=v1&period=2024-H1"); !strings.Contains(page.body, "1. 群众参与度&lt;不高&gt;") {
		t.Errorf("the paragraph is not shown:\n%s", page.body)
	}
	// Blank: refused with the bot's message, nothing stored.
	blank := url.Values{"csrf": {c.csrf()}, "unit": {"v1"}, "period": {"2024-H1"}, "part": {"plans"}, "text": {"  "}}
	if a := c.post("/web/notes/add", blank); a.code != http.StatusUnprocessableEntity || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "text_empty"))) {
		t.Errorf("a blank paragraph: %d", a.code)
	}
	del := url.Values{"csrf": {c.csrf()}, "unit": {"v1"}, "period": {"2024-H1"}, "part": {"problems"}, "id": {n.Problems[0].ID}}
	if a := c.post("/web/notes/delete", url.Values{"unit": {"v1"}, "part": {"problems"}, "id": {n.Problems[0].ID}}); a.code != http.StatusForbidden {
		t.Errorf("a delete without CSRF: %d", a.code)
	}
	if len(w.notes("v1").Problems) != 1 {
		t.Fatal("deleted by a forged post")
	}
	if a := c.post("/web/notes/delete", del); a.code != http.StatusSeeOther {
		t.Fatalf("delete: %d\n%s", a.code, a.body)
	}
	if n := w.notes("v1"); len(n.Problems) != 0 || len(n.Plans) != 0 {
		t.Errorf("after the delete: %+v", n)
	}
	// Deleted already (by another coordinator, say): the notes as they are.
	if a := c.post("/web/notes/delete", del); a.code != http.StatusSeeOther {
		t.Errorf("delete again: %d", a.code)
	}
}

func TestReportPage(t *testing.T) {
	w := coordWorld(t)
	ctx := context.Background()
	w.logged(officer, "mine0001")
	w.logged(neighbour, "next0001")
	if _, _, err := w.office.AddParagraph(ctx, coord, "town", h1, fieldlog.Plans, "", "继续开展政策宣讲"); err != nil {
		t.Fatal(err)
	}
	rep, err := w.office.Report(ctx, coord, "town", h1, fieldlog.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	c := w.signIn(coord)
	a := c.get("/web/report?unit=town&period=2024-H1")
	if a.code != http.StatusOK {
		t.Fatalf("report page: %d\n%s", a.code, a.body)
	}
	for _, p := range rep.Document.Paragraphs {
		if !strings.Contains(a.body, htmlText(strings.TrimSpace(p.Text))) {
			t.Errorf("the page lacks the paragraph %q", p.Text)
		}
	}
	for _, want := range []string{`<p class="doc-title">`, "继续开展政策宣讲", htmlText(w.tr(fieldlog.Chinese, "web_report_count", "Count", 2)),
		`href="/web/static/report.css"`, `href="/web/report/docx?period=2024-H1&amp;unit=town"`, rep.Document.Date} {
		if !strings.Contains(a.body, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="| on[a-z]+="`).MatchString(a.body) {
		t.Error("inline script or style on the report page")
	}
	css := c.get("/web/static/report.css").body
	for _, want := range []string{"@page { size: A4; margin: 37mm 26mm 35mm 28mm; }", "font-size: 22pt", "font-size: 16pt", "line-height: 28.95pt", "FangSong", "@media print"} {
		if !strings.Contains(css, want) {
			t.Errorf("report.css lacks %q", want)
		}
	}
	for _, f := range []struct {
		path, ct, name string
	}{
		{"/web/report/docx?unit=town&period=2024-H1", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", rep.WordName},
		{"/web/report/xlsx?unit=town&period=2024-H1", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", rep.LedgerName},
	} {
		d := c.get(f.path)
		if d.code != http.StatusOK || d.hdr.Get("Content-Type") != f.ct || !strings.HasPrefix(d.body, "PK") {
			t.Errorf("%s: %d %q %.4q", f.path, d.code, d.hdr.Get("Content-Type"), d.body)
		}
		cd := d.hdr.Get("Content-Disposition")
		enc, ok := strings.CutPrefix(cd[strings.Index(cd, "filename*=")+1:], "ilename*=UTF-8''")
		if name, err := url.PathUnescape(enc); !ok || err != nil || name != f.name || !strings.HasPrefix(cd, "attachment; filename=\"") {
			t.Errorf("%s: Content-Disposition %q, want the name %q", f.path, cd, f.name)
		}
	}
	if a := c.get("/web/report/pdf?unit=town"); a.code != http.StatusNotFound {
		t.Errorf("an unknown download: %d", a.code)
	}
	// Defaults: the coordinator's unit, the current half-year.
	if a := c.get("/web/report"); a.code != http.StatusOK || !strings.Contains(a.body, `value="town" selected`) || !strings.Contains(a.body, `value="2024-H1" selected`) {
		t.Errorf("the default report: %d", a.code)
	}
}

func TestMongolianReportIsVertical(t *testing.T) {
	w := coordWorld(t)
	w.logged(officer, "mine0001")
	b := w.signIn(coordMn)
	a := b.get("/web/report?unit=town&period=2024-H1")
	if a.code != http.StatusOK {
		t.Fatalf("Mongolian report: %d\n%s", a.code, a.body)
	}
	for _, want := range []string{`<html lang="mn-Mong" class="vertical">`, `<article class="doc" lang="mn-Mong">`, "ᠭᠠᠯᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ",
		htmlText(w.tr(fieldlog.Mongolian, "web_report_word_zh"))} {
		if !strings.Contains(a.body, want) {
			t.Errorf("the Mongolian report page lacks %q", want)
		}
	}
	// Horizontal on the screen, it still prints vertically.
	b.get("/web/layout?v=h")
	if a := b.get("/web/report?unit=town&period=2024-H1"); !strings.Contains(a.body, `<html lang="mn-Mong">`) {
		t.Errorf("the switch: %.200s", a.body)
	}
	css := b.get("/web/static/report.css").body
	print := css[strings.Index(css, "@media print"):]
	if !strings.Contains(print, "html:lang(mn-Mong) { writing-mode: vertical-lr; }") || !strings.Contains(css, ".doc:lang(mn-Mong) { writing-mode: vertical-lr;") {
		t.Errorf("report.css does not print Mongolian vertically:\n%s", css)
	}
	// The Word file is the Chinese one, the ledger Mongolian.
	rep, err := w.office.Report(context.Background(), coordMn, "town", h1, fieldlog.Mongolian)
	if err != nil {
		t.Fatal(err)
	}
	d := b.get("/web/report/docx?unit=town&period=2024-H1")
	if !strings.Contains(d.hdr.Get("Content-Disposition"), url.PathEscape(rep.WordName)[:9]) || !strings.HasPrefix(d.body, "PK") {
		t.Errorf("the Mongolian page's Word file: %q", d.hdr.Get("Content-Disposition"))
	}
}

func TestStatusPage(t *testing.T) {
	w := coordWorld(t)
	w.logged(officer, "mine0001")
	c := w.signIn(coord)
	if !strings.Contains(c.get("/web/").body, `href="/web/status"`) {
		t.Error("no link to the status on the coordinator's home")
	}
	a := c.get("/web/status")
	if a.code != http.StatusOK {
		t.Fatalf("status: %d\n%s", a.code, a.body)
	}
	silent := htmlText(w.tr(fieldlog.Chinese, "status_line", "Unit", "二村", "Count", 0, "Last", ""))
	for _, want := range []string{`<img class="chart" src="/web/status.png?period=2024-H1"`, `<li class="silent">` + silent + `</li>`, "一村",
		htmlText(w.tr(fieldlog.Chinese, "status_summary", "Total", 1, "Silent", 1))} {
		if !strings.Contains(a.body, want) {
			t.Errorf("the status page lacks %q:\n%s", want, a.body)
		}
	}
	png := c.get("/web/status.png?period=2024-H1")
	if png.code != http.StatusOK || png.hdr.Get("Content-Type") != "image/png" || !strings.HasPrefix(png.body, "\x89PNG") {
		t.Errorf("the chart: %d %q", png.code, png.hdr.Get("Content-Type"))
	}
	if a := c.get("/web/status?period=2023-H2"); a.code != http.StatusOK || !strings.Contains(a.body, `value="2023-H2" selected`) {
		t.Errorf("the previous half-year: %d", a.code)
	}
}

func TestCoordinatorPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	w := coordWorld(t)
	w.logged(officer, "mine0001")
	for _, u := range []fieldlog.User{coord, coordMn} {
		b := w.signIn(u)
		for _, path := range []string{"/web/r/mine0001", "/web/status", "/web/notes", "/web/report"} {
			a := b.get(path)
			if a.code != http.StatusOK {
				t.Errorf("%s %s: %d", u.Name, path, a.code)
			}
			if regexp.MustCompile(`<script>|<script [^>]*>[^<]|<style|style="| on[a-z]+="`).MatchString(a.body) {
				t.Errorf("%s: inline script or style", path)
			}
		}
	}
	_ = office.MaxParagraph
}

// A confirm posted under a return the coordinator has just made again
// answers nothing, and shows the record with the new comment.
func TestAConfirmUnderANewReturn(t *testing.T) {
	var gap *storagetest.Gap
	w := newWorld(t, func(c *Config) {
		gap = storagetest.NewGap(c.Stores.(*memory.Store))
		c.Office = office.New(office.Config{Store: gap, Catalog: c.Office.Catalog(), Messages: c.Messages, Location: shanghai, Now: c.Now})
	})
	ctx := context.Background()
	mine := w.logged(officer, "mine0002")
	if _, err := w.office.Return(ctx, coord, mine.ID, "人数请核实"); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	b.get("/web/r/mine0002")
	gap.After(func() {
		if _, err := w.office.Return(ctx, coord, mine.ID, "日期也请核实"); err != nil {
			t.Error(err)
		}
	})
	a := b.post("/web/r/mine0002/confirm", url.Values{"csrf": {b.csrf()}, "seen": {"1"}})
	if a.code != http.StatusConflict || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "review_returned_again"))) || !strings.Contains(a.body, "日期也请核实") {
		t.Fatalf("the confirm answered %d:\n%s", a.code, a.body)
	}
	if r := w.review(mine.ID); r.State != fieldlog.Returned || len(r.Thread) != 2 {
		t.Errorf("the review is %+v, want the second return waiting", r)
	}
}

// A confirm posted from a page shown before the coordinator returned the
// record again answers nothing: the page counted the notes it showed.
func TestAConfirmFromAPageShownBeforeANewReturn(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mine := w.logged(officer, "mine0003")
	if _, err := w.office.Return(ctx, coord, mine.ID, "人数请核实"); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	page := b.get("/web/r/mine0003").body
	if !strings.Contains(page, `name="seen" value="1"`) {
		t.Fatalf("the confirm form does not count the notes shown:\n%s", page)
	}
	if _, err := w.office.Return(ctx, coord, mine.ID, "日期也请核实"); err != nil {
		t.Fatal(err)
	}
	a := b.post("/web/r/mine0003/confirm", url.Values{"csrf": {b.csrf()}, "seen": {"1"}})
	if a.code != http.StatusConflict || !strings.Contains(a.body, "日期也请核实") || !strings.Contains(a.body, `name="seen" value="2"`) {
		t.Fatalf("the confirm answered %d:\n%s", a.code, a.body)
	}
	if r := w.review(mine.ID); r.State != fieldlog.Returned || len(r.Thread) != 2 {
		t.Fatalf("the review is %+v, want the second return waiting", r)
	}
	// From the page shown now, it confirms.
	if a := b.post("/web/r/mine0003/confirm", url.Values{"csrf": {b.csrf()}, "seen": {"2"}}); a.code != http.StatusSeeOther {
		t.Errorf("the confirm after reading: %d", a.code)
	}
}

// A confirm posted without the notes it showed (a page of before they
// were counted) confirms nothing: the record is shown again as it is.
func TestAConfirmWithoutSeenShowsTheRecord(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mine := w.logged(officer, "mine0004")
	if _, err := w.office.Return(ctx, coord, mine.ID, "人数请核实"); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	b.get("/web/r/mine0004")
	for _, seen := range []string{"", "x", "-3"} {
		v := url.Values{"csrf": {b.csrf()}}
		if seen != "" {
			v["seen"] = []string{seen}
		}
		a := b.post("/web/r/mine0004/confirm", v)
		if a.code != http.StatusConflict || !strings.Contains(a.body, htmlText(w.tr(fieldlog.Chinese, "web_form_stale"))) || !strings.Contains(a.body, `name="seen" value="1"`) {
			t.Errorf("seen %q: %d\n%s", seen, a.code, a.body)
		}
	}
	if r := w.review(mine.ID); r.State != fieldlog.Returned {
		t.Errorf("confirmed without the notes shown: %+v", r)
	}
}

// An edit form shown before the coordinator returned the record again
// saves the edit and answers nothing.
func TestAnEditFormShownBeforeANewReturn(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mine := w.logged(officer, "mine0005")
	if _, err := w.office.Return(ctx, coord, mine.ID, "人数请核实"); err != nil {
		t.Fatal(err)
	}
	b := w.signIn(officer)
	form := b.get("/web/r/mine0005/edit").body
	if !strings.Contains(form, `name="seen" value="1"`) {
		t.Fatalf("the edit form does not count the notes shown:\n%s", form)
	}
	if _, err := w.office.Return(ctx, coord, mine.ID, "日期也请核实"); err != nil {
		t.Fatal(err)
	}
	v := url.Values{"csrf": {b.csrf()}, "id": {"mine0005"}, "seen": {"1"}, "type": {"publicity/lecture"}, "date": {"2024-06-07"},
		"participants": {"35"}, "title": {"宣讲 mine0005"}}
	if a := b.postMultipart("/web/r/mine0005/edit", v); a.code != http.StatusSeeOther {
		t.Fatalf("the edit: %d\n%s", a.code, a.body)
	}
	if r := w.review(mine.ID); r.State != fieldlog.Returned || len(r.Thread) != 2 {
		t.Errorf("the review is %+v, want the second return waiting", r)
	}
	if a, _ := w.store.Activity(ctx, mine.ID); a.Participants.Value != 35 {
		t.Errorf("the edit was not stored: %+v", a.Participants)
	}
}
