package hub_test

import (
	"context"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/stretchr/testify/require"
)

// exerciseInventory calls every cycle count and returns operation with a
// success and a failure, for the conformance test; events continue testDevice's
// sequence at seq.
func exerciseInventory(t *testing.T, c *api.Client, cx context.Context, seq uint64) {
	ignore := func(_ any, _ error) {}
	ignore(c.LeadLogin(cx, "U1003", "0000"))
	ignore(c.LeadLogin(cx, "U1001", "4242"))
	ls, err := c.LeadLogin(cx, "U1003", demoLeadPIN)
	require.NoError(t, err)
	dev := c
	c = c.WithLeadSession(ls.Token) // the lead calls below; the device's own calls work with it too
	ignore(dev.CountKPIs(cx, lead)) // a lead call without a lead session
	created, err := c.CreateCounts(cx, api.CreateCountsRequest{UserID: lead, By: domain.CountByLocations, Locations: []string{"A-01-01"}})
	require.NoError(t, err)
	ignore(c.CreateCounts(cx, api.CreateCountsRequest{UserID: ana, By: domain.CountByZone, Zone: "A"}))
	ignore(c.CreateCounts(cx, api.CreateCountsRequest{UserID: lead, By: domain.CountByZone, Zone: "NOPE"}))
	ignore(c.CreateCounts(cx, api.CreateCountsRequest{UserID: lead, By: "shelf"}))
	task := created.Tasks[0]
	ignore(c.CountTasks(cx))
	ignore(c.CountTask(cx, task.ID))
	ignore(c.CountTask(cx, "C-999999"))
	claim, err := c.ClaimCount(cx, ana)
	require.NoError(t, err)
	ignore(c.ClaimCount(cx, tom))
	ignore(c.ClaimCount(cx, "ghost"))
	evs := []domain.Event{
		sealed(t, testDevice, seq, "inv1", domain.EventCountSubmitted, ana, domain.CountSubmitted{TaskID: claim.Task.ID, Location: "A-01-01",
			Lines:   []domain.CountLine{{SKU: "HX-4411", Qty: 1, Lots: []domain.LotQty{{Lot: "L1", Qty: 1}}}},
			Unknown: []domain.CountScan{{Code: "MYSTERY", Qty: 1}}}),
		sealed(t, testDevice, seq+1, "inv2", domain.EventReturnReceived, ana, domain.ReturnReceived{RMA: "RMA-50002", Units: []domain.ReturnedUnit{
			{Line: 1, SKU: "HX-4411", Qty: 1, Condition: domain.CondNew, Disposition: domain.DispRestock, Location: "A-01-01"},
			{Code: "MYSTERY", Qty: 1, Condition: domain.CondDamaged, Disposition: domain.DispScrap},
		}}),
	}
	res, err := c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: evs})
	require.NoError(t, err)
	for _, r := range res.Results {
		require.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	// The count was beyond the threshold: a recount for Tom, who agrees; the adjustment waits for a lead.
	recount, err := c.ClaimCount(cx, tom)
	require.NoError(t, err)
	ev := sealed(t, testDevice, seq+2, "inv3", domain.EventCountSubmitted, tom, domain.CountSubmitted{TaskID: recount.Task.ID, Location: "A-01-01",
		Lines: []domain.CountLine{{SKU: "HX-4411", Qty: 1}}})
	_, err = c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{ev}})
	require.NoError(t, err)
	ev = sealed(t, testDevice, seq+3, "inv4", domain.EventCountSubmitted, ana, domain.CountSubmitted{TaskID: recount.Task.ID, Location: "A-01-01", Empty: true})
	_, err = c.SendEvents(cx, api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{ev}})
	require.NoError(t, err)
	pending, err := c.Adjustments(cx, lead, api.AdjustPending)
	require.NoError(t, err)
	require.NotEmpty(t, pending)
	ignore(c.Adjustments(cx, ana, ""))
	ignore(c.Adjustments(cx, "ghost", ""))
	ignore(c.DecideAdjustment(cx, pending[0].ID, api.DecisionRequest{UserID: ana, Approve: true}))
	ignore(c.DecideAdjustment(cx, pending[0].ID, api.DecisionRequest{UserID: lead, Approve: true, Note: "checked"}))
	ignore(c.DecideAdjustment(cx, pending[0].ID, api.DecisionRequest{UserID: lead, Approve: true}))
	ignore(c.DecideAdjustment(cx, "ADJ-999999", api.DecisionRequest{UserID: lead}))
	ignore(c.Audit(cx, lead, api.AuditQuery{}))
	ignore(c.Audit(cx, lead, api.AuditQuery{Location: "A-01-01", TaskID: task.ID, RMA: "RMA-50002"}))
	ignore(c.Audit(cx, ana, api.AuditQuery{}))
	ignore(c.Audit(cx, "ghost", api.AuditQuery{}))
	ignore(c.CountKPIs(cx, lead))
	ignore(c.CountKPIs(cx, tom))
	ignore(c.CountKPIs(cx, "ghost"))
	ignore(c.ItemClasses(cx))
	ignore(c.SetItemClass(cx, api.ClassRequest{UserID: lead, SKU: "HX-4411", Class: domain.ClassB}))
	ignore(c.SetItemClass(cx, api.ClassRequest{UserID: lead, SKU: "HX-4411", Class: "Z"}))
	ignore(c.SetItemClass(cx, api.ClassRequest{UserID: ana, SKU: "HX-4411", Class: domain.ClassA}))
	ignore(c.SetItemClass(cx, api.ClassRequest{UserID: lead, SKU: "NOPE", Class: domain.ClassA}))
	ignore(c.Returns(cx))
	ignore(c.Return(cx, "RMA-50002"))
	ignore(c.Return(cx, "RL00050001"))
	ignore(c.Return(cx, "RMA-00000"))
}
