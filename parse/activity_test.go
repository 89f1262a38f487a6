package parse

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"fieldlog"
)

// Issue 11, point 1: every date form the issue lists is read, within a
// sentence, on Thursday 2024-06-20.
func TestActivityReadsEveryDateForm(t *testing.T) {
	k := testKnowledge(t)
	k.Earliest = fieldlog.Date{Year: 2023, Month: 6, Day: 1}
	for _, tc := range []struct {
		sentence string
		want     fieldlog.Date
	}{
		{"6月7日在独贵龙社区开展政策宣讲，80余人参加", day(2024, 6, 7)},
		{"2024年6月7日在独贵龙社区开展政策宣讲", day(2024, 6, 7)},
		{"昨天在独贵龙社区开展政策宣讲", day(2024, 6, 19)},
		{"上周五在独贵龙社区开展政策宣讲", day(2024, 6, 14)},
		{"本月3号在独贵龙社区开展政策宣讲", day(2024, 6, 3)},
		{"６月７日在独贵龙社区开展政策宣讲", day(2024, 6, 7)}, // full-width digits
		{"２０２４年６月７日开展政策宣讲", day(2024, 6, 7)},
		{"六月七日在独贵龙社区开展政策宣讲", day(2024, 6, 7)}, // Chinese numerals
		{"十二月三十日开展政策宣讲", day(2023, 12, 30)},
		{"二〇二四年五月二十日开展政策宣讲", day(2024, 5, 20)},
		{"᠖月᠗日开展政策宣讲", day(2024, 6, 7)}, // Mongolian digits
		{"6 ᠰᠠᠷ\u180Eᠠ ᠶᠢᠨ 7 ᠳᠤᠭᠤᠶᠢᠯᠠᠩ ᠬᠣᠷᠢᠶᠠᠯᠠᠯ\u202Fᠳᠤ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ", day(2024, 6, 7)},
		{"᠖ ᠰᠠᠷ\u180Eᠠ\u202Fᠶᠢᠨ ᠗ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ", day(2024, 6, 7)},
		// A date without a year is the most recent past one: on 20 June,
		// 6月21日 is last year's.
		{"6月21日在独贵龙社区开展政策宣讲", day(2023, 6, 21)},
		{"12月5日在独贵龙社区开展政策宣讲", day(2023, 12, 5)},
		// Forms beyond the issue's list that the corpus has.
		{"2024-06-07在独贵龙社区开展政策宣讲", day(2024, 6, 7)},
		{"6/7 在独贵龙社区开展政策宣讲", day(2024, 6, 7)},
		{"6.7 在独贵龙社区开展政策宣讲", day(2024, 6, 7)},
		{"前天在独贵龙社区开展政策宣讲", day(2024, 6, 18)},
		{"本周二开展政策宣讲", day(2024, 6, 18)},
		{"周五开展政策宣讲", day(2024, 6, 14)}, // the most recent Friday
		{"上个月15号开展政策宣讲", day(2024, 5, 15)},
		{"5号开展政策宣讲", day(2024, 6, 5)},
		{"25号开展政策宣讲", day(2024, 5, 25)},
		{"6月7日下午在独贵龙社区开展政策宣讲", day(2024, 6, 7)},
		{"ᠥᠴᠥᠭᠡᠳᠦᠷ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ", day(2024, 6, 19)},
		{"2024 ᠣᠨ\u202Fᠤ 5 ᠰᠠᠷ\u180Eᠠ\u202Fᠶᠢᠨ 20 ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ", day(2024, 5, 20)},
	} {
		r := Activity(tc.sentence, k)
		if !r.HasDate || r.Date != tc.want || r.DateProblem != nil {
			t.Errorf("%s: date %v %v (%v), want %v", tc.sentence, r.HasDate, r.Date, r.DateProblem, tc.want)
		}
	}
}

// Issue 11, point 1: the participant and quantity forms the issue lists,
// approximate ones keeping 余.
func TestActivityReadsEveryCountForm(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct {
		sentence string
		want     fieldlog.Count
	}{
		{"6月7日在独贵龙社区开展政策宣讲，80余人参加", fieldlog.Count{Value: 80, Approx: true}},
		{"6月7日开展政策宣讲，参加群众120余名", fieldlog.Count{Value: 120, Approx: true}},
		{"6月7日开展政策宣讲，约200人", fieldlog.Count{Value: 200, Approx: true}},
		{"6月7日开展政策宣讲，受众1800余人", fieldlog.Count{Value: 1800, Approx: true}},
		{"6月7日开展政策宣讲，十二人参加", fieldlog.Count{Value: 12}},
		{"6月7日开展政策宣讲，参加人数３５人", fieldlog.Count{Value: 35}},
		{"6月7日开展政策宣讲，参加群众近百人", fieldlog.Count{Value: 100, Approx: true}},
		{"6月7日开展政策宣讲，参加人数上千余人", fieldlog.Count{Value: 1000, Approx: true}},
		{"6月7日开展政策宣讲，二十来个人参加", fieldlog.Count{Value: 20, Approx: true}},
		{"6月7日开展政策宣讲，80人左右", fieldlog.Count{Value: 80, Approx: true}},
		{"ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ᠂ 80 ᠭᠠᠷᠤᠢ ᠬᠦᠮᠦᠨ ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ", fieldlog.Count{Value: 80, Approx: true}},
		{"ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ᠂ ᠘᠐ ᠬᠦᠮᠦᠨ ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ", fieldlog.Count{Value: 80}},
		{"ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ᠂ ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ\u180Eᠠ᠄ 120", fieldlog.Count{Value: 120}},
	} {
		r := Activity(tc.sentence, k)
		if !r.HasParticipants || r.Participants != tc.want {
			t.Errorf("%s: participants %v %+v, want %+v", tc.sentence, r.HasParticipants, r.Participants, tc.want)
		}
		if got := tc.sentence[r.ParticipantsSpan.Start:r.ParticipantsSpan.End]; !strings.ContainsAny(got, "0123456789٠᠐᠑᠒᠓᠔᠕᠖᠗᠘᠙１２３５８十百千") {
			t.Errorf("%s: participants read from %q", tc.sentence, got)
		}
	}
	for _, tc := range []struct {
		sentence string
		typ      string
		want     fieldlog.Count
	}{
		{"6月7日发放宣传资料1200余份", "publicity/leaflets", fieldlog.Count{Value: 1200, Approx: true}},
		{"6月7日发布信息10条", "publicity/online", fieldlog.Count{Value: 10}},
		{"6月7日走访慰问困难群众，发放慰问金2万元", "economy/relief_fund", fieldlog.Count{Value: 20000}},
		{"6月7日发放慰问金1.5万元", "economy/relief_fund", fieldlog.Count{Value: 15000}},
		{"6月7日发放宣传手册200本", "publicity/leaflets", fieldlog.Count{Value: 200}},
		{"6月7日发放宣传资料一千余份", "publicity/leaflets", fieldlog.Count{Value: 1000, Approx: true}},
		{"6 ᠰᠠᠷ\u180Eᠠ\u202Fᠶᠢᠨ 7 ᠬᠠᠯᠠᠮᠵᠢ\u202Fᠶᠢᠨ ᠮᠥᠩᠭᠦ 2 ᠲᠦᠮᠡᠨ ᠶᠤᠸᠠᠨ ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ", "economy/relief_fund", fieldlog.Count{Value: 20000}},
		{"ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ\u180Eᠠ\u202Fᠶᠢᠨ ᠬᠡᠪᠯᠡᠮᠡᠯ 1200 ᠭᠠᠷᠤᠢ ᠬᠤᠪᠢ ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ", "publicity/leaflets", fieldlog.Count{Value: 1200, Approx: true}},
	} {
		r := Activity(tc.sentence, k)
		if typeText(r) != tc.typ || !r.HasQuantity || r.Quantity != tc.want {
			t.Errorf("%s: %s, quantity %v %+v; want %s, %+v", tc.sentence, typeText(r), r.HasQuantity, r.Quantity, tc.typ, tc.want)
		}
		if r.HasParticipants {
			t.Errorf("%s: a quantity read as participants %+v", tc.sentence, r.Participants)
		}
	}
	// A type that counts occurrences has no quantity, whatever the figures.
	if r := Activity("6月7日开展政策宣讲2场，发放宣传资料", k); r.HasQuantity && typeText(r) == "publicity/lecture" {
		t.Errorf("a lecture has a quantity: %+v", r)
	}
}

// The issue's example, read whole: every field, the spans, the title.
func TestActivityReadsTheIssuesSentence(t *testing.T) {
	k := testKnowledge(t)
	s := "6月7日在独贵龙社区开展政策宣讲，80余人参加"
	r := Activity(s, k)
	want := Reading{
		Activity: true, HasDate: true, Date: day(2024, 6, 7),
		HasParticipants: true, Participants: fieldlog.Count{Value: 80, Approx: true},
		Place: "独贵龙社区", PlaceUnit: "duguilang",
		Title: "开展政策宣讲",
	}
	if r.Activity != want.Activity || r.Date != want.Date || r.Participants != want.Participants || r.Place != want.Place ||
		r.PlaceUnit != want.PlaceUnit || r.Title != want.Title || r.HasQuantity {
		t.Errorf("read %+v\nwant %+v", r, want)
	}
	if b := r.Best(); len(b) != 1 || b[0].SectionID != "publicity" || b[0].TypeID != "lecture" {
		t.Errorf("types %+v, want publicity/lecture alone at the best", r.Types)
	}
	for _, sp := range []struct {
		name string
		span Span
		want string
	}{{"date", r.DateSpan, "6月7日"}, {"participants", r.ParticipantsSpan, "80余人"}, {"place", r.PlaceSpan, "独贵龙社区"}} {
		if got := s[sp.span.Start:sp.span.End]; got != sp.want {
			t.Errorf("%s span %q, want %q", sp.name, got, sp.want)
		}
	}
}

// Issue 11, point 1: the place is the text after 在 up to what was done
// there, or the longest unit name of the tree; the title is what is left.
func TestActivityPlaceAndTitle(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct {
		sentence, place string
		unit            fieldlog.UnitID
		title           string
	}{
		{"4月15日，在萨如拉社区党群服务中心开展铸牢中华民族共同体意识宣讲活动，参加群众120余名。", "萨如拉社区党群服务中心", "saruul", "开展铸牢中华民族共同体意识宣讲活动"},
		{"6月7日在村委会会议室召开党外人士座谈会，参加15人", "村委会会议室", "", "召开党外人士座谈会"},
		{"在独贵龙开展政策宣讲", "独贵龙社区", "duguilang", "开展政策宣讲"}, // the unit's name without 社区
		{"4月9日，乌兰陶勒盖镇宣讲队深入巴音希里嘎查宣讲党的民族政策", "巴音希里嘎查", "bayan_shili", "乌兰陶勒盖镇宣讲队深入宣讲党的民族政策"},
		{"今天在独贵龙社区搞了个政策宣讲，来了五十多人", "独贵龙社区", "duguilang", "搞了个政策宣讲"},
		{"6月8日，联合独贵龙社区、萨如拉社区举办居民运动会", "", "", "联合独贵龙社区、萨如拉社区举办居民运动会"}, // partners, not the place
		{"6月10日在“乌审统战”公众号发布信息10条", "", "", "在“乌审统战”公众号发布信息"},          // online
		{"今天在萨如拉社区微信公众号发布宣传信息3条", "萨如拉社区", "saruul", "微信公众号发布宣传信息"},
		{"组织技能培训班2期，培训120余人", "", "", "组织技能培训班2期"},
		{"联合旗民宗局于6月9日开展宗教活动场所安全检查", "", "", "联合旗民宗局开展宗教活动场所安全检查"},
		{"6 ᠰᠠᠷ\u180Eᠠ\u202Fᠶᠢᠨ 7\u202Fᠳᠤ ᠳᠤᠭᠤᠶᠢᠯᠠᠩ ᠬᠣᠷᠢᠶᠠᠯᠠᠯ\u202Fᠳᠤ ᠪᠣᠳᠣᠯᠭ\u180Eᠠ\u202Fᠶᠢᠨ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ᠂ 80 ᠭᠠᠷᠤᠢ ᠬᠦᠮᠦᠨ ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ᠃",
			"ᠳᠤᠭᠤᠶᠢᠯᠠᠩ ᠬᠣᠷᠢᠶᠠᠯᠠᠯ", "duguilang", "ᠪᠣᠳᠣᠯᠭ\u180Eᠠ\u202Fᠶᠢᠨ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"},
		{"᠖ ᠰᠠᠷ\u180Eᠠ\u202Fᠶᠢᠨ ᠑᠑ ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ\u202Fᠶᠢᠨ ᠰᠣᠶᠣᠯ\u202Fᠤᠨ ᠲᠠᠯᠠᠪᠠᠢ\u202Fᠳᠤ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ",
			"ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ\u202Fᠶᠢᠨ ᠰᠣᠶᠣᠯ\u202Fᠤᠨ ᠲᠠᠯᠠᠪᠠᠢ", "galutu", "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠬᠤ ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"},
	} {
		r := Activity(tc.sentence, k)
		if r.Place != tc.place || r.PlaceUnit != tc.unit || r.Title != tc.title {
			t.Errorf("%s:\n got place %q (%q), title %q\nwant place %q (%q), title %q", tc.sentence, r.Place, r.PlaceUnit, r.Title, tc.place, tc.unit, tc.title)
		}
	}
}

// The title keeps to Knowledge.MaxTitle, and is always one Title accepts.
func TestActivityTitleFitsItsLimit(t *testing.T) {
	k := testKnowledge(t)
	long := "6月7日在独贵龙社区开展" + strings.Repeat("铸牢中华民族共同体意识", 20) + "宣讲，80余人参加"
	for _, max := range []int{5, 30, MaxTitle} {
		k.MaxTitle = max
		r := Activity(long, k)
		if n := utf8.RuneCountInString(r.Title); n == 0 || n > max {
			t.Errorf("max %d: title has %d runes: %q", max, n, r.Title)
		}
		if _, err := Title(r.Title, max); err != nil {
			t.Errorf("max %d: Title refuses %q: %v", max, r.Title, err)
		}
	}
	k.MaxTitle = 0 // the default
	if r := Activity(long, k); utf8.RuneCountInString(r.Title) != MaxTitle {
		t.Errorf("default: title has %d runes, want %d", utf8.RuneCountInString(r.Title), MaxTitle)
	}
	if r := Activity("6月7日在独贵龙社区\n开展\t政策宣讲", k); r.Title != "开展 政策宣讲" {
		t.Errorf("title across lines %q, want one line", r.Title)
	}
	if r := Activity("6月7日，80余人参加", k); r.Title != "" {
		t.Errorf("nothing but a date and a count left title %q", r.Title)
	}
}

// Issue 11, point 1: the type comes from the catalogue's keywords, ties are
// returned as several types with the same best score.
func TestActivityTypesFromKeywords(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct{ sentence, want string }{
		{"6月7日开展宣讲", "publicity/lecture"},
		{"6月7日开展宣传宣讲", "publicity/lecture"},
		{"6月7日召开座谈会", "nonparty/forum|overseas/family_forum"},
		{"6月7日召开党外人士座谈会", "nonparty/forum"},
		{"6月7日召开侨眷座谈会", "overseas/family_forum"},
		{"3月8日走访慰问困难群众15户", "economy/visits|overseas/visits"}, // asked with buttons
		{"2月5日春节前走访慰问困难侨眷4户", "overseas/visits"},              // the section's keyword breaks the tie
		{"6月11日组织宗教信息员培训", "religion/informants"},             // the longer keyword wins over 培训
		{"6月6日组织街道工会干部业务培训", "mass_orgs/training"},
		{"ᠥᠴᠥᠭᠡᠳᠦᠷ ᠮᠡᠳᠡᠯᠭᠡ\u202Fᠶᠢᠨ ᠤᠷᠠᠯᠳᠤᠭᠠᠨ ᠵᠣᠬᠢᠶᠠᠨ ᠪᠠᠶᠢᠭᠤᠯᠤᠭᠰᠠᠨ", "leadership/quiz"},
		{"ᠥᠴᠥᠭᠡᠳᠦᠷ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢᠭᠰᠠᠨ", "publicity/lecture"}, // a keyword stem, another ending
		{"6月7日开展活动，参加群众80人", "-"},
	} {
		r := Activity(tc.sentence, k)
		if got := typeText(r); got != tc.want {
			t.Errorf("%s: types %s (%+v), want %s", tc.sentence, got, r.Types, tc.want)
		}
	}
	r := Activity("3月8日走访慰问困难群众15户", k)
	if b := r.Best(); len(b) != 2 || b[0].Score != b[1].Score || len(r.Types) > 2 && r.Types[2].Score == b[0].Score {
		t.Errorf("a tie: %+v", r.Types)
	}

	// The keywords are the catalogue's data: a banner's own word is read.
	c := fieldlog.Catalog{Sections: []fieldlog.Section{{ID: "publicity", Name: fieldlog.Text{fieldlog.Chinese: "宣传教育"}, Types: []fieldlog.ActivityType{
		{ID: "market", Name: fieldlog.Text{fieldlog.Chinese: "政策赶大集"}, Keywords: fieldlog.Keywords{fieldlog.Chinese: {"赶大集"}, fieldlog.Mongolian: {"ᠵᠠᠬ\u180Eᠠ"}}},
	}}}}
	k.Catalog = &c
	for _, s := range []string{"6月7日在嘎鲁图镇赶大集", "6 ᠰᠠᠷ\u180Eᠠ\u202Fᠶᠢᠨ 7 ᠵᠠᠬ\u180Eᠠ\u202Fᠳᠤ ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭᠰᠠᠨ"} {
		if got := typeText(Activity(s, k)); got != "publicity/market" {
			t.Errorf("%s with the banner's catalogue: %s, want publicity/market", s, got)
		}
	}
}

// A date the sentence gives but that cannot be logged is not taken; the
// bot is told why.
func TestActivityRefusedDates(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct {
		sentence string
		want     error
		span     string
	}{
		{"本周五在独贵龙社区开展政策宣讲", ErrFutureDate, "本周五"},
		{"2024年6月21日在独贵龙社区开展政策宣讲", ErrFutureDate, "2024年6月21日"},
		{"12月5日在独贵龙社区开展政策宣讲", ErrTooEarly, "12月5日"}, // 2023-12-05, before the half-year
		{"2月30日在独贵龙社区开展政策宣讲", ErrImpossibleDate, "2月30日"},
	} {
		r := Activity(tc.sentence, k)
		if r.HasDate || !errors.Is(r.DateProblem, tc.want) || !r.Date.IsZero() {
			t.Errorf("%s: date %v %v, problem %v; want %v", tc.sentence, r.HasDate, r.Date, r.DateProblem, tc.want)
		}
		if got := tc.sentence[r.DateSpan.Start:r.DateSpan.End]; got != tc.span {
			t.Errorf("%s: date span %q, want %q", tc.sentence, got, tc.span)
		}
		if r.Place != "独贵龙社区" || r.Title != "开展政策宣讲" {
			t.Errorf("%s: place %q title %q", tc.sentence, r.Place, r.Title)
		}
	}
	// The first date that can be logged is taken.
	if r := Activity("12月5日筹备，6月7日在独贵龙社区开展政策宣讲", k); !r.HasDate || r.Date != day(2024, 6, 7) || r.DateProblem != nil {
		t.Errorf("two dates: %v %v %v", r.HasDate, r.Date, r.DateProblem)
	}
}

// Issue 11, point 3: greetings, questions and texts of a few characters are
// no activity, and get the menu hint.
func TestActivityRefusesWhatIsNoActivity(t *testing.T) {
	k := testKnowledge(t)
	for _, s := range []string{
		"", " ", "你好", "您好！", "谢谢", "好的，收到", "在吗？", "早上好", "ok", "1", "哈哈哈",
		"这个怎么用？", "怎么填报活动？", "报告什么时候截止？", "请问上半年的报告怎么导出", "明天几点开会？",
		"6月7日开展宣讲了吗", "宣讲", "座谈会", "我今天请假", "\x00\x01", "👍👍👍",
		"ᠰᠠᠶᠢᠨ ᠪᠠᠶᠢᠨ\u180Eᠠ\u202Fᠤᠤ", "ᠪᠠᠶᠠᠷᠯᠠᠯᠠ", "ᠡᠨᠡ ᠶᠠᠭᠤ ᠪᠤᠢ?",
	} {
		if r := Activity(s, k); r.Activity {
			t.Errorf("%q read as an activity: %+v", s, r)
		}
	}
	for _, s := range []string{"昨天宣讲", "发放宣传资料200份", "你好，今天在独贵龙社区开展政策宣讲，80余人参加", "ᠥᠴᠥᠭᠡᠳᠦᠷ ᠰᠤᠷᠭᠠᠯᠲᠠ ᠶᠠᠪᠤᠭᠤᠯᠪᠠ"} {
		if r := Activity(s, k); !r.Activity {
			t.Errorf("%q not read as an activity", s)
		}
	}
}

// Prepare changes how fast, not what, Activity reads; a prepared Knowledge
// given another catalogue reads by that one.
func TestActivityPrepared(t *testing.T) {
	k := testKnowledge(t)
	plain := k
	plain.index = nil
	for _, c := range readCorpus(t) {
		a, b := Activity(c.sentence, k), Activity(c.sentence, plain)
		if typeText(a) != typeText(b) || a.Title != b.Title || a.Place != b.Place || a.Participants != b.Participants {
			t.Fatalf("%s: prepared %+v, not %+v", c.sentence, a, b)
		}
	}
	other := fieldlog.Catalog{Sections: []fieldlog.Section{{ID: "s", Types: []fieldlog.ActivityType{{ID: "t", Name: fieldlog.Text{fieldlog.Chinese: "赶大集"}}}}}}
	k.Catalog = &other
	if got := typeText(Activity("6月7日赶大集", k)); got != "s/t" {
		t.Errorf("prepared Knowledge with another catalogue read %s", got)
	}
	if r := Activity("6月7日在独贵龙社区开展政策宣讲，80余人参加", Knowledge{Today: corpusToday}); !r.HasDate || !r.HasParticipants || len(r.Types) != 0 {
		t.Errorf("without catalogue or tree: %+v", r)
	}
}

// FuzzActivity: whatever an officer sends, Activity does not panic, its
// spans lie in the sentence and cover what they read, and its title and
// place are text a record can keep.
func FuzzActivity(f *testing.F) {
	for _, c := range readCorpus(f) {
		f.Add(c.sentence, 0)
	}
	for _, s := range []string{"", "\xff\xfe", "在", "在在在", "6月", "月日号", "1,", "1,2345", "上千", "近百", "２万元", "᠐", "\u202F\u180E\u180B", "本周日", "上上周一",
		"6 ᠰᠠᠷ ᠠ ᠶᠢᠨ 31", "99月99日", "0月0日", "9999年99月99日", "一〇〇〇〇年", "在\n独贵龙", "ᠬᠦᠮᠦᠨ᠄", "ᠬᠦᠮᠦᠨ᠄ 99999999999", "1.5", "1..5万", "第3名"} {
		f.Add(s, 0)
	}
	f.Add("6月7日在独贵龙社区开展政策宣讲，80余人参加", 3)
	k := testKnowledge(f)
	f.Fuzz(func(t *testing.T, s string, max int) {
		k := k
		k.MaxTitle = max % 200
		r := Activity(s, k)
		for _, sp := range []struct {
			name string
			has  bool
			span Span
		}{{"date", r.HasDate || r.DateProblem != nil, r.DateSpan}, {"participants", r.HasParticipants, r.ParticipantsSpan},
			{"quantity", r.HasQuantity, r.QuantitySpan}, {"place", r.Place != "", r.PlaceSpan}} {
			if sp.span.Start < 0 || sp.span.End < sp.span.Start || sp.span.End > len(s) {
				t.Fatalf("%s span %+v outside %q", sp.name, sp.span, s)
			}
			if sp.has != (sp.span.End > sp.span.Start) {
				t.Fatalf("%s read %v, span %+v, in %q", sp.name, sp.has, sp.span, s)
			}
		}
		maxTitle := k.MaxTitle
		if maxTitle <= 0 {
			maxTitle = MaxTitle
		}
		if !utf8.ValidString(r.Title) || utf8.RuneCountInString(r.Title) > maxTitle {
			t.Fatalf("title %q of %q: invalid or over %d runes", r.Title, s, maxTitle)
		}
		if r.Title != "" {
			if _, err := Title(r.Title, maxTitle); err != nil {
				t.Fatalf("Title refuses %q: %v", r.Title, err)
			}
		}
		if r.Place != "" {
			if _, err := Title(r.Place, 200); err != nil {
				t.Fatalf("place %q: %v", r.Place, err)
			}
		}
		if r.HasParticipants && (r.Participants.Value < 0 || r.Participants.Value > fieldlog.MaxCount) ||
			r.HasQuantity && (r.Quantity.Value < 0 || r.Quantity.Value > fieldlog.MaxCount) {
			t.Fatalf("count out of range: %+v", r)
		}
		if r.HasDate && (r.Date.Before(k.Earliest) || k.Today.Before(r.Date)) {
			t.Fatalf("date %v out of range", r.Date)
		}
		for i := 1; i < len(r.Types); i++ {
			if r.Types[i].Score > r.Types[i-1].Score {
				t.Fatalf("types not best first: %+v", r.Types)
			}
		}
	})
}

// BenchmarkActivity reads the whole corpus, each op one sentence, as the bot
// does: against a prepared Knowledge. Target: under a millisecond.
func BenchmarkActivity(b *testing.B) {
	lines := readCorpus(b)
	k := testKnowledge(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Activity(lines[i%len(lines)].sentence, k)
	}
}

// BenchmarkActivityUnprepared is the same without Prepare: the catalogue
// and tree folded again for every sentence.
func BenchmarkActivityUnprepared(b *testing.B) {
	lines := readCorpus(b)
	k := testKnowledge(b)
	k.index = nil
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Activity(lines[i%len(lines)].sentence, k)
	}
}
