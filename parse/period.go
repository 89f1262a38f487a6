package parse

import (
	"errors"
	"regexp"
	"strings"

	"fieldlog"
)

// Errors returned by Period.
var (
	// ErrNotPeriod means the text is not a half-year in any accepted form.
	ErrNotPeriod = errors.New("not a half-year")
	// ErrFuturePeriod means the half-year starts after today, so there is
	// nothing to report on yet.
	ErrFuturePeriod = errors.New("half-year has not started")
)

// The half-year forms, matched against fold(s). Group 1 is the year, four
// digits not starting with 0 so that every period prints back in a form
// read here; it may be empty (this year). Group 2 names the half.
var periodPatterns = []*regexp.Regexp{
	// 2024上半年, 2024年下半年, 上半年.
	regexp.MustCompile(`^(?:([1-9]\d{3}) *年?)? *([上下])半年$`),
	// 2024 H1, 2024h2, 2024-H1 (as fieldlog.Period prints it); fold has
	// lower-cased the h.
	regexp.MustCompile(`^([1-9]\d{3}) *[-/]? *h([12])$`),
	// 2024-1, 2024/2.
	regexp.MustCompile(`^([1-9]\d{3}) *[-/] *([12])$`),
	// Mongolian: 2024 ᠣᠨ ᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ, 2024 ᠣᠨ ᠤ ᠳᠣᠣᠷ᠎ᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ (上半年,
	// 下半年, as the bot writes a half-year: messages period_h1, period_h2),
	// and the shorter 2024 ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ, 2024 ᠡᠬᠢᠨ ᠬᠠᠭᠠᠰ ("first half"),
	// 2024 ᠰᠡᠭᠦᠯ ᠬᠠᠭᠠᠰ ("last half"). fold has turned the U+202F of ᠣᠨ ᠤ into
	// a space and dropped the U+180E of ᠳᠣᠣᠷ᠎ᠠ; "ᠣᠨ ᠤ" ("of the year") only
	// follows a year.
	regexp.MustCompile(`^(?:([1-9]\d{3}) *(?:ᠣᠨ *ᠤ +)?)?(ᠳᠡᠭᠡᠷᠡ|ᠳᠣᠣᠷᠠ|ᠡᠬᠢᠨ|ᠰᠡᠭᠦᠯ) *ᠬᠠᠭᠠᠰ(?: *ᠵᠢᠯ)?$`),
}

// firstHalf lists the words for the half in the patterns that mean H1.
var firstHalf = map[string]bool{"上": true, "1": true, "ᠳᠡᠭᠡᠷᠡ": true, "ᠡᠬᠢᠨ": true}

// Period reads a half-year, for the report command.
//
// Accepted forms, with ASCII, full-width or Mongolian digits: 2024上半年,
// 2024年上半年, 2024下半年, 2024 H1, 2024h2, 2024-H1, 2024-1, 2024-2,
// 2024/1, and in Mongolian the bot's own wording 2024 ᠣᠨ ᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ
// (上半年), 2024 ᠣᠨ ᠤ ᠳᠣᠣᠷ᠎ᠠ ᠬᠠᠭᠠᠰ ᠵᠢᠯ (下半年), shorter without ᠣᠨ ᠤ or ᠵᠢᠯ,
// and 2024 ᠡᠬᠢᠨ ᠬᠠᠭᠠᠰ (first half), 2024 ᠰᠡᠭᠦᠯ ᠬᠠᠭᠠᠰ (second half). Without
// a year (上半年, 下半年, ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ, ᠡᠬᠢᠨ ᠬᠠᠭᠠᠰ) it is today's year.
//
// The half-year in progress is accepted. The error is ErrNotPeriod, or
// ErrFuturePeriod for a half-year that starts after today.
func Period(s string, today fieldlog.Date) (fieldlog.Period, error) {
	s = strings.TrimSpace(fold(s))
	for _, re := range periodPatterns {
		g := re.FindStringSubmatch(s)
		if g == nil {
			continue
		}
		p := fieldlog.Period{Year: today.Year, Half: 2}
		if g[1] != "" {
			p.Year = atoi(g[1])
		}
		if firstHalf[g[2]] {
			p.Half = 1
		}
		if today.Before(p.Start()) {
			return fieldlog.Period{}, ErrFuturePeriod
		}
		return p, nil
	}
	return fieldlog.Period{}, ErrNotPeriod
}
