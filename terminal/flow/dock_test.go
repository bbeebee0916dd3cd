package flow

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// ssccN is a valid SSCC with serial n.
func ssccN(n int) string {
	s := fmt.Sprintf("03761234%09d", n)
	d, _ := barcode.CheckDigit(s)
	return s + string(d)
}

// testDock is a dock list: load LD-1 at DOOR-01 (lane STG-01, DEMO Ground)
// with order SO-1 in cartons 1 and 2 and SO-2 in carton 3; LD-2 at DOOR-02
// with SO-5 (carton 4); a carton of a held order (5), of a cancelled one (6),
// one loaded already (7) and one of a DEMO Ground order not planned yet (8)
// and of another carrier (9).
func testDock() *Dock {
	ld1 := DockLoad{Load: domain.Load{ID: "LD-1", Carrier: "DEMO", Service: "Ground", Door: "DOOR-01", Lane: "STG-01", Status: domain.LoadStatusOpen},
		Planned: []string{ssccN(1), ssccN(2), ssccN(3)}}
	ld2 := DockLoad{Load: domain.Load{ID: "LD-2", Carrier: "FAST", Service: "Air", Door: "DOOR-02", Lane: "STG-02", Status: domain.LoadStatusOpen},
		Planned: []string{ssccN(4)}}
	c := func(n int, order string, st domain.OrderStatus, load, carrier string) DockCarton {
		return DockCarton{SSCC: ssccN(n), OrderID: order, N: 1, Of: 1, Carrier: carrier, Service: map[string]string{"DEMO": "Ground", "FAST": "Air"}[carrier], OrderStatus: st, LoadID: load}
	}
	c1, c2 := c(1, "SO-1", domain.OrderShipped, "LD-1", "DEMO"), c(2, "SO-1", domain.OrderShipped, "LD-1", "DEMO")
	c1.Of, c2.N, c2.Of = 2, 2, 2
	loaded := c(7, "SO-7", domain.OrderShipped, "LD-9", "DEMO")
	loaded.LoadedOn = "LD-9"
	return NewDock(t0, []DockLoad{ld1, ld2}, []DockCarton{c1, c2, c(3, "SO-2", domain.OrderShipped, "LD-1", "DEMO"),
		c(4, "SO-5", domain.OrderShipped, "LD-2", "FAST"), c(5, "SO-H", domain.OrderHeld, "", "DEMO"), c(6, "SO-X", domain.OrderCancelled, "LD-1", "DEMO"),
		loaded, c(8, "SO-8", domain.OrderShippedPartial, "", "DEMO"), c(9, "SO-9", domain.OrderShipped, "", "FAST")})
}

// dockMachine drives a dock flow as the session does: the dock list with
// every step, and Refresh before it.
type dockMachine struct {
	dock    *Dock
	refresh func(*Dock, Env)
	handle  func(Env, Input) Outcome
}

func (m dockMachine) Handle(env Env, in Input) Outcome {
	env.Dock, env.Now = m.dock, t0
	m.refresh(m.dock, env)
	return m.handle(env, in)
}

func ssccScan(n int) Input { return scan("00" + ssccN(n)) }

// TestStageRefusals: staging refuses what no lane takes (unknown SSCC, bad
// check digit, not a carton, held, cancelled, loaded already) and a lane
// other than the one the carton's load waits in; the right lane stages it.
func TestStageRefusals(t *testing.T) {
	s := NewStage("U1")
	m := dockMachine{dock: testDock(), refresh: s.Refresh, handle: s.Handle}
	bad := ssccN(1)[:17] + string(rune('0'+(ssccN(1)[17]-'0'+1)%10))
	evs := drive(t, m, func() Step { return s.Step }, []step{
		{in: scan(ssccN(99)), problem: "UNKNOWN SSCC"}, {in: ack()},
		{in: scan(bad), problem: "BAD BARCODE"}, {in: ack()},
		{in: scan("A-01-01"), problem: "NOT A CARTON"}, {in: ack()},
		{in: ssccScan(5), problem: "ORDER HELD"}, {in: ack()},
		{in: ssccScan(6), problem: "ORDER CANCELLED"}, {in: ack()},
		{in: ssccScan(7), problem: "ALREADY LOADED"}, {in: ack(), step: StepStageCarton},
		{in: ssccScan(2), step: StepStageLane},
		{in: scan("STG-02"), problem: "WRONG LANE"}, {in: ack()},
		{in: ssccScan(3), problem: "SCAN THE LANE"}, {in: ack()},
		{in: scan("U1001"), problem: "NOT A LANE"}, {in: ack()},
		{in: typed("STG-01"), step: StepStageCarton, events: []domain.EventType{domain.EventCartonStaged}},
		// A carton planned on no load goes to any lane.
		{in: ssccScan(8), step: StepStageLane},
		{in: act(ActBack), step: StepStageCarton},
		{in: ssccScan(8)},
		{in: scan("STG-09"), events: []domain.EventType{domain.EventCartonStaged}},
	})
	var p domain.CartonStaged
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[0].Payload), &p))
	assert.Equal(t, domain.CartonStaged{SSCC: ssccN(2), OrderID: "SO-1", Lane: "STG-01"}, p)
	assert.Equal(t, 2, s.Staged)
}

// TestStagePrompt: the lane step shows the order, carton n of m, the load
// and the lane expected.
func TestStagePrompt(t *testing.T) {
	s := NewStage("U1")
	d := testDock()
	env := Env{Rules: testRules(t), Dock: d, Now: t0}
	s.Refresh(d, env)
	s.Handle(env, ssccScan(2))
	p := s.Prompt()
	assert.Equal(t, "lane STG-01", p.Expect)
	assert.Equal(t, "STG-01", p.Scan)
	for label, want := range map[string]string{"Order": "SO-1", "Ctn": "2 of 2", "Lane": "STG-01", "Load": "LD-1", "List": "now"} {
		assert.Equal(t, want, fieldValue(p, label), label)
	}
}

func fieldValue(p Prompt, label string) string {
	for _, f := range p.Fields {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

// TestLoadRefusals: loading refuses a carton of another load or carrier, of
// a held or cancelled order, one loaded already (by the list, or by this
// loader a minute ago), an unknown SSCC, and a load closed meanwhile; the
// missing list counts down as cartons go on.
func TestLoadRefusals(t *testing.T) {
	l := NewLoad("U1")
	d := testDock()
	m := dockMachine{dock: d, refresh: l.Refresh, handle: l.Handle}
	loaded := []domain.EventType{domain.EventCartonLoaded}
	drive(t, m, func() Step { return l.Step }, []step{
		{in: scan("DOOR-09"), problem: "UNKNOWN LOAD"}, {in: ack()},
		{in: scan("DOOR-01"), step: StepLoadCarton},
		{in: ssccScan(4), problem: "WRONG LOAD"}, {in: ack()},
		{in: ssccScan(9), problem: "WRONG LOAD"}, {in: ack()},
		{in: ssccScan(5), problem: "ORDER HELD"}, {in: ack()},
		{in: ssccScan(6), problem: "ORDER CANCELLED"}, {in: ack()},
		{in: ssccScan(7), problem: "ALREADY LOADED"}, {in: ack()},
		{in: scan(ssccN(98)), problem: "UNKNOWN SSCC"}, {in: ack()},
		{in: ssccScan(1), events: loaded},
		{in: ssccScan(1), problem: "ALREADY LOADED"}, {in: ack()},
		// A carton of the same carrier and service planned on no load yet goes on.
		{in: ssccScan(8), events: loaded},
		{in: act(ActMissing), step: StepLoadMissing},
		{in: act(ActBack), step: StepLoadCarton},
	})
	assert.Equal(t, []domain.ShortCarton{{SSCC: ssccN(2), OrderID: "SO-1"}, {SSCC: ssccN(3), OrderID: "SO-2"}}, l.Missing)
	assert.Equal(t, []string{"SO-1", "SO-2"}, l.MissingOrders)
	assert.Equal(t, "2 ctn, 2 ord", fieldValue(l.Prompt(), "Missing"))
	l.Step = StepLoadMissing
	mp := l.Prompt()
	assert.Equal(t, "SO-1 SO-2", fieldValue(mp, "Orders"))
	assert.Equal(t, ssccN(2), fieldValue(mp, "SO-1"))
	l.Step = StepLoadCarton

	// Another device's close reaches the list: nothing more goes on.
	ld := d.Loads["LD-1"]
	ld.Status = domain.LoadStatusClosed
	d.Loads["LD-1"] = ld
	drive(t, m, func() Step { return l.Step }, []step{
		{in: ssccScan(2), problem: "LOAD CLOSED", step: StepLoadDoor}, {in: ack()},
		{in: scan("DOOR-01"), problem: "UNKNOWN LOAD"},
	})
}

// TestLoadOverlay: a carton this device loaded, not yet delivered, is
// loaded already for the next loader too; a load closed here is closed.
func TestLoadOverlay(t *testing.T) {
	d := testDock()
	ev := func(typ domain.EventType, p any) domain.Event {
		return domain.Event{Type: typ, Payload: mustJSON(t, p)}
	}
	require.NoError(t, d.Overlay([]domain.Event{
		ev(domain.EventCartonLoaded, domain.CartonLoaded{LoadID: "LD-1", SSCC: ssccN(1), OrderID: "SO-1"}),
		ev(domain.EventLoadClosed, domain.LoadClosed{LoadID: "LD-2"}),
	}))
	l := NewLoad("U2")
	m := dockMachine{dock: d, refresh: l.Refresh, handle: l.Handle}
	drive(t, m, func() Step { return l.Step }, []step{
		{in: scan("LD-2"), problem: "LOAD CLOSED"}, {in: ack()},
		{in: scan("DOOR-01"), step: StepLoadCarton},
		{in: ssccScan(1), problem: "ALREADY LOADED"}, {in: ack()},
	})
	assert.Len(t, l.Missing, 2, "carton 1 is loaded")
}

// TestLeftBehindIsReleased: a load closed here (not yet delivered) or gone
// from the list leaves its cartons not loaded planned on no load, as the
// hub has them: staged in any lane, refused on a load of another carrier
// or service, loaded onto one of theirs.
func TestLeftBehindIsReleased(t *testing.T) {
	for name, closeLD2 := range map[string]func(*Dock){
		"closed here": func(d *Dock) {
			require.NoError(t, d.Overlay([]domain.Event{{Type: domain.EventLoadClosed, Payload: mustJSON(t, domain.LoadClosed{LoadID: "LD-2"})}}))
		},
		"gone from the list": func(d *Dock) { delete(d.Loads, "LD-2") },
	} {
		d := testDock()
		closeLD2(d)
		d.Loads["LD-3"] = DockLoad{Load: domain.Load{ID: "LD-3", Carrier: "FAST", Service: "Air", Door: "DOOR-03", Status: domain.LoadStatusOpen}}
		s := NewStage("U1")
		drive(t, dockMachine{dock: d, refresh: s.Refresh, handle: s.Handle}, func() Step { return s.Step }, []step{
			{in: ssccScan(4), step: StepStageLane},
			{in: scan("STG-01"), step: StepStageCarton, events: []domain.EventType{domain.EventCartonStaged}},
		})
		l := NewLoad("U1")
		m := dockMachine{dock: d, refresh: l.Refresh, handle: l.Handle}
		drive(t, m, func() Step { return l.Step }, []step{
			{in: scan("DOOR-01"), step: StepLoadCarton},
			{in: ssccScan(4), problem: "WRONG LOAD"}, {in: ack()},
		})
		l = NewLoad("U1")
		m = dockMachine{dock: d, refresh: l.Refresh, handle: l.Handle}
		drive(t, m, func() Step { return l.Step }, []step{
			{in: scan("DOOR-03"), step: StepLoadCarton},
			{in: ssccScan(4), events: []domain.EventType{domain.EventCartonLoaded}},
		})
		assert.Equal(t, []domain.ShortCarton{{SSCC: ssccN(4), OrderID: "SO-5"}}, l.Loaded, name)
	}
}

// TestLoadCloseComplete: with nothing missing the loader closes with the
// seal scanned; the event names the seal and no short.
func TestLoadCloseComplete(t *testing.T) {
	l := NewLoad("U1")
	m := dockMachine{dock: testDock(), refresh: l.Refresh, handle: l.Handle}
	loaded := []domain.EventType{domain.EventCartonLoaded}
	evs := drive(t, m, func() Step { return l.Step }, []step{
		{in: scan("LD-1"), step: StepLoadCarton},
		{in: ssccScan(1), events: loaded}, {in: ssccScan(2), events: loaded}, {in: typed(ssccN(3)), events: loaded},
		{in: act(ActClose), step: StepLoadSeal},
		{in: ssccScan(4), problem: "NOT A SEAL"}, {in: ack()},
		{in: scan("SEAL-7788991"), problem: "NOT A SEAL"}, {in: ack()}, // 11 characters: no DESADV would carry it
		{in: scan("SEAL 7788"), problem: "NOT A SEAL"}, {in: ack()},
		{in: scan("SL-778899"), step: StepDone, events: []domain.EventType{domain.EventLoadClosed}},
		{in: typed(""), done: true},
	})
	var p domain.LoadClosed
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[len(evs)-1].Payload), &p))
	assert.Equal(t, domain.LoadClosed{LoadID: "LD-1", Seal: "SL-778899"}, p)
}

// TestLoadCloseShort: with cartons missing the close needs a lead: badge,
// PIN (the session's), a reason; the event names every missing carton and
// the lead's override. Without the lead the load stays open.
func TestLoadCloseShort(t *testing.T) {
	l := NewLoad("U1")
	m := dockMachine{dock: testDock(), refresh: l.Refresh, handle: l.Handle}
	drive(t, m, func() Step { return l.Step }, []step{
		{in: scan("DOOR-01")},
		{in: ssccScan(1), events: []domain.EventType{domain.EventCartonLoaded}},
		{in: act(ActClose), step: StepLoadLead},
		{in: ssccScan(2), problem: "NOT A BADGE"}, {in: ack()},
		{in: scan("U1003"), step: StepLoadPIN},
	})
	assert.Equal(t, "U1003", l.LeadBadge)
	l.NoOverride() // the hub was not reachable: the load stays open
	assert.Equal(t, StepLoadCarton, l.Step)
	drive(t, m, func() Step { return l.Step }, []step{
		{in: act(ActClose), step: StepLoadLead},
		{in: scan("U1003"), step: StepLoadPIN},
	})
	l.Override("U1003", "Grace")
	evs := drive(t, m, func() Step { return l.Step }, []step{
		{in: typed("9"), problem: "CHOOSE A REASON"}, {in: ack()},
		{in: typed("2"), step: StepLoadSeal},
		{in: act(ActNoSeal), step: StepDone, events: []domain.EventType{domain.EventLoadClosed}},
	})
	var p domain.LoadClosed
	require.NoError(t, json.Unmarshal(mustJSON(t, evs[0].Payload), &p))
	assert.Equal(t, domain.LoadClosed{LoadID: "LD-1", Short: []domain.ShortCarton{{SSCC: ssccN(2), OrderID: "SO-1"}, {SSCC: ssccN(3), OrderID: "SO-2"}},
		Override: &domain.LoadOverride{LeadID: "U1003", Reason: string(domain.LoadShortNotFound)}}, p)
	assert.Equal(t, "2", fieldValue(l.Prompt(), "Short"))
}
