package hub_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// TestToteHoldsItsOrderUntilPackedOrReleased: a tote holding an order's
// picked, unpacked goods is refused for another order (task started or
// line picked into it), naming the order it holds; claims carry the busy
// totes; once the order ships the tote is packed and free, and an order
// cancelled while picked into a tote releases it.
func TestToteHoldsItsOrderUntilPackedOrReleased(t *testing.T) {
	f := newFixture(t, demoSite(t))
	pickOrder3(f) // SO-10003 in T00001, picked, not packed
	cx := ctx(t)

	c := f.claim("u1002")
	const task4 = "T-SO-10004"
	require.Equal(t, task4, c.Task.ID)
	assert.Equal(t, []domain.ToteHold{{Tote: "T00001", OrderID: order3}}, c.BusyTotes)
	res := f.send(f.ev("b1", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: task4, Tote: "T00001"}))
	require.Equal(t, api.StatusRejected, res[0].Status)
	assert.Equal(t, api.CodeToteBusy, res[0].Code)
	assert.Contains(t, res[0].Message, "holds order SO-10003")
	assert.Empty(t, f.task(task4).Tote, "nothing of the refused start is kept")

	line := c.Task.Lines[0]
	into1 := domain.PickLine{TaskID: task4, Line: line.Line, SKU: line.SKU, Location: line.Location, Tote: "T00001", Picked: 1, Lots: []domain.LotQty{{Lot: "L-X", Qty: 1}}}
	res = f.send(
		f.ev("b2", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: task4, Tote: "T00002"}),
		f.ev("b3", domain.EventLinePicked, "u1002", into1),
	)
	assert.Equal(t, api.StatusApplied, res[0].Status, res[0].Message)
	assert.Equal(t, api.CodeToteBusy, res[1].Code, "a line picked into the busy tote is refused too")
	assert.Equal(t, 0, f.task(task4).Lines[0].Picked)

	// Another picker's order in T00003; cancelled, the tote is released.
	c5 := f.claim("u1003")
	res = f.send(
		f.ev("b4", domain.EventTaskStarted, "u1003", domain.TaskStarted{TaskID: c5.Task.ID, Tote: "T00003"}),
		f.ev("b5", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: task4, Tote: "T00003"}),
	)
	assert.Equal(t, api.StatusApplied, res[0].Status, res[0].Message)
	assert.Equal(t, api.CodeToteBusy, res[1].Code)
	assert.Contains(t, res[1].Message, c5.Order.ID)
	_, err := f.admin().CancelOrder(cx, c5.Order.ID, "customer")
	require.NoError(t, err)
	res = f.send(f.ev("b6", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: task4, Tote: "T00003"}))
	assert.Equal(t, api.StatusApplied, res[0].Status, "released by the cancel: %s", res[0].Message)

	// SO-10003 packed and shipped: T00001 is empty and free.
	block, err := f.client.ReserveSSCCs(cx, 1)
	require.NoError(t, err)
	s0, err := block.SSCC(0)
	require.NoError(t, err)
	carton := domain.PackCarton{OrderID: order3, SSCC: s0, CartonType: "CT-M2", Contents: []domain.CartonContent{cc(1, "GL-7731", 10)}, N: 1, Of: 1}
	res = f.send(
		f.ev("b7", domain.EventPackStarted, "u1001", domain.PackStarted{OrderID: order3, Tote: "T00001"}),
		f.ev("b8", domain.EventCartonClosed, "u1001", carton),
		f.ev("b9", domain.EventShipConfirmed, "u1001", domain.ShipConfirm{OrderID: order3, Tote: "T00001", Cartons: []domain.PackCarton{carton}, Partial: true}),
		f.ev("b10", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: task4, Tote: "T00001"}),
	)
	for _, r := range res {
		assert.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	assert.Equal(t, "T00001", f.task(task4).Tote)
	assert.Empty(t, f.claim("u1002").BusyTotes, "T00001 is SO-10004's now; T00002 and T00003 too")
}
