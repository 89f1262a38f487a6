package docx

import "math"

// GB/T 9704-2012 §5: A4 paper, a 156 × 225 mm type area placed 37 mm from
// the top and 28 mm from the left edge, 22 lines of 28 characters.
const (
	pageWidthMM   = 210
	pageHeightMM  = 297
	marginTopMM   = 37
	marginLeftMM  = 28
	typeWidthMM   = 156
	typeHeightMM  = 225
	headerMM      = 15 // there is no header; Word's usual distance keeps the field sane
	linesPerPage  = 22
	charsPerLine  = 28
	pageNumRuleMM = 7 // §7.5.1: the dashes of the page number sit 7 mm below the type area
)

// Font sizes in half-points, the unit of w:sz.
const (
	sizeTitle   = 44 // 2号, 22 pt
	sizeBody    = 32 // 3号, 16 pt
	sizePageNum = 28 // 4号, 14 pt
)

// twipsPerHalfPoint converts w:sz values to twips (1 pt = 20 twips).
const twipsPerHalfPoint = 10

// layout is the page geometry in twips, the unit of w:pgSz and w:pgMar.
type layout struct {
	pageW, pageH             int
	top, right, bottom, left int
	header, footer           int
	linePitch                int // twips; also the exact line spacing
	condense                 int // character spacing of every run, in 1/20 pt (negative), see gbLayout
}

// mmToTwips rounds to the nearest twip: 1 mm = 1440/25.4 ≈ 56.6929 twips.
func mmToTwips(mm float64) int { return int(math.Round(mm * 1440 / 25.4)) }

// gbLayout computes the page geometry. Right and bottom margins are derived
// from the type area (26 and 35 mm) and rounded on their own, so the text
// block Word sees is page minus margins: 8845 × 12756 twips.
func gbLayout() layout {
	l := layout{
		pageW:  mmToTwips(pageWidthMM),
		pageH:  mmToTwips(pageHeightMM),
		top:    mmToTwips(marginTopMM),
		left:   mmToTwips(marginLeftMM),
		right:  mmToTwips(pageWidthMM - marginLeftMM - typeWidthMM),
		bottom: mmToTwips(pageHeightMM - marginTopMM - typeHeightMM),
		header: mmToTwips(headerMM),
	}
	textW := l.pageW - l.left - l.right
	textH := l.pageH - l.top - l.bottom
	// Round the pitch down: 580 twips would make 22 lines 4 twips taller
	// than the type area and Word would fit only 21.
	l.linePitch = textH / linesPerPage
	// 28 characters of 16 pt are 448 pt, wider than the 442.25 pt of the
	// type area, so characters are condensed by a fraction of a point:
	// rounding down keeps the pitch just under textW/28, so 28 fit. This
	// is run-level character spacing rather than a character grid
	// (docGrid linesAndChars with a negative charSpace): LibreOffice lays a
	// 16 pt character over two cells of such a grid and spreads the text
	// to 14 characters a line, while both Word and LibreOffice honour
	// character spacing.
	pitchPt := float64(textW) / charsPerLine / 20
	l.condense = int(math.Floor((pitchPt - sizeBody/2.0) * 20))
	// The footer distance is measured from the page's edge to the bottom
	// of the footer's line. The page number's dashes are drawn at the
	// middle of a CJK font's em square, and a 宋体 line is one em high
	// (ascent 0.859, descent 0.141), so they sit half a 4号 line above
	// the line's bottom, which therefore goes half a line below the 7 mm.
	// (With the line's top at 7 mm the dashes came out 8.9 mm down.)
	l.footer = mmToTwips(pageHeightMM-marginTopMM-typeHeightMM-pageNumRuleMM) - sizePageNum*twipsPerHalfPoint/2
	return l
}
