package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var (
	invShipper   = Address{Name: "Demo DC", Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}
	invConsignee = Address{Name: "Alpen Werkzeug AG", Street: "Hardturmstrasse 161", City: "Zürich", Postal: "8005", Country: "CH"}
	invItems     = map[string]Item{
		"HX-4412": {SKU: "HX-4412", Description: "Hex bolt M10x50", WeightGrams: 1320, Customs: Customs{HSCode: "73181595", Origin: "TW", ValueCents: 1050, Currency: "EUR"}},
		"CH-1800": {SKU: "CH-1800", Description: "Fast charger 18V", WeightGrams: 540, Customs: Customs{HSCode: "85044095", Origin: "CN", ValueCents: 3380, Currency: "EUR"}},
	}
	invRef = InvoiceRef{Number: "CI-SO-10016", Date: "2026-03-02", Shipper: invShipper}
)

func invCartons() []PackCarton {
	return []PackCarton{
		{SSCC: "1", WeightGrams: 3500, Contents: []CartonContent{{Line: 1, SKU: "HX-4412", Qty: 2}, {Line: 2, SKU: "CH-1800", Qty: 1}}},
		{SSCC: "2", WeightGrams: 1700, Contents: []CartonContent{{Line: 1, SKU: "HX-4412", Qty: 1}}},
	}
}

func TestNewCustomsInvoice(t *testing.T) {
	inv, err := NewCustomsInvoice(invRef, "SO-10016", invConsignee, invCartons(), invItems)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Incoterm != "DAP" || inv.Currency != "EUR" || inv.Cartons != 2 {
		t.Errorf("head: %+v", inv)
	}
	if len(inv.Lines) != 2 || inv.Lines[0].SKU != "HX-4412" || inv.Lines[0].Qty != 3 || inv.Lines[0].ValueCents != 3150 {
		t.Fatalf("lines: %+v", inv.Lines)
	}
	if inv.ValueCents != 3150+3380 || inv.NetGrams != 3*1320+540 || inv.GrossGrams != 5200 || inv.Units() != 4 {
		t.Errorf("totals: value %d net %d gross %d units %d", inv.ValueCents, inv.NetGrams, inv.GrossGrams, inv.Units())
	}
}

func TestNewCustomsInvoiceRefuses(t *testing.T) {
	noCustoms := map[string]Item{"HX-4412": invItems["HX-4412"], "CH-1800": {SKU: "CH-1800", Customs: Customs{HSCode: "85044095"}}}
	usd := map[string]Item{"HX-4412": invItems["HX-4412"], "CH-1800": invItems["CH-1800"]}
	c := usd["CH-1800"]
	c.Currency = "USD"
	usd["CH-1800"] = c
	badHS := map[string]Item{"HX-4412": invItems["HX-4412"], "CH-1800": invItems["CH-1800"]}
	h := badHS["HX-4412"]
	h.HSCode = "7318"
	badHS["HX-4412"] = h
	for name, tc := range map[string]struct {
		ref   InvoiceRef
		to    Address
		items map[string]Item
		want  string
	}{
		"item lacks customs": {invRef, invConsignee, noCustoms, "CH-1800 (country of origin, customs value, currency)"},
		"two currencies":     {invRef, invConsignee, usd, "one invoice takes one currency"},
		"bad HS code":        {invRef, invConsignee, badHS, "6 to 10 digits"},
		"no number":          {InvoiceRef{Date: "2026-03-02", Shipper: invShipper}, invConsignee, invItems, "invoice number"},
		"bad date":           {InvoiceRef{Number: "X", Date: "02.03.2026", Shipper: invShipper}, invConsignee, invItems, "YYYY-MM-DD"},
		"bad incoterm":       {InvoiceRef{Number: "X", Date: "2026-03-02", Incoterm: "FOO", Shipper: invShipper}, invConsignee, invItems, "Incoterms 2020"},
		"no consignee land":  {invRef, Address{Name: "X"}, invItems, "consignee"},
	} {
		_, err := NewCustomsInvoice(tc.ref, "SO-1", tc.to, invCartons(), tc.items)
		if !errors.Is(err, ErrCustoms) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want …%s…", name, err, tc.want)
		}
	}
}

func TestCustomsJSONIsFlatOnTheItem(t *testing.T) {
	b, err := json.Marshal(invItems["HX-4412"])
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"hs_code":"73181595"`, `"origin_country":"TW"`, `"customs_value_cents":1050`, `"customs_currency":"EUR"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("%s lacks %s", b, k)
		}
	}
	for _, c := range []Customs{{Origin: "X1"}, {Origin: "nl"}, {Currency: "EU"}, {HSCode: "73181595A"}, {ValueCents: MaxCustomsValueCents + 1}} {
		if err := c.Validate(); !errors.Is(err, ErrCustoms) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if !International(invShipper, invConsignee) || International(invShipper, Address{Country: "nl"}) || International(invShipper, Address{}) {
		t.Error("International")
	}
}
