// Package gs1 parses GS1 element strings (the data of GS1-128, GS1 DataMatrix,
// GS1 QR and GS1 DataBar barcodes) into application identifiers and values.
package gs1

import (
	"errors"
	"fmt"
	"strings"
)

// GS is the group separator that stands for FNC1 between fields.
const GS = '\x1d'

// Element is one application identifier and its value.
type Element struct {
	AI    string
	Value string
}

// ErrSyntax is wrapped by every parse error.
var ErrSyntax = errors.New("gs1 syntax")

// Error says which AI a parse failed at, and why.
type Error struct {
	AI     string // "" when the AI itself could not be read
	Offset int    // byte offset in the data
	Reason string
}

func (e *Error) Error() string {
	if e.AI == "" {
		return fmt.Sprintf("GS1 data at %d: %s", e.Offset, e.Reason)
	}
	return fmt.Sprintf("AI (%s): %s", e.AI, e.Reason)
}

// Unwrap makes errors.Is(err, ErrSyntax) true.
func (e *Error) Unwrap() error { return ErrSyntax }

// Parse splits an element string into elements. Fixed-length AIs need no GS
// after them; variable-length ones end at GS or the end of the data. A leading
// or trailing GS is tolerated. Check digits are verified where the AI has one.
func Parse(data string) ([]Element, error) {
	data = strings.TrimRight(strings.TrimLeft(data, string(GS)), string(GS))
	if data == "" {
		return nil, &Error{Reason: "empty"}
	}
	var out []Element
	for i := 0; i < len(data); {
		def, ok := lookup(data[i:])
		if !ok {
			end := min(i+4, len(data))
			return out, &Error{Offset: i, Reason: fmt.Sprintf("unknown application identifier %q", data[i:end])}
		}
		ai := data[i : i+def.aiLen]
		i += def.aiLen
		var value string
		if def.fixed > 0 {
			if i+def.fixed > len(data) {
				return out, &Error{AI: ai, Offset: i, Reason: fmt.Sprintf("needs %d characters, has %d", def.fixed, len(data)-i)}
			}
			value = data[i : i+def.fixed]
			i += def.fixed
			if i < len(data) && data[i] == GS { // a GS after a fixed field is harmless
				i++
			}
		} else {
			end := strings.IndexByte(data[i:], GS)
			if end < 0 {
				end = len(data) - i
			}
			value = data[i : i+end]
			i += end + 1
			if len(value) == 0 {
				return out, &Error{AI: ai, Offset: i, Reason: "empty value"}
			}
			if len(value) > def.max {
				return out, &Error{AI: ai, Offset: i, Reason: fmt.Sprintf("%d characters, at most %d allowed (a missing GS?)", len(value), def.max)}
			}
		}
		if err := def.check(ai, value); err != nil {
			return out, err
		}
		out = append(out, Element{AI: ai, Value: value})
	}
	return out, nil
}

// Get returns the value of the first element with the AI.
func Get(els []Element, ai string) (string, bool) {
	for _, e := range els {
		if e.AI == ai {
			return e.Value, true
		}
	}
	return "", false
}
