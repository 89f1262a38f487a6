package office_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

// The notes of a unit are written by who may act on it: the township's
// coordinator and an admin, not an officer nor another township's
// coordinator.
func TestWhoMayWriteNotes(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, u := range []fieldlog.User{officer, otherCoord, admin} {
		if _, err := w.office.Notes(ctx, u, "town", h1); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s reads the notes: %v", u.Name, err)
		}
		if _, _, err := w.office.AddParagraph(ctx, u, "town", h1, fieldlog.Problems, "", "不该有"); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s adds: %v", u.Name, err)
		}
	}
	if _, _, err := w.office.AddParagraph(ctx, coord, "town", h1, fieldlog.Problems, "p1", "宣传覆盖面不够广"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []fieldlog.User{officer, otherCoord, admin} {
		if _, err := w.office.DeleteParagraph(ctx, u, "town", h1, fieldlog.Problems, "p1"); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s deletes: %v", u.Name, err)
		}
	}
	if _, n, err := w.office.AddParagraph(ctx, w.office.Acting(admin), "town", h1, fieldlog.Problems, "p2", "管理员补充"); err != nil || n != 2 {
		t.Errorf("an admin adds: %d %v", n, err)
	}
	n, _ := w.store.Notes(ctx, "town", h1)
	if len(n.Problems) != 2 || n.Problems[0].By != coord.ID || !n.Problems[0].At.Equal(now) || n.Problems[1].By != admin.ID {
		t.Errorf("stored %+v", n.Problems)
	}
}

// What is added and deleted, and audited; a blank, a long or a
// twenty-first paragraph is refused.
func TestNotesAddAndDelete(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	add := func(id, text string) (int, error) {
		_, n, err := w.office.AddParagraph(ctx, coord, "v1", h1, fieldlog.Plans, id, text)
		return n, err
	}
	if _, err := add("", "  "); !errors.As(err, new(*office.InvalidError)) {
		t.Errorf("a blank paragraph: %v", err)
	}
	if _, err := add("", strings.Repeat("长", office.MaxParagraph+1)); !errors.As(err, new(*office.InvalidError)) {
		t.Errorf("a long paragraph: %v", err)
	}
	for i := range fieldlog.MaxParagraphs {
		if n, err := add("", " 第"+string(rune('a'+i))+"条 "); err != nil || n != i+1 {
			t.Fatalf("paragraph %d: %d %v", i+1, n, err)
		}
	}
	if _, err := add("", "多一条"); !errors.Is(err, office.ErrNotesFull) {
		t.Errorf("a paragraph too many: %v", err)
	}
	notes, err := w.office.Notes(ctx, coord, "v1", h1)
	if err != nil || len(notes.Plans) != fieldlog.MaxParagraphs || notes.Plans[0].Text != "第a条" || notes.Plans[0].ID == notes.Plans[1].ID {
		t.Fatalf("notes %+v %v", notes.Plans, err)
	}
	second := notes.Plans[1].ID
	if n, err := w.office.DeleteParagraph(ctx, coord, "v1", h1, fieldlog.Plans, second); err != nil || n != 2 {
		t.Errorf("delete: %d %v", n, err)
	}
	if _, err := w.office.DeleteParagraph(ctx, coord, "v1", h1, fieldlog.Plans, second); !errors.Is(err, fieldlog.ErrNotFound) {
		t.Errorf("delete again: %v", err)
	}
	es, _ := w.store.AuditOf(ctx, fieldlog.PeriodSubject("v1", h1), 0)
	if len(es) != fieldlog.MaxParagraphs+1 || es[0].Action != fieldlog.ActionNoteDelete || es[0].Actor != coord.ID ||
		es[0].Changes[0] != (fieldlog.FieldChange{Field: "plans", Old: "第b条"}) || es[1].Action != fieldlog.ActionNoteAdd {
		t.Errorf("audit %d entries, latest %+v", len(es), es[0])
	}
}
