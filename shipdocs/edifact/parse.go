package edifact

import (
	"fmt"
	"strings"
)

// Segment is one parsed segment: its tag and elements, each a list of
// components with the release characters removed.
type Segment struct {
	Tag      string
	Elements []Element
}

// Value returns component c of element e, both counted from 1 (the first
// element after the tag is 1), or "" when absent.
func (s Segment) Value(e, c int) string {
	if e < 1 || e > len(s.Elements) || c < 1 || c > len(s.Elements[e-1]) {
		return ""
	}
	return s.Elements[e-1][c-1]
}

// Parse splits an interchange into segments. A leading UNA sets the service
// characters (else the defaults); bytes are read as ISO 8859-1. Line breaks
// between segments are skipped. A release character at the end, or data
// after the last terminator, is an error.
func Parse(data []byte) ([]Segment, error) {
	comp, elem, rel, term := byte(ComponentSep), byte(ElementSep), byte(Release), byte(Terminator)
	if len(data) >= 3 && string(data[:3]) == "UNA" {
		if len(data) < 9 {
			return nil, fmt.Errorf("%w: short UNA", ErrData)
		}
		comp, elem, rel, term = data[3], data[4], data[6], data[8]
		if rel == ' ' {
			rel = 0 // no release character
		}
		if comp == elem || comp == term || elem == term || (rel != 0 && (rel == comp || rel == elem || rel == term)) {
			return nil, fmt.Errorf("%w: UNA service characters repeat", ErrData)
		}
		data = data[9:]
	}
	var (
		segs []Segment
		seg  Segment
		el   Element
		cur  strings.Builder
		open bool // a segment has started
	)
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !open && (c == '\r' || c == '\n') {
			continue
		}
		open = true
		switch {
		case rel != 0 && c == rel:
			i++
			if i == len(data) {
				return nil, fmt.Errorf("%w: release character at the end", ErrData)
			}
			cur.WriteRune(rune(data[i]))
		case c == comp:
			el = append(el, cur.String())
			cur.Reset()
		case c == elem || c == term:
			el = append(el, cur.String())
			cur.Reset()
			if !segStarted(seg) {
				seg.Tag = el[0]
				seg.Elements = []Element{}
			} else {
				seg.Elements = append(seg.Elements, el)
			}
			el = nil
			if c == term {
				if seg.Tag == "" {
					return nil, fmt.Errorf("%w: a segment without a tag", ErrData)
				}
				segs = append(segs, seg)
				seg = Segment{}
				open = false
			}
		default:
			cur.WriteRune(rune(c))
		}
	}
	if open {
		return nil, fmt.Errorf("%w: the last segment is not terminated", ErrData)
	}
	return segs, nil
}

// segStarted reports whether seg's tag was read (its element list is made).
func segStarted(seg Segment) bool { return seg.Elements != nil }
