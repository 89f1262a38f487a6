package units

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fieldlog"
)

const sampleDir = "../deploy"

func TestSampleFilesLoadAndAgree(t *testing.T) {
	fromCSV, err := ReadFile(filepath.Join(sampleDir, "units.sample.csv"))
	if err != nil {
		t.Fatalf("CSV sample: %v", err)
	}
	fromYAML, err := ReadFile(filepath.Join(sampleDir, "units.sample.yaml"))
	if err != nil {
		t.Fatalf("YAML sample: %v", err)
	}
	if !reflect.DeepEqual(fromCSV, fromYAML) {
		t.Errorf("samples differ:\n csv  %+v\n yaml %+v", fromCSV, fromYAML)
	}

	tree := fieldlog.NewTree(fromCSV)
	if roots := tree.Roots(); len(roots) != 1 || roots[0] != "wushen" {
		t.Fatalf("roots = %v, want [wushen]", roots)
	}
	if got := tree.Name("wushen", fieldlog.Mongolian); got != "ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ" {
		t.Errorf("banner's Mongolian name = %q", got)
	}
	townships := tree.Children("wushen")
	if want := []fieldlog.UnitID{"galutu", "ulaan_tolgoi", "sulde"}; !reflect.DeepEqual(townships, want) {
		t.Errorf("townships = %v, want %v in file order", townships, want)
	}
	for _, id := range townships {
		if n := len(tree.Children(id)); n < 2 || n > 3 {
			t.Errorf("township %s has %d villages, want 2–3", id, n)
		}
	}
	for i, u := range fromCSV {
		if u.Order != i+1 {
			t.Errorf("unit %s: Order = %d, want its position %d", u.ID, u.Order, i+1)
		}
		for _, p := range mongolianWritingProblems(u.Name[fieldlog.Mongolian]) {
			t.Errorf("unit %s: %q: %s", u.ID, u.Name[fieldlog.Mongolian], p)
		}
	}
}

// mongolianWritingProblems checks the glossary rules a unit name can break:
// a vowel separator only before a word-final a/e, no plain space before a
// case suffix.
func mongolianWritingProblems(s string) []string {
	var out []string
	rs := []rune(s)
	for i, r := range rs {
		if r == '\u180E' && (i+1 >= len(rs) || (rs[i+1] != 'ᠠ' && rs[i+1] != 'ᠡ') ||
			(i+2 < len(rs) && rs[i+2] != ' ' && rs[i+2] != '\u202F')) {
			out = append(out, "U+180E not before a word-final ᠠ/ᠡ")
		}
	}
	for _, w := range strings.Split(s, " ") {
		switch w {
		case "ᠤᠨ", "ᠦᠨ", "ᠶᠢᠨ", "ᠤ", "ᠦ", "ᠢ", "ᠶᠢ", "ᠳᠤ", "ᠳᠦ", "ᠲᠤ", "ᠲᠦ":
			out = append(out, "case suffix "+w+" after a plain space")
		}
	}
	return out
}

func TestReadCSVToleratesBOMAndCRLF(t *testing.T) {
	plain := "id,parent_id,level,name_zh,name_mn\n" +
		"q,,banner,乌审旗,ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ\n" +
		"t,q,township,苏力德苏木,ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ\n" +
		"v,t,village,塔拉乌素嘎查,ᠲᠠᠯ\u180Eᠠ ᠤᠰᠤ ᠭᠠᠴᠠᠭᠠ\n"
	want, err := ReadCSV(strings.NewReader(plain))
	if err != nil {
		t.Fatalf("plain CSV: %v", err)
	}
	if len(want) != 3 || want[2].Name[fieldlog.Mongolian] != "ᠲᠠᠯ\u180Eᠠ ᠤᠰᠤ ᠭᠠᠴᠠᠭᠠ" {
		t.Fatalf("plain CSV read %+v", want)
	}
	excel := "\uFEFF" + strings.ReplaceAll(plain, "\n", "\r\n") + ",,,,\r\n,,,,\r\n"
	got, err := ReadCSV(strings.NewReader(excel))
	if err != nil {
		t.Fatalf("CSV with BOM, CRLF and empty rows: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BOM/CRLF changed the result:\n got %+v\nwant %+v", got, want)
	}

	// Columns in another order, an extra column, quoted fields and spaces.
	other := "Name_MN , id,level,parent_id,name_zh,备注\r\n" +
		"\"ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ\", q ,banner,,乌审旗,旗本级\r\n" +
		"ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ,t,township,q,\"苏力德苏木\",\r\n" +
		"ᠲᠠᠯ\u180Eᠠ ᠤᠰᠤ ᠭᠠᠴᠠᠭᠠ,v,village,t,塔拉乌素嘎查,\r\n"
	got, err = ReadCSV(strings.NewReader(other))
	if err != nil {
		t.Fatalf("reordered CSV: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reordered columns:\n got %+v\nwant %+v", got, want)
	}
}

// validCSV is a small valid unit file; the cases below break it.
const validCSV = `id,parent_id,level,name_zh,name_mn
q,,banner,乌审旗,ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ
t,q,township,苏力德苏木,ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ
v,t,village,沙日淖尔嘎查,ᠰᠢᠷ` + "\u180E" + `ᠠ ᠨᠠᠭᠤᠷ ᠭᠠᠴᠠᠭᠠ
`

func TestReadCSVRejects(t *testing.T) {
	if _, err := ReadCSV(strings.NewReader(validCSV)); err != nil {
		t.Fatalf("validCSV: %v", err)
	}
	cases := []struct {
		name, old, new string
		wantErr        []string
	}{
		{"empty id", "\nv,t,", "\n,t,", []string{"line 4:", "id is missing"}},
		{"id with space", "\nv,t,", "\nv 1,t,", []string{"line 4:", `id "v 1" contains ' '`}},
		{"id not ASCII", "\nv,t,", "\n沙日,t,", []string{"line 4:", "only A–Z"}},
		{"id too long", "\nv,t,", "\n" + strings.Repeat("v", 33) + ",t,", []string{"line 4:", "at most 32"}},
		{"duplicate id", "\nv,t,", "\nt,t,", []string{"line 4:", `id "t" is already used on line 3`}},
		{"unknown parent", "v,t,village", "v,x,village", []string{"line 4:", `parent "x" is not in the file`}},
		{"cycle", "t,q,township", "t,v,township", []string{`unit "t" is its own ancestor: t → v → t`, `unit "v" is its own ancestor: v → t → v`}},
		{"self parent", "t,q,township", "t,t,township", []string{"line 3:", `unit "t" is its own ancestor: t → t`}},
		{"unknown level", "t,q,township", "t,q,town", []string{"line 3:", `level "town": want banner, township or village`}},
		{"missing level", "t,q,township", "t,q,", []string{"line 3:", "level is missing"}},
		{"banner with parent", "q,,banner", "q,t,banner", []string{"line 2:", `banner "q" must not have a parent`}},
		{"township without parent", "t,q,township", "t,,township", []string{"line 3:", `township "t" needs a parent banner`}},
		{"village under banner", "v,t,village", "v,q,village", []string{"line 4:", `village "v" must have a township as parent, but "q" (line 2) is a "banner"`}},
		{"township under township", "\nv,t,village", "\nv,t,township", []string{"line 4:", `township "v" must have a banner as parent`}},
		{"missing Chinese name", "苏力德苏木", "", []string{"line 3:", "Chinese name (zh-Hans) is missing"}},
		{"missing Mongolian name", "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ", "", []string{"line 3:", "Mongolian name (mn-Mong) is missing"}},
		{"Mongolian name in Cyrillic", "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ", "Сүлд сум", []string{"line 3:", `Mongolian name "Сүлд сум": not in Mongolian script`}},
		{"Mongolian name in Chinese", "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ", "苏力德苏木", []string{"line 3:", "not in Mongolian script"}},
		{"Mongolian name mixed", "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ", "ᠰᠦᠯᠳᠡ 苏木", []string{"line 3:", "contains the Chinese character '苏'"}},
		{"names swapped", "苏力德苏木,ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ", "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ,ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ", []string{"line 3:", "names swapped"}},
		{"missing column", "id,parent_id,level,name_zh,name_mn", "id,parent_id,level,name_zh", []string{"line 1:", "lacks column name_mn"}},
		{"no header", "id,parent_id,level,name_zh,name_mn\n", "", []string{"line 1:", "lacks column"}},
		{"duplicate column", "id,parent_id,level,name_zh,name_mn", "id,parent_id,level,name_zh,name_mn,id", []string{"line 1:", `column "id" appears twice`}},
		{"bad quoting", "\nv,t,", "\n\"v,t,", []string{"parse CSV"}},
		{"not UTF-8 (Excel ANSI)", "苏力德苏木", "\xcb\xd5\xc1\xa6\xb5\xc2\xcb\xd5\xc4\xbe", []string{"line 3:", "not UTF-8", "CSV UTF-8"}},
		{"header only", validCSV, "id,parent_id,level,name_zh,name_mn\n", []string{"no units"}},
		{"empty file", validCSV, "", []string{"no units"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(validCSV, tc.old) {
				t.Fatalf("test case does not apply: %q not in validCSV", tc.old)
			}
			in := strings.Replace(validCSV, tc.old, tc.new, 1)
			_, err := ReadCSV(strings.NewReader(in))
			if err == nil {
				t.Fatalf("ReadCSV accepted:\n%s", in)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

const validYAML = `# units
- id: q
  level: banner
  name: {zh-Hans: 乌审旗, mn-Mong: ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ}
- id: t
  parent: q
  level: township
  name:
    zh-Hans: 苏力德苏木
    mn-Mong: ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ
- id: 42
  parent: t
  level: village
  name: {zh-Hans: 沙日淖尔嘎查, mn-Mong: "ᠰᠢᠷ\u180Eᠠ ᠨᠠᠭᠤᠷ ᠭᠠᠴᠠᠭᠠ"}
`

func TestReadYAML(t *testing.T) {
	got, err := ReadYAML(strings.NewReader(validYAML))
	if err != nil {
		t.Fatalf("ReadYAML: %v", err)
	}
	want := []fieldlog.Unit{
		{ID: "q", Level: fieldlog.Banner, Order: 1, Name: fieldlog.Text{fieldlog.Chinese: "乌审旗", fieldlog.Mongolian: "ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ"}},
		{ID: "t", ParentID: "q", Level: fieldlog.Township, Order: 2, Name: fieldlog.Text{fieldlog.Chinese: "苏力德苏木", fieldlog.Mongolian: "ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ"}},
		{ID: "42", ParentID: "t", Level: fieldlog.Village, Order: 3, Name: fieldlog.Text{fieldlog.Chinese: "沙日淖尔嘎查", fieldlog.Mongolian: "ᠰᠢᠷ\u180Eᠠ ᠨᠠᠭᠤᠷ ᠭᠠᠴᠠᠭᠠ"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadYAML:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadYAMLRejects(t *testing.T) {
	cases := []struct {
		name, old, new string
		wantErr        []string
	}{
		{"duplicate id", "- id: 42", "- id: t", []string{"line 11:", `id "t" is already used on line 5`}},
		{"unknown parent", "parent: t", "parent: x", []string{"line 11:", `parent "x" is not in the file`}},
		{"cycle", "parent: q", "parent: 42", []string{"line 5:", `unit "t" is its own ancestor: t → 42 → t`}},
		{"level mismatch", "level: village", "level: township", []string{"line 11:", `township "42" must have a banner as parent`}},
		{"missing Mongolian", ", mn-Mong: ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ}", "}", []string{"line 2:", "Mongolian name (mn-Mong) is missing"}},
		{"Mongolian not in script", "mn-Mong: ᠰᠦᠯᠳᠡ ᠰᠤᠮᠤ", "mn-Mong: Sulde sum", []string{"line 5:", "not in Mongolian script"}},
		{"misspelt key", "  parent: q", "  parent_id: q", []string{"line 6:", `unknown key "parent_id"`}},
		{"misspelt language", "zh-Hans: 苏力德苏木", "zh: 苏力德苏木", []string{"line 9:", `unknown key "zh"`}},
		{"not a list", validYAML, "id: q\nlevel: banner\n", []string{"line 1:", "want a list"}},
		{"name not a map", "name: {zh-Hans: 乌审旗, mn-Mong: ᠦᠦᠰᠢᠨ ᠬᠣᠰᠢᠭᠤ}", "name: 乌审旗", []string{"line 4:", "name must have zh-Hans and mn-Mong"}},
		{"empty list", validYAML, "[]\n", []string{"no units"}},
		{"empty file", validYAML, "", []string{"no units"}},
		{"bad YAML", "- id: q", "- id: [q", []string{"parse YAML"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(validYAML, tc.old) {
				t.Fatalf("test case does not apply: %q not in validYAML", tc.old)
			}
			in := strings.Replace(validYAML, tc.old, tc.new, 1)
			_, err := ReadYAML(strings.NewReader(in))
			if err == nil {
				t.Fatalf("ReadYAML accepted:\n%s", in)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestReadFileChoosesFormat(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fromCSV, err := ReadFile(write("units.CSV", validCSV))
	if err != nil {
		t.Fatalf(".CSV: %v", err)
	}
	fromYML, err := ReadFile(write("units.yml", strings.Replace(validYAML, "42", "v", 2)))
	if err != nil {
		t.Fatalf(".yml: %v", err)
	}
	if !reflect.DeepEqual(fromCSV, fromYML) {
		t.Errorf("CSV and YAML differ:\n csv %+v\n yml %+v", fromCSV, fromYML)
	}
	// YAML content in a .csv file is read as CSV, and fails as CSV.
	if _, err := ReadFile(write("wrong.csv", validYAML)); err == nil || !strings.Contains(err.Error(), "wrong.csv") {
		t.Errorf("YAML in .csv: %v", err)
	}
	if _, err := ReadFile(write("units.xlsx", validCSV)); err == nil || !strings.Contains(err.Error(), `unknown format ".xlsx"`) {
		t.Errorf(".xlsx: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}
