package shipdocs

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rfterm/rfterm/domain"
)

func TestASNRefusesWhatItCannotRender(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*ASN)
	}{
		{"load not closed", func(a *ASN) { a.Load.Status = domain.LoadStatusLoading }},
		{"load without closing time", func(a *ASN) { a.Load.ClosedAt = time.Time{} }},
		{"no cartons", func(a *ASN) { a.Shipment.Shipment.Cartons = nil }},
		{"no carton of the order on the load", func(a *ASN) { a.Load.Loaded = a.Load.Loaded[:1] }},
		{"interchange control 0", func(a *ASN) { a.Controls.Interchange = 0 }},
		{"group control above nine digits", func(a *ASN) { a.Controls.Group = MaxControl + 1 }},
		{"set control negative", func(a *ASN) { a.Controls.Set = -1 }},
		{"no SCAC", func(a *ASN) { a.Carrier.SCAC = "" }},
		{"SCAC too long", func(a *ASN) { a.Carrier.SCAC = "ABCDE" }},
		{"no issue time", func(a *ASN) { a.IssuedAt = time.Time{} }},
		{"no PO", func(a *ASN) { a.Shipment.Order.PO = "" }},
		{"no ship-to name", func(a *ASN) { a.Shipment.Order.ShipTo.Name = " " }},
		{"no ship-from name", func(a *ASN) { a.ShipFrom.Name = "" }},
		{"shipment of another order", func(a *ASN) { a.Shipment.Shipment.OrderID = "SO-9" }},
		{"SKU not in the item master", func(a *ASN) { delete(a.Shipment.Items, "SKU-PLAIN") }},
		{"bad GTIN", func(a *ASN) {
			it := a.Shipment.Items["SKU-PLAIN"]
			it.GTIN = "4006381333932"
			a.Shipment.Items["SKU-PLAIN"] = it
		}},
		{"bad SSCC", func(a *ASN) {
			a.Shipment.Shipment.Cartons[0].SSCC = "003456789012345671"
			a.Load.Loaded[1].SSCC = "003456789012345671"
		}},
		{"zero quantity", func(a *ASN) { a.Shipment.Shipment.Cartons[0].Contents[1].Qty = 0 }},
		{"quantity too large", func(a *ASN) { a.Shipment.Shipment.Cartons[0].Contents[1].Qty = maxQty + 1 }},
		{"lots do not add up", func(a *ASN) { a.Shipment.Shipment.Cartons[0].Contents[0].Lots[1].Qty = 3 }},
		{"lot-tracked without lot", func(a *ASN) { a.Shipment.Shipment.Cartons[0].Contents[0].Lots = nil }},
		{"serials short", func(a *ASN) { a.Shipment.Shipment.Cartons[1].Contents[0].Serials = []string{"SN1"} }},
		{"empty carton", func(a *ASN) { a.Shipment.Shipment.Cartons[1].Contents = nil }},
		{"weight too large", func(a *ASN) { a.Shipment.Shipment.Cartons[1].WeightGrams = maxGrams + 1 }},
		{"ISA id longer than 15", func(a *ASN) { a.Partner.X12ID = "ABCDEFGHIJKLMNOP"; a.Partner.EDIFACTID = "" }},
		{"ISA qualifier of one character", func(a *ASN) { a.Sender.X12Qualifier = "Z"; a.Sender.EDIFACTID = "" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := fixASN()
			c.edit(&a)
			_, err := X12856(a)
			assert.True(t, errors.Is(err, ErrInput), "856: %v", err)
			_, err = DESADV(a)
			assert.True(t, errors.Is(err, ErrInput), "DESADV: %v", err)
		})
	}
}
