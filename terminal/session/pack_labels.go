package session

import (
	"fmt"

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
	var (
		zplData []byte
		err     error
		name    string
	)
	switch job.Label {
	case flow.LabelSSCC:
		name = fmt.Sprintf("SSCC %s (%d of %d)", c.SSCC, c.N, c.Of)
		zplData, err = label.Logistic{SSCC: c.SSCC, Supplier: s.cfg.Pack.ShipFrom, ShipTo: job.ShipTo,
			Carrier: s.cfg.Pack.Carrier, Service: s.cfg.Pack.Service, Content: w.content(c), Carton: c.N, Cartons: c.Of}.Build(s.dpi())
	case flow.LabelShipping:
		name = fmt.Sprintf("shipping %s (%d of %d)", c.OrderID, c.N, c.Of)
		// No carrier tracking number yet: the label carries the SSCC as text and
		// points to the logistic label, never a second, non-GS1 barcode of it.
		zplData, err = label.Shipping{From: s.cfg.Pack.ShipFrom, To: job.ShipTo, Carrier: s.cfg.Pack.Carrier, Service: s.cfg.Pack.Service,
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
