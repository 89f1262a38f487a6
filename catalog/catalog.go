// Package catalog reads and checks the activity catalogue: the report
// sections and the activity types within each, with their labels in every
// language. The catalogue is data, kept in a YAML file, so a banner can
// reorganise its report without a rebuild; Default returns the starting
// catalogue built into the program.
//
// The file looks like this (see default.yaml for a complete one):
//
//	sections:
//	  - id: publicity
//	    name: {zh-Hans: 宣传教育, mn-Mong: "ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠭ\u180Eᠠ ᠰᠤᠷᠭᠠᠨ ᠬᠦᠮᠦᠵᠢᠯ"}
//	    types:
//	      - id: leaflets
//	        name: {zh-Hans: 宣传资料, mn-Mong: …}
//	        verb: {zh-Hans: 发放, mn-Mong: …}
//	        unit: {zh-Hans: 份, mn-Mong: "ᠬᠤᠪᠢ"}
//	        quantity: true
//	      - id: lecture
//	        …
//	        head_count: {zh-Hans: "受众{N}人次", mn-Mong: …}
//	        keywords: {zh-Hans: [宣讲, 宣传宣讲], mn-Mong: ["ᠰᠤᠷᠲᠠᠯᠴᠢᠯᠠᠨ ᠶᠠᠷᠢ"]}
//
// A report phrase is, in Chinese, verb + name + figure + unit ("发放宣传资料
// 1200余份"), and in Mongolian name, figure, unit and verb, the verb being a
// past participle that closes the clause. A type with a head_count clause
// follows its figure with it ("开展宣讲活动11场，受众1800余人次"); the others
// state no participants. ten_thousand writes figures of 10,000 and more in
// that word ("发放慰问金2万元").
//
// keywords are the words and synonyms by which a sentence an officer sends
// is read as of a type (parse.Activity); a section may have keywords of its
// subject too (侨眷, 宗教), which only break ties between sections.
package catalog

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"fieldlog"
)

//go:embed default.yaml
var defaultYAML []byte

// MaxIDLen is the longest section or type id: ids travel in Telegram callback
// data, which holds 64 bytes in all.
const MaxIDLen = 16

// Default returns the starting catalogue built into the program, read off the
// reference reports. Every call returns a fresh copy the caller may change.
func Default() (*fieldlog.Catalog, error) {
	c, err := Read(bytes.NewReader(defaultYAML))
	if err != nil {
		return nil, fmt.Errorf("built-in catalogue: %w", err)
	}
	return c, nil
}

// ReadFile reads and validates the catalogue file at path.
func ReadFile(path string) (*fieldlog.Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read catalogue: %w", err)
	}
	defer f.Close()
	c, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("catalogue %s: %w", path, err)
	}
	return c, nil
}

// Read reads a catalogue in YAML from r and validates it. Unknown fields are
// errors, so that a misspelt key is not silently ignored.
func Read(r io.Reader) (*fieldlog.Catalog, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("catalogue is empty")
		}
		return nil, fmt.Errorf("parse catalogue: %w", err)
	}
	c := f.catalog()
	if err := Validate(c); err != nil {
		return nil, err
	}
	return c, nil
}

// Write writes c as YAML in the format Read reads, e.g. to give an admin the
// built-in catalogue as the start of their own.
func Write(w io.Writer, c *fieldlog.Catalog) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(fileOf(c)); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write catalogue: %w", err)
	}
	return nil
}

// Validate checks a catalogue: at least one section, every section with at
// least one type; section ids unique, type ids unique within their section,
// ids of 1 to MaxIDLen characters from a–z, 0–9, _ and -; every name, verb
// and unit given in every language, and a head count clause or ten-thousand
// word in every language or none; every head count clause with one
// fieldlog.HeadCountPlaceholder; Mongolian labels and keywords in Mongolian
// script without Chinese characters, Chinese ones without Mongolian script;
// no keyword blank or given twice, none in an unknown language; format
// ids valid and unique, every format a type names defined. It reports
// every problem it finds, each naming its section and type.
func Validate(c *fieldlog.Catalog) error {
	if c == nil || len(c.Sections) == 0 {
		return errors.New("invalid catalogue: no sections")
	}
	var errs []error
	formatAt := map[string]int{}
	for i, f := range c.Formats {
		where := fmt.Sprintf("format %d %q", i+1, f.ID)
		if err := checkID(f.ID); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		} else if j, dup := formatAt[f.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: id already used by format %d", where, j+1))
		} else {
			formatAt[f.ID] = i
		}
		errs = append(errs, checkKeywords(where+": keywords", f.Keywords)...)
	}
	sectionAt := map[string]int{}
	for i, s := range c.Sections {
		where := fmt.Sprintf("section %d %q", i+1, s.ID)
		if err := checkID(s.ID); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		} else if j, dup := sectionAt[s.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: id already used by section %d", where, j+1))
		} else {
			sectionAt[s.ID] = i
		}
		errs = append(errs, checkText(where+": name", s.Name)...)
		errs = append(errs, checkKeywords(where+": keywords", s.Keywords)...)
		if len(s.Types) == 0 {
			errs = append(errs, fmt.Errorf("%s: no types", where))
		}
		typeAt := map[string]int{}
		for k, t := range s.Types {
			where := fmt.Sprintf("%s: type %d %q", where, k+1, t.ID)
			if err := checkID(t.ID); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", where, err))
			} else if j, dup := typeAt[t.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: id already used by type %d of this section", where, j+1))
			} else {
				typeAt[t.ID] = k
			}
			errs = append(errs, checkText(where+": name", t.Name)...)
			errs = append(errs, checkText(where+": verb", t.Verb)...)
			errs = append(errs, checkText(where+": unit", t.Unit)...)
			if len(t.HeadCount) > 0 {
				errs = append(errs, checkText(where+": head_count", t.HeadCount)...)
				errs = append(errs, checkHeadCount(where+": head_count", t.HeadCount)...)
			}
			if len(t.TenThousand) > 0 {
				errs = append(errs, checkText(where+": ten_thousand", t.TenThousand)...)
			}
			errs = append(errs, checkKeywords(where+": keywords", t.Keywords)...)
			for _, id := range t.Formats {
				if _, ok := formatAt[id]; !ok {
					errs = append(errs, fmt.Errorf("%s: formats: %q is no format of the catalogue", where, id))
				}
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid catalogue: %w", errors.Join(errs...))
	}
	return nil
}

// checkID checks a section or type id.
func checkID(id string) error {
	if id == "" {
		return errors.New("id is missing")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("id is %d characters long, at most %d are allowed", len(id), MaxIDLen)
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("id contains %q: only a–z, 0–9, _ and - are allowed", r)
		}
	}
	return nil
}

// checkText checks that a label exists in every language, in the right script.
func checkText(where string, t fieldlog.Text) []error {
	var errs []error
	for _, l := range fieldlog.Langs {
		s := strings.TrimSpace(t[l])
		if s == "" {
			errs = append(errs, fmt.Errorf("%s: %s text is missing", where, l))
			continue
		}
		switch l {
		case fieldlog.Mongolian:
			if err := fieldlog.CheckMongolian(s); err != nil {
				errs = append(errs, fmt.Errorf("%s: %s text %q: %w", where, l, s, err))
			}
		case fieldlog.Chinese:
			if fieldlog.HasMongolian(s) {
				errs = append(errs, fmt.Errorf("%s: %s text %q is in Mongolian script; are the languages swapped?", where, l, s))
			}
		}
	}
	for _, l := range slices.Sorted(maps.Keys(t)) {
		if !l.Valid() {
			errs = append(errs, fmt.Errorf("%s: unknown language %q", where, l))
		}
	}
	return errs
}

// checkKeywords checks each keyword's script as checkText does, and that
// none is blank or repeated. Keywords are optional: a deployment's own
// catalogue without them still loads, and a sentence is then read by the
// types' names alone.
func checkKeywords(where string, k fieldlog.Keywords) []error {
	var errs []error
	for _, l := range slices.Sorted(maps.Keys(k)) {
		if !l.Valid() {
			errs = append(errs, fmt.Errorf("%s: unknown language %q", where, l))
			continue
		}
		seen := map[string]bool{}
		for i, w := range k[l] {
			at := fmt.Sprintf("%s: %s keyword %d", where, l, i+1)
			switch {
			case strings.TrimSpace(w) == "":
				errs = append(errs, fmt.Errorf("%s is blank", at))
				continue
			case seen[w]:
				errs = append(errs, fmt.Errorf("%s %q is given twice", at, w))
			}
			seen[w] = true
			switch l {
			case fieldlog.Mongolian:
				if err := fieldlog.CheckMongolian(w); err != nil {
					errs = append(errs, fmt.Errorf("%s %q: %w", at, w, err))
				}
			case fieldlog.Chinese:
				if fieldlog.HasMongolian(w) {
					errs = append(errs, fmt.Errorf("%s %q is in Mongolian script; are the languages swapped?", at, w))
				}
			}
		}
	}
	return errs
}

// checkHeadCount checks that a head count clause has the number's place
// once in every language.
func checkHeadCount(where string, t fieldlog.Text) []error {
	var errs []error
	for _, l := range fieldlog.Langs {
		if s := t[l]; s != "" && strings.Count(s, fieldlog.HeadCountPlaceholder) != 1 {
			errs = append(errs, fmt.Errorf("%s: %s text %q must contain %s once, where the number goes", where, l, s, fieldlog.HeadCountPlaceholder))
		}
	}
	return errs
}

// file is the YAML form of a catalogue.
type file struct {
	Formats  []fileFormat  `yaml:"formats,omitempty"`
	Sections []fileSection `yaml:"sections"`
}

type fileFormat struct {
	ID       string       `yaml:"id"`
	Keywords fileKeywords `yaml:"keywords"`
}

type fileSection struct {
	ID       string       `yaml:"id"`
	Name     fileText     `yaml:"name"`
	Keywords fileKeywords `yaml:"keywords,omitempty"`
	Types    []fileType   `yaml:"types"`
}

type fileType struct {
	ID       string   `yaml:"id"`
	Name     fileText `yaml:"name"`
	Verb     fileText `yaml:"verb"`
	Unit     fileText `yaml:"unit"`
	Quantity bool     `yaml:"quantity,omitempty"`
	// HeadCount and TenThousand are optional: absent, the report states
	// no participants and writes figures in full.
	HeadCount   fileText `yaml:"head_count,omitempty"`
	TenThousand fileText `yaml:"ten_thousand,omitempty"`
	// Keywords are optional too: absent, only the name reads a sentence.
	Keywords fileKeywords `yaml:"keywords,omitempty"`
	Formats  []string     `yaml:"formats,omitempty"`
}

// fileText is a label in the file: one field per supported language, so that
// a misspelt language tag is reported with its line.
type fileText struct {
	Chinese   string `yaml:"zh-Hans"`
	Mongolian string `yaml:"mn-Mong"`
}

func (t fileText) text() fieldlog.Text {
	out := fieldlog.Text{}
	if s := strings.TrimSpace(t.Chinese); s != "" {
		out[fieldlog.Chinese] = s
	}
	if s := strings.TrimSpace(t.Mongolian); s != "" {
		out[fieldlog.Mongolian] = s
	}
	return out
}

// optional is text(), or nil when no language is given.
func (t fileText) optional() fieldlog.Text {
	if out := t.text(); len(out) > 0 {
		return out
	}
	return nil
}

// fileKeywords are keywords in the file, one list per supported language.
type fileKeywords struct {
	Chinese   []string `yaml:"zh-Hans,omitempty"`
	Mongolian []string `yaml:"mn-Mong,omitempty"`
}

// keywords is the keywords of the file, trimmed; nil when there are none, so
// that a catalogue read back equals the one written. Blank ones are kept for
// Validate to report.
func (k fileKeywords) keywords() fieldlog.Keywords {
	out := fieldlog.Keywords{}
	trim := func(ws []string) []string {
		var ts []string
		for _, w := range ws {
			ts = append(ts, strings.TrimSpace(w))
		}
		return ts
	}
	if len(k.Chinese) > 0 {
		out[fieldlog.Chinese] = trim(k.Chinese)
	}
	if len(k.Mongolian) > 0 {
		out[fieldlog.Mongolian] = trim(k.Mongolian)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func fileKeywordsOf(k fieldlog.Keywords) fileKeywords {
	return fileKeywords{Chinese: k[fieldlog.Chinese], Mongolian: k[fieldlog.Mongolian]}
}

func fileTextOf(t fieldlog.Text) fileText {
	return fileText{Chinese: t[fieldlog.Chinese], Mongolian: t[fieldlog.Mongolian]}
}

func (f file) catalog() *fieldlog.Catalog {
	c := &fieldlog.Catalog{Sections: make([]fieldlog.Section, 0, len(f.Sections))}
	for _, ff := range f.Formats {
		c.Formats = append(c.Formats, fieldlog.Format{ID: strings.TrimSpace(ff.ID), Keywords: ff.Keywords.keywords()})
	}
	for _, fs := range f.Sections {
		s := fieldlog.Section{ID: strings.TrimSpace(fs.ID), Name: fs.Name.text(), Keywords: fs.Keywords.keywords()}
		for _, ft := range fs.Types {
			s.Types = append(s.Types, fieldlog.ActivityType{
				ID:       strings.TrimSpace(ft.ID),
				Name:     ft.Name.text(),
				Verb:     ft.Verb.text(),
				Unit:     ft.Unit.text(),
				Quantity: ft.Quantity,
				// An optional label left out is nil rather than empty, so
				// a catalogue read back equals the one written.
				HeadCount:   ft.HeadCount.optional(),
				TenThousand: ft.TenThousand.optional(),
				Keywords:    ft.Keywords.keywords(),
				Formats:     trimmed(ft.Formats),
			})
		}
		c.Sections = append(c.Sections, s)
	}
	return c
}

func fileOf(c *fieldlog.Catalog) file {
	var f file
	for _, fm := range c.Formats {
		f.Formats = append(f.Formats, fileFormat{ID: fm.ID, Keywords: fileKeywordsOf(fm.Keywords)})
	}
	for _, s := range c.Sections {
		fs := fileSection{ID: s.ID, Name: fileTextOf(s.Name), Keywords: fileKeywordsOf(s.Keywords)}
		for _, t := range s.Types {
			fs.Types = append(fs.Types, fileType{
				ID:          t.ID,
				Name:        fileTextOf(t.Name),
				Verb:        fileTextOf(t.Verb),
				Unit:        fileTextOf(t.Unit),
				Quantity:    t.Quantity,
				HeadCount:   fileTextOf(t.HeadCount),
				TenThousand: fileTextOf(t.TenThousand),
				Keywords:    fileKeywordsOf(t.Keywords),
				Formats:     t.Formats,
			})
		}
		f.Sections = append(f.Sections, fs)
	}
	return f
}

// trimmed is ws trimmed, nil when empty (so a catalogue read back equals
// the one written).
func trimmed(ws []string) []string {
	var out []string
	for _, w := range ws {
		out = append(out, strings.TrimSpace(w))
	}
	return out
}
