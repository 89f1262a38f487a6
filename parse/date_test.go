package parse

import (
	"errors"
	"testing"
	"time"

	"fieldlog"
)

func day(y int, m time.Month, d int) fieldlog.Date { return fieldlog.Date{Year: y, Month: m, Day: d} }

// earliestFor is what the caller passes: the start of the previous half-year.
func earliestFor(today fieldlog.Date) fieldlog.Date {
	return fieldlog.PeriodOf(today).Previous().Start()
}

type dateCase struct {
	in   string
	want fieldlog.Date
	err  error
}

func runDateCases(t *testing.T, today fieldlog.Date, cases []dateCase) {
	t.Helper()
	earliest := earliestFor(today)
	for _, c := range cases {
		got, err := Date(c.in, today, earliest)
		if c.err != nil {
			if !errors.Is(err, c.err) || !got.IsZero() {
				t.Errorf("today %v: Date(%q) = %v, %v; want error %v", today, c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("today %v: Date(%q) = %v, %v; want %v", today, c.in, got, err, c.want)
		}
	}
}

func TestDateForms(t *testing.T) {
	today := day(2024, time.September, 15) // earliest is 2024-01-01
	june7 := day(2024, time.June, 7)
	runDateCases(t, today, []dateCase{
		{"2024-06-07", june7, nil},
		{"2024-6-7", june7, nil},
		{"2024/6/7", june7, nil},
		{"2024/06/07", june7, nil},
		{"2024.6.7", june7, nil},
		{"2024年6月7日", june7, nil},
		{"2024年6月7号", june7, nil},
		{"2024年6月7", june7, nil},
		{"2024 年 6 月 7 日", june7, nil},
		{"2024 - 6 - 7", june7, nil},
		{"6月7日", june7, nil},
		{"6月7号", june7, nil},
		{"6月7號", june7, nil},
		{"06月07日", june7, nil},
		{"6-7", june7, nil},
		{"6/7", june7, nil},
		{"6.7", june7, nil},
		{"06-07", june7, nil},
		// Full-width digits and punctuation, as a Chinese IME types them.
		{"２０２４年６月７日", june7, nil},
		{"２０２４－０６－０７", june7, nil},
		{"２０２４／６／７", june7, nil},
		{"６．７", june7, nil},
		{"６／７", june7, nil},
		{"６月７日", june7, nil},
		// Mongolian digits.
		{"᠒᠐᠒᠔-᠐᠖-᠐᠗", june7, nil},
		{"᠒᠐᠒᠔/᠖/᠗", june7, nil},
		{"᠖.᠗", june7, nil},
		{"᠖月᠗日", june7, nil},
		// Other dashes phones offer.
		{"2024–06–07", june7, nil},
		{"2024−06−07", june7, nil},
		// Surrounding space of every kind.
		{"  2024-06-07\n", june7, nil},
		{"\t6月7日 ", june7, nil},
		{"\u30006/7\u3000", june7, nil},
		{"\u202F6.7\u00A0", june7, nil},
		// Words.
		{"今天", today, nil},
		{"今日", today, nil},
		{"today", today, nil},
		{" Today ", today, nil},
		{"TODAY", today, nil},
		{"ᠥᠨᠦᠳᠦᠷ", today, nil},
		{"ᠥᠨᠦ\u180Bᠳᠦᠷ", today, nil}, // a keyboard's variation selector does not change the word
		{"昨天", day(2024, time.September, 14), nil},
		{"昨日", day(2024, time.September, 14), nil},
		{"yesterday", day(2024, time.September, 14), nil},
		{"ᠥᠴᠥᠭᠡᠳᠦᠷ", day(2024, time.September, 14), nil},
		{"前天", day(2024, time.September, 13), nil},
		{"前日", day(2024, time.September, 13), nil},
		// Today itself, and the bounds.
		{"2024-09-15", today, nil},
		{"9月15日", today, nil},
		{"2024-01-01", day(2024, time.January, 1), nil},
		{"1月1日", day(2024, time.January, 1), nil},
	})
}

func TestDateRefused(t *testing.T) {
	today := day(2024, time.September, 15) // earliest is 2024-01-01
	runDateCases(t, today, []dateCase{
		{"", fieldlog.Date{}, ErrNotDate},
		{"   ", fieldlog.Date{}, ErrNotDate},
		{"abc", fieldlog.Date{}, ErrNotDate},
		{"明天", fieldlog.Date{}, ErrNotDate},       // tomorrow cannot be logged, nor is it a form
		{"2024-6/7", fieldlog.Date{}, ErrNotDate}, // mixed separators
		{"2024.6-7", fieldlog.Date{}, ErrNotDate},
		{"24-6-7", fieldlog.Date{}, ErrNotDate}, // two-digit year
		{"2024-006-07", fieldlog.Date{}, ErrNotDate},
		{"2024-06-07-01", fieldlog.Date{}, ErrNotDate},
		{"20240607", fieldlog.Date{}, ErrNotDate},
		{"2024年6月", fieldlog.Date{}, ErrNotDate},
		{"6月", fieldlog.Date{}, ErrNotDate},
		{"6 7", fieldlog.Date{}, ErrNotDate},
		{"6。7", fieldlog.Date{}, ErrNotDate},
		{"1 2月3日", fieldlog.Date{}, ErrNotDate},
		{"6月7日下午", fieldlog.Date{}, ErrNotDate},
		{"-6-7", fieldlog.Date{}, ErrNotDate},
		{"六月七日", fieldlog.Date{}, ErrNotDate},
		{"ᠡᠳᠦᠷ", fieldlog.Date{}, ErrNotDate},

		{"2月30日", fieldlog.Date{}, ErrImpossibleDate},
		{"2024-02-30", fieldlog.Date{}, ErrImpossibleDate},
		{"13月1日", fieldlog.Date{}, ErrImpossibleDate},
		{"2024-13-01", fieldlog.Date{}, ErrImpossibleDate},
		{"6月31日", fieldlog.Date{}, ErrImpossibleDate}, // 31 June
		{"2024-06-31", fieldlog.Date{}, ErrImpossibleDate},
		{"4/31", fieldlog.Date{}, ErrImpossibleDate},
		{"2023-02-29", fieldlog.Date{}, ErrImpossibleDate}, // not a leap year
		{"0/5", fieldlog.Date{}, ErrImpossibleDate},
		{"6/0", fieldlog.Date{}, ErrImpossibleDate},
		{"6月32日", fieldlog.Date{}, ErrImpossibleDate},
		{"2099-02-30", fieldlog.Date{}, ErrImpossibleDate}, // impossible before future

		{"2024-09-16", fieldlog.Date{}, ErrFutureDate},
		{"2025-01-01", fieldlog.Date{}, ErrFutureDate},
		{"2099年1月1日", fieldlog.Date{}, ErrFutureDate},

		{"2023-12-31", fieldlog.Date{}, ErrTooEarly}, // one day before earliest
		{"12月31日", fieldlog.Date{}, ErrTooEarly},     // 2023-12-31
		{"9月16日", fieldlog.Date{}, ErrTooEarly},      // tomorrow's date means last year's
		{"0000-01-01", fieldlog.Date{}, ErrTooEarly},
	})
}

func TestDateLeapYears(t *testing.T) {
	runDateCases(t, day(2024, time.March, 10), []dateCase{
		{"2024-02-29", day(2024, time.February, 29), nil},
		{"2月29日", day(2024, time.February, 29), nil},
		{"2024-02-28", day(2024, time.February, 28), nil},
		{"2023-02-29", fieldlog.Date{}, ErrImpossibleDate},
	})
	runDateCases(t, day(2025, time.March, 10), []dateCase{
		{"2月29日", fieldlog.Date{}, ErrImpossibleDate}, // 2025 is not a leap year
		{"2月28日", day(2025, time.February, 28), nil},
		{"2024-02-29", fieldlog.Date{}, ErrTooEarly}, // real, but before 2024-07-01
	})
	// In January a year-less 29 February is last year's.
	runDateCases(t, day(2025, time.January, 10), []dateCase{
		{"2月29日", fieldlog.Date{}, ErrTooEarly}, // 2024-02-29, before 2024-07-01
	})
	for _, c := range []struct {
		y    int
		real bool
	}{{2000, true}, {1900, false}, {2100, false}, {2024, true}, {2023, false}} {
		if got := isRealDate(c.y, 2, 29); got != c.real {
			t.Errorf("isRealDate(%d, 2, 29) = %v, want %v", c.y, got, c.real)
		}
	}
}

func TestDateYearLess(t *testing.T) {
	// On 2027-01-03 (earliest 2026-07-01) a later month-day is last year's.
	runDateCases(t, day(2027, time.January, 3), []dateCase{
		{"12月30日", day(2026, time.December, 30), nil},
		{"12/31", day(2026, time.December, 31), nil},
		{"1月3日", day(2027, time.January, 3), nil},
		{"1月4日", fieldlog.Date{}, ErrTooEarly}, // 2026-01-04
	})
	// On 1 January (earliest 2024-07-01).
	runDateCases(t, day(2025, time.January, 1), []dateCase{
		{"1月1日", day(2025, time.January, 1), nil},
		{"今天", day(2025, time.January, 1), nil},
		{"昨天", day(2024, time.December, 31), nil},
		{"前天", day(2024, time.December, 30), nil},
		{"12月31日", day(2024, time.December, 31), nil},
		{"7月1日", day(2024, time.July, 1), nil}, // exactly earliest
		{"2024-07-01", day(2024, time.July, 1), nil},
		{"6月30日", fieldlog.Date{}, ErrTooEarly}, // one day before earliest
		{"2024-06-30", fieldlog.Date{}, ErrTooEarly},
		{"1月2日", fieldlog.Date{}, ErrTooEarly}, // 2024-01-02
		{"2025-01-02", fieldlog.Date{}, ErrFutureDate},
	})
	// On 1 January words reach back into last year.
	runDateCases(t, day(2024, time.January, 1), []dateCase{
		{"前天", day(2023, time.December, 30), nil},
		{"2023-07-01", day(2023, time.July, 1), nil},
		{"2023-06-30", fieldlog.Date{}, ErrTooEarly},
	})
}

// FuzzDate checks that Date never panics, refuses only with its own errors,
// and that a date it returns is real, in range and reads back the same.
func FuzzDate(f *testing.F) {
	for _, s := range []string{
		"2024-06-07", "2024/6/7", "2024.6.7", "2024年6月7日", "6月7日", "6月7号", "6-7", "6/7", "6.7",
		"２０２４年６月７日", "６．７", "᠒᠐᠒᠔-᠐᠖-᠐᠗", " 今天 ", "昨天", "前天", "ᠥᠨᠦᠳᠦᠷ", "ᠥᠴᠥᠭᠡᠳᠦᠷ", "today",
		"2月29日", "2月30日", "13月1日", "2023-02-29", "6月31日", "12月30日", "1月1日", "2024-6/7", "", "\xff",
	} {
		f.Add(s, uint16(9000))
		f.Add(s, uint16(0))
	}
	base := day(2000, time.January, 1)
	f.Fuzz(func(t *testing.T, s string, days uint16) {
		today := base.AddDays(int(days))
		earliest := earliestFor(today)
		got, err := Date(s, today, earliest)
		if err != nil {
			if !got.IsZero() || !isOneOf(err, ErrNotDate, ErrImpossibleDate, ErrFutureDate, ErrTooEarly) {
				t.Fatalf("Date(%q) = %v, %v", s, got, err)
			}
			return
		}
		if !isRealDate(got.Year, int(got.Month), got.Day) || got.Before(earliest) || today.Before(got) {
			t.Fatalf("Date(%q) = %v, outside %v..%v or not real", s, got, earliest, today)
		}
		if again, err := Date(got.String(), today, earliest); err != nil || again != got {
			t.Fatalf("Date(%q) = %v, which reads back as %v, %v", s, got, again, err)
		}
	})
}

func isOneOf(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

func TestDeadline(t *testing.T) {
	today := fieldlog.Date{Year: 2026, Month: 12, Day: 30}
	latest := fieldlog.Date{Year: 2027, Month: 3, Day: 1}
	for _, tc := range []struct {
		in   string
		want fieldlog.Date
		err  error
	}{
		{"2027-01-05", fieldlog.Date{Year: 2027, Month: 1, Day: 5}, nil},
		{"1月5日", fieldlog.Date{Year: 2027, Month: 1, Day: 5}, nil}, // next year's: this year's has passed
		{"12月31日", fieldlog.Date{Year: 2026, Month: 12, Day: 31}, nil},
		{"12.30", today, nil},
		{"今天", today, nil},
		{"᠑᠒-᠓᠑", fieldlog.Date{Year: 2026, Month: 12, Day: 31}, nil},
		{"昨天", fieldlog.Date{}, ErrPastDate},
		{"2026-12-29", fieldlog.Date{}, ErrPastDate},
		{"2027-03-02", fieldlog.Date{}, ErrTooLate},
		{"2月30日", fieldlog.Date{}, ErrImpossibleDate},
		{"下周五", fieldlog.Date{}, ErrNotDate},
	} {
		got, err := Deadline(tc.in, today, latest)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("Deadline(%q) = %v, %v; want %v, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func FuzzDeadline(f *testing.F) {
	for _, s := range []string{"6月25日", "2024-06-25", "今天", "12.31", "᠖-᠒᠕"} {
		f.Add(s)
	}
	today := fieldlog.Date{Year: 2024, Month: 6, Day: 1}
	latest := fieldlog.Date{Year: 2024, Month: 9, Day: 30}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Deadline(s, today, latest)
		if err == nil && (d.Before(today) || latest.Before(d)) {
			t.Fatalf("Deadline(%q) = %v, outside [%v, %v]", s, d, today, latest)
		}
	})
}
