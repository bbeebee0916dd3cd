package label

import "github.com/rfterm/rfterm/zpl"

// LPN is a tote or licence-plate label on 4×2 in stock: the LPN as Code 128,
// large, and an optional line of text.
type LPN struct {
	LPN  string
	Text string
}

// Build lays the label out at dpi.
func (p LPN) Build(dpi zpl.DPI) ([]byte, error) { return p.BuildFor(zpl.Device{DPI: dpi}) }

// BuildFor lays the label out for printer d.
func (p LPN) BuildFor(d zpl.Device) ([]byte, error) {
	if err := required("LPN", p.LPN); err != nil {
		return nil, err
	}
	l := zpl.NewLabelFor(d, width4in, 2*inch)
	l.Code128(0, 3, p.LPN, zpl.Bar{HeightMM: 22, ModuleMM: 0.375, Center: true})
	l.Text(margin, 28, fontHuge, contentWidth, p.LPN)
	if p.Text != "" {
		l.Text(margin, 40, fontBody, contentWidth, p.Text)
	}
	return l.Bytes()
}
