package conversation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"fieldlog"
)

// The audit trail in the engine: each change a flow saves appends one
// entry with its old and new values, and an admin sees a record's latest
// entries under its details.

// named joins user with a name, directly in the store.
func (h *harness) named(user int64, name string, role fieldlog.Role, unit fieldlog.UnitID) {
	h.t.Helper()
	if err := h.store.SaveUser(context.Background(), fieldlog.User{ID: user, ChatID: user, Name: name, Lang: fieldlog.Chinese, Role: role, UnitID: unit}); err != nil {
		h.t.Fatal(err)
	}
}

// auditOf is every entry about s, oldest first, without the IDs the
// store gave them; the latest must have been made at the clock's time.
func (h *harness) auditOf(s fieldlog.AuditSubject) []fieldlog.AuditEntry {
	h.t.Helper()
	es, err := h.store.AuditOf(context.Background(), s, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(es) > 0 && !es[0].At.Equal(h.now) {
		h.t.Errorf("entry %s made at %v, want the turn's time %v", es[0].Action, es[0].At, h.now)
	}
	var out []fieldlog.AuditEntry
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		e.ID, e.At = "", time.Time{}
		out = append(out, e)
	}
	return out
}

func mustEntries(t *testing.T, got []fieldlog.AuditEntry, want ...fieldlog.AuditEntry) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		var b strings.Builder
		for _, es := range [][]fieldlog.AuditEntry{got, want} {
			for _, e := range es {
				fmt.Fprintf(&b, "  %+v\n", e)
			}
			b.WriteString("want\n")
		}
		t.Fatalf("audit entries:\n%s", strings.TrimSuffix(b.String(), "want\n"))
	}
}

func change(field, old, new string) fieldlog.FieldChange {
	return fieldlog.FieldChange{Field: field, Old: old, New: new}
}

func TestARecordsLifeIsAudited(t *testing.T) {
	h := newHarness(t)
	h.withMailbox()
	h.named(officerID, "Bat", fieldlog.Officer, "v1")
	h.named(coordID, "王干事", fieldlog.Coordinator, "town")

	// Logged.
	h.logTo(officerID, "发放宣传资料")
	h.press(officerID, h.tr("btn_save"))
	rec := h.records()[0]
	subj := fieldlog.RecordSubject(rec.ID)
	created := fieldlog.AuditEntry{Actor: officerID, ActorName: "Bat", Action: fieldlog.ActionRecordCreate, Subject: subj, Changes: []fieldlog.FieldChange{
		change(fieldlog.FieldType, "", "publicity/leaflets"),
		change(fieldlog.FieldDate, "", "2024-06-19"),
		change(fieldlog.FieldParticipants, "", "80+"),
		change(fieldlog.FieldQuantity, "", "1200"),
		change(fieldlog.FieldTitle, "", "政策赶大集志愿服务活动 🎉"),
		change(fieldlog.FieldPhotos, "", "0"),
	}}
	mustEntries(t, h.auditOf(subj), created)

	// Edited: participants and title.
	h.do(Input{UserID: officerID, Button: "edit|" + string(rec.ID)})
	h.press(officerID, h.tr("btn_change"))
	h.press(officerID, h.tr("field_participants"))
	h.send(officerID, "95")
	h.press(officerID, h.tr("btn_change"))
	h.press(officerID, h.tr("field_title"))
	h.send(officerID, "政策赶大集")
	h.press(officerID, h.tr("btn_save"))
	edited := fieldlog.AuditEntry{Actor: officerID, ActorName: "Bat", Action: fieldlog.ActionRecordEdit, Subject: subj, Changes: []fieldlog.FieldChange{
		change(fieldlog.FieldParticipants, "80+", "95"),
		change(fieldlog.FieldTitle, "政策赶大集志愿服务活动 🎉", "政策赶大集"),
	}}
	mustEntries(t, h.auditOf(subj), created, edited)

	// Saved again unchanged: nothing to record.
	h.do(Input{UserID: officerID, Button: "edit|" + string(rec.ID)})
	h.press(officerID, h.tr("btn_save"))
	mustEntries(t, h.auditOf(subj), created, edited)

	// Returned with a comment, confirmed; returned again, corrected.
	returned := func(comment, from string) fieldlog.AuditEntry {
		return fieldlog.AuditEntry{Actor: coordID, ActorName: "王干事", Action: fieldlog.ActionRecordReturn, Subject: subj, Changes: []fieldlog.FieldChange{
			change(fieldlog.FieldReview, from, "returned"), change(fieldlog.FieldComment, "", comment)}}
	}
	h.do(Input{UserID: coordID, Button: "ret|" + string(rec.ID)})
	h.send(coordID, "人数请核实")
	h.do(Input{UserID: officerID, Button: "ok|" + string(rec.ID) + "|1"})
	confirmed := fieldlog.AuditEntry{Actor: officerID, ActorName: "Bat", Action: fieldlog.ActionRecordConfirm, Subject: subj,
		Changes: []fieldlog.FieldChange{change(fieldlog.FieldReview, "returned", "confirmed")}}
	h.do(Input{UserID: coordID, Button: "ret|" + string(rec.ID)})
	h.press(coordID, h.tr("comment_date"))
	h.do(Input{UserID: officerID, Button: "edit|" + string(rec.ID)})
	h.press(officerID, h.tr("btn_change"))
	h.press(officerID, h.tr("field_date"))
	h.press(officerID, h.tr("btn_today"))
	h.press(officerID, h.tr("btn_save"))
	corrected := fieldlog.AuditEntry{Actor: officerID, ActorName: "Bat", Action: fieldlog.ActionRecordEdit, Subject: subj, Changes: []fieldlog.FieldChange{
		change(fieldlog.FieldDate, "2024-06-19", "2024-06-20"), change(fieldlog.FieldReview, "returned", "corrected")}}
	mustEntries(t, h.auditOf(subj), created, edited, returned("人数请核实", ""), confirmed,
		returned(h.tr("comment_date"), "confirmed"), corrected)

	// Deleted: the entry keeps what the record held.
	h.do(Input{UserID: officerID, Button: "delok|" + string(rec.ID) + "|o|0"})
	if len(h.records()) != 0 {
		t.Fatal("the record was not deleted")
	}
	all := h.auditOf(subj)
	deleted := all[len(all)-1]
	if deleted.Action != fieldlog.ActionRecordDelete || deleted.Actor != officerID ||
		!reflect.DeepEqual(deleted.Changes[:3], []fieldlog.FieldChange{
			change(fieldlog.FieldType, "publicity/leaflets", ""), change(fieldlog.FieldDate, "2024-06-20", ""), change(fieldlog.FieldParticipants, "95", "")}) {
		t.Errorf("the deletion's entry: %+v", deleted)
	}
}

func TestInviteJoinDeadlineAndReopenAreAudited(t *testing.T) {
	h := newHarness(t)
	h.named(coordID, "王干事", fieldlog.Coordinator, "town")

	// The coordinator invites an officer into 一村.
	h.send(coordID, "/invite")
	h.press(coordID, h.tr("role_officer"))
	r := h.press(coordID, "一村")
	code := regexp.MustCompile(`start=([A-Z0-9]{8})`).FindStringSubmatch(text(r))[1]
	expires := h.now.Add(fieldlog.InviteLifetime).Format(time.RFC3339)
	mustEntries(t, h.auditOf(fieldlog.UnitSubject("v1")), fieldlog.AuditEntry{Actor: coordID, ActorName: "王干事",
		Action: fieldlog.ActionInviteCreate, Subject: fieldlog.UnitSubject("v1"), Changes: []fieldlog.FieldChange{
			change(fieldlog.FieldInvite, "", code), change(fieldlog.FieldRole, "", "officer"), change(fieldlog.FieldExpires, "", expires)}})

	// The officer joins with it.
	// Telegram names the user in every update; the harness's press does not.
	h.do(Input{UserID: officerID, Name: "Bat", Text: "/start " + code})
	h.do(Input{UserID: officerID, Name: "Bat", Button: data("lang", string(fieldlog.Chinese)), MessageID: 1})
	mustEntries(t, h.auditOf(fieldlog.UserSubject(officerID)), fieldlog.AuditEntry{Actor: officerID, ActorName: "Bat",
		Action: fieldlog.ActionUserJoin, Subject: fieldlog.UserSubject(officerID), Changes: []fieldlog.FieldChange{
			change(fieldlog.FieldRole, "", "officer"), change(fieldlog.FieldUnit, "", "v1"),
			change(fieldlog.FieldInvite, "", code), change(fieldlog.FieldInvitedBy, "", fmt.Sprint(coordID))}})

	// The coordinator sets the township's deadline: from the default to 28 June.
	h1 := h.msg("period_h1", "Year", 2024)
	period := fieldlog.PeriodSubject("town", fieldlog.Period{Year: 2024, Half: 1})
	h.send(coordID, "/deadline")
	h.press(coordID, h.tr("btn_set_deadline"))
	h.press(coordID, h1)
	h.send(coordID, "6月28日")
	setDue := fieldlog.AuditEntry{Actor: coordID, ActorName: "王干事", Action: fieldlog.ActionDeadlineSet, Subject: period,
		Changes: []fieldlog.FieldChange{change(fieldlog.FieldDue, "2024-06-25", "2024-06-28")}}
	mustEntries(t, h.auditOf(period), setDue)

	// After it, they reopen the half-year for three days.
	h.now = h.now.Add(9 * 24 * time.Hour) // 29 June
	h.send(coordID, "/deadline")
	h.press(coordID, h.tr("btn_reopen"))
	h.press(coordID, h1)
	h.press(coordID, h.msg("btn_days", "N", 3))
	until := h.now.Add(3 * 24 * time.Hour).Format(time.RFC3339)
	es := h.auditOf(period)
	if len(es) != 2 {
		t.Fatalf("the half-year has %d entries, want 2: %+v", len(es), es)
	}
	mustEntries(t, es[1:], fieldlog.AuditEntry{Actor: coordID, ActorName: "王干事", Action: fieldlog.ActionPeriodReopen, Subject: period,
		Changes: []fieldlog.FieldChange{change(fieldlog.FieldUntil, "", until)}})
}

// failingAudit is a store whose audit trail cannot be written.
type failingAudit struct{ fieldlog.Store }

func (failingAudit) AppendAudit(context.Context, fieldlog.AuditEntry) error {
	return errors.New("audit collection unavailable")
}

func TestAFailedAuditKeepsTheChangeAndTheAnswer(t *testing.T) {
	var logs bytes.Buffer
	h := newHarnessLogging(t, failingAudit{newHarness(t).store}, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	h.named(officerID, "Bat", fieldlog.Officer, "v1")
	h.logTo(officerID, "宣讲活动")
	r := h.press(officerID, h.tr("btn_save"))
	if !strings.HasPrefix(text(r), h.tr("saved")) {
		t.Fatalf("saving answered:\n%s", dump(r))
	}
	rec := h.records()
	if len(rec) != 1 {
		t.Fatalf("%d records stored, want 1", len(rec))
	}
	h.do(Input{UserID: officerID, Button: "edit|" + string(rec[0].ID)})
	h.press(officerID, h.tr("btn_change"))
	h.press(officerID, h.tr("field_title"))
	h.send(officerID, "秘密的标题")
	if r := h.press(officerID, h.tr("btn_save")); !strings.HasPrefix(text(r), h.tr("saved")) {
		t.Fatalf("saving the edit answered:\n%s", dump(r))
	}
	if a, _ := h.store.Activity(context.Background(), rec[0].ID); a.Title != "秘密的标题" {
		t.Errorf("the edit was lost: %+v", a)
	}
	out := logs.String()
	for _, want := range []string{"level=WARN msg=\"audit entry not written\" action=record.create", "action=record.edit subject=record id=" + string(rec[0].ID)} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "秘密") || strings.Contains(out, "政策赶大集") {
		t.Errorf("the log shows what the officer wrote:\n%s", out)
	}
}

func TestAdminsSeeTheAuditUnderARecord(t *testing.T) {
	h := newHarness(t)
	h.withMailbox()
	h.named(officerID, "Bat", fieldlog.Officer, "v1")
	h.named(coordID, "王干事", fieldlog.Coordinator, "town")
	h.named(adminID, "Admin", "", "")
	h.logTo(officerID, "发放宣传资料")
	h.press(officerID, h.tr("btn_save"))
	rec := h.records()[0]
	h.now = h.now.Add(90 * time.Minute)
	h.do(Input{UserID: officerID, Button: "edit|" + string(rec.ID)})
	h.press(officerID, h.tr("btn_change"))
	h.press(officerID, h.tr("field_participants"))
	h.send(officerID, "95")
	h.press(officerID, h.tr("btn_save"))
	h.now = h.now.Add(time.Hour)
	h.do(Input{UserID: coordID, Button: "ret|" + string(rec.ID)})
	h.send(coordID, "人数请核实")

	at := func(hour, minute int) string {
		return h.msg("time_format", "Date", h.date(2024, 6, 20), "H", hour, "M", fmt.Sprintf("%02d", minute))
	}
	want := strings.Join([]string{
		h.tr("audit_head"),
		h.msg("audit_returned", "Time", at(12, 30), "Name", "王干事", "Comment", "人数请核实"),
		h.msg("audit_edited", "Time", at(11, 30), "Name", "Bat"),
		h.msg("audit_change", "Field", h.tr("field_participants"), "Old", "80余人", "New", "95人"),
		h.msg("audit_created", "Time", at(10, 0), "Name", "Bat"),
	}, "\n")
	details := text(h.do(Input{UserID: adminID, Button: "rec|" + string(rec.ID) + "|u|0"}))
	if !strings.HasSuffix(details, "\n\n"+want) {
		t.Errorf("the admin's view of the record ends:\n%s\nwant\n%s", details, want)
	}
	for _, u := range []int64{coordID, officerID} {
		if d := text(h.do(Input{UserID: u, Button: "rec|" + string(rec.ID) + "|o|0"})); strings.Contains(d, h.tr("audit_head")) {
			t.Errorf("user %d sees the audit trail:\n%s", u, d)
		}
	}
}

func TestTheAuditFitsInAMessage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.named(officerID, "Bat", fieldlog.Officer, "v1")
	h.named(adminID, "Admin", "", "")
	h.logTo(officerID, "宣讲活动")
	h.press(officerID, h.tr("btn_save"))
	rec := h.records()[0]
	// Edits of long titles and places, more than the details show.
	long := func(c rune, i int) string { return fmt.Sprint(i) + strings.Repeat(string(c), 95) }
	for i := range 8 {
		edited := rec
		edited.Title, edited.Place = long('标', i), long('地', i)
		if err := h.store.AppendAudit(ctx, fieldlog.AuditEntry{At: h.now, Actor: officerID, ActorName: strings.Repeat("名", 64),
			Action: fieldlog.ActionRecordEdit, Subject: fieldlog.RecordSubject(rec.ID), Changes: fieldlog.RecordChanges(rec, edited)}); err != nil {
			t.Fatal(err)
		}
	}
	titleLine := "• " + h.tr("field_title") + "："
	details := text(h.do(Input{UserID: adminID, Button: "rec|" + string(rec.ID) + "|u|0"}))
	if strings.Count(details, titleLine) != auditShown {
		t.Errorf("the details do not show the latest %d edits:\n%s", auditShown, details)
	}
	if strings.Contains(details, long('标', 7)) || !strings.Contains(details, shorten(long('标', 7), auditValueMax)) ||
		strings.Contains(details, shorten(long('标', 2), auditValueMax)) {
		t.Errorf("the details do not show the latest values, shortened:\n%s", details)
	}

	// A long review exchange leaves room for fewer entries: the latest.
	for range 16 {
		note := fieldlog.ReviewNote{State: fieldlog.Returned, By: coordID, ByName: "王干事", At: h.now, Text: strings.Repeat("请", fieldlog.MaxReviewComment)}
		if err := h.store.ReviewActivity(ctx, rec.ID, note, fieldlog.AnyThread); err != nil {
			t.Fatal(err)
		}
	}
	details = text(h.do(Input{UserID: adminID, Button: "rec|" + string(rec.ID) + "|u|0"}))
	if n := utf16Len(details); n > maxMessage {
		t.Errorf("the details are %d UTF-16 units, over Telegram's %d", n, maxMessage)
	}
	if n := strings.Count(details, titleLine); n == 0 || n == auditShown || !strings.Contains(details, shorten(long('标', 7), auditValueMax)) {
		t.Errorf("with a long exchange the details show %d edits, want fewer than %d and the latest first:\n%s", n, auditShown, details)
	}
}
