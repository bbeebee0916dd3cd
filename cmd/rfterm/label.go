package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/label"
	"github.com/rfterm/rfterm/zpl/printer"
)

// labelCommand prints a label's ZPL to stdout, for setup and support.
func labelCommand() command {
	return command{name: "label", summary: "print a label's ZPL to stdout (sscc, logistic, ship, route, lpn, bin, packlist, template, compliance, invoice), validate a compliance template, or preview a ZPL file as text", run: runLabel}
}

// labelKinds maps each label subcommand to a function that defines its flags
// and returns its builder.
func labelKinds() map[string]func(fs *flag.FlagSet) func() (label.Builder, error) {
	return map[string]func(fs *flag.FlagSet) func() (label.Builder, error){
		"sscc": func(fs *flag.FlagSet) func() (label.Builder, error) {
			var l label.SSCC
			fs.StringVar(&l.SSCC, "sscc", "", "SSCC: 17 digits (check digit added) or 18 (verified)")
			fs.Var(addressFlag{&l.ShipFrom}, "from", "ship-from address: Name|Street|Postal|City|Country")
			fs.Var(addressFlag{&l.ShipTo}, "to", "ship-to address: Name|Street|Postal|City|Country")
			fs.StringVar(&l.Order, "order", "", "order number")
			fs.IntVar(&l.Carton, "carton", 0, "carton number")
			fs.IntVar(&l.Cartons, "cartons", 0, "number of cartons")
			return func() (label.Builder, error) { return l, nil }
		},
		"logistic": func(fs *flag.FlagSet) func() (label.Builder, error) {
			var l label.Logistic
			var c label.Content
			fs.StringVar(&l.SSCC, "sscc", "", "SSCC: 17 digits (check digit added) or 18 (verified)")
			fs.Var(addressFlag{&l.Supplier}, "from", "supplier (ship-from) address: Name|Street|Postal|City|Country")
			fs.Var(addressFlag{&l.ShipTo}, "to", "ship-to address: Name|Street|Postal|City|Country")
			fs.StringVar(&l.Carrier, "carrier", "", "carrier")
			fs.StringVar(&l.Service, "service", "", "carrier service")
			fs.StringVar(&l.PurchaseOrder, "po", "", "the customer's purchase order (400)")
			fs.StringVar(&l.Consignment, "ginc", "", "the consignment's GINC (401)")
			fs.StringVar(&c.GTIN, "gtin", "", "content: the trade item's GTIN (02), for a homogeneous carton")
			fs.IntVar(&c.Count, "count", 0, "content: units of the trade item (37)")
			fs.StringVar(&c.Batch, "batch", "", "content: batch or lot (10)")
			fs.StringVar(&c.BestBefore, "best-before", "", "content: best before date YYMMDD (15)")
			fs.StringVar(&c.Expiry, "expiry", "", "content: expiry date YYMMDD (17)")
			fs.Float64Var(&l.LengthMM, "length-mm", 0, "label length in mm (default 152.4, 4x6 in; 203.2 for 4x8 in)")
			fs.IntVar(&l.Carton, "carton", 0, "carton number")
			fs.IntVar(&l.Cartons, "cartons", 0, "number of cartons")
			return func() (label.Builder, error) {
				if c.GTIN != "" || c.Count != 0 {
					l.Content = &c
				}
				return l, nil
			}
		},
		"route": func(fs *flag.FlagSet) func() (label.Builder, error) {
			var l label.Route
			var cond, disp string
			fs.StringVar(&l.RMA, "rma", "", "RMA number")
			fs.StringVar(&l.SKU, "sku", "", "SKU (empty for an unknown item)")
			fs.StringVar(&l.Description, "description", "", "item description")
			fs.StringVar(&l.Code, "code", "", "the barcode scanned off an unknown item")
			fs.StringVar(&l.Serial, "serial", "", "serial number")
			fs.StringVar(&l.Lot, "lot", "", "lot")
			fs.IntVar(&l.Qty, "qty", 1, "quantity")
			fs.StringVar(&cond, "condition", "", "new, opened or damaged")
			fs.StringVar(&disp, "disposition", "", "refurbish, scrap, quarantine or return_to_vendor")
			fs.BoolVar(&l.Expected, "expected", true, "the unit is on the RMA")
			return func() (label.Builder, error) {
				l.Condition, l.Disposition = domain.Condition(cond), domain.Disposition(disp)
				return l, nil
			}
		},
		"ship": func(fs *flag.FlagSet) func() (label.Builder, error) {
			var l label.Shipping
			fs.Var(addressFlag{&l.From}, "from", "ship-from address: Name|Street|Postal|City|Country")
			fs.Var(addressFlag{&l.To}, "to", "ship-to address: Name|Street|Postal|City|Country")
			fs.StringVar(&l.Carrier, "carrier", "", "carrier")
			fs.StringVar(&l.Service, "service", "", "carrier service")
			fs.StringVar(&l.Tracking, "tracking", "", "the carrier's tracking number")
			fs.StringVar(&l.SSCC, "sscc", "", "the carton's SSCC (printed as text: its barcode is on the logistic label)")
			fs.StringVar(&l.Order, "order", "", "order number")
			fs.IntVar(&l.WeightGrams, "weight-g", 0, "carton weight in grams")
			fs.IntVar(&l.Carton, "carton", 0, "carton number")
			fs.IntVar(&l.Cartons, "cartons", 0, "number of cartons")
			return func() (label.Builder, error) { return l, nil }
		},
		"lpn": func(fs *flag.FlagSet) func() (label.Builder, error) {
			var l label.LPN
			fs.StringVar(&l.LPN, "lpn", "", "tote or licence plate number")
			fs.StringVar(&l.Text, "text", "", "a line of text")
			return func() (label.Builder, error) { return l, nil }
		},
		"bin": func(fs *flag.FlagSet) func() (label.Builder, error) {
			var l label.Bin
			fs.StringVar(&l.Location, "location", "", "location code")
			fs.StringVar(&l.Text, "text", "", "a line of text")
			return func() (label.Builder, error) { return l, nil }
		},
		"packlist": func(fs *flag.FlagSet) func() (label.Builder, error) {
			var l label.PackingList
			fs.StringVar(&l.Order, "order", "", "order number")
			fs.Var(addressFlag{&l.ShipTo}, "to", "ship-to address: Name|Street|Postal|City|Country")
			fs.IntVar(&l.Carton, "carton", 0, "carton number")
			fs.IntVar(&l.Cartons, "cartons", 0, "number of cartons")
			fs.Var(packingLinesFlag{&l.Lines}, "line", "a line SKU:QTY:DESCRIPTION (repeat)")
			return func() (label.Builder, error) { return l, nil }
		},
		"compliance": complianceKind,
		"invoice":    invoiceKind,
		"template": func(fs *flag.FlagSet) func() (label.Builder, error) {
			file := fs.String("file", "", "template file (ZPL with {{name}} placeholders in field data)")
			values := map[string]string{}
			fs.Var(setFlag(values), "set", "a field value NAME=VALUE (repeat)")
			return func() (label.Builder, error) {
				if *file == "" {
					return nil, fmt.Errorf("%w: --file is required", label.ErrInput)
				}
				t, err := label.LoadTemplate(*file)
				if err != nil {
					return nil, err
				}
				return templateBuilder{t, values}, nil
			}
		},
	}
}

func runLabel(ctx context.Context, args []string, s stdio) int {
	kinds := labelKinds()
	if len(args) > 0 && args[0] == "preview" {
		return runLabelPreview(args[1:], s)
	}
	if len(args) > 0 && args[0] == "validate" {
		return runLabelValidate(args[1:], s)
	}
	if len(args) == 0 || kinds[args[0]] == nil {
		fmt.Fprintln(s.err, "usage: rfterm label sscc|logistic|ship|route|lpn|bin|packlist|template|compliance|invoice [flags]   (-h on each for its flags)")
		fmt.Fprintln(s.err, "       rfterm label validate --template FILE [--dpi 203,300]   (a compliance template's size rules)")
		fmt.Fprintln(s.err, "       rfterm label preview [--dpi N] FILE   (a ZPL file as text; - reads stdin)")
		return 2
	}
	fs := flag.NewFlagSet("rfterm label "+args[0], flag.ContinueOnError)
	fs.SetOutput(s.err)
	dpi := fs.Int("dpi", 203, "printer resolution: 152, 203, 300 or 600")
	ttf := fs.String("ttf", "", "a TrueType font stored on the printer for text font 0 cannot print (Japanese…), e.g. E:ANMDJ.TTF")
	from := printerFlags(fs) // --printer: take the resolution from its ~HI answer
	build := kinds[args[0]](fs)
	if err := fs.Parse(args[1:]); err != nil {
		return flagErrorCode(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.err, "rfterm label %s: unexpected argument %q\n", args[0], fs.Arg(0))
		return 2
	}
	if from.Addr != "" {
		d, err := printerDPI(ctx, from)
		if err != nil {
			fmt.Fprintf(s.err, "rfterm label %s: %v\n", args[0], err)
			return 1
		}
		*dpi = int(d)
	}
	b, err := build()
	device := zpl.Device{DPI: zpl.DPI(*dpi), TrueType: *ttf}
	if err == nil {
		err = device.Validate()
	}
	var out []byte
	if err == nil {
		out, err = label.BuildFor(b, device)
	}
	if err != nil {
		fmt.Fprintf(s.err, "rfterm label %s: %v\n", args[0], err)
		if errors.Is(err, label.ErrInput) || errors.Is(err, zpl.ErrLayout) {
			return 2
		}
		return 1
	}
	if _, err := s.out.Write(out); err != nil {
		return 1
	}
	return 0
}

// templateBuilder fills a site template; templates are laid out in dots for
// one resolution, so dpi does not change them.
type templateBuilder struct {
	t      *label.Template
	values map[string]string
}

// Build fills the template.
func (b templateBuilder) Build(zpl.DPI) ([]byte, error) { return b.t.Execute(b.values) }

// addressFlag reads "Name|Street|Postal|City|Country".
type addressFlag struct{ a *domain.Address }

// String is the address as written on the command line.
func (f addressFlag) String() string {
	if f.a == nil {
		return ""
	}
	return strings.Join([]string{f.a.Name, f.a.Street, f.a.Postal, f.a.City, f.a.Country}, "|")
}

// Set parses Name|Street|Postal|City|Country.
func (f addressFlag) Set(v string) error {
	p := strings.Split(v, "|")
	if len(p) > 5 {
		return errors.New("at most 5 parts: Name|Street|Postal|City|Country")
	}
	p = append(p, make([]string, 5-len(p))...)
	*f.a = domain.Address{Name: p[0], Street: p[1], Postal: p[2], City: p[3], Country: p[4]}
	return nil
}

// packingLinesFlag reads repeated "SKU:QTY:DESCRIPTION".
type packingLinesFlag struct{ lines *[]label.PackingLine }

// String is empty: the lines are listed in the label.
func (f packingLinesFlag) String() string { return "" }

// Set adds one SKU:QTY:DESCRIPTION line.
func (f packingLinesFlag) Set(v string) error {
	p := strings.SplitN(v, ":", 3)
	if len(p) < 2 {
		return errors.New("want SKU:QTY:DESCRIPTION")
	}
	qty, err := strconv.Atoi(p[1])
	if err != nil {
		return fmt.Errorf("quantity %q: %w", p[1], err)
	}
	ln := label.PackingLine{SKU: p[0], Qty: qty}
	if len(p) == 3 {
		ln.Description = p[2]
	}
	*f.lines = append(*f.lines, ln)
	return nil
}

// setFlag reads repeated "NAME=VALUE".
type setFlag map[string]string

// String is empty: values are shown in the label.
func (f setFlag) String() string { return "" }

// Set records one NAME=VALUE.
func (f setFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return errors.New("want NAME=VALUE")
	}
	f[k] = val
	return nil
}

// printerDPI asks a printer for its resolution (~HI), so layouts follow it.
func printerDPI(ctx context.Context, c *printer.Client) (zpl.DPI, error) {
	c.Addr = printer.New(c.Addr).Addr
	info, err := c.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.DPI()
}
