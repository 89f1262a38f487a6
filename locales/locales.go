// Package locales holds every user-facing string of the bot, in Chinese
// (zh-Hans) and traditional Mongolian (mn-Mong), as go-i18n message files
// embedded in the binary.
//
// Files are named <area>.<lang>.toml (active.zh-Hans.toml, report.mn-Mong.toml);
// a test keeps the two languages complete and consistent.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"fieldlog"
)

//go:embed *.toml
var files embed.FS

// Messages translates message ids into the user's language.
type Messages struct {
	localizers map[fieldlog.Lang]*i18n.Localizer
}

// New loads the embedded message files.
func New() (*Messages, error) {
	bundle := i18n.NewBundle(language.Make(string(fieldlog.Chinese)))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list message files: %w", err)
	}
	for _, name := range names {
		buf, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read message file %s: %w", name, err)
		}
		if _, err := bundle.ParseMessageFileBytes(buf, name); err != nil {
			return nil, fmt.Errorf("parse message file %s: %w", name, err)
		}
	}
	m := &Messages{localizers: map[fieldlog.Lang]*i18n.Localizer{}}
	for _, l := range fieldlog.Langs {
		m.localizers[l] = i18n.NewLocalizer(bundle, string(l))
	}
	return m, nil
}

// Text returns message id in lang, filled with data. A missing message is
// a bug that the locale tests catch; at run time it shows the id rather
// than failing the user's request.
func (m *Messages) Text(lang fieldlog.Lang, id string, data map[string]any) string {
	loc, ok := m.localizers[lang]
	if !ok {
		loc = m.localizers[fieldlog.Chinese]
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// Textf is Text with its data given as name, value pairs.
func (m *Messages) Textf(lang fieldlog.Lang, id string, kv ...any) string {
	var data map[string]any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
	}
	return m.Text(lang, id, data)
}

// Date is a day as the bot writes it in lang.
func (m *Messages) Date(lang fieldlog.Lang, d fieldlog.Date) string {
	return m.Textf(lang, "date_format", "Y", d.Year, "M", int(d.Month), "D", d.Day)
}

// Period names a half-year in lang ("2024年上半年").
func (m *Messages) Period(lang fieldlog.Lang, p fieldlog.Period) string {
	if p.Half == 2 {
		return m.Textf(lang, "period_h2", "Year", p.Year)
	}
	return m.Textf(lang, "period_h1", "Year", p.Year)
}

// Files returns the embedded message files by name, for tests and tools.
func Files() (map[string]string, error) {
	names, err := fs.Glob(files, "*.toml")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[n] = strings.TrimPrefix(string(b), "\ufeff")
	}
	return out, nil
}
