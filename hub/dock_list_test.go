package hub_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// TestDockListsWhatTheHubRefusesByName: the dock list names the site's
// staging lanes and dock doors, and holds the closed cartons of an order
// still at the pack station (order_status packing) and, once it is held,
// with the hold's reason: cartons the hub refuses order_held, which the
// terminal refuses the same from the list.
func TestDockListsWhatTheHubRefusesByName(t *testing.T) {
	d := newDockFixture(t)
	cx := ctx(t)
	packed := d.sscc()
	res := d.send(d.ev("p4", domain.EventPackStarted, "u1002", domain.PackStarted{OrderID: "SO-10004"}),
		d.ev("p4c", domain.EventCartonClosed, "u1002", domain.PackCarton{OrderID: "SO-10004", SSCC: packed, CartonType: "CT-S1",
			Contents: []domain.CartonContent{{Line: 1, SKU: d.order("SO-10004").Lines[0].SKU, Qty: 1}}}))
	require.Equal(t, api.StatusApplied, res[1].Status, res[1].Message)
	carton := func() (api.DockResponse, api.DockCarton, bool) {
		dock, err := d.client.Dock(cx)
		require.NoError(t, err)
		for _, c := range dock.Cartons {
			if c.SSCC == packed {
				return dock, c, true
			}
		}
		return dock, api.DockCarton{}, false
	}

	dock, c, ok := carton()
	assert.Equal(t, []string{"STG-01", "STG-02", "STG-03", "STG-04"}, dock.Lanes)
	assert.Equal(t, []string{"DOOR-01", "DOOR-02", "DOOR-03", "DOOR-04"}, dock.Doors)
	require.True(t, ok, "a carton at the pack station is listed")
	assert.Equal(t, domain.OrderPacking, c.OrderStatus)
	assert.Empty(t, c.HoldReason)
	assert.Equal(t, api.CodeOrderHeld, d.load("LD-0001", packed), "the hub refuses it order_held")

	res = d.send(d.ev("p4h", domain.EventPackHeld, "u1002", domain.PackHold{OrderID: "SO-10004", Reason: domain.HoldDamaged}))
	require.Equal(t, api.StatusApplied, res[0].Status, res[0].Message)
	_, c, ok = carton()
	require.True(t, ok, "a held order's carton is listed")
	assert.Equal(t, domain.OrderHeld, c.OrderStatus)
	assert.Equal(t, domain.HoldDamaged, c.HoldReason)
	assert.Equal(t, api.CodeOrderHeld, d.load("LD-0001", packed))
}
