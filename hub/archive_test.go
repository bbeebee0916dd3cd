package hub_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// TestArchiveMovesFinishedWork: work finished longer ago than the site's
// retention (an order shipped short, with its task, shipment, picks and
// backorders; an order cancelled; the changes feed) leaves the live lists
// and indexes, and reads by id still answer as before.
func TestArchiveMovesFinishedWork(t *testing.T) {
	site := demoSite(t)
	site.ArchiveAfterDays = 10
	f := newFixture(t, site)
	pickOrder3(f)
	cx := ctx(t)
	block, err := f.client.ReserveSSCCs(cx, 2)
	require.NoError(t, err)
	c1, err := block.SSCC(0)
	require.NoError(t, err)
	c2, err := block.SSCC(1)
	require.NoError(t, err)
	cartons := []domain.PackCarton{
		closed(c1, domain.CartonContent{Line: 1, SKU: "GL-7731", Qty: 10, Lots: []domain.LotQty{{Lot: "L-A", Qty: 8}, {Lot: "L-B", Qty: 2}}}, cc(3, "SF-0201", 12)),
		closed(c2, cc(4, "SF-0310", 8), cc(5, "MK-0100", 20)),
	}
	evs := []domain.Event{
		f.ev("p1", domain.EventPackStarted, "u1001", domain.PackStarted{OrderID: order3, Tote: "T00001"}),
		f.ev("p2", domain.EventCartonClosed, "u1001", cartons[0]),
		f.ev("p3", domain.EventCartonClosed, "u1001", cartons[1]),
		f.ev("p4", domain.EventShipConfirmed, "u1001", domain.ShipConfirm{OrderID: order3, Tote: "T00001", Partial: true,
			Short:   []domain.PackShort{{OrderID: order3, Line: 2, SKU: "GL-7732", Short: 5, Backorder: true}},
			Cartons: []domain.PackCarton{numbered(cartons[0], 1, 2), numbered(cartons[1], 2, 2)}}),
	}
	for _, r := range f.send(evs...) {
		require.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	_, err = f.store.CancelOrder(cx, "SO-10002", "customer called")
	require.NoError(t, err)

	order, task := f.order(order3), f.task(task3)
	require.Equal(t, domain.OrderShippedPartial, order.Status)
	ship, err := f.store.Shipment(cx, order3)
	require.NoError(t, err)
	backorders, err := f.store.Backorders(cx, order3)
	require.NoError(t, err)
	require.NotEmpty(t, backorders)
	cancelled := f.order("SO-10002")

	rep, err := f.store.Maintain(cx, time.Now().Add(9*24*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, rep.Orders+rep.Changes, "nothing is older than the retention yet")
	rep, err = f.store.Maintain(cx, time.Now().Add(11*24*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Orders)
	assert.Positive(t, rep.Changes)

	orders, err := f.store.Orders(cx)
	require.NoError(t, err)
	assert.False(t, slices.ContainsFunc(orders, func(o domain.Order) bool { return o.ID == order3 || o.ID == "SO-10002" }), "off the live list")
	tasks, err := f.store.Tasks(cx)
	require.NoError(t, err)
	assert.False(t, slices.ContainsFunc(tasks, func(t domain.Task) bool { return t.OrderID == order3 }))
	changes, err := f.store.Changes(cx, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, changes.Changes)

	assert.Equal(t, order, f.order(order3), "read by id over HTTP from the archive")
	assert.Equal(t, task, f.task(task3))
	assert.Equal(t, cancelled, f.order("SO-10002"))
	gotShip, err := f.store.Shipment(cx, order3)
	require.NoError(t, err)
	assert.Equal(t, ship, gotShip)
	gotBackorders, err := f.store.Backorders(cx, order3)
	require.NoError(t, err)
	assert.Equal(t, backorders, gotBackorders)
	_, err = f.client.PackWork(cx, "T00001", "")
	requireAPIError(t, err, http.StatusConflict, api.CodeOrderShipped)

	c := f.claim("u1002") // the live work is unaffected
	assert.NotEqual(t, order3, c.Order.ID)
	rep, err = f.store.Maintain(cx, time.Now().Add(11*24*time.Hour))
	require.NoError(t, err)
	assert.Zero(t, rep.Orders+rep.Changes, "each is archived once")
}
