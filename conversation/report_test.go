package conversation

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"fieldlog"
)

// wordText is the text of a Word file's document.xml, tags and all.
func wordText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the Word file is not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

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

// Issue 10, point 10: a report read in Mongolian comes as text only; its
// Word file is the Chinese one, and the bot says that is the official one.
func TestMongolianReportIsTextOnlyWithTheChineseFile(t *testing.T) {
	h := newHarness(t)
	h.join(coordID, fieldlog.Coordinator, "town")
	h.record("r1", "v1", officerID, fieldlog.Date{Year: 2024, Month: 6, Day: 1})
	h.send(coordID, "/report")
	r := h.press(coordID, h.msg("period_h1", "Year", 2024))

	// The 📄 ᠮᠣᠩᠭᠣᠯ button under the Chinese report.
	r = h.press(coordID, reportButtonMn)
	last := r.Replies[len(r.Replies)-1]
	if want := h.msg("report_ready_text_only", "Count", 1); last.Text != want {
		t.Errorf("after the Mongolian report: %q, want %q", last.Text, want)
	}
	var word, ledger int
	for _, f := range last.Files {
		switch {
		case strings.HasSuffix(f.Name, ".docx"):
			word++
			body := wordText(t, f.Data)
			if !strings.Contains(body, "统战工作开展情况") || strings.ContainsFunc(body, func(r rune) bool { return r >= 0x1820 && r <= 0x18AA }) {
				t.Errorf("the Word file of a Mongolian report is not the Chinese one: %.300s", body)
			}
			if !strings.Contains(f.Name, "统战工作总结") {
				t.Errorf("Word file named %q, want the Chinese name", f.Name)
			}
		case strings.HasSuffix(f.Name, ".xlsx"):
			ledger++
		}
	}
	if word != 1 || ledger != 1 {
		t.Errorf("%d Word files and %d ledgers, want one each: %+v", word, ledger, last.Files)
	}
	var mongolian bool
	for _, rep := range r.Replies {
		if rep.HTML && strings.Contains(rep.Text, "ᠨᠢᠭᠡ᠂ ") {
			mongolian = true // headings numbered in words
		}
	}
	if !mongolian {
		t.Errorf("no Mongolian report text with headings numbered in words:\n%s", dump(r))
	}

	// A Mongolian coordinator is told the same in Mongolian.
	mn := h.msgs.Text(fieldlog.Mongolian, "report_ready_text_only", map[string]any{"Count": 1})
	if mn == "report_ready_text_only" || !strings.Contains(mn, "Word") {
		t.Errorf("Mongolian report_ready_text_only = %q", mn)
	}
}

// paragraphTexts are the paragraphs' texts.
func paragraphTexts(ps []fieldlog.Paragraph) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}
