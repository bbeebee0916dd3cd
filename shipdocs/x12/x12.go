// Package x12 writes and reads ANSI X12 segments with fixed delimiters:
// element separator '*', component separator '>', segment terminator '~'.
//
// X12 004010 has no release (escape) character, so a value can never carry
// a delimiter: the writer refuses identifiers that contain one (ErrData) and
// offers Text to clean free text (names, addresses) before it is written.
// Written segments end in "~\n": the newline is for people reading the file,
// is not part of the segment (the ISA is 106 characters up to and including
// its '~'), and Parse skips it, as X12 translators do.
package x12

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Delimiters of the interchanges this package writes.
const (
	ElementSep   = '*'
	ComponentSep = '>'
	Terminator   = '~'
)

// ErrData is wrapped by errors about a value a segment cannot carry.
var ErrData = errors.New("x12: value cannot be written")

// Writer collects segments and counts them. The zero value is ready.
type Writer struct {
	b     strings.Builder
	count int
	err   error
}

// Segment writes one segment: its id and elements, trailing empty elements
// dropped. Elements must hold no delimiter and no control character; the
// first bad one is kept as the Writer's error.
func (w *Writer) Segment(id string, elems ...string) {
	if w.err != nil {
		return
	}
	last := len(elems)
	for last > 0 && elems[last-1] == "" {
		last--
	}
	for i, e := range elems[:last] {
		if err := check(e); err != nil {
			w.err = fmt.Errorf("%s%02d: %w", id, i+1, err)
			return
		}
	}
	w.b.WriteString(id)
	for _, e := range elems[:last] {
		w.b.WriteByte(ElementSep)
		w.b.WriteString(e)
	}
	w.b.WriteByte(Terminator)
	w.b.WriteByte('\n')
	w.count++
}

// Raw writes a segment already formatted, followed by the terminator: the
// ISA, whose elements are fixed-width and whose ISA16 is the component
// separator itself. The caller has checked its elements.
func (w *Writer) Raw(seg string) {
	if w.err != nil {
		return
	}
	w.b.WriteString(seg)
	w.b.WriteByte(Terminator)
	w.b.WriteByte('\n')
	w.count++
}

// Count is the number of segments written so far.
func (w *Writer) Count() int { return w.count }

// Bytes returns what was written, or the first error met.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return []byte(w.b.String()), nil
}

// check refuses delimiters, control characters and non-ASCII bytes.
func check(e string) error {
	for i := 0; i < len(e); i++ {
		c := e[i]
		switch {
		case c == ElementSep || c == ComponentSep || c == Terminator:
			return fmt.Errorf("%w: %q holds the delimiter %q", ErrData, e, c)
		case c < 0x20 || c >= 0x7F:
			return fmt.Errorf("%w: %q holds a byte outside printable ASCII", ErrData, e)
		}
	}
	return nil
}

// ID checks an identifier (a PO, a SKU, a lot) for an element of at most
// max characters: it must be non-empty printable ASCII without delimiters.
// Identifiers are never altered: a changed identifier names something else.
func ID(name, v string, max int) (string, error) {
	switch {
	case v == "":
		return "", fmt.Errorf("%w: %s is empty", ErrData, name)
	case len(v) > max:
		return "", fmt.Errorf("%w: %s %q is longer than %d", ErrData, name, v, max)
	}
	if err := check(v); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// Text makes free text (a name, a street) writable in an element of at
// most max characters: accents are dropped (é → e), other characters
// outside printable ASCII become '?', delimiters and control characters a
// space; runs of spaces are collapsed and the result is cut to max.
func Text(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == ElementSep || r == ComponentSep || r == Terminator || unicode.IsSpace(r) || unicode.IsControl(r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r >= 0x7F:
			r = '?'
		}
		space = false
		b.WriteRune(r)
	}
	out := strings.TrimRight(b.String(), " ")
	if len(out) > max {
		out = strings.TrimRight(out[:max], " ")
	}
	return out
}

// Segment is one parsed segment: its id and elements (Elements[0] is the
// first element after the id, so X12's XX01 is Elements[0]).
type Segment struct {
	ID       string
	Elements []string
}

// Element returns the n-th element counted from 1 as X12 names it (BSN02 is
// Element(2)), or "" when absent.
func (s Segment) Element(n int) string {
	if n < 1 || n > len(s.Elements) {
		return ""
	}
	return s.Elements[n-1]
}

// Parse splits an interchange into segments. The delimiters are read from
// the ISA, as X12 defines them: the element separator is the byte after
// "ISA", the component separator ISA16 and the terminator the byte after it
// (the ISA is fixed at 106 characters). Line breaks after a terminator are
// skipped.
func Parse(data []byte) ([]Segment, error) {
	if len(data) < 106 || string(data[:3]) != "ISA" {
		return nil, fmt.Errorf("%w: no 106-character ISA at the start", ErrData)
	}
	elem, term := data[3], data[105]
	if elem == term || isAlnum(elem) || isAlnum(term) {
		return nil, fmt.Errorf("%w: ISA delimiters %q and %q", ErrData, elem, term)
	}
	var segs []Segment
	for _, raw := range strings.Split(string(data), string(term)) {
		raw = strings.TrimLeft(raw, "\r\n")
		if raw == "" {
			continue
		}
		parts := strings.Split(raw, string(elem))
		segs = append(segs, Segment{ID: parts[0], Elements: parts[1:]})
	}
	if last := strings.TrimRight(string(data), "\r\n"); last[len(last)-1] != term {
		return nil, fmt.Errorf("%w: the last segment is not terminated", ErrData)
	}
	return segs, nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == ' '
}
