package office_test

import (
	"context"
	"errors"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

// Who is silent: coordinators and admins see it of their scope, with the
// silent units first; officers do not.
func TestStatus(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	w.logged(officer, "b")
	if _, err := w.office.Status(ctx, officer, h1); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("an officer sees the status: %v", err)
	}
	if _, err := w.office.Status(ctx, admin, h1); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("an officer named an admin nowhere sees the status: %v", err)
	}
	st, err := w.office.Status(ctx, coord, h1)
	if err != nil {
		t.Fatal(err)
	}
	// v2 is silent, v1 logged twice; the township's own row goes, as it
	// logged nothing itself.
	if st.Scope != "town" || st.Records != 2 || len(st.Units) != 2 ||
		st.Units[0] != (office.UnitStatus{Unit: "v2"}) || st.Units[1] != (office.UnitStatus{Unit: "v1", Records: 2, Last: day(2024, 6, 7)}) {
		t.Errorf("status %+v", st)
	}
	// Another township's coordinator sees their own, where nobody logged.
	if st, err := w.office.Status(ctx, otherCoord, h1); err != nil || st.Scope != "town2" || st.Records != 0 {
		t.Errorf("another township's status: %+v %v", st, err)
	}
	// An admin (by configuration, of a village) sees their unit's subtree;
	// the township's own records have a row of their own.
	w.logged(coord, "c")
	if st, err := w.office.Status(ctx, coord, h1); err != nil || len(st.Units) != 3 || !st.Units[2].Own && !st.Units[1].Own {
		t.Errorf("with the township's own record: %+v %v", st, err)
	}
	if st, err := w.office.Status(ctx, w.office.Acting(admin), h1); err != nil || st.Scope != "v1" || st.Records != 2 {
		t.Errorf("an admin's status: %+v %v", st, err)
	}
	// Another half-year counts nothing.
	if st, err := w.office.Status(ctx, coord, fieldlog.Period{Year: 2023, Half: 2}); err != nil || st.Records != 0 {
		t.Errorf("last half-year: %+v %v", st, err)
	}
}
