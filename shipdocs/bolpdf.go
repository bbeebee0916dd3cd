package shipdocs

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"

	"github.com/rfterm/rfterm/domain"
)

// Page geometry of the PDF bill of lading, in millimetres (US Letter).
const (
	pdfMargin = 12.0
	pdfWidth  = 215.9 - 2*pdfMargin
	pdfLine   = 5.0
	pdfFont   = "Helvetica" // a core font: no embedding, text extractable
)

// BillOfLadingPDF is the load's VICS-style straight bill of lading (short
// form, not negotiable) as a US Letter PDF: the BOL number (the load id)
// and date (the close, UTC), ship from, ship to (the one consignee, or
// "see customer order information" when the load carries several),
// carrier and SCAC, trailer, seal, PRO and door, the freight charge
// terms, the customer order information (each order: order id, PO,
// consignee, cartons, weight, pallet/slip N), the carrier information
// (one line per NMFC class: the cartons as handling units and packages of
// type CTN, weight, H.M., commodities, class; a carton takes the class of
// its heaviest item), totals, the cartons left short, and the shipper's and
// carrier's signature boxes. Weights print in lb and kg.
//
// Text is set in the Helvetica core font (cp1252): characters outside
// Latin-1 print as '?'. The document carries the load's closing time as its
// creation date, so the same papers give the same bytes.
func BillOfLadingPDF(p LoadPapers) ([]byte, error) {
	d, err := prepareBOL(p)
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfMargin)
	pdf.SetCreationDate(d.Closed)
	pdf.SetModificationDate(d.Closed)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(pdfText("Bill of lading "+d.LoadID), false)
	pdf.SetCreator("rfterm shipdocs", false)
	pdf.SetProducer("rfterm shipdocs", false)
	pdf.AliasNbPages("")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-pdfMargin)
		pdf.SetFont(pdfFont, "", 7)
		pdf.CellFormat(0, 4, pdfText(fmt.Sprintf("Bill of lading %s  -  page %d of {nb}", d.LoadID, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	bolHeader(pdf, d)
	bolOrders(pdf, d)
	bolCarrierInfo(pdf, d)
	bolShort(pdf, d, p.Load.Override)
	bolSignatures(pdf)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("shipdocs: bill of lading %s: %w", d.LoadID, err)
	}
	return buf.Bytes(), nil
}

// bolHeader prints the title, the parties, the carrier and the terms.
func bolHeader(pdf *fpdf.Fpdf, d bolDoc) {
	pdf.SetFont(pdfFont, "B", 14)
	pdf.CellFormat(pdfWidth*0.62, 8, "STRAIGHT BILL OF LADING - SHORT FORM", "", 0, "L", false, 0, "")
	pdf.SetFont(pdfFont, "", 10)
	pdf.CellFormat(0, 8, pdfText("Date: "+d.Closed.Format("2006-01-02")), "", 1, "R", false, 0, "")
	pdf.SetFont(pdfFont, "", 8)
	pdf.CellFormat(pdfWidth*0.62, 4, "Not negotiable", "", 0, "L", false, 0, "")
	pdf.SetFont(pdfFont, "B", 11)
	pdf.CellFormat(0, 6, pdfText("Bill of Lading Number: "+d.LoadID), "", 1, "R", false, 0, "")
	pdf.Ln(2)

	half := pdfWidth / 2
	top := pdf.GetY()
	partyBox(pdf, pdfMargin, top, half, "SHIP FROM", addressText(d.Shipper))
	carrier := []string{
		"Carrier name: " + d.Carrier.Name,
		"SCAC: " + d.Carrier.SCAC,
		"Trailer number: " + d.Trailer,
		"Seal number(s): " + d.Seal,
		"Pro number: " + d.PRO,
		"Dock door: " + d.Door,
	}
	partyBox(pdf, pdfMargin+half, top, half, "CARRIER", carrier)
	shipTo := []string{"Multiple consignees: see customer order information"}
	if len(d.Orders) == 1 {
		shipTo = addressText(d.Orders[0].Consignee)
	}
	top += 36
	partyBox(pdf, pdfMargin, top, half, "SHIP TO (CONSIGNEE)", shipTo)
	partyBox(pdf, pdfMargin+half, top, half, "FREIGHT CHARGE TERMS", []string{
		"Freight charges are " + d.Terms + " unless marked otherwise.",
		"Closed: " + d.Closed.Format("2006-01-02 15:04") + " UTC",
	})
	pdf.SetXY(pdfMargin, top+36+3)
}

// partyBox prints a captioned box of lines at x,y, 33 mm high.
func partyBox(pdf *fpdf.Fpdf, x, y, w float64, caption string, lines []string) {
	pdf.Rect(x, y, w, 33, "D")
	pdf.SetXY(x+1.5, y+1)
	pdf.SetFont(pdfFont, "B", 8)
	pdf.CellFormat(w-3, 4, caption, "", 2, "L", false, 0, "")
	pdf.SetFont(pdfFont, "", 9)
	for i, l := range lines {
		if i == 6 {
			break
		}
		pdf.CellFormat(w-3, 4.5, fitText(pdf, l, w-3), "", 2, "L", false, 0, "")
	}
}

// addressText is an address's printed lines.
func addressText(a domain.Address) []string {
	var out []string
	for _, s := range []string{a.Name, a.Street, strings.TrimSpace(a.Postal + " " + a.City), a.Country} {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// bolTable prints a table: the header row, the rows, a totals row.
func bolTable(pdf *fpdf.Fpdf, title string, widths []float64, aligns string, head []string, rows [][]string, total []string) {
	pdf.SetFont(pdfFont, "B", 9)
	pdf.SetFillColor(225, 225, 225)
	pdf.CellFormat(pdfWidth, pdfLine+1, title, "1", 1, "C", true, 0, "")
	pdf.SetFont(pdfFont, "B", 7)
	for i, h := range head {
		pdf.CellFormat(widths[i], pdfLine, h, "1", 0, "C", false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(pdfFont, "", 8)
	for _, r := range rows {
		for i, c := range r {
			pdf.CellFormat(widths[i], pdfLine, fitText(pdf, c, widths[i]-1), "1", 0, aligns[i:i+1], false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.SetFont(pdfFont, "B", 8)
	for i, c := range total {
		pdf.CellFormat(widths[i], pdfLine, fitText(pdf, c, widths[i]-1), "1", 0, aligns[i:i+1], false, 0, "")
	}
	pdf.Ln(pdfLine + 2)
}

// bolOrders prints the customer order information.
func bolOrders(pdf *fpdf.Fpdf, d bolDoc) {
	var rows [][]string
	for _, o := range d.Orders {
		rows = append(rows, []string{o.OrderID, o.PO, consigneeLine(o.Consignee), strconv.Itoa(o.Cartons), tableLB(o.Grams), tableKG(o.Grams), "N"})
	}
	bolTable(pdf, "CUSTOMER ORDER INFORMATION",
		[]float64{28, 30, 74, 14, 18, 18, 9.9}, "LLLRRRC",
		[]string{"Order number", "PO number", "Consignee", "# Pkgs", "Weight lb", "Weight kg", "Pallet/Slip"},
		rows, []string{"Grand total", "", fmt.Sprintf("%d orders", len(d.Orders)), strconv.Itoa(d.Cartons), tableLB(d.Grams), tableKG(d.Grams), ""})
}

// consigneeLine is a consignee on one line.
func consigneeLine(a domain.Address) string {
	var parts []string
	for _, s := range []string{a.Name, a.City, a.Postal, a.Country} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// bolCarrierInfo prints the carrier information, one line per class.
func bolCarrierInfo(pdf *fpdf.Fpdf, d bolDoc) {
	var rows [][]string
	for _, c := range d.Classes {
		hm := ""
		if c.Hazmat {
			hm = "X"
		}
		class := c.Class
		if class == "" {
			class = "n/a"
		}
		n := strconv.Itoa(c.Cartons)
		rows = append(rows, []string{n, "CTN", n, "CTN", tableLB(c.Grams), tableKG(c.Grams), hm, strings.Join(c.Commodities, "; "), class})
	}
	n := strconv.Itoa(d.Cartons)
	bolTable(pdf, "CARRIER INFORMATION",
		[]float64{13, 11, 13, 11, 18, 18, 9, 81.9, 17}, "RCRCRRCLC",
		[]string{"HU qty", "Type", "Pkg qty", "Type", "Weight lb", "Weight kg", "H.M.", "Commodity description", "NMFC class"},
		rows, []string{n, "CTN", n, "CTN", tableLB(d.Grams), tableKG(d.Grams), "", "Grand total", ""})
}

// bolShort notes the cartons the load was closed without.
func bolShort(pdf *fpdf.Fpdf, d bolDoc, ov *domain.LoadOverride) {
	if len(d.Short) == 0 {
		return
	}
	pdf.SetFont(pdfFont, "B", 9)
	pdf.CellFormat(0, pdfLine, fmt.Sprintf("SHORT: %d planned carton(s) not loaded", len(d.Short)), "", 1, "L", false, 0, "")
	pdf.SetFont(pdfFont, "", 8)
	if ov != nil {
		pdf.MultiCell(0, 4, pdfText("Short close allowed by "+ov.LeadID+": "+ov.Reason), "", "L", false)
	}
	for _, s := range d.Short {
		pdf.CellFormat(0, 4, pdfText("SSCC "+s.SSCC+"  order "+s.OrderID), "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)
}

// bolSignatures prints the shipper's and the carrier's signature boxes.
func bolSignatures(pdf *fpdf.Fpdf) {
	const h = 30
	if _, pageH := pdf.GetPageSize(); pdf.GetY()+h > pageH-pdfMargin-6 {
		pdf.AddPage()
	}
	half := pdfWidth / 2
	y := pdf.GetY() + 2
	sign := func(x float64, caption, text string) {
		pdf.Rect(x, y, half, h, "D")
		pdf.SetXY(x+1.5, y+1)
		pdf.SetFont(pdfFont, "B", 8)
		pdf.CellFormat(half-3, 4, caption, "", 2, "L", false, 0, "")
		pdf.SetFont(pdfFont, "", 7)
		pdf.MultiCell(half-3, 3.5, text, "", "L", false)
		pdf.SetXY(x+1.5, y+h-6)
		pdf.SetFont(pdfFont, "", 8)
		pdf.CellFormat(half-3, 4, "Signature: ______________________  Date: __________", "", 0, "L", false, 0, "")
	}
	sign(pdfMargin, "SHIPPER SIGNATURE / DATE",
		"This is to certify that the above named materials are properly classified, packaged, marked and labeled, and are in proper condition for transportation according to the applicable regulations. Trailer loaded and freight counted by shipper.")
	sign(pdfMargin+half, "CARRIER SIGNATURE / PICKUP DATE",
		"Carrier acknowledges receipt of packages and required placards. Property described above is received in good order, except as noted.")
	pdf.SetXY(pdfMargin, y+h)
}

// fitText is s sanitised and cut with "..." to print within w mm in the
// current font.
func fitText(pdf *fpdf.Fpdf, s string, w float64) string {
	t := pdfText(s)
	if pdf.GetStringWidth(t) <= w {
		return t
	}
	for len(t) > 0 && pdf.GetStringWidth(t+"...") > w {
		t = t[:len(t)-1]
	}
	return t + "..."
}

// pdfText is s in the single-byte encoding of the core fonts: Latin-1
// characters as their byte, control characters as a space, anything else
// (including C1 controls) as '?'.
func pdfText(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7F:
			b = append(b, ' ')
		case r < 0x7F || r >= 0xA0 && r <= 0xFF:
			b = append(b, byte(r))
		case unicode.IsSpace(r):
			b = append(b, ' ')
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}

// tableLB and tableKG are a weight in pounds and kilograms for the bill of
// lading's tables: always two decimals, so the columns line up.
func tableLB(grams int) string { return strconv.FormatFloat(float64(grams)/453.59237, 'f', 2, 64) }

func tableKG(grams int) string { return strconv.FormatFloat(float64(grams)/1000, 'f', 2, 64) }
