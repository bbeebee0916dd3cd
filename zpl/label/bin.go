package label

import "github.com/rfterm/rfterm/zpl"

// Bin is a location (bin) label on 4×1.5 in stock: the location code large,
// as Code 128, and an optional line of text.
type Bin struct {
	Location string
	Text     string
}

// Build lays the label out at dpi.
func (b Bin) Build(dpi zpl.DPI) ([]byte, error) { return b.BuildFor(zpl.Device{DPI: dpi}) }

// BuildFor lays the label out for printer d.
func (b Bin) BuildFor(d zpl.Device) ([]byte, error) {
	if err := required("location", b.Location); err != nil {
		return nil, err
	}
	l := zpl.NewLabelFor(d, width4in, 1.5*inch)
	l.Text(margin, 2, fontHuge, contentWidth, b.Location)
	l.Code128(margin, 13, b.Location, zpl.Bar{HeightMM: 14, ModuleMM: 0.33})
	if b.Text != "" {
		l.Text(margin, 30, fontBody, contentWidth, b.Text)
	}
	return l.Bytes()
}
