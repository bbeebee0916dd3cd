package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// TestDemoSummaryHeldShipmentCountsAndReturns: a held shipment's cartons
// are listed as closed (never "carton 0 of 0"), and the counts and returns
// worked on are in the summary.
func TestDemoSummaryHeldShipmentCountsAndReturns(t *testing.T) {
	var out bytes.Buffer
	held := domain.Shipment{OrderID: "SO-10002", Status: domain.ShipmentHeld, HoldReason: domain.HoldShipComplete,
		Cartons: []domain.PackCarton{{SSCC: "106141410000000018", CartonType: "CT-M", WeightGrams: 2280}}}
	shipped := domain.Shipment{OrderID: "SO-10001", Status: domain.ShipmentShipped,
		Cartons: []domain.PackCarton{{SSCC: "106141410000000025", CartonType: "CT-S", WeightGrams: 900, N: 1, Of: 1}}}
	writeSummary(&out, nil, nil, []domain.Shipment{held, shipped})
	writeInventory(&out, []domain.CountTask{
		{ID: "C-000001", Status: domain.TaskDone, UserID: "U1003", Locations: []string{"A-01-01", "A-01-02"}, Counted: []string{"A-01-01", "A-01-02"}},
		{ID: "C-000002", Status: domain.TaskOpen, Locations: []string{"B-01-01"}},
		{ID: "C-000003", Status: domain.TaskClaimed, UserID: "U1002", RecountOf: "C-000001", Locations: []string{"A-01-02"}},
	}, []api.ReturnReceipt{{RMA: "RMA-50002", UserID: "U1001", At: time.Now(), CreditCents: 4599, Credit: "pending",
		Units: []domain.ReturnedUnit{{SKU: "NT-2208", Qty: 2}, {SKU: "HX-4411", Qty: 1}}}})
	s := out.String()
	assert.NotContains(t, s, "0 of 0")
	assert.Contains(t, s, "shipment SO-10002 held (Short, ships complete): 1 carton(s)")
	assert.Contains(t, s, "carton 1 (closed)")
	assert.Contains(t, s, "carton 1 of 1")
	assert.Contains(t, s, "count C-000001 done")
	assert.Contains(t, s, "2 of 2 location(s) counted")
	assert.Contains(t, s, "recount C-000003 claimed")
	assert.NotContains(t, s, "C-000002", "an open count nobody worked on")
	assert.Contains(t, s, "return RMA-50002 received by U1001: 3 unit(s), credit 45.99 (pending)")
}
