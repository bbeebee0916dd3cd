package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrCustoms is wrapped by errors about customs data: an item without its HS
// code, origin or value, an invoice that cannot be made.
var ErrCustoms = errors.New("customs data")

// Customs is what a customs declaration needs of an item: its tariff number,
// where it was made and what one unit is worth. It is part of the item
// master (embedded in Item); an item without it cannot go on a commercial
// invoice.
type Customs struct {
	// HSCode is the item's tariff number: the 6-digit Harmonized System
	// code, or a national extension of it (8–10 digits), digits only.
	HSCode string `json:"hs_code,omitempty"`
	// Origin is the country of origin, ISO 3166-1 alpha-2 ("CN").
	Origin string `json:"origin_country,omitempty"`
	// ValueCents is one unit's customs value in hundredths of Currency.
	ValueCents int64 `json:"customs_value_cents,omitempty"`
	// Currency is the value's ISO 4217 alphabetic code ("EUR").
	Currency string `json:"customs_currency,omitempty"`
}

// Bounds on customs figures, so sums stay far inside int64.
const (
	MaxCustomsValueCents = 100_000_000 // one unit: 1,000,000.00
	maxInvoiceQty        = 1_000_000   // units of one line
	maxInvoiceLines      = 1000
	maxCartonGrams       = 10_000_000
	maxInvoiceText       = 35 // invoice number
)

// Incoterms are the Incoterms 2020 rules an invoice may name.
var incoterms = []string{"EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"}

// DefaultIncoterm is the delivery term of an invoice that names none:
// delivered at place, duties unpaid (the consignee clears the goods).
const DefaultIncoterm = "DAP"

// IsIncoterm reports whether s is an Incoterms 2020 rule ("DAP").
func IsIncoterm(s string) bool {
	for _, t := range incoterms {
		if s == t {
			return true
		}
	}
	return false
}

// Missing lists what of the customs data is absent, empty when complete.
func (c Customs) Missing() []string {
	var out []string
	if c.HSCode == "" {
		out = append(out, "HS code")
	}
	if c.Origin == "" {
		out = append(out, "country of origin")
	}
	if c.ValueCents == 0 {
		out = append(out, "customs value")
	}
	if c.Currency == "" {
		out = append(out, "currency")
	}
	return out
}

// Validate checks the customs data that is there: an HS code of 6–10 digits,
// a country of two and a currency of three upper-case letters, a value of
// 0.01 to 1,000,000.00. Absent data is not an error here (see Missing). The
// hub checks the country and currency against the ISO lists when it is
// seeded (the vocabulary depends on no code list).
func (c Customs) Validate() error {
	if c.HSCode != "" && (len(c.HSCode) < 6 || len(c.HSCode) > 10 || strings.Trim(c.HSCode, "0123456789") != "") {
		return fmt.Errorf("%w: HS code %q must be 6 to 10 digits", ErrCustoms, c.HSCode)
	}
	if c.Origin != "" && !upperLetters(c.Origin, 2) {
		return fmt.Errorf("%w: country of origin %q is not an ISO 3166 alpha-2 code", ErrCustoms, c.Origin)
	}
	if c.Currency != "" && !upperLetters(c.Currency, 3) {
		return fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrCustoms, c.Currency)
	}
	if c.ValueCents < 0 || c.ValueCents > MaxCustomsValueCents {
		return fmt.Errorf("%w: customs value %d hundredths is not 0 to %d", ErrCustoms, c.ValueCents, int64(MaxCustomsValueCents))
	}
	return nil
}

// International reports whether a shipment from one address to another
// crosses a border: both countries known and different. (Within a customs
// union no declaration is needed, but the parcel is still international.)
func International(from, to Address) bool {
	f, t := strings.TrimSpace(from.Country), strings.TrimSpace(to.Country)
	return f != "" && t != "" && !strings.EqualFold(f, t)
}

// InvoiceRef is what the pack station says of the commercial invoice it
// printed for a shipment; the rest (lines, values, weights) follows from the
// cartons and the item master (NewCustomsInvoice). It rides on ShipConfirm.
type InvoiceRef struct {
	Number   string  `json:"number"`             // the invoice number, unique per shipper
	Date     string  `json:"date"`               // YYYY-MM-DD
	Incoterm string  `json:"incoterm,omitempty"` // Incoterms 2020; empty: DefaultIncoterm
	Shipper  Address `json:"shipper"`            // the exporter: the site
}

// CustomsInvoice is a shipment's commercial invoice: the data the printed
// invoice shows and the hub keeps with the shipment.
type CustomsInvoice struct {
	Number     string        `json:"number"`
	Date       string        `json:"date"`
	Incoterm   string        `json:"incoterm"`
	Currency   string        `json:"currency"`
	OrderID    string        `json:"order_id"`
	Shipper    Address       `json:"shipper"`
	Consignee  Address       `json:"consignee"`
	Lines      []InvoiceLine `json:"lines"`
	ValueCents int64         `json:"value_cents"` // the lines' values added up
	NetGrams   int64         `json:"net_g"`       // the items' unit weights × quantities
	GrossGrams int64         `json:"gross_g"`     // the cartons as weighed
	Cartons    int           `json:"cartons"`
}

// InvoiceLine is one item on a commercial invoice, its quantity over every
// carton of the shipment.
type InvoiceLine struct {
	SKU         string `json:"sku"`
	Description string `json:"description"`
	HSCode      string `json:"hs_code"`
	Origin      string `json:"origin_country"`
	Qty         int    `json:"qty"`
	UnitCents   int64  `json:"unit_value_cents"`
	ValueCents  int64  `json:"value_cents"`
}

// Units is the invoice's units over every line.
func (inv CustomsInvoice) Units() int {
	n := 0
	for _, l := range inv.Lines {
		n += l.Qty
	}
	return n
}

// NewCustomsInvoice makes the commercial invoice of a shipment: one line per
// item over every carton (in the order the items were first packed), each
// with its HS code, origin and value from the item master, the totals, and
// the cartons' weights. It is refused, naming every item concerned, when an
// item lacks customs data; and when the items' values are in more than one
// currency, the invoice reference is incomplete, or a figure is out of
// bounds.
func NewCustomsInvoice(ref InvoiceRef, orderID string, consignee Address, cartons []PackCarton, items map[string]Item) (CustomsInvoice, error) {
	inv := CustomsInvoice{Number: strings.TrimSpace(ref.Number), Date: ref.Date, Incoterm: ref.Incoterm, OrderID: orderID,
		Shipper: ref.Shipper, Consignee: consignee, Cartons: len(cartons), Lines: []InvoiceLine{}}
	if inv.Incoterm == "" {
		inv.Incoterm = DefaultIncoterm
	}
	if err := inv.checkHead(); err != nil {
		return CustomsInvoice{}, err
	}
	index := map[string]int{}
	var missing []string
	for _, c := range cartons {
		if c.WeightGrams < 0 || c.WeightGrams > maxCartonGrams {
			return CustomsInvoice{}, fmt.Errorf("%w: carton %s weighs %d g", ErrCustoms, c.SSCC, c.WeightGrams)
		}
		inv.GrossGrams += int64(c.WeightGrams)
		for _, ct := range c.Contents {
			if ct.Qty <= 0 || ct.Qty > maxInvoiceQty {
				return CustomsInvoice{}, fmt.Errorf("%w: %s quantity %d is not 1 to %d", ErrCustoms, ct.SKU, ct.Qty, maxInvoiceQty)
			}
			i, seen := index[ct.SKU]
			if !seen {
				it, ok := items[ct.SKU]
				if !ok {
					return CustomsInvoice{}, fmt.Errorf("%w: no item master data for %s", ErrCustoms, ct.SKU)
				}
				if m := it.Customs.Missing(); len(m) > 0 {
					missing = append(missing, ct.SKU+" ("+strings.Join(m, ", ")+")")
				}
				if err := it.Customs.Validate(); err != nil {
					return CustomsInvoice{}, fmt.Errorf("item %s: %w", ct.SKU, err)
				}
				i, index[ct.SKU] = len(inv.Lines), len(inv.Lines)
				inv.Lines = append(inv.Lines, InvoiceLine{SKU: it.SKU, Description: it.Description, HSCode: it.HSCode,
					Origin: it.Origin, UnitCents: it.ValueCents})
				if len(inv.Lines) > maxInvoiceLines {
					return CustomsInvoice{}, fmt.Errorf("%w: over %d items", ErrCustoms, maxInvoiceLines)
				}
			}
			if inv.Lines[i].Qty += ct.Qty; inv.Lines[i].Qty > maxInvoiceQty {
				return CustomsInvoice{}, fmt.Errorf("%w: %s quantity over %d", ErrCustoms, ct.SKU, maxInvoiceQty)
			}
		}
	}
	if len(missing) > 0 {
		return CustomsInvoice{}, fmt.Errorf("%w: no commercial invoice: %d item(s) lack customs data in the item master: %s", ErrCustoms, len(missing), strings.Join(missing, "; "))
	}
	if len(inv.Lines) == 0 {
		return CustomsInvoice{}, fmt.Errorf("%w: the shipment's cartons hold nothing", ErrCustoms)
	}
	for i := range inv.Lines {
		l := &inv.Lines[i]
		cur := items[l.SKU].Currency
		switch {
		case inv.Currency == "":
			inv.Currency = cur
		case cur != inv.Currency:
			return CustomsInvoice{}, fmt.Errorf("%w: %s is valued in %s, the invoice in %s: one invoice takes one currency", ErrCustoms, l.SKU, cur, inv.Currency)
		}
		l.ValueCents = l.UnitCents * int64(l.Qty)
		inv.ValueCents += l.ValueCents
		inv.NetGrams += int64(items[l.SKU].WeightGrams) * int64(l.Qty)
	}
	return inv, nil
}

// checkHead checks the invoice's number, date, Incoterm and parties.
func (inv CustomsInvoice) checkHead() error {
	switch {
	case inv.Number == "" || len(inv.Number) > maxInvoiceText:
		return fmt.Errorf("%w: invoice number %q must be 1 to %d characters", ErrCustoms, inv.Number, maxInvoiceText)
	case !IsIncoterm(inv.Incoterm):
		return fmt.Errorf("%w: %q is not an Incoterms 2020 rule (%s)", ErrCustoms, inv.Incoterm, strings.Join(incoterms, ", "))
	case inv.Shipper.Name == "" || !upperLetters(inv.Shipper.Country, 2):
		return fmt.Errorf("%w: the shipper needs a name and an ISO 3166 country (got %q, %q)", ErrCustoms, inv.Shipper.Name, inv.Shipper.Country)
	case inv.Consignee.Name == "" || !upperLetters(inv.Consignee.Country, 2):
		return fmt.Errorf("%w: the consignee needs a name and an ISO 3166 country (got %q, %q)", ErrCustoms, inv.Consignee.Name, inv.Consignee.Country)
	}
	if _, err := time.Parse(time.DateOnly, inv.Date); err != nil {
		return fmt.Errorf("%w: invoice date %q is not YYYY-MM-DD", ErrCustoms, inv.Date)
	}
	return nil
}

// upperLetters reports whether s is n letters A to Z: the shape of an ISO
// country (2) or currency (3) code.
func upperLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
