package fieldlog

import (
	"reflect"
	"testing"
)

func TestRecordChanges(t *testing.T) {
	a := Activity{ID: "r1", SectionID: "publicity", TypeID: "leaflets", Date: Date{2024, 6, 19},
		Participants: Count{80, true}, Quantity: Count{Value: 1200}, Title: "政策赶大集", Photos: []Photo{{Source: TelegramPhoto, ID: "p1"}}}

	created := RecordChanges(Activity{}, a)
	want := []FieldChange{
		{Field: FieldType, New: "publicity/leaflets"},
		{Field: FieldDate, New: "2024-06-19"},
		{Field: FieldParticipants, New: "80+"},
		{Field: FieldQuantity, New: "1200"},
		{Field: FieldTitle, New: "政策赶大集"},
		{Field: FieldPhotos, New: "1"},
	}
	if !reflect.DeepEqual(created, want) {
		t.Errorf("created:\n got %+v\nwant %+v", created, want)
	}

	b := a
	b.TypeID, b.Quantity = "lecture", Count{}
	b.Participants = Count{Value: 95}
	b.Place = "嘎查文化室"
	b.Photos = []Photo{{Source: TelegramPhoto, ID: "p1"}, {Source: TelegramPhoto, ID: "p2"}}
	b.Review = Review{State: Corrected} // not a field of the record's content
	edited := RecordChanges(a, b)
	want = []FieldChange{
		{Field: FieldType, Old: "publicity/leaflets", New: "publicity/lecture"},
		{Field: FieldParticipants, Old: "80+", New: "95"},
		{Field: FieldQuantity, Old: "1200"},
		{Field: FieldPlace, New: "嘎查文化室"},
		{Field: FieldPhotos, Old: "1", New: "2"},
	}
	if !reflect.DeepEqual(edited, want) {
		t.Errorf("edited:\n got %+v\nwant %+v", edited, want)
	}

	if got := RecordChanges(a, a); got != nil {
		t.Errorf("no change: %+v", got)
	}
	deleted := RecordChanges(a, Activity{})
	if len(deleted) != len(created) || deleted[4] != (FieldChange{Field: FieldTitle, Old: "政策赶大集"}) {
		t.Errorf("deleted: %+v", deleted)
	}
}

func TestAuditSubjects(t *testing.T) {
	for _, tc := range []struct {
		got, want AuditSubject
	}{
		{RecordSubject("abc"), AuditSubject{SubjectRecord, "abc"}},
		{UserSubject(7000003), AuditSubject{SubjectUser, "7000003"}},
		{UnitSubject("galutu"), AuditSubject{SubjectUnit, "galutu"}},
		{PeriodSubject("galutu", Period{2024, 2}), AuditSubject{SubjectPeriod, "galutu/2024-H2"}},
	} {
		if tc.got != tc.want {
			t.Errorf("got %+v, want %+v", tc.got, tc.want)
		}
	}
}

func TestOnlyAdminsSeeTheAudit(t *testing.T) {
	for _, r := range []Role{"", Officer, Coordinator} {
		if (User{Role: r}).MaySeeAudit() {
			t.Errorf("a user with role %q may see the audit trail", r)
		}
	}
	if !(User{Role: Admin}).MaySeeAudit() {
		t.Error("an admin may not see the audit trail")
	}
}
