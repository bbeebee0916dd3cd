package flow

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rfterm/rfterm/domain"
)

func TestPackInternationalAndInvoice(t *testing.T) {
	from := domain.Address{Name: "Demo DC", Country: "NL"}
	p := &Pack{OrderID: "SO-10016", ShipTo: domain.Address{Name: "Alpen Werkzeug AG", Country: "CH"},
		Items: map[string]domain.Item{
			"CH-1800": {SKU: "CH-1800", Description: "Fast charger 18V", WeightGrams: 540, Customs: domain.Customs{HSCode: "85044095", Origin: "CN", ValueCents: 4490, Currency: "EUR"}},
			"SF-0202": {SKU: "SF-0202", Description: "Ear defenders"},
		},
		Cartons: []Carton{{SSCC: "106141410000000017", WeightGrams: 900, Contents: []domain.CartonContent{{Line: 2, SKU: "CH-1800", Qty: 1}}}},
	}
	if !p.International(from) {
		t.Error("NL to CH is international")
	}
	if (&Pack{OrderID: "SO-1", ShipTo: domain.Address{Country: "NL"}}).International(from) || (&Pack{}).International(from) {
		t.Error("NL to NL, or no order, is not")
	}
	ref := domain.InvoiceRef{Number: "CI-SO-10016", Date: "2026-03-02", Shipper: from}
	inv, err := p.Invoice(ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Lines) != 1 || inv.ValueCents != 4490 || inv.GrossGrams != 900 || inv.Consignee.Country != "CH" {
		t.Errorf("invoice %+v", inv)
	}
	p.SetInvoice(ref)
	sc, ok := p.confirm(time.Time{}).Events[0].Payload.(domain.ShipConfirm)
	if !ok || sc.Invoice == nil || sc.Invoice.Number != "CI-SO-10016" {
		t.Errorf("the ship confirmation carries the invoice: %+v", sc)
	}
	p.Cartons[0].Contents = append(p.Cartons[0].Contents, domain.CartonContent{Line: 3, SKU: "SF-0202", Qty: 1})
	if _, err := p.Invoice(ref); !errors.Is(err, domain.ErrCustoms) || !strings.Contains(err.Error(), "SF-0202") {
		t.Errorf("an item without customs data: %v", err)
	}
}
