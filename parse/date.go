package parse

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fieldlog"
)

// Errors returned by Date.
var (
	// ErrNotDate means the text is not in any of the forms Date accepts.
	ErrNotDate = errors.New("not a date")
	// ErrImpossibleDate means the text has the form of a date but names no
	// day of the calendar: 2月30日, 13月1日, 2023-02-29.
	ErrImpossibleDate = errors.New("no such date")
	// ErrFutureDate means the date is after today: an activity is logged
	// after it happened.
	ErrFutureDate = errors.New("date is in the future")
	// ErrTooEarly means the date is before the earliest day the caller
	// still accepts records for.
	ErrTooEarly = errors.New("date is too early")
	// ErrPastDate means a deadline typed is already past.
	ErrPastDate = errors.New("date has passed")
	// ErrTooLate means a deadline typed is after the latest day allowed.
	ErrTooLate = errors.New("date is too late")
)

// The numeric date forms, matched against fold(s). A separator may have
// spaces around it, since phone keyboards put them in.
var (
	// 2024-06-07, 2024/6/7, 2024.6.7 (both separators must be the same).
	ymdPattern = regexp.MustCompile(`^(\d{4}) *([-/.]) *(\d{1,2}) *([-/.]) *(\d{1,2})$`)
	// 2024年6月7日; the final 日 or 号 may be left out.
	ymdCJKPattern = regexp.MustCompile(`^(\d{4}) *年 *(\d{1,2}) *月 *(\d{1,2}) *[日号號]?$`)
	// 6月7日, 6月7号, 6月7.
	mdCJKPattern = regexp.MustCompile(`^(\d{1,2}) *月 *(\d{1,2}) *[日号號]?$`)
	// 6-7, 6/7, 6.7: month first, as Chinese writes it.
	mdPattern = regexp.MustCompile(`^(\d{1,2}) *([-/.]) *(\d{1,2})$`)
)

// relativeDays maps the words for recent days to their offset from today.
// The Mongolian words are spelled as in the glossary; fold has already
// dropped any variation selectors a keyboard added.
var relativeDays = map[string]int{
	"今天": 0, "今日": 0, "today": 0, "ᠥᠨᠦᠳᠦᠷ": 0,
	"昨天": -1, "昨日": -1, "yesterday": -1, "ᠥᠴᠥᠭᠡᠳᠦᠷ": -1,
	"前天": -2, "前日": -2,
}

// Date reads the day an activity happened, as an officer types it, and
// checks that it lies between earliest and today, both included.
//
// Accepted forms, with ASCII, full-width or Mongolian digits and any
// surrounding space: 2024-06-07, 2024/6/7, 2024.6.7, 2024年6月7日, 6月7日,
// 6月7号, 6-7, 6/7, 6.7, and the words 今天/今日/today/ᠥᠨᠦᠳᠦᠷ,
// 昨天/昨日/yesterday/ᠥᠴᠥᠭᠡᠳᠦᠷ, 前天/前日 (the day before yesterday).
//
// A date without a year is the most recent such day: it takes today's
// year, or the year before if that day is still to come (on 2027-01-03,
// 12月30日 is 2026-12-30).
//
// The error is ErrNotDate, ErrImpossibleDate, ErrFutureDate or ErrTooEarly.
func Date(s string, today, earliest fieldlog.Date) (fieldlog.Date, error) {
	s = strings.TrimSpace(fold(s))
	if n, ok := relativeDays[s]; ok {
		return inRange(today.AddDays(n), today, earliest)
	}
	y, m, d, ok := numericDate(s)
	if !ok {
		return fieldlog.Date{}, ErrNotDate
	}
	if y == noYear {
		y = latestYear(m, d, today)
	}
	if !isRealDate(y, m, d) {
		return fieldlog.Date{}, ErrImpossibleDate
	}
	return inRange(fieldlog.Date{Year: y, Month: time.Month(m), Day: d}, today, earliest)
}

// Deadline reads a deadline as a coordinator types it, in the forms Date
// accepts, and checks that it lies between today and latest, both
// included. A date without a year is the next such day: this year's, or
// next year's if this year's has passed (on 2026-12-30, 1月5日 is
// 2027-01-05).
//
// The error is ErrNotDate, ErrImpossibleDate, ErrPastDate or ErrTooLate.
func Deadline(s string, today, latest fieldlog.Date) (fieldlog.Date, error) {
	s = strings.TrimSpace(fold(s))
	var date fieldlog.Date
	if n, ok := relativeDays[s]; ok {
		date = today.AddDays(n)
	} else {
		y, m, d, ok := numericDate(s)
		if !ok {
			return fieldlog.Date{}, ErrNotDate
		}
		if y == noYear {
			y = today.Year
			if m < int(today.Month) || m == int(today.Month) && d < today.Day {
				y++
			}
		}
		if !isRealDate(y, m, d) {
			return fieldlog.Date{}, ErrImpossibleDate
		}
		date = fieldlog.Date{Year: y, Month: time.Month(m), Day: d}
	}
	switch {
	case date.Before(today):
		return fieldlog.Date{}, ErrPastDate
	case latest.Before(date):
		return fieldlog.Date{}, ErrTooLate
	}
	return date, nil
}

// noYear is the year numericDate returns for a date written without one.
const noYear = -1

// numericDate splits a folded numeric date into year, month and day; the
// year is noYear when the text gives none. The numbers are not yet checked
// against the calendar.
func numericDate(s string) (y, m, d int, ok bool) {
	if g := ymdPattern.FindStringSubmatch(s); g != nil && g[2] == g[4] {
		return atoi(g[1]), atoi(g[3]), atoi(g[5]), true
	}
	if g := ymdCJKPattern.FindStringSubmatch(s); g != nil {
		return atoi(g[1]), atoi(g[2]), atoi(g[3]), true
	}
	if g := mdCJKPattern.FindStringSubmatch(s); g != nil {
		return noYear, atoi(g[1]), atoi(g[2]), true
	}
	if g := mdPattern.FindStringSubmatch(s); g != nil {
		return noYear, atoi(g[1]), atoi(g[3]), true
	}
	return 0, 0, 0, false
}

// latestYear is the year of the most recent month m, day d up to today.
// It compares numbers rather than dates, so that an impossible day such as
// 2月30日 still gets a year and is then refused as impossible.
func latestYear(m, d int, today fieldlog.Date) int {
	if m > int(today.Month) || m == int(today.Month) && d > today.Day {
		return today.Year - 1
	}
	return today.Year
}

// isRealDate reports whether y-m-d is a day of the Gregorian calendar.
func isRealDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	// Day 0 of the next month is the last day of month m.
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return d <= last
}

// inRange returns d if earliest <= d <= today.
func inRange(d, today, earliest fieldlog.Date) (fieldlog.Date, error) {
	switch {
	case today.Before(d):
		return fieldlog.Date{}, ErrFutureDate
	case d.Before(earliest):
		return fieldlog.Date{}, ErrTooEarly
	}
	return d, nil
}

// atoi converts the one to four ASCII digits a pattern matched.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
