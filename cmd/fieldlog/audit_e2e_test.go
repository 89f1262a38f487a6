package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"fieldlog"
)

// TestAuditOfARecord walks the audit trail end to end: an officer logs and
// edits a record, a coordinator returns it with a comment, and the admin
// sees the three under the record's details; `fieldlog audit` prints them,
// with the joins and invitations before them.
func TestAuditOfARecord(t *testing.T) {
	a, admin, coord, officer := setUp(t, fieldlog.Chinese)
	zh := fieldlog.Chinese
	clockOf(t).set(cst(6, 20, 11, 0)) // the entries below are made within the minute
	at := a.msg(zh, "time_format", "Date", a.date(zh, fieldlog.Date{Year: 2024, Month: 6, Day: 20}), "H", 11, "M", "00")

	logLeaflets(a, officer, zh)
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))
	list := a.sayLead(officer, "/my", a.msg(zh, "list_own", "Page", 1, "Pages", 1, "Total", 1))
	id := strings.Split(list.InlineKeyboard[0][0].Data, "|")[1] // rec|<id>|o|0
	a.tap(officer, list.InlineKeyboard[0][0].Text)
	a.waitContaining(officer, "\n"+a.tr(zh, "label_reporter")+"Bat\n")
	a.tapThenLead(officer, a.tr(zh, "btn_edit"), a.tr(zh, "check_summary"))
	a.tapThen(officer, a.tr(zh, "btn_change"), a.tr(zh, "ask_change"))
	a.tapThen(officer, a.tr(zh, "field_participants"), a.tr(zh, "ask_participants"))
	a.sayLead(officer, "95", a.tr(zh, "check_summary"))
	a.tapThenLead(officer, a.tr(zh, "btn_save"), a.tr(zh, "saved"))

	list = a.sayLead(coord, "/records", a.msg(zh, "list_unit", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(coord, list.InlineKeyboard[0][0].Text)
	details := a.waitContaining(coord, "\n"+a.tr(zh, "label_reporter")+"Bat\n")
	if strings.Contains(details.Text, a.tr(zh, "audit_head")) {
		t.Errorf("a coordinator sees the audit trail:\n%s", details.Text)
	}
	a.tapThen(coord, a.tr(zh, "btn_return"), a.msg(zh, "ask_return_comment", "Max", fieldlog.MaxReviewComment))
	a.say(coord, "人数请核实", a.msg(zh, "returned_done", "Name", "Bat"))

	// The admin opens the record: its details end with the three entries.
	want := strings.Join([]string{
		a.tr(zh, "audit_head"),
		a.msg(zh, "audit_returned", "Time", at, "Name", "王干事", "Comment", "人数请核实"),
		a.msg(zh, "audit_edited", "Time", at, "Name", "Bat"),
		a.msg(zh, "audit_change", "Field", a.tr(zh, "field_participants"), "Old", "80余人", "New", "95人"),
		a.msg(zh, "audit_created", "Time", at, "Name", "Bat"),
	}, "\n")
	list = a.sayLead(admin, "/records", a.msg(zh, "list_unit", "Page", 1, "Pages", 1, "Total", 1))
	a.tap(admin, list.InlineKeyboard[0][0].Text)
	seen := a.waitContaining(admin, "\n"+a.tr(zh, "label_reporter")+"Bat\n")
	if !strings.HasSuffix(seen.Text, "\n\n"+want) {
		t.Errorf("the admin's view of the record:\n%s\nwant it to end\n%s", seen.Text, want)
	}

	// `fieldlog audit` prints the same, one tab-separated line each.
	a.stop() // the embedded store is one process's at a time
	audit := func(args ...string) []string {
		t.Helper()
		var out, logs bytes.Buffer
		if err := run(context.Background(), append([]string{"audit"}, args...), world{getenv: getenv(a.env), stdout: &out, stderr: &logs}); err != nil {
			t.Fatalf("audit %q: %v\n%s", args, err, logs.String())
		}
		return strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	}
	lines := audit("--since", "2024-06-20", "--record", id)
	subject := "record:" + id
	for i, w := range []struct{ actor, name, action, changes string }{
		{"7000003", "Bat", "record.create", "type:  → publicity/leaflets\tdate:  → 2024-06-19\tparticipants:  → 80+\tquantity:  → 1200\ttitle:  → 政策赶大集 🎉\tphotos:  → 0"},
		{"7000003", "Bat", "record.edit", "participants: 80+ → 95"},
		{"7000002", "王干事", "record.return", "review:  → returned\tcomment:  → 人数请核实"},
	} {
		if len(lines) != 4 {
			t.Fatalf("audit of the record printed %d lines, want a header and 3:\n%s", len(lines), strings.Join(lines, "\n"))
		}
		want := strings.Join([]string{w.actor, w.name, w.action, subject, w.changes}, "\t")
		if got := lines[i+1]; !strings.HasPrefix(got, "2024-06-20 11:00:") || !strings.HasSuffix(got, "\t"+want) {
			t.Errorf("line %d:\n%q\nwant 2024-06-20 11:00:ss\t%q", i+1, got, want)
		}
	}
	all := strings.Join(audit("--since", "2024-06-20"), "\n")
	for _, w := range []string{
		fmt.Sprintf("\t%d\tAdmin\tinvite.create\tunit:galutu\t", adminID),
		"\t7000002\t王干事\tuser.join\tuser:7000002\trole:  → coordinator\tunit:  → galutu\t",
		"\t7000002\t王干事\tinvite.create\tunit:duguilang\t",
		"\t7000003\tBat\tuser.join\tuser:7000003\t",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("the whole audit lacks %q:\n%s", w, all)
		}
	}
	if later := audit("--since", "2024-06-21"); len(later) != 1 {
		t.Errorf("the audit since the next day printed:\n%s", strings.Join(later, "\n"))
	}
}
