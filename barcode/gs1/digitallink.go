package gs1

import (
	"fmt"
	"net/url"
	"strings"
)

// IsDigitalLink reports whether s is an http(s) URI whose path carries a GS1
// Digital Link primary key, e.g. "https://id.gs1.org/01/09506000134352".
func IsDigitalLink(s string) bool {
	if len(s) < 8 || !strings.EqualFold(s[:4], "http") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return false
	}
	_, ok := primaryKeyAt(pathSegments(u))
	return ok
}

// ParseDigitalLink reads a GS1 Digital Link URI on any domain:
// https://example.com/some/prefix/01/09506000134352/10/ABC?17=261231.
// The path from the primary key on gives AI/value pairs; query parameters
// whose names are AIs give more. Other query parameters (linkType …) are
// ignored. A GTIN-8, -12 or -13 under AI 01 is padded to 14 digits.
func ParseDigitalLink(s string) ([]Element, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, &Error{Reason: fmt.Sprintf("not a valid URI: %v", err), Err: ErrCharset}
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, &Error{Reason: "not an http(s) URI", Err: ErrUnknownAI}
	}
	segs := pathSegments(u)
	start, ok := primaryKeyAt(segs)
	if !ok {
		return nil, &Error{Reason: fmt.Sprintf("no Digital Link primary key in %q", u.Path), Err: ErrUnknownAI}
	}
	segs = segs[start:]
	if len(segs)%2 != 0 {
		return nil, &Error{AI: segs[len(segs)-1], Reason: "has no value in the path", Err: ErrLength}
	}
	var out []Element
	add := func(ai, raw string) error {
		value, err := url.PathUnescape(raw)
		if err != nil {
			return &Error{AI: ai, Reason: fmt.Sprintf("bad percent-encoding in %q", raw), Err: ErrCharset}
		}
		d, ok := Lookup(ai)
		if !ok {
			return &Error{AI: ai, Reason: "unknown application identifier", Err: ErrUnknownAI}
		}
		if ai == "01" && badChar('N', value) < 0 && (len(value) == 8 || len(value) == 12 || len(value) == 13) {
			value = strings.Repeat("0", 14-len(value)) + value
		}
		if e := d.checkValue(value); e != nil {
			return e
		}
		out = append(out, Element{AI: ai, Value: value})
		return nil
	}
	for i := 0; i < len(segs); i += 2 {
		if err := add(segs[i], segs[i+1]); err != nil {
			return out, err
		}
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if d, ok := Lookup(k); ok && d.DigitalLink {
			if err := add(k, v); err != nil {
				return out, err
			}
		}
	}
	return out, CheckPairs(out)
}

func pathSegments(u *url.URL) []string {
	return strings.FieldsFunc(u.EscapedPath(), func(r rune) bool { return r == '/' })
}

// primaryKeyAt finds the first path segment that is a primary key AI
// followed by a value.
func primaryKeyAt(segs []string) (int, bool) {
	for i := 0; i+1 < len(segs); i++ {
		if d, ok := Lookup(segs[i]); ok && d.PrimaryKey {
			return i, true
		}
	}
	return 0, false
}
