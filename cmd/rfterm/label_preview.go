package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/preview"
)

// maxPreviewBytes bounds the ZPL file a preview reads.
const maxPreviewBytes = 8 << 20

// runLabelPreview is `rfterm label preview [--dpi N] FILE`: the label's
// fields and barcodes' contents at their positions, as text. Without --dpi
// the resolution follows the label's ^PW for 4 in wide stock.
func runLabelPreview(args []string, s stdio) int {
	fs := flag.NewFlagSet("rfterm label preview", flag.ContinueOnError)
	fs.SetOutput(s.err)
	dpi := fs.Int("dpi", 0, "resolution the label was made for (default: from ^PW on 4 in stock, else 203)")
	cols := fs.Int("columns", 64, "width of the text rendering in characters")
	if err := fs.Parse(args); err != nil {
		return flagErrorCode(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(s.err, "usage: rfterm label preview [--dpi N] FILE   (- reads stdin)")
		return 2
	}
	var r io.Reader = s.in
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(s.err, "rfterm label preview: %v\n", err)
			return 1
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxPreviewBytes))
	if err != nil {
		fmt.Fprintf(s.err, "rfterm label preview: %v\n", err)
		return 1
	}
	doc, err := decode.Parse(b)
	if err != nil {
		fmt.Fprintf(s.err, "rfterm label preview: %v\n", err)
		return 1
	}
	d := *dpi
	if d == 0 {
		d = 203
		if len(doc.Formats) > 0 {
			d = map[int]int{609: 152, 610: 152, 812: 203, 1200: 300, 2400: 600}[doc.Formats[0].Width]
		}
		if d == 0 {
			d = 203
		}
	}
	if err := preview.Render(s.out, doc, preview.Options{DPI: d, Columns: *cols}); err != nil {
		fmt.Fprintf(s.err, "rfterm label preview: %v\n", err)
		return 1
	}
	return 0
}
