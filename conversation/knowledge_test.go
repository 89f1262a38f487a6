package conversation

import (
	"testing"

	"fieldlog"
	"fieldlog/catalog"
	"fieldlog/parse"
)

// The prepared knowledge follows the engine's unit tree: a tree loaded
// anew (units imported) is read with its own names, not the old ones'.
func TestKnowledgeFollowsTheTree(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	village := func(id, name string) *fieldlog.Tree {
		return fieldlog.NewTree([]fieldlog.Unit{{ID: fieldlog.UnitID(id), Level: fieldlog.Village,
			Name: fieldlog.Text{fieldlog.Chinese: name, fieldlog.Mongolian: name}}})
	}
	var k knowledge
	const sentence = "6月7日在乌兰嘎查开展政策宣讲，80余人参加"
	read := func(tree *fieldlog.Tree) parse.Reading {
		kn := k.of(cat, tree)
		kn.Today, kn.Earliest = fieldlog.Date{Year: 2024, Month: 6, Day: 20}, fieldlog.Date{Year: 2024, Month: 1, Day: 1}
		return parse.Activity(sentence, kn)
	}
	old := village("baiyin", "白音嘎查")
	if r := read(old); r.PlaceUnit != "" {
		t.Errorf("with a tree that has no 乌兰嘎查 the place is unit %q", r.PlaceUnit)
	}
	if r := read(village("wulan", "乌兰嘎查")); r.PlaceUnit != "wulan" {
		t.Errorf("with the new tree the place is unit %q, want wulan", r.PlaceUnit)
	}
	if r := read(old); r.PlaceUnit != "" {
		t.Errorf("back to the old tree, the place is unit %q", r.PlaceUnit)
	}
}
