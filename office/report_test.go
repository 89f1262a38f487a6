package office_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/office"
)

var h1 = fieldlog.Period{Year: 2024, Half: 1}

// documentText is the report's paragraphs, one a line.
func documentText(r office.Report) string {
	var lines []string
	for _, p := range r.Document.Paragraphs {
		lines = append(lines, p.Text)
	}
	return strings.Join(lines, "\n")
}

// A report is the MayAct of its unit's: the township's coordinator and an
// admin compile it, an officer and another township's coordinator do not.
func TestWhoMayCompileAReport(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	w.logged(neighbour, "b")
	for _, u := range []fieldlog.User{officer, otherCoord, admin} {
		if _, err := w.office.Report(ctx, u, "town", h1, fieldlog.Chinese); !errors.Is(err, office.ErrForbidden) {
			t.Errorf("%s compiles the township's report: %v", u.Name, err)
		}
	}
	if _, err := w.office.Report(ctx, coord, "nowhere", h1, fieldlog.Chinese); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("a report of a unit not in the tree: %v", err)
	}
	if w.counted.reports != 0 {
		t.Errorf("%d refused reports counted", w.counted.reports)
	}
	for _, u := range []fieldlog.User{coord, w.office.Acting(admin)} {
		r, err := w.office.Report(ctx, u, "town", h1, fieldlog.Chinese)
		if err != nil {
			t.Fatalf("%s compiles: %v", u.Name, err)
		}
		if r.Records != 2 {
			t.Errorf("%s's report counts %d records, want 2", u.Name, r.Records)
		}
	}
	// A village's report counts that village only.
	if r, err := w.office.Report(ctx, coord, "v1", h1, fieldlog.Chinese); err != nil || r.Records != 1 {
		t.Errorf("the village's report: %d records, %v", r.Records, err)
	}
	if w.counted.reports != 3 {
		t.Errorf("%d reports counted, want 3", w.counted.reports)
	}
}

// The report carries the notes, a Word file in Chinese whatever the
// language asked, and the ledger in that language.
func TestAReportAndItsFiles(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	if err := w.store.AddParagraph(ctx, "town", h1, fieldlog.Problems, fieldlog.Paragraph{ID: "p1", Text: "宣传覆盖面不够广"}); err != nil {
		t.Fatal(err)
	}
	r, err := w.office.Report(ctx, coord, "town", h1, fieldlog.Mongolian)
	if err != nil {
		t.Fatal(err)
	}
	if r.Lang != fieldlog.Mongolian || r.Unit != "town" || r.Period != h1 || !strings.Contains(documentText(r), "宣传覆盖面不够广") {
		t.Errorf("report %+v:\n%s", r, documentText(r))
	}
	if !strings.HasSuffix(r.WordName, ".docx") || !strings.Contains(r.WordName, "嘎鲁图镇") || !strings.HasPrefix(string(r.Word), "PK") {
		t.Errorf("Word file %q, %d bytes", r.WordName, len(r.Word))
	}
	if !strings.HasSuffix(r.LedgerName, ".xlsx") || !strings.Contains(r.LedgerName, "ᠭᠠᠯᠤᠲᠤ") || !strings.HasPrefix(string(r.Ledger), "PK") {
		t.Errorf("ledger %q, %d bytes", r.LedgerName, len(r.Ledger))
	}
	if _, err := w.office.Report(ctx, coord, "town", h1, "xx"); err == nil {
		t.Error("a report in no language")
	}
}

// A coordinator whose unit left the tree gets their own unit's report,
// empty, and nobody else's.
func TestTheReportOfAUnitThatLeftTheTree(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.logged(officer, "a")
	gone := fieldlog.User{ID: 9, Name: "赵", Role: fieldlog.Coordinator, UnitID: "removed"}
	if r, err := w.office.Report(ctx, gone, "removed", h1, fieldlog.Chinese); err != nil || r.Records != 0 {
		t.Errorf("own report: %d records, %v", r.Records, err)
	}
	if _, err := w.office.Report(ctx, gone, "town", h1, fieldlog.Chinese); !errors.Is(err, office.ErrForbidden) {
		t.Errorf("another unit's report: %v", err)
	}
}
