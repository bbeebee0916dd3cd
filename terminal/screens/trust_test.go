package screens

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/flow"
)

// bothSizes runs f at the two screen sizes of the trade.
func bothSizes(t *testing.T, f func(t *testing.T, w, h int)) {
	for _, size := range []struct{ w, h int }{{20, 16}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) { f(t, size.w, size.h) })
	}
}

// hostileName is an item description as a hostile or broken host system
// might send it: tview tags with a URL part, a click region, an escape
// sequence.
const hostileName = "Bolt[red:blue:bu:http://x]X[:::click]Y\x1b[31mZ"

// TestHubTextShownLiterally: an item name with tview tags of every form and
// a control character is shown as text on the screen (the tags' brackets
// neutralised, the control character stripped), and styles nothing.
func TestHubTextShownLiterally(t *testing.T) {
	bothSizes(t, func(t *testing.T, w, h int) {
		d := newDriver(t, w, h, func(s setup) {
			for i := range s.site.Items {
				s.site.Items[i].Description = hostileName
			}
		})
		d.typeLine("U1001")
		d.typeLine("1")
		d.scanHint() // tote
		d.expect("Scan location")
		d.scanHint() // location
		require.Equal(t, flow.StepItem, d.sess.View().Step)
		right := d.sess.View().Prompt.Scan
		wrong := ""
		for _, it := range d.site.Items {
			if it.SKU != right && it.GTIN != right && !strings.HasSuffix(it.GTIN, right) {
				wrong = it.SKU
				break
			}
		}
		require.NotEmpty(t, wrong)
		d.typeLine(wrong)
		d.expect("WRONG ITEM")
		shown := strings.ReplaceAll(strings.Join(d.screen(), ""), " ", "")
		for _, part := range []string{"red:blue:bu:http://x]X", ":::click]Y", "[31mZ"} {
			assert.Contains(t, shown, part, "shown as text, not taken as a tag")
		}
		assert.NotContains(t, shown, "\x1b", "control characters stripped")
		cells, _, _ := d.sim.GetContents()
		for _, c := range cells {
			_, bg, attr := c.Style.Decompose()
			assert.NotEqual(t, tcell.ColorBlue, bg, "no background from the hub's text")
			assert.Zero(t, attr&tcell.AttrUnderline, "no underline from the hub's text")
		}
	})
}

// TestStatusLineSaysNotEnrolledAndPlainHTTP: a device the hub revoked shows
// DEVICE NOT ENROLLED (shortened on a gun), never OFFLINE; a hub reached over
// plain HTTP off loopback shows HTTP!.
func TestStatusLineSaysNotEnrolledAndPlainHTTP(t *testing.T) {
	bothSizes(t, func(t *testing.T, w, h int) {
		d := newDriver(t, w, h, func(s setup) { s.session.PlainHTTP = true })
		d.expect("HTTP!")
		require.NoError(t, api.NewClient(d.hub.URL(), nil).WithToken(d.site.APIKey).RevokeDevice(context.Background(), "gun-t"))
		d.typeLine("U1001")
		d.expect("DEVICE NOT ENROLLED", "Enter to acknowledge")
		if w >= 40 {
			d.expect("DEVICE NOT ENROLLED — ask the lead")
		}
		status := d.screen()[h-1]
		assert.Contains(t, status, "NOT ENROLLED")
		assert.NotContains(t, status, "OFFLINE")
	})
}

// TestRecoveredStoreOnTheLoginScreen: what a damaged store gave back and
// lost is the first screen, until acknowledged.
func TestRecoveredStoreOnTheLoginScreen(t *testing.T) {
	bothSizes(t, func(t *testing.T, w, h int) {
		notice := "Store damaged, replaced. Unsent seq 3-7: 3 recovered. LOST: seq 4, 6: redo them."
		d := newDriver(t, w, h, func(s setup) { s.session.Recovered = notice })
		d.expect("STORE RECOVERED", "LOST:", "seq 4, 6", "Enter to acknowledge")
		d.typeLine("")
		d.expect("Scan your badge")
		d.expectGone("STORE RECOVERED")
	})
}
