// Package contract is the contract of fieldlog.Store and fieldlog.Inbox as
// tests: every implementation (the MongoDB store on the embedded server or
// a real MongoDB, the in-memory store) runs the same suite, so that the
// engine behaves alike on each.
//
//	func TestContract(t *testing.T) { contract.Run(t, func(t *testing.T) contract.Store { return open(t) }) }
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fieldlog"
)

// Store is what the suite tests.
type Store interface {
	fieldlog.Store
	fieldlog.Inbox
	fieldlog.ChatLeases
	fieldlog.Peers
	fieldlog.PhotoFiles
	fieldlog.WebSessions
	fieldlog.SignInLinks
	fieldlog.Tries
}

// Opener returns a fresh, empty store for t, closed when t ends.
type Opener func(t *testing.T) Store

// Run runs every contract test, each on a fresh store, in parallel.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"UserRoundTrip", testUserRoundTrip},
		{"Accounts", testAccounts},
		{"UnitsReimportKeepsIDs", testUnitsReimportKeepsIDs},
		{"Invites", testInvites},
		{"RedeemInviteConcurrently", testRedeemInviteConcurrently},
		{"ActivityRoundTrip", testActivityRoundTrip},
		{"InsertActivityDuplicate", testInsertActivityDuplicate},
		{"UpdateAndDeleteActivity", testUpdateAndDeleteActivity},
		{"ListActivities", testListActivities},
		{"ListThroughWrites", testListThroughWrites},
		{"EachActivity", testEachActivity},
		{"EachActivityManyBatches", testEachActivityManyBatches},
		{"Conversation", testConversation},
		{"ChatLeases", testChatLeases},
		{"Peers", testPeers},
		{"Attempts", testAttempts},
		{"Inbox", testInbox},
		{"InboxReceiveConcurrently", testInboxReceiveConcurrently},
		{"InboxReceiveAll", testInboxReceiveAll},
		{"EachUser", testEachUser},
		{"Review", testReview},
		{"ReviewAnswersConcurrently", testReviewAnswersConcurrently},
		{"Calendar", testCalendar},
		{"ReminderClaims", testReminderClaims},
		{"Notes", testNotes},
		{"NotesWrittenAtOnce", testNotesWrittenAtOnce},
		{"Audit", testAudit},
		{"AuditSince", testAuditSince},
		{"AuditAppendConcurrently", testAuditAppendConcurrently},
		{"PhotoFiles", testPhotoFiles},
		{"Sessions", testSessions},
		{"DeleteUserSessions", testDeleteUserSessions},
		{"SignInLinks", testSignInLinks},
		{"RedeemLinkConcurrently", testRedeemLinkConcurrently},
		{"Tries", testTries},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// ms is what a stored time reads back as.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// beijing is a non-UTC zone: times written in it must come back in UTC.
func beijing(t *testing.T) *time.Location {
	t.Helper()
	return time.FixedZone("CST", 8*3600)
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func testUserRoundTrip(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()

	joined := time.Date(2025, 3, 4, 9, 10, 11, 123456789, beijing(t))
	u := fieldlog.User{
		ID: 7001, ChatID: 7001, Name: "ᠪᠠᠲᠤ Бат 巴图", Lang: fieldlog.Mongolian,
		Role: fieldlog.Officer, UnitID: "hepan", JoinedAt: joined,
	}
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, 7001)
	if err != nil {
		t.Fatal(err)
	}
	want := u
	want.JoinedAt = ms(joined)
	equal(t, "user", got, want)
	if !got.JoinedAt.Equal(joined.Truncate(time.Millisecond)) || got.JoinedAt.Location() != time.UTC {
		t.Errorf("joined at %v, want %v in UTC", got.JoinedAt, joined)
	}

	// A user who has only chosen a language: no role, no join time.
	fresh := fieldlog.User{ID: 7002, ChatID: 7002, Lang: fieldlog.Chinese}
	if err := s.SaveUser(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	got, err = s.User(ctx, 7002)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "fresh user", got, fresh)

	// SaveUser replaces.
	u.Role, u.UnitID = fieldlog.Coordinator, "xincheng"
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err = s.User(ctx, 7001)
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != fieldlog.Coordinator || got.UnitID != "xincheng" {
		t.Errorf("after replace: %+v", got)
	}

	if _, err := s.User(ctx, 9999); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("unknown user: err = %v, want ErrNotFound", err)
	}
}

func testAccounts(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	const own = fieldlog.FirstOwnUserID + 12345
	tg, other := fieldlog.TelegramAccountKey(555001), fieldlog.TelegramAccountKey(555002)

	if _, err := s.AccountUser(ctx, tg); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("account never linked: err = %v, want ErrNotFound", err)
	}
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, beijing(t))
	if err := s.LinkAccount(ctx, tg, own, at); err != nil {
		t.Fatal(err)
	}
	if id, err := s.AccountUser(ctx, tg); err != nil || id != own {
		t.Fatalf("linked account: %d, %v; want %d", id, err, int64(own))
	}
	if _, err := s.AccountUser(ctx, other); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("another account: err = %v, want ErrNotFound", err)
	}
	if err := s.LinkAccount(ctx, other, own, at); err != nil {
		t.Fatal(err)
	}
	got, err := s.AccountsOf(ctx, own)
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []string{tg, other}) {
		t.Fatalf("accounts of the user: %q, %v; want %q", got, err, []string{tg, other})
	}
	if err := s.UnlinkAccount(ctx, other); err != nil {
		t.Fatal(err)
	}
	// Linking again replaces the link.
	if err := s.LinkAccount(ctx, tg, own+1, at); err != nil {
		t.Fatal(err)
	}
	if got, err := s.AccountsOf(ctx, own); err != nil || len(got) != 0 {
		t.Fatalf("accounts of the user after the account went to another: %q, %v", got, err)
	}
	if id, err := s.AccountUser(ctx, tg); err != nil || id != own+1 {
		t.Fatalf("relinked account: %d, %v; want %d", id, err, int64(own+1))
	}
	if err := s.UnlinkAccount(ctx, tg); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccountUser(ctx, tg); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("unlinked account: err = %v, want ErrNotFound", err)
	}
	if err := s.UnlinkAccount(ctx, tg); err != nil {
		t.Fatalf("unlinking twice: %v", err)
	}

	// A user of the project's own keeps their linked account, and an
	// id beyond what a float64 holds exactly.
	u := fieldlog.User{ID: own, ChatID: 555001, Telegram: 555001, Name: "巴图", Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "hepan"}
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	stored, err := s.User(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "user with a linked account", stored, u)
}

func testUnitsReimportKeepsIDs(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()

	units := []fieldlog.Unit{
		{ID: "kfq", Level: fieldlog.Banner, Name: fieldlog.Text{fieldlog.Chinese: "开发区"}, Order: 0},
		{ID: "xincheng", ParentID: "kfq", Level: fieldlog.Township, Name: fieldlog.Text{fieldlog.Chinese: "新城街道", fieldlog.Mongolian: "ᠰᠢᠨ᠎ᠡ ᠬᠣᠲᠠ"}, Order: 0},
		{ID: "hepan", ParentID: "xincheng", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "河畔花园社区"}, Order: 1},
		{ID: "jinghan", ParentID: "xincheng", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "京汉新城社区"}, Order: 0},
	}
	if err := s.SaveUnits(ctx, units); err != nil {
		t.Fatal(err)
	}
	got, err := s.AllUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Sorted by parent, order, id.
	equal(t, "units", got, []fieldlog.Unit{units[0], units[1], units[3], units[2]})

	a := activity("a-hepan", 100, "hepan", date(2025, 5, 1), time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC))
	if err := s.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}

	// Re-import: a renamed community, a new one, the order changed.
	renamed := []fieldlog.Unit{
		{ID: "hepan", ParentID: "xincheng", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "河畔花园社区（新）", fieldlog.Mongolian: "ᠬᠡᠪᠡᠨ"}, Order: 0},
		{ID: "jinghan", ParentID: "xincheng", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "京汉新城社区"}, Order: 1},
		{ID: "xiwang", ParentID: "xincheng", Level: fieldlog.Village, Name: fieldlog.Text{fieldlog.Chinese: "希望新城社区"}, Order: 2},
	}
	if err := s.SaveUnits(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	got, err = s.AllUnits(ctx)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "units after re-import", got, []fieldlog.Unit{units[0], units[1], renamed[0], renamed[1], renamed[2]})

	// The record of the renamed unit is still found by its unit.
	list, err := s.ListActivities(ctx, fieldlog.ActivityFilter{Units: []fieldlog.UnitID{"hepan"}}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != "a-hepan" {
		t.Errorf("records of hepan after re-import: %+v", list)
	}

	if err := s.SaveUnits(ctx, nil); err != nil {
		t.Errorf("save no units: %v", err)
	}
}

func testInvites(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	now := time.Date(2025, 6, 1, 12, 0, 0, 500_999_999, beijing(t))

	inv := fieldlog.Invite{
		Code: "K7Q2-M9", Role: fieldlog.Officer, UnitID: "hepan", CreatedBy: 1,
		CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(fieldlog.InviteLifetime),
	}
	if err := s.CreateInvite(ctx, inv); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateInvite(ctx, inv); !errors.Is(err, fieldlog.ErrDuplicate) {
		t.Errorf("second create: err = %v, want ErrDuplicate", err)
	}
	expired := fieldlog.Invite{Code: "OLD", Role: fieldlog.Officer, UnitID: "hepan", CreatedBy: 1,
		CreatedAt: now.Add(-8 * 24 * time.Hour), ExpiresAt: now.Add(-time.Millisecond)}
	if err := s.CreateInvite(ctx, expired); err != nil {
		t.Fatal(err)
	}
	// Expiring exactly now is expired: the code is valid strictly before.
	edge := fieldlog.Invite{Code: "EDGE", Role: fieldlog.Officer, UnitID: "hepan", ExpiresAt: now}
	if err := s.CreateInvite(ctx, edge); err != nil {
		t.Fatal(err)
	}

	got, err := s.RedeemInvite(ctx, "K7Q2-M9", 7001, now)
	if err != nil {
		t.Fatal(err)
	}
	want := inv
	want.CreatedAt, want.ExpiresAt = ms(inv.CreatedAt), ms(inv.ExpiresAt)
	want.UsedBy, want.UsedAt = 7001, ms(now)
	equal(t, "redeemed invite", got, want)

	// The same user redeeming again (an update handled twice) gets it back
	// unchanged.
	again, err := s.RedeemInvite(ctx, "K7Q2-M9", 7001, now.Add(time.Minute))
	if err != nil {
		t.Fatalf("same user again: %v", err)
	}
	equal(t, "redeemed again by the same user", again, want)

	for _, tc := range []struct{ name, code string }{
		{"used", "K7Q2-M9"}, {"expired", "OLD"}, {"expires now", "EDGE"}, {"unknown", "NOPE"},
	} {
		if _, err := s.RedeemInvite(ctx, tc.code, 7002, now); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("%s code: err = %v, want ErrNotFound", tc.name, err)
		}
	}
}

func testRedeemInviteConcurrently(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	now := time.Now()
	if err := s.CreateInvite(ctx, fieldlog.Invite{Code: "RACE", Role: fieldlog.Officer, UnitID: "hepan",
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = s.RedeemInvite(ctx, "RACE", int64(100+i), now)
		})
	}
	close(start)
	wg.Wait()

	winner := int64(-1)
	for i, err := range errs {
		switch {
		case err == nil:
			if winner != -1 {
				t.Errorf("users %d and %d both redeemed the code", winner, 100+i)
			}
			winner = int64(100 + i)
		case !errors.Is(err, fieldlog.ErrNotFound):
			t.Errorf("user %d: unexpected error %v", 100+i, err)
		}
	}
	if winner == -1 {
		t.Fatal("nobody redeemed the code")
	}
	// The stored code names the winner: a loser did not overwrite it.
	if _, err := s.RedeemInvite(ctx, "RACE", 999, now); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("redeem after race: err = %v, want ErrNotFound", err)
	}
}

func date(y int, m time.Month, d int) fieldlog.Date { return fieldlog.Date{Year: y, Month: m, Day: d} }

func activity(id fieldlog.ActivityID, reporter int64, unit fieldlog.UnitID, d fieldlog.Date, logged time.Time) fieldlog.Activity {
	return fieldlog.Activity{
		ID: id, SectionID: "publicity", TypeID: "lecture", Date: d,
		Participants: fieldlog.Count{Value: 10}, Title: "宣讲 " + string(id),
		UnitID: unit, ReporterID: reporter, ReporterName: fmt.Sprint("officer ", reporter),
		LoggedAt: ms(logged),
	}
}

// mongolianTitle has what a Mongolian keyboard produces and a careless
// store breaks: U+202F NARROW NO-BREAK SPACE before suffixes, U+180B–U+180D
// free variation selectors, U+180E vowel separator, and an emoji with
// U+FE0F and a ZWJ sequence.
const mongolianTitle = "ᠪᠣᠳᠯᠣᠭᠣ\u202Fᠶᠢᠨ ᠰᠤᠷᠭᠠᠯ\u180Bᠲᠠ ᠬᠠ\u180C ᠭ\u180D ᠨ\u180Eᠠ ❤\uFE0F 👩\u200D👩\u200D👧 政策赶大集"

func testActivityRoundTrip(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	logged := time.Date(2025, 6, 7, 18, 30, 15, 987654321, beijing(t))
	a := fieldlog.Activity{
		ID:           "01JXA7",
		SectionID:    "publicity",
		TypeID:       "materials",
		Date:         date(2025, 6, 7),
		Participants: fieldlog.Count{Value: 80, Approx: true},
		Quantity:     fieldlog.Count{Value: 1200, Approx: true},
		Title:        mongolianTitle,
		Place:        "ᠬᠡᠪᠡᠨ 河畔花园 🌸",
		Photos:       photos("AgACAgUAAxkBAAIB", "AgACAgUAAxkBAAIC"),
		UnitID:       "hepan",
		ReporterID:   7001,
		ReporterName: "ᠪᠠᠲᠤ",
		LoggedAt:     logged,
	}
	if err := s.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.Activity(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := a
	want.LoggedAt = ms(logged)
	equal(t, "activity", got, want)
	if !bytes.Equal([]byte(got.Title), []byte(mongolianTitle)) {
		t.Errorf("title bytes changed:\n got % x\nwant % x", got.Title, mongolianTitle)
	}

	// No photos and exact counts.
	b := activity("01JXA8", 7001, "hepan", date(2025, 6, 8), logged)
	b.Participants = fieldlog.Count{Value: 0}
	b.Quantity = fieldlog.Count{Value: fieldlog.MaxCount}
	if err := s.InsertActivity(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err = s.Activity(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "activity without photos", got, b)

	if _, err := s.Activity(ctx, "missing"); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("missing activity: err = %v, want ErrNotFound", err)
	}
}

func testInsertActivityDuplicate(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	a := activity("dup", 1, "hepan", date(2025, 1, 2), time.Now())
	if err := s.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := a
	b.Title = "something else"
	if err := s.InsertActivity(ctx, b); !errors.Is(err, fieldlog.ErrDuplicate) {
		t.Fatalf("second insert: err = %v, want ErrDuplicate", err)
	}
	got, err := s.Activity(ctx, "dup")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != a.Title {
		t.Errorf("duplicate insert changed the title to %q", got.Title)
	}
	// A deleted record's ID stays taken.
	if err := s.DeleteActivity(ctx, "dup", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertActivity(ctx, a); !errors.Is(err, fieldlog.ErrDuplicate) {
		t.Errorf("insert over deleted: err = %v, want ErrDuplicate", err)
	}
}

func testUpdateAndDeleteActivity(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	logged := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
	a := activity("u1", 7001, "hepan", date(2025, 4, 1), logged)
	a.Photos = photos("p1")
	if err := s.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}

	edited := a
	edited.SectionID, edited.TypeID = "unity", "exchange"
	edited.Date = date(2025, 3, 31)
	edited.Participants = fieldlog.Count{Value: 45, Approx: true}
	edited.Quantity = fieldlog.Count{Value: 3}
	edited.Title, edited.Place = "交往交流交融 ᠬᠠᠮᠲᠤ", "文化站"
	// Photos of every source come back as they went in.
	edited.Photos = []fieldlog.Photo{{Source: fieldlog.TelegramPhoto, ID: "p2"}, {Source: fieldlog.TelegramDocument, ID: "p3"}, {Source: fieldlog.StoredPhoto, ID: "6650f0c2a1b2c3d4e5f60718"}}
	edited.UpdatedAt = logged.Add(time.Hour + 123456789)
	// Not editable: these must not change.
	edited.UnitID, edited.ReporterID, edited.ReporterName = "other", 1, "intruder"
	edited.LoggedAt = logged.Add(-time.Hour)
	if err := s.UpdateActivity(ctx, edited); err != nil {
		t.Fatal(err)
	}
	got, err := s.Activity(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	want := edited
	want.UnitID, want.ReporterID, want.ReporterName, want.LoggedAt = a.UnitID, a.ReporterID, a.ReporterName, a.LoggedAt
	want.UpdatedAt = ms(edited.UpdatedAt)
	equal(t, "updated activity", got, want)

	// Removing all photos.
	edited.Photos = nil
	if err := s.UpdateActivity(ctx, edited); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Activity(ctx, "u1"); err != nil || got.Photos != nil {
		t.Errorf("photos after removing them: %v, %v", got.Photos, err)
	}

	missing := activity("nope", 1, "hepan", date(2025, 4, 1), logged)
	if err := s.UpdateActivity(ctx, missing); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("update missing: err = %v, want ErrNotFound", err)
	}

	if err := s.DeleteActivity(ctx, "u1", logged.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Activity(ctx, "u1"); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("get deleted: err = %v, want ErrNotFound", err)
	}
	if err := s.UpdateActivity(ctx, edited); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("update deleted: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteActivity(ctx, "u1", logged); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("delete twice: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteActivity(ctx, "nope", logged); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("delete missing: err = %v, want ErrNotFound", err)
	}
}

func ids(as []fieldlog.Activity) []fieldlog.ActivityID {
	out := make([]fieldlog.ActivityID, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// seedList stores records of two reporters in three units over a few days,
// some on the same day logged at different times, and one deleted.
func seedList(t *testing.T, s interface {
	InsertActivity(context.Context, fieldlog.Activity) error
	DeleteActivity(context.Context, fieldlog.ActivityID, time.Time) error
}) {
	t.Helper()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := []fieldlog.Activity{
		activity("a1", 1, "hepan", date(2025, 1, 5), base.Add(1*time.Hour)),
		activity("a2", 1, "hepan", date(2025, 1, 5), base.Add(3*time.Hour)),
		activity("a3", 1, "hepan", date(2025, 2, 1), base.Add(2*time.Hour)),
		activity("a4", 2, "jinghan", date(2025, 1, 5), base.Add(2*time.Hour)),
		activity("a5", 2, "jinghan", date(2024, 12, 31), base.Add(5*time.Hour)),
		activity("a6", 2, "xiwang", date(2025, 6, 30), base.Add(4*time.Hour)),
		activity("a7", 1, "xiwang", date(2025, 7, 1), base.Add(6*time.Hour)),
		activity("a8", 1, "hepan", date(2025, 3, 3), base.Add(7*time.Hour)),
		activity("a9", 2, "hepan", date(2025, 3, 3), base.Add(7*time.Hour)), // same date and time as a8: id decides
	}
	for _, a := range recs {
		if err := s.InsertActivity(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteActivity(t.Context(), "a3", base); err != nil {
		t.Fatal(err)
	}
}

func testListActivities(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	seedList(t, s)

	all := []fieldlog.ActivityID{"a7", "a6", "a9", "a8", "a2", "a4", "a1", "a5"}
	for _, tc := range []struct {
		name string
		f    fieldlog.ActivityFilter
		want []fieldlog.ActivityID
	}{
		{"all", fieldlog.ActivityFilter{AllUnits: true}, all},
		{"no units: nothing", fieldlog.ActivityFilter{}, []fieldlog.ActivityID{}},
		{"empty unit list: nothing", fieldlog.ActivityFilter{Units: []fieldlog.UnitID{}, From: date(2025, 1, 1)}, []fieldlog.ActivityID{}},
		{"all units ignores the list", fieldlog.ActivityFilter{AllUnits: true, Units: []fieldlog.UnitID{"hepan"}, ReporterID: 2}, []fieldlog.ActivityID{"a6", "a9", "a4", "a5"}},
		{"reporter 1", fieldlog.ActivityFilter{ReporterID: 1, AllUnits: true}, []fieldlog.ActivityID{"a7", "a8", "a2", "a1"}},
		{"units", fieldlog.ActivityFilter{Units: []fieldlog.UnitID{"jinghan", "xiwang"}}, []fieldlog.ActivityID{"a7", "a6", "a4", "a5"}},
		{"one unit", fieldlog.ActivityFilter{Units: []fieldlog.UnitID{"hepan"}}, []fieldlog.ActivityID{"a9", "a8", "a2", "a1"}},
		{"unknown unit", fieldlog.ActivityFilter{Units: []fieldlog.UnitID{"nowhere"}}, []fieldlog.ActivityID{}},
		{"H1 2025", fieldlog.ActivityFilter{AllUnits: true, From: date(2025, 1, 1), To: date(2025, 6, 30)}, []fieldlog.ActivityID{"a6", "a9", "a8", "a2", "a4", "a1"}},
		{"from only", fieldlog.ActivityFilter{AllUnits: true, From: date(2025, 3, 3)}, []fieldlog.ActivityID{"a7", "a6", "a9", "a8"}},
		{"to only", fieldlog.ActivityFilter{AllUnits: true, To: date(2025, 1, 5)}, []fieldlog.ActivityID{"a2", "a4", "a1", "a5"}},
		{"one day", fieldlog.ActivityFilter{AllUnits: true, From: date(2025, 1, 5), To: date(2025, 1, 5)}, []fieldlog.ActivityID{"a2", "a4", "a1"}},
		{"combined", fieldlog.ActivityFilter{ReporterID: 2, Units: []fieldlog.UnitID{"jinghan", "hepan"}, From: date(2025, 1, 1), To: date(2025, 12, 31)}, []fieldlog.ActivityID{"a9", "a4"}},
	} {
		got, err := s.ListActivities(ctx, tc.f, 0, 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		equal(t, tc.name, ids(got), tc.want)
		n, err := s.CountActivities(ctx, tc.f)
		if err != nil {
			t.Fatalf("%s: count: %v", tc.name, err)
		}
		if n != len(tc.want) {
			t.Errorf("%s: count = %d, want %d", tc.name, n, len(tc.want))
		}
	}

	// Pages of 3 put together give the whole list; past the end is empty.
	var paged []fieldlog.ActivityID
	for skip := 0; skip < 12; skip += 3 {
		page, err := s.ListActivities(ctx, fieldlog.ActivityFilter{AllUnits: true}, skip, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 3 {
			t.Fatalf("page at %d has %d records", skip, len(page))
		}
		paged = append(paged, ids(page)...)
	}
	equal(t, "paged", paged, all)
}

// testListThroughWrites lists and counts after each of a series of
// writes (inserts, edits that move a record to another date, deletes)
// and compares with what a brute-force filter and sort of the records
// written gives, page by page, with ties in date and in logging time.
func testListThroughWrites(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	base := time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)
	held := map[fieldlog.ActivityID]fieldlog.Activity{} // what the store should hold, not deleted
	filters := map[string]fieldlog.ActivityFilter{
		"all":        {AllUnits: true},
		"reporter 1": {ReporterID: 1, AllUnits: true},
		"hepan":      {Units: []fieldlog.UnitID{"hepan"}},
		"two units":  {Units: []fieldlog.UnitID{"hepan", "xiwang"}, From: date(2025, 5, 2)},
		"range":      {AllUnits: true, From: date(2025, 5, 2), To: date(2025, 5, 3)},
		"r2 jinghan": {ReporterID: 2, Units: []fieldlog.UnitID{"jinghan"}, To: date(2025, 5, 3)},
		"none":       {Units: []fieldlog.UnitID{"nowhere"}},
	}
	check := func(step string) {
		t.Helper()
		for name, f := range filters {
			var want []fieldlog.Activity
			for _, a := range held {
				if f.Matches(a) {
					want = append(want, a)
				}
			}
			slices.SortFunc(want, func(a, b fieldlog.Activity) int {
				if c := strings.Compare(b.Date.String(), a.Date.String()); c != 0 {
					return c
				}
				if c := b.LoggedAt.Compare(a.LoggedAt); c != 0 {
					return c
				}
				return strings.Compare(string(b.ID), string(a.ID))
			})
			n, err := s.CountActivities(ctx, f)
			if err != nil {
				t.Fatalf("%s, %s: count: %v", step, name, err)
			}
			if n != len(want) {
				t.Errorf("%s, %s: count = %d, want %d", step, name, n, len(want))
			}
			for _, pg := range []struct{ skip, limit int }{{0, 0}, {0, 3}, {3, 3}, {6, 3}, {2, 5}, {len(want) - 1, 3}, {len(want), 3}, {len(want) + 5, 2}} {
				got, err := s.ListActivities(ctx, f, pg.skip, pg.limit)
				if err != nil {
					t.Fatalf("%s, %s: list: %v", step, name, err)
				}
				lo := min(max(pg.skip, 0), len(want))
				hi := len(want)
				if pg.limit > 0 {
					hi = min(hi, lo+pg.limit)
				}
				w := want[lo:hi]
				if !slices.Equal(ids(got), ids(w)) {
					t.Errorf("%s, %s, skip %d limit %d:\n got %v\nwant %v", step, name, pg.skip, pg.limit, ids(got), ids(w))
					continue
				}
				for i := range got {
					if got[i].Title != w[i].Title || got[i].Date != w[i].Date {
						t.Errorf("%s, %s: %s is %q of %v, want %q of %v", step, name, got[i].ID, got[i].Title, got[i].Date, w[i].Title, w[i].Date)
					}
				}
			}
		}
	}
	insert := func(a fieldlog.Activity) {
		t.Helper()
		if err := s.InsertActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
		held[a.ID] = a
	}
	check("empty")
	units := []fieldlog.UnitID{"hepan", "jinghan", "xiwang"}
	for i := range 14 {
		// Dates over 4 days, logging times over 3 hours: many ties, and
		// some in both (the id decides).
		id := fieldlog.ActivityID(fmt.Sprintf("w%02d", (i*5)%14))
		insert(activity(id, int64(1+i%2), units[i%3], date(2025, 5, 1+i%4), base.Add(time.Duration(i%3)*time.Hour)))
	}
	check("inserted")
	// A record of another unit than any filter names, and a duplicate
	// insert, which changes nothing.
	insert(activity("other", 1, "elsewhere", date(2025, 5, 2), base))
	if err := s.InsertActivity(ctx, activity("w03", 2, "xiwang", date(2030, 1, 1), base)); !errors.Is(err, fieldlog.ErrDuplicate) {
		t.Fatalf("duplicate insert: %v", err)
	}
	check("another unit")
	// Edits: one to a later date, one to an earlier, one in place.
	for _, e := range []struct {
		id fieldlog.ActivityID
		d  fieldlog.Date
	}{{"w04", date(2025, 5, 9)}, {"w11", date(2025, 4, 30)}, {"w07", date(2025, 5, 2)}} {
		a := held[e.id]
		a.Date, a.Title = e.d, "edited "+string(e.id)
		if err := s.UpdateActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
		held[e.id] = a
		check("edited " + string(e.id))
	}
	// Deletes, and an edit and a delete of a deleted record, refused.
	for _, id := range []fieldlog.ActivityID{"w00", "w09", "other"} {
		if err := s.DeleteActivity(ctx, id, base); err != nil {
			t.Fatal(err)
		}
		delete(held, id)
	}
	a := activity("w00", 1, "hepan", date(2025, 5, 5), base)
	if err := s.UpdateActivity(ctx, a); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("edit of a deleted record: %v", err)
	}
	check("deleted")
	// Inserted after the lists were read once.
	insert(activity("w99", 2, "jinghan", date(2025, 5, 3), base.Add(time.Hour)))
	check("inserted later")
}

func testEachActivity(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	seedList(t, s)
	withPhotos := activity("p1", 3, "hepan", date(2025, 5, 5), time.Date(2025, 5, 5, 9, 0, 0, 0, time.UTC))
	withPhotos.Photos = photos("x", "y")
	withPhotos.Participants = fieldlog.Count{Value: 80, Approx: true}
	if err := s.InsertActivity(ctx, withPhotos); err != nil {
		t.Fatal(err)
	}

	var got []fieldlog.Activity
	f := fieldlog.ActivityFilter{AllUnits: true, From: date(2025, 1, 1), To: date(2025, 6, 30)}
	if err := s.EachActivity(ctx, f, func(a fieldlog.Activity) error {
		got = append(got, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Every matching record, in no particular order.
	gotIDs := ids(got)
	slices.Sort(gotIDs)
	equal(t, "records", gotIDs, []fieldlog.ActivityID{"a1", "a2", "a4", "a6", "a8", "a9", "p1"})
	var last fieldlog.Activity
	for _, a := range got {
		if a.ID == "p1" {
			last = a
		}
	}
	want := withPhotos
	want.Photos = nil // left out by the projection
	equal(t, "streamed record", last, want)

	// An error from fn stops the iteration and comes back.
	stop := errors.New("stop here")
	calls := 0
	err := s.EachActivity(ctx, fieldlog.ActivityFilter{AllUnits: true}, func(fieldlog.Activity) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want the error of fn", err)
	}
	if calls != 2 {
		t.Errorf("fn called %d times after returning an error at 2", calls)
	}
}

// TestEachActivityManyBatches streams more records than one cursor batch
// holds and checks that every one arrives exactly once.
func testEachActivityManyBatches(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	const n = 1234
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		d := fieldlog.DateOf(base.Add(time.Duration(i%181)*24*time.Hour), time.UTC)
		a := activity(fieldlog.ActivityID(fmt.Sprintf("r%05d", i)), int64(i%7), "hepan", d, base.Add(time.Duration(i)*time.Second))
		a.Participants = fieldlog.Count{Value: int64(i)}
		if err := s.InsertActivity(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	var count int
	var sum int64
	seen := map[fieldlog.ActivityID]bool{}
	if err := s.EachActivity(ctx, fieldlog.ActivityFilter{AllUnits: true}, func(a fieldlog.Activity) error {
		if seen[a.ID] {
			return fmt.Errorf("%s came twice", a.ID)
		}
		seen[a.ID] = true
		count++
		sum += a.Participants.Value
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if count != n || sum != n*(n-1)/2 {
		t.Errorf("streamed %d records summing %d, want %d summing %d", count, sum, n, n*(n-1)/2)
	}
}

func testAttempts(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	record := func(kind string, user int64, at time.Time) {
		t.Helper()
		if err := s.RecordAttempt(ctx, kind, user, at); err != nil {
			t.Fatal(err)
		}
	}
	count := func(kind string, user int64, since time.Time) int {
		t.Helper()
		n, err := s.CountAttempts(ctx, kind, user, since)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	record("invite", 1, now.Add(-30*time.Hour))
	if n := count("invite", 1, now.Add(-48*time.Hour)); n != 1 {
		t.Fatalf("before pruning: %d attempts, want 1", n)
	}
	record("invite", 1, now.Add(-2*time.Hour))
	record("invite", 1, now.Add(-time.Hour))
	record("invite", 1, now.Add(-time.Minute))
	record("invite", 2, now.Add(-time.Minute))
	record("pin", 1, now.Add(-time.Minute))

	for _, tc := range []struct {
		kind  string
		user  int64
		since time.Time
		want  int
	}{
		{"invite", 1, now.Add(-90 * time.Minute), 2},
		{"invite", 1, now.Add(-time.Hour), 2}, // since is inclusive
		{"invite", 1, now, 0},
		{"invite", 1, now.Add(-48 * time.Hour), 3}, // the 30-hour-old one was pruned
		{"invite", 2, now.Add(-time.Hour), 1},
		{"pin", 1, now.Add(-time.Hour), 1},
		{"pin", 2, now.Add(-time.Hour), 0},
	} {
		if n := count(tc.kind, tc.user, tc.since); n != tc.want {
			t.Errorf("%s attempts of %d since %s: %d, want %d", tc.kind, tc.user, tc.since.Format(time.Kitchen), n, tc.want)
		}
	}
}

func keys(us []fieldlog.IncomingUpdate) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Key
	}
	return out
}

func testInboxReceiveConcurrently(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	const n = 8
	var wg sync.WaitGroup
	oks := make([]bool, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			oks[i], errs[i] = s.Receive(ctx, fieldlog.IncomingUpdate{Key: "tg:777", ChatID: int64(i), ReceivedAt: time.Now()})
		})
	}
	close(start)
	wg.Wait()
	winners := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("receiver %d: %v", i, errs[i])
		}
		if oks[i] {
			winners++
		}
	}
	if winners != 1 {
		t.Errorf("%d receivers recorded the update, want exactly 1", winners)
	}
	got, err := s.Unhandled(ctx)
	if err != nil || len(got) != 1 {
		t.Errorf("stored updates: %d, %v; want 1", len(got), err)
	}
}

func testConversation(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	if _, err := s.Conversation(ctx, 7001); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Fatalf("no conversation: err = %v, want ErrNotFound", err)
	}
	draft := activity("d1", 7001, "hepan", date(2025, 6, 1), time.Time{})
	draft.Title = mongolianTitle
	draft.Photos = []fieldlog.Photo{{Source: fieldlog.TelegramDocument, ID: "f1"}}
	draft.Participants = fieldlog.Count{Value: 30, Approx: true}
	c := fieldlog.Conversation{
		UserID: 7001, ID: "c-1", Flow: "log", Step: "participants", Draft: draft,
		Vars:      map[string]string{"month": "2025-06", "return": "confirm", "unit": "hepan"},
		Applied:   []string{"tg:1", "tg:2"},
		UpdatedAt: time.Date(2025, 6, 1, 10, 0, 0, 999_999, time.UTC),
	}
	if err := s.SaveConversation(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Conversation(ctx, 7001)
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.UpdatedAt = ms(c.UpdatedAt)
	equal(t, "conversation", got, want)

	// Changing what was read changes nothing stored.
	got.Vars["month"], got.Applied[0], got.Draft.Photos[0].ID = "x", "x", "x"
	again, err := s.Conversation(ctx, 7001)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "conversation read again", again, want)

	// Replaced whole: the next step with an empty draft and no vars.
	next := fieldlog.Conversation{UserID: 7001, ID: "c-2", Flow: "invite", Step: "role"}
	if err := s.SaveConversation(ctx, next); err != nil {
		t.Fatal(err)
	}
	got, err = s.Conversation(ctx, 7001)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "replaced conversation", got, next)

	// Between flows: no flow, only the updates applied.
	idle := fieldlog.Conversation{UserID: 7001, Applied: []string{"tg:3"}}
	if err := s.SaveConversation(ctx, idle); err != nil {
		t.Fatal(err)
	}
	got, err = s.Conversation(ctx, 7001)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "idle conversation", got, idle)
	if got.Active() || !got.HasApplied("tg:3") || got.HasApplied("tg:1") {
		t.Errorf("idle conversation: active %v, applied %v", got.Active(), got.Applied)
	}
}

func testInbox(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	t0 := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	u := func(key string, seq, chat int64, at time.Time) fieldlog.IncomingUpdate {
		return fieldlog.IncomingUpdate{Key: key, Seq: seq, ChatID: chat,
			Payload: []byte(`{"update_id":1,"text":"ᠰᠠᠶᠢᠨ` + "\u202F" + `ᠤᠤ 👋"}`), ReceivedAt: at}
	}
	for _, in := range []fieldlog.IncomingUpdate{
		u("tg:10", 10, 42, t0),
		u("tg:9", 9, 42, t0), // received in the same millisecond: Seq decides, not the key
		u("tg:11", 11, 43, t0.Add(time.Second)),
		u("tg:12", 12, 42, t0.Add(3*time.Second+999_999)),
	} {
		ok, err := s.Receive(ctx, in)
		if err != nil || !ok {
			t.Fatalf("receive %s: %v, %v", in.Key, ok, err)
		}
	}
	ok, err := s.Receive(ctx, u("tg:10", 10, 42, t0.Add(time.Hour)))
	if err != nil || ok {
		t.Fatalf("receive tg:10 again: %v, %v; want false, nil", ok, err)
	}

	got, err := s.Unhandled(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []fieldlog.IncomingUpdate{
		u("tg:9", 9, 42, t0), u("tg:10", 10, 42, t0),
		u("tg:11", 11, 43, t0.Add(time.Second)), u("tg:12", 12, 42, t0.Add(3*time.Second)),
	}
	equal(t, "unhandled", got, want)
	got, err = s.UnhandledIn(ctx, 42)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "unhandled in chat 42", keys(got), []string{"tg:9", "tg:10", "tg:12"})

	if err := s.Done(ctx, "tg:9"); err != nil {
		t.Fatal(err)
	}
	if err := s.Done(ctx, "tg:11", "tg:404"); err != nil {
		t.Fatal(err)
	}
	if err := s.Done(ctx); err != nil {
		t.Fatal(err)
	}
	got, err = s.Unhandled(ctx)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "unhandled after done", keys(got), []string{"tg:10", "tg:12"})
	if got, err := s.UnhandledIn(ctx, 43); err != nil || len(got) != 0 {
		t.Errorf("chat 43 after done: %v, %v; want none", keys(got), err)
	}
	// A handled update is forgotten: the conversation, not the inbox,
	// recognises it if it comes again.
	if ok, err := s.Receive(ctx, u("tg:9", 9, 42, t0)); err != nil || !ok {
		t.Errorf("tg:9 after done: %v, %v; want true", ok, err)
	}
}

func testNotes(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	p := fieldlog.Period{Year: 2024, Half: 1}
	got, err := s.Notes(ctx, "galutu", p)
	if err != nil {
		t.Fatalf("notes before writing: %v", err)
	}
	equal(t, "no notes", got, fieldlog.Notes{UnitID: "galutu", Period: p})

	at := time.Date(2024, 6, 1, 8, 0, 0, 123_456_789, time.UTC)
	para := func(id, text string) fieldlog.Paragraph {
		return fieldlog.Paragraph{ID: id, Text: text, By: 7, At: at}
	}
	add := func(unit fieldlog.UnitID, p fieldlog.Period, part fieldlog.NotePart, q fieldlog.Paragraph) {
		t.Helper()
		if err := s.AddParagraph(ctx, unit, p, part, q); err != nil {
			t.Fatalf("add %s: %v", q.ID, err)
		}
	}
	add("galutu", p, fieldlog.Problems, para("a", "宣传覆盖面不够广"))
	add("galutu", p, fieldlog.Problems, para("b", "ᠬᠦᠮᠦᠨ\u202Fᠦ ᠲᠣᠭ᠎ᠠ"))
	add("galutu", p, fieldlog.Plans, para("c", "加强培训"))
	add("galutu", p, fieldlog.Problems, para("a", "a retried add of a")) // stored once, as first written
	// Another period and another unit are separate.
	add("galutu", p.Previous(), fieldlog.Plans, para("d", "旧"))
	add("sulde", p, fieldlog.Problems, para("e", "别的单位"))

	got, err = s.Notes(ctx, "galutu", p)
	if err != nil {
		t.Fatal(err)
	}
	stored := func(q fieldlog.Paragraph) fieldlog.Paragraph { q.At = ms(q.At); return q }
	want := fieldlog.Notes{UnitID: "galutu", Period: p,
		Problems: []fieldlog.Paragraph{stored(para("a", "宣传覆盖面不够广")), stored(para("b", "ᠬᠦᠮᠦᠨ\u202Fᠦ ᠲᠣᠭ᠎ᠠ"))},
		Plans:    []fieldlog.Paragraph{stored(para("c", "加强培训"))}}
	equal(t, "notes", got, want)

	if err := s.DeleteParagraph(ctx, "galutu", p, fieldlog.Problems, "a"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		part fieldlog.NotePart
		id   string
	}{{fieldlog.Problems, "a"}, {fieldlog.Problems, "c"}, {fieldlog.Plans, "zzz"}} {
		if err := s.DeleteParagraph(ctx, "galutu", p, tc.part, tc.id); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("delete %s from %s: err = %v, want ErrNotFound", tc.id, tc.part, err)
		}
	}
	if err := s.DeleteParagraph(ctx, "nowhere", p, fieldlog.Plans, "c"); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("delete from missing notes: err = %v, want ErrNotFound", err)
	}
	got, err = s.Notes(ctx, "galutu", p)
	if err != nil {
		t.Fatal(err)
	}
	want.Problems = want.Problems[1:]
	equal(t, "notes after delete", got, want)
	other, err := s.Notes(ctx, "galutu", p.Previous())
	if err != nil || len(other.Plans) != 1 || other.Plans[0].ID != "d" || len(other.Problems) != 0 {
		t.Errorf("notes of the previous half-year: %+v, %v", other, err)
	}
}

// testNotesWrittenAtOnce has two writers add and delete paragraphs of one
// unit's notes at the same time, as two coordinators (or a coordinator and
// an admin) may: neither loses what the other wrote.
func testNotesWrittenAtOnce(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	p := fieldlog.Period{Year: 2025, Half: 2}
	const each = 12
	// Paragraphs the writers will delete again, added beforehand.
	for w := range 2 {
		q := fieldlog.Paragraph{ID: fmt.Sprintf("old%d", w), Text: "旧段落", By: int64(w), At: time.Now()}
		if err := s.AddParagraph(ctx, "galutu", p, fieldlog.Problems, q); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*each+2)
	start := make(chan struct{})
	for w := range 2 {
		wg.Go(func() {
			<-start
			for i := range each {
				q := fieldlog.Paragraph{ID: fmt.Sprintf("w%d-%02d", w, i), Text: fmt.Sprintf("第%d位写的第%d段", w, i), By: int64(w), At: time.Now()}
				errs <- s.AddParagraph(ctx, "galutu", p, fieldlog.Problems, q)
				if i == each/2 {
					errs <- s.DeleteParagraph(ctx, "galutu", p, fieldlog.Problems, fmt.Sprintf("old%d", w))
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Notes(ctx, "galutu", p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range n.Problems {
		got = append(got, q.ID)
	}
	slices.Sort(got)
	var want []string
	for w := range 2 {
		for i := range each {
			want = append(want, fmt.Sprintf("w%d-%02d", w, i))
		}
	}
	equal(t, "paragraphs after two writers", got, want)
}

// testInboxReceiveAll records a batch of updates at once: the fresh ones
// are stored, those already waiting (or twice in the batch) are not.
func testInboxReceiveAll(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	u := func(seq int64) fieldlog.IncomingUpdate {
		return fieldlog.IncomingUpdate{Key: fmt.Sprint("tg:", seq), Seq: seq, ChatID: 42, Payload: []byte("{}"), ReceivedAt: time.Now()}
	}
	if fresh, err := s.ReceiveAll(ctx, nil); err != nil || len(fresh) != 0 {
		t.Fatalf("an empty batch: %v, %v", fresh, err)
	}
	if ok, err := s.Receive(ctx, u(2)); err != nil || !ok {
		t.Fatal(ok, err)
	}
	fresh, err := s.ReceiveAll(ctx, []fieldlog.IncomingUpdate{u(1), u(2), u(3), u(3), u(4)})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "fresh", fresh, []bool{true, false, true, false, true})
	got, err := s.Unhandled(ctx)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "waiting", keys(got), []string{"tg:1", "tg:2", "tg:3", "tg:4"})
}

func testEachUser(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	for i, u := range []fieldlog.User{
		{ID: 1, Lang: fieldlog.Chinese}, // has not joined
		{ID: 2, Lang: fieldlog.Chinese, Role: fieldlog.Officer, UnitID: "hepan", RemindersOff: true},
		{ID: 3, Lang: fieldlog.Mongolian, Role: fieldlog.Coordinator, UnitID: "xincheng", Blocked: true},
	} {
		if err := s.SaveUser(ctx, u); err != nil {
			t.Fatal(i, err)
		}
	}
	got := map[int64]fieldlog.User{}
	if err := s.EachUser(ctx, func(u fieldlog.User) error { got[u.ID] = u; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[2].RemindersOff || !got[3].Blocked || got[3].Lang != fieldlog.Mongolian {
		t.Errorf("joined users: %+v", got)
	}
	stop := errors.New("stop")
	if err := s.EachUser(ctx, func(fieldlog.User) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("err = %v, want the error of fn", err)
	}
}

func testReview(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	at := time.Date(2025, 6, 10, 9, 0, 0, 123_456_789, time.UTC)
	a := activity("r1", 7001, "hepan", date(2025, 6, 7), at)
	if err := s.InsertActivity(ctx, a); err != nil {
		t.Fatal(err)
	}
	returned := fieldlog.ReviewNote{State: fieldlog.Returned, By: 9, ByName: "王干事", At: at, Text: "人数请核实"}
	confirmed := fieldlog.ReviewNote{State: fieldlog.Confirmed, By: 7001, ByName: "officer 7001", At: at.Add(time.Hour)}
	// An answer that saw a return nobody made is not written.
	if err := s.ReviewActivity(ctx, "r1", confirmed, 1); !errors.Is(err, fieldlog.ErrReviewChanged) {
		t.Errorf("an answer to a return not made: err = %v, want ErrReviewChanged", err)
	}
	if err := s.ReviewActivity(ctx, "r1", returned, 0); err != nil {
		t.Fatal(err)
	}
	got, err := s.Activity(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Review.Pending() || len(got.Review.Thread) != 1 || got.Review.Thread[0].Text != "人数请核实" || !got.Review.Thread[0].At.Equal(ms(at)) {
		t.Fatalf("after returning: %+v", got.Review)
	}
	// An edit keeps the review as stored, even one that carries an older
	// review (read before the return): only ReviewActivity changes it.
	stale := a
	stale.Title = "改过的名称"
	if err := s.UpdateActivity(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Activity(ctx, "r1"); !got.Review.Pending() || len(got.Review.Thread) != 1 {
		t.Fatalf("an edit with an older review overwrote the stored one: %+v", got.Review)
	}
	// seen counts the notes: an answer that saw none, or two, is not
	// written; one that saw the return is.
	for _, seen := range []int{0, 2} {
		if err := s.ReviewActivity(ctx, "r1", confirmed, seen); !errors.Is(err, fieldlog.ErrReviewChanged) {
			t.Errorf("an answer that saw %d notes of 1: err = %v, want ErrReviewChanged", seen, err)
		}
	}
	if err := s.ReviewActivity(ctx, "r1", confirmed, 1); err != nil {
		t.Fatal(err)
	}
	got, err = s.Activity(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	want := fieldlog.Review{State: fieldlog.Confirmed, Thread: []fieldlog.ReviewNote{
		{State: fieldlog.Returned, By: 9, ByName: "王干事", At: ms(at), Text: "人数请核实"},
		{State: fieldlog.Confirmed, By: 7001, ByName: "officer 7001", At: ms(at.Add(time.Hour))},
	}}
	equal(t, "review", got.Review, want)
	if got.Title != "改过的名称" || got.Review.Pending() {
		t.Errorf("record after the review: %+v", got)
	}
	// The same answer again, as read before the first was written, is not
	// written twice.
	if err := s.ReviewActivity(ctx, "r1", confirmed, 1); !errors.Is(err, fieldlog.ErrReviewChanged) {
		t.Errorf("an answer given twice: err = %v, want ErrReviewChanged", err)
	}
	// A return stands whatever came before.
	if err := s.ReviewActivity(ctx, "r1", returned, fieldlog.AnyThread); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Activity(ctx, "r1"); !got.Review.Pending() || len(got.Review.Thread) != 3 {
		t.Errorf("returned again: %+v", got.Review)
	}
	for _, seen := range []int{fieldlog.AnyThread, 0} {
		if err := s.ReviewActivity(ctx, "nope", returned, seen); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("review of a missing record (seen %d): err = %v", seen, err)
		}
	}
	if err := s.DeleteActivity(ctx, "r1", at); err != nil {
		t.Fatal(err)
	}
	for _, seen := range []int{fieldlog.AnyThread, 3} {
		if err := s.ReviewActivity(ctx, "r1", returned, seen); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("review of a deleted record (seen %d): err = %v", seen, err)
		}
	}
}

// Answers to one return given at once (a second tap, the chat and the web)
// are written once: the others find the thread changed.
// AnswerAtOnce has n answers (confirms) to record id's return written at
// once, each having seen seen notes of its thread, and returns how many
// were written; every other must be refused with ErrReviewChanged.
func AnswerAtOnce(t *testing.T, s fieldlog.Activities, id fieldlog.ActivityID, seen, n int, at time.Time) (written int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = s.ReviewActivity(t.Context(), id, fieldlog.ReviewNote{State: fieldlog.Confirmed, By: 7001, At: at.Add(time.Duration(i+1) * time.Minute)}, seen)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		switch {
		case err == nil:
			written++
		case !errors.Is(err, fieldlog.ErrReviewChanged):
			t.Errorf("answer %d: unexpected error %v", i, err)
		}
	}
	return written
}

func testReviewAnswersConcurrently(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	at := time.Date(2025, 6, 10, 9, 0, 0, 0, time.UTC)
	if err := s.InsertActivity(ctx, activity("r1", 7001, "hepan", date(2025, 6, 7), at)); err != nil {
		t.Fatal(err)
	}
	if err := s.ReviewActivity(ctx, "r1", fieldlog.ReviewNote{State: fieldlog.Returned, By: 9, At: at, Text: "人数请核实"}, 0); err != nil {
		t.Fatal(err)
	}
	written := AnswerAtOnce(t, s, "r1", 1, 8, at)
	got, err := s.Activity(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if written != 1 || len(got.Review.Thread) != 2 || got.Review.State != fieldlog.Confirmed {
		t.Errorf("%d answers written, thread of %d notes, state %s; want 1, 2, confirmed", written, len(got.Review.Thread), got.Review.State)
	}
}

func testCalendar(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	h1 := fieldlog.Period{Year: 2025, Half: 1}
	t0 := time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)
	for _, d := range []fieldlog.Deadline{
		{Unit: "xincheng", Period: h1, Due: date(2025, 6, 20), SetBy: 9, SetAt: t0},
		{Unit: "xincheng", Period: h1, Due: date(2025, 6, 22), SetBy: 10, SetAt: t0.Add(time.Hour)}, // set again: this one counts
		{Unit: "hepan", Period: h1, Due: date(2025, 6, 18), SetBy: 9, SetAt: t0},
		{Unit: "xincheng", Period: h1.Previous(), Due: date(2024, 12, 1), SetBy: 9, SetAt: t0},
	} {
		if err := s.SetDeadline(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	until := time.Date(2025, 7, 3, 16, 0, 0, 0, time.UTC)
	for _, r := range []fieldlog.Reopening{
		{Unit: "xincheng", Period: h1, Until: until.Add(-48 * time.Hour), By: 9, At: t0.Add(24 * time.Hour)},
		{Unit: "xincheng", Period: h1, Until: until, By: 10, At: t0.Add(48 * time.Hour)},
	} {
		if err := s.Reopen(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := s.Schedule(ctx, h1)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Deadlines) != 2 || sc.Deadlines["xincheng"].Due != date(2025, 6, 22) || sc.Deadlines["xincheng"].SetBy != 10 ||
		sc.Deadlines["hepan"].Due != date(2025, 6, 18) {
		t.Errorf("deadlines: %+v", sc.Deadlines)
	}
	if r := sc.Reopenings["xincheng"]; !r.Until.Equal(until) || r.By != 10 {
		t.Errorf("reopening in force: %+v", r)
	}
	prev, err := s.Schedule(ctx, h1.Previous())
	if err != nil || len(prev.Deadlines) != 1 || len(prev.Reopenings) != 0 {
		t.Errorf("the previous half-year: %+v, %v", prev, err)
	}
}

func testReminderClaims(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	now := time.Date(2025, 6, 18, 9, 0, 0, 0, time.UTC)
	claim := func(key, by string, lease time.Duration) fieldlog.ReminderClaim {
		return fieldlog.ReminderClaim{Key: key, UserID: 7, ClaimedBy: by, ClaimedAt: now, LeaseUntil: now.Add(lease)}
	}
	// Eight processes claim one reminder at once: one wins.
	var wg sync.WaitGroup
	wins := make(chan string, 8)
	for i := range 8 {
		wg.Go(func() {
			ok, err := s.ClaimReminder(ctx, claim("due|a", fmt.Sprint("p", i), time.Minute))
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins <- fmt.Sprint("p", i)
			}
		})
	}
	wg.Wait()
	close(wins)
	if n := len(wins); n != 1 {
		t.Fatalf("%d processes claimed one reminder", n)
	}
	if st, err := s.ReminderState(ctx, "due|a"); err != nil || st != fieldlog.ReminderSending {
		t.Errorf("state after the claim: %q, %v", st, err)
	}
	if err := s.FinishReminder(ctx, "due|a", fieldlog.ReminderSent, 4321, now); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.ClaimReminder(ctx, claim("due|a", "later", time.Minute)); err != nil || ok {
		t.Errorf("a sent reminder claimed again: %v, %v", ok, err)
	}
	// One whose sender stopped: uncertain once the lease ends, never again.
	if ok, err := s.ClaimReminder(ctx, claim("due|b", "p0", time.Minute)); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if n, err := s.ExpireReminders(ctx, now.Add(30*time.Second)); err != nil || n != 0 {
		t.Errorf("expired within the lease: %d, %v", n, err)
	}
	if n, err := s.ExpireReminders(ctx, now.Add(2*time.Minute)); err != nil || n != 1 {
		t.Errorf("expired after the lease: %d, %v; want 1", n, err)
	}
	for key, want := range map[string]fieldlog.ReminderState{"due|a": fieldlog.ReminderSent, "due|b": fieldlog.ReminderUncertain} {
		if st, err := s.ReminderState(ctx, key); err != nil || st != want {
			t.Errorf("%s: %q, %v; want %q", key, st, err, want)
		}
	}
	if _, err := s.ReminderState(ctx, "due|c"); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a reminder never claimed: %v", err)
	}
	if err := s.FinishReminder(ctx, "due|c", fieldlog.ReminderSent, 1, now); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("finishing a reminder never claimed: %v", err)
	}
}

func testChatLeases(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	// Eight processes take one chat's lease at once: one wins.
	var wg sync.WaitGroup
	wins := make(chan string, 8)
	for i := range 8 {
		wg.Go(func() {
			holder := fmt.Sprint("p", i)
			ok, err := s.AcquireChat(ctx, 42, holder, time.Minute)
			if err != nil {
				t.Error(err)
			}
			if ok {
				wins <- holder
			}
		})
	}
	wg.Wait()
	close(wins)
	if len(wins) != 1 {
		t.Fatalf("%d processes took one chat's lease", len(wins))
	}
	winner := <-wins
	if ok, err := s.AcquireChat(ctx, 42, winner, time.Minute); !ok || err != nil {
		t.Errorf("the holder could not renew its lease: %v, %v", ok, err)
	}
	if ok, err := s.AcquireChat(ctx, 43, "other", time.Minute); !ok || err != nil {
		t.Errorf("another chat's lease: %v, %v", ok, err)
	}
	if err := s.ReleaseChat(ctx, 42, "other"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.AcquireChat(ctx, 42, "other", time.Minute); ok {
		t.Error("a process that does not hold a lease let it go")
	}
	if err := s.ReleaseChat(ctx, 42, winner); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.AcquireChat(ctx, 42, "other", 300*time.Millisecond); !ok || err != nil {
		t.Fatalf("a lease let go was not free: %v, %v", ok, err)
	}
	// A lease that lapses (its holder died) is free.
	if ok, _ := s.AcquireChat(ctx, 42, winner, time.Minute); ok {
		t.Error("a lease was taken while held")
	}
	time.Sleep(400 * time.Millisecond)
	if ok, err := s.AcquireChat(ctx, 42, winner, time.Minute); !ok || err != nil {
		t.Errorf("a lapsed lease was not free: %v, %v", ok, err)
	}
}

func testPeers(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	beat := func(holder string, ttl time.Duration, want int) {
		t.Helper()
		n, err := s.Beat(ctx, holder, ttl)
		if err != nil || n != want {
			t.Errorf("%s beats for %v: %d processes alive, %v; want %d", holder, ttl, n, err, want)
		}
	}
	beat("a", time.Minute, 1)
	beat("b", 300*time.Millisecond, 2)
	beat("a", time.Minute, 2) // again: still two
	time.Sleep(400 * time.Millisecond)
	beat("a", time.Minute, 1) // b stopped beating
	beat("c", time.Minute, 2)
	beat("c", 0, 1) // c stops
}

// photos are Telegram photos of ids.
func photos(ids ...string) []fieldlog.Photo {
	var out []fieldlog.Photo
	for _, id := range ids {
		out = append(out, fieldlog.Photo{Source: fieldlog.TelegramPhoto, ID: id})
	}
	return out
}

// Photo files come back byte for byte with their type, each under its own
// id; an unknown id, or one of another form, is not found.
func testPhotoFiles(t *testing.T, open Opener) {
	s, ctx := open(t), t.Context()
	big := bytes.Repeat([]byte{0xFF, 0xD8, 0x00, 0x7F}, 300_000) // 1.2 MB: several GridFS chunks
	small := []byte("\x89PNG\r\n\x1a\n")
	idBig, err := s.SavePhotoFile(ctx, big, "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	idSmall, err := s.SavePhotoFile(ctx, small, "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if idBig == idSmall || idBig == "" {
		t.Fatalf("ids %q and %q", idBig, idSmall)
	}
	for _, c := range []struct {
		id, ct string
		data   []byte
	}{{idBig, "image/jpeg", big}, {idSmall, "image/png", small}} {
		data, ct, err := s.PhotoFile(ctx, c.id)
		if err != nil || ct != c.ct || !bytes.Equal(data, c.data) {
			t.Errorf("file %s: %d bytes of %q, %v; want %d bytes of %q", c.id, len(data), ct, err, len(c.data), c.ct)
		}
	}
	for _, id := range []string{"", "nope", "6650f0c2a1b2c3d4e5f60718"} {
		if _, _, err := s.PhotoFile(ctx, id); !errors.Is(err, fieldlog.ErrNotFound) {
			t.Errorf("file %q: %v, want ErrNotFound", id, err)
		}
	}
	if _, err := s.SavePhotoFile(ctx, nil, "image/jpeg"); err == nil {
		t.Error("an empty file was stored")
	}
	// Deleted, a file is gone, its neighbour kept; deleting again, or
	// what never was, is no error.
	for range 2 {
		if err := s.DeletePhotoFile(ctx, idBig); err != nil {
			t.Fatalf("delete: %v", err)
		}
	}
	if _, _, err := s.PhotoFile(ctx, idBig); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("a deleted file: %v", err)
	}
	if data, _, err := s.PhotoFile(ctx, idSmall); err != nil || !bytes.Equal(data, small) {
		t.Errorf("its neighbour after the delete: %v", err)
	}
	for _, id := range []string{"nope", "6650f0c2a1b2c3d4e5f60718"} {
		if err := s.DeletePhotoFile(ctx, id); err != nil {
			t.Errorf("delete %q: %v", id, err)
		}
	}
}
