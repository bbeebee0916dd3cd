package label

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
)

// Logistic is the full GS1 logistic label on 4×6 in stock, laid out as the
// GS1 Logistic Label Guideline's three building blocks:
//
//   - top, free text: the supplier section (ship-from), the customer section
//     (ship-to, purchase order) and the carrier section (carrier, service);
//   - middle, data titles with their values: SSCC, CONTENT, COUNT,
//     BATCH/LOT, BEST BEFORE or USE BY, SHIP TO POST, ORDER NUMBER, GINC;
//   - bottom, GS1-128 barcodes with their "(AI) value" lines: the carrier's
//     (420)/(421) ship-to postal code with the consignment (401), the content
//     (02)+(37)+(15)/(17)+(10) of a homogeneous carton, and the SSCC (00),
//     always the lowest.
//
// Every barcode has an X-dimension of at least 0.495 mm and bars at least
// 32 mm high, so a 4 in wide symbol holds about a dozen symbol characters:
// (02)+(37) fit one, a batch or date goes on to the next. 4×6 in stock holds
// three barcodes (say carrier, content, SSCC); a label needing more is
// refused before printing with the length that would hold it (LengthMM).
type Logistic struct {
	SSCC             string // 17 digits (check digit added) or 18
	Supplier, ShipTo domain.Address
	Carrier, Service string
	PurchaseOrder    string // the customer's purchase order (400), where known
	Consignment      string // the consignment's GINC (401), where known
	Content          *Content
	Carton, Cartons  int
	LengthMM         float64 // label length; 0 means 6 in (152.4 mm), e.g. 203.2 for 4×8 in
}

// Content is what a homogeneous carton holds: Count units of one trade item.
type Content struct {
	GTIN        string // the trade item's GTIN (8–14 digits)
	Description string
	Count       int
	Batch       string // batch or lot (10)
	BestBefore  string // YYMMDD (15)
	Expiry      string // YYMMDD (17)
}

// Logistic label layout, in millimetres.
const (
	logisticBarBlock = zpl.GS1MinHeightMM + 5.5 // bars, HRI line, gap
	logisticColumns  = 3
	logisticColWidth = contentWidth / logisticColumns
)

// isoNumeric maps ISO 3166 alpha-2 country codes to the numeric codes (421)
// takes, for the countries the sites ship to.
var isoNumeric = map[string]string{
	"AT": "040", "BE": "056", "CA": "124", "CH": "756", "CZ": "203", "DE": "276", "DK": "208",
	"ES": "724", "FI": "246", "FR": "250", "GB": "826", "IE": "372", "IT": "380", "JP": "392",
	"LU": "442", "NL": "528", "NO": "578", "PL": "616", "PT": "620", "SE": "752", "US": "840",
}

// postalElement is the carrier's ship-to postal code: (420) within the
// supplier's country, (421) with the ISO numeric country code across a border;
// ok is false when there is none to give.
func postalElement(from, to domain.Address) (gs1.Element, bool) {
	code := strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(to.Postal, " ", ""), "-", ""))
	if code == "" {
		return gs1.Element{}, false
	}
	if from.Country == "" || to.Country == "" || strings.EqualFold(from.Country, to.Country) {
		return gs1.Element{AI: "420", Value: code}, true
	}
	if n, ok := isoNumeric[strings.ToUpper(to.Country)]; ok && len(code) <= 9 {
		return gs1.Element{AI: "421", Value: n + code}, true
	}
	return gs1.Element{}, false
}

// elements are the label's barcode elements: carrier, content, SSCC.
func (g Logistic) elements() (carrier, content []gs1.Element, err error) {
	if e, ok := postalElement(g.Supplier, g.ShipTo); ok {
		carrier = append(carrier, e)
	}
	if g.Consignment != "" {
		carrier = append(carrier, gs1.Element{AI: "401", Value: g.Consignment})
	}
	if c := g.Content; c != nil {
		gtin, ok := barcode.NormalizeGTIN(c.GTIN)
		if !ok {
			return nil, nil, fmt.Errorf("%w: content GTIN %q", ErrInput, c.GTIN)
		}
		if c.Count < 1 {
			return nil, nil, fmt.Errorf("%w: content count %d", ErrInput, c.Count)
		}
		content = append(content, gs1.Element{AI: "02", Value: gtin}, gs1.Element{AI: "37", Value: strconv.Itoa(c.Count)})
		if c.BestBefore != "" {
			content = append(content, gs1.Element{AI: "15", Value: c.BestBefore})
		}
		if c.Expiry != "" {
			content = append(content, gs1.Element{AI: "17", Value: c.Expiry})
		}
		if c.Batch != "" {
			content = append(content, gs1.Element{AI: "10", Value: c.Batch})
		}
	}
	return carrier, content, nil
}

// symbols packs elements, in order, into as few GS1-128 symbols as fit the
// label width at the GS1 X-dimension.
func symbols(dpi zpl.DPI, els []gs1.Element) ([][]gs1.Element, error) {
	var out [][]gs1.Element
	var cur []gs1.Element
	limit := dpi.Dots(width4in)
	for _, e := range els {
		next := append(append([]gs1.Element{}, cur...), e)
		w, err := zpl.GS1128WidthDots(dpi, next, zpl.GS1MinModuleMM)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		if w <= limit {
			cur = next
			continue
		}
		if len(cur) == 0 {
			return nil, fmt.Errorf("%w: (%s) %s is too long for a GS1-128 symbol on a 4 in label", zpl.ErrLayout, e.AI, e.Value)
		}
		out, cur = append(out, cur), []gs1.Element{e}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

// Build lays the label out at dpi.
func (g Logistic) Build(dpi zpl.DPI) ([]byte, error) { return g.BuildFor(zpl.Device{DPI: dpi}) }

// BuildFor lays the label out on 4×6 in stock for printer d.
func (g Logistic) BuildFor(d zpl.Device) ([]byte, error) {
	sscc, err := NormalizeSSCC(g.SSCC)
	if err != nil {
		return nil, err
	}
	carton, err := cartonText(g.Carton, g.Cartons)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	carrierEls, contentEls, err := g.elements()
	if err != nil {
		return nil, err
	}
	ssccEl := gs1.Element{AI: "00", Value: sscc}
	all := append(append([]gs1.Element{ssccEl}, carrierEls...), contentEls...)
	var bars [][]gs1.Element
	for _, els := range [][]gs1.Element{carrierEls, contentEls} {
		syms, err := symbols(d.DPI, els)
		if err != nil {
			return nil, err
		}
		bars = append(bars, syms...)
	}
	bars = append(bars, []gs1.Element{ssccEl})
	length := g.LengthMM
	if length == 0 {
		length = length6in
	}
	top := length - 1.5 - float64(len(bars))*logisticBarBlock

	l := zpl.NewLabelFor(d, width4in, length)
	// Top block: supplier, customer and carrier sections.
	y := 2.5
	l.Text(margin, y, fontCaption, halfWidth, "FROM")
	l.Text(rightColumnMM, y, fontCaption, halfWidth, "SHIP TO")
	y += fontCaption.HeightMM + 0.5
	from, to := addressLines(g.Supplier), addressLines(g.ShipTo)
	for i := range max(len(from), len(to)) {
		if i < len(from) {
			l.Text(margin, y, fontSmall, halfWidth, from[i])
		}
		if i < len(to) {
			l.Text(rightColumnMM, y, fontSmall, halfWidth, to[i])
		}
		y += fontSmall.HeightMM + 0.5
	}
	carrier := joinNonEmpty([]string{g.Carrier, g.Service}, "  ")
	if carrier != "" || carton != "" {
		l.Text(margin, y, fontSmall, halfWidth, carrier)
		l.Text(rightColumnMM, y, fontSmall, halfWidth, carton)
		y += fontSmall.HeightMM + 0.5
	}
	rule(l, y)
	y += 1

	// Middle block: data titles and values, two columns.
	type item struct{ title, value string }
	var items []item
	items = append(items, item{"SSCC", sscc})
	if c := g.Content; c != nil {
		items = append(items, item{"CONTENT", contentEls[0].Value}, item{"COUNT", strconv.Itoa(c.Count)})
		if c.Batch != "" {
			items = append(items, item{"BATCH/LOT", c.Batch})
		}
		if c.BestBefore != "" {
			items = append(items, item{"BEST BEFORE", ddmmyy(c.BestBefore)})
		}
		if c.Expiry != "" {
			items = append(items, item{"USE BY", ddmmyy(c.Expiry)})
		}
	}
	for _, e := range carrierEls {
		switch e.AI {
		case "420", "421":
			items = append(items, item{"SHIP TO POST", strings.TrimSpace(g.ShipTo.Country + " " + g.ShipTo.Postal)})
		case "401":
			items = append(items, item{"GINC", e.Value})
		}
	}
	if g.PurchaseOrder != "" {
		items = append(items, item{"ORDER NUMBER", g.PurchaseOrder})
	}
	rows := (len(items) + logisticColumns - 1) / logisticColumns
	step := fontCaption.HeightMM + fontSmall.HeightMM + 0.8
	if need := y + float64(rows)*step; need > top {
		return nil, fmt.Errorf("%w: the label's %d barcodes and %d data titles need %.0f mm of label; it is %.0f mm long (4×8 in is 203.2)", zpl.ErrLayout, len(bars), len(items), need-top+length, length)
	}
	for i, it := range items {
		x, ry := margin+float64(i%logisticColumns)*logisticColWidth, y+float64(i/logisticColumns)*step
		l.Text(x, ry, fontCaption, logisticColWidth-1, it.title)
		l.Text(x, ry+fontCaption.HeightMM+0.3, fontSmall, logisticColWidth-1, it.value)
	}
	if g.Content != nil && g.Content.Description != "" && y+float64(rows)*step+fontSmall.HeightMM < top {
		l.Text(margin, y+float64(rows)*step, fontSmall, contentWidth, g.Content.Description)
	}

	// Bottom block: the barcodes, the SSCC lowest.
	by := top
	rule(l, by-1)
	for _, els := range bars {
		l.GS1128(0, by+0.5, els, zpl.Bar{HeightMM: zpl.GS1MinHeightMM, HRI: true, HRIFont: fontHRI, Center: true, Others: all})
		by += logisticBarBlock
	}
	return l.Bytes()
}

// ddmmyy shows a GS1 date YYMMDD as dd.mm.yy; a day of 00 (the month's last
// day) is shown as it is.
func ddmmyy(s string) string {
	if len(s) != 6 {
		return s
	}
	return s[4:6] + "." + s[2:4] + "." + s[0:2]
}
