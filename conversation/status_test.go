package conversation

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"fieldlog"
	"fieldlog/statuschart"
)

// TestStatusDrawsTheOwnLevelApart: a township's own records are marked
// （本级） in the text, and in the chart their bar does not set the scale,
// so that the one village with a record fills the bar area as well.
func TestStatusDrawsTheOwnLevelApart(t *testing.T) {
	h := newHarness(t)
	charts, err := statuschart.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	h.e.charts = charts
	h.join(coordID, fieldlog.Coordinator, "town")
	day := fieldlog.Date{Year: 2024, Month: 6, Day: 1}
	for _, id := range []fieldlog.ActivityID{"t1", "t2", "t3", "t4", "t5", "t6"} {
		h.record(id, "town", coordID, day)
	}
	h.record("v", "v1", officerID, day)

	r := h.send(coordID, "/status")
	if !strings.Contains(text(r), "嘎鲁图镇（本级）：6 条") {
		t.Errorf("status text lacks the own level's line 嘎鲁图镇（本级）：6 条:\n%s", text(r))
	}
	var chart []byte
	for _, rep := range r.Replies {
		if rep.Image != nil {
			chart = rep.Image
		}
	}
	img, err := png.Decode(bytes.NewReader(chart))
	if err != nil {
		t.Fatalf("status chart: %v", err)
	}
	// Bars longer than 400 px: the own bar's, and 一村's on the villages'
	// scale. With the own bar setting the scale, 一村's would be a sixth.
	if n := longBars(img, 400); n != 2 {
		t.Errorf("%d bars longer than 400 px, want 2: the own bar and the village's that fills the scale", n)
	}
}

// longBars counts the bars of the chart's bar colour with a run of at least
// n pixels.
func longBars(img image.Image, n int) int {
	bars, inBar := 0, false
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		run, longest := 0, 0
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == 0x1A && g>>8 == 0x73 && b>>8 == 0xE8 {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
		long := longest >= n
		if long && !inBar {
			bars++
		}
		inBar = long
	}
	return bars
}
