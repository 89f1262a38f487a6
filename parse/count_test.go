package parse

import (
	"errors"
	"fmt"
	"testing"

	"fieldlog"
)

func TestCountAccepted(t *testing.T) {
	exact := func(v int64) fieldlog.Count { return fieldlog.Count{Value: v} }
	about := func(v int64) fieldlog.Count { return fieldlog.Count{Value: v, Approx: true} }
	for _, c := range []struct {
		in   string
		want fieldlog.Count
	}{
		{"12", exact(12)},
		{" 12 ", exact(12)},
		{"012", exact(12)},
		{"１２", exact(12)},
		{"᠑᠒", exact(12)},
		{"᠑᠒ ᠬᠦᠮᠦᠨ", exact(12)},
		{"0", exact(0)},
		{"０", exact(0)},
		{"零", exact(0)},
		{"〇", exact(0)},
		{"100000", exact(fieldlog.MaxCount)},
		{"100,000", exact(100000)},
		{"1,200", exact(1200)},
		{"1，200", exact(1200)},
		{"12,345", exact(12345)},
		{"3.0", exact(3)},
		{"3.00人", exact(3)},
		// Chinese numerals.
		{"十", exact(10)},
		{"十二", exact(12)},
		{"二十", exact(20)},
		{"二十五", exact(25)},
		{"一百二十", exact(120)},
		{"一百零五", exact(105)},
		{"一千零五十", exact(1050)},
		{"两百", exact(200)},
		{"三千五百", exact(3500)},
		{"一万二千", exact(12000)},
		{"一万零五百", exact(10500)},
		{"十万", exact(100000)},
		{"壹佰", exact(100)},
		{"兩千", exact(2000)},
		// Colloquial: a last digit right after a unit is in the next place.
		{"一百五", exact(150)},
		{"两千三", exact(2300)},
		{"一万二", exact(12000)},
		{"一万二千三", exact(12300)},
		// Arabic digits with a Chinese unit.
		{"2万", exact(20000)},
		{"1.5万", exact(15000)},
		{"1.25万元", exact(12500)},
		{"3千", exact(3000)},
		{"1万2千", exact(12000)},
		{"0.5万", exact(5000)},
		// Approximate.
		{"80余", about(80)},
		{"80多", about(80)},
		{"80余人", about(80)},
		{"80多人", about(80)},
		{"80人左右", about(80)},
		{"约80", about(80)},
		{"约 80 人", about(80)},
		{"大约80", about(80)},
		{"大概80", about(80)},
		{"近80", about(80)},
		{"将近80", about(80)},
		{"80左右", about(80)},
		{"80以上", about(80)},
		{"80+", about(80)},
		{"80 +", about(80)},
		{"～80", about(80)},
		{"~80", about(80)},
		{"〜80", about(80)},
		{"1200余份", about(1200)},
		{"1,200余份", about(1200)},
		{"一百多人", about(100)},
		{"十多", about(10)},
		{"约80余人", about(80)},
		{"80 ᠭᠠᠷᠤᠢ", about(80)},
		{"80ᠭᠠᠷᠤᠢ", about(80)},
		{"80\u202Fᠭᠠᠷᠤᠢ", about(80)},
		{"᠘᠐ ᠭᠠᠷᠤᠢ ᠬᠦᠮᠦᠨ", about(80)},
		{"０多", about(0)},
		// Measure words.
		{"12人", exact(12)},
		{"12名", exact(12)},
		{"12位", exact(12)},
		{"1800人次", exact(1800)},
		{"8次", exact(8)},
		{"11场", exact(11)},
		{"1200份", exact(1200)},
		{"30张", exact(30)},
		{"15条", exact(15)},
		{"5000元", exact(5000)},
		{"两千元", exact(2000)},
		{"3个", exact(3)},
		{"2期", exact(2)},
		{"6家", exact(6)},
		{"20户", exact(20)},
		{"4处", exact(4)},
		{"12 ᠬᠦᠮᠦᠨ", exact(12)},
		{"12ᠬᠦᠮᠦᠨ", exact(12)},
	} {
		got, err := Count(c.in)
		if err != nil || got != c.want {
			t.Errorf("Count(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestCountRefused(t *testing.T) {
	for _, c := range []struct {
		in  string
		err error
	}{
		{"", ErrNotNumber},
		{"   ", ErrNotNumber},
		{"abc", ErrNotNumber},
		{"人", ErrNotNumber},
		{"约", ErrNotNumber},
		{"-", ErrNotNumber},
		{"+80", ErrNotNumber},
		{"80-", ErrNotNumber},
		{"人80", ErrNotNumber},
		{"80多多", ErrNotNumber},
		{"80人人", ErrNotNumber},
		{"80余多", ErrNotNumber},
		{"约约80", ErrNotNumber},
		{"80人多人", ErrNotNumber},
		{"80 个人", ErrNotNumber},
		{"1 200", ErrNotNumber},
		{"1,2", ErrNotNumber},
		{"12,00", ErrNotNumber},
		{"1,2000", ErrNotNumber},
		{"1234,567", ErrNotNumber},
		{",5", ErrNotNumber},
		{"5,", ErrNotNumber},
		{".5", ErrNotNumber},
		{"5.", ErrNotNumber},
		{"1.2.3", ErrNotNumber},
		{"1,200.5.0", ErrNotNumber},
		{"一二", ErrNotNumber},
		{"二〇二四", ErrNotNumber},
		{"一〇五", ErrNotNumber},
		{"5五", ErrNotNumber},
		{"百", ErrNotNumber},
		{"万", ErrNotNumber},
		{"零万", ErrNotNumber},
		{"千万", ErrNotNumber},
		{"十十", ErrNotNumber},
		{"五十百", ErrNotNumber},
		{"一百一百", ErrNotNumber},
		{"一百十", ErrNotNumber},
		{"一万一万", ErrNotNumber},
		{"1万25", ErrNotNumber}, // which place the 25 is in is unclear
		{"一百1.5", ErrNotNumber},
		{"6月7日", ErrNotNumber},
		{"八十八八", ErrNotNumber},

		{"-5", ErrNegative},
		{"－5", ErrNegative},
		{"−5", ErrNegative},
		{"- 5", ErrNegative},
		{"-80人", ErrNegative},
		{"-约80", ErrNegative},
		{"-3.5", ErrNegative},
		{"-200000", ErrNegative},

		{"100001", ErrTooLarge},
		{"100,001", ErrTooLarge},
		{"二十万", ErrTooLarge},
		{"十万零一", ErrTooLarge},
		{"10万1", ErrTooLarge}, // 101000
		{"11万", ErrTooLarge},
		{"1亿", ErrTooLarge},
		{"一亿二千万", ErrTooLarge},
		{"99999999999999999999999999", ErrTooLarge},
		{"9999999999万", ErrTooLarge},
		{"9999999999亿", ErrTooLarge},
		{"九千九百九十九万九千九百九十九亿", ErrNotNumber}, // 亿 after 万

		{"3.5", ErrNotWhole},
		{"3.5人", ErrNotWhole},
		{"约3.5", ErrNotWhole},
		{"0.5", ErrNotWhole},
		{"1.23456万", ErrNotWhole},
		{"3.000000001", ErrNotWhole},
		{"1.123456789亿", ErrNotWhole},
	} {
		got, err := Count(c.in)
		if !errors.Is(err, c.err) || got != (fieldlog.Count{}) {
			t.Errorf("Count(%q) = %+v, %v; want error %v", c.in, got, err, c.err)
		}
	}
}

// FuzzCount checks that Count never panics, refuses only with its own
// errors, returns values in range, and reads its own output back.
func FuzzCount(f *testing.F) {
	for _, s := range []string{
		"12", "１２", "᠑᠒", "十二", "一百二十", "两百", "三千五百", "一万二千", "二十万", "一百零五", "一百五",
		"1,200", "1，200", "80余", "80多", "80余人", "约80", "大约80", "80左右", "80+", "～80", "~80", "近80",
		"80 ᠭᠠᠷᠤᠢ", "80ᠭᠠᠷᠤᠢ", "12 ᠬᠦᠮᠦᠨ", "0", "-5", "－5", "3.5", "1.5万", "100001", "9999999999亿", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Count(s)
		if err != nil {
			if got != (fieldlog.Count{}) || !isOneOf(err, ErrNotNumber, ErrNegative, ErrTooLarge, ErrNotWhole) {
				t.Fatalf("Count(%q) = %+v, %v", s, got, err)
			}
			return
		}
		if got.Value < 0 || got.Value > fieldlog.MaxCount {
			t.Fatalf("Count(%q) = %+v, out of range", s, got)
		}
		// The way a report writes it reads back the same.
		printed := fmt.Sprint(got.Value)
		if got.Approx {
			printed += "余"
		}
		if again, err := Count(printed); err != nil || again != got {
			t.Fatalf("Count(%q) = %+v, but Count(%q) = %+v, %v", s, got, printed, again, err)
		}
	})
}
