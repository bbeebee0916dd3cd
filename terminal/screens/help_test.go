package screens

import (
	"testing"

	"github.com/gdamore/tcell/v2"
)

// TestHelpAt20x16 shows the keys that work now, and the program's own
// controls (which the narrow hint bar leaves out), on one 20×16 screen.
func TestHelpAt20x16(t *testing.T) {
	d := newDriver(t, 20, 16)
	ran := make(chan struct{}, 1)
	d.term.App().QueueUpdate(func() {
		d.term.AddControl(Control{Key: tcell.KeyF9, Command: "H", Label: "Hub on/off", Run: func() { ran <- struct{}{} }})
	})
	d.typeLine("U1001")
	d.typeLine("1")
	d.expect("Scan tote", "M Menu ? Help")
	d.expectGone("Hub on/off")

	d.sim.InjectKey(tcell.KeyF1, 0, tcell.ModNone)
	d.expect("KEYS NOW", "F2/M Menu", "F9/H Hub on/off", "Ctrl+C Quit", "Any key: back")
	d.sim.InjectKey(tcell.KeyEscape, 0, tcell.ModNone) // any key
	d.expect("Scan tote")
	d.expectGone("KEYS NOW")

	d.sim.InjectKey(tcell.KeyF9, 0, tcell.ModNone)
	<-ran
}

// TestResizeRelaysTheView: a station terminal made narrow re-lays its hint
// bar for the new width at once: the program's controls give way to "? Help".
func TestResizeRelaysTheView(t *testing.T) {
	d := newDriver(t, 80, 24)
	d.term.App().QueueUpdate(func() {
		d.term.AddControl(Control{Key: tcell.KeyF9, Command: "H", Label: "Hub on/off", Run: func() {}})
	})
	d.typeLine("U1001")
	d.expect("MENU", "X Logout H Hub on/off")
	d.sim.SetSize(20, 16)
	d.sim.PostEvent(tcell.NewEventResize(20, 16))
	d.expect("X Logout ? Help")
	d.expectGone("Hub on/off")
}
