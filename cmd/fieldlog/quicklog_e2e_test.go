package main

// End-to-end tests of an activity logged in one message (issue 11): the
// sentence an officer would write in WeChat, read by the real parser
// (parse.Activity), walked from its card to a saved record.

import (
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
)

// The example sentence, and the same activity in Mongolian (date as
// "6 ᠰᠠᠷ᠎ᠠ ᠶᠢᠨ 7", the unit's Mongolian name with its dative suffix, the
// catalogue's Mongolian name of the type, 80 ᠭᠠᠷᠤᠢ for 80余).
const (
	lectureZh = "6月7日在独贵龙社区开展政策宣讲，80余人参加"
	lectureMn = "6 ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 7 ᠳᠤᠭᠤᠶᠢᠯᠠᠩ ᠬᠣᠷᠢᠶᠠᠯᠠᠯ\u202fᠳᠤ ᠪᠣᠳᠣᠯᠭ\u180eᠠ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180eᠠ ᠶᠠᠪᠤᠭᠤᠯᠪᠠ᠂ 80 ᠭᠠᠷᠤᠢ ᠬᠦᠮᠦᠨ ᠣᠷᠣᠯᠴᠠᠪᠠ᠃"
)

// cardLine is a line of a draft's card: a label id and its value.
type cardLine struct{ label, value string }

// checkCard compares a card (lead, a blank line, its fields) line by line
// with want. The title is whatever the parser leaves of the sentence, so
// its line is checked apart: it must hold titleHas and none of the phrases
// read into other fields.
func (a *app) checkCard(l fieldlog.Lang, got, lead string, want []cardLine, titleHas string, notInTitle ...string) {
	a.t.Helper()
	lines := []string{lead, ""}
	for _, w := range want {
		lines = append(lines, a.tr(l, w.label)+w.value)
	}
	gotLines := strings.Split(got, "\n")
	if len(gotLines) != len(lines) {
		a.t.Fatalf("card:\n%s\nwant %d lines like:\n%s", got, len(lines), strings.Join(lines, "\n"))
	}
	for i, g := range gotLines {
		if i >= 2 && want[i-2].label == "label_title" {
			title, ok := strings.CutPrefix(g, a.tr(l, "label_title"))
			if !ok || !strings.Contains(title, titleHas) {
				a.t.Errorf("title line %q, want a title with %q", g, titleHas)
			}
			for _, p := range notInTitle {
				if strings.Contains(title, p) {
					a.t.Errorf("title %q keeps %q, which the card shows elsewhere", title, p)
				}
			}
			continue
		}
		if g != lines[i] {
			a.t.Errorf("card line %d is %q, want %q; card:\n%s", i, g, lines[i], got)
		}
	}
}

func TestOneSentenceLogsAnActivityInChinese(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	card := func(people string) []cardLine {
		return []cardLine{{"label_section", "宣传教育"}, {"label_type", "宣讲活动"}, {"label_date", "2024年6月7日"},
			{"label_participants", people}, {"label_title", ""}, {"label_place", "独贵龙社区"}, {"label_photos", "0"}}
	}
	// Everything is in the sentence: the card is the summary at once.
	sum := a.sayLead(officer, lectureZh, a.tr(zh, "check_summary"))
	a.checkCard(zh, sum.Text, a.tr(zh, "check_summary"), card("80余人"), "政策宣讲", "6月7日", "80余", "独贵龙社区")
	if got := sum.ButtonTexts(); len(got) != 2 || strings.Join(got[0], "|") != a.tr(zh, "btn_save")+"|"+a.tr(zh, "btn_change") {
		t.Errorf("summary buttons %q", got)
	}
	// Change a field as in /log, then save.
	a.tapThen(officer, a.tr(zh, "btn_change"), a.tr(zh, "ask_change"))
	a.tapThen(officer, a.tr(zh, "field_participants"), a.tr(zh, "ask_participants"))
	sum = a.sayLead(officer, "85", a.tr(zh, "check_summary"))
	a.checkCard(zh, sum.Text, a.tr(zh, "check_summary"), card("85人"), "政策宣讲")
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))
	a.waitText(officer, a.tr(zh, "saved_next"))

	list := a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(officer, list.InlineKeyboard[0][0].Text)
	rec := a.waitContaining(officer, "\n"+a.tr(zh, "label_reporter")+"Bat\n")
	for _, want := range []string{"\n" + a.tr(zh, "label_date") + "2024年6月7日\n", "\n" + a.tr(zh, "label_participants") + "85人\n", "\n" + a.tr(zh, "label_type") + "宣讲活动\n"} {
		if !strings.Contains(rec.Text, want) {
			t.Errorf("the saved record lacks %q:\n%s", want, rec.Text)
		}
	}
}

func TestOneSentenceLogsAnActivityInMongolian(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Mongolian)
	mn := fieldlog.Mongolian
	section, typ := labels(t, mn, "publicity", "lecture")
	unit := unitName(t, "duguilang", mn)
	sum := a.sayLead(officer, lectureMn, a.tr(mn, "check_summary"))
	a.checkCard(mn, sum.Text, a.tr(mn, "check_summary"), []cardLine{{"label_section", section}, {"label_type", typ},
		{"label_date", a.date(mn, fieldlog.Date{Year: 2024, Month: 6, Day: 7})},
		{"label_participants", a.msg(mn, "count_approx", "N", 80, "Unit", a.tr(mn, "people"))},
		{"label_title", ""}, {"label_place", unit}, {"label_photos", "0"}}, "ᠪᠣᠳᠣᠯᠭ\u180eᠠ", "ᠰᠠᠷ\u180eᠠ", "80", "ᠳᠤᠭᠤᠶᠢᠯᠠᠩ")
	a.tapThenLead(officer, a.tr(mn, "btn_save"), a.tr(mn, "saved"))
	a.waitText(officer, a.tr(mn, "saved_next"))
	a.sayLead(officer, "/my", a.msg(mn, "list_own", "Page", 1, "Pages", 1, "Total", 1))
}

// A photo whose caption is the sentence: the photo is in the draft, and
// what the sentence lacks (here the participants) is asked.
func TestAPhotoWithTheSentenceAsItsCaption(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	_, photo := a.srv.SendPhoto(officer, "昨天在独贵龙社区开展政策宣讲")
	understood := a.waitLead(officer, a.tr(zh, "quick_understood"))
	a.checkCard(zh, understood.Text, a.tr(zh, "quick_understood"), []cardLine{{"label_section", "宣传教育"}, {"label_type", "宣讲活动"},
		{"label_date", "2024年6月19日"}, {"label_participants", "—"}, {"label_title", ""}, {"label_place", "独贵龙社区"}, {"label_photos", "1"}},
		"政策宣讲", "昨天", "独贵龙社区")
	a.waitText(officer, a.tr(zh, "ask_participants"))
	a.say(officer, "很多", a.tr(zh, "count_not_number"))
	a.waitText(officer, a.tr(zh, "ask_participants"))
	sum := a.sayLead(officer, "约60", a.tr(zh, "check_summary"))
	if !strings.Contains(sum.Text, "\n"+a.tr(zh, "label_participants")+"60余人\n") {
		t.Errorf("summary:\n%s", sum.Text)
	}
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))

	list := a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(officer, list.InlineKeyboard[0][0].Text)
	a.waitContaining(officer, "\n"+a.tr(zh, "label_reporter")+"Bat\n")
	a.tap(officer, a.msg(zh, "btn_show_photos", "Count", 1))
	if m := a.srv.WaitFor(t, officer.ID, func(m bottest.Message) bool { return m.Photo != nil }, 15*time.Second); m.Photo.ID != photo {
		t.Errorf("the record's photo is %q, want the one sent with the sentence, %q", m.Photo.ID, photo)
	}
}

// Text that is clearly no activity gets the menu hint as before the
// parser, and starts no draft: the next sentence is read anew.
func TestTextThatIsNoActivityGetsTheMenu(t *testing.T) {
	a, _, _, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	for _, text := range []string{"你好", "怎么记录活动？", "好的", "ok"} {
		if m := a.say(officer, text, a.tr(zh, "hint_use_menu")); len(m.ReplyKeyboard) == 0 {
			t.Errorf("%q: the hint comes without the menu", text)
		}
	}
	a.say(officer, "/cancel", a.tr(zh, "nothing_to_cancel"))
}
