package parse

import "testing"

// A topic keyword right before another type's activity keyword is the
// subject of that activity: the activity decides the type, unless the
// topic's own type names the same activity (信息员培训, 隐患防控培训).
func TestActivityHeadWordOutweighsTopic(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct{ sentence, want string }{
		{"5月23日在萨如拉社区开展民族宗教政策法规专题学习，参加人员16人", "leadership/study"},
		{"6月3日开展宗教政策法规集中学习", "leadership/study"},
		{"4月9日组织开展宗教信息员业务培训，参加信息员25名", "religion/informants"},
		{"3月19日举办风险隐患防控业务培训，培训60人", "risk/training"},
		{"6月12日举办侨胞侨眷座谈联谊会，参加侨眷15人", "overseas/family_forum"},
		{"6月7日开展宗教政策宣讲", "religion/policy"}, // one keyword, no head after it
	} {
		r := Activity(tc.sentence, k)
		if got := typeText(r); got != tc.want {
			t.Errorf("%s: types %s (%+v), want %s", tc.sentence, got, r.Types, tc.want)
		}
	}
}

// Words officers use that name a type although the catalogue's first
// keywords did not (held-out sentences showed them).
func TestActivityOfficersWords(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct{ sentence, want string }{
		{"今天给社区的老党员上了一堂党课", "leadership/study"},
		{"6月13日召开党员大会", "leadership/study"},
		{"本周三召开统战工作领导小组会议", "leadership/committee"},
		{"6月3日组织牧民观看民族团结题材电影", "unity/interaction"},
		{"5月30号给居民讲了民法典", "publicity/lecture"},
		{"6月19日开展防范非法集资宣传活动，发放传单300余张", "publicity/leaflets"},
		{"6月9日开展宗教活动场所安全检查", "religion/illegal_check"},
	} {
		r := Activity(tc.sentence, k)
		if got := typeText(r); got != tc.want {
			t.Errorf("%s: types %s (%+v), want %s", tc.sentence, got, r.Types, tc.want)
		}
	}
}

// A figure of things or money for each of several is multiplied by their
// number when the sentence gives it; people per unit stay unread.
func TestActivityPerUnitTimesCount(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct{ sentence, quantity, participants string }{
		{"慰问困难群众10户，每户发放慰问金500元", "5000", "-"},
		{"6月7日走访困难牧户约20户，每户发放慰问金1000元", "20000余", "-"},
		{"6月7日走访慰问困难群众，每户发放慰问金500元", "-", "-"}, // how many households: not said
		{"6月7日开展宣讲2场，每场40人", "-", "-"},
	} {
		got := reading(Activity(tc.sentence, k))
		if got["quantity"] != tc.quantity || got["participants"] != tc.participants {
			t.Errorf("%s: quantity %s, participants %s; want %s, %s", tc.sentence, got["quantity"], got["participants"], tc.quantity, tc.participants)
		}
	}
}

// A Mongolian number right before a keyword of a type that counts things
// counts them, with no measure word (4 ᠮᠡᠳᠡᠭᠡ, four posts).
func TestActivityMongolianNumberBeforeNoun(t *testing.T) {
	k := testKnowledge(t)
	for _, tc := range []struct{ sentence, typ, quantity string }{
		{"ᠥᠴᠥᠭᠡᠳᠦᠷ ᠰᠦᠯᠵᠢᠶ\u180Eᠡ\u202Fᠪᠡᠷ 4 ᠮᠡᠳᠡᠭᠡ ᠨᠡᠶᠢᠲᠡᠯᠡᠪᠡ", "publicity/online", "4"},
		{"ᠥᠴᠥᠭᠡᠳᠦᠷ ᠰᠦᠯᠵᠢᠶ\u180Eᠡ\u202Fᠪᠡᠷ 4 ᠤᠳᠠᠭ\u180Eᠠ ᠮᠡᠳᠡᠭᠡ ᠨᠡᠶᠢᠲᠡᠯᠡᠪᠡ", "publicity/online", "-"}, // 4 times: no count of posts
	} {
		r := Activity(tc.sentence, k)
		got := reading(r)
		if typeText(r) != tc.typ || got["quantity"] != tc.quantity {
			t.Errorf("%s: type %s, quantity %s; want %s, %s", tc.sentence, typeText(r), got["quantity"], tc.typ, tc.quantity)
		}
	}
}

// A paraphrase names a type's subject in its own words but keeps how it
// was done: the format (开会, 梳理, 入户) tells the section's types apart,
// and a format word inside another keyword (慰问 of 慰问金) is none. The
// same sentences read with a catalogue without formats show that the
// format decides.
func TestActivityFormatTellsTheTypeOfAParaphrase(t *testing.T) {
	k := testKnowledge(t)
	bare := testKnowledge(t)
	bare.Catalog.Formats = nil
	bare = bare.Prepare()
	for _, tc := range []struct{ sentence, want string }{
		{"6月3日镇党委开了个会，专门说民族方面的事", "leadership/committee"},
		{"上周二把辖区的矛盾隐患挨个梳理了一遍", "risk/screening"},
		{"4月2日到苏木几家民营企业转了转，问问用工的事", "economy/visits"},
		{"6月11日组织党外人士开了个茶话会，十来个人", "nonparty/forum"},
	} {
		if got := typeText(Activity(tc.sentence, k)); got != tc.want {
			t.Errorf("%s: types %s, want %s", tc.sentence, got, tc.want)
		}
		if got := typeText(Activity(tc.sentence, bare)); got == tc.want {
			t.Errorf("%s: read %s without formats too: the test shows nothing", tc.sentence, got)
		}
	}
	// 慰问 in 慰问金 is the money's name, no visit.
	if got := typeText(Activity("6月7日走访慰问困难群众，发放慰问金2万元", k)); got != "economy/relief_fund" {
		t.Errorf("relief money read as %s", got)
	}
}
