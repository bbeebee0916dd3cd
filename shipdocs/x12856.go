package shipdocs

import (
	"fmt"
	"strconv"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/shipdocs/x12"
)

// X12856 is the shipment's ASN as one ANSI X12 856 interchange (ISA…IEA),
// version 004010, in the standard pick and pack hierarchy (BSN05 0001):
//
//	HL S  shipment: TD1 (cartons, gross lb), TD5 (SCAC), TD3 (trailer, seal),
//	      REF*BM (the load id), REF*CN (PRO), N1*SF and N1*ST with N3/N4
//	HL O  order, parent the S: PRF (PO), REF*VN (the order id)
//	HL P  each carton that went on the load, parent the O: MAN*GM (SSCC), TD1
//	HL I  each item, parent its P: LIN, SN1 (EA), PID (description)
//
// Items: LIN01 is the order line number, then UK (the GTIN-14) and VP (the
// SKU). A lot-tracked line has one item HL per lot with LT and the lot in
// LIN08/LIN09 and that lot's quantity in SN1; a serial-tracked line has one
// item HL whose serials follow as REF*SE, one each.
//
// CTT01 is the number of line items, that is of LIN segments (item HLs);
// CTT02 the hash total of the SN102 quantities.
//
// Delimiters: '*' elements, '>' components (ISA16), '~' segments, each
// followed by a newline that is not part of it (see package x12). X12 has
// no escape: an identifier holding a delimiter, a control character or a
// byte outside ASCII is refused with ErrInput, free text (names, streets)
// is cleaned (x12.Text). Dates and times are UTC.
func X12856(a ASN) ([]byte, error) {
	doc, err := prepareASN(a)
	if err != nil {
		return nil, err
	}
	b, err := x12Write(a, doc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	return b, nil
}

// x12Write writes the interchange of a checked ASN.
func x12Write(a ASN, doc asnDoc) ([]byte, error) {
	isa, gsFrom, gsTo, err := x12Envelope(a)
	if err != nil {
		return nil, err
	}
	f := fieldsOf(x12.ID)
	shipID := f.id("shipment id", doc.ShipmentID, 30)
	loadID := f.id("load id", a.Load.ID, 30)
	po := f.id("PO", a.Shipment.Order.PO, 22)
	orderID := f.id("order id", a.Shipment.Order.ID, 30)
	trailer := f.opt("trailer", a.Load.Trailer, 10)
	seal := f.opt("seal", a.Load.Seal, 15)
	pro := f.opt("PRO", a.Load.PRO, 30)
	if f.err != nil {
		return nil, f.err
	}
	at := a.IssuedAt.UTC()
	var w x12.Writer
	w.Raw(isa)
	w.Segment("GS", "SH", gsFrom, gsTo, at.Format("20060102"), at.Format("1504"), strconv.FormatInt(a.Controls.Group, 10), "X", "004010")
	st := w.Count()
	set := fmt.Sprintf("%04d", a.Controls.Set)
	w.Segment("ST", "856", set)
	w.Segment("BSN", "00", shipID, at.Format("20060102"), at.Format("1504"), "0001")
	w.Segment("DTM", "011", doc.Shipped.Format("20060102"), doc.Shipped.Format("1504"))
	hl := 1
	w.Segment("HL", "1", "", "S")
	w.Segment("TD1", "CTN25", strconv.Itoa(len(doc.Cartons)), "", "", "", "G", x12Weight(doc.Grams), x12WeightUnit(doc.Grams))
	w.Segment("TD5", "B", "2", a.Carrier.SCAC)
	if trailer != "" || seal != "" {
		w.Segment("TD3", "TL", "", trailer, "", "", "", "", "", seal)
	}
	w.Segment("REF", "BM", loadID)
	if pro != "" {
		w.Segment("REF", "CN", pro)
	}
	x12Party(&w, "SF", a.ShipFrom, a.Sender.GLN)
	x12Party(&w, "ST", a.Shipment.Order.ShipTo, "")
	hl++
	order := hl
	w.Segment("HL", strconv.Itoa(order), "1", "O")
	w.Segment("PRF", po)
	w.Segment("REF", "VN", orderID)
	lines, units := 0, 0
	for _, c := range doc.Cartons {
		hl++
		pack := hl
		w.Segment("HL", strconv.Itoa(pack), strconv.Itoa(order), "P")
		w.Segment("TD1", "CTN25", "1", "", "", "", "G", x12Weight(c.Grams), x12WeightUnit(c.Grams))
		w.Segment("MAN", "GM", c.SSCC)
		for _, it := range c.Items {
			hl++
			lines++
			units += it.Qty
			if err := x12Item(&w, hl, pack, it); err != nil {
				return nil, err
			}
		}
	}
	w.Segment("CTT", strconv.Itoa(lines), strconv.Itoa(units))
	w.Segment("SE", strconv.Itoa(w.Count()-st+1), set)
	w.Segment("GE", "1", strconv.FormatInt(a.Controls.Group, 10))
	w.Segment("IEA", "1", fmt.Sprintf("%09d", a.Controls.Interchange))
	return w.Bytes()
}

// x12Item writes one item level: HL, LIN, SN1, PID and the serials.
func x12Item(w *x12.Writer, hl, parent int, it asnItem) error {
	f := fieldsOf(x12.ID)
	sku := f.id("SKU", it.SKU, 48)
	lot := f.opt("lot", it.Lot, 48)
	serials := make([]string, len(it.Serials))
	for i, s := range it.Serials {
		serials[i] = f.id("serial", s, 30)
	}
	if f.err != nil {
		return f.err
	}
	w.Segment("HL", strconv.Itoa(hl), strconv.Itoa(parent), "I")
	lin := []string{strconv.Itoa(it.Line), "UK", it.GTIN, "VP", sku}
	if lot != "" {
		lin = append(lin, "LT", lot)
	}
	w.Segment("LIN", lin...)
	w.Segment("SN1", "", strconv.Itoa(it.Qty), "EA")
	if d := x12.Text(it.Description, 80); d != "" {
		w.Segment("PID", "F", "", "", "", d)
	}
	for _, s := range serials {
		w.Segment("REF", "SE", s)
	}
	return nil
}

// x12Envelope checks the identities and formats the ISA, with GS02/GS03.
func x12Envelope(a ASN) (isa, gsFrom, gsTo string, err error) {
	f := fieldsOf(x12.ID)
	sq := f.id("sender ISA qualifier", a.Sender.X12Qualifier, 2)
	sid := f.id("sender ISA id", a.Sender.X12ID, 15)
	rq := f.id("partner ISA qualifier", a.Partner.X12Qualifier, 2)
	rid := f.id("partner ISA id", a.Partner.X12ID, 15)
	gsFrom = f.id("sender GS id", firstNonEmpty(a.Sender.X12AppID, a.Sender.X12ID), 15)
	gsTo = f.id("partner GS id", firstNonEmpty(a.Partner.X12AppID, a.Partner.X12ID), 15)
	if f.err != nil {
		return "", "", "", f.err
	}
	if len(sq) != 2 || len(rq) != 2 {
		return "", "", "", fmt.Errorf("%w: ISA qualifiers %q and %q must be 2 characters", x12.ErrData, sq, rq)
	}
	if len(gsFrom) < 2 || len(gsTo) < 2 {
		return "", "", "", fmt.Errorf("%w: GS application codes %q and %q must be 2 to 15 characters", x12.ErrData, gsFrom, gsTo)
	}
	usage := "P"
	if a.Sender.Test {
		usage = "T"
	}
	at := a.IssuedAt.UTC()
	isa = fmt.Sprintf("ISA*00*%10s*00*%10s*%s*%-15s*%s*%-15s*%s*%s*U*00401*%09d*0*%s*%c",
		"", "", sq, sid, rq, rid, at.Format("060102"), at.Format("1504"), a.Controls.Interchange, usage, x12.ComponentSep)
	return isa, gsFrom, gsTo, nil
}

// x12Party writes N1 (with the GLN as UL where given), N3 and N4.
func x12Party(w *x12.Writer, code string, ad domain.Address, gln string) {
	name := x12.Text(ad.Name, 60)
	if gln != "" {
		w.Segment("N1", code, name, "UL", gln)
	} else {
		w.Segment("N1", code, name)
	}
	if s := x12.Text(ad.Street, 55); s != "" {
		w.Segment("N3", s)
	}
	city, postal, country := x12.Text(ad.City, 30), x12.Text(ad.Postal, 15), x12.Text(ad.Country, 3)
	if city != "" || postal != "" || country != "" {
		w.Segment("N4", city, "", postal, country)
	}
}

// x12Weight is a TD107 weight in pounds, empty when unknown (zero).
func x12Weight(grams int) string {
	if grams == 0 {
		return ""
	}
	return pounds(grams)
}

// x12WeightUnit is TD108, LB with a weight.
func x12WeightUnit(grams int) string {
	if grams == 0 {
		return ""
	}
	return "LB"
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// fields checks a run of values with one checker and keeps the first error.
type fields struct {
	check func(name, v string, max int) (string, error)
	err   error
}

// fieldsOf starts a run of checks with check (x12.ID or edifact.ID).
func fieldsOf(check func(name, v string, max int) (string, error)) *fields {
	return &fields{check: check}
}

// id checks a required identifier.
func (f *fields) id(name, v string, max int) string {
	if f.err != nil {
		return ""
	}
	out, err := f.check(name, v, max)
	if err != nil {
		f.err = err
	}
	return out
}

// opt checks an identifier that may be empty.
func (f *fields) opt(name, v string, max int) string {
	if v == "" {
		return ""
	}
	return f.id(name, v, max)
}
