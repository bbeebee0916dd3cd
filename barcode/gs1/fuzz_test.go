package gs1

import (
	"errors"
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
