// Package browsertest runs a test's steps in a real, headless Chromium
// through chromedp: New starts the browser (or fails under CI, or skips
// elsewhere, when there is none), and the methods are the few steps a page
// test needs. Every method fails the test at once on an error, so a test
// reads as a list of steps. Each step has its own time limit (Timeout).
//
// .ci/install-tools installs Chromium (Debian's package chromium) and the
// Noto CJK fonts; FIELDLOG_CHROMIUM names another browser binary, and
// FIELDLOG_ARTEFACTS the folder the screenshots and printed PDFs go to.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Phone is the default viewport: a small Android phone, in CSS pixels.
const (
	PhoneWidth  = 360
	PhoneHeight = 740
)

// Timeout is how long one step may take; starting the browser may take
// StartTimeout.
var (
	Timeout      = 15 * time.Second
	StartTimeout = 60 * time.Second
)

// Browser is one headless Chromium with one tab, for one test.
type Browser struct {
	t   testing.TB
	ctx context.Context // the tab's; each step derives a context with Timeout
}

// Find returns the browser binary: $FIELDLOG_CHROMIUM when set, else the
// first of chromium, chromium-browser and google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv("FIELDLOG_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("FIELDLOG_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium, chromium-browser or google-chrome on PATH")
}

// New starts a headless Chromium with a PhoneWidth×PhoneHeight viewport and
// stops it when the test ends. Without a browser it fails the test under CI
// (CI=true) and skips it elsewhere, saying how to install one.
func New(t testing.TB) *Browser {
	t.Helper()
	path, err := Find()
	if err != nil {
		msg := fmt.Sprintf("browsertest: %v; run .ci/install-tools (apt-get install chromium fonts-noto-cjk) or set FIELDLOG_CHROMIUM", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(PhoneWidth, PhoneHeight),
		chromedp.Flag("lang", "en-US"),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium's sandbox refuses root
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := chromedp.Cancel(cctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("browsertest: closing chromium: %v", err)
		}
		cancelTab()
		cancelAlloc()
	})

	// The first step starts the browser and binds it to ctx, so it runs on
	// ctx itself, with the time limit kept here.
	started := make(chan error, 1)
	go func() {
		started <- chromedp.Do(ctx, chromedp.EmulateViewport(PhoneWidth, PhoneHeight,
			chromedp.EmulatePortrait, chromedp.EmulateMobile))
	}()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("browsertest: starting %s: %v", path, err)
		}
	case <-time.After(StartTimeout):
		cancelAlloc()
		t.Fatalf("browsertest: %s did not start within %v", path, StartTimeout)
	}
	return &Browser{t: t, ctx: ctx}
}

// Context is the tab's context, for a chromedp action this package lacks.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs chromedp actions within one Timeout, failing the test on an error.
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browser: %s: %v", what, err)
	}
}

// run runs one action that returns a value, like Do.
func run[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// Navigate opens url and waits for the page to load.
func (b *Browser) Navigate(url string) {
	b.t.Helper()
	b.Do("navigate to "+url, chromedp.Navigate(url))
}

// WaitVisible waits until the element that the CSS selector finds is visible.
func (b *Browser) WaitVisible(selector string) {
	b.t.Helper()
	b.Do("wait for "+selector, chromedp.WaitVisible(chromedp.CSS(selector)))
}

// Fill types text into the input or textarea that the selector finds, after
// what it holds already, as key presses.
func (b *Browser) Fill(selector, text string) {
	b.t.Helper()
	b.Do("fill "+selector, chromedp.SendKeys(chromedp.CSS(selector), text))
}

// Type puts text into the input or textarea that the selector finds, after
// what it holds already, as an input method commits it (Input.insertText):
// key presses (Fill) cannot carry U+202F before a Mongolian case suffix nor
// U+180E before a final a/e, which a Mongolian keyboard's IME does send.
func (b *Browser) Type(selector, text string) {
	b.t.Helper()
	b.Do("type into "+selector,
		chromedp.Focus(chromedp.CSS(selector)),
		func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text})
			return chromedp.Void{}, err
		})
}

// Click clicks the element, as a mouse would.
func (b *Browser) Click(selector string) {
	b.t.Helper()
	b.Do("click "+selector, chromedp.Click(chromedp.CSS(selector)))
}

// Submit submits the form the element belongs to (as form.submit() does:
// no click, no submit event).
func (b *Browser) Submit(selector string) {
	b.t.Helper()
	b.Do("submit "+selector, chromedp.Submit(chromedp.CSS(selector)))
}

// Text is the element's visible text (innerText).
func (b *Browser) Text(selector string) string {
	b.t.Helper()
	return run(b, "text of "+selector, chromedp.Text(chromedp.CSS(selector)))
}

// Value is the current value of an input, textarea or select.
func (b *Browser) Value(selector string) string {
	b.t.Helper()
	return run(b, "value of "+selector, chromedp.Value(chromedp.CSS(selector)))
}

// ComputedStyle is the computed value of one CSS property of the element,
// such as "writing-mode"; "" when the browser reports no such property.
func (b *Browser) ComputedStyle(selector, property string) string {
	b.t.Helper()
	props := run(b, "style of "+selector, chromedp.ComputedStyle(chromedp.CSS(selector)))
	for _, p := range props {
		if p.Name == property {
			return p.Value
		}
	}
	return ""
}

// Fonts are the fonts that drew the element's own text (its child text
// nodes): each one's family as the font names itself (e.g. "Noto Sans CJK
// SC"), whether the page downloaded it (IsCustomFont: a web font) and how
// many glyphs it drew. A way to tell real glyphs from boxes.
func (b *Browser) Fonts(selector string) []*css.PlatformFontUsage {
	b.t.Helper()
	return run(b, "fonts of "+selector, chromedp.QueryAfter(chromedp.CSS(selector),
		func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) ([]*css.PlatformFontUsage, error) {
			if len(nodes) == 0 {
				return nil, fmt.Errorf("no element %s", selector)
			}
			res, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode,
				css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
			return res.Fonts, err
		}))
}

// Box is the width and height of the element's border box, in CSS pixels.
func (b *Browser) Box(selector string) (width, height float64) {
	b.t.Helper()
	type rect struct{ Width, Height float64 }
	r := run(b, "box of "+selector, chromedp.Evaluate[rect](fmt.Sprintf(
		`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return {Width: r.width, Height: r.height}; })()`,
		selector)))
	return r.Width, r.Height
}

// Eval runs a JavaScript expression in the page and decodes its result,
// after waiting for it when it is a promise.
func Eval[T any](b *Browser, expression string) T {
	b.t.Helper()
	return run(b, "eval "+expression, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
}

// Cookies are the cookies the browser would send to the current page.
func (b *Browser) Cookies() []*network.Cookie {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		b.t.Fatalf("browser: cookies: %v", err)
	}
	return res.Cookies
}

// Screenshot saves the whole page as ArtefactsDir()/<name>.png and returns
// the file's path; the test's log names it too.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	png := run(b, "screenshot", chromedp.FullScreenshot(100))
	dir := ArtefactsDir(b.t)
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("browser: screenshot: %v", err)
	}
	b.t.Logf("screenshot: %s", path)
	return path
}

// PrintToPDF prints the page as Chromium's print dialog does with its
// defaults (no header or footer, no backgrounds), but on the paper size and
// margins of the page's own @page rule (PreferCSSPageSize), once its web
// fonts have loaded, and saves it as ArtefactsDir()/<name>.pdf beside the
// screenshots; it returns the file's path, which the test's log names too.
func (b *Browser) PrintToPDF(name string) string {
	b.t.Helper()
	// A font still loading would print in a fallback font, or as blanks.
	Eval[bool](b, `document.fonts.ready.then(() => true)`)
	pdf := run(b, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	path := filepath.Join(ArtefactsDir(b.t), name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		b.t.Fatalf("browser: print to PDF: %v", err)
	}
	b.t.Logf("pdf: %s", path)
	return path
}

// ArtefactsDir is $FIELDLOG_ARTEFACTS, else artefacts/screenshots at the
// root of the module (the folder with go.mod above the test's); it is
// created. The repository ignores artefacts/.
func ArtefactsDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("FIELDLOG_ARTEFACTS")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("browsertest: %v", err)
		}
		dir = filepath.Join(root, "artefacts", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	return dir
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}
