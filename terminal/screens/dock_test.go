package screens

import (
	"fmt"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/internal/shiptest"
)

// TestDockAtBothSizes stages and loads on a 20-column gun and on a
// station: a carton staged in its load's lane, two orders' cartons loaded
// onto LD-0001 at door DOOR-01, every refusal shown loudly and
// acknowledged, the missing list, a short close with a lead's override,
// and a complete close of LD-0002 with a seal, the screen asking for the
// close key once nothing is missing.
func TestDockAtBothSizes(t *testing.T) {
	for _, size := range []struct{ w, h int }{{20, 16}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) { dockScreens(t, size.w, size.h) })
	}
}

// refused scans a carton the dock refuses and checks the screen says so
// loudly (the error tone, the title) until Enter acknowledges it.
func (d *driver) refused(scan, title string) {
	d.t.Helper()
	beeps := d.sim.beeps.Load()
	d.typeLine(scan)
	d.expect(title, "Enter")
	require.True(d.t, waitFor(5*time.Second, func() bool { return d.sim.beeps.Load() > beeps }), "%s: no error tone", title)
	d.typeLine("")
	d.expectGone(title)
}

func dockScreens(t *testing.T, w, h int) {
	d := newDriver(t, w, h, dockTerminal)
	ship := shiptest.New(t, d.hub.URL(), d.site, "pack-1")
	so1 := ship.Ship("SO-10001", 2) // DEMO Ground: LD-0001
	so4 := ship.Ship("SO-10004", 1) // DEMO Ground: LD-0001
	so8 := ship.Ship("SO-10008", 1) // DEMO Ground: LD-0001, cancelled below
	so9 := ship.Ship("SO-10009", 1) // DEMO Express: LD-0002
	nlx := ship.Ship("SO-10002", 1) // NLX Parcel: no load
	held := ship.Pack("SO-10012")
	ship.Hold("SO-10012")

	d.typeLine("U1001")
	d.expect("MENU")
	d.typeLine("10")
	d.expect("STAGE", "Scan carton")
	d.typeLine(so4[0])
	d.expect("lane STG-01", "SO-10004")
	d.refused("STG-02", "WRONG LANE")
	d.typeLine("STG-01")
	d.expect("Scan carton", "Staged 1")

	d.typeLine("M")
	d.typeLine("11")
	d.expect("LOAD", "Scan door or load")
	d.typeLine("DOOR-01")
	d.expect("LOAD LD-0001", "Missing 4 ctn, 3 ord")
	d.typeLine(so1[0])
	d.typeLine(so4[0])
	d.expect("Missing 2 ctn, 2 ord")
	d.refused(so9[0], "WRONG LOAD")
	d.refused(nlx[0], "WRONG LOAD")
	d.refused(held, "ORDER HELD")
	d.refused(ship.SSCC(), "UNKNOWN SSCC")
	d.refused(so1[0], "ALREADY LOADED")
	// SO-10008 is cancelled at the hub: the dock list comes again through
	// the changes feed, and its carton is not missing any more.
	_, err := ship.Admin().CancelOrder(t.Context(), "SO-10008", "customer called")
	require.NoError(t, err)
	d.dev.Puller.Kick()
	d.expect("Missing 1 ctn, 1 ord")
	d.refused(so8[0], "ORDER CANCELLED")

	d.typeLine("L")
	d.expect("MISSING 1", so1[1][len(so1[1])-8:])
	d.press(tcell.KeyEscape)
	d.expect("LOAD LD-0001")

	// Closed short: the lead allows it with badge, PIN and reason.
	d.typeLine("C")
	d.expect("SHORT CLOSE", "Lead: scan badge")
	d.typeLine("U1003")
	d.keyPIN(demoLeadPIN)
	d.expect("SHORT REASON", "2 Not found")
	d.typeLine("2")
	d.expect("CLOSE LD-0001", "Scan trailer seal")
	d.typeLine("N")
	d.expect("LOAD CLOSED", "Short 1")
	d.typeLine("")
	d.expect("Scan door or load")

	// LD-0002 complete, with a seal.
	d.typeLine("DOOR-02")
	d.expect("LOAD LD-0002", "Missing 1 ctn, 1 ord")
	d.typeLine(so9[0])
	d.expect("Missing none", "All loaded", "C Close")
	d.typeLine("C")
	d.expect("CLOSE LD-0002", "Scan trailer seal")
	d.typeLine("SEAL-0042")
	d.expect("LOAD CLOSED", "SEAL-0042", "Short 0")

	require.True(t, waitFor(10*time.Second, func() bool { return d.sess.View().Status.Queued == 0 }), "the dock's steps never reached the hub")
	require.Zero(t, d.sess.View().Status.Attention, "the hub refused a step")
	for id, want := range map[string]int{"LD-0001": 1, "LD-0002": 0} {
		ld, err := d.hub.Store().Load(t.Context(), id)
		require.NoError(t, err)
		assert.Equal(t, domain.LoadStatusClosed, ld.Status, id)
		assert.Len(t, ld.Short, want, id)
	}
}
