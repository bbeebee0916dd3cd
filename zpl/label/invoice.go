package label

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// CommercialInvoice prints a shipment's commercial invoice (customs
// declaration) on 4×6 in stock, continued over as many labels as its lines
// need, each "PAGE i OF n" and each with the invoice's head: number, date,
// order, Incoterm, currency, shipper and consignee. Each line shows the SKU
// and description, then quantity, HS code, country of origin, unit value and
// line value; the last page adds the totals (value, net and gross weight,
// cartons) and the declaration to sign.
//
// The invoice's data comes from domain.NewCustomsInvoice, which refuses a
// shipment with an item lacking its customs data; the hub keeps the same
// data with the shipment.
type CommercialInvoice struct {
	Invoice domain.CustomsInvoice
}

// Commercial invoice layout, in millimetres.
const (
	invoiceBodyTop  = 45.0
	invoiceFootTop  = 117.0
	invoiceDetail   = 3.5 // the row of figures under a description
	invoiceGap      = 1.5
	invoiceDescRows = 2
	invoiceColQty   = margin
	invoiceColHS    = margin + 13
	invoiceColFrom  = margin + 36
	invoiceColUnit  = margin + 50
	invoiceColValue = margin + 71
)

// invoiceRowHeight is how much of the page a line whose description takes
// n rows needs.
func invoiceRowHeight(n int) float64 {
	return float64(n)*(fontSmall.HeightMM+0.5) + invoiceDetail + invoiceGap
}

// pages splits the lines into pages, measuring descriptions at d's
// resolution; rows are the rows each description takes.
func (c CommercialInvoice) pages(d zpl.Device) (pages [][]int, rows []int) {
	m := zpl.NewLabelFor(d, width4in, length6in)
	page, used := []int{}, 0.0
	for i, ln := range c.Invoice.Lines {
		n := min(invoiceDescRows, m.Lines(fontSmall, contentWidth, describe(ln)))
		rows = append(rows, n)
		if h := invoiceRowHeight(n); used+h > invoiceFootTop-invoiceBodyTop && len(page) > 0 {
			pages, page, used = append(pages, page), nil, 0
		}
		page = append(page, i)
		used += invoiceRowHeight(n)
	}
	return append(pages, page), rows
}

// describe is a line's first row: SKU and description.
func describe(ln domain.InvoiceLine) string {
	return ln.SKU + " " + ln.Description
}

// Pages is the number of labels the invoice takes at dpi.
func (c CommercialInvoice) Pages(dpi zpl.DPI) int {
	p, _ := c.pages(zpl.Device{DPI: dpi})
	return len(p)
}

// Build lays out every page at dpi.
func (c CommercialInvoice) Build(dpi zpl.DPI) ([]byte, error) {
	return c.BuildFor(zpl.Device{DPI: dpi})
}

// BuildFor lays out every page for printer d; the result holds one format
// per page. A figure that would not print whole is refused, never cut.
func (c CommercialInvoice) BuildFor(d zpl.Device) ([]byte, error) {
	inv := c.Invoice
	if err := required("invoice number", inv.Number, "invoice date", inv.Date, "order", inv.OrderID, "currency", inv.Currency, "incoterm", inv.Incoterm); err != nil {
		return nil, err
	}
	if len(inv.Lines) == 0 {
		return nil, fmt.Errorf("%w: a commercial invoice needs lines", ErrInput)
	}
	for _, ln := range inv.Lines {
		if ln.Qty <= 0 || ln.HSCode == "" || ln.Origin == "" {
			return nil, fmt.Errorf("%w: invoice line %s: quantity %d, HS code %q, origin %q", ErrInput, ln.SKU, ln.Qty, ln.HSCode, ln.Origin)
		}
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	pages, rows := c.pages(d)
	var out bytes.Buffer
	for p, idx := range pages {
		l := zpl.NewLabelFor(d, width4in, length6in)
		c.head(l, p+1, len(pages))
		y, marked := invoiceBodyTop, false
		for _, i := range idx {
			ln := inv.Lines[i]
			if l.TextBlock(margin, y, contentWidth, invoiceDescRows, fontSmall, describe(ln)) {
				marked = true
			}
			y += float64(rows[i]) * (fontSmall.HeightMM + 0.5)
			cut := l.Text(invoiceColQty, y, fontSmall, invoiceColHS-invoiceColQty-1, strconv.Itoa(ln.Qty))
			cut = l.Text(invoiceColHS, y, fontSmall, invoiceColFrom-invoiceColHS-1, ln.HSCode) || cut
			cut = l.Text(invoiceColFrom, y, fontSmall, invoiceColUnit-invoiceColFrom-1, ln.Origin) || cut
			cut = l.Text(invoiceColUnit, y, fontSmall, invoiceColValue-invoiceColUnit-1, money(ln.UnitCents)) || cut
			cut = l.Text(invoiceColValue, y, fontSmall, margin+contentWidth-invoiceColValue, money(ln.ValueCents)) || cut
			if cut {
				return nil, fmt.Errorf("%w: invoice line %s: a figure does not fit its column", zpl.ErrLayout, ln.SKU)
			}
			y += invoiceDetail + invoiceGap
		}
		if p == len(pages)-1 {
			if err := c.foot(l); err != nil {
				return nil, err
			}
		} else {
			rule(l, invoiceFootTop)
			l.Text(margin, invoiceFootTop+2, fontBody, contentWidth, "CONTINUED ON NEXT LABEL")
		}
		if marked {
			l.Text(margin, length6in-margin-fontCaption.HeightMM, fontCaption, contentWidth, "* A DESCRIPTION IS SHORTENED: SEE THE ORDER")
		}
		b, err := l.Bytes()
		if err != nil {
			return nil, err
		}
		out.Write(b)
	}
	return out.Bytes(), nil
}

// head prints the title, page, invoice reference and parties.
func (c CommercialInvoice) head(l *zpl.Label, page, pages int) {
	inv := c.Invoice
	l.Text(margin, 3, fontLarge, contentWidth*0.7, "COMMERCIAL INVOICE")
	l.Text(margin+contentWidth*0.72, 3.8, fontSmall, contentWidth*0.28, fmt.Sprintf("PAGE %d OF %d", page, pages))
	l.Text(margin, 10, fontSmall, halfWidth, "INVOICE "+inv.Number)
	l.Text(rightColumnMM, 10, fontSmall, halfWidth, "DATE "+inv.Date)
	l.Text(margin, 14, fontSmall, halfWidth, "ORDER "+inv.OrderID)
	l.Text(rightColumnMM, 14, fontSmall, halfWidth, "INCOTERM "+inv.Incoterm+"   CURRENCY "+inv.Currency)
	rule(l, 18)
	l.Text(margin, 19.5, fontCaption, halfWidth, "SHIPPER / EXPORTER")
	l.Text(rightColumnMM, 19.5, fontCaption, halfWidth, "CONSIGNEE")
	from, to := addressLines(inv.Shipper), addressLines(inv.Consignee)
	for i := range min(4, max(len(from), len(to))) {
		y := 22.5 + float64(i)*(fontSmall.HeightMM+0.5)
		if i < len(from) {
			l.Text(margin, y, fontSmall, halfWidth, from[i])
		}
		if i < len(to) {
			l.Text(rightColumnMM, y, fontSmall, halfWidth, to[i])
		}
	}
	rule(l, 37)
	l.Text(margin, 38.5, fontCaption, contentWidth, "SKU, DESCRIPTION")
	for _, col := range []struct {
		x     float64
		title string
	}{{invoiceColQty, "QTY"}, {invoiceColHS, "HS CODE"}, {invoiceColFrom, "ORIGIN"}, {invoiceColUnit, "UNIT " + inv.Currency}, {invoiceColValue, "VALUE " + inv.Currency}} {
		l.Text(col.x, 41.5, fontCaption, 20, col.title)
	}
}

// foot prints the totals and the declaration.
func (c CommercialInvoice) foot(l *zpl.Label) error {
	inv := c.Invoice
	rule(l, invoiceFootTop)
	if l.Text(margin, invoiceFootTop+1.5, fontBody, contentWidth, "TOTAL VALUE "+money(inv.ValueCents)+" "+inv.Currency) {
		return fmt.Errorf("%w: the invoice's total does not fit the label", zpl.ErrLayout)
	}
	l.Text(margin, invoiceFootTop+6.5, fontSmall, contentWidth, fmt.Sprintf("NET WEIGHT %s KG   GROSS WEIGHT %s KG", kilos(inv.NetGrams), kilos(inv.GrossGrams)))
	l.Text(margin, invoiceFootTop+10.5, fontSmall, contentWidth, fmt.Sprintf("CARTONS %d   LINES %d   UNITS %d", inv.Cartons, len(inv.Lines), inv.Units()))
	l.TextBlock(margin, invoiceFootTop+15, contentWidth, 2, fontCaption,
		"I declare that the information on this invoice is true and correct and that the goods originate where stated.")
	l.Text(margin, invoiceFootTop+23, fontSmall, contentWidth, "SIGNATURE ____________________  NAME / DATE")
	return nil
}

// money shows hundredths as units with two decimals: 123456 is "1234.56".
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// kilos shows grams as kilograms with three decimals.
func kilos(g int64) string {
	if g < 0 {
		g = 0
	}
	return fmt.Sprintf("%d.%03d", g/1000, g%1000)
}
