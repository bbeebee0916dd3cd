package screens

import "github.com/gdamore/tcell/v2"

// printable is every printable ASCII character once, in order: a cell's
// text is a slice of it, which costs no allocation.
const printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

// drawScreen is the screen as the tview application sees it. It makes a
// draw cheap in two ways:
//
//   - tview draws the whole tree after every key, and clears the screen
//     first. A frame nothing changed (a key the keyboard wedge holds back, a
//     view equal to the one shown) is skipped: the clear is put off until the
//     draw is known to be needed, and Show does nothing for a skipped frame.
//   - tcell's SetContent makes a string of every cell it is given (one
//     allocation a cell, 320 on a 20×16 gun, most of them the background's
//     spaces); printable ASCII is put from a constant instead.
//
// It is touched only on the UI goroutine.
type drawScreen struct {
	tcell.Screen
	skip bool // the frame being drawn is skipped
}

// SetContent puts one cell, without an allocation for printable ASCII.
func (s *drawScreen) SetContent(x, y int, primary rune, combining []rune, style tcell.Style) {
	if len(combining) == 0 && primary >= ' ' && primary <= '~' {
		i := int(primary - ' ')
		s.Screen.Put(x, y, printable[i:i+1], style)
		return
	}
	s.Screen.SetContent(x, y, primary, combining, style)
}

// Clear is put off to begin (tview clears before every draw, needed or not).
func (s *drawScreen) Clear() {}

// begin starts a frame: a skipped one leaves the screen as it is, a drawn
// one starts from a clear screen.
func (s *drawScreen) begin(draw bool) {
	s.skip = !draw
	if draw {
		s.Screen.Clear()
	}
}

// Show sends the frame to the terminal, unless it was skipped.
func (s *drawScreen) Show() {
	if s.skip {
		s.skip = false
		return
	}
	s.Screen.Show()
}
