// Package label lays out the warehouse's labels on top of package zpl: the GS1
// logistic (SSCC) label, the 4×6 shipping label, tote/LPN and location labels,
// the packing list, carrier-supplied ZPL, and site templates with named fields
// whose values are escaped automatically.
//
// Every label type has Build(dpi) returning one or more complete ^XA…^XZ
// formats laid out for the printer's resolution.
package label

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// ErrInput is wrapped by errors about missing or invalid label data.
var ErrInput = errors.New("label input")

// Label sizes in millimetres.
const (
	inch          = 25.4
	width4in      = 4 * inch
	length6in     = 6 * inch
	margin        = 4.0
	contentWidth  = width4in - 2*margin
	halfWidth     = contentWidth/2 - 1
	rightColumnMM = width4in / 2
)

// Fonts used across the labels.
var (
	fontCaption = zpl.Font{HeightMM: 2.5, WidthMM: 1.6}
	fontBody    = zpl.Font{HeightMM: 3.5, WidthMM: 2.2}
	fontLarge   = zpl.Font{HeightMM: 5, WidthMM: 3.2}
	fontHuge    = zpl.Font{HeightMM: 9, WidthMM: 5.5}
	fontRoute   = zpl.Font{HeightMM: 7, WidthMM: 6}
	fontSmall   = zpl.Font{HeightMM: 3, WidthMM: 2}
	fontHRI     = zpl.Font{HeightMM: 3.5, WidthMM: 2.4}
)

// Builder is any label that lays itself out for a printer resolution.
type Builder interface {
	Build(dpi zpl.DPI) ([]byte, error)
}

// DeviceBuilder is a label that also lays itself out for a printer with a
// downloaded TrueType font, so text in scripts font 0 lacks prints.
type DeviceBuilder interface {
	Builder
	BuildFor(d zpl.Device) ([]byte, error)
}

// BuildFor builds b for printer d: with d's TrueType font when b takes one,
// else at d's resolution.
func BuildFor(b Builder, d zpl.Device) ([]byte, error) {
	if db, ok := b.(DeviceBuilder); ok {
		return db.BuildFor(d)
	}
	return b.Build(d.DPI)
}

// addressBlock prints a caption and an address, one line per part, cut to width.
func addressBlock(l *zpl.Label, x, y, width float64, caption string, a domain.Address, f zpl.Font) float64 {
	l.Text(x, y, fontCaption, width, caption)
	y += fontCaption.HeightMM + 1
	for _, line := range addressLines(a) {
		l.Text(x, y, f, width, line)
		y += f.HeightMM + 1
	}
	return y
}

// addressLines are the printed lines of an address, skipping empty parts.
func addressLines(a domain.Address) []string {
	var out []string
	for _, s := range []string{a.Name, a.Street, strings.TrimSpace(a.Postal + " " + a.City), a.Country} {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// cartonText is "CARTON n OF m", or "" when the count is unknown.
func cartonText(n, m int) (string, error) {
	switch {
	case n == 0 && m == 0:
		return "", nil
	case n < 1 || m < 1 || n > m:
		return "", fmt.Errorf("%w: carton %d of %d", ErrInput, n, m)
	}
	return fmt.Sprintf("CARTON %d OF %d", n, m), nil
}

// rule draws a horizontal line across the content width.
func rule(l *zpl.Label, y float64) {
	l.Box(margin, y, contentWidth, 0.3, 0.3)
}

// required reports the first empty value among name/value pairs.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("%w: %s is required", ErrInput, pairs[i])
		}
	}
	return nil
}
