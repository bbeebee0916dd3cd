package flow

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/rfterm/rfterm/domain"
)

// TestSiteLanesAndDoors: with the site's lanes and doors on the dock list,
// staging refuses a lane the site does not have (before the load's own
// lane, as the hub checks) and loading a code that is neither a door of the
// site nor a load; a door of the site with no open load is an unknown load.
// A list naming no lanes or doors takes any.
func TestSiteLanesAndDoors(t *testing.T) {
	d := testDock()
	d.Lanes, d.Doors = []string{"STG-01", "STG-02"}, []string{"DOOR-01", "DOOR-02", "DOOR-03"}
	s := NewStage("U1")
	m := dockMachine{dock: d, refresh: s.Refresh, handle: s.Handle}
	drive(t, m, func() Step { return s.Step }, []step{
		{in: ssccScan(8), step: StepStageLane},
		{in: scan("STG-09"), problem: "UNKNOWN LANE"}, {in: ack(), step: StepStageLane},
	})
	s = NewStage("U1")
	m = dockMachine{dock: d, refresh: s.Refresh, handle: s.Handle}
	drive(t, m, func() Step { return s.Step }, []step{
		{in: ssccScan(2), step: StepStageLane},
		{in: scan("STG-07"), problem: "UNKNOWN LANE"}, {in: ack()},
		{in: scan("STG-02"), problem: "WRONG LANE"}, {in: ack()},
		{in: scan("STG-01"), step: StepStageCarton, events: []domain.EventType{domain.EventCartonStaged}},
	})

	l := NewLoad("U1")
	m = dockMachine{dock: d, refresh: l.Refresh, handle: l.Handle}
	drive(t, m, func() Step { return l.Step }, []step{
		{in: scan("DOOR-09"), problem: "UNKNOWN DOOR"}, {in: ack()},
		{in: scan("DOOR-03"), problem: "UNKNOWN LOAD"}, {in: ack()},
		{in: scan("LD-2"), step: StepLoadCarton},
	})

	d.Lanes, d.Doors = nil, nil
	l = NewLoad("U1")
	m = dockMachine{dock: d, refresh: l.Refresh, handle: l.Handle}
	drive(t, m, func() Step { return l.Step }, []step{{in: scan("DOOR-09"), problem: "UNKNOWN LOAD"}})
}

// TestNotShippedSaysWhy: a carton of an order still at the pack station is
// refused as not shipped yet; a held order's names the hold's reason.
func TestNotShippedSaysWhy(t *testing.T) {
	d := testDock()
	packing := DockCarton{SSCC: ssccN(20), OrderID: "SO-P", OrderStatus: domain.OrderPacking}
	held := DockCarton{SSCC: ssccN(21), OrderID: "SO-H", OrderStatus: domain.OrderHeld, HoldReason: domain.HoldDamaged}
	d.Cartons[packing.SSCC], d.Cartons[held.SSCC] = packing, held
	pr := d.refusal(packing.SSCC, t0)
	assert.Equal(t, "ORDER HELD", pr.Title)
	assert.Contains(t, pr.Detail, "not shipped yet: the order is still at the pack station")
	pr = d.refusal(held.SSCC, t0)
	assert.Equal(t, "ORDER HELD", pr.Title)
	assert.Contains(t, pr.Detail, "held: "+domain.HoldDamaged.Label())
}

// TestLoadCompleteAsksToClose: with nothing planned missing the carton
// step asks for the close key, and the demo's hint is that key.
func TestLoadCompleteAsksToClose(t *testing.T) {
	l := NewLoad("U1")
	m := dockMachine{dock: testDock(), refresh: l.Refresh, handle: l.Handle}
	drive(t, m, func() Step { return l.Step }, []step{{in: scan("DOOR-02"), step: StepLoadCarton}})
	p := l.Prompt()
	assert.Equal(t, "Scan carton", p.Ask)
	assert.Equal(t, ssccN(4), p.Scan)
	drive(t, m, func() Step { return l.Step }, []step{{in: ssccScan(4), events: []domain.EventType{domain.EventCartonLoaded}}})
	p = l.Prompt()
	assert.Equal(t, "All loaded: C to close", p.Ask)
	assert.Equal(t, "C", p.Scan)
	assert.Contains(t, p.Actions, ActClose)
	assert.Equal(t, "none", fieldValue(p, "Missing"))
}

// TestLoadKeepsBillsToPrint: a load closed here waits for its bill of
// lading in the loading state, through the next load's door step, a load
// opened and left, until the session prints it.
func TestLoadKeepsBillsToPrint(t *testing.T) {
	l := NewLoad("U1")
	m := dockMachine{dock: testDock(), refresh: l.Refresh, handle: l.Handle}
	drive(t, m, func() Step { return l.Step }, []step{
		{in: scan("DOOR-02")},
		{in: ssccScan(4), events: []domain.EventType{domain.EventCartonLoaded}},
		{in: act(ActClose), step: StepLoadSeal},
		{in: act(ActNoSeal), step: StepDone, events: []domain.EventType{domain.EventLoadClosed}},
	})
	assert.Equal(t, []string{"LD-2"}, l.Bills)
	l = l.Next()
	m = dockMachine{dock: testDock(), refresh: l.Refresh, handle: l.Handle}
	drive(t, m, func() Step { return l.Step }, []step{
		{in: scan("DOOR-01"), step: StepLoadCarton},
		{in: act(ActBack), step: StepLoadDoor},
	})
	assert.Equal(t, []string{"LD-2"}, l.Bills)
}
