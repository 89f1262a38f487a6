package storagetest

import (
	"testing"
	"time"

	"fieldlog"
)

// Store is what Populate fills: the bot's store and inbox.
type Store interface {
	fieldlog.Store
	fieldlog.Inbox
	fieldlog.ChatLeases
	fieldlog.Peers
}

// webStore is the web page's sign-in state, which Populate writes when s
// keeps it.
type webStore interface {
	fieldlog.WebSessions
	fieldlog.SignInLinks
	fieldlog.Tries
}

// Sample is some of what Populate wrote, as the store read it back.
type Sample struct {
	Officer  fieldlog.User
	Activity fieldlog.Activity // with photos, an approximate count and a review
	Notes    fieldlog.Notes
}

// Populate writes one of every kind of document the bot keeps, through the
// store's own methods: units, users in both languages and every role,
// invitations used and not, records with photos, edited, reviewed and
// deleted, conversations in the middle of a flow (saved more than once),
// failed tries, notes, deadlines and reopenings, reminder claims,
// waiting updates, a chat's lease, a process's beat, an audit entry and,
// where s keeps them, a web session, a sign-in link and a try. Times have nanoseconds and a zone other than UTC, counts
// are 64-bit, payloads binary: what a backup must carry unchanged.
func Populate(t testing.TB, s Store) Sample {
	t.Helper()
	ctx := t.Context()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("populate: %s: %v", what, err)
		}
	}
	cst := time.FixedZone("CST", 8*3600)
	at := time.Date(2025, 6, 7, 18, 30, 15, 987654321, cst)
	h1 := fieldlog.Period{Year: 2025, Half: 1}

	must("units", s.SaveUnits(ctx, []fieldlog.Unit{
		{ID: "wushen", Level: fieldlog.Banner, Name: fieldlog.Text{fieldlog.Chinese: "乌审旗", fieldlog.Mongolian: "ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ"}},
		{ID: "galutu", ParentID: "wushen", Level: fieldlog.Township, Name: fieldlog.Text{fieldlog.Chinese: "嘎鲁图镇", fieldlog.Mongolian: "ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ"}},
		{ID: "duguilang", ParentID: "galutu", Level: fieldlog.Village, Order: 1, Name: fieldlog.Text{fieldlog.Chinese: "独贵龙社区", fieldlog.Mongolian: "ᠳᠤᠭᠤᠶᠢᠯᠠᠩ ᠬᠣᠷᠢᠶᠠᠯᠠᠯ"}},
	}))
	users := []fieldlog.User{
		{ID: 9001, ChatID: 9001, Name: "管理员", Lang: fieldlog.Chinese, Role: fieldlog.Admin, UnitID: "wushen", JoinedAt: at.Add(-72 * time.Hour)},
		{ID: 9002, ChatID: 9002, Name: "王干事", Lang: fieldlog.Chinese, Role: fieldlog.Coordinator, UnitID: "galutu", JoinedAt: at.Add(-48 * time.Hour), RemindersOff: true},
		{ID: 7000000123, ChatID: 7000000123, Name: "ᠪᠠᠲᠤ\u202Fᠶᠢᠨ Бат 巴图", Lang: fieldlog.Mongolian, Role: fieldlog.Officer, UnitID: "duguilang", JoinedAt: at.Add(-24 * time.Hour)},
		{ID: 9004, ChatID: 9004, Lang: fieldlog.Mongolian, Blocked: true}, // chose a language, nothing more
		// Joined on the web page, then linked a Telegram account.
		{ID: fieldlog.FirstOwnUserID + 4321, ChatID: 9005, Telegram: 9005, Name: "乌兰", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "duguilang", JoinedAt: at.Add(-12 * time.Hour)},
	}
	for _, u := range users {
		must("user", s.SaveUser(ctx, u))
	}
	must("account", s.LinkAccount(ctx, fieldlog.TelegramAccountKey(9005), users[4].ID, at.Add(-11*time.Hour)))
	officer := users[2]

	must("invite", s.CreateInvite(ctx, fieldlog.Invite{Code: "K7Q2-M9", Role: fieldlog.Officer, UnitID: "duguilang", CreatedBy: 9002,
		CreatedAt: at.Add(-25 * time.Hour), ExpiresAt: at.Add(fieldlog.InviteLifetime)}))
	_, err := s.RedeemInvite(ctx, "K7Q2-M9", officer.ID, at.Add(-24*time.Hour))
	must("redeem invite", err)
	must("invite", s.CreateInvite(ctx, fieldlog.Invite{Code: "C0RD-22", Role: fieldlog.Coordinator, UnitID: "galutu", CreatedBy: 9001,
		CreatedAt: at, ExpiresAt: at.Add(fieldlog.InviteLifetime)}))

	lecture := fieldlog.Activity{
		ID: "a-lecture", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2025, Month: 6, Day: 7},
		Participants: fieldlog.Count{Value: 80, Approx: true}, Title: "政策赶大集志愿服务活动 ᠰᠤᠷᠭᠠᠯ\u180B",
		Place: "独贵龙社区广场", Photos: []fieldlog.Photo{{Source: fieldlog.TelegramPhoto, ID: "AgACAgUAAxkBAAIB"}, {Source: fieldlog.TelegramDocument, ID: "AgACAgUAAxkBAAIC"}},
		UnitID: "duguilang", ReporterID: officer.ID, ReporterName: officer.Name, LoggedAt: at,
	}
	leaflets := fieldlog.Activity{
		ID: "a-leaflets", SectionID: "publicity", TypeID: "leaflets", Date: fieldlog.Date{Year: 2025, Month: 5, Day: 30},
		Participants: fieldlog.Count{Value: 12}, Quantity: fieldlog.Count{Value: 5_000_000_000}, Title: "发放宣传资料",
		UnitID: "duguilang", ReporterID: officer.ID, ReporterName: officer.Name, LoggedAt: at.Add(-time.Hour),
	}
	mistake := fieldlog.Activity{
		ID: "a-deleted", SectionID: "unity", TypeID: "meeting", Date: fieldlog.Date{Year: 2025, Month: 6, Day: 1},
		Participants: fieldlog.Count{Value: 3}, Title: "记错了", UnitID: "duguilang", ReporterID: officer.ID, LoggedAt: at.Add(-2 * time.Hour),
	}
	for _, a := range []fieldlog.Activity{lecture, leaflets, mistake} {
		must("insert activity", s.InsertActivity(ctx, a))
	}
	leaflets.Title, leaflets.UpdatedAt = "发放宣传资料（改）", at.Add(time.Minute)
	must("update activity", s.UpdateActivity(ctx, leaflets))
	must("delete activity", s.DeleteActivity(ctx, mistake.ID, at.Add(2*time.Minute)))
	must("review", s.ReviewActivity(ctx, lecture.ID, fieldlog.ReviewNote{State: fieldlog.Returned, By: 9002, ByName: "王干事", At: at.Add(time.Hour), Text: "人数请核实"}, fieldlog.AnyThread))
	must("review", s.ReviewActivity(ctx, lecture.ID, fieldlog.ReviewNote{State: fieldlog.Confirmed, By: officer.ID, ByName: officer.Name, At: at.Add(2 * time.Hour)}, 1))

	conv := fieldlog.Conversation{UserID: officer.ID, ID: "c1", Flow: "log", Step: "type", UpdatedAt: at, Applied: []string{"tg:1001"}}
	must("conversation", s.SaveConversation(ctx, conv))
	conv.Step, conv.Applied, conv.UpdatedAt = "photos", []string{"tg:1001", "tg:1002"}, at.Add(time.Second)
	conv.Vars = map[string]string{"scope": "duguilang", "page": "2"}
	conv.Draft = fieldlog.Activity{ID: "d1", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2025, Month: 6, Day: 8},
		Participants: fieldlog.Count{Value: 40, Approx: true}, Title: "草稿", Photos: []fieldlog.Photo{{Source: fieldlog.TelegramPhoto, ID: "AgACAgUAAxkBAAID"}}, UnitID: "duguilang", ReporterID: officer.ID}
	must("conversation", s.SaveConversation(ctx, conv))
	must("conversation", s.SaveConversation(ctx, fieldlog.Conversation{UserID: 9002, ID: "c2", Flow: "report", Step: "period", UpdatedAt: at}))

	must("attempt", s.RecordAttempt(ctx, "invite", 9004, at))

	para := func(id, text string, by int64, d time.Duration) fieldlog.Paragraph {
		return fieldlog.Paragraph{ID: id, Text: text, By: by, At: at.Add(d)}
	}
	must("notes", s.AddParagraph(ctx, "galutu", h1, fieldlog.Problems, para("p1", "部分村宣讲覆盖不足。", 9002, 0)))
	must("notes", s.AddParagraph(ctx, "galutu", h1, fieldlog.Problems, para("p2", "删掉的一段", 9002, time.Second)))
	must("notes", s.AddParagraph(ctx, "galutu", h1, fieldlog.Plans, para("l1", "ᠳᠠᠷᠠᠭᠠᠴᠢᠨ ᠤ\u202Fᠲᠥᠯᠥᠪᠯᠡᠭᠡ", 9001, 2*time.Second)))
	must("notes", s.DeleteParagraph(ctx, "galutu", h1, fieldlog.Problems, "p2"))

	must("deadline", s.SetDeadline(ctx, fieldlog.Deadline{Unit: "galutu", Period: h1, Due: fieldlog.Date{Year: 2025, Month: 6, Day: 25}, SetBy: 9001, SetAt: at}))
	must("reopen", s.Reopen(ctx, fieldlog.Reopening{Unit: "galutu", Period: h1, Until: at.Add(96 * time.Hour), By: 9001, At: at.Add(time.Hour)}))

	claim := fieldlog.ReminderClaim{Key: "due|2025-H1|2025-06-25|-7|7000000123", UserID: officer.ID, ClaimedBy: "host/42", ClaimedAt: at, LeaseUntil: at.Add(time.Minute)}
	_, err = s.ClaimReminder(ctx, claim)
	must("claim reminder", err)
	must("finish reminder", s.FinishReminder(ctx, claim.Key, fieldlog.ReminderSent, 4321, at.Add(time.Second)))
	claim.Key = "nudge|2025-H1|9004"
	_, err = s.ClaimReminder(ctx, claim)
	must("claim reminder", err)

	payload := []byte("{\"update_id\":1003,\"message\":{\"text\":\"45\"}}\x00\xff")
	_, err = s.Receive(ctx, fieldlog.IncomingUpdate{Key: "tg:1003", Seq: 1003, ChatID: officer.ChatID, Payload: payload, ReceivedAt: at})
	must("receive", err)
	_, err = s.ReceiveAll(ctx, []fieldlog.IncomingUpdate{
		{Key: "tg:1004", Seq: 1004, ChatID: 9002, Payload: []byte(`{"update_id":1004}`), ReceivedAt: at.Add(time.Second)},
		{Key: "tg:1005", Seq: 1005, ChatID: 9002, Payload: []byte(`{"update_id":1005}`), ReceivedAt: at.Add(2 * time.Second)},
	})
	must("receive all", err)
	must("done", s.Done(ctx, "tg:1005"))
	_, err = s.AcquireChat(ctx, officer.ChatID, "host-a/4242", time.Minute)
	must("take a chat's lease", err)
	_, err = s.Beat(ctx, "host-a/4242", time.Minute)
	must("beat", err)
	must("append to the audit", s.AppendAudit(ctx, fieldlog.AuditEntry{At: at, Actor: officer.ID, ActorName: officer.Name,
		Action: fieldlog.ActionRecordEdit, Subject: fieldlog.RecordSubject(lecture.ID),
		Changes: []fieldlog.FieldChange{{Field: fieldlog.FieldParticipants, Old: "40", New: "45"}}}))
	if w, ok := s.(webStore); ok { // the web page's sign-in state, where the store keeps it
		must("web session", w.CreateSession(ctx, fieldlog.WebSession{Hash: fieldlog.HashToken("populate-cookie"), UserID: officer.ID,
			CreatedAt: at, SeenAt: at.Add(time.Minute), ExpiresAt: at.Add(30 * 24 * time.Hour)}))
		must("sign-in link", w.CreateLink(ctx, fieldlog.SignInLink{Hash: fieldlog.HashToken("populate-link"), UserID: officer.ID,
			CreatedAt: at, ExpiresAt: at.Add(fieldlog.SignInLinkTTL)}))
		must("web try", w.RecordTry(ctx, "code", "203.0.113.7", at))
	}

	var sample Sample
	sample.Officer, err = s.User(ctx, officer.ID)
	must("read back the officer", err)
	sample.Activity, err = s.Activity(ctx, lecture.ID)
	must("read back the record", err)
	sample.Notes, err = s.Notes(ctx, "galutu", h1)
	must("read back the notes", err)
	return sample
}
