package report

import (
	"strings"
	"testing"
	"time"

	"fieldlog"
)

// TestSignature: the document carries its 落款, the unit's name and the
// compile date from Config, written as GB/T 9704 writes dates, and keeps
// it out of the paragraphs that the chat shows.
func TestSignature(t *testing.T) {
	tree, cat, msgs := testTree(), testCatalog(), testMessages(t)
	cases := []struct {
		lang         fieldlog.Lang
		date         fieldlog.Date
		issuer, want string
	}{
		{fieldlog.Chinese, day(2025, time.June, 30), "第1苏木", "2025年6月30日"},
		{fieldlog.Chinese, day(2025, time.January, 5), "第1苏木", "2025年1月5日"}, // no leading zeros
		{fieldlog.Mongolian, day(2025, time.January, 5), "ᠰᠤᠮᠤ 1", "2025 ᠣᠨ\u202fᠤ 1 ᠰᠠᠷ\u180eᠠ\u202fᠶᠢᠨ 5"},
		{fieldlog.Chinese, fieldlog.Date{}, "第1苏木", ""}, // no date given, none written
	}
	for _, c := range cases {
		cfg := Config{Catalog: cat, Tree: tree, Scope: "t1", Period: h1(2025), Lang: c.lang, Messages: msgs, Date: c.date}
		d := Compile(cfg, nil)
		if d.Issuer != c.issuer || d.Date != c.want {
			t.Errorf("%s %v: signature %q, %q; want %q, %q", c.lang, c.date, d.Issuer, d.Date, c.issuer, c.want)
		}
		for _, p := range d.Paragraphs {
			if c.want != "" && strings.Contains(p.Text, c.want) {
				t.Errorf("%s: the date is in a paragraph too: %q", c.lang, p.Text)
			}
		}
	}
}
