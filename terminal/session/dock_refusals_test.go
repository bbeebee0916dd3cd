package session_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/session"
)

// refusedAlike scans a carton at the dock screen open in d's session and
// checks the terminal refuses it with title, loudly (the step waits for
// Enter), and that the hub refuses the same step with code (hub, when not
// nil, sends it from the rig's pack station): what the terminal takes on
// screen the hub takes too.
func refusedAlike(t *testing.T, d *dockRig, sscc, title, code string, hub func() string) {
	t.Helper()
	v := send(t, d.s, text(sscc))
	require.NotNil(t, v.Prompt.Problem, "%s: the terminal took it", title)
	assert.Equal(t, title, v.Prompt.Problem.Title, v.Prompt.Problem.Detail)
	assert.Contains(t, v.Prompt.Problem.Detail, sscc)
	v = send(t, d.s, text(""))
	assert.Nil(t, v.Prompt.Problem, "acknowledged")
	if hub != nil {
		assert.Equal(t, code, hub(), "the hub refuses %s as %s", sscc, code)
	}
}

// problemOf scans a carton the dock screen refuses and returns the
// refusal's detail, acknowledged.
func (d *dockRig) problemOf(sscc string) string {
	d.t.Helper()
	v := send(d.t, d.s, text(sscc))
	require.NotNil(d.t, v.Prompt.Problem, "the terminal took %s", sscc)
	send(d.t, d.s, text(""))
	return v.Prompt.Problem.Detail
}

// TestDockRefusalsAsTheHubRefuses: at load LD-0001 (DEMO Ground, door
// DOOR-01) the terminal refuses a carton of another carrier, of another
// load, of a held order, of one still at the pack station, an SSCC no
// carton carries, a carton loaded already, and one of an order cancelled
// at the hub (the dock list comes again through the changes feed), online
// and offline, as the hub would.
func TestDockRefusalsAsTheHubRefuses(t *testing.T) {
	d := newDockRig(t)
	so1 := d.ship.Ship("SO-10001", 2) // DEMO Ground: LD-0001
	so4 := d.ship.Ship("SO-10004", 1) // DEMO Ground: LD-0001
	nlx := d.ship.Ship("SO-10002", 1) // NLX Parcel: no load
	so9 := d.ship.Ship("SO-10009", 1) // DEMO Express: LD-0002
	held := d.ship.Pack("SO-10012")   // packed, then held at the pack station
	d.ship.Hold("SO-10012")
	packed := d.ship.Pack("SO-10010") // packed, not shipped
	loadAtHub := func(sscc, order string) func() string {
		return func() string {
			return d.ship.Try(domain.EventCartonLoaded, "u1001", domain.CartonLoaded{LoadID: "LD-0001", SSCC: sscc, OrderID: order})
		}
	}
	s := d.s
	send(t, s, text("U1001"))
	send(t, s, text("11"))
	v := send(t, s, text("DOOR-01"))
	require.Equal(t, "LOAD LD-0001", v.Prompt.Title, "%+v", v.Prompt.Problem)

	refusedAlike(t, d, nlx[0], "WRONG LOAD", api.CodeWrongLoad, loadAtHub(nlx[0], "SO-10002"))
	refusedAlike(t, d, so9[0], "WRONG LOAD", api.CodeWrongLoad, loadAtHub(so9[0], "SO-10009"))
	refusedAlike(t, d, held, "ORDER HELD", api.CodeOrderHeld, loadAtHub(held, "SO-10012"))
	unknown := d.ship.SSCC()
	refusedAlike(t, d, unknown, "UNKNOWN SSCC", api.CodeUnknownSSCC, loadAtHub(unknown, "SO-10001"))
	// The dock list holds the cartons of an order still at the pack
	// station: the terminal refuses them as the hub does, and says why.
	refusedAlike(t, d, packed, "ORDER HELD", api.CodeOrderHeld, loadAtHub(packed, "SO-10010"))
	require.Contains(t, d.problemOf(packed), "not shipped yet: the order is still at the pack station")
	require.Contains(t, d.problemOf(held), "held: "+domain.HoldDamaged.Label())

	v = send(t, s, text(so1[0]))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	d.delivered()
	refusedAlike(t, d, so1[0], "ALREADY LOADED", api.CodeAlreadyLoaded, loadAtHub(so1[0], "SO-10001"))

	// SO-10004 is cancelled at the hub, shipped and on an open load: the
	// changes feed brings the load's change and the dock list comes again.
	_, err := d.ship.Admin().CancelOrder(t.Context(), "SO-10004", "customer called")
	require.NoError(t, err)
	d.dev.Puller.Kick()
	require.True(t, eventually(func() bool {
		list, _, err := d.dev.Store.Cache.CachedDock()
		for _, c := range list.Cartons {
			if c.SSCC == so4[0] {
				return err == nil && c.OrderStatus == domain.OrderCancelled
			}
		}
		return false
	}), "the dock list never showed the cancel")
	refusedAlike(t, d, so4[0], "ORDER CANCELLED", api.CodeOrderCancelled, loadAtHub(so4[0], "SO-10004"))

	// Offline the list as kept refuses the same, and a carton this device
	// loaded offline is loaded for its next scan.
	require.NoError(t, d.hub.Stop())
	refusedAlike(t, d, so4[0], "ORDER CANCELLED", "", nil)
	refusedAlike(t, d, so9[0], "WRONG LOAD", "", nil)
	v = send(t, s, text(so1[1]))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	refusedAlike(t, d, so1[1], "ALREADY LOADED", "", nil)
	// ... and for the other dock screen too: Stage sees the step Load queued.
	send(t, s, act(session.ActMenu))
	v = send(t, s, text("10"))
	require.Equal(t, session.ModeStage, v.Mode, "%+v", v.Prompt.Problem)
	refusedAlike(t, d, so1[1], "ALREADY LOADED", "", nil)
	require.NoError(t, d.hub.Start())
	d.dev.Sender.Kick()
	d.delivered()
	assert.Equal(t, api.CodeAlreadyLoaded, loadAtHub(so1[1], "SO-10001")(), "the hub took the carton loaded offline")
	assert.Equal(t, []string{so1[0], so1[1]}, loadedSSCCs(d.load("LD-0001")))
}

// TestDockStepRefusedAfterTheFact: while this gun is offline another gun
// loads a carton this one loaded too, and closes a load this one loaded
// onto. Back online the hub refuses both steps; they wait on the
// needs-attention list with advice for the dock, and the loader is told.
func TestDockStepRefusedAfterTheFact(t *testing.T) {
	d := newDockRig(t)
	so1 := d.ship.Ship("SO-10001", 2)
	so9 := d.ship.Ship("SO-10009", 1)
	s := d.s
	send(t, s, text("U1001"))
	send(t, s, text("11"))
	send(t, s, text("DOOR-01"))
	require.NoError(t, d.hub.Stop())
	v := send(t, s, text(so1[0]))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	send(t, s, act(flow.ActBack))
	send(t, s, text("DOOR-02"))
	v = send(t, s, text(so9[0]))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)

	// The other gun, on the hub's side of the outage.
	d.ship.Direct(d.hub.Store())
	d.ship.Send(domain.EventCartonLoaded, domain.CartonLoaded{LoadID: "LD-0001", SSCC: so1[0], OrderID: "SO-10001"})
	d.ship.Send(domain.EventCartonLoaded, domain.CartonLoaded{LoadID: "LD-0002", SSCC: so9[0], OrderID: "SO-10009"})
	d.ship.Send(domain.EventLoadClosed, domain.LoadClosed{LoadID: "LD-0002", Seal: "SEAL-7"})

	require.NoError(t, d.hub.Start())
	d.dev.Sender.Kick()
	require.True(t, eventually(func() bool { st := s.View().Status; return st.Online && st.Queued == 0 && st.Attention == 2 }), "%+v", s.View().Status)
	rej, err := d.dev.Store.Attention()
	require.NoError(t, err)
	require.Len(t, rej, 2)
	assert.Equal(t, api.CodeAlreadyLoaded, rej[0].Code)
	assert.Equal(t, "Carton loaded already", rej[0].Advice().Reason)
	assert.Equal(t, api.CodeLoadClosed, rej[1].Code)
	assert.Contains(t, rej[1].Advice().Action, "take the carton to the lead")
	require.True(t, eventually(func() bool { return s.View().Prompt.Problem != nil }), "the loader is told")
	v = s.View()
	assert.Equal(t, "HUB REFUSED A STEP", v.Prompt.Problem.Title)
}
