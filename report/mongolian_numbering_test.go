package report

import (
	"fmt"
	"strings"
	"testing"

	"fieldlog"
)

// Inner Mongolian government reports in Mongolian number their headings in
// words, ᠨᠢᠭᠡ᠂ for 一、 and ︵ᠨᠢᠭᠡ︶ for （一） (GLOSSARY.md), not 1. and (1).
func TestMongolianHeadingsNumberedInWords(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	records := []fieldlog.Activity{
		{ID: "1", SectionID: "lead", TypeID: "meet", Date: day(2024, 3, 4), UnitID: "t1v1", Participants: fieldlog.Count{Value: 12}, Title: "ᠬᠤᠷᠠᠯ"},
		{ID: "2", SectionID: "pub", TypeID: "leaflet", Date: day(2024, 5, 6), UnitID: "t2v1", Quantity: fieldlog.Count{Value: 300}, Title: "ᠬᠡᠪᠯᠡᠮᠡᠯ"},
	}
	var problems []string
	for i := 1; i <= 12; i++ {
		problems = append(problems, fmt.Sprintf("ᠠᠰᠠᠭᠤᠳᠠᠯ %d", i))
	}
	doc := Compile(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Mongolian, Messages: msgs,
		Notes: Notes{Problems: problems, Plans: []string{"ᠲᠥᠯᠥᠪᠯᠡᠭᠡ"}}}, records)

	var h1s, h2s, items []string
	for _, p := range doc.Paragraphs {
		switch {
		case p.Kind == Heading1:
			h1s = append(h1s, p.Text)
		case p.Kind == Heading2:
			h2s = append(h2s, p.Text)
		case p.Kind == Body && strings.HasPrefix(p.Text, "︵"):
			items = append(items, p.Text)
		}
	}
	want := func(kind string, got []string, prefixes ...string) {
		t.Helper()
		if len(got) != len(prefixes) {
			t.Errorf("%d %s, want %d:\n%s", len(got), kind, len(prefixes), strings.Join(got, "\n"))
			return
		}
		for i, p := range prefixes {
			if !strings.HasPrefix(got[i], p) {
				t.Errorf("%s %d = %q, want it to start with %q", kind, i+1, got[i], p)
			}
		}
	}
	want("headings", h1s, "ᠨᠢᠭᠡ᠂ ", "ᠬᠣᠶᠠᠷ᠂ ", "ᠭᠤᠷᠪᠠ᠂ ")
	want("subheadings", h2s, "︵ᠨᠢᠭᠡ︶ ", "︵ᠬᠣᠶᠠᠷ︶ ")
	// Problems and plans are numbered under their heading as subheadings
	// are, eleven and twelve in two words joined by a no-break space.
	want("problems and plans", items,
		"︵ᠨᠢᠭᠡ︶ ᠠᠰᠠᠭᠤᠳᠠᠯ 1᠃", "︵ᠬᠣᠶᠠᠷ︶ ", "︵ᠭᠤᠷᠪᠠ︶ ", "︵ᠳᠥᠷᠪᠡ︶ ", "︵ᠲᠠᠪᠤ︶ ", "︵ᠵᠢᠷᠭᠤᠭ\u180Eᠠ︶ ",
		"︵ᠳᠣᠯᠣᠭ\u180Eᠠ︶ ", "︵ᠨᠠᠢᠮᠠ︶ ", "︵ᠶᠢᠰᠦ︶ ", "︵ᠠᠷᠪᠠ︶ ᠠᠰᠠᠭᠤᠳᠠᠯ 10᠃", "︵ᠠᠷᠪᠠᠨ\u00a0ᠨᠢᠭᠡ︶ ", "︵ᠠᠷᠪᠠᠨ\u00a0ᠬᠣᠶᠠᠷ︶ ᠠᠰᠠᠭᠤᠳᠠᠯ 12᠃",
		"︵ᠨᠢᠭᠡ︶ ᠲᠥᠯᠥᠪᠯᠡᠭᠡ᠃")
	if len(h1s) > 0 && !strings.HasPrefix(h1s[0], "ᠨᠢᠭᠡ᠂ "+msgs.Text(fieldlog.Mongolian, "report.heading_done", nil)) {
		t.Errorf("first heading %q does not name report.heading_done", h1s[0])
	}
	if len(h2s) > 0 && h2s[0] != "︵ᠨᠢᠭᠡ︶ "+cat.Sections[0].Name.In(fieldlog.Mongolian) {
		t.Errorf("first subheading %q, want the first section's name after ︵ᠨᠢᠭᠡ︶", h2s[0])
	}
	// No heading keeps the old 1. / (1) numbering.
	for _, h := range append(h1s, h2s...) {
		if strings.HasPrefix(h, "1.") || strings.HasPrefix(h, "(1)") || strings.ContainsAny(h[:1], "0123456789(") {
			t.Errorf("heading %q is numbered in digits", h)
		}
	}

	// The Chinese report keeps 一、 and （一）.
	zh := Compile(Config{Catalog: cat, Tree: tree, Scope: "b", Period: h1(2024), Lang: fieldlog.Chinese, Messages: msgs}, records)
	for _, p := range zh.Paragraphs {
		if p.Kind == Heading1 && !strings.HasPrefix(p.Text, "一、") && !strings.HasPrefix(p.Text, "二、") && !strings.HasPrefix(p.Text, "三、") {
			t.Errorf("Chinese heading %q", p.Text)
		}
		if p.Kind == Heading2 && !strings.HasPrefix(p.Text, "（一）") && !strings.HasPrefix(p.Text, "（二）") {
			t.Errorf("Chinese subheading %q", p.Text)
		}
	}
}
