// Package gs1 reads GS1 data: element strings (the data of GS1-128, GS1
// DataMatrix, GS1 QR and GS1 DataBar), the bracketed human-readable form
// "(01)…(10)…" and GS1 Digital Link URIs. Every AI of the GS1 Barcode Syntax
// Dictionary is known (syntax-dictionary.txt): lengths, character sets, check
// digits, dates, and which AIs require or exclude others.
package gs1

import (
	"fmt"
	"strings"
)

// Parse splits an element string into elements and validates them. AIs of
// predefined length need no GS after them; others end at GS or the end of the
// data. A leading or trailing GS is tolerated. On an error the elements read
// so far are returned with it.
func Parse(data string) ([]Element, error) {
	start := len(data) - len(strings.TrimLeft(data, string(GS)))
	data = strings.TrimRight(data, string(GS))
	if start >= len(data) {
		return nil, &Error{Reason: "empty", Err: ErrLength}
	}
	var out []Element
	for i := start; i < len(data); {
		d, ok := lookupPrefix(data[i:])
		if !ok {
			return out, unknownAI(data, i)
		}
		at := i
		i += len(d.AI)
		var value string
		if d.Predefined {
			n := d.MaxLen()
			if i+n > len(data) {
				n = len(data) - i
			}
			value = data[i : i+n]
			i += n
			if strings.IndexByte(value, GS) >= 0 {
				return out, &Error{AI: d.AI, Offset: at, Reason: fmt.Sprintf("%q has %d characters before the GS, needs %d", value, strings.IndexByte(value, GS), d.MaxLen()), Err: ErrLength}
			}
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
		}
		if err := d.checkValue(value); err != nil {
			err.Offset = at
			return out, err
		}
		out = append(out, Element{AI: d.AI, Value: value})
	}
	return out, CheckPairs(out)
}

func unknownAI(data string, i int) *Error {
	end := min(i+4, len(data))
	return &Error{Offset: i, Reason: fmt.Sprintf("unknown application identifier %q", data[i:end]), Err: ErrUnknownAI}
}

// CheckPairs checks the syntax dictionary's AI associations over a set of
// elements: each AI's required companions are present, excluded ones absent,
// and no AI appears twice with different values.
func CheckPairs(els []Element) error {
	seen := make(map[string]string, len(els))
	for _, e := range els {
		if v, ok := seen[e.AI]; ok && v != e.Value {
			return &Error{AI: e.AI, Reason: fmt.Sprintf("appears twice with different values %q and %q", v, e.Value), Err: ErrExcludes}
		}
		seen[e.AI] = e.Value
	}
	for _, e := range els {
		d, ok := Lookup(e.AI)
		if !ok {
			return &Error{AI: e.AI, Reason: "unknown application identifier", Err: ErrUnknownAI}
		}
		for _, ex := range d.Excludes {
			for _, o := range els {
				if o.AI != e.AI && matchAI(ex, o.AI) {
					return &Error{AI: e.AI, Reason: fmt.Sprintf("may not appear together with (%s)", o.AI), Err: ErrExcludes}
				}
			}
		}
		for _, group := range d.Requires {
			if !anyAlternative(group, els) {
				return &Error{AI: e.AI, Reason: "requires " + describeGroup(group), Err: ErrRequires}
			}
		}
	}
	return checkSignedKeys(els)
}

// checkSignedKeys applies the rule of AI (8030), the digital signature: it
// signs one instance, so a key it goes with whose last component (the
// serial) is optional — GDTI (253), GCN (255), GRAI (8003) — must carry it.
func checkSignedKeys(els []Element) error {
	if _, signed := Get(els, "8030"); !signed {
		return nil
	}
	sig, _ := Lookup("8030")
	for _, e := range els {
		d, _ := Lookup(e.AI)
		last := len(d.Components) - 1
		if last < 1 || !d.Components[last].Optional || !requiredAlone(sig, e.AI) {
			continue
		}
		if len(e.Value) <= d.MaxLen()-d.Components[last].Max {
			return &Error{AI: e.AI, Reason: "needs its serial component when signed with (8030)", Err: ErrRequires}
		}
	}
	return nil
}

// requiredAlone reports whether ai alone meets one of d's requirement groups.
func requiredAlone(d *Definition, ai string) bool {
	for _, group := range d.Requires {
		for _, alt := range group {
			if len(alt) == 1 && matchAI(alt[0], ai) {
				return true
			}
		}
	}
	return false
}

func anyAlternative(group [][]string, els []Element) bool {
	for _, alt := range group {
		all := true
		for _, pattern := range alt {
			if !hasAI(els, pattern) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func hasAI(els []Element, pattern string) bool {
	for _, e := range els {
		if matchAI(pattern, e.AI) {
			return true
		}
	}
	return false
}

// describeGroup writes a requirement for people: "(01) or (02) or (8006)".
func describeGroup(group [][]string) string {
	parts := make([]string, len(group))
	for i, alt := range group {
		parts[i] = "(" + strings.Join(alt, ") with (") + ")"
	}
	return strings.Join(parts, " or ")
}
