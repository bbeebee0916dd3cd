package serve

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// KeyProfile is a gun model's own key sequences: what the client sends
// (in the notation ParseSequence reads, e.g. "CSI 35~") → the key it means
// ("F5"). Sequences tcell already decodes need no entry.
type KeyProfile map[string]string

// canonical is the sequence tcell decodes for each key a profile can name.
func canonical(key string) ([]byte, bool) {
	k := strings.ToUpper(strings.TrimSpace(key))
	switch k {
	case "F1", "F2", "F3", "F4":
		return []byte{0x1b, 'O', 'P' + k[1] - '1'}, true
	case "ENTER":
		return []byte{'\r'}, true
	case "TAB":
		return []byte{'\t'}, true
	case "BACKSPACE":
		return []byte{0x7f}, true
	case "ESC":
		return []byte{0x1b}, true
	case "UP":
		return []byte("\x1b[A"), true
	case "DOWN":
		return []byte("\x1b[B"), true
	case "RIGHT":
		return []byte("\x1b[C"), true
	case "LEFT":
		return []byte("\x1b[D"), true
	case "PGUP":
		return []byte("\x1b[5~"), true
	case "PGDN":
		return []byte("\x1b[6~"), true
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(k, "F")); err == nil && strings.HasPrefix(k, "F") && n >= 5 && n <= 20 {
		codes := [...]int{15, 17, 18, 19, 20, 21, 23, 24, 25, 26, 28, 29, 31, 32, 33, 34} // VT220 F5–F20
		return fmt.Appendf(nil, "\x1b[%d~", codes[n-5]), true
	}
	return nil, false
}

// ParseSequence reads a key sequence written as space-separated tokens:
// ESC, CSI (ESC [), SS3 (ESC O), CR, LF, TAB, NUL, GS, ^X (a control
// character), 0xNN (a byte), or literal text. "CSI 35~" is ESC [ 3 5 ~.
func ParseSequence(s string) ([]byte, error) {
	var out []byte
	for tok := range strings.FieldsSeq(s) {
		switch strings.ToUpper(tok) {
		case "ESC":
			out = append(out, 0x1b)
		case "CSI":
			out = append(out, 0x1b, '[')
		case "SS3":
			out = append(out, 0x1b, 'O')
		case "CR":
			out = append(out, '\r')
		case "LF":
			out = append(out, '\n')
		case "TAB":
			out = append(out, '\t')
		case "NUL":
			out = append(out, 0)
		case "GS":
			out = append(out, 0x1d)
		default:
			switch {
			case len(tok) == 2 && tok[0] == '^' && tok[1] >= '@' && tok[1] <= '_':
				out = append(out, tok[1]-'@')
			case len(tok) == 4 && strings.HasPrefix(strings.ToLower(tok), "0x"):
				b, err := strconv.ParseUint(tok[2:], 16, 8)
				if err != nil {
					return nil, fmt.Errorf("key sequence %q: %w", s, err)
				}
				out = append(out, byte(b))
			default:
				out = append(out, tok...)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("key sequence %q is empty", s)
	}
	return out, nil
}

// keyMap rewrites a profile's sequences into the ones tcell decodes. It is
// immutable once built and shared by the connections of a gun model.
type keyMap struct {
	from [][]byte // longest first
	to   [][]byte
}

// newKeyMap builds the rewriting for a profile.
func newKeyMap(p KeyProfile) (*keyMap, error) {
	type pair struct{ from, to []byte }
	var pairs []pair
	for seq, key := range p {
		from, err := ParseSequence(seq)
		if err != nil {
			return nil, err
		}
		to, ok := canonical(key)
		if !ok {
			return nil, fmt.Errorf("key profile: %q is not a key (F1–F20, Enter, Tab, Backspace, Esc, Up, Down, Left, Right, PgUp, PgDn)", key)
		}
		pairs = append(pairs, pair{from, to})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if len(pairs[i].from) != len(pairs[j].from) {
			return len(pairs[i].from) > len(pairs[j].from)
		}
		return bytes.Compare(pairs[i].from, pairs[j].from) < 0
	})
	m := &keyMap{}
	for _, p := range pairs {
		m.from, m.to = append(m.from, p.from), append(m.to, p.to)
	}
	return m, nil
}

// rewrite appends in to out with the profile's sequences replaced. A tail of
// in that could be the start of a sequence is returned as held, to be put
// before the next input (a sequence split across packets is still one key)
// or passed on as it is when no more comes soon.
func (m *keyMap) rewrite(out, in []byte) (_ []byte, held []byte) {
	if m == nil || len(m.from) == 0 {
		return append(out, in...), nil
	}
next:
	for i := 0; i < len(in); {
		rest := in[i:]
		for j, f := range m.from {
			if bytes.HasPrefix(rest, f) {
				out = append(out, m.to[j]...)
				i += len(f)
				continue next
			}
		}
		for _, f := range m.from {
			if len(rest) < len(f) && bytes.HasPrefix(f, rest) {
				return out, append([]byte(nil), rest...)
			}
		}
		out = append(out, in[i])
		i++
	}
	return out, nil
}
