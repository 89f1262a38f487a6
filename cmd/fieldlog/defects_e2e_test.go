package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/bot/bottest"
	"fieldlog/parse"
	"fieldlog/storage"
)

// openStore opens the store of a bot under test while the bot is stopped.
func openTestStore(t *testing.T, env map[string]string) *storage.Store {
	t.Helper()
	cfg := storage.Config{URI: env["MONGODB_URI"], Database: env["FIELDLOG_DB"], DataDir: env["FIELDLOG_DATA_DIR"]}
	s, err := storage.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Issue 6, item 2: the bot crashes after saving the step of a typed "45"
// and before forgetting the update. At the next start the update is handled
// again: it must change nothing and say nothing, not become the title.
func TestCrashAfterTheStepWasSavedReplaysNothing(t *testing.T) {
	srv := bottest.New(t)
	env := testEnv(t, srv)
	a := startApp(t, srv, env)
	zh := fieldlog.Chinese
	admin := bottest.User{ID: adminID, FirstName: "Admin"}
	officer := bottest.User{ID: 7000010, FirstName: "李"}
	a.logLectureUpToTheDate(admin, officer)
	a.say(officer, "6.20", a.tr(zh, "ask_participants"))
	id := a.srv.SendText(officer, "45")
	a.waitText(officer, a.msg(zh, "ask_title", "Max", parse.MaxTitle))
	a.stop()

	// What a crash between the two writes leaves: the step saved, the
	// update still in the inbox.
	upd, _ := a.srv.Update(id)
	payload, err := json.Marshal(&upd)
	if err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t, env)
	if _, err := s.Receive(context.Background(), fieldlog.IncomingUpdate{
		Key: fmt.Sprint("tg:", id), Seq: id, ChatID: officer.ID, Payload: payload, ReceivedAt: time.Now(),
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	before := len(a.srv.Messages(officer.ID))
	a = startApp(t, srv, env)
	// The replay is handled first on the officer's lane, so once the
	// title is answered it has been handled.
	a.say(officer, "夏季宣讲", a.msg(zh, "ask_photos", "Count", 0, "Max", fieldlog.MaxPhotos))
	if n := len(a.srv.Messages(officer.ID)) - before; n != 1 {
		t.Errorf("after the restart the bot sent %d messages, want only the answer to the title", n)
	}
	sum := a.tapThenLead(officer, a.tr(zh, "btn_skip_photos"), a.tr(zh, "check_summary"))
	for _, want := range []string{a.tr(zh, "label_participants") + "45人", a.tr(zh, "label_title") + "夏季宣讲"} {
		if !strings.Contains(sum.Text, "\n"+want+"\n") {
			t.Errorf("the summary lacks %q:\n%s", want, sum.Text)
		}
	}
	if !strings.Contains(a.logs.String(), fmt.Sprintf(`msg="input already applied; skipped" key=tg:%d`, id)) {
		t.Error("the replayed update was not recognised as applied")
	}
}

// Issue 6, item 1: five paragraphs of a thousand characters made a notes
// list Telegram refused, and the coordinator saw nothing. Every list must
// arrive (the fake Bot API refuses what Telegram would).
func TestLongNotesAreListed(t *testing.T) {
	a, _, coord, _ := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	periodName := a.msg(zh, "period_h1", "Year", 2024)
	a.say(coord, "/note", a.tr(zh, "ask_report_period"))
	a.tapThen(coord, periodName, a.msg(zh, "ask_note_kind", "Unit", "嘎鲁图镇", "Period", periodName))
	a.tap(coord, a.tr(zh, "btn_problems"))
	var lines []string
	for i := 1; i <= 5; i++ {
		p := fmt.Sprint(i) + strings.Repeat("群众参与积极性有待提高", 1000/11)
		a.say(coord, p, a.msg(zh, "note_added", "N", i))
		lines = append(lines, fmt.Sprintf("%d. %s…", i, string([]rune(p)[:99])))
		a.waitText(coord, a.msg(zh, "note_list", "Part", a.tr(zh, "btn_problems"), "List", strings.Join(lines, "\n")))
	}
}
