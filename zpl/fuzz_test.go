package zpl_test

import (
	"strings"
	"testing"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
)

// FuzzFieldRoundTrip builds a label with every free-text field kind holding the
// fuzzed data and reads it back: the data must come back unchanged, and no data
// may ever produce a second format, a control command or a broken field. Text
// too wide for its box may come back shortened, ending in "...".
func FuzzFieldRoundTrip(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	device := zpl.Device{DPI: zpl.DPI203, TrueType: "E:ANMDJ.TTF"} // any script prints
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return
		}
		l := zpl.NewLabelFor(device, 101.6, 152.4)
		l.Text(1, 1, zpl.Font{HeightMM: 2, WidthMM: 0.01}, 100, s)
		l.QR(1, 10, 0.5, s)
		l.DataMatrix(1, 50, 0.5, s)
		l.PDF417(1, 90, 0.3, 3, 6, s)
		l.Code128(1, 120, s, zpl.Bar{HeightMM: 5, ModuleMM: 0.01})
		b, err := l.Bytes()
		if err != nil {
			// Only Code 128 may refuse data (non-ASCII, too wide).
			l = zpl.NewLabelFor(device, 101.6, 152.4)
			l.Text(1, 1, zpl.Font{HeightMM: 2, WidthMM: 0.01}, 100, s)
			l.QR(1, 10, 0.5, s)
			l.DataMatrix(1, 50, 0.5, s)
			l.PDF417(1, 90, 0.3, 3, 6, s)
			if b, err = l.Bytes(); err != nil {
				t.Fatalf("build: %v", err)
			}
		}
		doc, err := decode.Parse(b)
		if err != nil {
			t.Fatalf("parse %q: %v", b, err)
		}
		if len(doc.Formats) != 1 || len(doc.Controls) != 0 {
			t.Fatalf("data %q produced %d formats and %d controls", s, len(doc.Formats), len(doc.Controls))
		}
		for _, fld := range doc.Formats[0].Fields {
			if cut, ok := strings.CutSuffix(fld.Data, "..."); ok && fld.Kind == decode.Text && fld.Data != s {
				if !strings.HasPrefix(s, cut) {
					t.Fatalf("text shortened to %q, not a prefix of %q", fld.Data, s)
				}
				continue // text too wide for its box is shortened, visibly
			}
			if fld.Data != s {
				t.Fatalf("%s: got %q want %q", fld.Kind, fld.Data, s)
			}
		}
	})
}
