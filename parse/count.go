package parse

import (
	"errors"
	"slices"
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

// Words about figures in a sentence, beyond those Count reads. Where one
// word starts another, the longer comes first.
var (
	// sentenceApproxBefore are Count's words and "more than": 超过200人 is
	// about 200 as 200余人 is. ᠣᠶᠢᠷᠠᠯᠴᠠᠭᠠ is Mongolian "about" (ᠣᠶᠢᠷᠠᠯᠴᠠᠭ᠎ᠠ, folded).
	sentenceApproxBefore = []string{"大约", "大概", "将近", "接近", "超过", "约", "近", "超", "逾", "~", "ᠣᠶᠢᠷᠠᠯᠴᠠᠭᠠ"}
	// sentenceApproxAfter adds 来 (十来人) and 几 (十几人, 二十几个人: a
	// number and some, read as 余 like a range's lower value) to Count's
	// words.
	sentenceApproxAfter = append(slices.Clone(approxAfter), "来", "几")
	// peopleNouns are the people a figure in 个 may count (二十多个年轻人,
	// 五十来个学生): within the three characters after it.
	peopleNouns = []string{"人", "群众", "党员", "学生", "青年", "居民", "牧民", "村民", "干部", "孩子", "娃", "职工", "妇女", "代表", "学员", "僧人", "喇嘛", "信众", "家长", "志愿者", "网格员", "老师", "同志", "侨眷", "企业家", "商户"}
	// peopleWords are the measure words that count people.
	peopleWords = []string{"人次", "个人", "人", "名", "位", "ᠬᠦᠮᠦᠨ"}
	// sentenceMeasures are the measure words a sentence's figures may have
	// besides the catalogue's: people, things given out and occurrences.
	sentenceMeasures = []string{
		"人次", "个人", "人", "名", "位", "ᠬᠦᠮᠦᠨ",
		"份", "张", "本", "册", "条", "篇", "元", "幅", "块", "件",
		"次", "场", "个", "期", "家", "户", "处", "支", "项", "起", "批", "天", "所", "座", "间", "套", "副",
	}
	// thingWords measure things given out or posted; a quantity type's
	// figure may have one of them when it lacks the catalogue's own unit
	// (宣传手册200本 for 宣传资料, counted in 份).
	thingWords = []string{"份", "张", "本", "册", "条", "篇", "元", "幅", "块", "件", "ᠬᠤᠪᠢ", "ᠵᠦᠢᠯ", "ᠶᠤᠸᠠᠨ"}
	// moneyWords are the words for money among thingWords.
	moneyWords = []string{"元", "ᠶᠤᠸᠠᠨ"}
	// tenThousandMongolian multiplies the number before it: 2 ᠲᠦᠮᠡᠨ is 20,000.
	tenThousandMongolian = "ᠲᠦᠮᠡᠨ"
)

// figure is a number found in a sentence, with the words around it that say
// what it counts.
type figure struct {
	start, end int // in the folded text: approximate word, number, measure word
	count      fieldlog.Count
	// err is why the number cannot be taken (ErrTooLarge, ErrNotWhole);
	// such a figure is never read as a field, the officer gives it again.
	err     error
	measure string // the measure word after the number, folded; "" if none
	// people is set for a figure measured in people (80人, 80 ᠬᠦᠮᠦᠨ) or
	// given after a label for them (参加人数：80, ᠬᠦᠮᠦᠨ᠄ 30).
	people, label bool
	// per is the measure word after 每 before a figure for each of several
	// (户 in 每户发放慰问金500元); the figure keeps its value in count.
	per string
}

// findFigures returns the numbers of a folded sentence that lie outside
// taken, in order, with their approximate words and measure words; measures
// are the measure words known, longest first. A number in Chinese numerals
// counts only with a measure word, since their characters are words too
// (统一, 一周两月, 千家万户).
func findFigures(s string, taken []span, measures []string) []figure {
	var figs []figure
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNumeral(r) || r == ',' || r == '.' || inside(taken, i) {
			i += size
			continue
		}
		j := numberEnd(s, i)
		f, ok := readFigure(s, i, j, measures)
		switch {
		case ok && !overlaps(taken, f.start, f.end):
			figs = append(figs, f)
		case !ok && !isDigit(r):
			// A numeral that is part of a word (伍 in 队伍40人) is not the
			// start of the number after it.
			j = i + size
		}
		i = j
	}
	return perUnitTotals(figs)
}

// perUnitTotals multiplies a figure of things or money for each of several
// by their number where the sentence gives it (慰问困难群众10户，每户发放
// 慰问金500元: 5000元). People per unit (每场40人) are left per unit: how
// many came to each is not known to be the same.
func perUnitTotals(figs []figure) []figure {
	for i, f := range figs {
		if !errors.Is(f.err, errPerUnit) || f.per == "" || f.people || f.measure == "" {
			continue
		}
		for _, n := range figs {
			if n.measure != f.per || n.err != nil || n.people {
				continue
			}
			if total := n.count.Value * f.count.Value; n.count.Value > 0 && total/n.count.Value == f.count.Value && total <= fieldlog.MaxCount {
				figs[i].count = fieldlog.Count{Value: total, Approx: n.count.Approx || f.count.Approx}
				figs[i].err = nil
			}
			break
		}
	}
	return figs
}

// cutPrefixWord is the first of words that s starts with, and the rest.
func cutPrefixWord(s string, words []string) (string, bool) {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return w, true
		}
	}
	return "", false
}

// numberEnd is where the number that starts at s[i] ends: digits with
// thousands groups (1,200) and a decimal part (1.5), Chinese numerals, or
// both (2万). A comma or point that does not continue a number ends it: in
// a folded sentence "80人，" has an ASCII comma.
func numberEnd(s string, i int) int {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case r == ',':
			if !(j+4 <= len(s) && allDigits(s[j+1:j+4]) && (j+4 == len(s) || !isDigit(rune(s[j+4])))) {
				return j
			}
		case r == '.':
			if !(j+1 < len(s) && isDigit(rune(s[j+1])) && j > i && isDigit(rune(s[j-1]))) {
				return j
			}
		case !isNumeral(r):
			return j
		}
		j += size
	}
	return j
}

func allDigits(s string) bool {
	for _, r := range s {
		if !isDigit(r) {
			return false
		}
	}
	return s != ""
}

// readFigure reads the number s[i:j] with the words around it.
func readFigure(s string, i, j int, measures []string) (figure, bool) {
	number := s[i:j]
	f := figure{start: i, end: j}
	chinese := !isDigit(rune(number[0]))

	// After the number: ᠲᠦᠮᠡᠨ, an approximate word, a measure word, and
	// the approximate word again if it comes after the measure (80人左右).
	// end is past the last word taken; spaces between words are skipped.
	end := j
	if rest, ok := strings.CutPrefix(s[skipSpaces(s, end):], tenThousandMongolian); ok && !startsMongolianLetter(rest) {
		number += "万"
		end = len(s) - len(rest)
	}
	v, err := numberValue(number)
	if lower, ok := numeralRange(number); ok {
		v, err, f.count.Approx = lower, nil, true
	}
	if rest, ok := cutPrefix(s[skipSpaces(s, end):], sentenceApproxAfter); ok {
		f.count.Approx, end = true, len(s)-len(rest)
	}
	at := skipSpaces(s, end)
	for _, m := range measures {
		rest, ok := strings.CutPrefix(s[at:], m)
		if !ok || isMongolianLetter(firstRune(m)) && startsMongolianLetter(rest) {
			continue
		}
		f.measure, end = m, len(s)-len(rest)
		if m == "ᠬᠦᠮᠦᠨ" { // ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ᠎ᠠ is 人次
			if rest, ok := strings.CutPrefix(rest, " ᠤᠳᠠᠭᠠ"); ok && !startsMongolianLetter(rest) {
				end = len(s) - len(rest)
			}
		}
		break
	}
	if f.measure != "" && !f.count.Approx {
		if rest, ok := cutPrefix(s[skipSpaces(s, end):], []string{"左右", "以上", "多"}); ok {
			f.count.Approx, end = true, len(s)-len(rest)
		}
	}
	f.end = end
	f.people = slices.Contains(peopleWords, f.measure) ||
		f.measure == "个" && containsAny(firstRunes(s[skipSpaces(s, end):], 3), peopleNouns)

	// Before it: 上千, 近百 (a lone 百, 千 or 万 said as about that many),
	// an approximate word, or a label for people.
	before := strings.TrimRight(s[:i], " ")
	if errors.Is(err, ErrNotNumber) {
		unit, lone := chineseUnits[firstRune(number)]
		w, after := suffixOf(before, []string{"上", "近", "约"}) // not 数百, several hundred
		if !lone || len(number) != len(string(firstRune(number))) || !after || unit < 100 {
			return figure{}, false
		}
		v, err, f.count.Approx = unit, nil, true
		f.start = len(before) - len(w)
		before = strings.TrimRight(s[:f.start], " ")
	} else if w, ok := suffixOf(before, sentenceApproxBefore); ok {
		f.count.Approx = true
		f.start = len(before) - len(w)
	}
	if strings.HasSuffix(before, "第") { // 第3名: a rank, not a count
		return figure{}, false
	}
	if chinese && f.measure == "" {
		return figure{}, false
	}
	if !f.people {
		f.label = peopleLabel(strings.TrimRight(s[:f.start], " "))
		f.people = f.label
	}
	switch {
	case err != nil:
		f.err = err
	case strings.HasSuffix(before, "几"):
		f.err = errVague // 几十人, 几百人: no number
	case strings.Contains(s[clauseStart(s, f.start):f.start], "每"):
		f.err = errPerUnit // 每场40人, 每户发放慰问金500元
		f.count.Value = v
		clause := s[clauseStart(s, f.start):f.start]
		f.per, _ = cutPrefixWord(clause[strings.LastIndex(clause, "每")+len("每"):], measures)
	case v > fieldlog.MaxCount:
		f.err = ErrTooLarge
	default:
		f.count.Value = v
	}
	return f, true
}

// Why a figure of a sentence is not taken, besides Count's errors: the
// bot asks for the figure rather than save a wrong one.
var (
	// errPerUnit is a figure for each of several (每场40人): not the total.
	errPerUnit = errors.New("figure is per unit")
	// errVague is a figure with 几 (几十人): no number to save.
	errVague = errors.New("figure is vague")
)

// numeralRange reads two Chinese digits in a row before a unit, as a range
// (二三十, 三四十, 七八百, 一百五六十), as about the lower one: 20, 30, 700,
// 150. ok is false for anything else.
func numeralRange(number string) (lower int64, ok bool) {
	rs := []rune(number)
	for k := 0; k+2 < len(rs); k++ {
		d0, ok0 := chineseDigits[rs[k]]
		d1, ok1 := chineseDigits[rs[k+1]]
		if !ok0 || !ok1 || d1 <= d0 {
			continue
		}
		for _, r := range rs[k+2:] {
			if _, unit := chineseUnits[r]; !unit {
				return 0, false
			}
		}
		v, err := numberValue(string(rs[:k+1]) + string(rs[k+2:]))
		return v, err == nil
	}
	return 0, false
}

// peopleLabel reports whether before ends with a label that a number of
// people follows: 参加人数, 人数：, 人数达, ᠬᠦᠮᠦᠨ᠄, ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭᠠ᠄, ᠲᠣᠭᠠ.
func peopleLabel(before string) bool {
	before = strings.TrimRight(before, " :᠄")
	before, _ = strings.CutSuffix(before, "达")
	before, _ = strings.CutSuffix(before, "为")
	_, ok := suffixOf(strings.TrimRight(before, " :᠄"), []string{"人数", "ᠬᠦᠮᠦᠨ", "ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭᠠ", "ᠲᠣᠭᠠ"})
	return ok
}

// suffixOf returns the first of words that s ends with.
func suffixOf(s string, words []string) (string, bool) {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return w, true
		}
	}
	return "", false
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func startsMongolianLetter(s string) bool { return isMongolianLetter(firstRune(s)) }

// firstRunes is the first n runes of s, or s.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
