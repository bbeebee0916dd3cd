package session_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/internal/shiptest"
	"github.com/rfterm/rfterm/terminal/session"
)

// dockRig is a rig with a pack station of its own at the hub, to ship the
// orders the dock works, and a dock terminal's session on the rig's device.
type dockRig struct {
	*rig
	ship *shiptest.Station
	s    *session.Session
}

// newDockRig starts a rig; the session is a dock terminal's, asking the
// real hub for the dock list. Each of with changes the session's
// configuration before it starts (a printer, say).
func newDockRig(t *testing.T, with ...func(r *rig, cfg *session.Config)) *dockRig {
	r := newRig(t)
	d := &dockRig{rig: r, ship: shiptest.New(t, r.hub.URL(), r.site, "pack-1")}
	cfg := session.Config{Rules: r.rules, Notices: r.dev.Puller, Log: r.log, Timeout: 10 * time.Second,
		Demo: true, DemoLeadBadge: "U1003",
		Lead: session.LeadClient(r.dev.Client),
		Dock: &session.DockStation{Hub: r.dev.Client, Cache: r.dev.Store.Cache, Events: r.dev.Store.Store, Updates: r.dev.Puller}}
	for _, f := range with {
		f(r, &cfg)
	}
	d.s = session.New(r.ctx, cfg, r.dev.Hub, r.dev.Store, r.dev.Sender)
	t.Cleanup(d.s.Close)
	return d
}

// delivered waits until the outbox is empty and the hub said nothing
// against any step.
func (d *dockRig) delivered() {
	d.t.Helper()
	require.True(d.t, eventually(func() bool { st := d.s.View().Status; return st.Online && st.Queued == 0 }), "the outbox never drained")
	rej, err := d.dev.Store.Attention()
	require.NoError(d.t, err)
	require.Empty(d.t, rej, "the hub refused a step")
}

// load is a load as the hub holds it.
func (d *dockRig) load(id string) api.LoadView {
	d.t.Helper()
	v, err := d.hub.Store().Load(context.Background(), id)
	require.NoError(d.t, err)
	return v
}

func act(a flow.Action) flow.Input { return flow.ActionInput(a, time.Now()) }

func loadedSSCCs(v api.LoadView) []string {
	var out []string
	for _, c := range v.Loaded {
		out = append(out, c.SSCC)
	}
	return out
}

// TestLoadClosedShortWithLeadOverride: a loader loads at a door; a carton
// of another load is refused; the close with cartons missing needs a lead,
// whose PIN the hub checks at this device (a wrong one refused, masked);
// the lead's reason closes the load short. The work resumes at login. The
// hub keeps the load closed short, the lead and the reason, and an
// exception for each carton missing. A missing carton is left behind,
// planned on no load: staged in any lane, it goes on the next load of its
// carrier and service and is refused on another (wrong_load), by the
// terminal and the hub alike.
func TestLoadClosedShortWithLeadOverride(t *testing.T) {
	d := newDockRig(t)
	so1 := d.ship.Ship("SO-10001", 2) // DEMO Ground: planned on LD-0001
	so4 := d.ship.Ship("SO-10004", 1) // DEMO Ground
	so9 := d.ship.Ship("SO-10009", 1) // DEMO Express: planned on LD-0002
	s := d.s
	send(t, s, text("U1001"))
	v := send(t, s, text("11"))
	require.Equal(t, session.ModeLoad, v.Mode, "%+v", v.Prompt.Problem)
	send(t, s, text("DOOR-01"))
	v = send(t, s, text(so1[0]))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	assert.Equal(t, "LOAD LD-0001", v.Prompt.Title)
	assert.Contains(t, fieldOf(v.Prompt, "Missing"), "2 ctn, 2 ord")
	v = send(t, s, text(so9[0]))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "WRONG LOAD", v.Prompt.Problem.Title)
	assert.Contains(t, v.Prompt.Problem.Detail, "LD-0002 (door DOOR-02, DEMO Express)")
	send(t, s, text(""))

	// Logged out and in again: back at the load, with what went on.
	send(t, s, act(session.ActMenu))
	send(t, s, text(session.KeyLogout))
	v = send(t, s, text("U1001"))
	require.Equal(t, session.ModeLoad, v.Mode)
	assert.Equal(t, "LOAD LD-0001", v.Prompt.Title)
	d.delivered()
	ld := d.load("LD-0001")
	assert.Equal(t, domain.LoadStatusLoading, ld.Status)
	assert.Equal(t, []string{so1[0]}, loadedSSCCs(ld))

	v = send(t, s, act(flow.ActClose))
	assert.Equal(t, "SHORT CLOSE", v.Prompt.Title, "%+v %+v", v.Prompt.Problem, v.Prompt)
	assert.Equal(t, "U1003", v.Prompt.Scan, "the demo offers its lead's badge")
	v = send(t, s, text("U1003"))
	require.Equal(t, session.ModePIN, v.Mode)
	assert.True(t, v.Secret)
	v = send(t, s, text("9731"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "WRONG PIN", v.Prompt.Problem.Title)
	send(t, s, text(""))
	v = send(t, s, text(demoLeadPIN))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	assert.Equal(t, "SHORT REASON", v.Prompt.Title)
	send(t, s, text("2"))
	v = send(t, s, act(flow.ActNoSeal))
	assert.Equal(t, "LOAD CLOSED", v.Prompt.Title)
	assert.Equal(t, "2", fieldOf(v.Prompt, "Short"))
	v = send(t, s, text(""))
	assert.Equal(t, "LOAD", v.Prompt.Title, "on to the next load")

	d.delivered()
	ld = d.load("LD-0001")
	assert.Equal(t, domain.LoadStatusClosed, ld.Status)
	require.NotNil(t, ld.Override)
	assert.Equal(t, domain.LoadOverride{LeadID: "u1003", Reason: string(domain.LoadShortNotFound)}, *ld.Override)
	assert.ElementsMatch(t, []domain.ShortCarton{{SSCC: so1[1], OrderID: "SO-10001"}, {SSCC: so4[0], OrderID: "SO-10004"}}, ld.Short)
	exc, err := d.ship.Admin().Exceptions(t.Context())
	require.NoError(t, err)
	require.Len(t, exc, 2)
	for _, x := range exc {
		assert.Equal(t, "LD-0001", x.LoadID)
		assert.Equal(t, "u1003", x.LeadID)
		assert.Equal(t, string(domain.LoadShortNotFound), x.Reason)
		assert.Equal(t, "u1001", x.UserID)
		assert.Equal(t, "gun-s", x.DeviceID)
	}

	// A carton closed short is left behind, planned on no load: it goes on
	// the next load of its carrier and service (planned through the API key
	// at DOOR-03), and not on LD-0002 (DEMO Express), at the terminal as at
	// the hub.
	next, err := d.ship.Admin().CreateLoad(t.Context(), api.CreateLoadRequest{Carrier: "DEMO", Service: "Ground", Door: "DOOR-03",
		ScheduledAt: time.Now().Add(24 * time.Hour).UTC()})
	require.NoError(t, err)
	d.dev.Puller.Kick()
	require.True(t, eventually(func() bool {
		list, _, err := d.dev.Store.Cache.CachedDock()
		i := slices.IndexFunc(list.Cartons, func(c api.DockCarton) bool { return c.SSCC == so4[0] })
		return err == nil && i >= 0 && list.Cartons[i].LoadID == "" &&
			slices.ContainsFunc(list.Loads, func(l api.LoadView) bool { return l.ID == next.ID })
	}), "the dock list never showed the carton left behind and the next load")
	send(t, s, act(session.ActMenu))
	send(t, s, text("10"))
	send(t, s, text(so4[0]))
	v = send(t, s, text("STG-03"))
	require.Nil(t, v.Prompt.Problem, "a carton left behind goes in any lane: %+v", v.Prompt.Problem)
	send(t, s, act(session.ActMenu))
	send(t, s, text("11"))
	send(t, s, text("DOOR-02"))
	refusedAlike(t, d, so4[0], "WRONG LOAD", api.CodeWrongLoad, func() string {
		return d.ship.Try(domain.EventCartonLoaded, "u1001", domain.CartonLoaded{LoadID: "LD-0002", SSCC: so4[0], OrderID: "SO-10004"})
	})
	send(t, s, act(flow.ActBack)) // off LD-0002, to another door
	v = send(t, s, text("DOOR-03"))
	assert.Equal(t, "LOAD "+next.ID, v.Prompt.Title)
	v = send(t, s, text(so4[0]))
	require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	d.delivered()
	ld = d.load(next.ID)
	assert.Equal(t, []string{so4[0]}, loadedSSCCs(ld))
	assert.Equal(t, []string{"SO-10004"}, ld.Orders, "loading the carton planned its order on the next load")
	exc, err = d.ship.Admin().Exceptions(t.Context())
	require.NoError(t, err)
	for _, x := range exc {
		if x.SSCC == so4[0] {
			assert.Equal(t, next.ID, x.LoadedOn, "the exception is resolved")
		}
	}
}

// TestLoadClosedCompleteWithSeal: every planned carton of two orders goes
// on; the close needs no lead and takes the trailer's seal. The hub keeps
// the load closed, complete, with the seal and no exception.
func TestLoadClosedCompleteWithSeal(t *testing.T) {
	d := newDockRig(t)
	cartons := append(d.ship.Ship("SO-10001", 2), d.ship.Ship("SO-10004", 1)...)
	s := d.s
	send(t, s, text("U1001"))
	send(t, s, text("11"))
	v := send(t, s, text("DOOR-01"))
	assert.Equal(t, "3 ctn, 2 ord", fieldOf(v.Prompt, "Missing"))
	for _, c := range cartons {
		v = send(t, s, text(c))
		require.Nil(t, v.Prompt.Problem, "%+v", v.Prompt.Problem)
	}
	assert.Equal(t, "none", fieldOf(v.Prompt, "Missing"))
	assert.Equal(t, "3 of 3", fieldOf(v.Prompt, "Loaded"))
	v = send(t, s, act(flow.ActClose))
	assert.Equal(t, "CLOSE LD-0001", v.Prompt.Title)
	v = send(t, s, text("SEAL-0042"))
	assert.Equal(t, "LOAD CLOSED", v.Prompt.Title)
	assert.Equal(t, "SEAL-0042", fieldOf(v.Prompt, "Seal"))
	assert.Equal(t, "0", fieldOf(v.Prompt, "Short"))
	v = send(t, s, text(""))
	assert.Equal(t, "DOOR-02", v.Prompt.Scan, "the hint is an open load's door, not the one just closed")

	d.delivered()
	ld := d.load("LD-0001")
	assert.Equal(t, domain.LoadStatusClosed, ld.Status)
	assert.Equal(t, "SEAL-0042", ld.Seal)
	assert.Equal(t, cartons, loadedSSCCs(ld))
	assert.Empty(t, ld.Short)
	assert.Nil(t, ld.Override)
	exc, err := d.ship.Admin().Exceptions(t.Context())
	require.NoError(t, err)
	assert.Empty(t, exc)
}

// TestShortCloseOfflineKeepsTheLoadOpen: without the hub the lead's PIN
// cannot be checked: the terminal says so and the load stays open; a
// carton loaded offline is loaded for the next scan too, and the hub takes
// it once it is back.
func TestShortCloseOfflineKeepsTheLoadOpen(t *testing.T) {
	d := newDockRig(t)
	so1 := d.ship.Ship("SO-10001", 2)
	s := d.s
	send(t, s, text("U1001"))
	send(t, s, text("11"))
	send(t, s, text("DOOR-01"))
	require.NoError(t, d.hub.Stop())
	v := send(t, s, text(so1[1]))
	require.Nil(t, v.Prompt.Problem)
	v = send(t, s, text(so1[1]))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "ALREADY LOADED", v.Prompt.Problem.Title)
	send(t, s, text(""))
	send(t, s, act(flow.ActClose))
	send(t, s, text("U1003"))
	v = send(t, s, text(demoLeadPIN))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "OFFLINE", v.Prompt.Problem.Title)
	v = send(t, s, text(""))
	assert.Equal(t, session.ModeLoad, v.Mode)
	assert.Equal(t, "LOAD LD-0001", v.Prompt.Title, "the load stays open")

	require.NoError(t, d.hub.Start())
	d.dev.Sender.Kick()
	d.delivered()
	assert.Equal(t, []string{so1[1]}, loadedSSCCs(d.load("LD-0001")))
	assert.Equal(t, domain.LoadStatusLoading, d.load("LD-0001").Status)
}

// TestStageWrongLane: a carton whose load waits in a lane goes there only;
// the hub keeps the lane it was staged in.
func TestStageWrongLane(t *testing.T) {
	d := newDockRig(t)
	so4 := d.ship.Ship("SO-10004", 1)
	s := d.s
	send(t, s, text("U1001"))
	v := send(t, s, text("10"))
	require.Equal(t, session.ModeStage, v.Mode, "%+v", v.Prompt.Problem)
	v = send(t, s, text(so4[0]))
	assert.Equal(t, "lane STG-01", v.Prompt.Expect)
	assert.Equal(t, "SO-10004", fieldOf(v.Prompt, "Order"))
	assert.Equal(t, "LD-0001", fieldOf(v.Prompt, "Load"))
	v = send(t, s, text("STG-02"))
	require.NotNil(t, v.Prompt.Problem)
	assert.Equal(t, "WRONG LANE", v.Prompt.Problem.Title)
	assert.Equal(t, api.CodeWrongLoad, d.ship.Try(domain.EventCartonStaged, "u1001", domain.CartonStaged{SSCC: so4[0], OrderID: "SO-10004", Lane: "STG-02"}),
		"the hub refuses the wrong lane too")
	send(t, s, text(""))
	v = send(t, s, text("STG-01"))
	require.Nil(t, v.Prompt.Problem)
	assert.Equal(t, "1", fieldOf(v.Prompt, "Staged"))
	assert.NotEqual(t, so4[0], v.Prompt.Scan, "the hint is not the carton just staged")

	d.delivered()
	dock, err := d.dev.Client.Dock(t.Context())
	require.NoError(t, err)
	for _, c := range dock.Cartons {
		if c.SSCC == so4[0] {
			assert.Equal(t, "STG-01", c.Lane)
		}
	}
}

func fieldOf(p flow.Prompt, label string) string {
	for _, f := range p.Fields {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}
