package ledger

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"fieldlog"
	"fieldlog/locales"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"政策赶大集": "政策赶大集",
		"ᠬᠦᠮᠦᠨ\u202Fᠦ ᠲᠣᠭ\u180Eᠠ": "ᠬᠦᠮᠦᠨ\u202Fᠦ ᠲᠣᠭ\u180Eᠠ", // suffix joiner and MVS kept
		"ᠳ\u180Bᠤ":              "ᠳ\u180Bᠤ", // variation selector kept
		"🎉 ok":                  "🎉 ok",
		"a\x00b\x01c\x1fd\x7fe": "abcd\x7fe", // DEL is a legal XML character
		"tab\tnl\ncr\r":         "tab\tnl\ncr\r",
		"bad\xffutf8\xc3":       "badutf8",
		"real \uFFFD stays":     "real \uFFFD stays",
		"no\uFFFEno\uFFFF":      "nono",
		"=SUM(A1:A2)":           "=SUM(A1:A2)", // text, not a formula: inline strings are never evaluated
		"":                      "",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSerials(t *testing.T) {
	for _, c := range []struct {
		d    fieldlog.Date
		want int64
		ok   bool
	}{
		{fieldlog.Date{Year: 2024, Month: 1, Day: 1}, 45292, true}, // as Excel shows =DATE(2024,1,1)
		{fieldlog.Date{Year: 1900, Month: 3, Day: 1}, 61, true},
		{fieldlog.Date{Year: 1900, Month: 2, Day: 28}, 0, false}, // before Excel's phantom 29 Feb
		{fieldlog.Date{}, 0, false},
	} {
		got, ok := dateSerial(c.d)
		if got != c.want || ok != c.ok {
			t.Errorf("dateSerial(%v) = %d, %v; want %d, %v", c.d, got, ok, c.want, c.ok)
		}
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// 16:30 UTC is half past midnight the next day in Shanghai.
	got, ok := timeSerial(time.Date(2024, 1, 1, 16, 30, 0, 0, time.UTC), loc)
	if want := 45293 + 0.5/24; !ok || got != want {
		t.Errorf("timeSerial = %v, %v; want %v", got, ok, want)
	}
	if _, ok := timeSerial(time.Time{}, loc); ok {
		t.Error("timeSerial of the zero time is not empty")
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"单位": 4, "ab": 2, "ᠬᠦᠮᠦᠨ\u202Fᠦ": 7, "（条）": 6, "ᠳ\u180Bᠤ": 2} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestSheetName(t *testing.T) {
	if got := sheetName("a/b:c[d]*?'"); got != "a_b_c_d___" {
		t.Errorf("sheetName = %q", got)
	}
	if got := sheetName(strings.Repeat("台", 40)); len([]rune(got)) != 31 {
		t.Errorf("sheetName keeps %d characters, want 31", len([]rune(got)))
	}
}

// TestMessages keeps the ledger's message files complete: every id the
// package uses exists in both languages, and the Mongolian texts are in
// the traditional script with suffixes joined by U+202F.
func TestMessages(t *testing.T) {
	used := []string{
		msgSheetRecords, msgSheetSummary, msgTitle, msgApprox, msgTotal,
		msgSummaryBySection, msgSummaryParticipants, msgSummaryRecords, msgSummaryByType,
		msgOwnLevel, msgFooter,
	}
	for _, c := range columns() {
		used = append(used, c.msg)
	}
	files, err := locales.Files()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[fieldlog.Lang]map[string]string{}
	for _, lang := range fieldlog.Langs {
		name := "ledger." + string(lang) + ".toml"
		var raw map[string]any
		if _, err := toml.Decode(files[name], &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ids[lang] = map[string]string{}
		flatten("", raw, ids[lang])
		for _, id := range used {
			if ids[lang][id] == "" {
				t.Errorf("%s lacks %s", name, id)
			}
		}
	}
	if zh, mn := slices.Sorted(maps.Keys(ids[fieldlog.Chinese])), slices.Sorted(maps.Keys(ids[fieldlog.Mongolian])); !slices.Equal(zh, mn) {
		t.Errorf("message ids differ:\nzh %q\nmn %q", zh, mn)
	}
	for id, s := range ids[fieldlog.Mongolian] {
		if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x1800 && r <= 0x18AF }) ||
			strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("mn %s = %q is not in traditional Mongolian", id, s)
		}
		for _, suffix := range []string{"ᠶᠢᠨ", "ᠤᠨ", "ᠦᠨ", "ᠦ", "ᠤ", "ᠢ", "ᠪᠡᠷ", "ᠢᠶᠡᠷ"} {
			if strings.Contains(s+" ", " "+suffix+" ") {
				t.Errorf("mn %s = %q joins suffix %s with a plain space, not U+202F", id, s, suffix)
			}
		}
	}
	m, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range fieldlog.Langs {
		for _, id := range used {
			if got := m.Text(lang, id, nil); got == id {
				t.Errorf("Messages.Text(%s, %s) is missing", lang, id)
			}
		}
	}
}

// flatten turns nested TOML tables into go-i18n's dotted ids.
func flatten(prefix string, v map[string]any, out map[string]string) {
	for k, x := range v {
		switch x := x.(type) {
		case map[string]any:
			if other, ok := x["other"].(string); ok {
				out[prefix+k] = other
				continue
			}
			flatten(prefix+k+".", x, out)
		}
	}
}
