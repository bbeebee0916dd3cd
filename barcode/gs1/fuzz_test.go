package gs1

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// checkParsed is what every parser promises: a wrapped ErrSyntax, or
// non-empty elements of known AIs.
func checkParsed(t *testing.T, data string, els []Element, err error) {
	if err != nil {
		if !errors.Is(err, ErrSyntax) {
			t.Fatalf("error %v does not wrap ErrSyntax", err)
		}
		return
	}
	if len(els) == 0 {
		t.Fatalf("no elements and no error for %q", data)
	}
	for _, e := range els {
		d, ok := Lookup(e.AI)
		if !ok || e.Value == "" || len(e.Value) > d.MaxLen() {
			t.Fatalf("bad element %+v from %q", e, data)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0104006381333931", "0104006381333931\x1d10LOT\x1d21S", "00106141412345678908", "\x1d\x1d", "01040063813339313103000525", "10\x00\xff", "8013" + "1987654Ad4X4bL5ttr2310c2K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		els, err := Parse(data)
		checkParsed(t, data, els, err)
	})
}

func FuzzParseBracketed(f *testing.F) {
	for _, s := range []string{"(01)09506000134352(10)AB\\(C", "(00)106141412345678908", "((", "(01)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		els, err := ParseBracketed(data)
		checkParsed(t, data, els, err)
	})
}

func FuzzParseDigitalLink(f *testing.F) {
	for _, s := range []string{"https://id.gs1.org/01/09506000134352/10/AB?17=260200", "http://x/00/106141412345678908", "https://a/01/%zz", "https://a/01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		els, err := ParseDigitalLink(data)
		checkParsed(t, data, els, err)
	})
}

// toBracketed writes elements in the human-readable form, "(" escaped.
func toBracketed(els []Element) string {
	var b strings.Builder
	for _, e := range els {
		b.WriteString("(" + e.AI + ")" + strings.ReplaceAll(e.Value, "(", `\(`))
	}
	return b.String()
}

// toDigitalLink writes elements as a GS1 Digital Link URI: the first primary
// key and its qualifiers in the path, the rest as query attributes. ok is
// false when the standard has no URI for them (no primary key, an AI twice,
// an AI that may not be an attribute, qualifiers of two sequences).
func toDigitalLink(els []Element) (string, bool) {
	seen := map[string]bool{}
	var key *Definition
	for _, e := range els {
		d, _ := Lookup(e.AI)
		if seen[e.AI] {
			return "", false
		}
		seen[e.AI] = true
		if key == nil && d.PrimaryKey {
			key = d
		}
	}
	if key == nil {
		return "", false
	}
	path := "https://example.com/stem/" + key.AI + "/" + url.PathEscape(valueOf(els, key.AI))
	var seq []string
	for _, s := range key.Qualifiers {
		for _, q := range s {
			if seen[q] {
				if seq != nil && !slices.Equal(seq, s) {
					return "", false
				}
				seq = s
			}
		}
	}
	for _, q := range seq {
		if seen[q] {
			path += "/" + q + "/" + url.PathEscape(valueOf(els, q))
		}
	}
	var query []string
	for _, e := range els {
		d, _ := Lookup(e.AI)
		if e.AI == key.AI || slices.Contains(seq, e.AI) {
			continue
		}
		if !d.DigitalLink {
			return "", false
		}
		query = append(query, e.AI+"="+url.QueryEscape(e.Value))
	}
	if len(query) > 0 {
		path += "?" + strings.Join(query, "&")
	}
	return path, true
}

func valueOf(els []Element, ai string) string {
	v, _ := Get(els, ai)
	return v
}

func sortedElements(els []Element) []Element {
	out := slices.Clone(els)
	slices.SortStableFunc(out, func(a, b Element) int { return strings.Compare(a.AI, b.AI) })
	return out
}

// FuzzFormsAgree reads the same data in its three forms — element string,
// bracketed, GS1 Digital Link URI — and requires the same elements from each.
func FuzzFormsAgree(f *testing.F) {
	for _, s := range []string{
		"0109520123456788" + "10ABC1\x1d" + "21S(1)\x1d" + "17180426",
		"00106141412345678908" + "02095201234567883725\x1d" + "10ABC",
		"4149520123456788" + "25432a/b",
		"0109520123456788" + "3103000195" + "39329780299",
		"8004952061414123456701" + "09520123456788",
		"2531231231231232TEST5678901234567",
		"0109520123456788" + "235XYZ\x1d" + "10B%20",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		els, err := Parse(data)
		if err != nil {
			return
		}
		br := toBracketed(els)
		got, err := ParseBracketed(br)
		if err != nil {
			t.Fatalf("%q reads as an element string, its bracketed form %q does not: %v", data, br, err)
		}
		if !slices.Equal(got, els) {
			t.Fatalf("%q: element string %v, bracketed %q %v", data, els, br, got)
		}
		uri, ok := toDigitalLink(els)
		if !ok {
			return
		}
		got, err = ParseDigitalLink(uri)
		if err != nil {
			t.Fatalf("%q reads as an element string, its Digital Link %q does not: %v", data, uri, err)
		}
		if !slices.Equal(sortedElements(got), sortedElements(els)) {
			t.Fatalf("%q: element string %v, Digital Link %q %v", data, els, uri, got)
		}
	})
}
