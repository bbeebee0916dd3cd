package screens

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// demoLeadPIN is the demo lead's (U1003) PIN, in demodata/site.json.
const demoLeadPIN = "4242"

// asLead is the device's hub client with a lead session of the demo lead,
// for tests that set work up or check it as a lead would.
func (d *driver) asLead() *api.Client {
	d.t.Helper()
	ls, err := d.dev.Client.LeadLogin(context.Background(), "U1003", demoLeadPIN)
	require.NoError(d.t, err)
	return d.dev.Client.WithLeadSession(ls.Token)
}

// keyPIN answers the lead's PIN prompt as a lead would, checking that what
// is typed shows masked and never in clear.
func (d *driver) keyPIN(pin string) {
	d.t.Helper()
	d.expect("LEAD PIN")
	before := d.sess.View().Handled
	for _, r := range pin {
		d.sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
	// A key that is no character ends the wedge's held burst: the digits
	// reach the input line, as typed by hand.
	d.sim.InjectKey(tcell.KeyLeft, 0, tcell.ModNone)
	d.expect("> " + strings.Repeat("*", len(pin)))
	assert.NotContains(d.t, strings.Join(d.screen(), "\n"), pin, "the PIN never shows")
	d.sim.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
	d.idle(before)
	d.expectGone("LEAD PIN")
}

// countLocation counts the location in hand: the location, three units of
// whatever the hint offers, then done.
func countLocation(d *driver) {
	d.t.Helper()
	d.expect("Scan location")
	d.typeLine(d.sess.View().Prompt.Scan)
	for i := 0; i < 3; i++ {
		d.typeLine(d.sess.View().Prompt.Scan)
	}
	d.expect("Counted 3")
	d.typeLine("D")
}

// TestCountRecountApproveAt20x16: a blind count far off the books makes a
// recount for another user; the two counts agree, and the adjustment, worth
// more than a counter may book, waits for the lead, who approves it.
func TestCountRecountApproveAt20x16(t *testing.T) {
	d := newDriver(t, 20, 16)
	loc := d.site.Locations[0].Code
	_, err := d.asLead().CreateCounts(context.Background(), api.CreateCountsRequest{UserID: "u1003", By: domain.CountByLocations, Locations: []string{loc}})
	require.NoError(t, err)

	d.typeLine("U1001")
	d.expect("4 Count")
	d.typeLine("4")
	d.expect("COUNT 1/1", loc)
	countLocation(d)
	d.expect("COUNT DONE")
	d.typeLine("")
	d.expect("sent")
	d.typeLine("X")

	require.True(t, waitFor(10*time.Second, func() bool {
		tasks, err := d.hub.Store().CountTasks(t.Context())
		require.NoError(t, err)
		for _, ct := range tasks {
			if ct.By == domain.CountByRecount && ct.Status == domain.TaskOpen {
				assert.Contains(t, ct.NotUsers, "u1001", "a different user recounts")
				return true
			}
		}
		return false
	}), "the count beyond the threshold made a recount")

	d.typeLine("U1002")
	d.typeLine("4")
	d.expect("RECOUNT 1/1", loc)
	countLocation(d)
	d.expect("RECOUNT DONE")
	d.typeLine("")
	d.typeLine("X")

	require.True(t, waitFor(10*time.Second, func() bool {
		adjs, err := d.asLead().Adjustments(context.Background(), "u1003", api.AdjustPending)
		return err == nil && len(adjs) == 1
	}), "the agreed count proposes an adjustment that waits for a lead")
	d.typeLine("U1003")
	d.expect("8 Approvals")
	d.typeLine("8")
	d.keyPIN(demoLeadPIN)
	d.expect("APPROVE 1/1", loc, "1 Approve")
	d.typeLine("1")
	d.expect("approved")
	adjs, err := d.asLead().Adjustments(context.Background(), "u1003", api.AdjustApplied)
	require.NoError(t, err)
	require.Len(t, adjs, 1)
	assert.Equal(t, "u1003", adjs[0].DecidedBy)
}

// TestReturnThreeDispositionsAt20x16 receives an RMA's three units: one
// restocked to a location, one scrapped, one quarantined; the two not
// restocked get route labels, and the hub records the receipt.
func TestReturnThreeDispositionsAt20x16(t *testing.T) {
	d := newDriver(t, 20, 16)
	d.typeLine("U1002")
	d.typeLine("5")
	d.expect("RETURNS", "Scan RMA or label")
	d.typeLine("RMA-50002")
	d.expect("RETURN RMA-50002")
	for i, disposition := range []string{"1", "3", "4"} { // restock, scrap, quarantine
		d.typeLine(d.sess.View().Prompt.Scan) // the item
		d.typeLine("1")                       // condition: new
		d.typeLine(disposition)
		if i == 0 {
			d.typeLine(d.sess.View().Prompt.Scan) // the put-away location
		}
	}
	d.typeLine("D")
	d.expect("SENT RMA-50002")
	d.typeLine("")
	require.True(t, waitFor(10*time.Second, func() bool {
		r, err := d.hub.Store().Return(t.Context(), "RMA-50002")
		return err == nil && r.Receipt != nil
	}), "the receipt reached the hub")
	r, err := d.hub.Store().Return(t.Context(), "RMA-50002")
	require.NoError(t, err)
	var got []domain.Disposition
	for _, u := range r.Receipt.Units {
		got = append(got, u.Disposition)
	}
	assert.ElementsMatch(t, []domain.Disposition{domain.DispRestock, domain.DispScrap, domain.DispQuarantine}, got)
	require.True(t, waitFor(10*time.Second, func() bool { return len(d.printer.Formats()) == 2 }), "two route labels")
}
