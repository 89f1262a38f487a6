package ledger

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"

	"fieldlog"
)

// clean drops what an XML 1.0 document cannot hold: control characters
// other than tab and line breaks, U+FFFE and U+FFFF, and bytes that are not
// UTF-8. excelize would turn them into U+FFFD or write a file Excel refuses.
// Everything else stays, including Mongolian variation selectors, U+202F,
// U+180E and emoji.
func clean(s string) string {
	ok := true
	for i, r := range s {
		if !xmlChar(r) || (r == utf8.RuneError && isBadByte(s, i)) {
			ok = false
			break
		}
	}
	if ok {
		return s // the common case allocates nothing
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if xmlChar(r) && !(r == utf8.RuneError && isBadByte(s, i)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBadByte reports whether the RuneError at s[i] stands for an invalid
// byte rather than an encoded U+FFFD.
func isBadByte(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}

// xmlChar reports whether r is a Char in the XML 1.0 grammar.
func xmlChar(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	case r < 0x10000:
		return false
	}
	return r <= utf8.MaxRune
}

// displayWidth estimates how many Excel character widths s takes: East
// Asian wide characters take two, format characters (U+202F between a
// Mongolian word and its suffix, variation selectors) about nothing.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x180B && r <= 0x180F, r == 0x200B, r == 0x200C, r == 0x200D:
		case r == 0x202F:
			n++ // renders as a narrow gap; rounding up keeps words apart
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}

// excelEpoch is day 0 of Excel's 1900 date system as it behaves from
// 1 March 1900 on, in Unix seconds: 30 December 1899, 25569 days before
// 1970 (Excel counts a 29 February 1900 that never was, which moves the
// effective epoch back from 31 December).
const excelEpoch = -25569 * 86400

// dateSerial is d as an Excel serial day. It is false for an unset date and
// for dates Excel's calendar cannot show (before March 1900, after 9999).
func dateSerial(d fieldlog.Date) (int64, bool) {
	if d.IsZero() || d.Year > 9999 {
		return 0, false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	if t.Before(time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC)) {
		return 0, false
	}
	return (t.Unix() - excelEpoch) / 86400, true
}

// timeSerial is the wall-clock time of t in loc as an Excel serial date and
// time: Excel has no time zones, so the cell shows what a clock in the
// deployment showed.
func timeSerial(t time.Time, loc *time.Location) (float64, bool) {
	if t.IsZero() {
		return 0, false
	}
	w := t.In(loc)
	day, ok := dateSerial(fieldlog.DateOf(w, loc))
	if !ok {
		return 0, false
	}
	secs := w.Hour()*3600 + w.Minute()*60 + w.Second()
	return float64(day) + float64(secs)/86400, true
}

// sheetName makes a message usable as a sheet name: Excel forbids
// : \ / ? * [ ] and more than 31 characters.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, clean(s))
	s = strings.Trim(s, "'")
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}

// quoteSheet quotes a sheet name for a formula or defined name.
func quoteSheet(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
