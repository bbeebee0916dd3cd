package gs1

import (
	"fmt"
	"net/url"
	"strings"
)

// convenienceAlphas are the GS1 Digital Link convenience names of the path
// AIs (GS1 Digital Link URI syntax, 1.1 and later, table of short names),
// understood in place of the numeric AIs. Read-only.
var convenienceAlphas = map[string]string{
	"gtin": "01", "itip": "8006", "cpv": "22", "lot": "10", "ser": "21",
	"sscc": "00", "gln": "414", "glnx": "254", "party": "417", "payTo": "415",
	"gdti": "253", "gcn": "255", "ginc": "401", "gsin": "402", "grai": "8003",
	"giai": "8004", "cpid": "8010", "cpsn": "8011", "gmn": "8013",
	"gsrnp": "8017", "gsrn": "8018", "srin": "8019", "refNo": "8020",
}

// pathAI names the AI of a Digital Link path segment: numeric, or a
// convenience name.
func pathAI(seg string) (*Definition, bool) {
	if ai, ok := convenienceAlphas[seg]; ok {
		seg = ai
	}
	return Lookup(seg)
}

// uriChars are the characters RFC 3986 allows in a URI (with "%" for escapes).
const uriChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"

// dlParts splits a candidate Digital Link URI: scheme http or https (any
// case), a host, the path segments (empty ones kept), the raw query.
func dlParts(s string) (segs []string, query string, ok bool) {
	scheme, rest, found := strings.Cut(s, "://")
	if !found || (!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https")) {
		return nil, "", false
	}
	rest, _, _ = strings.Cut(rest, "#")
	rest, query, _ = strings.Cut(rest, "?")
	host, path, _ := strings.Cut(rest, "/")
	if host == "" {
		return nil, "", false
	}
	if path == "" {
		return nil, query, true
	}
	return strings.Split(path, "/"), query, true
}

// primaryKeyAt finds the Digital Link primary key in the path: walking back
// from the end in (AI, value) pairs while the segments are AIs, the
// rightmost pair whose AI is a primary key. Empty segments are skipped here
// (and refused by ParseDigitalLink).
func primaryKeyAt(segs []string) (int, bool) {
	var nonEmpty []int
	for i, s := range segs {
		if s != "" {
			nonEmpty = append(nonEmpty, i)
		}
	}
	for j := len(nonEmpty) - 2; j >= 0; j -= 2 {
		d, ok := pathAI(segs[nonEmpty[j]])
		if !ok {
			break
		}
		if d.PrimaryKey {
			return nonEmpty[j], true
		}
	}
	return 0, false
}

// IsDigitalLink reports whether s is an http(s) URI whose path carries a GS1
// Digital Link primary key, e.g. "https://id.gs1.org/01/09506000134352".
func IsDigitalLink(s string) bool {
	segs, _, ok := dlParts(s)
	if !ok {
		return false
	}
	_, ok = primaryKeyAt(segs)
	return ok
}

// ParseDigitalLink reads a GS1 Digital Link URI on any domain, as the GS1
// Digital Link standard (URI syntax 1.4) defines it:
// https://example.com/some/stem/01/09506000134352/10/ABC?17=261231.
//
// The path ends with a primary key and its key qualifiers, only those the
// dictionary defines for that key and only in their order (01: 22, 10, 21 or
// 235). Numeric AIs or convenience names (/gtin/, /sscc/ …) name them. The
// query holds data attributes: numeric keys must be AIs permitted as
// attributes (a key qualifier belongs in the path); values are form-decoded
// ("+" is a space, %hh an escape); other parameters (linkType …) are kept
// out of the elements. An AI twice, an empty path segment or value, a
// trailing slash, a NUL or a character no URI may hold is an error. A GTIN-8,
// -12 or -13 under (01) in the path is padded to 14 digits; in the query it
// is an error.
func ParseDigitalLink(s string) ([]Element, error) {
	if i := strings.IndexFunc(s, func(r rune) bool { return r > 0x7e || !strings.ContainsRune(uriChars, r) }); i >= 0 {
		return nil, &Error{Offset: i, Reason: fmt.Sprintf("%q may not appear in a URI", s[i]), Err: ErrCharset}
	}
	segs, query, ok := dlParts(s)
	if !ok {
		return nil, &Error{Reason: "not an http(s) URI with a host", Err: ErrUnknownAI}
	}
	start, ok := primaryKeyAt(segs)
	if !ok {
		return nil, &Error{Reason: "no GS1 Digital Link primary key in the path", Err: ErrUnknownAI}
	}
	key, _ := pathAI(segs[start])
	segs = segs[start:]
	for _, seg := range segs {
		if seg == "" {
			return nil, &Error{AI: key.AI, Reason: "the path has an empty segment or a trailing slash", Err: ErrSyntax}
		}
	}
	var out []Element
	seen := map[string]bool{}
	add := func(d *Definition, value string) error {
		if seen[d.AI] {
			return &Error{AI: d.AI, Reason: "appears twice in the URI", Err: ErrExcludes}
		}
		seen[d.AI] = true
		if value == "" {
			return &Error{AI: d.AI, Reason: "empty value", Err: ErrLength}
		}
		if strings.IndexByte(value, 0) >= 0 {
			return &Error{AI: d.AI, Reason: "the value holds a NUL", Err: ErrCharset}
		}
		if e := d.checkValue(value); e != nil {
			return e
		}
		out = append(out, Element{AI: d.AI, Value: value})
		return nil
	}
	var qualifiers []string
	for i := 0; i < len(segs); i += 2 {
		d, _ := pathAI(segs[i])
		value, err := url.PathUnescape(segs[i+1])
		if err != nil {
			return out, &Error{AI: d.AI, Reason: fmt.Sprintf("bad percent-encoding in %q", segs[i+1]), Err: ErrCharset}
		}
		if i == 0 && d.AI == "01" && badChar('N', value) < 0 && (len(value) == 8 || len(value) == 12 || len(value) == 13) {
			value = strings.Repeat("0", 14-len(value)) + value
		}
		if i > 0 {
			qualifiers = append(qualifiers, d.AI)
		}
		if err := add(d, value); err != nil {
			return out, err
		}
	}
	if !validQualifiers(key, qualifiers) {
		return out, &Error{AI: key.AI, Reason: fmt.Sprintf("(%s) are not key qualifiers of (%s) in their order %s", strings.Join(qualifiers, ") ("), key.AI, describeQualifiers(key)), Err: ErrSyntax}
	}
	for _, kv := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" || badChar('N', k) >= 0 {
			continue // not an AI: another parameter, kept out of the elements
		}
		d, ok := Lookup(k)
		if !ok {
			return out, &Error{AI: k, Reason: "unknown application identifier in the query", Err: ErrUnknownAI}
		}
		if isQualifierOf(key, qualifiers, k) {
			return out, &Error{AI: k, Reason: fmt.Sprintf("is a key qualifier of (%s): it belongs in the path", key.AI), Err: ErrSyntax}
		}
		if !d.DigitalLink && !seen[k] {
			return out, &Error{AI: k, Reason: "is not a Digital Link data attribute", Err: ErrSyntax}
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			return out, &Error{AI: k, Reason: fmt.Sprintf("bad percent-encoding in %q", v), Err: ErrCharset}
		}
		if err := add(d, value); err != nil {
			return out, err
		}
	}
	return out, CheckPairs(out)
}

// validQualifiers reports whether the AIs after a primary key follow one of
// its qualifier sequences in order, each at most once (any may be left out).
func validQualifiers(key *Definition, got []string) bool {
	if len(got) == 0 {
		return true
	}
	for _, seq := range key.Qualifiers {
		j := 0
		for _, q := range seq {
			if j < len(got) && got[j] == q {
				j++
			}
		}
		if j == len(got) {
			return true
		}
	}
	return false
}

// isQualifierOf reports whether ai is a key qualifier in one of the key's
// sequences that the path's qualifiers follow: then it belongs in the path.
func isQualifierOf(key *Definition, inPath []string, ai string) bool {
	for _, seq := range key.Qualifiers {
		if !validQualifiers(&Definition{Qualifiers: [][]string{seq}}, inPath) {
			continue
		}
		for _, q := range seq {
			if q == ai {
				return true
			}
		}
	}
	return false
}

// describeQualifiers writes a key's qualifier sequences for people:
// "(22) (10) (21) or (235)", or "(none)".
func describeQualifiers(key *Definition) string {
	if len(key.Qualifiers) == 0 {
		return "(none)"
	}
	parts := make([]string, len(key.Qualifiers))
	for i, seq := range key.Qualifiers {
		parts[i] = "(" + strings.Join(seq, ") (") + ")"
	}
	return strings.Join(parts, " or ")
}
