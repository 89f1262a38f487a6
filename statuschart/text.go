package statuschart

import (
	"image"
	"image/color"
	"math"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// Languages passed to the shaper. "mn" selects the OpenType language system
// MNG, under which Mongolian fonts keep their joining lookups; "zh" selects
// ZHS for the Han runs.
var (
	langMongolian = language.NewLanguage("mn")
	langChinese   = language.NewLanguage("zh")
)

// mongolianScale enlarges Mongolian runs relative to the Chinese text
// around them. Noto Sans Mongolian, laid horizontally, has a letter body
// (from the stem down to the baseline) of about 0.35 em, where a Han
// character fills nearly the whole em: at 1.15 the body of a 32 px label
// was 13 px, 5 px once a phone shows the chart 400 px wide, and could not
// be read. At 1.6 it is 18 px (7 px on the phone), about the height of the
// strokes of small Chinese text; the font's dots and ascenders then reach
// above the Han characters, which the taller lines of Mongolian text
// (mongolianLineScale, stackedLabelLine) make room for.
const mongolianScale = 1.6

// mongolianLineScale is how much taller a title or subtitle line is when
// it holds Mongolian text.
const mongolianLineScale = 1.4

// ellipsis ends a text that was cut to fit. Only the CJK font has it, so the
// itemiser puts it in a CJK run even after Mongolian text.
const ellipsis = '…'

// span is one run of text that is shaped with one face, script and language.
type span struct {
	start, end int
	face       *font.Face
	script     language.Script
	lang       language.Language
}

// line is a shaped single line of text: its runs in visual (left to right)
// order.
type line struct {
	runs  []shaping.Output
	width fixed.Int26_6
	size  int // pixel size it was shaped at
}

// widthPx is the advance width of the line, in pixels.
func (l line) widthPx() float64 { return float64(l.width) / 64 }

// hasMongolianRun reports whether l has a run in the Mongolian font.
func (r *Renderer) hasMongolianRun(l line) bool {
	for _, run := range l.runs {
		if run.Face == r.mong {
			return true
		}
	}
	return false
}

// isMongolian reports whether r belongs to the Mongolian blocks. The block is
// used rather than the Unicode script property because the Mongolian comma
// and full stop (U+1802, U+1803) are script Common, yet must come from the
// Mongolian font to look right next to Mongolian words.
func isMongolian(r rune) bool {
	return (r >= 0x1800 && r <= 0x18AF) || (r >= 0x11660 && r <= 0x1167F)
}

// isInvisible reports whether r should never decide the font of a run:
// spaces (including U+202F, which joins Mongolian suffixes), controls and
// default-ignorable format characters such as ZWJ or variation selectors.
// Switching fonts on them would split a word into two shaping runs and
// break Mongolian joining across a suffix.
func isInvisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) ||
		(r >= 0xFE00 && r <= 0xFE0F)
}

// itemize splits text into runs by font coverage: Mongolian letters go to
// the Mongolian font, characters only one font has go to that font, and
// characters both fonts have (spaces, some punctuation) or neither has stay
// in the run around them so that a word is shaped as one piece. Runs of the
// CJK font get the script of their first letter (Han, or Latin for digits),
// which the shaper needs to pick the right OpenType lookups.
func (r *Renderer) itemize(text []rune, dst []span) []span {
	dst = dst[:0]
	faces := r.faceBuf[:0]
	for _, c := range text {
		faces = append(faces, r.strongFace(c))
	}
	r.faceBuf = faces
	// Neutral characters take the face before them, or, at the start, the
	// first face after them.
	var prev *font.Face
	for i, f := range faces {
		if f == nil {
			faces[i] = prev
		} else {
			prev = f
		}
	}
	next := r.cjk // a text with no strong character at all, e.g. "  "
	for i := len(faces) - 1; i >= 0; i-- {
		if faces[i] == nil {
			faces[i] = next
		} else {
			next = faces[i]
		}
	}
	for i := 0; i < len(text); {
		j := i + 1
		for j < len(text) && faces[j] == faces[i] {
			j++
		}
		s := span{start: i, end: j, face: faces[i]}
		if s.face == r.mong {
			s.script, s.lang = language.Mongolian, langMongolian
		} else {
			s.script, s.lang = runScript(text[i:j]), langChinese
		}
		dst = append(dst, s)
		i = j
	}
	return dst
}

// strongFace returns the face that must draw c, or nil when c can go in
// either run.
func (r *Renderer) strongFace(c rune) *font.Face {
	if isInvisible(c) {
		return nil
	}
	_, inMong := r.mong.NominalGlyph(c)
	if isMongolian(c) && inMong {
		return r.mong
	}
	_, inCJK := r.cjk.NominalGlyph(c)
	switch {
	case inCJK && !inMong:
		return r.cjk
	case inMong && !inCJK:
		return r.mong
	}
	return nil
}

// runScript is the script of the first letter with a real script in text,
// Latin when there is none (digits, punctuation).
func runScript(text []rune) language.Script {
	for _, c := range text {
		switch s := language.LookupScript(c); s {
		case language.Common, language.Inherited, language.Unknown:
		default:
			return s
		}
	}
	return language.Latin
}

// shape shapes s at size pixels, split into runs by font.
func (r *Renderer) shape(s string, size int) line {
	text := []rune(s)
	r.spans = r.itemize(text, r.spans)
	l := line{size: size, runs: make([]shaping.Output, 0, len(r.spans))}
	for _, sp := range r.spans {
		px := size
		if sp.face == r.mong {
			px = int(math.Round(float64(size) * mongolianScale))
		}
		out := r.shaper.Shape(shaping.Input{
			Text:      text, // the whole text is context for joining
			RunStart:  sp.start,
			RunEnd:    sp.end,
			Direction: di.DirectionLTR,
			Face:      sp.face,
			Size:      fixed.I(px), // HarfBuzz scales by whole pixels
			Script:    sp.script,
			Language:  sp.lang,
		})
		l.width += out.Advance
		l.runs = append(l.runs, out)
	}
	return l
}

// shapeFit shapes s and, when it is wider than maxW pixels, cuts it and ends
// it with an ellipsis so that it fits. Cutting is by rune and the rest is
// shaped again, so the last kept Mongolian letter takes its proper form.
func (r *Renderer) shapeFit(s string, size int, maxW float64) line {
	l := r.shape(s, size)
	if l.widthPx() <= maxW {
		return l
	}
	runes := []rune(s)
	// Binary search for the longest prefix that fits with the ellipsis.
	lo, hi := 0, len(runes)
	best := r.shape(string(ellipsis), size)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		prefix := trimRightSpace(runes[:mid])
		cand := r.shape(string(prefix)+string(ellipsis), size)
		if cand.widthPx() <= maxW {
			lo, best = mid, cand
		} else {
			hi = mid - 1
		}
	}
	return best
}

// headLines is how many lines a title or subtitle may take; Mongolian
// titles are long.
const headLines = 3

// wrap breaks s into at most n lines of at most maxW pixels, at plain
// spaces only (U+202F joins a Mongolian suffix to its word and never
// breaks); the last line is cut with an ellipsis if the rest does not fit.
func (r *Renderer) wrap(s string, size int, maxW float64, n int) []line {
	var out []line
	for len(out) < n-1 {
		if r.shape(s, size).widthPx() <= maxW {
			break
		}
		cut := -1
		for i, c := range s {
			if c == ' ' && i > 0 && r.shape(s[:i], size).widthPx() <= maxW {
				cut = i
			}
		}
		if cut < 0 {
			break
		}
		out = append(out, r.shape(s[:cut], size))
		s = s[cut+1:]
	}
	return append(out, r.shapeFit(s, size, maxW))
}

func trimRightSpace(rs []rune) []rune {
	for len(rs) > 0 && unicode.IsSpace(rs[len(rs)-1]) {
		rs = rs[:len(rs)-1]
	}
	return rs
}

// metrics are the ascent and descent, in pixels, used to place text of the
// given size. They come from the CJK face so that every line sits on the
// same baseline whatever its script.
func (r *Renderer) metrics(size int) (ascent, descent float64) {
	scale := float64(size) / float64(r.cjk.Upem())
	ext, ok := r.cjk.FontHExtents()
	if !ok {
		return 0.88 * float64(size), 0.12 * float64(size)
	}
	return float64(ext.Ascender) * scale, -float64(ext.Descender) * scale
}

// baselineFor returns the baseline y that centres a line of the given size
// vertically on centreY.
func (r *Renderer) baselineFor(size int, centreY float64) float64 {
	a, d := r.metrics(size)
	return centreY + (a-d)/2
}

// drawLine rasterises the glyph outlines of l onto dst with its pen starting
// at (x, baseline). Each glyph outline is scaled from font units to pixels
// and placed at the position the shaper gave it.
func (r *Renderer) drawLine(dst *image.RGBA, l line, x, baseline float64, c color.RGBA) {
	if len(l.runs) == 0 {
		return
	}
	// The rasteriser works on a box around the line only, not on the whole
	// image, because its cost grows with the area it covers.
	pad := 0.5 * float64(l.size)
	box := image.Rect(
		int(math.Floor(x-pad)), int(math.Floor(baseline-1.3*float64(l.size))),
		int(math.Ceil(x+l.widthPx()+pad)), int(math.Ceil(baseline+0.6*float64(l.size))),
	).Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	z := &r.raster
	z.Reset(box.Dx(), box.Dy())
	ox, oy := float32(x)-float32(box.Min.X), float32(baseline)-float32(box.Min.Y)
	pen := float32(0)
	for _, run := range l.runs {
		scale := fx(run.Size) / float32(run.Face.Upem())
		for _, g := range run.Glyphs {
			gx := ox + pen + fx(g.XOffset)
			gy := oy - fx(g.YOffset) // font y grows up, image y grows down
			pen += fx(g.XAdvance)
			outline, ok := run.Face.GlyphDataOutline(g.GlyphID)
			if !ok {
				continue
			}
			addOutline(z, outline.Segments, gx, gy, scale)
		}
	}
	z.Draw(dst, box, image.NewUniform(c), image.Point{})
}

// pathAdder is the part of vector.Rasterizer that addOutline uses.
type pathAdder interface {
	MoveTo(x, y float32)
	LineTo(x, y float32)
	QuadTo(bx, by, cx, cy float32)
	CubeTo(bx, by, cx, cy, dx, dy float32)
	ClosePath()
}

// addOutline adds one glyph's contours, in font units with y up, to z with
// the origin at (gx, gy) in pixels with y down.
func addOutline(z pathAdder, segs []ot.Segment, gx, gy, scale float32) {
	px := func(p ot.SegmentPoint) (float32, float32) { return gx + p.X*scale, gy - p.Y*scale }
	open := false
	for _, s := range segs {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if open {
				z.ClosePath()
			}
			z.MoveTo(px(s.Args[0]))
			open = true
		case ot.SegmentOpLineTo:
			z.LineTo(px(s.Args[0]))
		case ot.SegmentOpQuadTo:
			bx, by := px(s.Args[0])
			cx, cy := px(s.Args[1])
			z.QuadTo(bx, by, cx, cy)
		case ot.SegmentOpCubeTo:
			bx, by := px(s.Args[0])
			cx, cy := px(s.Args[1])
			dx, dy := px(s.Args[2])
			z.CubeTo(bx, by, cx, cy, dx, dy)
		}
	}
	// Fonts close their contours, but an unclosed one would smear its
	// coverage to the right edge of the box, so close it to be sure.
	if open {
		z.ClosePath()
	}
}

func fx(v fixed.Int26_6) float32 { return float32(v) / 64 }
