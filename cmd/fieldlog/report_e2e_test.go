package main

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/xuri/excelize/v2"

	"fieldlog"
	"fieldlog/bot/bottest"
	"fieldlog/parse"
)

// logToday logs one activity of a type dated today, with participants and
// (for types that count things) a quantity.
func logToday(a *app, u bottest.User, l fieldlog.Lang, sectionID, typeID, people, qty, title string) {
	a.t.Helper()
	section, typ := labels(a.t, l, sectionID, typeID)
	a.say(u, "/log", a.tr(l, "ask_section"))
	a.tap(u, section)
	a.tap(u, typ)
	a.tap(u, a.tr(l, "btn_today"))
	askTitle := a.msg(l, "ask_title", "Max", parse.MaxTitle)
	if qty != "" {
		a.say(u, people, a.askQuantity(l, sectionID, typeID))
		a.say(u, qty, askTitle)
	} else {
		a.say(u, people, askTitle)
	}
	a.say(u, title, a.msg(l, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos))
	a.tapThenLead(u, a.tr(l, "btn_skip_photos"), a.tr(l, "check_summary"))
	a.tapThenLead(u, a.tr(l, "btn_save"), a.tr(l, "saved"))
}

// documents waits until the chat has n documents and returns them.
func documents(t *testing.T, a *app, chat int64, n int) []bottest.Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if docs := a.srv.Documents(chat); len(docs) >= n {
			return docs
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("chat %d has %d documents, want %d", chat, len(a.srv.Documents(chat)), n)
	return nil
}

// docxText is the text of word/document.xml, tags and the word joiners
// that keep figures on one line removed.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("docx is not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			var out strings.Builder
			in := false
			for _, r := range string(b) {
				switch {
				case r == '<':
					in = true
				case r == '>':
					in = false
				case !in && r != '\u2060':
					out.WriteRune(r)
				}
			}
			return out.String()
		}
	}
	t.Fatal("docx has no word/document.xml")
	return ""
}

func TestReportNoteAndStatusInChinese(t *testing.T) {
	a, admin, coord, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	logToday(a, officer, zh, "publicity", "leaflets", "80余", "1200", "政策赶大集")
	logToday(a, officer, zh, "publicity", "leaflets", "20", "300", "入户宣传")
	logToday(a, officer, zh, "publicity", "lecture", "45", "", "夏季宣讲")
	periodName := a.msg(zh, "period_h1", "Year", 2024) // the bot's clock says 20 June 2024

	// Officers do not compile reports.
	a.say(officer, "/report", a.tr(zh, "not_allowed"))
	a.say(officer, "/status", a.tr(zh, "not_allowed"))

	// The coordinator writes a problem for the report.
	problems := a.tr(zh, "btn_problems")
	noteList := func(lines ...string) string {
		list := a.tr(zh, "note_empty")
		if len(lines) > 0 {
			list = strings.Join(lines, "\n")
		}
		return a.msg(zh, "note_list", "Part", problems, "List", list)
	}
	a.say(coord, "/note", a.tr(zh, "ask_report_period"))
	a.tapThen(coord, periodName, a.msg(zh, "ask_note_kind", "Unit", "嘎鲁图镇", "Period", periodName))
	a.tapThen(coord, problems, noteList())
	a.say(coord, "部分嘎查宣传覆盖面不够广", a.msg(zh, "note_added", "N", 1))
	a.waitText(coord, noteList("1. 部分嘎查宣传覆盖面不够广"))
	a.say(coord, "临时段落", a.msg(zh, "note_added", "N", 2))
	a.waitText(coord, noteList("1. 部分嘎查宣传覆盖面不够广", "2. 临时段落"))
	if ans := a.tap(coord, "🗑 2"); ans.Text != a.msg(zh, "note_deleted", "N", 2) {
		t.Errorf("deleting paragraph 2 answered %q, want %q", ans.Text, a.msg(zh, "note_deleted", "N", 2))
	}
	a.waitText(coord, noteList("1. 部分嘎查宣传覆盖面不够广"))
	a.tapThen(coord, a.tr(zh, "btn_done"), a.tr(zh, "note_done"))

	// The report: messages, a Word file and a ledger.
	a.say(coord, a.tr(zh, "menu_report"), a.tr(zh, "ask_report_period"))
	a.tap(coord, periodName)
	title := a.waitLead(coord, "嘎鲁图镇"+periodName+"统战工作开展情况")
	for _, want := range []string{"开展宣讲活动1场，受众45人次；发放宣传资料1500份。", "部分嘎查宣传覆盖面不够广", "暂未填写下一步计划"} {
		if !strings.Contains(title.Text, want) {
			t.Errorf("report message lacks %q:\n%s", want, title.Text)
		}
	}
	if strings.Contains(title.Text, "临时段落") {
		t.Error("a deleted note paragraph is in the report")
	}
	// Issue 10, point 6: the text a clerk copies is the report itself, its
	// headings bold (Telegram HTML) rather than marked.
	if strings.Contains(title.Text, "■") || title.ParseMode != "HTML" {
		t.Errorf("report message (parse_mode %q) is not clean text:\n%s", title.ParseMode, title.Text)
	}
	bold := title.Formatted(models.MessageEntityTypeBold)
	wantBold := []string{"嘎鲁图镇" + periodName + "统战工作开展情况", "一、工作开展完成情况", "（一）宣传教育", "二、存在的问题", "三、下一步计划"}
	if !slices.Equal(bold, wantBold) {
		t.Errorf("bold in the report: %q, want the title and headings %q", bold, wantBold)
	}
	docs := documents(t, a, coord.ID, 2)
	word, ledgerFile := docs[0].Document, docs[1].Document
	if !strings.HasSuffix(word.Name, ".docx") || !strings.HasSuffix(ledgerFile.Name, ".xlsx") {
		t.Fatalf("files: %q, %q", word.Name, ledgerFile.Name)
	}
	body := docxText(t, word.Data)
	for _, want := range []string{"嘎鲁图镇" + periodName + "统战工作开展情况", "一、工作开展完成情况", "发放宣传资料1500份", "二、存在的问题"} {
		if !strings.Contains(body, want) {
			t.Errorf("docx lacks %q", want)
		}
	}
	// The 落款 ends it: the unit and the bot's today.
	if !strings.HasSuffix(body, "嘎鲁图镇2024年6月20日") {
		t.Errorf("docx does not end with the unit and the day: …%s", string([]rune(body)[max(0, len([]rune(body))-40):]))
	}
	x, err := excelize.OpenReader(bytes.NewReader(ledgerFile.Data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Errorf("ledger has %d rows, want a header and 3 records", len(rows))
	}
	// Its per-type table has the figures of the report's sentence, and
	// the sentence: leaflets' participants are not the report's to state.
	sum, err := x.GetRows(x.GetSheetList()[1])
	if err != nil {
		t.Fatal(err)
	}
	leaflets := []string{"宣传资料", "2", "", "", "1500", "", "份", "发放宣传资料1500份"}
	if !slices.ContainsFunc(sum, func(r []string) bool { return slices.Equal(r, leaflets) }) {
		t.Errorf("ledger summary has no row %q:\n%q", leaflets, sum)
	}

	// Another township's report is not the coordinator's to compile.
	msg := withButton(t, a, coord.ID, "📄 中文")
	forged := strings.Replace(mustButton(t, msg, "📄 中文").Data, "galutu", "sulde", 1)
	if ans := a.srv.WaitAnswer(t, a.srv.TapData(coord, msg.ID, forged)); ans.Text != a.tr(zh, "not_allowed") {
		t.Errorf("forged report button: answer %q", ans.Text)
	}

	// Status: silent villages first, as text and as a chart.
	st := a.sayLead(coord, a.tr(zh, "menu_status"), a.msg(zh, "status_title", "Unit", "嘎鲁图镇", "Period", periodName))
	lines := strings.Split(st.Text, "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[1], "⚠️") || !strings.Contains(st.Text, "独贵龙社区：3 条") {
		t.Errorf("status text:\n%s", st.Text)
	}
	var chart *bottest.File
	for _, m := range a.srv.Messages(coord.ID) {
		if m.Photo != nil {
			chart = m.Photo
		}
	}
	if chart == nil || !bytes.HasPrefix(chart.Data, []byte("\x89PNG")) {
		t.Error("no status chart picture")
	}

	// The admin chooses the unit: the whole banner.
	a.say(admin, "/report", a.tr(zh, "ask_report_period"))
	a.tapThen(admin, periodName, a.msg(zh, "ask_report_unit", "Period", periodName))
	a.tap(admin, "乌审旗 ›")
	a.tap(admin, "✓ 乌审旗")
	a.waitLead(admin, "乌审旗"+periodName+"统战工作开展情况")
}

func TestReportForAMongolianCoordinator(t *testing.T) {
	a, _, coord, officer := setUp(t, fieldlog.Mongolian)
	mn, zh := fieldlog.Mongolian, fieldlog.Chinese
	logToday(a, officer, mn, "publicity", "leaflets", "80 ᠭᠠᠷᠤᠢ", "1200", "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ᠎ᠠ")
	a.say(coord, "/lang", a.chooseLanguage())
	a.tap(coord, "ᠮᠣᠩᠭᠣᠯ")
	a.waitText(coord, a.tr(mn, "language_set"))

	// Notes and status in Mongolian. The half-year is typed back as the
	// bot writes it.
	town := unitName(t, "galutu", mn)
	periodName := a.msg(mn, "period_h1", "Year", 2024) // the bot's clock says 20 June 2024
	a.say(coord, "/note", a.tr(mn, "ask_report_period"))
	a.say(coord, periodName, a.msg(mn, "ask_note_kind", "Unit", town, "Period", periodName))
	a.tapThen(coord, a.tr(mn, "btn_plans"), a.msg(mn, "note_list", "Part", a.tr(mn, "btn_plans"), "List", a.tr(mn, "note_empty")))
	a.say(coord, "ᠰᠤᠷᠭᠠᠯᠲᠠ ᠶᠢ ᠨᠡᠮᠡᠭᠳᠡᠭᠦᠯᠬᠦ", a.msg(mn, "note_added", "N", 1))
	a.waitText(coord, a.msg(mn, "note_list", "Part", a.tr(mn, "btn_plans"), "List", "1. ᠰᠤᠷᠭᠠᠯᠲᠠ ᠶᠢ ᠨᠡᠮᠡᠭᠳᠡᠭᠦᠯᠬᠦ"))
	a.tapThen(coord, a.tr(mn, "btn_done"), a.tr(mn, "note_done"))
	st := a.sayLead(coord, "/status", a.msg(mn, "status_title", "Unit", town, "Period", periodName))
	if !strings.Contains(st.Text, "⚠️ ᠰᠠᠷᠠᠭᠤᠯ") || strings.ContainsFunc(st.Text, func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }) {
		t.Errorf("Mongolian status:\n%s", st.Text)
	}

	a.say(coord, "/report", a.tr(mn, "ask_report_period"))
	a.say(coord, "ᠪᠤᠷᠤᠭᠤ", a.tr(mn, "period_not_understood"))
	a.srv.SendText(coord, "2024 H1")
	a.waitContaining(coord, town)
	msgs := a.srv.Messages(coord.ID)
	var text string
	for _, m := range msgs {
		text += m.Text + "\n"
	}
	for _, want := range []string{"1200", "ᠨᠢᠭᠡ᠂ ", "ᠰᠤᠷᠭᠠᠯᠲᠠ ᠶᠢ ᠨᠡᠮᠡᠭᠳᠡᠭᠦᠯᠬᠦ"} {
		if !strings.Contains(text, want) {
			t.Errorf("Mongolian report lacks %q:\n%s", want, text)
		}
	}
	docs := documents(t, a, coord.ID, 2)
	if body := docxText(t, docs[0].Document.Data); !strings.Contains(body, "统战工作开展情况") {
		t.Errorf("the official Word file of a Mongolian coordinator is not Chinese: %.200s", body)
	}
	// Issue 10, point 10: the bot says the Chinese file is the official
	// one, the Mongolian report being text only.
	a.waitText(coord, a.msg(mn, "report_ready_text_only", "Count", 1))
	// One tap gives the Chinese report.
	a.tapThenLead(coord, "📄 中文", "嘎鲁图镇"+a.msg(zh, "period_h1", "Year", 2024)+"统战工作开展情况")
	documents(t, a, coord.ID, 4)
	// The Mongolian one again: text, and the Chinese Word file, never a
	// horizontal Mongolian one.
	a.tap(coord, "📄 ᠮᠣᠩᠭᠣᠯ")
	docs = documents(t, a, coord.ID, 6)
	if body := docxText(t, docs[4].Document.Data); strings.Contains(body, "ᠭᠠᠯᠠᠭᠤᠲᠤ") || !strings.Contains(body, "统战工作开展情况") {
		t.Errorf("the Word file of the Mongolian report is not the Chinese one: %.300s", body)
	}
	for _, d := range a.srv.Documents(coord.ID) {
		if strings.HasSuffix(d.Document.Name, ".docx") && strings.ContainsFunc(d.Document.Name, func(r rune) bool { return r >= 0x1820 && r <= 0x18AA }) {
			t.Errorf("a Mongolian Word file was sent: %q", d.Document.Name)
		}
	}
}

// withButton is the newest message of chat with a button labelled label.
func withButton(t *testing.T, a *app, chat int64, label string) bottest.Message {
	t.Helper()
	msgs := a.srv.Messages(chat)
	for i := len(msgs) - 1; i >= 0; i-- {
		if _, ok := msgs[i].Button(label); ok {
			return msgs[i]
		}
	}
	t.Fatalf("no message with button %q in chat %d", label, chat)
	return bottest.Message{}
}
