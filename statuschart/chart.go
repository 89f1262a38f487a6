// Package statuschart draws the coordinators' /status chart: one horizontal
// bar per unit with its number of records in the current half-year, as a
// PNG image sized for a phone screen.
//
// Text is shaped with go-text/typesetting (a Go port of HarfBuzz) and its
// glyph outlines rasterised with golang.org/x/image/vector, so Chinese and
// traditional Mongolian come out as real, joined text without cgo or system
// fonts: the fonts are embedded (see fonts/README.md).
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
	// Bars are drawn top to bottom. Silent bars are moved before the others
	// (keeping their order within each group) so that the cap at MaxBars
	// never hides a silent unit.
	Bars []Bar
	// More words the line shown when more than MaxBars bars were given,
	// in the caller's language; nil shows "… +N".
	More func(hidden int) string
}

// Bar is one unit's row.
type Bar struct {
	Label string
	Value int
	// Note is shown after the value in grey, e.g. the date of the last record.
	Note string
	// Silent marks a unit with no recent records; it is drawn in the warning
	// colour.
	Silent bool
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
// 32 px labels show at about the size of chat text. With MaxBars rows a
// chart is 1080×3848, within the Bot API's sendPhoto limits (width plus
// height at most 10000, ratio at most 20). Telegram also re-compresses and
// may downscale photos, so a tall chart keeps its sharpness better when sent
// with sendDocument.
const (
	// Width is the width of every chart.
	Width = 1080
	// RowHeight is the height of one bar's row; the image grows by it per bar.
	RowHeight = 60

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
)

//go:embed fonts/NotoSansMongolian-Regular.ttf
var mongolianTTF []byte

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
	mong, err := font.ParseTTF(bytes.NewReader(mongolianTTF))
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
	labelX   float64 // left edge of labels
	labelW   float64 // width of the label column
	barX     int     // left edge of bars
	barMax   int     // length of the longest bar
	maxValue int
	bars     []Bar // the bars drawn, in order
	hidden   int   // bars over MaxBars
}

// rowCentre is the vertical centre of row i.
func (l *layout) rowCentre(i int) float64 {
	return float64(l.rowsTop+i*RowHeight) + RowHeight/2.0
}

// barLen is the length in pixels of a bar with value v.
func (l *layout) barLen(v int) int {
	if v <= 0 || l.maxValue <= 0 {
		return 0
	}
	return int(math.Round(float64(l.barMax) * float64(v) / float64(l.maxValue)))
}

// shapedRow is one row's text, shaped once for measuring and drawing.
type shapedRow struct {
	label, value, note line
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

	// Axis line at the start of the bars.
	if len(l.bars) > 0 {
		axis := image.Rect(l.barX-1, l.rowsTop, l.barX, l.rowsTop+len(l.bars)*RowHeight)
		draw.Draw(img, axis, image.NewUniform(axisColour), image.Point{}, draw.Src)
	}

	for i, b := range l.bars {
		top := l.rowsTop + i*RowHeight
		cy := l.rowCentre(i)
		rowRect := image.Rect(0, top, Width, top+RowHeight)
		if b.Silent {
			draw.Draw(img, rowRect, image.NewUniform(silentRowBg), image.Point{}, draw.Src)
		} else if i > 0 {
			// A hairline between rows helps the eye follow a label to its bar.
			draw.Draw(img, image.Rect(pad, top, Width-pad, top+1), image.NewUniform(dividerColour), image.Point{}, draw.Src)
		}
		col, textCol := barColour, textColour
		if b.Silent {
			col, textCol = warnColour, warnColour
		}
		n := l.barLen(b.Value)
		if n == 0 && b.Silent {
			n = minStub
		}
		barTop := int(math.Round(cy)) - barThickness/2
		if n > 0 {
			draw.Draw(img, image.Rect(l.barX, barTop, l.barX+n, barTop+barThickness), image.NewUniform(col), image.Point{}, draw.Src)
		}

		row := rows[i]
		// Labels are right-aligned against the bars so that short and long
		// names both sit next to their bar.
		lx := l.labelX + l.labelW - row.label.widthPx()
		r.drawLine(img, row.label, lx, r.baselineFor(labelSize, cy), textCol)
		vx := float64(l.barX+n) + 10
		r.drawLine(img, row.value, vx, r.baselineFor(valueSize, cy), textCol)
		if len(row.note.runs) > 0 {
			nx := vx + row.value.widthPx() + 14
			r.drawLine(img, row.note, nx, r.baselineFor(valueSize, cy), mutedColour)
		}
	}
	return img
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
			head = append(head, headLine{line: ln, baseline: r.baselineFor(size, float64(y)+float64(lineH)/2), colour: col})
			y += lineH
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
	l.height = y + len(l.bars)*RowHeight + pad

	// Label column: as wide as the widest label, but at most 38% of the
	// width; longer labels are cut with an ellipsis.
	maxLabel := 0.38 * textW
	rows := make([]shapedRow, len(l.bars))
	var labelW float64
	for i, b := range l.bars {
		rows[i].label = r.shapeFit(b.Label, labelSize, maxLabel)
		labelW = math.Max(labelW, rows[i].label.widthPx())
		rows[i].value = r.shape(strconv.Itoa(b.Value), valueSize)
		if b.Value > l.maxValue {
			l.maxValue = b.Value
		}
	}
	l.labelX = pad
	l.labelW = math.Ceil(labelW)
	l.barX = pad + int(l.labelW) + colGap

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

// orderAndCap puts silent bars first, keeping the caller's order within
// each group, and keeps at most MaxBars. It returns the bars to draw and
// how many were left out.
func orderAndCap(in []Bar) ([]Bar, int) {
	out := make([]Bar, 0, len(in))
	for _, b := range in {
		if b.Silent {
			out = append(out, b)
		}
	}
	for _, b := range in {
		if !b.Silent {
			out = append(out, b)
		}
	}
	if len(out) > MaxBars {
		return out[:MaxBars], len(out) - MaxBars
	}
	return out, 0
}
