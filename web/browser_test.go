package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/css"

	"fieldlog/fonts"
	"fieldlog/web/browsertest"
)

// These tests prove the harness of web/browsertest on pages of their own:
// vertical Mongolian in its web font, typing into a textarea, a form that
// posts and sets a cookie, and horizontal Chinese beside it. The tests of
// the real pages use the same harness.

const mongolianPage = `<!doctype html>
<html lang="mn-Mong">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ᠲᠡᠰᠲ</title>
<style>
@font-face { font-family: "Fieldlog Mongolian"; src: url(/mongolian.ttf) format("truetype"); }
body { writing-mode: vertical-lr; font-family: "Fieldlog Mongolian", sans-serif; font-size: 20px; margin: 8px; }
textarea, input, button { font: inherit; }
textarea { block-size: 4em; inline-size: 12em; }
</style>
</head>
<body>
<p id="p">ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ ᠦᠨ ᠲᠡᠰᠲ</p>
<form method="post" action="/echo">
<textarea id="note" name="note"></textarea>
<input id="place" name="place">
<button id="send">ᠢᠯᠡᠭᠡᠬᠦ</button>
</form>
</body>
</html>`

const chinesePage = `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { writing-mode: horizontal-tb; font-family: "Noto Sans CJK SC", sans-serif; font-size: 20px; margin: 8px; }
</style>
</head>
<body>
<p id="p">村里的联络员每周报告一次。</p>
<textarea id="note"></textarea>
</body>
</html>`

// a5Page asks for A5 paper, which printing must honour.
const a5Page = `<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<style>
@page { size: A5; margin: 20mm; }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 12pt; }
</style>
</head>
<body><p id="p">打印在A5纸上。</p></body>
</html>`

func testServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	page := func(html string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, html)
		}
	}
	mux.HandleFunc("GET /mn", page(mongolianPage))
	mux.HandleFunc("GET /zh", page(chinesePage))
	mux.HandleFunc("GET /a5", page(a5Page))
	mux.HandleFunc("GET /mongolian.ttf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "font/ttf")
		w.Write(fonts.MongolianTTF)
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "seen", Value: "1", Path: "/", HttpOnly: true})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="mn-Mong"><body><p id="got">%s|%s</p></body></html>`,
			r.FormValue("note"), r.FormValue("place"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func fontNames(fonts []*css.PlatformFontUsage) string {
	var names []string
	for _, f := range fonts {
		names = append(names, fmt.Sprintf("%q (web font %v, %.0f glyphs)", f.FamilyName, f.IsCustomFont, f.GlyphCount))
	}
	return "[" + strings.Join(names, ", ") + "]"
}

func TestBrowserVerticalMongolian(t *testing.T) {
	srv := testServer(t)
	b := browsertest.New(t)

	b.Navigate(srv.URL + "/mn")
	b.WaitVisible("#note")
	if ok := browsertest.Eval[bool](b, `document.fonts.ready.then(() => document.fonts.check('20px "Fieldlog Mongolian"'))`); !ok {
		t.Fatal("the page's Mongolian web font did not load")
	}

	for _, sel := range []string{"body", "#p", "#note", "#place"} {
		if got := b.ComputedStyle(sel, "writing-mode"); got != "vertical-lr" {
			t.Errorf("writing-mode of %s = %q, want vertical-lr", sel, got)
		}
	}
	if w, h := b.Box("#p"); !(h > w) {
		t.Errorf("the Mongolian paragraph is %.0f×%.0f px: not taller than wide", w, h)
	}
	if w, h := b.Box("#note"); !(h > w) {
		t.Errorf("the textarea is %.0f×%.0f px: not taller than wide", w, h)
	}
	if fonts := b.Fonts("#p"); !slices.ContainsFunc(fonts, func(f *css.PlatformFontUsage) bool {
		return f.IsCustomFont && strings.Contains(f.FamilyName, "Mongolian")
	}) {
		t.Errorf("the Mongolian paragraph was drawn with %s, not the page's Mongolian web font", fontNames(fonts))
	}

	const typed = "ᠮᠣᠩᠭᠣᠯ"
	b.Click("#note")
	b.Fill("#note", typed)
	b.Fill("#place", "ᠬᠥᠬᠡᠬᠣᠲᠠ")
	if got := b.Value("#note"); got != typed {
		t.Errorf("the textarea holds %q, want %q", got, typed)
	}
	b.Screenshot("harness-mongolian-vertical")

	b.Click("#send")
	b.WaitVisible("#got")
	if got, want := b.Text("#got"), typed+"|ᠬᠥᠬᠡᠬᠣᠲᠠ"; got != want {
		t.Errorf("the form posted %q, want %q", got, want)
	}
	var seen bool
	for _, c := range b.Cookies() {
		seen = seen || (c.Name == "seen" && c.Value == "1" && c.HTTPOnly)
	}
	if !seen {
		t.Errorf("no cookie seen=1 (HttpOnly) after the post: %v", b.Cookies())
	}
}

func TestBrowserHorizontalChinese(t *testing.T) {
	srv := testServer(t)
	b := browsertest.New(t)

	b.Navigate(srv.URL + "/zh")
	b.WaitVisible("#p")
	for _, sel := range []string{"#p", "#note"} {
		if got := b.ComputedStyle(sel, "writing-mode"); got != "horizontal-tb" {
			t.Errorf("writing-mode of %s = %q, want horizontal-tb", sel, got)
		}
	}
	if w, h := b.Box("#p"); !(w > h) {
		t.Errorf("the Chinese paragraph is %.0f×%.0f px: not wider than tall", w, h)
	}
	if w, _ := b.Box("body"); w > browsertest.PhoneWidth {
		t.Errorf("the body is %.0f px wide on a %d px phone", w, browsertest.PhoneWidth)
	}
	if fonts := b.Fonts("#p"); !slices.ContainsFunc(fonts, func(f *css.PlatformFontUsage) bool {
		return strings.Contains(f.FamilyName, "CJK")
	}) {
		t.Errorf("the Chinese paragraph was drawn with %s, not a CJK font (install fonts-noto-cjk)", fontNames(fonts))
	}
	b.Fill("#note", "已到")
	if got := b.Value("#note"); got != "已到" {
		t.Errorf("the textarea holds %q, want 已到", got)
	}
	b.Screenshot("harness-chinese-horizontal")
}

func TestBrowserPrintsOnThePagesPaper(t *testing.T) {
	srv := testServer(t)
	b := browsertest.New(t)

	b.Navigate(srv.URL + "/a5")
	b.WaitVisible("#p")
	path := b.PrintToPDF("harness-print-a5")
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Every page object names its paper, in points: A5 is 420 × 595.
	boxes := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindAllSubmatch(pdf, -1)
	if len(boxes) == 0 {
		t.Fatalf("%s: no page's MediaBox in %d bytes starting %q", path, len(pdf), pdf[:min(len(pdf), 8)])
	}
	for _, m := range boxes {
		var w, h float64
		fmt.Sscan(string(m[1]), &w)
		fmt.Sscan(string(m[2]), &h)
		if w < 419 || w > 421 || h < 594 || h > 596 {
			t.Errorf("%s: a page of %s × %s pt, want A5 (420 × 595) as the page's @page asks", path, m[1], m[2])
		}
	}
}
