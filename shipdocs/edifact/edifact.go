// Package edifact writes and reads UN/EDIFACT segments with the default
// service characters, announced in a UNA: component separator ':', element
// separator '+', decimal mark '.', release character '?', segment
// terminator, the apostrophe.
//
// Values are written in syntax level C (UNOC, ISO 8859-1): a character
// outside Latin-1 becomes '?', and the four service characters + : ' ? are
// released with '?'. Written segments end in "'\n": the newline is for
// people reading the file and is skipped by Parse (and by the translators
// that take line breaks between segments).
package edifact

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Service characters of the interchanges this package writes.
const (
	ComponentSep = ':'
	ElementSep   = '+'
	Decimal      = '.'
	Release      = '?'
	Terminator   = '\''
	// UNA is the service string advice naming them.
	UNA = "UNA:+.? '"
)

// ErrData is wrapped by errors about a value a segment cannot carry, and by
// Parse's errors.
var ErrData = errors.New("edifact: bad data")

// Element is one data element: a simple element has one component, a
// composite several.
type Element []string

// E makes an element of its components.
func E(components ...string) Element { return components }

// Writer collects segments and counts them. The zero value is ready.
type Writer struct {
	b     []byte
	count int
	err   error
}

// Service writes the UNA, which is not a segment and is not counted.
func (w *Writer) Service() {
	w.b = append(w.b, UNA...)
	w.b = append(w.b, '\n')
}

// Segment writes one segment: its tag and elements, each value released
// and encoded in Latin-1; trailing empty components and elements are
// dropped. A value with a control character is kept as the Writer's error.
func (w *Writer) Segment(tag string, elems ...Element) {
	if w.err != nil {
		return
	}
	elems = trimElements(elems)
	for i, e := range elems {
		for _, c := range e {
			if strings.IndexFunc(c, unicode.IsControl) >= 0 {
				w.err = fmt.Errorf("%w: %s element %d: %q holds a control character", ErrData, tag, i+1, c)
				return
			}
		}
	}
	w.b = append(w.b, tag...)
	for _, e := range elems {
		w.b = append(w.b, ElementSep)
		for j, c := range e {
			if j > 0 {
				w.b = append(w.b, ComponentSep)
			}
			w.b = appendReleased(w.b, c)
		}
	}
	w.b = append(w.b, Terminator, '\n')
	w.count++
}

// Count is the number of segments written so far (the UNA not counted).
func (w *Writer) Count() int { return w.count }

// Bytes returns what was written, or the first error met.
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return w.b, nil
}

// trimElements drops trailing empty components and elements.
func trimElements(elems []Element) []Element {
	out := make([]Element, len(elems))
	for i, e := range elems {
		n := len(e)
		for n > 0 && e[n-1] == "" {
			n--
		}
		out[i] = e[:n]
	}
	n := len(out)
	for n > 0 && len(out[n-1]) == 0 {
		n--
	}
	return out[:n]
}

// appendReleased appends s in Latin-1 with the service characters released.
func appendReleased(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == ComponentSep || r == ElementSep || r == Release || r == Terminator:
			b = append(b, Release, byte(r))
		case r > 0xFF:
			b = append(b, Release, '?') // the replacement '?' is released too
		default:
			b = append(b, byte(r))
		}
	}
	return b
}

// Latin1 is s as the writer encodes it, decoded back: characters outside
// ISO 8859-1 become '?'. Parse returns written values this way.
func Latin1(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFF {
			return '?'
		}
		return r
	}, s)
}

// Length is the length EDIFACT counts for a value's an..n limit: its
// characters, the release characters not counted.
func Length(s string) int { return utf8.RuneCountInString(s) }

// ID checks an identifier for an element of at most max characters: it
// must be non-empty, Latin-1 and free of control characters. Service
// characters are fine: they are released.
func ID(name, v string, max int) (string, error) {
	switch {
	case v == "":
		return "", fmt.Errorf("%w: %s is empty", ErrData, name)
	case Length(v) > max:
		return "", fmt.Errorf("%w: %s %q is longer than %d", ErrData, name, v, max)
	case !utf8.ValidString(v) || Latin1(v) != v || strings.IndexFunc(v, unicode.IsControl) >= 0:
		return "", fmt.Errorf("%w: %s %q is not printable Latin-1", ErrData, name, v)
	}
	return v, nil
}

// Text makes free text fit an element of at most max characters: control
// characters and runs of spaces become one space, the result is cut to max
// (characters outside Latin-1 become '?' when written).
func Text(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
	s = strings.ToValidUTF8(s, "?")
	if utf8.RuneCountInString(s) > max {
		s = strings.TrimRight(string([]rune(s)[:max]), " ")
	}
	return s
}
