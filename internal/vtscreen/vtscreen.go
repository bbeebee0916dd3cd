// Package vtscreen is a small VT100/xterm screen model for tests and the
// load driver: it reads what a tcell program writes to a terminal (cursor
// addressing, erasing, text) and says what the screen shows. Colours,
// attributes and modes are read and ignored. Input may arrive in pieces of
// any size: an escape sequence split across writes is still one sequence.
package vtscreen

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

type mode uint8

const (
	ground   mode = iota
	escaped       // after ESC
	csi           // after ESC [
	charset       // after ESC ( or ESC ): one designator byte follows
	stString      // OSC, DCS: until BEL or ESC \
)

// Screen is a grid of runes with a cursor. The zero value is not usable:
// call New.
type Screen struct {
	w, h   int
	cells  [][]rune
	row    int
	col    int
	st     mode
	params []byte
	utf    []byte // a UTF-8 sequence in progress
	bells  int
}

// New makes a blank width×height screen.
func New(width, height int) *Screen {
	s := &Screen{}
	s.Resize(width, height)
	return s
}

// Resize changes the size, keeping what fits.
func (s *Screen) Resize(width, height int) {
	cells := make([][]rune, height)
	for r := range cells {
		cells[r] = make([]rune, width)
		for c := range cells[r] {
			cells[r][c] = ' '
			if r < s.h && c < s.w {
				cells[r][c] = s.cells[r][c]
			}
		}
	}
	s.w, s.h, s.cells = width, height, cells
	s.row, s.col = min(s.row, height-1), min(s.col, width-1)
}

// Write feeds the terminal's output; it never fails.
func (s *Screen) Write(p []byte) (int, error) {
	for _, b := range p {
		s.byte(b)
	}
	return len(p), nil
}

// Bells counts the BEL characters seen.
func (s *Screen) Bells() int { return s.bells }

func (s *Screen) byte(b byte) {
	switch s.st {
	case escaped:
		switch b {
		case '[':
			s.st, s.params = csi, s.params[:0]
		case '(', ')', '*', '+':
			s.st = charset
		case ']', 'P', 'X', '^', '_':
			s.st = stString
		default:
			s.st = ground
		}
		return
	case charset:
		s.st = ground
		return
	case stString:
		if b == 0x07 || b == '\\' {
			s.st = ground
		}
		return
	case csi:
		if b >= 0x40 && b <= 0x7e {
			s.st = ground
			s.control(b)
		} else {
			s.params = append(s.params, b)
		}
		return
	}
	switch {
	case b == 0x1b:
		s.st, s.utf = escaped, s.utf[:0]
	case b == '\r':
		s.col = 0
	case b == '\n':
		s.row = min(s.row+1, s.h-1)
	case b == '\b':
		s.col = max(s.col-1, 0)
	case b == 0x07:
		s.bells++
	case b < ' ' || b == 0x7f:
		// SO, SI and the other controls: nothing to show
	default:
		s.utf = append(s.utf, b)
		if !utf8.FullRune(s.utf) {
			return
		}
		r, _ := utf8.DecodeRune(s.utf)
		s.utf = s.utf[:0]
		if s.row < s.h && s.col < s.w {
			s.cells[s.row][s.col] = r
		}
		s.col = min(s.col+1, s.w) // no autowrap: tcell turns it off
	}
}

// arg is the i-th numeric parameter, def when absent or zero.
func (s *Screen) arg(i, def int) int {
	p := strings.TrimLeft(string(s.params), "?>=")
	parts := strings.Split(p, ";")
	if i >= len(parts) {
		return def
	}
	n, err := strconv.Atoi(parts[i])
	if err != nil || n == 0 {
		return def
	}
	return n
}

func (s *Screen) control(final byte) {
	switch final {
	case 'H', 'f':
		s.row = min(s.arg(0, 1), s.h) - 1
		s.col = min(s.arg(1, 1), s.w) - 1
	case 'A':
		s.row = max(s.row-s.arg(0, 1), 0)
	case 'B':
		s.row = min(s.row+s.arg(0, 1), s.h-1)
	case 'C':
		s.col = min(s.col+s.arg(0, 1), s.w-1)
	case 'D':
		s.col = max(s.col-s.arg(0, 1), 0)
	case 'G':
		s.col = min(s.arg(0, 1), s.w) - 1
	case 'd':
		s.row = min(s.arg(0, 1), s.h) - 1
	case 'J':
		switch s.arg(0, 0) {
		case 0:
			s.erase(s.row, s.col, s.h-1, s.w)
		case 1:
			s.erase(0, 0, s.row, s.col+1)
		default:
			s.erase(0, 0, s.h-1, s.w)
		}
	case 'K':
		switch s.arg(0, 0) {
		case 0:
			s.erase(s.row, s.col, s.row, s.w)
		case 1:
			s.erase(s.row, 0, s.row, s.col+1)
		default:
			s.erase(s.row, 0, s.row, s.w)
		}
	case 'X':
		s.erase(s.row, s.col, s.row, min(s.col+s.arg(0, 1), s.w))
	}
}

// erase blanks from (r0, c0) to (r1, c1), c1 exclusive on the last row.
func (s *Screen) erase(r0, c0, r1, c1 int) {
	for r := r0; r <= r1 && r < s.h; r++ {
		from, to := 0, s.w
		if r == r0 {
			from = c0
		}
		if r == r1 {
			to = c1
		}
		for c := max(from, 0); c < min(to, s.w); c++ {
			s.cells[r][c] = ' '
		}
	}
}

// Text is the screen, one line a row, trailing blanks cut.
func (s *Screen) Text() string {
	lines := make([]string, s.h)
	for r, row := range s.cells {
		lines[r] = strings.TrimRight(string(row), " ")
	}
	return strings.Join(lines, "\n")
}

// Row is one row's text, trailing blanks cut.
func (s *Screen) Row(r int) string { return strings.TrimRight(string(s.cells[r]), " ") }

// Size is the screen's size.
func (s *Screen) Size() (width, height int) { return s.w, s.h }
