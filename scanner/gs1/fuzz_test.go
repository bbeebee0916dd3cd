package gs1

import (
	"errors"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0104006381333931", "0104006381333931\x1d10LOT\x1d21S", "00106141412345678908", "\x1d\x1d", "3103000525", "10\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		els, err := Parse(data)
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
			if e.AI == "" || e.Value == "" {
				t.Fatalf("empty element %+v from %q", e, data)
			}
		}
	})
}
