package label

import (
	"fmt"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// SSCC is the GS1 logistic label: ship-from, ship-to, order and carton count,
// and the SSCC (AI 00) as the lowest barcode in GS1-128 at the GS1 sizes with
// "(00) …" under it.
type SSCC struct {
	SSCC             string // 17 digits (check digit added) or 18 (check digit verified)
	ShipFrom, ShipTo domain.Address
	Order            string
	Carton, Cartons  int
}

// NormalizeSSCC returns the 18-digit SSCC: 17 digits get their check digit
// computed, 18 digits have it verified.
func NormalizeSSCC(s string) (string, error) {
	switch len(s) {
	case 17:
		d, ok := barcode.CheckDigit(s)
		if !ok {
			return "", fmt.Errorf("%w: SSCC %q must be digits", ErrInput, s)
		}
		return s + string(d), nil
	case 18:
		if _, ok := barcode.CheckDigit(s); !ok {
			return "", fmt.Errorf("%w: SSCC %q must be digits", ErrInput, s)
		}
		if !barcode.ValidCheckDigit(s) {
			d, _ := barcode.CheckDigit(s[:17])
			return "", fmt.Errorf("%w: SSCC %s has check digit %c, expected %c", ErrInput, s, s[17], d)
		}
		return s, nil
	}
	return "", fmt.Errorf("%w: SSCC %q has %d digits, want 17 (check digit added) or 18", ErrInput, s, len(s))
}

// Build lays the label out at dpi.
func (s SSCC) Build(dpi zpl.DPI) ([]byte, error) { return s.BuildFor(zpl.Device{DPI: dpi}) }

// BuildFor lays the label out for printer d.
func (s SSCC) BuildFor(d zpl.Device) ([]byte, error) {
	sscc, err := NormalizeSSCC(s.SSCC)
	if err != nil {
		return nil, err
	}
	carton, err := cartonText(s.Carton, s.Cartons)
	if err != nil {
		return nil, err
	}
	l := zpl.NewLabelFor(d, width4in, length6in)
	addressBlock(l, margin, margin, halfWidth, "FROM", s.ShipFrom, fontBody)
	addressBlock(l, rightColumnMM, margin, halfWidth, "TO", s.ShipTo, fontBody)
	rule(l, 42)
	if s.Order != "" {
		l.Text(margin, 46, fontCaption, halfWidth, "ORDER")
		l.Text(margin, 50, fontLarge, halfWidth, s.Order)
	}
	if carton != "" {
		l.Text(rightColumnMM, 50, fontLarge, halfWidth, carton)
	}
	rule(l, 62)
	l.Text(margin, 96, fontCaption, contentWidth, "SSCC")
	l.GS1128(0, 101, []gs1.Element{{AI: "00", Value: sscc}}, zpl.Bar{
		HeightMM: zpl.GS1MinHeightMM,
		ModuleMM: zpl.GS1MinModuleMM,
		HRI:      true,
		HRIFont:  zpl.Font{HeightMM: 4, WidthMM: 2.6},
		Center:   true,
	})
	return l.Bytes()
}
