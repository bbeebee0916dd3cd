package decode_test

import (
	"errors"
	"testing"

	"github.com/rfterm/rfterm/zpl/decode"
)

// FuzzParse feeds arbitrary bytes to the reader (the fake printer reads what
// the network sends): it must never panic, and every error wraps ErrSyntax.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"^XA^CI28^PW812^FO10,20^A0N,30,20^FH^FD_5EXZ ü^FS^XZ",
		"^XA^FO1,2^BY4^BCN,256,N,N,N,N^FH^FD>;>80012>6A>0>5123456>8^FS^XZ",
		"^XA^FO1,1^BXN,5,200,0,0,6,_^FH^FD_5F1ab_5F_5F^FS^XZ",
		"^XA^FO1,1^BQN,2,4^FDQA,x^FS^FO1,1^FB100,2,0,L,0^FDa\\&b^FS^XZ~HS",
		"^XA^FO",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := decode.Parse(b)
		if err != nil {
			if !errors.Is(err, decode.ErrSyntax) {
				t.Fatalf("error %v does not wrap ErrSyntax", err)
			}
			return
		}
		for _, f := range doc.Formats {
			for _, fl := range f.Fields {
				if fl.Kind == "" {
					t.Fatalf("field without a kind: %+v", fl)
				}
			}
		}
	})
}
