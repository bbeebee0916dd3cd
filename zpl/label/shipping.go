package label

import (
	"fmt"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// Shipping is the 4×6 in shipping label: ship-from, ship-to, carrier and
// service, the tracking barcode, the order barcode, weight and carton n of m.
type Shipping struct {
	From, To         domain.Address
	Carrier, Service string
	Tracking         string // printable ASCII, as the carrier issued it
	Order            string
	WeightGrams      int
	Carton, Cartons  int
}

// Build lays the label out on 4×6 in stock.
func (s Shipping) Build(dpi zpl.DPI) ([]byte, error) {
	if err := required("ship-to name", s.To.Name, "carrier", s.Carrier, "tracking number", s.Tracking); err != nil {
		return nil, err
	}
	if s.WeightGrams < 0 {
		return nil, fmt.Errorf("%w: weight %d g", ErrInput, s.WeightGrams)
	}
	carton, err := cartonText(s.Carton, s.Cartons)
	if err != nil {
		return nil, err
	}
	l := zpl.NewLabel(dpi, width4in, length6in)
	addressBlock(l, margin, margin, contentWidth, "FROM", s.From, fontCaption)
	rule(l, 25)
	addressBlock(l, margin, 28, contentWidth, "SHIP TO", s.To, fontLarge)
	rule(l, 60)
	l.Text(margin, 63, fontLarge, contentWidth, s.Carrier+"  "+s.Service)
	rule(l, 71)
	l.Text(margin, 74, fontCaption, contentWidth, "TRACKING #")
	l.Code128(0, 78, s.Tracking, zpl.Bar{HeightMM: 25, ModuleMM: 0.33, Center: true})
	l.Text(margin, 105, fontBody, contentWidth, s.Tracking)
	rule(l, 111)
	if s.Order != "" {
		l.Text(margin, 114, fontCaption, halfWidth, "ORDER")
		l.Code128(margin, 118, s.Order, zpl.Bar{HeightMM: 12, ModuleMM: 0.25})
		l.Text(margin, 132, fontBody, halfWidth, s.Order)
	}
	if s.WeightGrams > 0 {
		l.Text(rightColumnMM, 118, fontLarge, halfWidth, fmt.Sprintf("%d.%03d KG", s.WeightGrams/1000, s.WeightGrams%1000))
	}
	if carton != "" {
		l.Text(rightColumnMM, 128, fontLarge, halfWidth, carton)
	}
	return l.Bytes()
}
