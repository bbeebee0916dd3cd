package label_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/label"
)

// FuzzTemplateValue fills a site template with arbitrary values: the output
// must stay one format with no control command, and every field must read
// back with the value in it.
func FuzzTemplateValue(f *testing.F) {
	tpl, err := label.ParseTemplate("pallet", []byte(siteTemplate))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"^XZ^XA^FO0,0^FDPWNED", "~JR", "A_B>C", "ü\x00\xff", "\\&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		out, err := tpl.Execute(map[string]string{"item": v, "note": v, "url": v})
		if err != nil {
			if !errors.Is(err, zpl.ErrData) {
				t.Fatalf("only Code 128 may refuse a value: %v", err)
			}
			return
		}
		doc, err := decode.Parse(out)
		if err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		if len(doc.Formats) != 1 || len(doc.Controls) != 0 {
			t.Fatalf("value %q changed the stream's structure", v)
		}
		for _, fl := range doc.Formats[0].Fields {
			if fl.Data != "static" && fl.Kind != decode.TextBlock && !strings.Contains(fl.Data, v) {
				t.Fatalf("%s field %q lost the value %q", fl.Kind, fl.Data, v)
			}
		}
	})
}
