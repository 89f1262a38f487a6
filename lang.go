package fieldlog

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

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

// HasMongolian reports whether s contains a character of the Mongolian
// block (U+1800–U+18AF).
func HasMongolian(s string) bool {
	for _, r := range s {
		if 0x1800 <= r && r <= 0x18AF {
			return true
		}
	}
	return false
}

// CheckMongolian checks that a label meant to be Mongolian is written in
// the traditional script: it has Mongolian letters and no Chinese
// characters (a swapped column in a file is the usual cause).
func CheckMongolian(s string) error {
	if !HasMongolian(s) {
		return errors.New("not in Mongolian script (U+1800–U+18AF)")
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return fmt.Errorf("contains the Chinese character %q", r)
		}
	}
	return nil
}
