package conversation

import (
	"context"
	"strings"
	"testing"

	"fieldlog"
)

// Issue 10, point 6: the report comes as Telegram HTML, headings bold and
// what users typed escaped; the other replies stay plain text.
func TestReportIsHTMLWithUserTextEscaped(t *testing.T) {
	h := newHarness(t)
	h.join(coordID, fieldlog.Coordinator, "town")
	a := fieldlog.Activity{ID: "r1", SectionID: "publicity", TypeID: "lecture", Date: fieldlog.Date{Year: 2024, Month: 6, Day: 1},
		Participants: fieldlog.Count{Value: 10}, Title: "<b>宣讲</b> & 座谈", Place: "<script>", UnitID: "v1", ReporterID: officerID, LoggedAt: h.now}
	if err := h.store.InsertActivity(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	h.send(coordID, "/report")
	r := h.press(coordID, h.msg("period_h1", "Year", 2024))
	var report []Reply
	for _, rep := range r.Replies {
		if rep.HTML {
			report = append(report, rep)
		}
	}
	if len(report) == 0 {
		t.Fatalf("no HTML reply in the report:\n%s", dump(r))
	}
	text := report[0].Text
	for _, want := range []string{"<b>嘎鲁图镇2024年上半年统战工作开展情况</b>", "<b>一、工作开展完成情况</b>", "<b>（一）宣传教育</b>",
		"在&lt;script&gt;开展&lt;b&gt;宣讲&lt;/b&gt; &amp; 座谈"} {
		if !strings.Contains(text, want) {
			t.Errorf("report message lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "■") || strings.Contains(text, "<script>") {
		t.Errorf("report message:\n%s", text)
	}
	if last := r.Replies[len(r.Replies)-1]; last.HTML || last.Text != h.msg("report_ready", "Count", 1) {
		t.Errorf("the closing message is %+v, want plain report_ready", last)
	}
}
