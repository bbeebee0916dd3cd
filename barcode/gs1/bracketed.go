package gs1

import (
	"fmt"
	"strings"
)

// IsBracketed reports whether s is meant as the human-readable form
// "(01)…": an opening bracket then a digit or a closing bracket. Malformed
// attempts ("()1", "(1)2", "(15") count, so that ParseBracketed refuses them.
func IsBracketed(s string) bool {
	return len(s) >= 2 && s[0] == '(' && (isDigit(s[1]) || s[1] == ')')
}

// bracketAI reads "(NN…)" at the start of s: an AI of 2 to 4 digits.
func bracketAI(s string) (ai string, rest string, ok bool) {
	if len(s) < 4 || s[0] != '(' {
		return "", "", false
	}
	end := strings.IndexByte(s, ')')
	if end < 3 || end > 5 || badChar('N', s[1:end]) >= 0 {
		return "", "", false
	}
	return s[1:end], s[end+1:], true
}

// ParseBracketed reads the human-readable form "(01)09506000134352(10)ABC".
// A "(" inside a value is written "\(".
func ParseBracketed(s string) ([]Element, error) {
	var out []Element
	offset := 0
	for s != "" {
		ai, rest, ok := bracketAI(s)
		if !ok {
			return out, &Error{Offset: offset, Reason: fmt.Sprintf("expected (AI) at %q", clip(s)), Err: ErrUnknownAI}
		}
		d, known := Lookup(ai)
		if !known {
			return out, &Error{Offset: offset, Reason: fmt.Sprintf("unknown application identifier %q", ai), Err: ErrUnknownAI}
		}
		offset += len(s) - len(rest)
		var value strings.Builder
		i := 0
		for ; i < len(rest); i++ {
			if rest[i] == '\\' && i+1 < len(rest) && rest[i+1] == '(' {
				value.WriteByte('(')
				i++
				continue
			}
			if rest[i] == '(' {
				break
			}
			value.WriteByte(rest[i])
		}
		if err := d.checkValue(value.String()); err != nil {
			err.Offset = offset
			return out, err
		}
		out = append(out, Element{AI: ai, Value: value.String()})
		offset += i
		s = rest[i:]
	}
	if len(out) == 0 {
		return nil, &Error{Reason: "empty", Err: ErrLength}
	}
	return out, CheckPairs(out)
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}
