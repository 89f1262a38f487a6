package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fieldlog"
)

// The wording of the Chinese report, issue 10 points 1 to 5, with the
// built-in catalogue and the township sample's units.

// township compiles records of 嘎鲁图镇 in lang with the built-in catalogue.
func township(t *testing.T, lang fieldlog.Lang, period fieldlog.Period, records []fieldlog.Activity) Document {
	t.Helper()
	return Compile(Config{Catalog: defaultCatalog(t), Tree: townshipTree(), Scope: "galutu", Period: period, Lang: lang, Messages: testMessages(t)}, records)
}

// rec is a record of the township's H1 2024.
func rec(id, section, typ string, month, d int, unit fieldlog.UnitID, people fieldlog.Count, title string) fieldlog.Activity {
	return fieldlog.Activity{ID: fieldlog.ActivityID(id), SectionID: section, TypeID: typ, Date: day(2024, time.Month(month), d),
		UnitID: unit, Participants: people, Title: title}
}

func n(v int64) fieldlog.Count     { return fieldlog.Count{Value: v} }
func about(v int64) fieldlog.Count { return fieldlog.Count{Value: v, Approx: true} }

// Point 1: the verb is added only when the title has none: a catalogue
// verb, or 开展/举办/召开/组织/深入/赴/与/邀请, anywhere in it.
func TestHighlightVerbOnlyWhenTheTitleHasNone(t *testing.T) {
	cases := []struct {
		section, typ, title, want string
	}{
		{"unity", "joint_build", "与驻镇单位开展民族团结联创共建", "在萨如拉社区与驻镇单位开展民族团结联创共建"},
		{"religion", "policy", "深入个体商铺开展宗教政策宣传", "在萨如拉社区深入个体商铺开展宗教政策宣传"},
		{"unity", "exchange", "赴乌审旗民族团结示范社区交流学习", "在萨如拉社区赴乌审旗民族团结示范社区交流学习"},
		{"publicity", "lecture", "邀请专家解读民族政策", "在萨如拉社区邀请专家解读民族政策"},
		{"mass_orgs", "theme_event", "组织辖区居民观看专题片", "在萨如拉社区组织辖区居民观看专题片"},
		{"publicity", "seminar", "社区举办民族团结知识讲座", "在萨如拉社区社区举办民族团结知识讲座"},
		{"unity", "meeting", "镇村两级召开创建推进会", "在萨如拉社区镇村两级召开创建推进会"},
		// A catalogue verb anywhere (收集 is 意见建议's).
		{"nonparty", "forum", "座谈并收集党外人士意见", "在萨如拉社区座谈并收集党外人士意见"},
		// No verb: the type's own.
		{"leadership", "committee", "苏木党委会议", "在萨如拉社区召开苏木党委会议"},
		{"leadership", "quiz", "民族团结知识竞赛", "在萨如拉社区开展民族团结知识竞赛"},
		{"publicity", "seminar", "民族区域自治法专题讲座", "在萨如拉社区举办民族区域自治法专题讲座"},
	}
	for i, tc := range cases {
		doc := township(t, fieldlog.Chinese, h1(2024), []fieldlog.Activity{rec("1", tc.section, tc.typ, 5, 8, "saruul", n(45), tc.title)})
		text := paragraphsText(doc)
		if !strings.Contains(text, "5月8日，"+tc.want) {
			t.Errorf("case %d: %q reads\n%s\nwant …%s…", i, tc.title, text, tc.want)
		}
		for _, doubled := range []string{"开展与", "开展深入", "开展赴", "开展邀请", "开展组织", "举办社区举办", "开展镇村", "开展座谈并收集", "召开召开", "开展开展"} {
			if strings.Contains(text, doubled) {
				t.Errorf("case %d: doubled verb %q in\n%s", i, doubled, text)
			}
		}
	}
}

// Point 2: an approximate total is written as reports write it, a round
// number before 余 (263 → 260余, 2154 → 2100余, 80余 stays); an exact
// total stays exact.
func TestApproximateTotalsRoundDown(t *testing.T) {
	for _, tc := range []struct{ in, want int64 }{
		{263, 260}, {2154, 2100}, {80, 80}, {900, 900}, {1200, 1200}, {63, 60}, {11, 10}, {7, 7}, {100, 100}, {999, 990}, {12345, 12000}, {0, 0},
	} {
		if got := roundDown(tc.in); got != tc.want {
			t.Errorf("roundDown(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
	records := []fieldlog.Activity{
		rec("1", "publicity", "lecture", 3, 12, "duguilang", about(200), "政策宣讲"),
		rec("2", "publicity", "lecture", 4, 9, "saruul", n(63), "政策宣讲"),
		rec("3", "unity", "interaction", 6, 1, "duguilang", about(1154), "联欢"),
		rec("4", "unity", "interaction", 6, 15, "khukh_nuur", n(1000), "运动会"),
		rec("5", "mass_orgs", "theme_event", 3, 8, "galutu", about(80), "主题活动"),
		rec("6", "mass_orgs", "volunteer", 3, 5, "duguilang", n(263), "志愿服务"),
	}
	text := paragraphsText(township(t, fieldlog.Chinese, h1(2024), records))
	for _, want := range []string{"开展宣讲活动2场，受众260余人次", "举办交往交流交融活动2场，参与群众2100余人次",
		"开展志愿服务1次，参与263人次", "开展主题活动1场，参与群众80余人次", "累计参与2700余人次"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	for _, raw := range []string{"263余", "2154余", "2760余"} {
		if strings.Contains(text, raw) {
			t.Errorf("unrounded %q in:\n%s", raw, text)
		}
	}
	mn := paragraphsText(township(t, fieldlog.Mongolian, h1(2024), records))
	if !strings.Contains(mn, "2100 ᠭᠠᠷᠤᠢ") || strings.Contains(mn, "2154") {
		t.Errorf("Mongolian approximate total not rounded:\n%s", mn)
	}
}

// Point 3: each type's clause comes from the catalogue: meetings, study and
// committee work carry no head count, events for the public do, materials
// and posts carry their quantity only, money is written in 万元 from
// 10,000; the lead's total counts only the participants the sections state.
func TestClausePerTypeFromTheCatalogue(t *testing.T) {
	var records []fieldlog.Activity
	add := func(a fieldlog.Activity) {
		a.ID = fieldlog.ActivityID(fmt.Sprintf("r%02d", len(records)))
		records = append(records, a)
	}
	for i := range 8 {
		add(rec("", "leadership", "committee", 1+i%6, 10+i, "galutu", n(9), "党委会议"))
	}
	for i := range 11 {
		people := n(150)
		if i == 0 {
			people = about(150)
		}
		add(rec("", "publicity", "lecture", 3, 1+i, "duguilang", people, "政策宣讲"))
	}
	post := rec("", "publicity", "online", 3, 20, "saruul", n(4), "公众号推文")
	post.Quantity = about(10)
	add(post)
	for _, yuan := range []int64{12000, 8000} {
		fund := rec("", "economy", "relief_fund", 1, 28, "khukh_nuur", n(20), "发放春节慰问金")
		fund.Quantity = n(yuan)
		add(fund)
	}
	small := rec("", "economy", "relief_fund", 2, 5, "khukh_nuur", n(3), "慰问困难群众")
	small.Quantity = n(8000)
	doc := township(t, fieldlog.Chinese, h1(2024), records)
	text := paragraphsText(doc)
	for _, want := range []string{
		"年初以来，召开党委会议研究统战工作8次。", // no head count
		"开展宣讲活动11场，受众1600余人次",
		"发布线上宣传信息10余条。",
		"发放慰问金2万元",
		"1月28日，在呼和淖尔嘎查发放春节慰问金1.2万元",
		"经统计，共开展各类统战活动22次，累计参与1600余人次",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	for _, wrong := range []string{"惠及", "参与群众1", "研究统战工作8次，参与", "8次，参与72"} {
		if strings.Contains(text, wrong) {
			t.Errorf("report has %q:\n%s", wrong, text)
		}
	}

	// Below 10,000, and exact sums not a multiple, are written in full.
	only := township(t, fieldlog.Chinese, h1(2024), []fieldlog.Activity{small})
	if body, _ := sectionBody(only, "非公有制经济"); !strings.HasPrefix(body, "年初以来，发放慰问金8000元。") {
		t.Errorf("8000 yuan: %q", body)
	}
	odd := small
	odd.Quantity = n(21994)
	if body, _ := sectionBody(township(t, fieldlog.Chinese, h1(2024), []fieldlog.Activity{odd}), "非公有制经济"); !strings.HasPrefix(body, "年初以来，发放慰问金2.1994万元。") {
		t.Errorf("21994 yuan: %q", body)
	}
	odd.Quantity = about(21994)
	if body, _ := sectionBody(township(t, fieldlog.Chinese, h1(2024), []fieldlog.Activity{odd}), "非公有制经济"); !strings.HasPrefix(body, "年初以来，发放慰问金2.1万余元。") {
		t.Errorf("about 21994 yuan: %q", body)
	}

	// The same clauses in Mongolian, from the same catalogue entries.
	mn := paragraphsText(township(t, fieldlog.Mongolian, h1(2024), records))
	for _, want := range []string{"ᠬᠤᠷᠠᠯ 8 ᠤᠳᠠᠭ\u180eᠠ ᠨᠡᠭᠡᠭᠡᠭᠰᠡᠨ᠃", "11 ᠤᠳᠠᠭ\u180eᠠ ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ (ᠣᠷᠣᠯᠴᠠᠭᠰᠠᠨ ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ\u180eᠠ᠄ 1600 ᠭᠠᠷᠤᠢ)",
		"2 ᠲᠦᠮᠡᠨ ᠶᠤᠸᠠᠨ ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"} {
		if !strings.Contains(mn, want) {
			t.Errorf("Mongolian report lacks %q:\n%s", want, mn)
		}
	}
}

// Point 5: "年初以来" opens the first section only, and the lead ends as
// seed reports do, announcing what follows.
func TestOpeningOnceAndLeadAnnouncesTheReport(t *testing.T) {
	records := townshipRecords()
	doc := compileTownship(t, fieldlog.Chinese)
	text := paragraphsText(doc)
	if n := strings.Count(text, "年初以来"); n != 1 {
		t.Errorf("年初以来 %d times in nine sections:\n%s", n, text)
	}
	if body, _ := sectionBody(doc, "组织领导与理论学习"); !strings.HasPrefix(body, "年初以来，") {
		t.Errorf("the first section does not open with the period: %q", body)
	}
	if lead := doc.Paragraphs[1].Text; !strings.HasSuffix(lead, "。现将上半年统战工作开展情况汇报如下：") {
		t.Errorf("lead = %q", lead)
	}
	for i := range records {
		records[i].Date.Month += 6 // the same half-year's records in H2
	}
	h2 := township(t, fieldlog.Chinese, fieldlog.Period{Year: 2024, Half: 2}, records)
	text2 := paragraphsText(h2)
	if strings.Count(text2, "下半年以来") != 1 || strings.Contains(text2, "年初以来") {
		t.Errorf("H2 openings:\n%s", text2)
	}
	if lead := h2.Paragraphs[1].Text; !strings.HasSuffix(lead, "现将下半年统战工作开展情况汇报如下：") {
		t.Errorf("H2 lead = %q", lead)
	}
	mn := compileTownship(t, fieldlog.Mongolian)
	if lead := mn.Paragraphs[1].Text; !strings.HasSuffix(lead, "ᠳᠣᠣᠷ\u180eᠠ ᠢᠯᠡᠳᠬᠡᠨ\u180eᠡ᠄") {
		t.Errorf("Mongolian lead = %q", lead)
	}
	if n := strings.Count(paragraphsText(mn), "ᠣᠨ\u202fᠤ ᠡᠬᠢᠨ\u202fᠡᠴᠡ ᠬᠣᠶᠢᠰᠢ"); n != 1 {
		t.Errorf("the Mongolian opening %d times", n)
	}
}
