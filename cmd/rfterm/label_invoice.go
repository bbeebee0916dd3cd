package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl/label"
)

// maxSiteBytes bounds a site file read by rfterm label invoice.
const maxSiteBytes = 16 << 20

// invoiceKind is `rfterm label invoice --order ID …`: the commercial invoice
// of an order shipped whole in one carton, from a site's item master (the
// demo site's by default), for trying the invoice without packing.
func invoiceKind(fs *flag.FlagSet) func() (label.Builder, error) {
	site := fs.String("site", "demo", `site JSON with the items and the order ("demo": the embedded demo site)`)
	order := fs.String("order", "", "order id, e.g. SO-10016 (the demo's order to Zürich)")
	ref := domain.InvoiceRef{Shipper: domain.Address{Name: "Demo DC", Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}}
	fs.StringVar(&ref.Number, "number", "", `invoice number (default "CI-" and the order id)`)
	fs.StringVar(&ref.Date, "date", "", "invoice date YYYY-MM-DD (default today)")
	fs.StringVar(&ref.Incoterm, "incoterm", domain.DefaultIncoterm, "Incoterms 2020 rule")
	fs.Var(addressFlag{&ref.Shipper}, "from", "shipper (exporter) address: Name|Street|Postal|City|Country")
	gross := fs.Int("gross-g", 0, "the carton's weight in grams (default: the items' net weight)")
	return func() (label.Builder, error) {
		s, err := loadSite(*site)
		if err != nil {
			return nil, err
		}
		var o *domain.Order
		for i := range s.Orders {
			if s.Orders[i].ID == *order {
				o = &s.Orders[i]
			}
		}
		if o == nil {
			return nil, fmt.Errorf("%w: no order %q in site %s", label.ErrInput, *order, *site)
		}
		if ref.Number == "" {
			ref.Number = "CI-" + o.ID
		}
		if ref.Date == "" {
			ref.Date = time.Now().Format(time.DateOnly)
		}
		items := map[string]domain.Item{}
		for _, it := range s.Items {
			items[it.SKU] = it
		}
		if *gross < 0 || *gross > 10_000_000 {
			return nil, fmt.Errorf("%w: --gross-g %d", label.ErrInput, *gross)
		}
		carton := domain.PackCarton{OrderID: o.ID, WeightGrams: *gross}
		net := 0
		for _, l := range o.Lines {
			carton.Contents = append(carton.Contents, domain.CartonContent{Line: l.Line, SKU: l.SKU, Qty: l.Qty})
			net += items[l.SKU].WeightGrams * min(max(l.Qty, 0), 1_000_000)
		}
		if carton.WeightGrams == 0 {
			carton.WeightGrams = min(net, 10_000_000)
		}
		inv, err := domain.NewCustomsInvoice(ref, o.ID, o.ShipTo, []domain.PackCarton{carton}, items)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", label.ErrInput, err)
		}
		return label.CommercialInvoice{Invoice: inv}, nil
	}
}

// loadSite reads a site file, or the embedded demo site.
func loadSite(name string) (domain.Site, error) {
	if name == "demo" {
		return demodata.Site()
	}
	f, err := os.Open(name)
	if err != nil {
		return domain.Site{}, fmt.Errorf("site: %w", err)
	}
	defer f.Close()
	var s domain.Site
	if err := json.NewDecoder(io.LimitReader(f, maxSiteBytes)).Decode(&s); err != nil {
		return domain.Site{}, fmt.Errorf("site %s: %w", name, err)
	}
	return s, nil
}
