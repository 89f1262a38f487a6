package statuschart

import (
	"image"
	"image/color"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// township is a township's status as /status draws it: its own records
// (32) beside its villages' (1 to 5), given in the order /status sorts
// them, the least active first.
func township() Chart {
	return Chart{Title: "嘎鲁图镇2025年上半年记录情况", Bars: []Bar{
		{Label: "萨如拉社区", Value: 0, Silent: true},
		{Label: "呼和淖尔嘎查", Value: 1, Note: "2025-03-02"},
		{Label: "查干淖尔嘎查", Value: 3, Note: "2025-05-11"},
		{Label: "独贵龙社区", Value: 5, Note: "2025-06-18"},
		{Label: "嘎鲁图镇", Marker: "（本级）", Own: true, Value: 32, Note: "2025-06-28"},
	}}
}

// barExtent is the first and last x of colour c on row y, -1 when none.
func barExtent(img image.Image, y int, c color.RGBA) (first, last int) {
	first, last = -1, -1
	for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
		if same(img.At(x, y), c) {
			if first < 0 {
				first = x
			}
			last = x
		}
	}
	return first, last
}

// TestOwnBarIsDrawnApart: the township's own bar comes first, apart under a
// rule, and is left out of the scale, so that the villages' bars are drawn
// on theirs (5 fills the bar area, 1 a fifth of it); the own bar is cut at
// the end of the bar area with a break mark.
func TestOwnBarIsDrawnApart(t *testing.T) {
	r := newRenderer(t)
	c := township()
	img := decode(t, mustRender(t, r, c))
	l, _, _ := r.layout(c)

	if !l.bars[0].Own || l.own != 1 {
		t.Fatalf("first row %q (own rows %d), want the own bar first", l.bars[0].Label, l.own)
	}
	if l.maxValue != 5 {
		t.Errorf("scale goes to %d, want 5, the villages' longest", l.maxValue)
	}
	for i, want := range map[int]float64{4: 1, 2: 0.2} { // 独贵龙社区 5, 呼和淖尔嘎查 1
		_, n := findRun(img, int(l.rowCentre(i)), barColour)
		if exp := want * float64(l.barMax); float64(n) < exp-2 || float64(n) > exp+2 {
			t.Errorf("bar of %q is %d px, want %v (on the villages' scale)", l.bars[i].Label, n, exp)
		}
	}

	// The own bar spans the bar area and no more, and is broken: background
	// shows between its ends.
	y := int(l.rowCentre(0))
	first, last := barExtent(img, y, barColour)
	if first != l.barX || last < l.barX+l.barMax-2 || last > l.barX+l.barMax {
		t.Errorf("own bar spans x %d..%d, want %d..%d", first, last, l.barX, l.barX+l.barMax-1)
	}
	gaps := 0
	for x := first; x <= last; x++ {
		if same(img.At(x, y), background) {
			gaps++
		}
	}
	if gaps < 2*breakWidth-2 {
		t.Errorf("own bar has %d background pixels on its centre line, want a break mark of two strokes", gaps)
	}

	// Apart: a gap with a rule between the own row and the first village's.
	if d := l.rowTop(1) - l.rowTop(0); d != l.rowH+apartGap {
		t.Errorf("second row starts %d px below the own row, want %d", d, l.rowH+apartGap)
	}
	ruleY := l.rowTop(1) - apartGap/2
	if x := Width / 2; !same(img.At(x, ruleY), axisColour) {
		t.Errorf("no rule between the own bar and the others at y=%d: %v", ruleY, img.At(x, ruleY))
	}
}

// TestOwnBarWithinTheScaleIsNotCut: an own figure no larger than the
// villages' longest is drawn to scale, whole.
func TestOwnBarWithinTheScaleIsNotCut(t *testing.T) {
	r := newRenderer(t)
	c := township()
	c.Bars[4].Value = 4
	img := decode(t, mustRender(t, r, c))
	l, _, _ := r.layout(c)
	_, n := findRun(img, int(l.rowCentre(0)), barColour)
	if exp := 0.8 * float64(l.barMax); float64(n) < exp-2 || float64(n) > exp+2 {
		t.Errorf("own bar of 4 is one run of %d px, want %v, unbroken", n, exp)
	}
}

// TestMarkerSurvivesACutLabel: when a label and its marker do not fit, the
// label is shortened and the marker drawn whole after it.
func TestMarkerSurvivesACutLabel(t *testing.T) {
	r := newRenderer(t)
	for _, marker := range []string{"（本级）", " (ᠲᠤᠰ ᠱᠠᠲᠤ)"} {
		c := township()
		c.Bars[4].Label = "某某镇某某嘎查村民委员会第二网格某某镇某某嘎查村民委员会第二网格某某镇某某嘎查"
		c.Bars[4].Marker = marker
		img := decode(t, mustRender(t, r, c))
		l, rows, _ := r.layout(c)
		label, mark := rows[0].label, rows[0].marker
		full := r.shape(c.Bars[4].Label, labelSize)
		if label.widthPx() >= full.widthPx() {
			t.Errorf("%q: label kept whole (%v px), want it shortened", marker, label.widthPx())
		}
		if mark.widthPx() != r.shape(marker, labelSize).widthPx() {
			t.Errorf("%q: marker is %v px, want it whole", marker, mark.widthPx())
		}
		if w := label.widthPx() + mark.widthPx(); w > l.labelW {
			t.Errorf("%q: label and marker %v px, wider than their column %v", marker, w, l.labelW)
		}
		// Ink where the marker is drawn: the end of the label line.
		area := labelArea(l, 0)
		area.Min.X = int(l.labelX + label.widthPx())
		area.Max.X = int(l.labelX+label.widthPx()+mark.widthPx()) + 1
		if !l.stacked {
			area = area.Add(image.Pt(int(l.labelW-label.widthPx()-mark.widthPx()), 0))
		}
		if n := countDark(img, area); n < 40 {
			t.Errorf("%q: %d dark pixels where the marker goes, want its ink", marker, n)
		}
	}
}

// TestMongolianLabelsLegibleOnAPhone shows the Mongolian chart as a phone
// does, 400 px wide: each label keeps its whole name, its ink is at least
// 16 px tall there and its letter body at least 7 px. Drawn at 1.15 times
// the Chinese size, as before, these names were 11–14 px tall with bodies
// of 5–7 px, and the longer ones were cut to fit beside their bars.
func TestMongolianLabelsLegibleOnAPhone(t *testing.T) {
	r := newRenderer(t)
	c := Chart{Title: "ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ᠂ 2025 ᠣᠨ\u202Fᠤ ᠳᠡᠭᠡᠷᠡ ᠬᠠᠭᠠᠰ ᠵᠢᠯ᠄ ᠪᠦᠷᠢᠳᠬᠡᠯ\u202Fᠦᠨ ᠪᠠᠶᠢᠳᠠᠯ", Bars: []Bar{
		{Label: "ᠰᠠᠷᠠᠭᠤᠯ ᠬᠣᠷᠢᠶᠠᠯᠠᠯ", Silent: true},
		{Label: "ᠬᠥᠬᠡ ᠨᠠᠭᠤᠷ ᠭᠠᠴᠠᠭᠠ", Value: 1, Note: "2025-03-02"},
		{Label: "ᠳᠤᠭᠤᠶᠢᠯᠠᠩ ᠬᠣᠷᠢᠶᠠᠯᠠᠯ", Value: 5, Note: "2025-06-18"},
		{Label: "ᠭᠠᠯᠠᠭᠤᠲᠤ ᠪᠠᠯᠭᠠᠰᠤ", Marker: " (ᠲᠤᠰ ᠱᠠᠲᠤ)", Own: true, Value: 32, Note: "2025-06-28"},
	}}
	big := decode(t, mustRender(t, r, c))
	l, rows, _ := r.layout(c)
	const phone = 400
	scale := float64(phone) / Width
	small := image.NewRGBA(image.Rect(0, 0, phone, int(float64(big.Bounds().Dy())*scale)))
	xdraw.CatmullRom.Scale(small, small.Bounds(), big, big.Bounds(), xdraw.Src, nil)

	for i, b := range l.bars {
		if got, want := rows[i].label.widthPx(), r.shape(b.Label, labelSize).widthPx(); got != want {
			t.Errorf("%q is cut (%v of %v px)", b.Label, got, want)
		}
		a := labelArea(l, i)
		a.Max.X = int(l.labelX+rows[i].label.widthPx()) + 1 // the name, not its marker
		a = image.Rect(int(float64(a.Min.X)*scale), int(float64(a.Min.Y)*scale), int(float64(a.Max.X)*scale), int(float64(a.Max.Y)*scale))
		top, bottom := -1, -1
		for y := a.Min.Y; y < a.Max.Y; y++ {
			if countDark(small, image.Rect(a.Min.X, y, a.Max.X, y+1)) > 0 {
				if top < 0 {
					top = y
				}
				bottom = y
			}
		}
		if h := bottom - top + 1; top < 0 || h < 16 {
			t.Errorf("%q is %d px tall on a phone, want at least 16", b.Label, h)
		}
		if h := bodyHeight(small, a); h < 7 {
			t.Errorf("%q has a letter body %d px tall on a phone, want at least 7", b.Label, h)
		}
	}
}

// bodyHeight is the height of the letter body of a Mongolian label in
// area: laid horizontally, its letters hang from a stem, the darkest row,
// and the body is the band of rows below and around it with at least a
// fifth of the stem's ink (the dots, ascenders and tails above and below
// have less).
func bodyHeight(img image.Image, area image.Rectangle) int {
	ink := make([]int, area.Dy())
	stem := 0
	for y := range ink {
		ink[y] = countDark(img, image.Rect(area.Min.X, area.Min.Y+y, area.Max.X, area.Min.Y+y+1))
		stem = max(stem, ink[y])
	}
	n := 0
	for _, v := range ink {
		if 5*v >= stem {
			n++
		}
	}
	return n
}
