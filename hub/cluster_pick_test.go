package hub_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoClusterPicksAndPacks picks the demo's cluster of three orders
// with the device's cluster flow, following its demo hints, shorting one
// line, and sends the events to the hub: each order is picked, and each tote
// is found at the pack station as after a single pick.
func TestDemoClusterPicksAndPacks(t *testing.T) {
	f := newFixture(t, demoSite(t))
	rules, err := demodata.Rules()
	require.NoError(t, err)
	claim := f.claimCluster("u1001")
	tasks, items, locations := claim.Parts()
	require.Len(t, tasks, 3)
	c, err := flow.NewCluster(claim.ID, tasks, items, locations, "u1001")
	require.NoError(t, err)

	at := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	var drafts []domain.Draft
	shorted := false
	for i := 0; i < 100 && !c.Finished(); i++ {
		pr := c.Prompt()
		in := flow.ScanInput(barcode.NewScan(pr.Scan, at, "test"))
		if c.Step == flow.StepItem && !shorted && c.Lines[c.Cur].Pos == 2 {
			in, shorted = flow.ActionInput(flow.ActShort, at), true // P2's first line: short it
		} else if c.Step == flow.StepShort {
			in = flow.TextInput(pr.Scan, at)
		}
		o := c.Handle(flow.Env{Rules: rules}, in)
		require.Nil(t, o.Problem, "hint %q at %s", pr.Scan, c.Step)
		drafts = append(drafts, o.Events...)
	}
	require.True(t, c.Finished())
	require.True(t, shorted)

	var evs []domain.Event
	for i, d := range drafts {
		evs = append(evs, f.ev(fmt.Sprintf("cl-%d", i), d.Type, d.UserID, d.Payload))
	}
	for _, r := range f.send(evs...) {
		require.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	backorders, err := f.client.Backorders(ctx(t))
	require.NoError(t, err)
	require.Len(t, backorders, 1)
	assert.Equal(t, c.Orders[1].OrderID, backorders[0].OrderID)
	for _, o := range c.Orders {
		assert.Equal(t, domain.OrderPicked, f.order(o.OrderID).Status, o.OrderID)
		assert.Equal(t, domain.TaskDone, f.task(o.TaskID).Status, o.TaskID)
		work, err := f.client.PackWork(ctx(t), o.Tote, "")
		require.NoError(t, err, o.Tote)
		assert.Equal(t, o.OrderID, work.Order.ID, "tote %s packs its own order", o.Tote)
		assert.NotEmpty(t, work.Picked)
	}
}
