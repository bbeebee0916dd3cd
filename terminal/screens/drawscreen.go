package screens

import (
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
)

// printable is every printable ASCII character once, in order: a cell's
// text is a slice of it, which costs no allocation.
const printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

// maxRuneCache bounds the strings kept for characters outside printable
// ASCII (arrows, accented letters of names): past it a cell's text is made
// anew each time.
const maxRuneCache = 512

// frameCell is one cell of a frame: its text (one character and any
// combining marks) and its style. A zero frameCell is "unknown": it differs
// from every cell drawn, so it is always sent.
type frameCell struct {
	str   string
	style tcell.Style
}

// cursor is where the frame puts the cursor; x < 0 hides it.
type cursor struct{ x, y int }

// drawScreen is the screen as the tview application sees it. tview draws
// the whole tree after every event, and first blanks every cell: on the
// screen tcell keeps, a cell blanked and then written again counts as
// changed, so every character was encoded and sent again after every key.
// drawScreen keeps tview's frame in a buffer of its own instead, and on Show
// hands tcell only the cells that differ from the frame shown. A frame that
// differs in nothing (no cell, not the cursor) is not sent at all: the
// decision is made on what would be drawn, so no change is ever lost.
//
// shown mirrors what the tcell screen holds. It is forgotten (every cell
// sent again) when the screen's size changes, on every resize event (tcell
// resizes its own buffer then, keeping or dropping cells as it sees fit),
// and after Sync repaints the terminal from tcell's buffer.
//
// It is touched only on the UI goroutine, except resized, which is set on
// tview's event goroutine.
type drawScreen struct {
	tcell.Screen
	w, h    int
	frame   []frameCell // the frame being drawn
	shown   []frameCell // what the tcell screen holds
	cur     cursor      // the cursor as the frame being drawn leaves it
	shownAt cursor      // the cursor as last sent
	skip    bool        // the frame being drawn is known to change nothing: Show sends nothing
	resized atomic.Bool // a resize event went to the application: forget shown
	runes   map[rune]string
	sent    int // frames sent to the terminal (for tests and benchmarks)
}

// newDrawScreen wraps screen.
func newDrawScreen(screen tcell.Screen) *drawScreen {
	return &drawScreen{Screen: screen, cur: cursor{-1, -1}, shownAt: cursor{-2, -2}, runes: map[rune]string{}}
}

// text is the cell text for a character and its combining marks, without an
// allocation for printable ASCII or for a character seen before.
func (s *drawScreen) text(primary rune, combining []rune) string {
	if len(combining) == 0 {
		if primary >= ' ' && primary <= '~' {
			i := int(primary - ' ')
			return printable[i : i+1]
		}
		if t, ok := s.runes[primary]; ok {
			return t
		}
		t := string(primary)
		if len(s.runes) < maxRuneCache {
			s.runes[primary] = t
		}
		return t
	}
	return string(append([]rune{primary}, combining...))
}

// at is the frame's cell at x, y; nil off the frame.
func (s *drawScreen) at(x, y int) *frameCell {
	if x < 0 || y < 0 || x >= s.w || y >= s.h {
		return nil
	}
	return &s.frame[y*s.w+x]
}

// put writes one cell of the frame. As tcell does, a colour of
// tcell.ColorNone keeps the cell's colour.
func (s *drawScreen) put(x, y int, str string, style tcell.Style) {
	c := s.at(x, y)
	if c == nil {
		return
	}
	fg, bg, _ := style.Decompose()
	if fg == tcell.ColorNone || bg == tcell.ColorNone {
		oldFg, oldBg, _ := c.style.Decompose()
		if fg == tcell.ColorNone {
			style = style.Foreground(oldFg)
		}
		if bg == tcell.ColorNone {
			style = style.Background(oldBg)
		}
	}
	c.str, c.style = str, style
}

// SetContent writes one cell of the frame.
func (s *drawScreen) SetContent(x, y int, primary rune, combining []rune, style tcell.Style) {
	s.put(x, y, s.text(primary, combining), style)
}

// Put writes the first character of str (with its combining marks) into
// the frame, and returns the rest and the columns used.
func (s *drawScreen) Put(x, y int, str string, style tcell.Style) (string, int) {
	if str == "" {
		return "", 0
	}
	_, n := utf8.DecodeRuneInString(str)
	for n < len(str) {
		r, k := utf8.DecodeRuneInString(str[n:])
		if !unicode.In(r, unicode.Mn, unicode.Me) {
			break
		}
		n += k
	}
	s.put(x, y, str[:n], style)
	return str[n:], 1
}

// PutStrStyled writes str from x on, a character a cell.
func (s *drawScreen) PutStrStyled(x, y int, str string, style tcell.Style) {
	for w := 0; str != "" && x < s.w; x += w {
		str, w = s.Put(x, y, str, style)
	}
}

// PutStr writes str from x on in the default style.
func (s *drawScreen) PutStr(x, y int, str string) { s.PutStrStyled(x, y, str, tcell.StyleDefault) }

// SetCell writes a cell of the frame.
func (s *drawScreen) SetCell(x, y int, style tcell.Style, ch ...rune) {
	if len(ch) == 0 {
		s.put(x, y, " ", style)
		return
	}
	s.SetContent(x, y, ch[0], ch[1:], style)
}

// Get reads a cell of the frame.
func (s *drawScreen) Get(x, y int) (string, tcell.Style, int) {
	c := s.at(x, y)
	if c == nil || c.str == "" {
		return " ", tcell.StyleDefault, 1
	}
	return c.str, c.style, 1
}

// GetContent reads a cell of the frame (tview keeps a cell's background
// when it prints over it).
func (s *drawScreen) GetContent(x, y int) (rune, []rune, tcell.Style, int) {
	str, style, w := s.Get(x, y)
	r, _ := utf8.DecodeRuneInString(str)
	return r, nil, style, w
}

// Clear starts a frame: blank, at the screen's size now.
func (s *drawScreen) Clear() { s.Fill(' ', tcell.StyleDefault) }

// Fill starts a frame filled with r.
func (s *drawScreen) Fill(r rune, style tcell.Style) {
	s.begin()
	c := frameCell{s.text(r, nil), style}
	for i := range s.frame {
		s.frame[i] = c
	}
}

// begin fits the buffers to the screen's size; at a new size nothing is
// known to be shown.
func (s *drawScreen) begin() {
	w, h := s.Screen.Size()
	if w != s.w || h != s.h || len(s.frame) != w*h {
		s.w, s.h = w, h
		s.frame = make([]frameCell, w*h)
		s.shown = make([]frameCell, w*h)
	}
}

// ShowCursor puts the cursor at x, y when the frame is sent.
func (s *drawScreen) ShowCursor(x, y int) {
	s.cur = cursor{x, y}
	s.Screen.ShowCursor(x, y)
}

// HideCursor hides the cursor when the frame is sent.
func (s *drawScreen) HideCursor() { s.ShowCursor(-1, -1) }

// PollEvent is the screen's next event; a resize makes the next frame go
// out whole.
func (s *drawScreen) PollEvent() tcell.Event {
	ev := s.Screen.PollEvent()
	if _, ok := ev.(*tcell.EventResize); ok {
		s.resized.Store(true)
	}
	return ev
}

// skipFrame says the frame being drawn changes nothing (the caller knows:
// a key the keyboard wedge holds back): Show sends nothing and looks at
// nothing.
func (s *drawScreen) skipFrame() { s.skip = true }

// Show sends the cells of the frame that differ from the frame shown, and
// nothing when none does and the cursor stayed.
func (s *drawScreen) Show() {
	if s.skip {
		s.skip = false
		return
	}
	if s.resized.Swap(false) {
		clear(s.shown) // tcell resized its buffer: send the frame whole
	}
	changed := s.cur != s.shownAt
	for i := range s.frame {
		if c := s.frame[i]; c != s.shown[i] {
			s.Screen.Put(i%s.w, i/s.w, c.str, c.style)
			s.shown[i] = c
			changed = true
		}
	}
	if !changed {
		return
	}
	s.shownAt = s.cur
	s.sent++
	s.Screen.Show()
}

// Sync repaints the whole terminal (Ctrl+L, a garbled screen): tcell
// clears it and draws every cell it holds, which is the frame shown.
func (s *drawScreen) Sync() {
	s.shownAt = s.cur
	s.Screen.Sync()
}
