package screens

import (
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/assert"
)

// monoScreen is a terminal without colours, as a vt100 gun is.
type monoScreen struct{ tcell.SimulationScreen }

func (monoScreen) Colors() int { return 0 }

// TestErrorsInReverseVideoWithoutColours: on a terminal without colours an
// error's title and detail are in reverse video; with colours they are not
// (the red background says it).
func TestErrorsInReverseVideoWithoutColours(t *testing.T) {
	for name, mono := range map[string]bool{"no colours": true, "colours": false} {
		t.Run(name, func(t *testing.T) {
			d := newDriver(t, 20, 16, func(s setup) {
				if mono {
					*s.screen = monoScreen{*s.screen}
				}
			})
			d.typeLine("A-01-01") // not a badge
			d.expect("NOT A BADGE")
			assert.Equal(t, mono, d.reversed("NOT A BADGE"))
		})
	}
}

// reversed reports whether text starts a run of cells in reverse video.
func (d *driver) reversed(text string) bool {
	got := make(chan bool, 1)
	d.term.App().QueueUpdate(func() {
		cells, _, _ := d.sim.GetContents()
		runes := []rune(text)
		for i := range cells {
			match := i+len(runes) <= len(cells)
			for j := 0; match && j < len(runes); j++ {
				match = len(cells[i+j].Runes) > 0 && cells[i+j].Runes[0] == runes[j]
			}
			if match {
				_, _, attr := cells[i].Style.Decompose()
				got <- attr&tcell.AttrReverse != 0
				return
			}
		}
		got <- false
	})
	return <-got
}
