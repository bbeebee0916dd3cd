package screens

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
)

// TestClusterPick drives a cluster pick of the demo's three small orders by
// keys at the two screen sizes: totes onto the cart (one already on it
// refused), the merged lines walked once with every put confirmed by its
// tote (a wrong tote refused, loudly), one line short; the hub then holds
// each order picked into its own tote, and each tote packs on its own.
func TestClusterPick(t *testing.T) {
	for _, size := range []struct{ w, h int }{{20, 16}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) { clusterPick(t, size.w, size.h) })
	}
}

func clusterPick(t *testing.T, w, h int) {
	d := newDriver(t, w, h)
	d.typeLine("U1001")
	d.expect("MENU", "2 Cluster pick")
	d.typeLine("2")
	d.expect("CLUSTER TOTE P1", "Scan tote for P1")
	cluster := d.sess.View().TaskID
	require.NotEmpty(t, cluster)

	// One tote per cart position; a tote already on the cart is refused.
	d.scanHint()
	d.expect("CLUSTER TOTE P2")
	d.typeLine("T10013") // at P1 already
	d.expect("TOTE ON CART", "Enter to acknowledge")
	d.typeLine("")
	d.scanHint() // P2
	d.expect("CLUSTER TOTE P3")
	d.scanHint() // P3

	// Walk the merged lines; at the first put, scan the wrong tote.
	wrongDone, shortDone := false, false
	for i := 0; i < 80 && d.sess.View().Step != flow.StepDone; i++ {
		v := d.sess.View()
		require.Nil(t, v.Prompt.Problem, "at %s: %+v", v.Step, v.Prompt.Problem)
		switch {
		case v.Step == flow.StepPut && !wrongDone:
			put := field(v.Prompt, "Put") // "P1 T10013"
			wrong := "T10014"
			if strings.HasSuffix(put, "T10014") {
				wrong = "T10015"
			}
			beeps := d.sim.beeps.Load()
			d.typeLine(wrong)
			d.expect("WRONG TOTE", wrong, "Enter to acknowledge")
			require.True(t, waitFor(5*time.Second, func() bool { return d.sim.beeps.Load() >= beeps+2 }), "the error tone sounds twice")
			d.typeLine("")
			d.expect("scan P")
			wrongDone = true
		case v.Step == flow.StepItem && wrongDone && !shortDone:
			d.typeLine("S")
			d.expect("Short reason", "1 Not found")
			d.typeLine("1")
			shortDone = true
		default:
			d.expect(v.Prompt.Ask)
			d.scanHint()
		}
	}
	d.expect("CLUSTER DONE", "Totes to packing", "Short")
	require.True(t, wrongDone && shortDone)

	// Each order's events reached the hub as a pick of its own.
	require.True(t, waitFor(10*time.Second, func() bool { return d.sess.View().Status.Queued == 0 }), "the queue drains")
	shorts := 0
	for _, order := range []string{"SO-10013", "SO-10014", "SO-10015"} {
		task, err := d.hub.Store().Task(t.Context(), "T-"+order)
		require.NoError(t, err)
		assert.Equal(t, domain.TaskDone, task.Status, order)
		assert.Equal(t, "T"+strings.TrimPrefix(order, "SO-"), task.Tote, "%s in its own tote", order)
		bos, err := d.hub.Store().Backorders(t.Context(), order)
		require.NoError(t, err)
		shorts += len(bos)
	}
	assert.Equal(t, 1, shorts, "one line short, backordered")

	// Enter: back to the menu; the totes pack one by one.
	d.typeLine("")
	d.expect("MENU", cluster+" done")
	d.typeLine("3")
	d.expect("PACK", "Scan tote or order")
	d.typeLine("T10013")
	d.expect("PACK SO-10013")
}
