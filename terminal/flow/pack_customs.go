package flow

import "github.com/rfterm/rfterm/domain"

// International reports whether the order being packed leaves the country
// it ships from (the station's ship-from address, which the session holds):
// its shipment then needs a commercial invoice (label.CommercialInvoice).
func (p *Pack) International(from domain.Address) bool {
	return p.OrderID != "" && domain.International(from, p.ShipTo)
}

// Invoice is the commercial invoice of the cartons closed so far, made from
// the items of the order (domain.NewCustomsInvoice): an item without customs
// data refuses it, naming the item.
func (p *Pack) Invoice(ref domain.InvoiceRef) (domain.CustomsInvoice, error) {
	return domain.NewCustomsInvoice(ref, p.OrderID, p.ShipTo, p.cartonsOut(), p.Items)
}

// SetInvoice records the commercial invoice printed for the shipment: the
// ship confirmation carries it, and the hub keeps the invoice's data with
// the shipment.
func (p *Pack) SetInvoice(ref domain.InvoiceRef) {
	p.InvoiceRef = &ref
}
