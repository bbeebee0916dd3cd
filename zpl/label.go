package zpl

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ErrData is wrapped by errors about field data a symbology cannot carry.
var ErrData = errors.New("zpl data")

// ErrLayout is wrapped by errors about sizes and positions: a field that does
// not fit on the label, an unknown resolution.
var ErrLayout = errors.New("zpl layout")

// Font is the scalable font 0 at a height and width setting in millimetres
// (^A0N,h,w). A character's printed advance is its width in font 0's table
// (AdvanceDots) scaled to the width setting, about 0.2–0.75 of it.
type Font struct {
	HeightMM, WidthMM float64
}

// Device is what a label needs to know about the printer it is for: its
// resolution, and the TrueType font stored on it, if any, for text font 0 has
// no glyphs for (Japanese, Chinese, Korean, Greek, Cyrillic, Arabic…).
type Device struct {
	DPI DPI
	// TrueType is the printer's file name of a downloaded TrueType font, as
	// ^A@ takes it: "E:ANMDJ.TTF" (drive R:, E:, B: or A:, name, .TTF or
	// .TTE). Empty: text font 0 cannot print is refused before printing.
	TrueType string
}

// trueTypeRE is a printer file name ^A@ can take for a TrueType font.
var trueTypeRE = regexp.MustCompile(`^[REBA]:[A-Z0-9_-]{1,16}\.(TTF|TTE)$`)

// Validate checks the resolution and the TrueType font's file name.
func (d Device) Validate() error {
	if err := d.DPI.Validate(); err != nil {
		return err
	}
	if d.TrueType != "" && !trueTypeRE.MatchString(d.TrueType) {
		return fmt.Errorf("%w: TrueType font %q is not a printer file name such as E:ANMDJ.TTF", ErrLayout, d.TrueType)
	}
	return nil
}

// Label builds one ^XA…^XZ format. Positions and sizes are in millimetres from
// the top-left corner and are scaled to the label's DPI. The first error stops
// the build and is returned by Bytes; later calls do nothing.
type Label struct {
	dpi           DPI
	trueType      string // ^A@ font file for text font 0 cannot print
	width, length int    // dots
	b             strings.Builder
	err           error
	done          bool
}

// NewLabel starts a format for a label widthMM × lengthMM at dpi: ^XA, ^CI28
// (UTF-8), ^PW and ^LL in dots, and the label home at 0,0. Text font 0 cannot
// print is refused; NewLabelFor a printer with a TrueType font prints it.
func NewLabel(dpi DPI, widthMM, lengthMM float64) *Label {
	return NewLabelFor(Device{DPI: dpi}, widthMM, lengthMM)
}

// NewLabelFor starts a format as NewLabel does, for printer d.
func NewLabelFor(d Device, widthMM, lengthMM float64) *Label {
	dpi := d.DPI
	l := &Label{dpi: dpi, trueType: d.TrueType, width: dpi.Dots(widthMM), length: dpi.Dots(lengthMM)}
	if err := d.Validate(); err != nil {
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

// DPI is the resolution the label is laid out for.
func (l *Label) DPI() DPI { return l.dpi }

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
	return l.originDots(l.dpi.Dots(xMM), l.dpi.Dots(yMM))
}

// originDots writes ^FO for a position in dots, checking it is on the label.
func (l *Label) originDots(x, y int) bool {
	if x < 0 || y < 0 || x >= l.width || y >= l.length {
		xMM, yMM := l.dpi.MM(x), l.dpi.MM(y)
		l.fail(fmt.Errorf("%w: position %g,%g mm is off a %.1fx%.1f mm label", ErrLayout, xMM, yMM, l.dpi.MM(l.width), l.dpi.MM(l.length)))
		return false
	}
	l.b.WriteString("^FO")
	l.b.WriteString(strconv.Itoa(x))
	l.b.WriteByte(',')
	l.b.WriteString(strconv.Itoa(y))
	return true
}

// font writes ^A0N for font 0, or ^A@N with the printer's TrueType font when
// trueType is set, at heightDots and widthDots.
func (l *Label) font(heightDots, widthDots int, trueType bool) {
	if trueType {
		fmt.Fprintf(&l.b, "^A@N,%d,%d,%s", heightDots, widthDots, l.trueType)
		return
	}
	fmt.Fprintf(&l.b, "^A0N,%d,%d", heightDots, widthDots)
}

// fontDots is f's height and width setting in dots.
func (l *Label) fontDots(f Font) (h, w int) {
	return max(1, l.dpi.Dots(f.HeightMM)), max(1, l.dpi.Dots(f.WidthMM))
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
