package web

import (
	"net/url"
	"testing"

	"github.com/go-telegram/bot"
)

// TestLibraryRefusesValidInitData keeps the reason ValidateInitData exists:
// go-telegram/bot unescapes the parsed values a second time, so signed
// data whose user has '+' or '%' in the name fails its check. Should a
// release fix that, this test says so.
func TestLibraryRefusesValidInitData(t *testing.T) {
	v := sign(t, batuFields(t, signedAt), testToken)
	if _, err := ValidateInitData(v.Encode(), testToken, signedAt, InitDataMaxAge); err != nil {
		t.Fatalf("ours refuses it: %v", err)
	}
	parsed, err := url.ParseQuery(v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := bot.ValidateWebappRequest(parsed, testToken); ok {
		t.Error("go-telegram/bot now accepts a name with '+' and '%': see whether its check can replace ours (it also ignores auth_date)")
	}
}
