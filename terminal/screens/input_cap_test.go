package screens

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInputLineCapped: thousands of characters typed or pasted
// without Enter (through the keyboard wedge, as on a gun) fill the input
// line to MaxInput and no further, the expect line says the line is full,
// and the terminal goes on taking keys: Enter submits, the next badge logs
// in.
func TestInputLineCapped(t *testing.T) {
	bothSizes(t, func(t *testing.T, w, h int) {
		d := newDriver(t, w, h)
		for i := 0; i < 2000; i++ { // past the wedge's burst cap (1024) and the line's (256)
			d.sim.InjectKey(tcell.KeyRune, rune('a'+i%26), tcell.ModNone)
		}
		// A key that is no character ends the wedge's burst; the screen
		// answers it once every key before it was taken.
		d.sim.InjectKey(tcell.KeyLeft, 0, tcell.ModNone)
		d.expect(inputFullText())
		text := make(chan string, 1)
		d.term.App().QueueUpdate(func() { text <- d.term.input.GetText() })
		got := <-text
		assert.Len(t, got, MaxInput, "the line holds MaxInput characters, no more")
		assert.True(t, strings.HasPrefix(got, "abcdefghijklmnopqrstuvwxyzabc"), "the first characters, in order")

		before := d.sess.View().Handled
		d.sim.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
		d.idle(before)
		d.expectGone(inputFullText())
		require.NotNil(t, d.sess.View().Prompt.Problem, "the long line is refused as a badge")
		d.typeLine("")
		d.typeLine("U1001")
		d.expect("MENU", "1 Pick")
	})
}
