package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/label"
)

// complianceKind is `rfterm label compliance --template FILE --set NAME=VALUE …`:
// a retailer's compliance label filled with one carton's values.
func complianceKind(fs *flag.FlagSet) func() (label.Builder, error) {
	file := fs.String("template", "", "compliance template (JSON), e.g. zpl/label/compliance/ucc128-retail.json")
	samples := fs.Bool("samples", false, "fill the sources not --set with the template's samples")
	values := map[string]string{}
	fs.Var(setFlag(values), "set", "a source's value NAME=VALUE (repeat), e.g. --set sscc=10614141123456789")
	return func() (label.Builder, error) {
		if *file == "" {
			return nil, fmt.Errorf("%w: --template is required", label.ErrInput)
		}
		t, err := label.LoadCompliance(*file)
		if err != nil {
			return nil, err
		}
		v := map[string]string{}
		if *samples {
			v = t.Samples()
		}
		for k, val := range values {
			v[k] = val
		}
		return label.ComplianceLabel{Template: t, Values: v}, nil
	}
}

// runLabelValidate is `rfterm label validate --template FILE [--dpi 203,300]`:
// every rule the template breaks at each resolution, one a line; exit 1 when
// there is any, 2 when the template cannot be read.
func runLabelValidate(args []string, s stdio) int {
	fs := flag.NewFlagSet("rfterm label validate", flag.ContinueOnError)
	fs.SetOutput(s.err)
	file := fs.String("template", "", "compliance template (JSON)")
	dpis := fs.String("dpi", "203,300", "resolutions to check, comma-separated")
	if err := fs.Parse(args); err != nil {
		return flagErrorCode(err)
	}
	if *file == "" || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "usage: rfterm label validate --template FILE [--dpi 203,300]")
		return 2
	}
	t, err := label.LoadCompliance(*file)
	if err != nil {
		fmt.Fprintf(s.err, "rfterm label validate: %v\n", err)
		return 2
	}
	broken := 0
	for _, d := range strings.Split(*dpis, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(d))
		dpi := zpl.DPI(n)
		if err == nil {
			err = dpi.Validate()
		}
		if err != nil {
			fmt.Fprintf(s.err, "rfterm label validate: --dpi %q: %v\n", d, err)
			return 2
		}
		probs := t.Validate(dpi)
		for _, p := range probs {
			fmt.Fprintf(s.out, "%d dpi: %s\n", n, p)
		}
		if len(probs) == 0 {
			fmt.Fprintf(s.out, "%d dpi: ok: %d barcodes and %d fields of %q meet their rules\n", n, len(t.Barcodes), len(t.Fields), t.Name)
		}
		broken += len(probs)
	}
	if broken > 0 {
		return 1
	}
	return 0
}
