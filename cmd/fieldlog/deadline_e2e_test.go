package main

// Deadlines, reminders, the coordinator's review and locking, end to end
// through the fake Bot API, in both languages.

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot"
	"fieldlog/bot/bottest"
	"fieldlog/units"
)

// langs are the two languages every flow is walked in.
var langs = []fieldlog.Lang{fieldlog.Chinese, fieldlog.Mongolian}

// switchLang moves u to l with /lang.
func (a *app) switchLang(u bottest.User, l fieldlog.Lang) {
	a.t.Helper()
	a.say(u, "/lang", a.chooseLanguage())
	label := "中文"
	if l == fieldlog.Mongolian {
		label = "ᠮᠣᠩᠭᠣᠯ"
	}
	a.tapThen(u, label, a.tr(l, "language_set"))
}

// period is the first half-year of 2024 as the bot names it in l.
func (a *app) period(l fieldlog.Lang) string { return a.msg(l, "period_h1", "Year", 2024) }

// restartAt stops the bot, sets its clock to at, and starts it again: a
// reminder wave starts with the process when it is past 09:00.
func (a *app) restartAt(at time.Time) *app {
	a.t.Helper()
	a.stop()
	clockOf(a.t).set(at)
	return startAppLimited(a.t, a.srv, a.env, a.limits)
}

// galutuVillages are the villages of 嘎鲁图镇 in the order the bot lists them.
func galutuVillages(t *testing.T) []fieldlog.UnitID {
	t.Helper()
	list, err := units.ReadFile(filepath.Join("..", "..", "deploy", "units.sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return fieldlog.NewTree(list).Children("galutu")
}

func cst(m time.Month, d, h, min int) time.Time {
	return time.Date(2024, m, d, h, min, 0, 0, testStart.Location())
}

// TestDeadlineRemindersReviewAndLocking walks issue 8 as its users live
// it, once in Chinese and once in Mongolian: the coordinator sets the
// township's deadline, an officer logs, the coordinator returns the record
// and the officer confirms it; a day before the deadline the officer is
// reminded and the coordinator gets one digest, once however often the bot
// restarts; after the deadline the record is locked until the coordinator
// reopens the half-year.
func TestDeadlineRemindersReviewAndLocking(t *testing.T) {
	for _, l := range langs {
		t.Run(string(l), func(t *testing.T) {
			a, _, coord, officer := setUp(t, l)
			if l == fieldlog.Mongolian {
				a.switchLang(coord, l)
			}
			town := unitName(t, "galutu", l)
			village := unitName(t, "duguilang", l)
			date := func(m time.Month, d int) string { return a.date(l, fieldlog.Date{Year: 2024, Month: m, Day: d}) }

			// 1. The coordinator sees the deadlines in force and sets the township's.
			lines := []string{a.msg(l, "deadline_list", "Period", a.period(l)),
				a.msg(l, "deadline_default", "Unit", town, "Date", date(6, 25))}
			for _, v := range galutuVillages(t) {
				lines = append(lines, a.msg(l, "deadline_default", "Unit", unitName(t, v, l), "Date", date(6, 25)))
			}
			a.say(coord, "/deadline", strings.Join(lines, "\n"))
			a.tapThen(coord, a.tr(l, "btn_set_deadline"), a.tr(l, "ask_report_period"))
			ask := a.msg(l, "ask_deadline_date", "Unit", town, "Period", a.period(l))
			a.tapThen(coord, a.period(l), ask)
			a.say(coord, "2024-06-01", a.msg(l, "deadline_past", "Earliest", date(6, 20)))
			a.waitText(coord, ask)
			a.say(coord, "2024-06-28", a.msg(l, "deadline_set", "Unit", town, "Period", a.period(l), "Date", date(6, 28)))
			a.say(officer, "/deadline", a.msg(l, "deadline_list", "Period", a.period(l))+"\n"+
				a.msg(l, "deadline_inherited", "Unit", village, "Date", date(6, 28), "From", town))

			// 5. The officer logs; the coordinator returns the record for checking.
			logLeaflets(a, officer, l)
			a.tapThenLead(officer, a.tr(l, "btn_save"), a.tr(l, "saved"))
			list := a.sayLead(coord, "/records", a.msg(l, "list_unit", "Page", 1, "Pages", 1, "Total", 1))
			a.tap(coord, list.InlineKeyboard[0][0].Text)
			a.waitContaining(coord, "\n"+a.tr(l, "label_reporter")+"Bat\n")
			a.tapThen(coord, a.tr(l, "btn_return"), a.msg(l, "ask_return_comment", "Max", fieldlog.MaxReviewComment))
			a.tapThen(coord, a.tr(l, "comment_people"), a.msg(l, "returned_done", "Name", "Bat"))
			a.waitLead(officer, a.msg(l, "returned_to_you", "Name", "王干事", "Comment", a.tr(l, "comment_people"))+"\n")
			list = a.sayLead(officer, "/my", a.msg(l, "list_own", "Page", 1, "Pages", 1, "Total", 1))
			if !strings.Contains(list.Text, "↩️ ") {
				t.Errorf("the officer's list does not mark the returned record:\n%s", list.Text)
			}
			a.tapThenLead(officer, a.tr(l, "btn_confirm_record"), a.tr(l, "review_confirmed")+"\n")
			a.waitText(coord, a.msg(l, "review_confirmed_by", "Name", "Bat", "Title", "政策赶大集 🎉"))
			// Returned again with a typed reason, the officer corrects it
			// from the message.
			list = a.sayLead(coord, "/records", a.msg(l, "list_unit", "Page", 1, "Pages", 1, "Total", 1))
			a.tap(coord, list.InlineKeyboard[0][0].Text)
			a.waitContaining(coord, "\n"+a.tr(l, "label_reporter")+"Bat\n")
			a.tapThen(coord, a.tr(l, "btn_return"), a.msg(l, "ask_return_comment", "Max", fieldlog.MaxReviewComment))
			a.say(coord, "日期请核实", a.msg(l, "returned_done", "Name", "Bat"))
			a.waitLead(officer, a.msg(l, "returned_to_you", "Name", "王干事", "Comment", "日期请核实")+"\n")
			a.tapThenLead(officer, a.tr(l, "btn_edit"), a.tr(l, "check_summary"))
			a.tapThenLead(officer, a.tr(l, "btn_save"), a.tr(l, "saved"))
			a.waitText(coord, a.msg(l, "review_corrected_by", "Name", "Bat", "Title", "政策赶大集 🎉"))

			// 2, 3. On 27 June, a day before the deadline, the officer (who
			// last logged a week ago) is reminded; the coordinator gets one
			// digest of the villages below them.
			a = a.restartAt(cst(6, 27, 9, 30))
			reminder := a.waitText(officer, a.msg(l, "reminder_due", "Period", a.period(l), "Days", 1, "Date", date(6, 28), "Count", 1))
			var digest []string
			for _, v := range galutuVillages(t) {
				if v == "duguilang" {
					digest = append(digest, a.msg(l, "digest_thin", "Unit", unitName(t, v, l), "Count", 1))
				} else {
					digest = append(digest, a.msg(l, "digest_silent", "Unit", unitName(t, v, l)))
				}
			}
			a.waitText(coord, a.msg(l, "digest", "Period", a.period(l), "Date", date(6, 28), "Days", 1, "Unit", town,
				"List", strings.Join(digest, "\n")))
			// A restart the same morning sends nobody anything twice.
			count := func() int { return len(a.srv.Messages(officer.ID)) + len(a.srv.Messages(coord.ID)) }
			before := count()
			a = a.restartAt(cst(6, 27, 9, 45))
			waitLogged(t, a, "reminders of the day")
			a.say(officer, "/remind", a.msg(l, "remind_usage", "Off", false))
			if n := count() - before; n != 1 {
				t.Errorf("after a restart the bot sent %d messages, want only the answer to /remind", n)
			}
			// The reminder's button starts logging.
			if _, err := a.srv.Tap(officer, reminder.ID, a.tr(l, "btn_log_now")); err != nil {
				t.Fatal(err)
			}
			a.waitText(officer, a.tr(l, "ask_section"))
			a.say(officer, "/cancel", a.tr(l, "cancelled"))

			// 3. On the deadline day the coordinator gets the final summary.
			a = a.restartAt(cst(6, 28, 9, 30))
			a.waitText(coord, a.msg(l, "digest_final", "Period", a.period(l), "Date", date(6, 28), "Unit", town,
				"Total", 1, "Silent", len(digest)-1)+"\n"+strings.Join(digest, "\n"))

			// 6. After the deadline the record is locked; the coordinator reopens.
			a = a.restartAt(cst(6, 29, 10, 0))
			closed := a.msg(l, "period_closed", "Period", a.period(l), "Date", date(6, 28),
				"Whom", a.msg(l, "whom_one", "Name", "王干事", "Unit", town))
			list = a.sayLead(officer, "/my", a.msg(l, "list_own", "Page", 1, "Pages", 1, "Total", 1))
			a.tap(officer, list.InlineKeyboard[0][0].Text)
			a.waitContaining(officer, "\n"+a.tr(l, "label_reporter")+"Bat\n")
			a.tapThen(officer, a.tr(l, "btn_edit"), closed)
			a.say(coord, "/deadline", strings.Join(append([]string{lines[0],
				a.msg(l, "deadline_own", "Unit", town, "Date", date(6, 28))}, inherited(t, a, l, town, date(6, 28))...), "\n"))
			a.tapThen(coord, a.tr(l, "btn_reopen"), a.tr(l, "ask_report_period"))
			a.tapThen(coord, a.period(l), a.msg(l, "ask_reopen_days", "Unit", town, "Period", a.period(l), "Max", 30))
			a.tap(coord, a.msg(l, "btn_days", "N", 3))
			// Three days from when the button was pressed, to the minute.
			reopened := func(at time.Time) string {
				at = at.Add(72 * time.Hour).In(testStart.Location())
				return a.msg(l, "reopened", "Unit", town, "Period", a.period(l), "Until", a.msg(l, "time_format",
					"Date", date(at.Month(), at.Day()), "H", at.Hour(), "M", fmt.Sprintf("%02d", at.Minute())))
			}
			now := clockOf(t).now()
			a.srv.WaitFor(t, coord.ID, func(m bottest.Message) bool {
				return m.Text == reopened(now) || m.Text == reopened(now.Add(-time.Minute))
			}, 15*time.Second)
			a.tapThenLead(officer, a.tr(l, "btn_edit"), a.tr(l, "check_summary"))
		})
	}
}

// inherited is the deadline lines of the villages of 嘎鲁图镇 that follow
// the township's.
func inherited(t *testing.T, a *app, l fieldlog.Lang, town, date string) []string {
	var out []string
	for _, v := range galutuVillages(t) {
		out = append(out, a.msg(l, "deadline_inherited", "Unit", unitName(t, v, l), "Date", date, "From", town))
	}
	return out
}

// TestRemindersInsideTelegramsLimits runs a reminder wave with Telegram's
// limits in the bot and in the fake Bot API: 40 officers, a third of them
// reading Mongolian, and their coordinator. One officer has blocked the
// bot; one taps the reminder's button at once and logs while the wave
// goes on; Telegram answers one send with a 429. Every reminder arrives
// once, no limit is crossed, the blocked officer is asked once and then
// left alone until they write again.
func TestRemindersInsideTelegramsLimits(t *testing.T) {
	srv := bottest.New(t, bottest.WithLimits())
	env := testEnv(t, srv)
	joinOfficers(t, srv, env, 40)
	coord := fieldlog.User{ID: 7000002, ChatID: 7000002, Name: "王干事", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator,
		UnitID: "galutu", JoinedAt: cst(3, 1, 10, 0)}
	seedUsers(t, srv, env, coord)
	const blocked, eager = 8_000_001, 8_000_003 // Chinese; Mongolian (i%3 == 0)
	srv.Block(blocked)
	srv.FailNext("sendMessage", 1, 429, 1)
	clockOf(t).set(cst(6, 18, 9, 0)) // seven days before 25 June
	a := startAppLimited(t, srv, env, bot.Limits{})
	mn := fieldlog.Mongolian
	user := func(id int64) bottest.User { return bottest.User{ID: id, FirstName: "officer"} }
	remindIn := func(l fieldlog.Lang, days, _ int) string {
		return a.msg(l, "reminder_due_none", "Period", a.period(l), "Days", days, "Date", a.date(l, fieldlog.Date{Year: 2024, Month: 6, Day: 25}))
	}
	reminder := a.waitText(user(eager), remindIn(mn, 7, 25))
	if _, err := a.srv.Tap(user(eager), reminder.ID, a.tr(mn, "btn_log_now")); err != nil {
		t.Fatal(err)
	}
	a.waitText(user(eager), a.tr(mn, "ask_section"))
	section, _ := labels(t, mn, "publicity", "leaflets")
	a.tap(user(eager), section)

	// Everyone else gets theirs, once; the blocked officer is asked once.
	for i := range 40 {
		id := int64(8_000_000 + i)
		if id == blocked || id == eager {
			continue
		}
		l := fieldlog.Chinese
		if i%3 == 0 {
			l = mn
		}
		a.waitText(user(id), remindIn(l, 7, 25))
	}
	a.srv.WaitFor(t, coord.ID, func(m bottest.Message) bool {
		return strings.HasPrefix(m.Text, a.msg(fieldlog.Chinese, "digest",
			"Period", a.period(fieldlog.Chinese), "Date", a.date(fieldlog.Chinese, fieldlog.Date{Year: 2024, Month: 6, Day: 25}),
			"Days", 7, "Unit", unitName(t, "galutu", fieldlog.Chinese), "List", ""))
	}, 15*time.Second)
	waitLogged(t, a, "reminders of the day")
	if n := srv.TooManyRequests(); n != 1 {
		t.Errorf("the fake answered 429 %d times, want only the one it was told to", n)
	}
	if n := srv.Forbidden(); n != 1 {
		t.Errorf("the blocked officer was tried %d times, want once", n)
	}
	for i := range 40 {
		if id := int64(8_000_000 + i); id != blocked {
			if n := len(srv.Messages(id)); n != 1 && id != eager {
				t.Errorf("officer %d got %d messages, want 1", id, n)
			}
		}
	}

	// Two officers pause their reminders.
	const paused, pausedMn = 8_000_004, 8_000_009 // Chinese; Mongolian
	a.say(user(paused), "/remind off", a.tr(fieldlog.Chinese, "remind_off"))
	a.say(user(pausedMn), "/remind off", a.tr(mn, "remind_off"))
	stillPaused := func() {
		t.Helper()
		if got := srv.Last(paused).Text; got != a.tr(fieldlog.Chinese, "remind_off") {
			t.Errorf("after /remind off the officer got %q", got)
		}
		if got := srv.Last(pausedMn).Text; got != a.tr(mn, "remind_off") {
			t.Errorf("after /remind off the Mongolian officer got %q", got)
		}
	}

	// Three days before: the blocked officer is not tried again, the
	// paused one is left alone.
	a = a.restartAt(cst(6, 22, 9, 0))
	a.waitText(user(8_000_002), remindIn(fieldlog.Chinese, 3, 25))
	waitLogged(t, a, "reminders of the day")
	if n := srv.Forbidden(); n != 1 {
		t.Errorf("the blocked officer was tried %d times in all, want once", n)
	}
	stillPaused()
	// They write again (which unblocks on Telegram) and are reminded the
	// day before.
	a.sayLead(user(blocked), "/help", a.tr(fieldlog.Chinese, "help_intro"))
	a = a.restartAt(cst(6, 24, 9, 0))
	a.waitText(user(blocked), remindIn(fieldlog.Chinese, 1, 25))

	// 4. Silent since they joined on 1 March, the officers get a nudge in
	// September, far from any deadline, in their language; the paused one
	// does not.
	a = a.restartAt(cst(9, 2, 9, 0))
	a.waitText(user(8_000_002), a.msg(fieldlog.Chinese, "nudge", "Days", 185))
	a.waitText(user(8_000_006), a.msg(mn, "nudge", "Days", 185))
	waitLogged(t, a, "reminders of the day")
	stillPaused()
	// A restart the same day nudges nobody again.
	before := srv.Calls("sendMessage")
	a = a.restartAt(cst(9, 2, 10, 0))
	waitLogged(t, a, "reminders of the day")
	a.say(user(8_000_002), "/remind", a.msg(fieldlog.Chinese, "remind_usage", "Off", false))
	if n := srv.Calls("sendMessage") - before; n != 1 {
		t.Errorf("a restart on the day of the nudges sent %d messages, want only the answer to /remind", n)
	}
}

// waitLogged waits for the bot to log msg.
func waitLogged(t *testing.T, a *app, msg string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(a.logs.String(), `msg="`+msg+`"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the bot did not log %q", msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
