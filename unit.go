package fieldlog

import "sort"

// UnitID identifies an organisation unit; it comes from the imported unit file.
type UnitID string

// Level is the rank of a unit in the tree.
type Level string

// The levels of the organisation tree, from the top.
const (
	Banner   Level = "banner"   // 旗
	Township Level = "township" // 苏木/镇/街道
	Village  Level = "village"  // 嘎查/村/社区
)

// Unit is one organisation unit: a banner, township, village or community.
type Unit struct {
	ID       UnitID
	ParentID UnitID // empty for a root
	Level    Level
	Name     Text
	Order    int // position among its siblings, as in the imported file
}

// Tree is an immutable index over all units.
type Tree struct {
	units    map[UnitID]Unit
	children map[UnitID][]UnitID
	roots    []UnitID
}

// NewTree indexes units. Units whose parent is unknown are treated as roots.
func NewTree(units []Unit) *Tree {
	t := &Tree{units: make(map[UnitID]Unit, len(units)), children: map[UnitID][]UnitID{}}
	for _, u := range units {
		t.units[u.ID] = u
	}
	for _, u := range units {
		if _, ok := t.units[u.ParentID]; ok && u.ParentID != u.ID {
			t.children[u.ParentID] = append(t.children[u.ParentID], u.ID)
		} else {
			t.roots = append(t.roots, u.ID)
		}
	}
	byOrder := func(ids []UnitID) {
		sort.SliceStable(ids, func(i, j int) bool {
			a, b := t.units[ids[i]], t.units[ids[j]]
			if a.Order != b.Order {
				return a.Order < b.Order
			}
			return a.ID < b.ID
		})
	}
	byOrder(t.roots)
	for _, ids := range t.children {
		byOrder(ids)
	}
	return t
}

// Unit returns the unit with id.
func (t *Tree) Unit(id UnitID) (Unit, bool) {
	u, ok := t.units[id]
	return u, ok
}

// Name returns the unit's name in l, or the id itself when it is unknown.
func (t *Tree) Name(id UnitID, l Lang) string {
	if u, ok := t.units[id]; ok {
		return u.Name.In(l)
	}
	return string(id)
}

// Roots returns the units without a parent, in file order.
func (t *Tree) Roots() []UnitID { return t.roots }

// Children returns the direct children of id, in file order.
func (t *Tree) Children(id UnitID) []UnitID { return t.children[id] }

// Len is the number of units.
func (t *Tree) Len() int { return len(t.units) }

// Contains reports whether unit lies in the subtree rooted at ancestor
// (a unit contains itself).
func (t *Tree) Contains(ancestor, unit UnitID) bool {
	seen := 0
	for id := unit; id != ""; seen++ {
		if id == ancestor {
			return true
		}
		u, ok := t.units[id]
		if !ok || seen > len(t.units) { // guards against a cycle in bad data
			return false
		}
		id = u.ParentID
	}
	return false
}

// Subtree returns id and every unit below it, depth first in file order.
func (t *Tree) Subtree(id UnitID) []UnitID {
	if _, ok := t.units[id]; !ok {
		return nil
	}
	var out []UnitID
	seen := map[UnitID]bool{} // guards against a cycle in bad data
	var walk func(UnitID)
	walk = func(u UnitID) {
		if seen[u] {
			return
		}
		seen[u] = true
		out = append(out, u)
		for _, c := range t.children[u] {
			walk(c)
		}
	}
	walk(id)
	return out
}
