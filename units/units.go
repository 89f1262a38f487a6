// Package units reads the organisation unit file that an admin imports with
// `fieldlog units import FILE`: the banner, its townships (苏木/镇/街道) and
// their villages and communities (嘎查/村/社区), each with a name in every
// language.
//
// Two formats are read, with the same content.
//
// CSV, UTF-8 with a header row, as Excel writes it with "CSV UTF-8" (a
// byte-order mark and CRLF line ends are fine):
//
//	id,parent_id,level,name_zh,name_mn
//	wushen,,banner,乌审旗,ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ
//	galutu,wushen,township,嘎鲁图镇,ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ
//
// YAML, a list:
//
//	# units.yaml
//	- id: wushen
//	  level: banner
//	  name: {zh-Hans: 乌审旗, mn-Mong: ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ}
//	- id: galutu
//	  parent: wushen
//	  level: township
//	  name: {zh-Hans: 嘎鲁图镇, mn-Mong: ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ}
//
// The order of the file is the order in which units are shown.
package units

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"fieldlog"
)

// MaxIDLen is the longest unit id: ids travel in Telegram callback data,
// which holds 64 bytes in all.
const MaxIDLen = 32

// CSVHeader lists the columns of a unit CSV file, in the usual order.
const CSVHeader = "id,parent_id,level,name_zh,name_mn"

// ReadFile reads and validates the unit file at path: CSV for a .csv file,
// YAML for .yaml or .yml.
func ReadFile(path string) ([]fieldlog.Unit, error) {
	var read func(io.Reader) ([]fieldlog.Unit, error)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		read = ReadCSV
	case ".yaml", ".yml":
		read = ReadYAML
	default:
		return nil, fmt.Errorf("unit file %s: unknown format %q: want .csv, .yaml or .yml", path, ext)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read units: %w", err)
	}
	defer f.Close()
	us, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("unit file %s: %w", path, err)
	}
	return us, nil
}

// ReadCSV reads and validates units from CSV with the header row CSVHeader
// (columns in any order; other columns are ignored). A UTF-8 byte-order mark,
// CRLF line ends and rows left empty by a spreadsheet are accepted.
func ReadCSV(r io.Reader) ([]fieldlog.Unit, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		_, _ = br.Discard(3) // cannot fail: the three bytes were just peeked
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("no units: the file is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("parse CSV: %w", err)
	}
	col, err := csvColumns(header)
	if err != nil {
		return nil, err
	}

	var rows []row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		for _, f := range rec {
			if !utf8.ValidString(f) {
				return nil, fmt.Errorf("line %d: the text is not UTF-8; in Excel save as \"CSV UTF-8 (逗号分隔)\"", line)
			}
		}
		field := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		rows = append(rows, row{
			line:   line,
			id:     field("id"),
			parent: field("parent_id"),
			level:  field("level"),
			zh:     field("name_zh"),
			mn:     field("name_mn"),
		})
	}
	return build(rows)
}

// csvColumns maps the required column names to their positions in header.
func csvColumns(header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if j, dup := col[h]; dup {
			return nil, fmt.Errorf("line 1: column %q appears twice (columns %d and %d)", h, j+1, i+1)
		}
		col[h] = i
	}
	var missing []string
	for _, name := range strings.Split(CSVHeader, ",") {
		if _, ok := col[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("line 1: header lacks column %s: the first row must be %s",
			strings.Join(missing, ", "), CSVHeader)
	}
	return col, nil
}

// blank reports whether every field of a CSV record is empty, as in the
// ",,,," rows a spreadsheet leaves below the data.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// ReadYAML reads and validates units from a YAML list of
// {id, parent, level, name: {zh-Hans, mn-Mong}}.
func ReadYAML(r io.Reader) ([]fieldlog.Unit, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no units: the file is empty")
		}
		return nil, fmt.Errorf("parse YAML: %w", err)
	}
	list := &doc
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		list = doc.Content[0]
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: want a list of units, each starting with \"- id:\"", list.Line)
	}
	var rows []row
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("line %d: want a unit with id, parent, level and name", item.Line)
		}
		if err := knownKeys(item, "id", "parent", "level", "name"); err != nil {
			return nil, err
		}
		var u struct {
			ID     string `yaml:"id"`
			Parent string `yaml:"parent"`
			Level  string `yaml:"level"`
			Name   struct {
				Chinese   string `yaml:"zh-Hans"`
				Mongolian string `yaml:"mn-Mong"`
			} `yaml:"name"`
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			if k, v := item.Content[i], item.Content[i+1]; k.Value == "name" {
				if v.Kind != yaml.MappingNode {
					return nil, fmt.Errorf("line %d: name must have zh-Hans and mn-Mong", v.Line)
				}
				if err := knownKeys(v, string(fieldlog.Chinese), string(fieldlog.Mongolian)); err != nil {
					return nil, err
				}
			}
		}
		if err := item.Decode(&u); err != nil {
			return nil, fmt.Errorf("line %d: %w", item.Line, err)
		}
		rows = append(rows, row{
			line:   item.Line,
			id:     strings.TrimSpace(u.ID),
			parent: strings.TrimSpace(u.Parent),
			level:  strings.TrimSpace(u.Level),
			zh:     strings.TrimSpace(u.Name.Chinese),
			mn:     strings.TrimSpace(u.Name.Mongolian),
		})
	}
	return build(rows)
}

// knownKeys checks that the mapping node m has no keys but those allowed.
func knownKeys(m *yaml.Node, allowed ...string) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if !slices.Contains(allowed, k.Value) {
			return fmt.Errorf("line %d: unknown key %q: want %s", k.Line, k.Value, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// row is one unit as read, with the line it starts on.
type row struct {
	line                      int
	id, parent, level, zh, mn string
}

// build validates the rows and turns them into units in file order.
func build(rows []row) ([]fieldlog.Unit, error) {
	if err := validate(rows); err != nil {
		return nil, err
	}
	us := make([]fieldlog.Unit, len(rows))
	for i, r := range rows {
		us[i] = fieldlog.Unit{
			ID:       fieldlog.UnitID(r.id),
			ParentID: fieldlog.UnitID(r.parent),
			Level:    fieldlog.Level(r.level),
			Name:     fieldlog.Text{fieldlog.Chinese: r.zh, fieldlog.Mongolian: r.mn},
			Order:    i + 1,
		}
	}
	return us, nil
}

// validate checks the rows and reports every problem, each with its line.
func validate(rows []row) error {
	if len(rows) == 0 {
		return errors.New("no units: the file has no rows below the header")
	}
	var errs []error
	fail := func(r row, format string, args ...any) {
		errs = append(errs, fmt.Errorf("line %d: %s", r.line, fmt.Sprintf(format, args...)))
	}

	byID := map[string]row{}
	for _, r := range rows {
		if err := checkID(r.id); err != nil {
			fail(r, "%v", err)
		} else if first, dup := byID[r.id]; dup {
			fail(r, "id %q is already used on line %d", r.id, first.line)
		} else {
			byID[r.id] = r
		}
		switch fieldlog.Level(r.level) {
		case fieldlog.Banner, fieldlog.Township, fieldlog.Village:
		case "":
			fail(r, "unit %q: level is missing: want banner, township or village", r.id)
		default:
			fail(r, "unit %q: level %q: want banner, township or village", r.id, r.level)
		}
		if r.zh == "" {
			fail(r, "unit %q: Chinese name (zh-Hans) is missing", r.id)
		} else if fieldlog.HasMongolian(r.zh) {
			fail(r, "unit %q: Chinese name %q is in Mongolian script; are the names swapped?", r.id, r.zh)
		}
		if r.mn == "" {
			fail(r, "unit %q: Mongolian name (mn-Mong) is missing", r.id)
		} else if err := fieldlog.CheckMongolian(r.mn); err != nil {
			fail(r, "unit %q: Mongolian name %q: %v", r.id, r.mn, err)
		}
	}

	// Parents exist; cycles; levels fit their parents.
	for _, r := range rows {
		if r.parent == "" {
			continue
		}
		if _, ok := byID[r.parent]; !ok {
			fail(r, "unit %q: parent %q is not in the file", r.id, r.parent)
		}
	}
	inCycle := cycles(rows, byID)
	for _, r := range rows {
		if path, ok := inCycle[r.id]; ok && byID[r.id].line == r.line {
			fail(r, "unit %q is its own ancestor: %s", r.id, path)
		}
	}
	want := map[fieldlog.Level]fieldlog.Level{fieldlog.Township: fieldlog.Banner, fieldlog.Village: fieldlog.Township}
	for _, r := range rows {
		level := fieldlog.Level(r.level)
		parent, hasParent := byID[r.parent]
		switch {
		case level == fieldlog.Banner && r.parent != "":
			fail(r, "banner %q must not have a parent, but has %q", r.id, r.parent)
		case (level == fieldlog.Township || level == fieldlog.Village) && r.parent == "":
			fail(r, "%s %q needs a parent %s", level, r.id, want[level])
		case hasParent && want[level] != "" && fieldlog.Level(parent.level) != want[level]:
			fail(r, "%s %q must have a %s as parent, but %q (line %d) is a %q",
				level, r.id, want[level], parent.id, parent.line, parent.level)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid unit file: %w", errors.Join(errs...))
	}
	return nil
}

// cycles returns, for every unit that is its own ancestor, the chain of ids
// that leads back to it ("a → b → a").
func cycles(rows []row, byID map[string]row) map[string]string {
	out := map[string]string{}
	for _, r := range rows {
		seen := map[string]bool{}
		chain := []string{r.id}
		for id := r.parent; id != ""; id = byID[id].parent {
			if _, ok := byID[id]; !ok || seen[id] {
				break // unknown parent, or a cycle above r that r is not part of
			}
			seen[id] = true
			chain = append(chain, id)
			if id == r.id {
				out[r.id] = strings.Join(chain, " → ")
				break
			}
		}
	}
	return out
}

// checkID checks a unit id.
func checkID(id string) error {
	if id == "" {
		return errors.New("id is missing")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("id %q is %d characters long, at most %d are allowed", id, len(id), MaxIDLen)
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("id %q contains %q: only A–Z, a–z, 0–9, _ and - are allowed", id, r)
		}
	}
	return nil
}
