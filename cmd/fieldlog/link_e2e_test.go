package main

// Issue 12, §1: an officer may have only the web, or both. One who joined
// on the page with an invitation code links a Telegram account from it,
// and is then one user in both: what they logged on the page is theirs in
// the chat.

import (
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
	"fieldlog/web/browsertest"
)

func TestAWebOfficerLinksTelegram(t *testing.T) {
	a, px, b := startWebApp(t)
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin", LanguageCode: "zh-hans"}
	a.say(admin, "/start", a.chooseLanguage())
	a.tap(admin, "中文")
	code := a.invite(admin, zh, a.tr(zh, "role_officer"), "乌审旗", "苏力德苏木", "塔拉乌素嘎查")

	// Joins on the page, without Telegram, and logs an activity there.
	b.Navigate(px.URL + "/web/")
	b.Fill("#code", code)
	b.Type("#name", "乌兰")
	b.Click(`form[action="/web/join"] button`)
	b.WaitVisible(`a[href="/web/log"]`)
	b.Navigate(px.URL + "/web/log")
	b.WaitVisible("#title")
	browsertest.Eval[bool](b, `(document.querySelector('#type').value = 'publicity/lecture') !== ''`)
	b.Fill("#date", "6月7日")
	b.Fill("#participants", "30")
	b.Type("#title", "网页版先记的宣讲")
	b.Click(`form[enctype] button[type="submit"]`)
	b.WaitVisible("div.record")

	// The home page offers a link for Telegram.
	linkTelegram := func() string {
		t.Helper()
		b.Navigate(px.URL + "/web/")
		b.Click(`form[action="/web/telegram"] button`)
		b.WaitVisible("#telegram-command")
		cmd := b.Text("#telegram-command")
		payload, ok := strings.CutPrefix(cmd, "/start ")
		if !ok || len(payload) > 64 {
			t.Fatalf("the command to send is %q", cmd)
		}
		if got, want := b.Text("#telegram-link"), "https://t.me/"+a.srv.BotUsername()+"?start="+payload; got != want {
			t.Errorf("the deep link is %q, want %q", got, want)
		}
		return cmd
	}
	cmd := linkTelegram()
	b.Screenshot("web-telegram-link-zh")

	// A new Telegram account sends it: it is the web officer now, by the
	// name given on the page, and their record is in /my.
	phone := bottest.User{ID: 7000061, FirstName: "Ulaan", LanguageCode: "en"}
	a.say(phone, cmd, a.tr(zh, "telegram_linked"))
	a.waitText(phone, a.msg(zh, "welcome", "Name", "乌兰", "Role", a.tr(zh, "role_officer"), "Unit", "塔拉乌素嘎查"))
	a.srv.SendText(phone, "/my")
	a.srv.WaitFor(t, phone.ID, func(m bottest.Message) bool { return strings.Contains(m.Text, "网页版先记的宣讲") }, 15*time.Second)
	// The same command again (sent twice, or a retried update) says the same.
	a.say(phone, cmd, a.tr(zh, "telegram_linked"))

	b.Navigate(px.URL + "/web/")
	if got := b.Text("section.telegram"); !strings.Contains(got, a.tr(zh, "web_telegram_linked")) {
		t.Errorf("the home page after linking says %q", got)
	}
	if got := b.Text("h1"); got != "乌兰" { // not the Telegram account's name
		t.Errorf("the officer's name after writing from Telegram is %q", got)
	}
	b.Screenshot("web-home-linked-zh")

	// An account that joined itself is not taken over, nor is a link used
	// or made up.
	a.say(admin, linkTelegram(), a.tr(zh, "telegram_link_in_use"))
	stranger := bottest.User{ID: 7000062, FirstName: "S", LanguageCode: "zh-hans"}
	a.say(stranger, cmd, a.tr(zh, "telegram_link_invalid"))
	a.say(stranger, "/start link-made-up", a.tr(zh, "telegram_link_invalid"))
	a.say(admin, "/my", a.tr(zh, "list_empty"))
}
