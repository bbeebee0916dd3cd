package hub_test

import (
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orderIntl is the demo's international order: NL to Zürich.
const orderIntl = "SO-10016"

var intlShipper = domain.Address{Name: "Demo DC", Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}

// shipIntl packs SO-10016 in one carton and confirms it with invoice ref.
func shipIntl(t *testing.T, f *fixture, ref *domain.InvoiceRef) api.EventResult {
	t.Helper()
	block, err := f.client.ReserveSSCCs(ctx(t), 2)
	require.NoError(t, err)
	sscc, err := block.SSCC(0)
	require.NoError(t, err)
	carton := domain.PackCarton{OrderID: orderIntl, SSCC: sscc, CartonType: "CT-M2", Dims: domain.Dims{LengthMM: 350, WidthMM: 250, HeightMM: 200},
		Contents: []domain.CartonContent{cc(1, "HX-4412", 2), cc(2, "CH-1800", 1), cc(3, "SF-0202", 2), cc(4, "SF-0201", 2)}, WeightGrams: 4100, ExpectedGrams: 4080}
	for _, r := range f.send(
		f.ev("i1", domain.EventPackStarted, "u1001", domain.PackStarted{OrderID: orderIntl}),
		f.ev("i2", domain.EventCartonClosed, "u1001", carton),
	) {
		require.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	carton.N, carton.Of = 1, 1
	return f.send(f.ev("i3", domain.EventShipConfirmed, "u1001", domain.ShipConfirm{OrderID: orderIntl, Cartons: []domain.PackCarton{carton}, Invoice: ref}))[0]
}

func TestShipmentKeepsItsCommercialInvoice(t *testing.T) {
	f := newFixture(t, demoSite(t))
	r := shipIntl(t, f, &domain.InvoiceRef{Number: "CI-SO-10016", Date: "2026-03-02", Shipper: intlShipper})
	require.Equal(t, api.StatusApplied, r.Status, r.Message)
	ship, err := f.client.Shipment(ctx(t), orderIntl)
	require.NoError(t, err)
	require.NotNil(t, ship.Invoice)
	inv := ship.Invoice
	assert.Equal(t, "CI-SO-10016", inv.Number)
	assert.Equal(t, "DAP", inv.Incoterm)
	assert.Equal(t, "EUR", inv.Currency)
	assert.Equal(t, "CH", inv.Consignee.Country)
	assert.Equal(t, intlShipper, inv.Shipper)
	require.Len(t, inv.Lines, 4)
	assert.Equal(t, domain.InvoiceLine{SKU: "HX-4412", Description: "Hex bolt M10x50 zinc, box of 25", HSCode: "73181595", Origin: "TW", Qty: 2, UnitCents: 1399, ValueCents: 2798}, inv.Lines[0])
	assert.Equal(t, int64(2798+4490+2*1890+2*599), inv.ValueCents)
	assert.Equal(t, int64(2*1320+540+2*260+2*45), inv.NetGrams)
	assert.Equal(t, int64(4100), inv.GrossGrams)
	assert.Equal(t, 1, inv.Cartons)
}

func TestShipmentWithoutInvoiceKeepsNone(t *testing.T) {
	f := newFixture(t, demoSite(t))
	r := shipIntl(t, f, nil)
	require.Equal(t, api.StatusApplied, r.Status, r.Message)
	ship, err := f.client.Shipment(ctx(t), orderIntl)
	require.NoError(t, err)
	assert.Nil(t, ship.Invoice)
}

func TestInvoiceRefusedWhenAnItemLacksCustomsData(t *testing.T) {
	site := demoSite(t)
	for i := range site.Items {
		if site.Items[i].SKU == "CH-1800" {
			site.Items[i].Customs = domain.Customs{}
		}
	}
	f := newFixture(t, site)
	r := shipIntl(t, f, &domain.InvoiceRef{Number: "CI-1", Date: "2026-03-02", Shipper: intlShipper})
	assert.Equal(t, api.StatusRejected, r.Status)
	assert.Equal(t, api.CodeBadRequest, r.Code)
	assert.Contains(t, r.Message, "CH-1800 (HS code, country of origin, customs value, currency)")
	assert.Equal(t, domain.OrderPacking, f.order(orderIntl).Status, "nothing shipped")
}

func TestSeedRefusesBadCustomsData(t *testing.T) {
	for want, edit := range map[string]func(*domain.Item){
		"6 to 10 digits": func(it *domain.Item) { it.HSCode = "7318" },
		"ISO 3166":       func(it *domain.Item) { it.Origin = "XX" },
		"ISO 4217":       func(it *domain.Item) { it.Currency = "ECU" },
	} {
		site := demoSite(t)
		edit(&site.Items[0])
		err := hubtest.NewStore(t).Seed(t.Context(), site)
		require.ErrorIs(t, err, domain.ErrCustoms)
		assert.Contains(t, err.Error(), "item HX-4411")
		assert.Contains(t, err.Error(), want)
	}
}
