package label

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// Shipping is the 4×6 in shipping label: ship-from, ship-to, carrier and
// service, the tracking barcode, the order barcode, weight and carton n of m.
//
// The tracking barcode carries the carrier's tracking number as Code 128. A
// carton's SSCC is never printed as a plain Code 128: when the tracking number
// is the SSCC (the SSCC field, or 18 digits with a valid GS1 check digit, as
// carriers that track by SSCC issue), or there is no carrier tracking number
// and the SSCC is given, the label prints no tracking barcode but "(00) …" as
// text and points to the GS1 logistic label, whose GS1-128 is the carton's one
// SSCC barcode. So one carton never has the same digits as both a GS1 and a
// non-GS1 barcode.
type Shipping struct {
	From, To         domain.Address
	Carrier, Service string
	Tracking         string // printable ASCII, as the carrier issued it; may be empty when SSCC is set
	SSCC             string // the carton's SSCC (17 or 18 digits), if it has one
	Order            string
	WeightGrams      int
	Carton, Cartons  int
}

// trackingSSCC returns the SSCC the tracking barcode must carry as GS1-128, or
// "" when the tracking number is the carrier's own.
func (s Shipping) trackingSSCC() (string, error) {
	switch {
	case s.Tracking == "" && s.SSCC == "":
		return "", fmt.Errorf("%w: a tracking number or an SSCC is required", ErrInput)
	case s.Tracking == "":
		return NormalizeSSCC(s.SSCC)
	}
	t := strings.TrimPrefix(strings.ReplaceAll(s.Tracking, " ", ""), "(00)")
	if len(t) == 20 && strings.HasPrefix(t, "00") {
		t = t[2:] // the element string "00" + SSCC
	}
	if s.SSCC != "" {
		sscc, err := NormalizeSSCC(s.SSCC)
		if err != nil {
			return "", err
		}
		if t == sscc || t == sscc[:17] {
			return sscc, nil
		}
		return "", nil
	}
	if _, digits := barcode.CheckDigit(t); digits && len(t) == 18 && barcode.ValidCheckDigit(t) {
		return t, nil
	}
	return "", nil
}

// Build lays the label out at dpi.
func (s Shipping) Build(dpi zpl.DPI) ([]byte, error) { return s.BuildFor(zpl.Device{DPI: dpi}) }

// BuildFor lays the label out on 4×6 in stock for printer d.
func (s Shipping) BuildFor(d zpl.Device) ([]byte, error) {
	if err := required("ship-to name", s.To.Name, "carrier", s.Carrier); err != nil {
		return nil, err
	}
	if s.WeightGrams < 0 {
		return nil, fmt.Errorf("%w: weight %d g", ErrInput, s.WeightGrams)
	}
	carton, err := cartonText(s.Carton, s.Cartons)
	if err != nil {
		return nil, err
	}
	sscc, err := s.trackingSSCC()
	if err != nil {
		return nil, err
	}
	l := zpl.NewLabelFor(d, width4in, length6in)
	addressBlock(l, margin, margin, contentWidth, "FROM", s.From, fontCaption)
	rule(l, 25)
	addressBlock(l, margin, 28, contentWidth, "SHIP TO", s.To, fontLarge)
	rule(l, 60)
	l.Text(margin, 63, fontLarge, contentWidth, strings.TrimSpace(s.Carrier+"  "+s.Service))
	rule(l, 71)
	if sscc != "" {
		l.Text(margin, 74, fontCaption, contentWidth, "TRACKING: BY SSCC")
		l.Text(margin, 80, fontLarge, contentWidth, zpl.GS1Text([]gs1.Element{{AI: "00", Value: sscc}}))
		l.TextBlock(margin, 90, contentWidth, 2, fontBody, "No carrier tracking number: scan the SSCC barcode on this carton's GS1 logistic label.")
	} else {
		l.Text(margin, 74, fontCaption, contentWidth, "TRACKING #")
		l.Code128(0, 78, s.Tracking, zpl.Bar{HeightMM: 25, ModuleMM: 0.33, Center: true})
		l.Text(margin, 105, fontBody, contentWidth, s.Tracking)
	}
	rule(l, 116)
	if s.Order != "" {
		l.Text(margin, 118, fontCaption, halfWidth, "ORDER")
		l.Code128(margin, 122, s.Order, zpl.Bar{HeightMM: 12, ModuleMM: 0.25, MinModuleMM: 0.25})
		l.Text(margin, 136, fontBody, halfWidth, s.Order)
	}
	if s.WeightGrams > 0 {
		l.Text(rightColumnMM, 122, fontLarge, halfWidth, fmt.Sprintf("%d.%03d KG", s.WeightGrams/1000, s.WeightGrams%1000))
	}
	if carton != "" {
		l.Text(rightColumnMM, 132, fontLarge, halfWidth, carton)
	}
	return l.Bytes()
}
