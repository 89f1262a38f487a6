package fieldlog

import (
	"fmt"
	"time"
)

// Date is a civil day in the deployment's time zone, without a clock.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil day of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseISODate parses YYYY-MM-DD.
func ParseISODate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return DateOf(t, time.UTC), nil
}

// String formats d as YYYY-MM-DD, which also sorts correctly as a string.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n), time.UTC) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

// Period is a half-year: H1 is 1 Jan–30 Jun, H2 is 1 Jul–31 Dec.
type Period struct {
	Year int
	Half int // 1 or 2
}

// PeriodOf returns the half-year containing d.
func PeriodOf(d Date) Period {
	if d.Month <= time.June {
		return Period{d.Year, 1}
	}
	return Period{d.Year, 2}
}

// Start is the first day of p.
func (p Period) Start() Date {
	if p.Half == 1 {
		return Date{p.Year, time.January, 1}
	}
	return Date{p.Year, time.July, 1}
}

// End is the last day of p.
func (p Period) End() Date {
	if p.Half == 1 {
		return Date{p.Year, time.June, 30}
	}
	return Date{p.Year, time.December, 31}
}

// Contains reports whether d lies in p.
func (p Period) Contains(d Date) bool { return !d.Before(p.Start()) && !p.End().Before(d) }

// Previous is the half-year before p.
func (p Period) Previous() Period {
	if p.Half == 2 {
		return Period{p.Year, 1}
	}
	return Period{p.Year - 1, 2}
}

// String formats p as 2024-H1.
func (p Period) String() string { return fmt.Sprintf("%d-H%d", p.Year, p.Half) }
