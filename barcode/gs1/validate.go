package gs1

import (
	"fmt"
	"strings"
)

// checkValue validates one AI's value against its definition: the lengths
// and character sets of its components and the dictionary's content checks.
func (d *Definition) checkValue(value string) *Error {
	fail := func(cause error, format string, args ...any) *Error {
		return &Error{AI: d.AI, Reason: fmt.Sprintf(format, args...), Err: cause}
	}
	if len(value) == 0 {
		return fail(ErrLength, "empty value")
	}
	if len(value) < d.MinLen() || len(value) > d.MaxLen() {
		if d.MinLen() == d.MaxLen() {
			return fail(ErrLength, "%q has %d characters, needs %d", value, len(value), d.MaxLen())
		}
		return fail(ErrLength, "%q has %d characters, allowed %d to %d (a missing GS?)", value, len(value), d.MinLen(), d.MaxLen())
	}
	pos := 0
	for _, c := range d.Components {
		if pos == len(value) && c.Optional {
			break
		}
		n := c.Max
		if c.Min != c.Max || pos+n > len(value) {
			n = min(c.Max, len(value)-pos)
		}
		part := value[pos : pos+n]
		if len(part) < c.Min {
			return fail(ErrLength, "%q is too short", value)
		}
		if i := badChar(c.Type, part); i >= 0 {
			return fail(ErrCharset, "%q: character %q at %d is not allowed (%s)", value, part[i], pos+i+1, charsetName(c.Type))
		}
		if c.Type == 'Z' {
			if cause, why := lintCSET64(part); cause != nil {
				return fail(cause, "%q: %s", value, why)
			}
		}
		for _, l := range c.Linters {
			if cause, why := lint(l, part); cause != nil {
				return fail(cause, "%q: %s", value, why)
			}
		}
		pos += n
	}
	if pos != len(value) {
		return fail(ErrLength, "%q is too long", value)
	}
	return nil
}

func charsetName(t byte) string {
	switch t {
	case 'N':
		return "digits only"
	case 'Y':
		return "CSET 39"
	case 'Z':
		return "base64url"
	}
	return "CSET 82"
}

const cset39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// cset64 is the file-safe, URI-safe base64 alphabet of AI (8030); "=" pads
// only at the end (see lintCSET64).
const cset64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="

// badChar returns the index of the first character not in the component's
// character set, or -1.
func badChar(t byte, s string) int {
	set := cset82
	switch t {
	case 'N':
		set = "0123456789"
	case 'Y':
		set = cset39
	case 'Z':
		set = cset64
	}
	for i := 0; i < len(s); i++ {
		if indexByte(set, s[i]) < 0 {
			return i
		}
	}
	return -1
}

func oneOf(s string, allowed ...string) (cause error, why string) {
	for _, a := range allowed {
		if s == a {
			return nil, ""
		}
	}
	return ErrContent, fmt.Sprintf("must be one of %s", strings.Join(allowed, ", "))
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// atoi reads a string of digits already checked to be digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
