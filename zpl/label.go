package zpl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrData is wrapped by errors about field data a symbology cannot carry.
var ErrData = errors.New("zpl data")

// ErrLayout is wrapped by errors about sizes and positions: a field that does
// not fit on the label, an unknown resolution.
var ErrLayout = errors.New("zpl layout")

// Font is the scalable font 0 at a height and character width in millimetres.
// Width is also the advance used to estimate how many characters fit a line,
// so keep it at or above the font's real average advance.
type Font struct {
	HeightMM, WidthMM float64
}

// Label builds one ^XA…^XZ format. Positions and sizes are in millimetres from
// the top-left corner and are scaled to the label's DPI. The first error stops
// the build and is returned by Bytes; later calls do nothing.
type Label struct {
	dpi           DPI
	width, length int // dots
	b             strings.Builder
	err           error
	done          bool
}

// NewLabel starts a format for a label widthMM × lengthMM at dpi: ^XA, ^CI28
// (UTF-8), ^PW and ^LL in dots, and the label home at 0,0.
func NewLabel(dpi DPI, widthMM, lengthMM float64) *Label {
	l := &Label{dpi: dpi, width: dpi.Dots(widthMM), length: dpi.Dots(lengthMM)}
	if err := dpi.Validate(); err != nil {
		l.err = err
		return l
	}
	if widthMM <= 0 || lengthMM <= 0 {
		l.err = fmt.Errorf("%w: label size %gx%g mm", ErrLayout, widthMM, lengthMM)
		return l
	}
	l.b.Grow(1024)
	fmt.Fprintf(&l.b, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", l.width, l.length)
	return l
}

// WidthMM is the label width in millimetres.
func (l *Label) WidthMM() float64 { return l.dpi.MM(l.width) }

// Bytes ends the format with ^XZ and returns it, or the first error met.
func (l *Label) Bytes() ([]byte, error) {
	if l.err != nil {
		return nil, l.err
	}
	if !l.done {
		l.b.WriteString("^XZ\n")
		l.done = true
	}
	return []byte(l.b.String()), nil
}

// fail records the first error.
func (l *Label) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// ok reports whether the label can take another field.
func (l *Label) ok() bool {
	if l.err == nil && l.done {
		l.err = fmt.Errorf("%w: field added after the format was ended", ErrLayout)
	}
	return l.err == nil
}

// origin writes ^FO for a position in millimetres, checking it is on the label.
func (l *Label) origin(xMM, yMM float64) bool {
	x, y := l.dpi.Dots(xMM), l.dpi.Dots(yMM)
	if x < 0 || y < 0 || x >= l.width || y >= l.length {
		l.fail(fmt.Errorf("%w: position %g,%g mm is off a %.1fx%.1f mm label", ErrLayout, xMM, yMM, l.dpi.MM(l.width), l.dpi.MM(l.length)))
		return false
	}
	l.b.WriteString("^FO")
	l.b.WriteString(strconv.Itoa(x))
	l.b.WriteByte(',')
	l.b.WriteString(strconv.Itoa(y))
	return true
}

// font writes ^A0N for f.
func (l *Label) font(f Font) {
	fmt.Fprintf(&l.b, "^A0N,%d,%d", max(1, l.dpi.Dots(f.HeightMM)), max(1, l.dpi.Dots(f.WidthMM)))
}

// fieldData writes ^FH^FD, the escaped data and ^FS.
func (l *Label) fieldData(data string) {
	l.b.WriteString("^FH^FD")
	l.b.WriteString(EscapeFieldData(data))
	l.b.WriteString("^FS\n")
}

// Box draws a rectangle outline with lines thickMM thick (^GB).
func (l *Label) Box(xMM, yMM, wMM, hMM, thickMM float64) {
	if !l.ok() || !l.origin(xMM, yMM) {
		return
	}
	t := max(1, l.dpi.Dots(thickMM))
	fmt.Fprintf(&l.b, "^GB%d,%d,%d^FS\n", max(t, l.dpi.Dots(wMM)), max(t, l.dpi.Dots(hMM)), t)
}

// charsFitting estimates how many characters of font f fit widthMM.
func charsFitting(widthMM float64, f Font) int {
	if f.WidthMM <= 0 {
		return 0
	}
	return int(widthMM / f.WidthMM)
}
