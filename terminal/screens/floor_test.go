package screens

import (
	"context"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// pickNow has u1002 pick one unit of the next task, now, through another
// device: a pick in the floor figures' window (the last 24 h).
func (d *driver) pickNow() {
	d.t.Helper()
	cx, store := context.Background(), d.hub.Store()
	_, err := store.Register(cx, api.RegisterRequest{DeviceID: "gun-k", EnrollKey: d.site.EnrollKey})
	require.NoError(d.t, err)
	claim, err := store.ClaimThrough(cx, "gun-k", "u1002")
	require.NoError(d.t, err)
	line := claim.Task.Lines[0]
	var evs []domain.Event
	for i, dr := range []domain.Draft{
		domain.NewDraft(domain.EventTaskStarted, time.Now(), "u1002", domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00042"}),
		domain.NewDraft(domain.EventLinePicked, time.Now(), "u1002", domain.PickLine{TaskID: claim.Task.ID, Line: line.Line, SKU: line.SKU, Location: line.Location, Tote: "T00042", Picked: 1}),
	} {
		ev, err := dr.Seal("gun-k", uint64(i+1), "k"+string(rune('1'+i)))
		require.NoError(d.t, err)
		evs = append(evs, ev)
	}
	res, err := store.Ingest(cx, "gun-k", api.IngestRequest{DeviceID: "gun-k", Events: evs})
	require.NoError(d.t, err)
	for _, r := range res.Results {
		require.Equal(d.t, api.StatusApplied, r.Status, r.Message)
	}
}

// floorFigures: the lead opens the floor figures (after the PIN), then the
// picking pace by user and by zone, each back to the summary.
func floorFigures(d *driver) {
	d.t.Helper()
	d.pickNow()
	d.typeLine("U1003")
	d.expect("MENU")
	d.typeLine("12") // the menu's last row: below the fold of a 20×16 gun

	d.keyPIN(demoLeadPIN)
	d.expect("FLOOR FIGURES", "OTIF", "1 Users")
	d.typeLine("1")
	d.expect("PICKS BY USER", "u1002", "1.0u")
	d.press(tcell.KeyEscape)
	d.expect("FLOOR FIGURES")
	d.typeLine("2")
	d.expect("PICKS BY ZONE", "1.0ln/h")
	d.press(tcell.KeyEscape)
	d.expect("FLOOR FIGURES")
	d.press(tcell.KeyEscape)
	d.expect("MENU")
}

// TestFloorFiguresAt20x16: the lead's floor figures on a 20-column gun.
func TestFloorFiguresAt20x16(t *testing.T) { floorFigures(newDriver(t, 20, 16)) }

// TestFloorFiguresAt80x24: the lead's floor figures on a station.
func TestFloorFiguresAt80x24(t *testing.T) { floorFigures(newDriver(t, 80, 24)) }
