// Package statuschart draws the coordinators' /status chart: one horizontal
// bar per unit with its number of records in the current half-year, as a
// PNG image sized for a phone screen.
//
// Labels stand beside their bars when every label fits a column of 38% of
// the width; otherwise, and always for Mongolian labels, each label stands
// on a line of its own above its bar and has the whole width. Mongolian
// text is drawn larger than Chinese (see mongolianScale), so that a chart
// shown 400 px wide on a phone stays legible.
//
// Text is shaped with go-text/typesetting (a Go port of HarfBuzz) and its
// glyph outlines rasterised with golang.org/x/image/vector, so Chinese and
// traditional Mongolian come out as real, joined text without cgo or system
// fonts: the fonts are embedded (see fonts/README.md here and ../fonts/README.md).
package statuschart

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"sync"

	"fieldlog/fonts"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/vector"
)

// MaxBars is the most bars one chart shows. The rest are counted in a
// "+N" line under the title, because a taller image becomes unreadable
// once Telegram scales it down.
const MaxBars = 60

// Chart is the content of one status chart.
type Chart struct {
	Title    string
	Subtitle string
	// Bars are drawn top to bottom. Own bars come first, then silent bars,
	// then the others (keeping their order within each group), so that the
	// cap at MaxBars never hides a silent unit.
	Bars []Bar
	// More words the line shown when more than MaxBars bars were given,
	// in the caller's language; nil shows "… +N".
	More func(hidden int) string
}

// Bar is one unit's row.
type Bar struct {
	Label string
	// Marker follows the label and is never cut, e.g. "（本级）": when the
	// two do not fit, the label is shortened.
	Marker string
	Value  int
	// Note is shown after the value in grey, e.g. the date of the last record.
	Note string
	// Silent marks a unit with no recent records; it is drawn in the warning
	// colour.
	Silent bool
	// Own marks the records logged at the level of the unit the chart is
	// about (a township's staff), not by a unit below it. Own bars are drawn
	// first and apart, under a rule, and do not set the scale: one longer
	// than the other bars' longest is cut at the end of the bar area with a
	// break mark, its value written after it. A township's own figure is
	// often many times a village's and would squash their bars to nothing.
	Own bool
}

// Colours of the chart: blue bars, red for silent units (a pale red tints
// their whole row too, so they stand out even with a zero-length bar).
var (
	background    = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	barColour     = color.RGBA{0x1A, 0x73, 0xE8, 0xFF}
	warnColour    = color.RGBA{0xD9, 0x30, 0x25, 0xFF}
	textColour    = color.RGBA{0x20, 0x21, 0x24, 0xFF}
	mutedColour   = color.RGBA{0x5F, 0x63, 0x68, 0xFF}
	axisColour    = color.RGBA{0xDA, 0xDC, 0xE0, 0xFF}
	silentRowBg   = color.RGBA{0xFC, 0xE8, 0xE6, 0xFF}
	dividerColour = color.RGBA{0xF1, 0xF3, 0xF4, 0xFF}
)

// Layout, in pixels. 1080 px is a phone screen's width in device pixels, so
// 32 px labels show at about the size of chat text. With MaxBars stacked
// rows a chart is 1080×7000 or so, within the Bot API's sendPhoto limits
// (width plus height at most 10000, ratio at most 20). Telegram also
// re-compresses and may downscale photos, so a tall chart keeps its
// sharpness better when sent with sendDocument.
const (
	// Width is the width of every chart.
	Width = 1080
	// RowHeight is the height of one bar's row with its label beside it;
	// the image grows by it per bar.
	RowHeight = 60
	// StackedRowHeight is the height of a row with its label above the bar.
	StackedRowHeight = stackedLabelLine + stackedBarLine

	pad          = 40
	titleSize    = 44
	titleLine    = 64
	subtitleSize = 30
	subtitleLine = 46
	moreSize     = 28
	moreLine     = 42
	headerGap    = 16
	labelSize    = 32
	valueSize    = 30
	barThickness = 36
	colGap       = 16
	minStub      = 6 // width of a zero-value silent bar, so the row shows red

	maxLabelShare    = 0.38 // of the text width, for labels beside their bars
	stackedLabelLine = 66   // a stacked row's label line, tall enough for Mongolian
	stackedBarLine   = 48   // and its bar line below
	apartGap         = 18   // between own bars and the others, a rule in its middle
	ruleThickness    = 2
	breakAt          = 44 // the break mark of a cut bar, this far from its end
	breakWidth       = 5  // each of its two strokes
	breakSpace       = 5  // between them
	breakSlant       = 12 // how far a stroke leans over the bar's thickness
)

//go:embed fonts/wqy-microhei.ttc
var cjkTTC []byte

// Renderer draws charts. It holds the parsed fonts, so create one with
// NewRenderer and keep it. It is safe for concurrent use; renders are
// serialised because the shaper and the font caches are not.
type Renderer struct {
	mu     sync.Mutex
	cjk    *font.Face // WenQuanYi Micro Hei: Han, Latin, digits
	mong   *font.Face // Noto Sans Mongolian: traditional Mongolian
	shaper shaping.HarfbuzzShaper
	raster vector.Rasterizer

	// scratch buffers reused between calls
	spans   []span
	faceBuf []*font.Face
}

// NewRenderer parses the embedded fonts.
func NewRenderer() (*Renderer, error) {
	mong, err := font.ParseTTF(bytes.NewReader(fonts.MongolianTTF))
	if err != nil {
		return nil, fmt.Errorf("statuschart: parse Noto Sans Mongolian: %w", err)
	}
	faces, err := font.ParseTTC(bytes.NewReader(cjkTTC))
	if err != nil {
		return nil, fmt.Errorf("statuschart: parse WenQuanYi Micro Hei: %w", err)
	}
	if len(faces) == 0 {
		return nil, fmt.Errorf("statuschart: WenQuanYi Micro Hei collection is empty")
	}
	// Face 0 is the proportional "Micro Hei"; face 1 is its monospaced twin.
	return &Renderer{cjk: faces[0], mong: mong}, nil
}

// layout is the geometry of one chart, shared by drawing and tests.
type layout struct {
	height   int
	rowsTop  int     // y of the first row's top edge
	rowH     int     // height of a row: RowHeight, or StackedRowHeight
	stacked  bool    // labels on a line of their own above their bars
	own      int     // the first own bars are drawn apart from the rest
	labelX   float64 // left edge of labels
	labelW   float64 // width of the label column (the whole text width when stacked)
	barX     int     // left edge of bars
	barMax   int     // length of the longest bar
	maxValue int     // the value drawn barMax long
	bars     []Bar   // the bars drawn, in order
	hidden   int     // bars over MaxBars
}

// rowTop is the y of row i's top edge: own rows, then a gap, then the rest.
func (l *layout) rowTop(i int) int {
	top := l.rowsTop + i*l.rowH
	if l.own > 0 && i >= l.own {
		top += apartGap
	}
	return top
}

// rowCentre is the vertical centre of row i's bar.
func (l *layout) rowCentre(i int) float64 {
	if l.stacked {
		return float64(l.rowTop(i)+stackedLabelLine) + stackedBarLine/2.0 - 4
	}
	return float64(l.rowTop(i)) + float64(l.rowH)/2
}

// labelCentre is the vertical centre of row i's label.
func (l *layout) labelCentre(i int) float64 {
	if l.stacked {
		return float64(l.rowTop(i)) + stackedLabelLine/2.0 + 4
	}
	return l.rowCentre(i)
}

// barLen is the length in pixels of a bar with value v, and whether it is
// cut: only an own bar can be longer than the scale.
func (l *layout) barLen(v int) (n int, cut bool) {
	if v <= 0 || l.maxValue <= 0 {
		return 0, false
	}
	if v > l.maxValue {
		return l.barMax, true
	}
	return int(math.Round(float64(l.barMax) * float64(v) / float64(l.maxValue))), false
}

// shapedRow is one row's text, shaped once for measuring and drawing.
type shapedRow struct {
	label, marker, value, note line
}

// Render draws c and returns it encoded as PNG.
func (r *Renderer) Render(c Chart) ([]byte, error) {
	img := r.draw(c)
	var buf bytes.Buffer
	// Flat colours compress well even at the fastest level, and the
	// fastest level is several times quicker than the default.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("statuschart: encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// draw lays out and paints the chart.
func (r *Renderer) draw(c Chart) *image.RGBA {
	r.mu.Lock()
	defer r.mu.Unlock()

	l, rows, head := r.layout(c)
	img := image.NewRGBA(image.Rect(0, 0, Width, l.height))
	draw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)

	// Header: title, subtitle, "+N more".
	for _, h := range head {
		r.drawLine(img, h.line, pad, h.baseline, h.colour)
	}

	if l.own > 0 && len(l.bars) > l.own {
		y := l.rowTop(l.own) - apartGap/2 - ruleThickness/2
		draw.Draw(img, image.Rect(pad, y, Width-pad, y+ruleThickness), image.NewUniform(axisColour), image.Point{}, draw.Src)
	}

	for i, b := range l.bars {
		top := l.rowTop(i)
		cy := l.rowCentre(i)
		rowBg := background
		if b.Silent {
			rowBg = silentRowBg
			draw.Draw(img, image.Rect(0, top, Width, top+l.rowH), image.NewUniform(rowBg), image.Point{}, draw.Src)
		} else if i > 0 && i != l.own {
			// A hairline between rows helps the eye follow a label to its bar.
			draw.Draw(img, image.Rect(pad, top, Width-pad, top+1), image.NewUniform(dividerColour), image.Point{}, draw.Src)
		}
		col, textCol := barColour, textColour
		if b.Silent {
			col, textCol = warnColour, warnColour
		}
		// The axis: where the bars start, beside each bar.
		barTop := int(math.Round(cy)) - barThickness/2
		draw.Draw(img, image.Rect(l.barX-1, barTop-6, l.barX, barTop+barThickness+6), image.NewUniform(axisColour), image.Point{}, draw.Src)
		n, cut := l.barLen(b.Value)
		if n == 0 && b.Silent {
			n = minStub
		}
		if n > 0 {
			draw.Draw(img, image.Rect(l.barX, barTop, l.barX+n, barTop+barThickness), image.NewUniform(col), image.Point{}, draw.Src)
		}
		if cut {
			r.drawBreak(img, l.barX+n-breakAt, barTop, rowBg)
		}

		row := rows[i]
		// Beside their bars, labels are right-aligned against them so that
		// short and long names both sit next to their bar; above them, they
		// start where the bars do.
		lx := l.labelX
		if !l.stacked {
			lx += l.labelW - row.label.widthPx() - row.marker.widthPx()
		}
		ly := r.baselineFor(labelSize, l.labelCentre(i))
		r.drawLine(img, row.label, lx, ly, textCol)
		r.drawLine(img, row.marker, lx+row.label.widthPx(), ly, textCol)
		vx := float64(l.barX+n) + 10
		r.drawLine(img, row.value, vx, r.baselineFor(valueSize, cy), textCol)
		if len(row.note.runs) > 0 {
			nx := vx + row.value.widthPx() + 14
			r.drawLine(img, row.note, nx, r.baselineFor(valueSize, cy), mutedColour)
		}
	}
	return img
}

// drawBreak paints the break mark of a cut bar: two strokes leaning right
// across it at x, in the row's background colour, as on a broken axis.
func (r *Renderer) drawBreak(dst *image.RGBA, x, barTop int, bg color.RGBA) {
	const over = 5 // the strokes reach a little past the bar's edges
	box := image.Rect(x-1, barTop-over, x+2*breakWidth+breakSpace+breakSlant+1, barTop+barThickness+over).Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	z := &r.raster
	z.Reset(box.Dx(), box.Dy())
	bottom, top := float32(box.Dy()), float32(0)
	for k := range 2 {
		x0 := float32(x - box.Min.X + k*(breakWidth+breakSpace))
		z.MoveTo(x0, bottom)
		z.LineTo(x0+breakWidth, bottom)
		z.LineTo(x0+breakWidth+breakSlant, top)
		z.LineTo(x0+breakSlant, top)
		z.ClosePath()
	}
	z.Draw(dst, box, image.NewUniform(bg), image.Point{})
}

// headLine is a shaped header line with its place.
type headLine struct {
	line     line
	baseline float64
	colour   color.RGBA
}

// layout shapes every text of c and computes the geometry.
func (r *Renderer) layout(c Chart) (*layout, []shapedRow, []headLine) {
	l := &layout{}
	l.bars, l.hidden = orderAndCap(c.Bars)

	textW := float64(Width - 2*pad)
	var head []headLine
	y := pad
	addHead := func(s string, size, lineH int, col color.RGBA) {
		for _, ln := range r.wrap(s, size, textW, headLines) {
			h := lineH
			if r.hasMongolianRun(ln) {
				h = int(math.Round(float64(lineH) * mongolianLineScale))
			}
			head = append(head, headLine{line: ln, baseline: r.baselineFor(size, float64(y)+float64(h)/2), colour: col})
			y += h
		}
	}
	if c.Title != "" {
		addHead(c.Title, titleSize, titleLine, textColour)
	}
	if c.Subtitle != "" {
		addHead(c.Subtitle, subtitleSize, subtitleLine, mutedColour)
	}
	if l.hidden > 0 {
		more := "… +" + strconv.Itoa(l.hidden)
		if c.More != nil {
			more = c.More(l.hidden)
		}
		addHead(more, moreSize, moreLine, mutedColour)
	}
	if len(head) > 0 {
		y += headerGap
	}
	l.rowsTop = y

	// Labels: beside the bars when every one fits a column of
	// maxLabelShare of the width; otherwise, or when any is Mongolian
	// (drawn larger, and long), above them with the whole width.
	rows := make([]shapedRow, len(l.bars))
	for i, b := range l.bars {
		rows[i].label = r.shape(b.Label, labelSize)
		rows[i].marker = r.shape(b.Marker, labelSize)
		rows[i].value = r.shape(strconv.Itoa(b.Value), valueSize)
		w := rows[i].label.widthPx() + rows[i].marker.widthPx()
		if w > maxLabelShare*textW || hasMongolian(b.Label+b.Marker) {
			l.stacked = true
		}
		if b.Own {
			l.own = i + 1
		}
	}
	maxLabel := maxLabelShare * textW
	l.rowH = RowHeight
	if l.stacked {
		maxLabel = textW
		l.rowH = StackedRowHeight
	}
	var labelW float64
	for i, b := range l.bars {
		// Cut the label, never its marker.
		rows[i].label = r.shapeFit(b.Label, labelSize, maxLabel-rows[i].marker.widthPx())
		labelW = math.Max(labelW, rows[i].label.widthPx()+rows[i].marker.widthPx())
	}
	l.height = l.rowTop(len(l.bars)) + pad
	if l.own > 0 && l.own == len(l.bars) {
		l.height -= apartGap // nothing below the own bars to keep apart
	}
	l.labelX = pad
	l.labelW = math.Ceil(labelW)
	l.barX = pad + int(l.labelW) + colGap
	if l.stacked {
		l.labelW = textW
		l.barX = pad
	}

	// The scale: the longest bar that is not own, unless all are own.
	for _, b := range l.bars[l.own:] {
		l.maxValue = max(l.maxValue, b.Value)
	}
	if l.maxValue == 0 {
		for _, b := range l.bars {
			l.maxValue = max(l.maxValue, b.Value)
		}
	}

	// Tail after each bar: value and note. Reserve room for the widest tail
	// so the longest bar still has its value beside it, not over it.
	plotW := float64(Width - pad - l.barX)
	maxNote := 0.3 * plotW
	var tailW float64
	for i, b := range l.bars {
		t := 10 + rows[i].value.widthPx()
		if b.Note != "" {
			rows[i].note = r.shapeFit(b.Note, valueSize, maxNote)
			t += 14 + rows[i].note.widthPx()
		}
		tailW = math.Max(tailW, t)
	}
	l.barMax = int(plotW - math.Ceil(tailW))
	if l.barMax < 1 {
		l.barMax = 1
	}
	return l, rows, head
}

// hasMongolian reports whether s has a Mongolian letter.
func hasMongolian(s string) bool {
	for _, c := range s {
		if isMongolian(c) {
			return true
		}
	}
	return false
}

// orderAndCap puts own bars first, then silent bars, then the others,
// keeping the caller's order within each group, and keeps at most MaxBars.
// It returns the bars to draw and how many were left out.
func orderAndCap(in []Bar) ([]Bar, int) {
	out := make([]Bar, 0, len(in))
	for _, group := range []func(Bar) bool{
		func(b Bar) bool { return b.Own },
		func(b Bar) bool { return !b.Own && b.Silent },
		func(b Bar) bool { return !b.Own && !b.Silent },
	} {
		for _, b := range in {
			if group(b) {
				out = append(out, b)
			}
		}
	}
	if len(out) > MaxBars {
		return out[:MaxBars], len(out) - MaxBars
	}
	return out, 0
}
