package main

// Issue 12 end to end: a coordinator opens the web page from the bot's
// /web link in a real (headless) browser and reads the half-year report
// laid out for printing, with a record an officer logged in the bot; then
// in Mongolian, written vertically; and prints it, on A4 within GB/T
// 9704's margins, in the standard's sizes (web_report_pdf_test.go).

import (
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/bot/bottest"
)

func TestWebReportPageInABrowser(t *testing.T) {
	a, px, b := startWebApp(t)
	zh := fieldlog.Chinese

	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	coord := bottest.User{ID: 7000051, FirstName: "王干事", LanguageCode: "zh-hans"}
	officer := bottest.User{ID: 7000052, FirstName: "Bat", LanguageCode: "zh-hans"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	a.join(coord, zh, a.invite(admin, zh, a.tr(zh, "role_coordinator"), "乌审旗", "嘎鲁图镇"))
	a.join(officer, zh, a.invite(coord, zh, a.tr(zh, "role_officer"), "独贵龙社区"))

	// Logged in the bot: 80余 people, 1200 leaflets, 政策赶大集.
	logLeaflets(a, officer, zh)
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))

	a.signInOnTheWeb(b, px, coord, zh)
	b.WaitVisible(`a[href="/web/report"]`)
	b.Click(`a[href="/web/report"]`)
	b.WaitVisible("article.doc")
	doc := b.Text("article.doc")
	for _, want := range []string{"嘎鲁图镇", "政策赶大集", "1200"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the report page lacks %q:\n%s", want, doc)
		}
	}
	if got := b.ComputedStyle(".doc-title", "font-size"); got != "29.3333px" { // 22pt
		t.Errorf("the title's font size is %q, want 22pt", got)
	}
	if got := b.ComputedStyle(".doc-body", "font-size"); got != "21.3333px" { // 16pt
		t.Errorf("the body's font size is %q, want 16pt", got)
	}
	if !strings.Contains(b.Text("main"), a.tr(zh, "web_download_docx")) {
		t.Error("no Word download on the page")
	}
	b.Screenshot("web-report-zh")
	// Printed, in a subtest of its own: without poppler, outside CI, it
	// alone is skipped.
	pdf, title := b.PrintToPDF("web-report-zh"), b.Text(".doc-title")
	t.Run("printed-zh", func(t *testing.T) { checkPrintedChinese(t, pdf, title, doc) })

	// In Mongolian the page, and the report on it, are written vertically.
	mn := fieldlog.Mongolian
	a.switchLang(coord, mn)
	b.Navigate(px.URL + "/web/report")
	b.WaitVisible("article.doc")
	for _, sel := range []string{"body", "article.doc"} {
		if got := b.ComputedStyle(sel, "writing-mode"); got != "vertical-lr" {
			t.Errorf("writing-mode of %s: %q, want vertical-lr", sel, got)
		}
	}
	if w, h := b.Box(".doc-title"); h <= w {
		t.Errorf("the Mongolian title's box is %.0f×%.0f: not written vertically", w, h)
	}
	if doc = b.Text("article.doc"); !strings.Contains(doc, unitName(t, "galutu", mn)) || !strings.Contains(doc, "1200") {
		t.Errorf("the Mongolian report page:\n%s", doc)
	}
	b.Screenshot("web-report-mn")
	pdf = b.PrintToPDF("web-report-mn")
	t.Run("printed-mn", func(t *testing.T) { checkPrintedMongolian(t, pdf, doc, unitName(t, "galutu", mn), "1200", "2024") })

	// Laid out horizontally on the screen, the page still prints
	// vertically.
	b.Click(`a[href^="/web/layout?v=h"]`)
	b.WaitVisible("article.doc")
	if got := b.ComputedStyle("body", "writing-mode"); got != "horizontal-tb" {
		t.Errorf("writing-mode of the body, laid out horizontally: %q", got)
	}
	pdf = b.PrintToPDF("web-report-mn-from-horizontal")
	t.Run("printed-mn-from-horizontal", func(t *testing.T) {
		checkPrintedMongolian(t, pdf, doc, unitName(t, "galutu", mn), "1200", "2024")
	})
}
