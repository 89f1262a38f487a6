package main

// Issue 12 end to end: the bot's /web link opens the web page in a real
// (headless) browser, an officer logs an activity there in Chinese and in
// Mongolian, written vertically, and the bot's /my lists it at once.

import (
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
	"fieldlog/web/browsertest"
)

// startWebApp runs the bot with its web page behind a proxy, whose address
// is FIELDLOG_WEB_URL, and a headless browser (which fails the test under
// CI without Chromium, and skips it elsewhere).
func startWebApp(t *testing.T) (*app, *proxy, *browsertest.Browser) {
	b := browsertest.New(t)
	srv := bottest.New(t)
	env := testEnv(t, srv)
	px := newProxy(t)
	env["FIELDLOG_WEB_URL"] = px.URL
	a := startApp(t, srv, env)
	px.to(t, a.httpURL())
	return a, px, b
}

// signInOnTheWeb has u send /web and open its link in b, as a new user
// would: the link's page, then its button.
func (a *app) signInOnTheWeb(b *browsertest.Browser, px *proxy, u bottest.User, l fieldlog.Lang) {
	a.t.Helper()
	m := a.say(u, "/web", a.msg(l, "web_link", "Minutes", 10))
	link, ok := m.Button(a.tr(l, "btn_open_browser"))
	if !ok || !strings.HasPrefix(link.URL, px.URL+"/web/login?t=") {
		a.t.Fatalf("%s: /web buttons %+v", l, m.InlineKeyboard)
	}
	if _, ok := m.Button(a.tr(l, "btn_open_in_telegram")); ok {
		a.t.Errorf("%s: a Mini App button to an http address", l)
	}
	b.Navigate(link.URL)
	b.Click(`form[action="/web/login"] button`)
}

func TestWebPageFromTheBotInABrowser(t *testing.T) {
	a, px, b := startWebApp(t)
	zh, mn := fieldlog.Chinese, fieldlog.Mongolian

	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	for _, c := range []struct {
		lang  fieldlog.Lang
		user  bottest.User
		title string
		shot  string
	}{
		{zh, bottest.User{ID: 7000041, FirstName: "李"}, "网页版政策宣讲", "web-log-zh"},
		{mn, bottest.User{ID: 7000042, FirstName: "ᠪᠠᠲᠤ"}, "ᠪᠣᠳᠣᠯᠭ\u180Eᠠ\u202Fᠶᠢᠨ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ\u180Eᠠ", "web-log-mn"},
	} {
		a.join(c.user, c.lang, a.invite(admin, zh, a.tr(zh, "role_officer"), "乌审旗", "苏力德苏木", "塔拉乌素嘎查"))
		a.signInOnTheWeb(b, px, c.user, c.lang)
		b.WaitVisible(`a[href="/web/log"]`)
		b.Navigate(px.URL + "/web/log")
		b.WaitVisible("#title")
		if c.lang == mn {
			// Written vertically, the fields too; lines left to right.
			for _, sel := range []string{"body", "#title", "#date"} {
				if got := b.ComputedStyle(sel, "writing-mode"); got != "vertical-lr" {
					t.Errorf("writing-mode of %s: %q, want vertical-lr", sel, got)
				}
			}
			if w, h := b.Box("#title"); h <= w {
				t.Errorf("the title box is %.0f×%.0f: not written vertically", w, h)
			}
			b.Screenshot("web-form-mn")
		} else if got := b.ComputedStyle("body", "writing-mode"); got != "horizontal-tb" {
			t.Errorf("Chinese page writing-mode %q", got)
		}
		// Typed as in the bot: 6月7日, 80余, 十二 (in the Mongolian form's
		// place, to read a Chinese numeral there too).
		browsertest.Eval[bool](b, `(document.querySelector('#type').value = 'publicity/lecture') !== ''`)
		b.Fill("#date", "6月7日")
		if c.lang == mn {
			b.Fill("#participants", "十二")
		} else {
			b.Fill("#participants", "80余")
		}
		b.Type("#title", c.title)
		b.Click(`form[enctype] button[type="submit"]`)
		b.WaitVisible("div.record")
		if got := b.Text("div.record"); !strings.Contains(got, c.title) {
			t.Errorf("%s: the record's page shows %q", c.lang, got)
		}
		b.Screenshot(c.shot)

		// The bot lists it at once.
		a.srv.SendText(c.user, "/my")
		a.srv.WaitFor(t, c.user.ID, func(m bottest.Message) bool { return strings.Contains(m.Text, c.title) }, 15*time.Second)

		b.Click(`form[action="/web/logout"] button`)
		b.WaitVisible(`form[action="/web/join"]`)
	}
}

// On HTTPS the menu button of every chat, the main menu's last row and a
// button under /web's link open the page inside Telegram as a Mini App.
func TestWebPageAsAMiniApp(t *testing.T) {
	srv := bottest.New(t)
	env := testEnv(t, srv)
	env["FIELDLOG_WEB_URL"] = "https://fieldlog.example.cn/"
	a := startApp(t, srv, env)
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	var mb bottest.MenuButton
	waitFor := time.Now().Add(5 * time.Second)
	for ok := false; !ok && time.Now().Before(waitFor); time.Sleep(20 * time.Millisecond) {
		mb, ok = srv.MenuButtonOf("")
	}
	if mb.Type != "web_app" || mb.WebAppURL != "https://fieldlog.example.cn/web/" {
		t.Errorf("menu button %+v", mb)
	}
	m := a.say(admin, "/web", a.msg(zh, "web_link", "Minutes", 10))
	app, ok := m.Button(a.tr(zh, "btn_open_in_telegram"))
	if !ok || app.WebApp != "https://fieldlog.example.cn/web/" {
		t.Errorf("/web's Mini App button %+v", m.InlineKeyboard)
	}
	help := a.sayLead(admin, "/help", a.tr(zh, "help_intro"))
	if rows := help.ReplyKeyboard; len(rows) == 0 || rows[len(rows)-1][0] != a.tr(zh, "menu_web") {
		t.Errorf("the main menu's last row %q", rows)
	}
}
