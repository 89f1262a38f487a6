package parse

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fieldlog"
	"fieldlog/locales"
)

func TestPeriod(t *testing.T) {
	h := func(y, half int) fieldlog.Period { return fieldlog.Period{Year: y, Half: half} }
	type periodCase struct {
		in   string
		want fieldlog.Period
		err  error
	}
	run := func(today fieldlog.Date, cases []periodCase) {
		t.Helper()
		for _, c := range cases {
			got, err := Period(c.in, today)
			if c.err != nil {
				if !errors.Is(err, c.err) || got != (fieldlog.Period{}) {
					t.Errorf("today %v: Period(%q) = %v, %v; want error %v", today, c.in, got, err, c.err)
				}
			} else if err != nil || got != c.want {
				t.Errorf("today %v: Period(%q) = %v, %v; want %v", today, c.in, got, err, c.want)
			}
		}
	}
	run(day(2024, time.September, 15), []periodCase{
		{"2024上半年", h(2024, 1), nil},
		{"2024年上半年", h(2024, 1), nil},
		{"2024 年 上半年", h(2024, 1), nil},
		{"2024下半年", h(2024, 2), nil}, // in progress
		{"2023年下半年", h(2023, 2), nil},
		{"2024 H1", h(2024, 1), nil},
		{"2024h2", h(2024, 2), nil},
		{"2024-H1", h(2024, 1), nil}, // as fieldlog.Period prints it
		{"2024/h2", h(2024, 2), nil},
		{"2024-1", h(2024, 1), nil},
		{"2024-2", h(2024, 2), nil},
		{"2024/1", h(2024, 1), nil},
		{"2024 / 2", h(2024, 2), nil},
		{"上半年", h(2024, 1), nil},
		{"下半年", h(2024, 2), nil},
		{" 上半年\n", h(2024, 1), nil},
		{"２０２４上半年", h(2024, 1), nil},
		{"２０２４Ｈ１", h(2024, 1), nil},
		{"２０２４－２", h(2024, 2), nil},
		{"᠒᠐᠒᠔上半年", h(2024, 1), nil},
		{"᠒᠐᠒᠔-᠑", h(2024, 1), nil},
		{"᠒᠐᠒᠔ ᠡᠬᠢᠨ ᠬᠠᠭᠠᠰ", h(2024, 1), nil},
		{"2023 ᠰᠡᠭᠦᠯ ᠬᠠᠭᠠᠰ", h(2023, 2), nil},
		{"2023ᠰᠡᠭᠦᠯ\u202Fᠬᠠᠭᠠᠰ", h(2023, 2), nil},
		{"2023  ᠰᠡᠭᠦᠯ  ᠬᠠᠭᠠᠰ", h(2023, 2), nil},
		{"ᠡᠬᠢᠨ ᠬᠠᠭᠠᠰ", h(2024, 1), nil},
		{"ᠰᠡᠭᠦᠯ ᠬᠠᠭᠠᠰ", h(2024, 2), nil},
		// The bot's own wording (active.mn-Mong.toml period_h1, period_h2),
		// typed back: U+202F joins the genitive, U+180E in ᠳᠣᠣᠷ᠎ᠠ.
		{"2024 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 1), nil},
		{"2023 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2023, 1), nil},
		{"2023 ᠣᠨ\u202Fᠤ ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2023, 2), nil},
		{"2024 ᠣᠨ\u202Fᠤ ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 2), nil}, // in progress
		{"᠒᠐᠒᠔ ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 1), nil},
		{"᠒᠐᠒᠓ ᠣᠨ\u202Fᠤ ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2023, 2), nil},
		// … as keyboards type it: plain spaces, no U+180E, spaces doubled or left out.
		{"2024 ᠣᠨ ᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 1), nil},
		{"2023 ᠣᠨ ᠤ ᠳᠣᠣᠷᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2023, 2), nil},
		{" 2023  ᠣᠨ\u202Fᠤ  ᠳᠣᠣᠷ\u180Eᠠ  ᠬᠠᠭᠠᠰ  ᠵᠢᠯ\n", h(2023, 2), nil},
		{"2024ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 1), nil},
		// … and shorter.
		{"2024 ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 1), nil},
		{"2023 ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ", h(2023, 2), nil},
		{"ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 1), nil},
		{"ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 2), nil},
		{"2023 ᠰᠡᠭᠦᠯ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2023, 2), nil},

		{"2025上半年", fieldlog.Period{}, ErrFuturePeriod},
		{"2025-1", fieldlog.Period{}, ErrFuturePeriod},
		{"2025 ᠡᠬᠢᠨ ᠬᠠᠭᠠᠰ", fieldlog.Period{}, ErrFuturePeriod},
		{"2025 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", fieldlog.Period{}, ErrFuturePeriod},

		{"", fieldlog.Period{}, ErrNotPeriod},
		{"2024", fieldlog.Period{}, ErrNotPeriod},
		{"2024年", fieldlog.Period{}, ErrNotPeriod},
		{"2024上", fieldlog.Period{}, ErrNotPeriod},
		{"上半", fieldlog.Period{}, ErrNotPeriod},
		{"H1", fieldlog.Period{}, ErrNotPeriod},
		{"2024-3", fieldlog.Period{}, ErrNotPeriod},
		{"2024 H3", fieldlog.Period{}, ErrNotPeriod},
		{"2024-01", fieldlog.Period{}, ErrNotPeriod},
		{"2024.1", fieldlog.Period{}, ErrNotPeriod},
		{"20241", fieldlog.Period{}, ErrNotPeriod},
		{"24上半年", fieldlog.Period{}, ErrNotPeriod},
		{"0999上半年", fieldlog.Period{}, ErrNotPeriod},
		{"2024 ᠬᠠᠭᠠᠰ", fieldlog.Period{}, ErrNotPeriod},
		{"2024上半年下半年", fieldlog.Period{}, ErrNotPeriod},
		{"ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", fieldlog.Period{}, ErrNotPeriod}, // "of the year" without one
		{"2024 ᠣᠨ\u202Fᠤ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", fieldlog.Period{}, ErrNotPeriod},
		{"2024 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠵᠢᠯ", fieldlog.Period{}, ErrNotPeriod},
		{"2024 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ ᠵᠢᠯ", fieldlog.Period{}, ErrNotPeriod},
		{"2024 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", fieldlog.Period{}, ErrNotPeriod},
	})
	// In the first half the second half of this year has not started.
	run(day(2024, time.June, 30), []periodCase{
		{"上半年", h(2024, 1), nil},
		{"下半年", fieldlog.Period{}, ErrFuturePeriod},
		{"2024-2", fieldlog.Period{}, ErrFuturePeriod},
		{"2023-2", h(2023, 2), nil},
		{"ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", fieldlog.Period{}, ErrFuturePeriod},
		{"2024 ᠣᠨ\u202Fᠤ ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", fieldlog.Period{}, ErrFuturePeriod},
		{"2024 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", h(2024, 1), nil},
	})
	// It starts on 1 July.
	run(day(2024, time.July, 1), []periodCase{
		{"下半年", h(2024, 2), nil},
		{"2024-2", h(2024, 2), nil},
	})
}

// A half-year as the bot writes it (period_h1, period_h2, in every
// language) reads back as that half-year, with ASCII or Mongolian digits, so
// a user can type back what the bot wrote.
func TestPeriodReadsTheBotsWording(t *testing.T) {
	msgs, err := locales.New()
	if err != nil {
		t.Fatal(err)
	}
	toMongolianDigits := strings.NewReplacer("0", "᠐", "1", "᠑", "2", "᠒", "3", "᠓", "4", "᠔", "5", "᠕", "6", "᠖", "7", "᠗", "8", "᠘", "9", "᠙")
	today := day(2024, time.September, 15)
	for _, l := range fieldlog.Langs {
		for _, p := range []fieldlog.Period{{Year: 2023, Half: 1}, {Year: 2023, Half: 2}, {Year: 2024, Half: 1}, {Year: 2024, Half: 2}} {
			id := map[int]string{1: "period_h1", 2: "period_h2"}[p.Half]
			s := msgs.Text(l, id, map[string]any{"Year": p.Year})
			if s == id {
				t.Fatalf("%s %s is missing", l, id)
			}
			for _, in := range []string{s, toMongolianDigits.Replace(s)} {
				if got, err := Period(in, today); err != nil || got != p {
					t.Errorf("%s %s: Period(%q) = %v, %v; want %v", l, id, in, got, err, p)
				}
			}
		}
	}
}

// FuzzPeriod checks that Period never panics, refuses only with its own
// errors, returns a real half-year that has started, and reads back what
// fieldlog.Period prints.
func FuzzPeriod(f *testing.F) {
	for _, s := range []string{
		"2024上半年", "2024年上半年", "2024下半年", "2024 H1", "2024h2", "2024-1", "2024-2", "2024/1", "上半年", "下半年",
		"᠒᠐᠒᠔ ᠡᠬᠢᠨ ᠬᠠᠭᠠᠰ", "2023 ᠰᠡᠭᠦᠯ ᠬᠠᠭᠠᠰ", "２０２４上半年", "2025-1", "2024-3", "", "\xff",
		"2024 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", "2023 ᠣᠨ\u202Fᠤ ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ", "᠒᠐᠒᠔ ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ",
		"ᠳᠣᠣᠷ\u180Eᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ",
	} {
		f.Add(s, uint16(9000))
	}
	base := day(2000, time.January, 1)
	f.Fuzz(func(t *testing.T, s string, days uint16) {
		today := base.AddDays(int(days))
		got, err := Period(s, today)
		if err != nil {
			if got != (fieldlog.Period{}) || !isOneOf(err, ErrNotPeriod, ErrFuturePeriod) {
				t.Fatalf("Period(%q) = %v, %v", s, got, err)
			}
			return
		}
		if got.Half != 1 && got.Half != 2 || today.Before(got.Start()) {
			t.Fatalf("Period(%q) on %v = %v", s, today, got)
		}
		if again, err := Period(got.String(), today); err != nil || again != got {
			t.Fatalf("Period(%q) = %v, which reads back as %v, %v", s, got, again, err)
		}
	})
}
