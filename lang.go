package fieldlog

import "strings"

// Lang is a user-interface language, as a BCP 47 tag.
type Lang string

// The two languages every user-facing text exists in.
const (
	Chinese   Lang = "zh-Hans"
	Mongolian Lang = "mn-Mong"
)

// Langs lists the supported languages, Chinese (the official one) first.
var Langs = []Lang{Chinese, Mongolian}

// Valid reports whether l is one of the supported languages.
func (l Lang) Valid() bool { return l == Chinese || l == Mongolian }

// LangFromTelegram picks the first guess of a language from a Telegram
// language_code. Users in Inner Mongolia usually have Chinese or English
// interfaces; "mn" means a Cyrillic (Mongolia) interface, so it is only a
// hint: the user is always asked and the choice stored.
func LangFromTelegram(code string) Lang {
	if strings.HasPrefix(strings.ToLower(code), "mn") {
		return Mongolian
	}
	return Chinese
}

// Text is a label in every supported language.
type Text map[Lang]string

// In returns the text in l, falling back to Chinese and then to any text.
func (t Text) In(l Lang) string {
	if s := t[l]; s != "" {
		return s
	}
	if s := t[Chinese]; s != "" {
		return s
	}
	for _, s := range t {
		if s != "" {
			return s
		}
	}
	return ""
}
