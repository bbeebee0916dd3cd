package decode

import (
	"math"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/zpl"
)

// FontSize is a text field's ^A height and width setting in dots; ok is false
// for a field without a size (a barcode, a box, a field in the default font).
func (f Field) FontSize() (h, w int, ok bool) {
	if f.Kind != Text && f.Kind != TextBlock {
		return 0, 0, false
	}
	// "A0N,28,18" or "A@N,28,28,E:ANMDJ.TTF"
	p := strings.Split(f.Symbol, ",")
	if len(p) < 3 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(p[1])
	w, err2 := strconv.Atoi(p[2])
	if err1 != nil || err2 != nil || h <= 0 || w <= 0 {
		return 0, 0, false
	}
	return h, w, true
}

// TextWidth is the printed width in dots of a text field's widest line,
// measured with font 0's advance widths (zpl.AdvanceDots); 0 when the field
// has no font size.
func (f Field) TextWidth() int {
	_, w, ok := f.FontSize()
	if !ok {
		return 0
	}
	widest := 0.0
	for _, line := range strings.Split(f.Data, "\n") {
		widest = max(widest, zpl.AdvanceDots(w, line))
	}
	return int(math.Ceil(widest))
}
