package parse

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

// The forms of a date within a sentence, matched against its folded text.
// They are Date's forms, unanchored, and more: months and days may be
// written in Chinese numerals (六月七日), the year is Mongolian as well
// (2024 ᠣᠨ ᠤ 6 ᠰᠠᠷ᠎ᠠ ᠶᠢᠨ 7), and a day may be named by its week or month
// (上周五, 本月3号). Date itself keeps to the forms one types in answer to
// "which day?".
const (
	// sentenceNumber is a month or a day: 1–2 digits or Chinese numerals.
	sentenceNumber = `(\d{1,2}|[一二三四五六七八九十〇零两]{1,3})`
	// sentenceYear is four digits, or Chinese digits read one by one (二〇二四).
	sentenceYear = `(\d{4}|[〇零一二三四五六七八九]{4})`
)

var (
	sentenceYMD     = regexp.MustCompile(sentenceYear + ` *年 *` + sentenceNumber + ` *月 *` + sentenceNumber + ` *[日号號]?`)
	sentenceISO     = regexp.MustCompile(`(\d{4}) *([-/.]) *(\d{1,2}) *([-/.]) *(\d{1,2})`)
	sentenceMD      = regexp.MustCompile(sentenceNumber + ` *月 *` + sentenceNumber + ` *([日号號]?)`)
	sentenceMonthOf = regexp.MustCompile(`(本月|这个月|这月|当月|上个月|上月) *` + sentenceNumber + ` *[日号號]`)
	// The week starts on Monday, as in China: 上周五 is the Friday before
	// this week's Monday; a weekday alone is the most recent one. 下周五 is
	// read too, to be refused as in the future rather than taken for the
	// most recent Friday.
	sentenceWeekday = regexp.MustCompile(`(上上|上个|上|下下|下个|下|本|这个|这)?(?:周|星期|礼拜)([一二三四五六日天1-7])`)
	sentenceDay     = regexp.MustCompile(`(\d{1,2}) *[日号號]|([一二三四五六七八九十]{1,3}) *[号號]`)
	// 6/7 in a sentence; 6.7 and 6-7 only where the sentence starts with
	// them, since elsewhere they are decimals (1.5万) and ranges (6-7人).
	sentenceSlash = regexp.MustCompile(`(\d{1,2}) */ *(\d{1,2})`)
	sentenceLead  = regexp.MustCompile(`^ *(\d{1,2})[.\-](\d{1,2})`)
	// sentenceTrail is the same short date at the end, after a comma or a
	// space (…，孩子家长一共68人，5.25): there, as at the start, it is
	// no decimal of a figure.
	sentenceTrail = regexp.MustCompile(`(?:^|[ ,;])(\d{1,2})[.\-](\d{1,2}) *[.!]? *$`)
	// Mongolian: [2024 ᠣᠨ ᠤ] 6 ᠰᠠᠷ᠎ᠠ ᠶᠢᠨ 7, folded (U+180E dropped, U+202F a
	// space); a space typed for the vowel separator is accepted.
	sentenceMongolian = regexp.MustCompile(`(?:(\d{4}) *ᠣᠨ(?: *[ᠤᠦ])? *)?(\d{1,2}) *ᠰᠠᠷ *ᠠ(?: *ᠶᠢᠨ)? *(\d{1,2})`)
	// What may follow a date and belongs to it: the time of day (6月7日下午,
	// 今天上午9点, 6月7日14:30-16:30) and the end of a range (6月7日至8日).
	sentenceDateTail = regexp.MustCompile(`^ *(?:上午|下午|中午|晚上|早上|傍晚|凌晨)? *(?:` + clockTime + `(?: *(?:至|到|-|~) *` + clockTime + `)?)?(?: *(?:至|到|-|~) *(?:\d{1,2} *月 *)?\d{1,2} *[日号])?`)
)

// clockTime is a time of day after a date: 20:00, 3点, 3点半, 3点30分, 14时30分.
const clockTime = `\d{1,2} *(?::\d{2}|点半|[点时] *\d{1,2} *分?|点|时)`

// sentenceRelative are the words for recent days in a sentence: Date's and
// a few more (昨晚 is yesterday; ᠤᠷᠵᠢᠳᠤᠷ, the day before yesterday, as the
// bot's date buttons spell it).
var sentenceRelative = map[string]int{
	"今天": 0, "今日": 0, "今早": 0, "今晚": 0, "ᠥᠨᠦᠳᠦᠷ": 0,
	"昨天": -1, "昨日": -1, "昨晚": -1, "ᠥᠴᠥᠭᠡᠳᠦᠷ": -1,
	"前天": -2, "前日": -2, "ᠤᠷᠵᠢᠳᠤᠷ": -2,
}

// mongolianSuffixes are the case suffixes and particles that may follow a
// word or a number after U+202F (or, as typed on some keyboards, a space).
var mongolianSuffixes = map[string]bool{
	"ᠤᠨ": true, "ᠦᠨ": true, "ᠶᠢᠨ": true, "ᠢᠨ": true, "ᠤ": true, "ᠦ": true, "ᠢ": true, "ᠶᠢ": true,
	"ᠳᠤ": true, "ᠳᠦ": true, "ᠲᠤ": true, "ᠲᠦ": true, "ᠨᠳᠤ": true, "ᠨᠳᠦ": true, "ᠨᠤ": true, "ᠨᠦ": true,
	"ᠪᠠᠷ": true, "ᠪᠡᠷ": true, "ᠢᠶᠠᠷ": true, "ᠢᠶᠡᠷ": true, "ᠠᠴᠠ": true, "ᠡᠴᠡ": true,
	"ᠲᠠᠢ": true, "ᠲᠡᠢ": true, "ᠨ": true,
}

// dateMention is a date found in a sentence, not yet checked against the
// calendar and the allowed range.
type dateMention struct {
	start, end int // in the folded text
	date       fieldlog.Date
	err        error // ErrImpossibleDate for a day the calendar lacks
}

// findDates returns the dates a folded sentence mentions, in the order they
// appear. A form tried earlier wins where two overlap (2024年6月7日 is not
// also 6月7日).
func findDates(s string, today fieldlog.Date) []dateMention {
	var found []dateMention
	add := func(start, end int, d fieldlog.Date, err error) {
		for _, f := range found {
			if start < f.end && f.start < end {
				return
			}
		}
		end += len(sentenceDateTail.FindString(s[end:]))
		found = append(found, dateMention{start: start, end: end, date: d, err: err})
	}
	ymd := func(start, end, y, m, d int) {
		if y == noYear {
			y = latestYear(m, d, today)
		}
		if !isRealDate(y, m, d) {
			add(start, end, fieldlog.Date{}, ErrImpossibleDate)
			return
		}
		add(start, end, fieldlog.Date{Year: y, Month: time.Month(m), Day: d}, nil)
	}
	// Each form is looked for only in a sentence that has a character it
	// needs (年, 月, ᠰᠠᠷ …), which most sentences lack for most forms.
	has := func(chars string) bool { return strings.ContainsAny(s, chars) }
	each := func(re *regexp.Regexp, needs string, f func(g []int)) {
		if !has(needs) {
			return
		}
		for _, g := range re.FindAllStringSubmatchIndex(s, -1) {
			if numberAround(s, g[0], g[1]) && !dayThenTime(s, g[0], g[1]) {
				continue
			}
			f(g)
		}
	}
	part := func(g []int, n int) string {
		if g[2*n] < 0 {
			return ""
		}
		return s[g[2*n]:g[2*n+1]]
	}

	each(sentenceYMD, "年", func(g []int) {
		ymd(g[0], g[1], dateNumber(part(g, 1)), dateNumber(part(g, 2)), dateNumber(part(g, 3)))
	})
	each(sentenceISO, "-/.", func(g []int) {
		if part(g, 2) == part(g, 4) {
			ymd(g[0], g[1], atoi(part(g, 1)), atoi(part(g, 3)), atoi(part(g, 5)))
		}
	})
	each(sentenceMongolian, "ᠰ", func(g []int) {
		y := noYear
		if part(g, 1) != "" {
			y = atoi(part(g, 1))
		}
		ymd(g[0], g[1]+mongolianSuffixAt(s, g[1]), y, atoi(part(g, 2)), atoi(part(g, 3)))
	})
	each(sentenceMD, "月", func(g []int) {
		if part(g, 3) == "" && !dateMayEnd(s, g[1]) {
			return // 6月7人: a count after a month, not a day
		}
		ymd(g[0], g[1], noYear, dateNumber(part(g, 1)), dateNumber(part(g, 2)))
	})
	each(sentenceMonthOf, "月", func(g []int) {
		y, m := today.Year, today.Month
		if strings.HasPrefix(part(g, 1), "上") {
			if m--; m == 0 {
				y, m = y-1, 12
			}
		}
		ymd(g[0], g[1], y, int(m), dateNumber(part(g, 2)))
	})
	if has("周期拜") { // 周, 星期, 礼拜
		for _, g := range sentenceWeekday.FindAllStringSubmatchIndex(s, -1) {
			if !strings.HasSuffix(s[:g[0]], "每") { // 每周五: every Friday
				add(g[0], g[1], weekday(today, part(g, 1), part(g, 2)), nil)
			}
		}
	}
	for w, n := range sentenceRelative {
		for from := 0; ; {
			i := strings.Index(s[from:], w)
			if i < 0 {
				break
			}
			i += from
			add(i, i+len(w), today.AddDays(n), nil)
			from = i + len(w)
		}
	}
	each(sentenceDay, "日号號", func(g []int) {
		before, _ := utf8.DecodeLastRuneInString(s[:g[0]])
		after, _ := utf8.DecodeRuneInString(s[g[1]:])
		if before == '月' || before == '第' || strings.ContainsRune("楼院线门房室馆厅车文令机窗", after) {
			return // 3号楼, 第3号: a number, not a day
		}
		if strings.ContainsAny(s[g[0]:g[1]], "号號") && !dayMayEnd(s[g[1]:]) {
			return // 3号教室, 2号会议室: a room's number
		}
		n := part(g, 1)
		if n == "" {
			n = part(g, 2)
		}
		day := dateNumber(n)
		y, m := today.Year, today.Month
		if day > today.Day {
			if m--; m == 0 {
				y, m = y-1, 12
			}
		}
		ymd(g[0], g[1], y, int(m), day)
	})
	each(sentenceSlash, "/", func(g []int) {
		if dateMayEnd(s, g[1]) {
			ymd(g[0], g[1], noYear, atoi(part(g, 1)), atoi(part(g, 2)))
		}
	})
	if has("-.") {
		if g := sentenceLead.FindStringSubmatchIndex(s); g != nil && !numberAround(s, g[0], g[1]) && dateMayEnd(s, g[1]) {
			ymd(g[2], g[1], noYear, atoi(part(g, 1)), atoi(part(g, 2)))
		}
		if g := sentenceTrail.FindStringSubmatchIndex(s); g != nil && !numberAround(s, g[2], g[5]) {
			ymd(g[2], g[1], noYear, atoi(part(g, 1)), atoi(part(g, 2)))
		}
	}
	slices.SortFunc(found, func(a, b dateMention) int { return a.start - b.start })
	return found
}

// numberAround reports whether a digit touches s[start:end] on either side,
// so that the match is part of a longer number (20240607, 12月 in 112月).
func numberAround(s string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:start])
	after, _ := utf8.DecodeRuneInString(s[end:])
	return isDigit(before) || isDigit(after)
}

// dayThenTime reports whether s[start:end] ends in 日 or 号 and only a
// digit after it touches it: the time of day (6月7日20:00), not more of a
// number.
func dayThenTime(s string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:start])
	last, _ := utf8.DecodeLastRuneInString(s[start:end])
	return !isDigit(before) && strings.ContainsRune("日号號", last)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// dateMayEnd reports whether a date without its 日 may end at s[end:]: not
// where a measure word, a unit of time, an approximation or more of a
// number follows (6月7人, 6/7份, 6.5万, 3.5小时, 6-7月).
func dateMayEnd(s string, end int) bool {
	rest := strings.TrimLeft(s[end:], " ")
	r, _ := utf8.DecodeRuneInString(rest)
	if isNumeral(r) || r == '%' {
		return false
	}
	_, approx := cutPrefix(rest, approxAfter)
	_, measured := cutPrefix(rest, measureWords)
	_, timed := cutPrefix(rest, timeUnits)
	return !approx && !measured && !timed
}

// timeUnits may follow a decimal or a range that is no date: 3.5小时,
// 2.5天, 6-7月, 3-4个月.
var timeUnits = []string{"小时", "个小时", "分钟", "钟头", "天", "个月", "月", "周", "星期", "年", "课时", "学时"}

// dayAfter are the words that may follow a bare day (5号): its time of
// day, a place or the range's end; a verb of doing may too (doneWords).
var dayAfter = []string{"上午", "下午", "中午", "晚上", "早上", "傍晚", "凌晨", "晚", "早", "在", "于", "到", "赴", "去", "至", "的", "那天", "当天", "和", "、"}

// dayMayEnd reports whether a bare day (5号) may be followed by rest: the
// end, punctuation, a space, a time, a word of dayAfter or a verb of
// doing. Anything else is taken for what the number names (3号教室,
// 2号会议室, 1号活动室), since no list of rooms is complete.
func dayMayEnd(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if rest == "" || isDigit(r) || unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r) {
		return true
	}
	_, after := cutPrefix(rest, dayAfter)
	_, done := cutPrefix(rest, doneWords)
	return after || done
}

// mongolianSuffixAt is the length of a case suffix written after s[:i] as
// a word of its own (7 ᠳᠤ, folded from 7\u202Fᠳᠤ), or 0.
func mongolianSuffixAt(s string, i int) int {
	rest, ok := strings.CutPrefix(s[i:], " ")
	if !ok {
		return 0
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return !isMongolianLetter(r) })
	if end < 0 {
		end = len(rest)
	}
	if mongolianSuffixes[rest[:end]] {
		return 1 + end
	}
	return 0
}

// isMongolianLetter reports whether r is a letter of the Mongolian block.
func isMongolianLetter(r rune) bool { return r >= 0x1820 && r <= 0x18AA }

// dateNumber reads a year, month or day of a date in a sentence: ASCII
// digits, Chinese digits one by one (二〇二四), or a Chinese number (十二).
// It returns 0, which no calendar has, for anything else.
func dateNumber(s string) int {
	if s == "" {
		return 0
	}
	if isDigit(rune(s[0])) {
		return atoi(s)
	}
	if len([]rune(s)) == 4 { // a year, digit by digit
		n := 0
		for _, r := range s {
			d, ok := chineseDigits[r]
			if chineseZeros[r] {
				d, ok = 0, true
			}
			if !ok {
				return 0
			}
			n = n*10 + int(d)
		}
		return n
	}
	v, err := numberValue(s)
	if err != nil || v > 9999 {
		return 0
	}
	return int(v)
}

// weekdays numbers the days of the week from Monday, as 上周五 names them.
var weekdays = map[string]int{
	"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7,
	"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7,
}

// weekday is the day a week word names: week is 上上, 上个, 上, 下下, 下个,
// 下 (a day to come, refused as in the future), 本, 这个, 这 or empty;
// day 一 … 日/天 or 1–7. With no week word it is the most recent such day
// up to today; 本周 and 这周 may name a day still to come, which
// is then refused as in the future.
func weekday(today fieldlog.Date, week, day string) fieldlog.Date {
	n := weekdays[day]
	wd := int(time.Date(today.Year, today.Month, today.Day, 0, 0, 0, 0, time.UTC).Weekday())
	if wd == 0 {
		wd = 7 // Sunday ends the week
	}
	back := wd - n // days back to that day of this week
	switch week {
	case "上上":
		back += 14
	case "上", "上个":
		back += 7
	case "下", "下个":
		back -= 7
	case "下下":
		back -= 14
	case "本", "这", "这个":
	default:
		if back < 0 {
			back += 7
		}
	}
	return today.AddDays(-back)
}
