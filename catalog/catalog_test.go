package catalog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fieldlog"
)

func TestDefaultSectionsInDomainOrder(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	want := []string{
		"组织领导与理论学习", "宣传教育", "民族团结进步创建", "风险隐患排查", "宗教事务管理",
		"非公有制经济", "党外人士工作", "侨务工作", "群团工作",
	}
	var got []string
	for _, s := range c.Sections {
		got = append(got, s.Name[fieldlog.Chinese])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sections:\n got %q\nwant %q", got, want)
	}
}

// zhPhrase is the Chinese report phrase of a figure: verb, name, figure, unit.
func zhPhrase(at fieldlog.ActivityType, n string) string {
	return at.Verb[fieldlog.Chinese] + at.Name[fieldlog.Chinese] + n + at.Unit[fieldlog.Chinese]
}

func TestDefaultTypesReadAsReportPhrases(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	// Every type of DOMAIN.md's table, in its order, as the reference
	// reports would phrase a figure of 8, plus relief_fund (元).
	want := map[string][]string{
		"leadership": {"召开党委会议研究统战工作8次", "召开理论学习中心组学习8次", "开展专题学习培训8次", "开展主题党日活动8次", "开展知识测试竞赛8次"},
		"publicity":  {"开展宣讲活动8场", "举办专题讲座8次", "发放宣传资料8份", "发布线上宣传信息8条", "开展主题教育实践活动8场"},
		"unity":      {"召开创建工作会议8次", "开展交流学习8次", "开展联创共建活动8次", "举办交往交流交融活动8场", "创建示范单位8个"},
		"risk":       {"开展风险隐患排查8次", "开展隐患防控培训8次"},
		"religion":   {"开展宗教政策宣传8次", "开展非法宗教活动排查8次", "组织宗教信息员培训8次"},
		"economy":    {"开展企业帮扶活动8次", "举办技能培训班8期", "开展走访慰问8次", "发放慰问金8元"},
		"nonparty":   {"开展座谈交流8次", "收集意见建议8条"},
		"overseas":   {"开展侨情普查8次", "召开侨眷座谈会8次", "开展走访慰问8次"},
		"mass_orgs":  {"开展志愿服务8次", "开展主题活动8场", "组织培训8次"},
	}
	for _, s := range c.Sections {
		var got []string
		for _, at := range s.Types {
			got = append(got, zhPhrase(at, "8"))
			if strings.HasPrefix(at.Name[fieldlog.Chinese], at.Verb[fieldlog.Chinese]) {
				t.Errorf("%s/%s: name %q repeats its verb %q", s.ID, at.ID, at.Name[fieldlog.Chinese], at.Verb[fieldlog.Chinese])
			}
		}
		if !reflect.DeepEqual(got, want[s.ID]) {
			t.Errorf("section %s phrases:\n got %q\nwant %q", s.ID, got, want[s.ID])
		}
		delete(want, s.ID)
	}
	if len(want) > 0 {
		t.Errorf("sections missing: %v", want)
	}
}

func TestDefaultQuantityTypes(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	var got []string
	for _, s := range c.Sections {
		for _, at := range s.Types {
			if at.Quantity {
				got = append(got, s.ID+"/"+at.ID+":"+at.Unit[fieldlog.Chinese])
			}
		}
	}
	want := []string{"publicity/leaflets:份", "publicity/online:条", "economy/relief_fund:元", "nonparty/suggestions:条"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("quantity types:\n got %q\nwant %q", got, want)
	}
	if at, ok := c.Type("publicity", "lecture"); !ok || at.Quantity {
		t.Errorf("publicity/lecture = %+v, %v; want a type counting occurrences", at, ok)
	}
}

// Issue 10, point 3: the reference reports state participants only for
// events held for the public ("开展宣讲11场，受众1800余人"): meetings, study,
// committee work, materials and posts carry none, and money above 10,000 is
// written in 万元. The catalogue says so per type, as data.
func TestDefaultHeadCountsAndTenThousands(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	counted := map[string]string{}
	var tenThousand []string
	for _, s := range c.Sections {
		for _, at := range s.Types {
			key := s.ID + "/" + at.ID
			if hc := at.HeadCount[fieldlog.Chinese]; hc != "" {
				counted[key] = hc
				if at.Quantity {
					t.Errorf("%s counts things and states participants too (%q): materials and posts carry their quantity only", key, hc)
				}
			}
			if at.TenThousand[fieldlog.Chinese] != "" {
				tenThousand = append(tenThousand, key)
			}
		}
	}
	for _, none := range []string{"leadership/committee", "leadership/theory_group", "leadership/study", "unity/meeting",
		"overseas/family_forum", "publicity/leaflets", "publicity/online", "nonparty/suggestions", "economy/relief_fund"} {
		if hc, ok := counted[none]; ok {
			t.Errorf("%s states participants (%q); the reference reports do not", none, hc)
		}
	}
	for key, want := range map[string]string{"publicity/lecture": "受众{N}人次", "unity/interaction": "参与群众{N}人次", "mass_orgs/training": "培训{N}人次"} {
		if counted[key] != want {
			t.Errorf("%s head count = %q, want %q", key, counted[key], want)
		}
	}
	if !reflect.DeepEqual(tenThousand, []string{"economy/relief_fund"}) {
		t.Errorf("types written in 万: %q, want the relief fund only", tenThousand)
	}
}

// caseSuffixes are the Mongolian case suffixes the catalogue uses; they must
// follow their word after U+202F, never after a plain space.
var caseSuffixes = map[string]bool{
	"ᠤᠨ": true, "ᠦᠨ": true, "ᠶᠢᠨ": true, "ᠤ": true, "ᠦ": true, "ᠢ": true, "ᠶᠢ": true,
	"ᠳᠤ": true, "ᠳᠦ": true, "ᠲᠤ": true, "ᠲᠦ": true, "ᠪᠠᠷ": true, "ᠪᠡᠷ": true,
	"ᠢᠶᠠᠷ": true, "ᠢᠶᠡᠷ": true, "ᠠᠴᠠ": true, "ᠡᠴᠡ": true, "ᠲᠠᠢ": true, "ᠲᠡᠢ": true,
}

// mongolianWritingProblems applies the glossary's writing rules to s.
func mongolianWritingProblems(s string) []string {
	var out []string
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '\u202F':
			// Only a case suffix follows a narrow no-break space.
			j := i + 1
			for j < len(rs) && rs[j] != ' ' && rs[j] != '\u202F' {
				j++
			}
			if !caseSuffixes[string(rs[i+1:j])] {
				out = append(out, fmt.Sprintf("U+202F before %q, which is not a case suffix", string(rs[i+1:j])))
			}
		case '\u180E':
			// A vowel separator stands before a word-final a/e, which a
			// space, a suffix or Mongolian punctuation (᠂ ᠃ ᠄) follows.
			if i == 0 || i+1 >= len(rs) || (rs[i+1] != 'ᠠ' && rs[i+1] != 'ᠡ') ||
				(i+2 < len(rs) && rs[i+2] != ' ' && rs[i+2] != '\u202F' && (rs[i+2] < 0x1800 || rs[i+2] > 0x1805)) {
				out = append(out, "U+180E not before a word-final ᠠ/ᠡ")
			}
		case '\u180B', '\u180C', '\u180D', '\u180F':
			if i == 0 || rs[i-1] < 0x1820 || rs[i-1] > 0x18AA {
				out = append(out, fmt.Sprintf("variation selector U+%04X not right after a letter", r))
			}
		}
	}
	for _, w := range strings.Split(s, " ") {
		if caseSuffixes[w] {
			out = append(out, fmt.Sprintf("case suffix %q after a plain space; join it with U+202F", w))
		}
	}
	if strings.ContainsAny(s, "\u200C\u200D,.:") {
		out = append(out, "Latin punctuation or a joiner; use ᠂ ᠃ ᠄")
	}
	return out
}

func TestDefaultMongolianFollowsWritingRules(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	check := func(where, s string) {
		for _, p := range mongolianWritingProblems(s) {
			t.Errorf("%s: %q: %s", where, s, p)
		}
	}
	for _, s := range c.Sections {
		check(s.ID+" name", s.Name[fieldlog.Mongolian])
		for _, at := range s.Types {
			check(s.ID+"/"+at.ID+" name", at.Name[fieldlog.Mongolian])
			check(s.ID+"/"+at.ID+" verb", at.Verb[fieldlog.Mongolian])
			check(s.ID+"/"+at.ID+" unit", at.Unit[fieldlog.Mongolian])
			check(s.ID+"/"+at.ID+" head_count", at.HeadCount[fieldlog.Mongolian])
			check(s.ID+"/"+at.ID+" ten_thousand", at.TenThousand[fieldlog.Mongolian])
		}
	}
	// The checker itself must catch the mistakes it exists for.
	for _, bad := range []string{"ᠨᠠᠮ ᠤᠨ ᠬᠤᠷᠠᠯ", "ᠬᠠᠨ\u180Eᠢ", "ᠨᠠᠮ\u202Fᠬᠤᠷᠠᠯ", "\u180Bᠠ", "ᠤᠳᠠᠭ\u180Eᠠᠨ᠄"} {
		if len(mongolianWritingProblems(bad)) == 0 {
			t.Errorf("writing check accepted %q", bad)
		}
	}
}

// Issue 11: a sentence is read as of a type by the keywords the catalogue
// carries per type, in both languages, so a Mongolian sentence is read as
// well as a Chinese one.
func TestDefaultKeywordsInBothLanguages(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	for _, s := range c.Sections {
		for _, at := range s.Types {
			key := s.ID + "/" + at.ID
			for _, l := range fieldlog.Langs {
				if len(at.Keywords[l]) == 0 {
					t.Errorf("%s has no %s keywords", key, l)
				}
			}
			for _, w := range at.Keywords[fieldlog.Mongolian] {
				for _, p := range mongolianWritingProblems(w) {
					t.Errorf("%s keyword %q: %s", key, w, p)
				}
			}
		}
		for _, w := range s.Keywords[fieldlog.Mongolian] {
			for _, p := range mongolianWritingProblems(w) {
				t.Errorf("section %s keyword %q: %s", s.ID, w, p)
			}
		}
	}
	// Formats are how an activity is done, which a paraphrase keeps: every
	// type has one (but the party day, which is done in every way and named
	// by its own words), and each is found in both languages.
	for _, s := range c.Sections {
		for _, at := range s.Types {
			if len(at.Formats) == 0 && at.ID != "party_day" {
				t.Errorf("%s/%s has no format", s.ID, at.ID)
			}
		}
	}
	for _, f := range c.Formats {
		for _, l := range fieldlog.Langs {
			if len(f.Keywords[l]) == 0 {
				t.Errorf("format %s has no %s keywords", f.ID, l)
			}
		}
		for _, w := range f.Keywords[fieldlog.Mongolian] {
			for _, p := range mongolianWritingProblems(w) {
				t.Errorf("format %s keyword %q: %s", f.ID, w, p)
			}
		}
	}
	// The issue's own examples.
	lecture, _ := c.Type("publicity", "lecture")
	forum, _ := c.Type("nonparty", "forum")
	for _, want := range []struct {
		at fieldlog.ActivityType
		kw string
	}{{lecture, "宣讲"}, {lecture, "宣传宣讲"}, {forum, "座谈会"}} {
		if !slices.Contains(want.at.Keywords[fieldlog.Chinese], want.kw) {
			t.Errorf("%s keywords %q lack %q", want.at.ID, want.at.Keywords[fieldlog.Chinese], want.kw)
		}
	}
}

func TestDefaultReturnsFreshCopy(t *testing.T) {
	a, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	a.Sections[0].Name[fieldlog.Chinese] = "changed"
	a.Sections = a.Sections[:1]
	b, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	if len(b.Sections) != 9 || b.Sections[0].Name[fieldlog.Chinese] != "组织领导与理论学习" {
		t.Errorf("Default shares state between calls: %d sections, first %q", len(b.Sections), b.Sections[0].Name[fieldlog.Chinese])
	}
}

// validYAML is a small valid catalogue; the validation cases break it one
// rule at a time.
const validYAML = `
formats:
  - id: talk
    keywords: {zh-Hans: [讲了, 讲讲], mn-Mong: ["ᠶᠠᠷᠢᠯᠴᠠ"]}
sections:
  - id: publicity
    name: {zh-Hans: 宣传教育, mn-Mong: "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ\u180Eᠠ"}
    keywords: {zh-Hans: [宣传]}
    types:
      - id: leaflets
        name: {zh-Hans: 宣传资料, mn-Mong: "ᠬᠡᠪᠯᠡᠮᠡᠯ"}
        verb: {zh-Hans: 发放, mn-Mong: "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"}
        unit: {zh-Hans: 份, mn-Mong: "ᠬᠤᠪᠢ"}
        quantity: true
      - id: lecture
        name: {zh-Hans: 宣讲活动, mn-Mong: "ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ"}
        verb: {zh-Hans: 开展, mn-Mong: "ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"}
        unit: {zh-Hans: 场, mn-Mong: "ᠤᠳᠠᠭ\u180Eᠠ"}
        head_count: {zh-Hans: "受众{N}人次", mn-Mong: "ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ\u180Eᠠ᠄ {N}"}
        keywords: {zh-Hans: [宣讲, 宣传宣讲], mn-Mong: ["ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢ"]}
        formats: [talk]
      - id: fund
        name: {zh-Hans: 慰问金, mn-Mong: "ᠮᠥᠩᠭᠦ"}
        verb: {zh-Hans: 发放, mn-Mong: "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"}
        unit: {zh-Hans: 元, mn-Mong: "ᠶᠤᠸᠠᠨ"}
        quantity: true
        ten_thousand: {zh-Hans: 万, mn-Mong: "ᠲᠦᠮᠡᠨ"}
  - id: risk
    name: {zh-Hans: 风险隐患排查, mn-Mong: "ᠡᠷᠰᠡᠳᠡᠯ"}
    types:
      - id: screening
        name: {zh-Hans: 风险隐患排查, mn-Mong: "ᠡᠷᠰᠡᠳᠡᠯ"}
        verb: {zh-Hans: 开展, mn-Mong: "ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"}
        unit: {zh-Hans: 次, mn-Mong: "ᠤᠳᠠᠭ\u180Eᠠ"}
`

func TestReadValid(t *testing.T) {
	c, err := Read(strings.NewReader(validYAML))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := &fieldlog.Catalog{Formats: []fieldlog.Format{
		{ID: "talk", Keywords: fieldlog.Keywords{fieldlog.Chinese: {"讲了", "讲讲"}, fieldlog.Mongolian: {"ᠶᠠᠷᠢᠯᠴᠠ"}}},
	}, Sections: []fieldlog.Section{
		{
			ID:       "publicity",
			Name:     fieldlog.Text{fieldlog.Chinese: "宣传教育", fieldlog.Mongolian: "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ\u180Eᠠ"},
			Keywords: fieldlog.Keywords{fieldlog.Chinese: {"宣传"}},
			Types: []fieldlog.ActivityType{
				{
					ID:       "leaflets",
					Name:     fieldlog.Text{fieldlog.Chinese: "宣传资料", fieldlog.Mongolian: "ᠬᠡᠪᠯᠡᠮᠡᠯ"},
					Verb:     fieldlog.Text{fieldlog.Chinese: "发放", fieldlog.Mongolian: "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"},
					Unit:     fieldlog.Text{fieldlog.Chinese: "份", fieldlog.Mongolian: "ᠬᠤᠪᠢ"},
					Quantity: true,
				},
				{
					ID:        "lecture",
					Name:      fieldlog.Text{fieldlog.Chinese: "宣讲活动", fieldlog.Mongolian: "ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ"},
					Verb:      fieldlog.Text{fieldlog.Chinese: "开展", fieldlog.Mongolian: "ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"},
					Unit:      fieldlog.Text{fieldlog.Chinese: "场", fieldlog.Mongolian: "ᠤᠳᠠᠭ\u180Eᠠ"},
					HeadCount: fieldlog.Text{fieldlog.Chinese: "受众{N}人次", fieldlog.Mongolian: "ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ\u180Eᠠ᠄ {N}"},
					Keywords:  fieldlog.Keywords{fieldlog.Chinese: {"宣讲", "宣传宣讲"}, fieldlog.Mongolian: {"ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢ"}},
					Formats:   []string{"talk"},
				},
				{
					ID:          "fund",
					Name:        fieldlog.Text{fieldlog.Chinese: "慰问金", fieldlog.Mongolian: "ᠮᠥᠩᠭᠦ"},
					Verb:        fieldlog.Text{fieldlog.Chinese: "发放", fieldlog.Mongolian: "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"},
					Unit:        fieldlog.Text{fieldlog.Chinese: "元", fieldlog.Mongolian: "ᠶᠤᠸᠠᠨ"},
					Quantity:    true,
					TenThousand: fieldlog.Text{fieldlog.Chinese: "万", fieldlog.Mongolian: "ᠲᠦᠮᠡᠨ"},
				},
			},
		},
		{
			ID:   "risk",
			Name: fieldlog.Text{fieldlog.Chinese: "风险隐患排查", fieldlog.Mongolian: "ᠡᠷᠰᠡᠳᠡᠯ"},
			Types: []fieldlog.ActivityType{{
				ID:   "screening",
				Name: fieldlog.Text{fieldlog.Chinese: "风险隐患排查", fieldlog.Mongolian: "ᠡᠷᠰᠡᠳᠡᠯ"},
				Verb: fieldlog.Text{fieldlog.Chinese: "开展", fieldlog.Mongolian: "ᠶᠠᠪᠤᠭᠤᠯᠤᠭᠰᠠᠨ"},
				Unit: fieldlog.Text{fieldlog.Chinese: "次", fieldlog.Mongolian: "ᠤᠳᠠᠭ\u180Eᠠ"},
			}},
		},
	}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Read:\n got %+v\nwant %+v", c, want)
	}
}

func TestReadRejects(t *testing.T) {
	cases := []struct {
		name    string
		old     string // replaced in validYAML by new
		new     string
		wantErr []string // all must appear in the error
	}{
		{"duplicate section id", "id: risk", "id: publicity", []string{`section 2 "publicity"`, "already used by section 1"}},
		{"duplicate type id", "id: lecture", "id: leaflets", []string{`section 1 "publicity": type 2 "leaflets"`, "already used by type 1"}},
		{"same type id in two sections is fine, bad id is not", "id: screening", "id: Screening", []string{`type 1 "Screening"`, `contains 'S'`}},
		{"missing section id", "  - id: risk\n", "  - id: \"\"\n", []string{`section 2 ""`, "id is missing"}},
		{"long id", "id: lecture", "id: lecture_and_more_x", []string{`type 2 "lecture_and_more_x"`, "at most 16"}},
		{"id with a space", "id: lecture", `id: "lec ture"`, []string{`contains ' '`}},
		{"non-ASCII id", "id: lecture", "id: 宣讲", []string{`type 2 "宣讲"`, "only a–z"}},
		{"missing Mongolian name", `name: {zh-Hans: 宣讲活动, mn-Mong: "ᠦᠢᠯᠡ ᠠᠵᠢᠯᠯᠠᠭ\u180Eᠠ"}`, `name: {zh-Hans: 宣讲活动}`, []string{`type 2 "lecture": name: mn-Mong text is missing`}},
		{"missing Chinese verb", `verb: {zh-Hans: 发放, mn-Mong: "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"}`, `verb: {mn-Mong: "ᠲᠠᠷᠬᠠᠭᠠᠭᠰᠠᠨ"}`, []string{`type 1 "leaflets": verb: zh-Hans text is missing`}},
		{"blank unit", `unit: {zh-Hans: 份, mn-Mong: "ᠬᠤᠪᠢ"}`, `unit: {zh-Hans: "  ", mn-Mong: "ᠬᠤᠪᠢ"}`, []string{`type 1 "leaflets": unit: zh-Hans text is missing`}},
		{"missing section name", `name: {zh-Hans: 风险隐患排查, mn-Mong: "ᠡᠷᠰᠡᠳᠡᠯ"}
    types:`, `types:`, []string{`section 2 "risk": name: zh-Hans text is missing`, `section 2 "risk": name: mn-Mong text is missing`}},
		{"Mongolian in Cyrillic", `mn-Mong: "ᠬᠤᠪᠢ"`, `mn-Mong: "хувь"`, []string{`type 1 "leaflets": unit: mn-Mong text "хувь": not in Mongolian script`}},
		{"Mongolian with Chinese", `mn-Mong: "ᠬᠡᠪᠯᠡᠮᠡᠯ"`, `mn-Mong: "ᠬᠡᠪᠯᠡᠮᠡᠯ 资料"`, []string{`type 1 "leaflets": name: mn-Mong text`, "Chinese character '资'"}},
		{"languages swapped", `name: {zh-Hans: 宣传资料, mn-Mong: "ᠬᠡᠪᠯᠡᠮᠡᠯ"}`, `name: {zh-Hans: "ᠬᠡᠪᠯᠡᠮᠡᠯ", mn-Mong: "ᠬᠡᠪᠯᠡᠮᠡᠯ"}`, []string{"languages swapped"}},
		{"misspelt section field", `    types:
      - id: screening`, `    type:
      - id: screening`, []string{"field type not found"}},
		{"unknown language key", `unit: {zh-Hans: 次, mn-Mong: "ᠤᠳᠠᠭ\u180Eᠠ"}`, `unit: {zh-Hans: 次, mn: "ᠤᠳᠠᠭ\u180Eᠠ"}`, []string{"field mn not found"}},
		{"misspelt field", "quantity: true", "quantiy: true", []string{"field quantiy not found"}},
		{"head count in one language", `head_count: {zh-Hans: "受众{N}人次", mn-Mong: "ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ\u180Eᠠ᠄ {N}"}`, `head_count: {zh-Hans: "受众{N}人次"}`,
			[]string{`type 2 "lecture": head_count: mn-Mong text is missing`}},
		{"head count without its number", `zh-Hans: "受众{N}人次"`, `zh-Hans: "受众人次"`, []string{`type 2 "lecture": head_count: zh-Hans text "受众人次" must contain {N} once`}},
		{"head count with two numbers", `mn-Mong: "ᠬᠦᠮᠦᠨ ᠤᠳᠠᠭ\u180Eᠠ᠄ {N}"`, `mn-Mong: "ᠬᠦᠮᠦᠨ {N} ᠤᠳᠠᠭ\u180Eᠠ᠄ {N}"`, []string{`head_count: mn-Mong text`, "must contain {N} once"}},
		{"ten thousand in one language", `ten_thousand: {zh-Hans: 万, mn-Mong: "ᠲᠦᠮᠡᠨ"}`, `ten_thousand: {mn-Mong: "ᠲᠦᠮᠡᠨ"}`, []string{`type 3 "fund": ten_thousand: zh-Hans text is missing`}},
		{"not YAML", "sections:", "sections: [", []string{"parse catalogue"}},
		{"Chinese keyword in Mongolian", "[宣讲, 宣传宣讲]", `[宣讲, "ᠶᠠᠷᠢ"]`, []string{`type 2 "lecture": keywords: zh-Hans keyword 2 "ᠶᠠᠷᠢ" is in Mongolian script`}},
		{"Mongolian keyword in Chinese", `mn-Mong: ["ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢ"]`, `mn-Mong: ["宣讲"]`, []string{`type 2 "lecture": keywords: mn-Mong keyword 1 "宣讲": not in Mongolian script`}},
		{"blank keyword", "[宣讲, 宣传宣讲]", `[宣讲, " "]`, []string{`type 2 "lecture": keywords: zh-Hans keyword 2 is blank`}},
		{"keyword twice", "[宣讲, 宣传宣讲]", "[宣讲, 宣讲]", []string{`zh-Hans keyword 2 "宣讲" is given twice`}},
		{"section keyword in Mongolian", "keywords: {zh-Hans: [宣传]}", `keywords: {zh-Hans: ["ᠰᠤᠷᠲᠠᠯ"]}`, []string{`section 1 "publicity": keywords: zh-Hans keyword 1`}},
		{"a format no type can name", "formats: [talk]", "formats: [chat]", []string{`type 2 "lecture": formats: "chat" is no format of the catalogue`}},
		{"a format without an id", "  - id: talk\n", "  - id: \"\"\n", []string{`format 1 "": id is missing`}},
		{"two formats of one id", "  - id: talk\n    keywords: {zh-Hans: [讲了, 讲讲], mn-Mong: [\"ᠶᠠᠷᠢᠯᠴᠠ\"]}\n", "  - id: talk\n    keywords: {zh-Hans: [讲了]}\n  - id: talk\n    keywords: {zh-Hans: [讲讲]}\n", []string{`format 2 "talk": id already used by format 1`}},
		{"a format keyword in the wrong script", "[讲了, 讲讲]", `[讲了, "ᠶᠠᠷᠢ"]`, []string{`format 1 "talk": keywords: zh-Hans keyword 2 "ᠶᠠᠷᠢ" is in Mongolian script`}},
		{"keywords in an unknown language", "keywords: {zh-Hans: [宣传]}", "keywords: {zh-Hans: [宣传], en: [publicity]}", []string{"field en not found"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(validYAML, tc.old) {
				t.Fatalf("test case does not apply: %q not in validYAML", tc.old)
			}
			in := strings.Replace(validYAML, tc.old, tc.new, 1)
			_, err := Read(strings.NewReader(in))
			if err == nil {
				t.Fatalf("Read accepted:\n%s", in)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestValidateStructure(t *testing.T) {
	if err := Validate(&fieldlog.Catalog{}); err == nil || !strings.Contains(err.Error(), "no sections") {
		t.Errorf("empty catalogue: %v", err)
	}
	if _, err := Read(strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
	c, err := Read(strings.NewReader(validYAML))
	if err != nil {
		t.Fatal(err)
	}
	c.Sections[1].Types = nil
	if err := Validate(c); err == nil || !strings.Contains(err.Error(), `section 2 "risk": no types`) {
		t.Errorf("section without types: %v", err)
	}
	c.Sections[0].Name["en"] = "Publicity"
	if err := Validate(c); err == nil || !strings.Contains(err.Error(), `unknown language "en"`) {
		t.Errorf("unknown language: %v", err)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	in := strings.Replace(validYAML, "id: lecture", "id: leaflets", 1)
	in = strings.Replace(in, `mn-Mong: "ᠡᠷᠰᠡᠳᠡᠯ"}`, `mn-Mong: "risk"}`, 1)
	_, err := Read(strings.NewReader(in))
	if err == nil {
		t.Fatal("Read accepted two faults")
	}
	for _, w := range []string{"already used by type 1", `section 2 "risk": name: mn-Mong text "risk"`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q\ndoes not contain %q", err, w)
		}
	}
}

func TestReadFileAndRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "catalog.yaml")
	if err := os.WriteFile(path, []byte(validYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := ReadFile(path)
	if err != nil {
		t.Fatalf("ReadFile: %v", err)
	}
	if len(c.Sections) != 2 || c.Sections[0].Types[0].ID != "leaflets" || !c.Sections[0].Types[0].Quantity ||
		c.Sections[0].Types[1].HeadCount[fieldlog.Chinese] != "受众{N}人次" || c.Sections[0].Types[2].TenThousand[fieldlog.Chinese] != "万" {
		t.Fatalf("ReadFile read %+v", c)
	}

	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatalf("Write: %v", err)
	}
	back, err := Read(&buf)
	if err != nil {
		t.Fatalf("Read(Write(c)): %v\n%s", err, buf.String())
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip changed the catalogue:\n got %+v\nwant %+v", back, c)
	}

	// The built-in catalogue survives the trip through a file too.
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := Write(&buf, def); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "exported.yaml")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	back, err = ReadFile(out)
	if err != nil {
		t.Fatalf("ReadFile(exported default): %v", err)
	}
	if !reflect.DeepEqual(back, def) {
		t.Error("exported default catalogue reads back differently")
	}
}

func TestReadFileErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(validYAML, "id: risk", "id: publicity", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "already used") {
		t.Errorf("invalid file: %v", err)
	}
}
