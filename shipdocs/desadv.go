package shipdocs

import (
	"fmt"
	"strconv"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/shipdocs/edifact"
)

// DESADV is the shipment's ASN as one EDIFACT DESADV D.96A interchange
// (UNA, UNB…UNZ) in syntax UNOC version 3:
//
//	BGM+351 (document number: the load id and the order id), DTM+137 (issued),
//	DTM+11 (despatched: the load's close), RFF+ON (PO), RFF+VN (order id),
//	RFF+BM (load id), RFF+CN (PRO), NAD+SU/BY/DP (GLN with code list 9
//	where known, names and addresses), TDT+20 (road, SCAC:172:182 and the
//	carrier's name), EQD+TE (trailer) with SEL (seal)
//	CPS+1         the consignment, PAC with the carton count
//	CPS+n+1       each carton that went on the load: PAC+1++CT, MEA gross
//	              weight (KGM), PCI+33E, GIN+BJ (SSCC)
//	LIN           each item: LIN+n++GTIN:SRV, PIA+1+SKU:SA, IMD, QTY+12,
//	              serials as GIN+BN (one each), RFF+ON:PO:order line, and a
//	              lot as PCI+17 with GIN+BX
//	CNT+2         the number of LIN segments
//
// A lot-tracked line has one LIN per lot with that lot's quantity. The
// service characters + : ' ? in data are released with '?'; characters
// outside ISO 8859-1 become '?'; identifiers longer than their element,
// or holding control characters, are refused with ErrInput. Dates and
// times are UTC. Each segment is followed by a newline (see package
// edifact).
func DESADV(a ASN) ([]byte, error) {
	doc, err := prepareASN(a)
	if err != nil {
		return nil, err
	}
	b, err := desadvWrite(a, doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	return b, nil
}

// desadvWrite writes the interchange of a checked ASN.
func desadvWrite(a ASN, doc asnDoc) ([]byte, error) {
	f := fieldsOf(edifact.ID)
	sid := f.id("sender UNB id", a.Sender.EDIFACTID, 35)
	sq := f.opt("sender UNB qualifier", a.Sender.EDIFACTQualifier, 4)
	rid := f.id("partner UNB id", a.Partner.EDIFACTID, 35)
	rq := f.opt("partner UNB qualifier", a.Partner.EDIFACTQualifier, 4)
	docNo := f.id("document number", doc.ShipmentID, 35)
	po := f.id("PO", a.Shipment.Order.PO, 35)
	orderID := f.id("order id", a.Shipment.Order.ID, 35)
	loadID := f.id("load id", a.Load.ID, 35)
	pro := f.opt("PRO", a.Load.PRO, 35)
	trailer := f.opt("trailer", a.Load.Trailer, 17)
	seal := f.opt("seal", a.Load.Seal, 10)
	if f.err != nil {
		return nil, f.err
	}
	at := a.IssuedAt.UTC()
	icRef := strconv.FormatInt(a.Controls.Interchange, 10)
	msgRef := strconv.FormatInt(a.Controls.Set, 10)
	test := ""
	if a.Sender.Test {
		test = "1"
	}
	e := edifact.E
	var w edifact.Writer
	w.Service()
	w.Segment("UNB", e("UNOC", "3"), e(sid, sq), e(rid, rq), e(at.Format("060102"), at.Format("1504")), e(icRef), nil, nil, nil, nil, nil, e(test))
	unh := w.Count()
	w.Segment("UNH", e(msgRef), e("DESADV", "D", "96A", "UN"))
	w.Segment("BGM", e("351"), e(docNo), e("9"))
	w.Segment("DTM", e("137", at.Format("200601021504"), "203"))
	w.Segment("DTM", e("11", doc.Shipped.Format("200601021504"), "203"))
	w.Segment("RFF", e("ON", po))
	w.Segment("RFF", e("VN", orderID))
	w.Segment("RFF", e("BM", loadID))
	if pro != "" {
		w.Segment("RFF", e("CN", pro))
	}
	edifactParty(&w, "SU", a.ShipFrom, a.Sender.GLN)
	edifactParty(&w, "BY", domain.Address{Name: firstNonEmpty(a.Partner.Name, a.Shipment.Order.Customer)}, a.Partner.GLN)
	edifactParty(&w, "DP", a.Shipment.Order.ShipTo, "")
	w.Segment("TDT", e("20"), nil, e("30"), nil, e(a.Carrier.SCAC, "172", "182", edifact.Text(a.Carrier.Name, 35)))
	if trailer != "" || seal != "" {
		w.Segment("EQD", e("TE"), e(trailer))
		if seal != "" {
			w.Segment("SEL", e(seal))
		}
	}
	w.Segment("CPS", e("1"))
	w.Segment("PAC", e(strconv.Itoa(len(doc.Cartons))), nil, e("CT"))
	lin := 0
	for i, c := range doc.Cartons {
		w.Segment("CPS", e(strconv.Itoa(i+2)), e("1"))
		w.Segment("PAC", e("1"), nil, e("CT"))
		if c.Grams > 0 {
			w.Segment("MEA", e("AAE"), e("G"), e("KGM", kilograms(c.Grams)))
		}
		w.Segment("PCI", e("33E"))
		w.Segment("GIN", e("BJ"), e(c.SSCC))
		for _, it := range c.Items {
			lin++
			if err := desadvItem(&w, lin, po, it); err != nil {
				return nil, err
			}
		}
	}
	w.Segment("CNT", e("2", strconv.Itoa(lin)))
	w.Segment("UNT", e(strconv.Itoa(w.Count()-unh+1)), e(msgRef))
	w.Segment("UNZ", e("1"), e(icRef))
	return w.Bytes()
}

// desadvItem writes one LIN group.
func desadvItem(w *edifact.Writer, n int, po string, it asnItem) error {
	f := fieldsOf(edifact.ID)
	sku := f.id("SKU", it.SKU, 35)
	lot := f.opt("lot", it.Lot, 35)
	serials := make([]string, len(it.Serials))
	for i, s := range it.Serials {
		serials[i] = f.id("serial", s, 35)
	}
	if f.err != nil {
		return f.err
	}
	e := edifact.E
	w.Segment("LIN", e(strconv.Itoa(n)), nil, e(it.GTIN, "SRV"))
	w.Segment("PIA", e("1"), e(sku, "SA"))
	if d := edifact.Text(it.Description, 35); d != "" {
		w.Segment("IMD", e("F"), nil, e("", "", "", d))
	}
	w.Segment("QTY", e("12", strconv.Itoa(it.Qty)))
	for _, s := range serials {
		w.Segment("GIN", e("BN"), e(s))
	}
	w.Segment("RFF", e("ON", po, strconv.Itoa(it.Line)))
	if lot != "" {
		w.Segment("PCI", e("17"))
		w.Segment("GIN", e("BX"), e(lot))
	}
	return nil
}

// edifactParty writes a NAD: the GLN (code list 9) where given, the name
// (C080) and the structured address.
func edifactParty(w *edifact.Writer, code string, ad domain.Address, gln string) {
	e := edifact.E
	var id edifact.Element
	if gln != "" {
		id = e(gln, "", "9")
	}
	name := edifact.Text(ad.Name, 35)
	w.Segment("NAD", e(code), id, nil, e(name), e(edifact.Text(ad.Street, 35)), e(edifact.Text(ad.City, 35)), nil,
		e(edifact.Text(ad.Postal, 9)), e(edifact.Text(ad.Country, 3)))
}
