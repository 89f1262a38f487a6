// Package fonts holds the fonts that more than one package draws or serves
// with: Noto Sans Mongolian, which the status chart shapes with and the web
// page serves as its web font. See README.md for their origin and licence.
package fonts

import _ "embed"

// MongolianTTF is Noto Sans Mongolian Regular, unmodified.
//
//go:embed NotoSansMongolian-Regular.ttf
var MongolianTTF []byte
