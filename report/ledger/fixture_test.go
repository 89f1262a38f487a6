package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"fieldlog"
)

// The fixture's tree, catalogue and records are spelled out here, not
// derived through the package, so the tests compare against independent
// expectations.

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// unitOrder are the fixture's units in tree order (depth first, siblings
// by Order), unitNames their names; "ghost" is not in the tree. The banner
// kfq and the village quiet have no records.
var unitOrder = []fieldlog.UnitID{"kfq", "xc", "hp", "jh", "bs", "gc", "quiet"}

// withRecords are the units gen gives records to.
var withRecords = []fieldlog.UnitID{"xc", "hp", "jh", "bs", "gc", "ghost"}

// hasChildren are the units of the tree with units below them.
var hasChildren = map[fieldlog.UnitID]bool{"kfq": true, "xc": true, "bs": true}

var unitNames = map[fieldlog.UnitID]fieldlog.Text{
	"kfq":   {fieldlog.Chinese: "开发区", fieldlog.Mongolian: "ᠨᠡᠭᠡᠭᠡᠯᠳᠡ ᠶᠢᠨ ᠲᠣᠭᠣᠷᠢᠭ"},
	"xc":    {fieldlog.Chinese: "新城街道", fieldlog.Mongolian: "ᠰᠢᠨ ᠴᠧᠩ ᠵᠢᠶᠡᠳᠣᠤ"},
	"hp":    {fieldlog.Chinese: "河畔花园社区", fieldlog.Mongolian: "ᠬᠧ ᠫᠠᠨ ᠬᠤᠸᠠ ᠶᠤᠸᠠᠨ"},
	"jh":    {fieldlog.Chinese: "京汉新城社区", fieldlog.Mongolian: "ᠵᠢᠩ ᠬᠠᠨ"},
	"bs":    {fieldlog.Chinese: "巴彦苏木", fieldlog.Mongolian: "ᠪᠠᠶᠠᠨ ᠰᠤᠮᠤ"},
	"gc":    {fieldlog.Chinese: "乌兰嘎查", fieldlog.Mongolian: "ᠤᠯᠠᠭᠠᠨ ᠭᠠᠴᠠᠭᠠ"},
	"quiet": {fieldlog.Chinese: "无记录村"}, // no Mongolian name: falls back to Chinese
}

// testTree lists units out of order on purpose: the summary must follow
// Order, not the slice.
func testTree() *fieldlog.Tree {
	return fieldlog.NewTree([]fieldlog.Unit{
		{ID: "bs", ParentID: "kfq", Level: fieldlog.Township, Name: unitNames["bs"], Order: 2},
		{ID: "jh", ParentID: "xc", Level: fieldlog.Village, Name: unitNames["jh"], Order: 2},
		{ID: "kfq", Level: fieldlog.Banner, Name: unitNames["kfq"], Order: 1},
		{ID: "hp", ParentID: "xc", Level: fieldlog.Village, Name: unitNames["hp"], Order: 1},
		{ID: "xc", ParentID: "kfq", Level: fieldlog.Township, Name: unitNames["xc"], Order: 1},
		{ID: "gc", ParentID: "bs", Level: fieldlog.Village, Name: unitNames["gc"], Order: 1},
		{ID: "quiet", ParentID: "bs", Level: fieldlog.Village, Name: unitNames["quiet"], Order: 2},
	})
}

type fixtureType struct {
	section, id string
	name        fieldlog.Text
	measure     fieldlog.Text
	quantity    bool
	// headCount is the report's participants clause; empty for a type
	// whose participants the report does not state.
	headCount fieldlog.Text
}

var sectionNames = []struct {
	id   string
	name fieldlog.Text
}{
	{"org", fieldlog.Text{fieldlog.Chinese: "组织领导与理论学习", fieldlog.Mongolian: "ᠪᠠᠶᠢᠭᠤᠯᠤᠯᠭ᠎ᠠ ᠶᠢᠨ ᠤᠳᠤᠷᠢᠳᠤᠯᠭ᠎ᠠ"}},
	{"pub", fieldlog.Text{fieldlog.Chinese: "宣传教育", fieldlog.Mongolian: "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠭ᠎ᠠ"}},
	{"qw", fieldlog.Text{fieldlog.Chinese: "侨务工作"}}, // no Mongolian: falls back to Chinese
}

var fixtureTypes = []fixtureType{
	{"org", "meeting", fieldlog.Text{fieldlog.Chinese: "党委会议研究统战工作", fieldlog.Mongolian: "ᠬᠤᠷᠠᠯ"}, fieldlog.Text{fieldlog.Chinese: "次"}, false, nil},
	{"pub", "talk", fieldlog.Text{fieldlog.Chinese: "宣讲活动", fieldlog.Mongolian: "ᠶᠠᠷᠢᠯᠭ᠎ᠠ"}, fieldlog.Text{fieldlog.Chinese: "场"}, false,
		fieldlog.Text{fieldlog.Chinese: "受众{N}人次", fieldlog.Mongolian: "{N} ᠬᠦᠮᠦᠨ"}},
	{"pub", "leaflets", fieldlog.Text{fieldlog.Chinese: "发放宣传资料", fieldlog.Mongolian: "ᠮᠠᠲ᠋ᠧᠷᠢᠶᠠᠯ"}, fieldlog.Text{fieldlog.Chinese: "份", fieldlog.Mongolian: "ᠬᠤᠪᠢ"}, true, nil},
	{"qw", "visit", fieldlog.Text{fieldlog.Chinese: "走访慰问"}, fieldlog.Text{fieldlog.Chinese: "次"}, false,
		fieldlog.Text{fieldlog.Chinese: "慰问{N}人次", fieldlog.Mongolian: "{N} ᠬᠦᠮᠦᠨ"}},
	// Records may name a section the catalogue has since dropped.
	{"gone", "old", nil, nil, false, nil},
}

func testCatalog() *fieldlog.Catalog {
	c := &fieldlog.Catalog{}
	for _, s := range sectionNames {
		sec := fieldlog.Section{ID: s.id, Name: s.name}
		for _, t := range fixtureTypes {
			if t.section == s.id {
				sec.Types = append(sec.Types, fieldlog.ActivityType{ID: t.id, Name: t.name, Unit: t.measure, Quantity: t.quantity, HeadCount: t.headCount})
			}
		}
		c.Sections = append(c.Sections, sec)
	}
	return c
}

// titles cover what officers type and what must not break the sheet.
var titles = []string{
	"政策赶大集志愿服务活动",
	"ᠪᠠᠶᠠᠷ ᠤᠨ ᠬᠤᠷᠠᠯ ᠢ ᠡᠬᠢᠯᠡᠪᠡ᠃",
	"🎉 民族团结联欢会 👏",
	"=SUM(A1:A2)",
	"+86 宣讲",
	"-1",
	"@home",
	"=HYPERLINK(\"http://example.com\",\"x\")",
	"bad\x01control\x1fchars\x7f",
	"_x0041_ stays literal",
	"  leading and trailing  ",
	"",
}

// gen returns the i-th generated record: it is a function of (seed, i), so
// a benchmark can produce records as a cursor would without keeping them.
func gen(r *rand.Rand, i int) fieldlog.Activity {
	t := fixtureTypes[r.IntN(len(fixtureTypes))]
	a := fieldlog.Activity{
		ID:           fieldlog.ActivityID(fmt.Sprintf("a%06d", i)),
		SectionID:    t.section,
		TypeID:       t.id,
		Date:         fieldlog.Date{Year: 2024, Month: time.Month(1 + r.IntN(6)), Day: 1 + r.IntN(28)},
		Participants: fieldlog.Count{Value: int64(r.IntN(300)), Approx: r.IntN(4) == 0},
		Title:        titles[r.IntN(len(titles))],
		UnitID:       withRecords[r.IntN(len(withRecords))],
		ReporterID:   int64(1000 + r.IntN(50)),
		ReporterName: []string{"张三", "ᠪᠠᠲᠤ", ""}[r.IntN(3)],
		LoggedAt:     time.Date(2024, 7, 1+r.IntN(20), r.IntN(24), r.IntN(60), 0, 0, shanghai).UTC(),
	}
	if r.IntN(3) > 0 {
		a.Place = []string{"文化广场", "ᠰᠤᠮᠤ ᠶᠢᠨ ᠲᠥᠪ", "村委会\x00会议室"}[r.IntN(3)]
	}
	if r.IntN(8) == 0 { // no head count given: an empty cell, not 0
		a.Participants = fieldlog.Count{}
	}
	if t.quantity {
		a.Quantity = fieldlog.Count{Value: int64(r.IntN(5000)), Approx: r.IntN(3) == 0}
	}
	return a
}
