package main

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// vtScreen is just enough of a VT100 to read what a tcell program shows:
// cursor positioning, erasing and text; colours and modes are ignored.
type vtScreen struct {
	rows, cols int
	cells      [][]rune
	r, c       int
}

func newVTScreen(rows, cols int) *vtScreen {
	s := &vtScreen{rows: rows, cols: cols}
	s.cells = make([][]rune, rows)
	for i := range s.cells {
		s.cells[i] = []rune(strings.Repeat(" ", cols))
	}
	return s
}

// feed interprets a whole output stream from the start.
func (s *vtScreen) feed(b string) {
	for len(b) > 0 {
		switch b[0] {
		case 0x1b:
			b = s.escape(b[1:])
			continue
		case '\r':
			s.c = 0
		case '\n':
			s.r = min(s.r+1, s.rows-1)
		case '\a', '\b':
		default:
			r, n := utf8.DecodeRuneInString(b)
			if r >= ' ' && s.r < s.rows && s.c < s.cols {
				s.cells[s.r][s.c] = r
				s.c++
			}
			b = b[n:]
			continue
		}
		b = b[1:]
	}
}

// escape handles what follows ESC and returns the rest of the stream.
func (s *vtScreen) escape(b string) string {
	if b == "" {
		return b
	}
	if b[0] != '[' {
		if b[0] == '(' || b[0] == ')' {
			return b[min(2, len(b)):]
		}
		return b[1:]
	}
	i := 1
	for i < len(b) && (b[i] < 0x40 || b[i] > 0x7e) {
		i++
	}
	if i >= len(b) {
		return ""
	}
	params, final := b[1:i], b[i]
	num := func(k, def int) int {
		parts := strings.Split(strings.TrimLeft(params, "?"), ";")
		if k < len(parts) {
			if n, err := strconv.Atoi(parts[k]); err == nil {
				return n
			}
		}
		return def
	}
	switch final {
	case 'H', 'f':
		s.r, s.c = min(num(0, 1), s.rows)-1, min(num(1, 1), s.cols)-1
	case 'J':
		if num(0, 0) == 2 {
			for r := range s.cells {
				s.clear(r, 0)
			}
		}
	case 'K':
		s.clear(s.r, s.c)
	}
	return b[i+1:]
}

func (s *vtScreen) clear(r, from int) {
	for c := from; c < s.cols; c++ {
		s.cells[r][c] = ' '
	}
}

// text is the screen, one line a row.
func (s *vtScreen) text() string {
	lines := make([]string, s.rows)
	for i, row := range s.cells {
		lines[i] = strings.TrimRight(string(row), " ")
	}
	return strings.Join(lines, "\n")
}
