package zpl

import (
	"fmt"
	"strings"
)

// gsByte stands for FNC1 in the data handed to the Code 128 encoder (GS1 only).
const gsByte = 0x1D

// Code 128 module counts: every symbol character is 11 modules wide, the stop
// pattern 13, and a quiet zone of 10 modules is needed on each side.
const (
	code128SymbolModules = 11
	code128StopModules   = 13
	code128QuietModules  = 10
)

// code128Field is Code 128 data encoded for ^BC in mode N: an explicit start
// code, subset switches and ZPL invocation codes, ready for ^FH escaping.
type code128Field struct {
	data    string // invocation-coded field data
	symbols int    // symbol characters between start and check character
}

// modules is the width of the symbol in modules, without quiet zones.
func (f code128Field) modules() int {
	return (f.symbols+2)*code128SymbolModules + code128StopModules
}

// encodeCode128 turns printable ASCII (and, when gs1 is set, GS for FNC1) into
// ^BC mode N field data. Runs of four or more digits go into subset C (two
// digits per symbol), everything else into subset B. '>', '^' and '~' become
// the invocation codes >0, >< and >= so they are data, never commands.
func encodeCode128(s string, gs1 bool) (code128Field, error) {
	if s == "" {
		return code128Field{}, fmt.Errorf("%w: empty Code 128 data", ErrData)
	}
	if err := checkCode128(s, gs1); err != nil {
		return code128Field{}, err
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	f := code128Field{}
	subsetC := false
	first := 0
	if gs1 && s[0] == gsByte {
		first = 1
	}
	if run := digitRun(s, first); run >= 4 || (gs1 && run >= 2) || (run >= 2 && run%2 == 0 && run == len(s)) {
		b.WriteString(">;")
		subsetC = true
	} else {
		b.WriteString(">:")
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == gsByte:
			b.WriteString(">8")
			i++
		case subsetC && i+1 < len(s) && isDigit(c) && isDigit(s[i+1]):
			b.WriteString(s[i : i+2])
			i += 2
		case subsetC:
			b.WriteString(">6") // CODE B
			subsetC = false
		default:
			if run := digitRun(s, i); run >= 4 {
				if run%2 == 1 {
					b.WriteByte(c)
					i++
					f.symbols++
				}
				b.WriteString(">5") // CODE C
				subsetC = true
				break
			}
			writeCode128B(&b, c)
			i++
		}
		f.symbols++
	}
	f.data = b.String()
	return f, nil
}

func writeCode128B(b *strings.Builder, c byte) {
	switch c {
	case '>':
		b.WriteString(">0")
	case '^':
		b.WriteString("><")
	case '~':
		b.WriteString(">=")
	default:
		b.WriteByte(c)
	}
}

func digitRun(s string, i int) int {
	n := 0
	for i+n < len(s) && isDigit(s[i+n]) {
		n++
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// checkCode128 refuses bytes subsets B and C cannot carry.
func checkCode128(s string, gs1 bool) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 0x20 || c > 0x7E) && !(gs1 && c == gsByte) {
			return fmt.Errorf("%w: Code 128 takes printable ASCII only, %q has byte 0x%02X at %d", ErrData, s, c, i)
		}
	}
	return nil
}

// EscapeCode128B returns printable ASCII s as ^BC mode N data in subset B:
// '>', '^' and '~' become the invocation codes >0, >< and >=. Template values
// placed in a Code 128 field go through it (and then through ^FH escaping).
func EscapeCode128B(s string) (string, error) {
	if err := checkCode128(s, false); err != nil {
		return "", err
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		writeCode128B(&b, s[i])
	}
	return b.String(), nil
}
