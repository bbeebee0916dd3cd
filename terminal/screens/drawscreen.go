package screens

import (
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
)

// printable is every printable ASCII character once, in order: a cell's
// text is a slice of it, which costs no allocation.
const printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

// frameCell is one cell of a frame being drawn.
type frameCell struct {
	str   string
	style tcell.Style
}

// drawScreen is the screen as the tview application sees it. It makes a
// draw cheap:
//
//   - tview draws the whole tree after every key. A frame nothing changed
//     in (a key the keyboard wedge holds back, a view equal to the one
//     shown) is skipped: Show does nothing for it.
//   - A frame is drawn into a buffer of its own and only the cells that
//     differ from the frame shown go to the tcell screen. tview clears every
//     cell to a space before it writes it, and tcell takes a cell that
//     changed twice in a frame for a new one: every character on the screen
//     was encoded and sent again after every key.
//   - tcell's SetContent makes a string of every cell it is given; printable
//     ASCII is put from a constant instead.
//
// It is touched only on the UI goroutine.
type drawScreen struct {
	tcell.Screen
	skip  bool        // the frame being drawn is skipped
	w, h  int         // the size frame and shown are for
	frame []frameCell // the frame being drawn
	shown []frameCell // what the tcell screen holds; str "" is unknown
}

// cellText is a cell's text, without an allocation for printable ASCII.
func cellText(primary rune, combining []rune) string {
	if len(combining) == 0 && primary >= ' ' && primary <= '~' {
		i := int(primary - ' ')
		return printable[i : i+1]
	}
	return string(append([]rune{primary}, combining...))
}

// SetContent puts one cell into the frame.
func (s *drawScreen) SetContent(x, y int, primary rune, combining []rune, style tcell.Style) {
	if x < 0 || y < 0 || x >= s.w || y >= s.h {
		return
	}
	s.frame[y*s.w+x] = frameCell{cellText(primary, combining), style}
}

// GetContent reads a cell of the frame (tview keeps a cell's background
// when it prints over it).
func (s *drawScreen) GetContent(x, y int) (rune, []rune, tcell.Style, int) {
	if x < 0 || y < 0 || x >= s.w || y >= s.h {
		return ' ', nil, tcell.StyleDefault, 1
	}
	c := s.frame[y*s.w+x]
	r, _ := utf8.DecodeRuneInString(c.str)
	return r, nil, c.style, 1
}

// Clear blanks the frame.
func (s *drawScreen) Clear() { s.Fill(' ', tcell.StyleDefault) }

// Fill fills the frame.
func (s *drawScreen) Fill(r rune, style tcell.Style) {
	c := frameCell{cellText(r, nil), style}
	for i := range s.frame {
		s.frame[i] = c
	}
}

// begin starts a frame: a skipped one leaves the screen as it is, a drawn
// one starts blank (at the screen's size now).
func (s *drawScreen) begin(draw bool) {
	s.skip = !draw
	if !draw {
		return
	}
	if w, h := s.Screen.Size(); w != s.w || h != s.h {
		s.w, s.h = w, h
		s.frame = make([]frameCell, w*h)
		s.shown = make([]frameCell, w*h) // unknown: every cell goes out
	}
	s.Clear()
}

// Show sends the cells of the frame that changed to the terminal, unless
// the frame was skipped.
func (s *drawScreen) Show() {
	if s.skip {
		s.skip = false
		return
	}
	for i, c := range s.frame {
		if c != s.shown[i] {
			s.Screen.Put(i%s.w, i/s.w, c.str, c.style)
			s.shown[i] = c
		}
	}
	s.Screen.Show()
}

// Sync redraws the whole terminal from the last frame drawn.
func (s *drawScreen) Sync() {
	for i, c := range s.frame {
		s.Screen.Put(i%s.w, i/s.w, c.str, c.style)
		s.shown[i] = c
	}
	s.skip = false
	s.Screen.Sync()
}
