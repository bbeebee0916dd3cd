package session

import (
	"fmt"
	"time"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/zpl/label"
	"github.com/rfterm/rfterm/zpl/spool"
)

// printPackLabel builds one of a carton's labels and hands it to the spool,
// which keeps it until the printer takes it.
func (w *packWork) printPackLabel(job flow.PrintJob) {
	s := w.s
	c := job.Carton
	carrier, service := w.carrier()
	var (
		zplData []byte
		err     error
		name    string
	)
	switch job.Label {
	case flow.LabelSSCC:
		name = fmt.Sprintf("SSCC %s (%d of %d)", c.SSCC, c.N, c.Of)
		zplData, err = label.Logistic{SSCC: c.SSCC, Supplier: s.cfg.Pack.ShipFrom, ShipTo: job.ShipTo,
			Carrier: carrier, Service: service, Content: w.content(c), Carton: c.N, Cartons: c.Of}.Build(s.dpi())
	case flow.LabelShipping:
		name = fmt.Sprintf("shipping %s (%d of %d)", c.OrderID, c.N, c.Of)
		// No carrier tracking number yet: the label carries the SSCC as text and
		// points to the logistic label, never a second, non-GS1 barcode of it.
		zplData, err = label.Shipping{From: s.cfg.Pack.ShipFrom, To: job.ShipTo, Carrier: carrier, Service: service,
			SSCC: c.SSCC, Order: c.OrderID, WeightGrams: c.WeightGrams, Carton: c.N, Cartons: c.Of}.Build(s.dpi())
	case flow.LabelPackingList:
		name = fmt.Sprintf("packing list %s (%d of %d)", c.OrderID, c.N, c.Of)
		pl := label.PackingList{Order: c.OrderID, ShipTo: job.ShipTo, Carton: c.N, Cartons: c.Of}
		for _, ct := range c.Contents {
			pl.Lines = append(pl.Lines, label.PackingLine{SKU: ct.SKU, Description: w.pack.Items[ct.SKU].Description, Qty: ct.Qty})
		}
		zplData, err = pl.Build(s.dpi())
	default:
		err = fmt.Errorf("unknown label %q", job.Label)
	}
	if err != nil {
		s.fail("LABEL NOT MADE", name+": "+err.Error())
		return
	}
	if s.cfg.Printer == nil {
		s.fail("NO PRINTER", "This station has no printer configured: "+name+" not printed.")
		return
	}
	id, err := s.cfg.Printer.Submit(spool.Request{Name: name, ZPL: zplData})
	if err != nil {
		s.fail("NOT QUEUED", name+": "+err.Error())
		return
	}
	s.cfg.Log.Info("pack label queued", "job", id, "label", name)
}

// content is what the logistic label says a homogeneous carton holds (one
// trade item, its GTIN and count), nil for a mixed carton or an item with
// no GTIN.
func (w *packWork) content(c domain.PackCarton) *label.Content {
	if len(c.Contents) != 1 {
		return nil
	}
	ct := c.Contents[0]
	it := w.pack.Items[ct.SKU]
	if it.GTIN == "" || ct.Qty <= 0 {
		return nil
	}
	return &label.Content{GTIN: it.GTIN, Description: it.Description, Count: ct.Qty}
}

// invoiceIfDue prints the commercial invoice of a complete shipment that
// crosses a border, once, before the packer confirms it; the ship
// confirmation then names it and the hub keeps it with the shipment.
func (w *packWork) invoiceIfDue() {
	s, p := w.s, w.pack
	if p == nil || p.Step != flow.PackStepConfirm || p.InvoiceRef != nil || !p.International(s.cfg.Pack.ShipFrom) {
		return
	}
	ref := domain.InvoiceRef{Number: "CI-" + p.OrderID, Date: s.cfg.Now().Format(time.DateOnly), Incoterm: s.cfg.Pack.Incoterm, Shipper: s.cfg.Pack.ShipFrom}
	inv, err := p.Invoice(ref)
	if err != nil {
		s.fail("NO CUSTOMS INVOICE", err.Error())
		return
	}
	name := "commercial invoice " + ref.Number
	data, err := label.CommercialInvoice{Invoice: inv}.Build(s.dpi())
	if err != nil {
		s.fail("INVOICE NOT MADE", name+": "+err.Error())
		return
	}
	if s.cfg.Printer == nil {
		s.fail("NO PRINTER", "This station has no printer configured: "+name+" not printed.")
		return
	}
	if _, err := s.cfg.Printer.Submit(spool.Request{Name: name, ZPL: data}); err != nil {
		s.fail("NOT QUEUED", name+": "+err.Error())
		return
	}
	p.SetInvoice(ref)
	if err := s.commit(w.key(), p, nil); err != nil {
		s.fail("NOT SAVED", err.Error())
	}
	s.cfg.Log.Info("commercial invoice queued", "invoice", ref.Number, "order", p.OrderID)
}

// carrier is the carrier and service the labels name: the order's when it
// names one, else the station's.
func (w *packWork) carrier() (string, string) {
	if w.pack != nil && w.pack.Carrier != "" {
		return w.pack.Carrier, w.pack.Service
	}
	return w.s.cfg.Pack.Carrier, w.s.cfg.Pack.Service
}
