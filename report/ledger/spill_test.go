package ledger

import (
	"testing"
	"time"

	"fieldlog"
)

// TestRecordEncoding: what a row shows survives the temporary file, and a
// cut or padded record is an error, not a wrong row.
func TestRecordEncoding(t *testing.T) {
	a := fieldlog.Activity{
		ID: "a1", UnitID: "hp", SectionID: "pub", TypeID: "leaflets",
		Date:         fieldlog.Date{Year: 2024, Month: time.June, Day: 30},
		Participants: fieldlog.Count{Value: 80, Approx: true},
		Quantity:     fieldlog.Count{Value: 1200},
		Title:        "ᠬᠣᠰᠢᠭᠤ\u202Fᠶᠢᠨ 宣讲 🎉", Place: "文化广场", ReporterName: "张三", ReporterID: -7,
		LoggedAt: time.Date(2024, 6, 30, 23, 59, 58, 123456789, time.UTC),
		Review:   fieldlog.Review{State: fieldlog.Returned},
	}
	b := encodeRecord(nil, a)
	got, err := decodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.LoggedAt.Equal(a.LoggedAt) {
		t.Errorf("logged at %v, want %v", got.LoggedAt, a.LoggedAt)
	}
	got.LoggedAt, a.LoggedAt = time.Time{}, time.Time{}
	if got.ID != a.ID || got.UnitID != a.UnitID || got.SectionID != a.SectionID || got.TypeID != a.TypeID ||
		got.Date != a.Date || got.Participants != a.Participants || got.Quantity != a.Quantity ||
		got.Title != a.Title || got.Place != a.Place || got.ReporterName != a.ReporterName ||
		got.ReporterID != a.ReporterID || got.Review.State != a.Review.State {
		t.Errorf("decoded %+v\nwant    %+v", got, a)
	}

	empty, err := decodeRecord(encodeRecord(nil, fieldlog.Activity{}))
	if err != nil || !empty.LoggedAt.IsZero() || empty.Participants != (fieldlog.Count{}) {
		t.Errorf("empty record decoded as %+v, %v", empty, err)
	}

	for _, bad := range [][]byte{b[:len(b)-1], b[:3], append(append([]byte{}, b...), 0), {0xFF}} {
		if _, err := decodeRecord(bad); err == nil {
			t.Errorf("decodeRecord(% x…) gave no error", bad[:min(len(bad), 8)])
		}
	}
}
