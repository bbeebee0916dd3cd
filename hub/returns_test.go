package hub_test

import (
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReturnsListCarriesWhatIsNeededOffline(t *testing.T) {
	f := newFixture(t, demoSite(t))
	out, err := f.store.Returns(t.Context())
	require.NoError(t, err)
	require.Len(t, out.RMAs, 3)
	assert.Contains(t, skus(out.Items), "DR-5520")
	assert.NotEmpty(t, out.Locations)
	byLabel, err := f.store.Return(t.Context(), "RL00050001")
	require.NoError(t, err)
	assert.Equal(t, "RMA-50001", byLabel.RMA.Number)
	assert.Nil(t, byLabel.Receipt)
	_, err = f.store.Return(t.Context(), "RMA-00000")
	requireAPIError(t, err, 404, api.CodeNotFound)
}

func TestReturnRules(t *testing.T) {
	f := newFixture(t, demoSite(t))
	unit := func(line int, sku, serial string, c domain.Condition, d domain.Disposition, loc string) domain.ReturnedUnit {
		return domain.ReturnedUnit{Line: line, SKU: sku, Serial: serial, Qty: 1, Condition: c, Disposition: d, Location: loc}
	}
	cases := []struct {
		name string
		rma  string
		u    domain.ReturnedUnit
		code string
	}{
		{"serial not shipped", "RMA-50001", unit(1, "DR-5520", "SNOTHER", domain.CondNew, domain.DispRestock, "B-01-01"), api.CodeSerialNotShipped},
		{"damaged restock", "RMA-50001", unit(3, "CH-1800", "", domain.CondDamaged, domain.DispRestock, "B-02-02"), api.CodeBadRequest},
		{"restock nowhere", "RMA-50001", unit(3, "CH-1800", "", domain.CondNew, domain.DispRestock, "Z-99-99"), api.CodeNotFound},
		{"bad condition", "RMA-50001", unit(3, "CH-1800", "", "wet", domain.DispScrap, ""), api.CodeBadRequest},
		{"bad disposition", "RMA-50001", unit(3, "CH-1800", "", domain.CondNew, "sell", ""), api.CodeBadRequest},
		{"wrong item on line", "RMA-50001", unit(3, "HX-4411", "", domain.CondNew, domain.DispScrap, ""), api.CodeUnknownItem},
		{"no such line", "RMA-50001", unit(9, "CH-1800", "", domain.CondNew, domain.DispScrap, ""), api.CodeUnknownLine},
		{"too many", "RMA-50002", domain.ReturnedUnit{Line: 2, SKU: "NT-2208", Qty: 2, Condition: domain.CondNew, Disposition: domain.DispScrap}, api.CodeOverQuantity},
		{"serial twice", "RMA-50001", domain.ReturnedUnit{}, api.CodeBadRequest},
		{"no rma", "RMA-00000", unit(1, "HX-4411", "", domain.CondNew, domain.DispScrap, ""), api.CodeNotFound},
		{"unknown restocked", "RMA-50002", domain.ReturnedUnit{Code: "MYSTERY", Qty: 1, Condition: domain.CondNew, Disposition: domain.DispRestock, Location: "A-01-01"}, api.CodeBadRequest},
	}
	twice := unit(2, "BT-1850", "SNBT185000101", domain.CondNew, domain.DispScrap, "")
	for i, tc := range cases {
		units := []domain.ReturnedUnit{tc.u}
		if tc.name == "serial twice" {
			units = []domain.ReturnedUnit{twice, twice}
		}
		r := f.send(f.ev("bad"+string(rune('a'+i)), domain.EventReturnReceived, ana, domain.ReturnReceived{RMA: tc.rma, Units: units}))[0]
		assert.Equal(t, api.StatusRejected, r.Status, tc.name)
		assert.Equal(t, tc.code, r.Code, "%s: %s", tc.name, r.Message)
	}
	open, err := f.store.Returns(t.Context())
	require.NoError(t, err)
	assert.Len(t, open.RMAs, 3, "a refused return changes nothing")
}

func TestReturnReceivedForCreditAndRestock(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	units := []domain.ReturnedUnit{
		{Line: 1, SKU: "DR-5520", Serial: "SNDR552000017", Qty: 1, Condition: domain.CondNew, Disposition: domain.DispRestock, Location: "B-01-01"},
		{Line: 2, SKU: "BT-1850", Serial: "SNBT185000101", Qty: 1, Condition: domain.CondDamaged, Disposition: domain.DispScrap},
		{Line: 2, SKU: "BT-1850", Serial: "SNBT185000102", Qty: 1, Condition: domain.CondOpened, Disposition: domain.DispRefurbish},
		{SKU: "MK-0100", Qty: 2, Condition: domain.CondOpened, Disposition: domain.DispQuarantine}, // not on the RMA
		{Code: "MYSTERY", Qty: 1, Condition: domain.CondDamaged, Disposition: domain.DispVendor},   // nobody knows it
	}
	ev := f.ev("r1", domain.EventReturnReceived, ana, domain.ReturnReceived{RMA: "RL00050001", Units: units})
	require.Equal(t, api.StatusApplied, f.send(ev)[0].Status)
	assert.Equal(t, api.StatusDuplicate, f.send(ev)[0].Status)
	again := f.send(f.ev("r2", domain.EventReturnReceived, ana, domain.ReturnReceived{RMA: "RMA-50001", Units: units[:1]}))[0]
	assert.Equal(t, api.CodeRMAClosed, again.Code)

	got, err := f.store.Return(t.Context(), "RMA-50001")
	require.NoError(t, err)
	assert.Equal(t, domain.RMAReceived, got.RMA.Status)
	require.NotNil(t, got.Receipt)
	assert.Equal(t, 12900+2*8990, got.Receipt.CreditCents)
	assert.Equal(t, "pending", got.Receipt.Credit)
	assert.Equal(t, ana, got.Receipt.UserID)
	assert.Equal(t, testDevice, got.Receipt.DeviceID)
	assert.Equal(t, units, got.Receipt.Units)

	trail, err := f.store.Audit(t.Context(), lead, hub.AuditFilter{RMA: "RMA-50001"})
	require.NoError(t, err)
	require.Len(t, trail, 1)
	sys := systemQty(t, site, "B-01-01", "DR-5520")
	assert.Equal(t, api.AuditReturnRestocked, trail[0].Kind)
	assert.Equal(t, []api.AuditLine{{SKU: "DR-5520", Before: sys, After: sys + 1}}, trail[0].Lines)
	open, err := f.store.Returns(t.Context())
	require.NoError(t, err)
	assert.Len(t, open.RMAs, 2)
}

// TestReturnsListNamesEveryItemWithItsHome: the returns list carries every
// item of the site (an item not on any RMA can be named on the device), each
// with the location it is picked from, where a restocked unit goes.
func TestReturnsListNamesEveryItemWithItsHome(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	out, err := f.client.Returns(t.Context())
	require.NoError(t, err)
	require.Len(t, out.Items, len(site.Items), "every item of the site")
	for _, it := range out.Items {
		assert.Equal(t, site.Stock[it.SKU], it.Home, it.SKU)
	}
	assert.NotEmpty(t, site.Stock["HX-4411"])
}
