package shipdocs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/zpl"
)

// Size of the summary label, in millimetres.
const (
	zplWidth   = 101.6 // 4 in
	zplLength  = 152.4 // 6 in
	zplMargin  = 4.0
	zplContent = zplWidth - 2*zplMargin
	zplValueX  = 32.0 // where the values of the caption/value rows start
)

// BillOfLadingZPL is the load's bill of lading summary as a 4×6 in ZPL
// label at dpi: the load id in words and as a Code 128 barcode, the
// carrier and its SCAC, then trailer, seal, PRO, door, the number of
// orders and of cartons, the total weight in lb and kg, the closing time
// (UTC) and, after a short close, the number of cartons left. Text goes
// through the zpl package, which escapes whatever looks like ZPL (^XZ,
// ~JA); a load id that is not printable ASCII cannot be a Code 128 and is
// refused with ErrInput, as is text the printer's font 0 cannot print.
func BillOfLadingZPL(p LoadPapers, dpi zpl.DPI) ([]byte, error) {
	if err := dpi.Validate(); err != nil {
		return nil, err
	}
	d, err := prepareBOL(p)
	if err != nil {
		return nil, err
	}
	caption := zpl.Font{HeightMM: 2.5, WidthMM: 1.6}
	body := zpl.Font{HeightMM: 4, WidthMM: 2.6}
	large := zpl.Font{HeightMM: 5, WidthMM: 3.2}
	huge := zpl.Font{HeightMM: 9, WidthMM: 5.5}
	rule := func(l *zpl.Label, y float64) { l.Box(zplMargin, y, zplContent, 0.3, 0.3) }

	l := zpl.NewLabel(dpi, zplWidth, zplLength)
	l.Text(zplMargin, zplMargin, caption, zplContent, "BILL OF LADING  -  LOAD")
	l.Text(zplMargin, 8, huge, zplContent, d.LoadID)
	l.Code128(0, 19, d.LoadID, zpl.Bar{HeightMM: 18, ModuleMM: 0.33, Center: true})
	rule(l, 40)
	l.Text(zplMargin, 42, caption, zplContent, "CARRIER")
	l.Text(zplMargin, 46, large, zplContent, strings.TrimSpace(d.Carrier.Name+"  SCAC "+d.Carrier.SCAC))
	rule(l, 54)
	rows := [][2]string{
		{"TRAILER", d.Trailer},
		{"SEAL", d.Seal},
		{"PRO", d.PRO},
		{"DOOR", d.Door},
		{"ORDERS", strconv.Itoa(len(d.Orders))},
		{"CARTONS", strconv.Itoa(d.Cartons)},
		{"WEIGHT", fmt.Sprintf("%s LB  (%s KG)", pounds(d.Grams), kilograms(d.Grams))},
		{"CLOSED", d.Closed.Format("2006-01-02 15:04") + " UTC"},
	}
	if len(d.Short) > 0 {
		rows = append(rows, [2]string{"SHORT", fmt.Sprintf("%d carton(s) not loaded", len(d.Short))})
	}
	y := 57.0
	for _, r := range rows {
		l.Text(zplMargin, y+1, caption, zplValueX-zplMargin-1, r[0])
		if r[1] != "" {
			l.Text(zplValueX, y, body, zplWidth-zplMargin-zplValueX, r[1])
		}
		y += 7
	}
	rule(l, y+1)
	l.TextBlock(zplMargin, y+4, zplContent, 2, caption, "Summary of the bill of lading: the signed paper bill of lading travels with the freight.")
	b, err := l.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%w: bill of lading label of load %s: %w", ErrInput, d.LoadID, err)
	}
	return b, nil
}
