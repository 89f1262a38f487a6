package parse

import (
	"errors"
	"strings"
	"unicode/utf8"

	"fieldlog"
)

// Errors returned by Count.
var (
	// ErrNotNumber means the text is not a count in any accepted form.
	ErrNotNumber = errors.New("not a number")
	// ErrNegative means the count has a minus sign.
	ErrNegative = errors.New("number is negative")
	// ErrTooLarge means the count is above fieldlog.MaxCount, so the
	// officer is asked to check it.
	ErrTooLarge = errors.New("number is too large")
	// ErrNotWhole means the count has a fractional part, as in 3.5.
	ErrNotWhole = errors.New("number is not whole")
)

// Words that make a count approximate. Where one word starts another, the
// longer comes first, because cutPrefix takes the first that matches.
var (
	approxBefore = []string{"大约", "大概", "将近", "接近", "约", "近", "~"}
	// ᠭᠠᠷᠤᠢ is Mongolian "more than", written after the number.
	approxAfter = []string{"左右", "以上", "余", "多", "+", "ᠭᠠᠷᠤᠢ"}
)

// measureWords may follow a count: the units of the catalogue and the
// words officers add for people (人, 名, 位, 人次, ᠬᠦᠮᠦᠨ) and places.
var measureWords = []string{
	"人次", "人", "名", "位", "次", "场", "份", "张", "条", "元", "个", "期", "家", "户", "处", "ᠬᠦᠮᠦᠨ",
}

// Count reads a number of participants or a quantity.
//
// The number may be written with ASCII, full-width or Mongolian digits
// (12, １２, ᠑᠒), with thousands separators (1,200, 1，200), in Chinese
// numerals (十二, 一百零五, 两百, 一万二千, 一百五 for 150), or mixed (2万,
// 1.5万). Approximate forms set Approx: 约80, 大约80, 近80, ~80, ～80,
// 80余, 80多, 80左右, 80以上, 80+, 80 ᠭᠠᠷᠤᠢ. A measure word may follow
// (80人, 80余人, 80人左右, 1200份, 80 ᠬᠦᠮᠦᠨ). Zero is accepted.
//
// The error is ErrNotNumber, ErrNegative, ErrTooLarge or ErrNotWhole.
func Count(s string) (fieldlog.Count, error) {
	s = strings.TrimSpace(fold(s))
	rest, negative := strings.CutPrefix(s, "-")
	c, err := unsignedCount(strings.TrimSpace(rest))
	if negative && !errors.Is(err, ErrNotNumber) {
		// Whatever else is wrong with it, the sign is the first thing to fix.
		return fieldlog.Count{}, ErrNegative
	}
	return c, err
}

// unsignedCount reads a folded count without a sign.
func unsignedCount(s string) (fieldlog.Count, error) {
	s, approx := cutPrefix(s, approxBefore)
	number, tail := splitNumber(strings.TrimSpace(s))
	approxTail, ok := readTail(tail)
	if number == "" || !ok {
		return fieldlog.Count{}, ErrNotNumber
	}
	v, err := numberValue(number)
	if err != nil {
		return fieldlog.Count{}, err
	}
	if v > fieldlog.MaxCount {
		return fieldlog.Count{}, ErrTooLarge
	}
	return fieldlog.Count{Value: v, Approx: approx || approxTail}, nil
}

// splitNumber splits s after its leading run of digits, separators and
// Chinese numerals.
func splitNumber(s string) (number, tail string) {
	for i, r := range s {
		if !isNumeral(r) {
			return s[:i], s[i:]
		}
	}
	return s, ""
}

// readTail reads what may follow the number: at most one approximate word
// and at most one measure word, in either order (80余人, 80人左右), with
// spaces between them. ok is false if anything else is there.
func readTail(tail string) (approx, ok bool) {
	measured := false
	for tail = strings.TrimSpace(tail); tail != ""; tail = strings.TrimSpace(tail) {
		if rest, found := cutPrefix(tail, approxAfter); found && !approx {
			approx, tail = true, rest
			continue
		}
		if rest, found := cutPrefix(tail, measureWords); found && !measured {
			measured, tail = true, rest
			continue
		}
		return false, false
	}
	return approx, true
}

// cutPrefix removes the first of words that s starts with.
func cutPrefix(s string, words []string) (string, bool) {
	for _, w := range words {
		if rest, ok := strings.CutPrefix(s, w); ok {
			return rest, true
		}
	}
	return s, false
}

// The characters of Chinese numerals.
var (
	chineseDigits = map[rune]int64{
		'一': 1, '壹': 1, '二': 2, '贰': 2, '两': 2, '兩': 2, '三': 3, '叁': 3,
		'四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '陸': 6,
		'七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9,
	}
	// 零 and 〇 mark a skipped place, as in 一百零五.
	chineseZeros = map[rune]bool{'零': true, '〇': true}
	chineseUnits = map[rune]int64{
		'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000,
		'万': 1e4, '萬': 1e4, '亿': 1e8, '億': 1e8,
	}
)

// isNumeral reports whether r can be part of a number.
func isNumeral(r rune) bool {
	_, digit := chineseDigits[r]
	_, unit := chineseUnits[r]
	return isArabic(r) || digit || unit || chineseZeros[r]
}

// isArabic reports whether r can be part of a number in Arabic digits.
func isArabic(r rune) bool { return r >= '0' && r <= '9' || r == ',' || r == '.' }

// tooBig is beyond any count, yet small enough that multiplying it by the
// largest unit (亿, 1e8) cannot overflow an int64: arithmetic on numerals
// stops with ErrTooLarge as soon as a value passes it.
const tooBig = 1e10

// coefficient is a number read from Arabic digits or one Chinese digit:
// whole + frac/scale, where scale is a power of ten (1 without a decimal
// point). A fraction is only allowed if a unit makes it whole (1.5万).
type coefficient struct{ whole, frac, scale int64 }

// times multiplies c by unit and returns ErrNotWhole if the product has a
// fractional part. whole <= tooBig and frac < scale <= 1e8, so nothing
// overflows.
func (c coefficient) times(unit int64) (int64, error) {
	f := c.frac * unit
	if f%c.scale != 0 {
		return 0, ErrNotWhole
	}
	return c.whole*unit + f/c.scale, nil
}

// numeral is one piece of a number: a coefficient, a unit (十 … 亿), or a
// zero (零, 〇) that marks a skipped place.
type numeral struct {
	coef coefficient
	unit int64
	zero bool
}

// numberValue reads a number made of Arabic digits, Chinese numerals or
// both (2万, 1万2千).
func numberValue(s string) (int64, error) {
	ns, err := numerals(s)
	if err != nil {
		return 0, err
	}
	return evaluate(ns)
}

// numerals splits s, made only of characters isNumeral accepts, into
// numerals. A run of Arabic digits is one coefficient.
func numerals(s string) ([]numeral, error) {
	var ns []numeral
	for s != "" {
		if n := strings.IndexFunc(s, func(r rune) bool { return !isArabic(r) }); n != 0 {
			if n < 0 {
				n = len(s)
			}
			c, err := arabic(s[:n])
			if err != nil {
				return nil, err
			}
			ns = append(ns, numeral{coef: c})
			s = s[n:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if d, ok := chineseDigits[r]; ok {
			ns = append(ns, numeral{coef: coefficient{whole: d, scale: 1}})
		} else if u, ok := chineseUnits[r]; ok {
			ns = append(ns, numeral{unit: u})
		} else {
			ns = append(ns, numeral{zero: true})
		}
	}
	return ns, nil
}

// arabic reads ASCII digits with optional thousands separators and decimal
// part: 1200, 1,200, 3.5, 1.25.
func arabic(s string) (coefficient, error) {
	whole, frac, point := strings.Cut(s, ".")
	if !groupedDigits(whole) || point && (frac == "" || strings.ContainsAny(frac, ",.")) {
		return coefficient{}, ErrNotNumber
	}
	w, err := digitsValue(strings.ReplaceAll(whole, ",", ""))
	if err != nil {
		return coefficient{}, err
	}
	// 3.50 is 3.5 and 3.0 is 3. With more than eight decimals left no unit
	// up to 亿 (1e8) can make the number whole.
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 8 {
		return coefficient{}, ErrNotWhole
	}
	f, _ := digitsValue(frac) // at most eight digits: cannot be too big
	scale := int64(1)
	for range frac {
		scale *= 10
	}
	return coefficient{whole: w, frac: f, scale: scale}, nil
}

// groupedDigits reports whether s is digits, optionally grouped by commas
// in threes from the right (1,200, 12,345,678).
func groupedDigits(s string) bool {
	groups := strings.Split(s, ",")
	for i, g := range groups {
		if g == "" || strings.Contains(g, ".") || i > 0 && len(g) != 3 || len(groups) > 1 && i == 0 && len(g) > 3 {
			return false
		}
	}
	return true
}

// digitsValue reads ASCII digits, stopping with ErrTooLarge past tooBig.
func digitsValue(s string) (int64, error) {
	var v int64
	for _, r := range s {
		v = v*10 + int64(r-'0')
		if v > tooBig {
			return 0, ErrTooLarge
		}
	}
	return v, nil
}

// evaluate computes the value of a sequence of numerals the way Chinese
// numbers are read: a group below 万 is a sum of coefficient×unit with
// units falling (三千五百), 万 and 亿 multiply the group before them
// (一万二千 = 1×万 + 2×千), 零 marks a skipped place (一百零五), and a
// lone 十 at the start of a group means 一十 (十二). A single digit right
// after a unit counts in the next lower place, as people say it:
// 一百五 is 150, 一万二 is 12000.
func evaluate(ns []numeral) (int64, error) {
	var (
		total, group int64              // finished 万/亿 groups; the group being read
		pending      *coefficient       // a coefficient waiting for its unit
		lastSmall    int64        = 1e4 // the last 十/百/千 in this group; the next must be smaller
		lastBig      int64        = 1e9 // the last 万/亿; the next must be smaller
		after        int64              // the unit right before pending; 0 after a zero or at the start
	)
	for _, n := range ns {
		switch {
		case n.zero:
			if pending != nil { // 一〇五, digit by digit, is not a count
				return 0, ErrNotNumber
			}
			after = 0
		case n.unit == 0:
			if pending != nil { // two coefficients in a row: 一二, 5五
				return 0, ErrNotNumber
			}
			c := n.coef
			pending = &c
		case n.unit < 1e4: // 十, 百, 千
			c := coefficient{whole: 1, scale: 1}
			if pending != nil {
				c = *pending
			} else if n.unit != 10 || group != 0 {
				return 0, ErrNotNumber
			}
			if n.unit >= lastSmall {
				return 0, ErrNotNumber
			}
			v, err := c.times(n.unit)
			if err != nil {
				return 0, err
			}
			group += v
			lastSmall, after, pending = n.unit, n.unit, nil
		default: // 万, 亿
			c := coefficient{whole: group, scale: 1}
			if pending != nil {
				c = coefficient{whole: group + pending.whole, frac: pending.frac, scale: pending.scale}
			}
			if n.unit >= lastBig || c.whole == 0 && c.frac == 0 {
				return 0, ErrNotNumber
			}
			v, err := c.times(n.unit)
			if err != nil {
				return 0, err
			}
			total += v
			group, lastSmall, lastBig, after, pending = 0, 1e4, n.unit, n.unit, nil
		}
		if total > tooBig || group > tooBig {
			return 0, ErrTooLarge
		}
	}
	last, err := trailing(pending, after)
	if err != nil {
		return 0, err
	}
	return total + group + last, nil
}

// trailing is the value of a coefficient left at the end of a number,
// which directly follows unit (0 if none or after a zero).
func trailing(c *coefficient, unit int64) (int64, error) {
	switch {
	case c == nil:
		return 0, nil
	case unit == 0:
		return c.times(1)
	case c.whole < 10 && c.frac == 0:
		return c.times(unit / 10) // 一百五 = 150; 二十五 = 25
	}
	return 0, ErrNotNumber // 1万25: which place is meant is unclear
}
