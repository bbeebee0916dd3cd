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

const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="

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
		set = base64url
	}
	for i := 0; i < len(s); i++ {
		if indexByte(set, s[i]) < 0 {
			return i
		}
	}
	return -1
}

// lint runs one of the syntax dictionary's content checks on a component. It
// returns the cause and a reason when the content is wrong. Checks against
// code lists (countries, currencies, package types, coupons, IBAN) are not
// made: those components are checked for length and character set only.
func lint(name, s string) (cause error, why string) {
	switch name {
	case "csum":
		if !ValidCheckDigit(s) {
			return ErrCheckDigit, "check digit is wrong"
		}
	case "csumalpha":
		if !ValidCheckPair(s) {
			return ErrCheckDigit, "check character pair is wrong"
		}
	case "yymmd0", "yymmdd":
		if _, ok := parseYYMMDD(s, name == "yymmd0"); !ok {
			return ErrDate, "not a date YYMMDD"
		}
	case "yyyymmdd", "yyyymmd0":
		if !validDate(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8]), name == "yyyymmd0") {
			return ErrDate, "not a date YYYYMMDD"
		}
	case "hhmi", "hhmm":
		if atoi(s[:2]) > 23 || atoi(s[2:4]) > 59 {
			return ErrDate, "not a time HHMM"
		}
	case "hh":
		if atoi(s) > 23 {
			return ErrDate, "not an hour"
		}
	case "mi", "ss":
		if atoi(s) > 59 {
			return ErrDate, "not minutes or seconds"
		}
	case "yesno":
		return oneOf(s, "0", "1")
	case "zero":
		return oneOf(s, "0")
	case "winding":
		return oneOf(s, "0", "1", "9")
	case "iso5218":
		return oneOf(s, "0", "1", "2", "9")
	case "hyphen":
		return oneOf(s, "-")
	case "nonzero":
		if strings.Trim(s, "0") == "" {
			return ErrContent, "must not be zero"
		}
	case "nozeroprefix":
		if len(s) > 1 && s[0] == '0' {
			return ErrContent, "must not start with 0"
		}
	case "hasnondigit":
		if badChar('N', s) < 0 {
			return ErrContent, "must contain a non-digit"
		}
	case "pieceoftotal":
		piece, total := atoi(s[:len(s)/2]), atoi(s[len(s)/2:])
		if piece == 0 || total == 0 || piece > total {
			return ErrContent, "piece must be 1 to the total"
		}
	case "pcenc":
		for i := 0; i < len(s); i++ {
			if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
				return ErrContent, "bad percent-encoding"
			}
		}
	case "latitude":
		if atoi(s) > 1800000000 {
			return ErrContent, "latitude out of range"
		}
	case "longitude":
		if atoi(s) > 3600000000 {
			return ErrContent, "longitude out of range"
		}
	case "posinseqslash":
		if len(s) != 3 || s[1] != '/' || s[0] < '1' || s[0] > '9' || s[2] < '1' || s[2] > '9' || s[0] > s[2] {
			return ErrContent, "must be position/total, e.g. 1/2"
		}
	}
	return nil, ""
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
