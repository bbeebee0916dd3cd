package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rfterm/rfterm/barcode"
)

// maxDecodeLine bounds one scan read from stdin; longer lines are reported.
const maxDecodeLine = 64 << 10

// runDecode is `rfterm decode [--json] [--rules FILE] [DATA...]`: it says
// what each scan means. Without DATA it reads one scan per line from stdin.
// A literal \x1d (or \u001d) stands for GS. Exit status 0 when every scan is
// valid, 1 otherwise (a malformed scan, or one of no kind rfterm knows:
// neither GS1, nor a GTIN, nor matched by a site rule; the error says which),
// 2 on a usage error.
func runDecode(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(s.err)
	asJSON := fs.Bool("json", false, "one JSON object per scan")
	rulesFile := fs.String("rules", "", "site barcode rules: a JSON list of {\"kind\", \"pattern\"}")
	fs.Usage = func() {
		fmt.Fprintln(s.err, "usage: rfterm decode [--json] [--rules FILE] [DATA...]   (no DATA: one scan per line on stdin; \\x1d is GS)")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rules, err := loadRules(*rulesFile)
	if err != nil {
		fmt.Fprintf(s.err, "rfterm decode: %v\n", err)
		return 2
	}
	enc := json.NewEncoder(s.out)
	enc.SetEscapeHTML(false)
	allValid := true
	decodeOne := func(text string) {
		c := rules.Classify(barcode.NewScan(unescapeGS(text), time.Now(), "decode"))
		d := verdict(barcode.Describe(c))
		allValid = allValid && d.Valid
		if *asJSON {
			_ = enc.Encode(d)
			return
		}
		printDescription(s.out, d)
	}
	if fs.NArg() > 0 {
		for _, a := range fs.Args() {
			decodeOne(a)
		}
	} else {
		sc := bufio.NewScanner(s.in)
		sc.Buffer(make([]byte, 4096), maxDecodeLine)
		for sc.Scan() && ctx.Err() == nil {
			line := strings.TrimRight(sc.Text(), "\r")
			if line != "" {
				decodeOne(line)
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintf(s.err, "rfterm decode: reading stdin: %v\n", err)
			return 1
		}
	}
	if !allValid {
		return 1
	}
	return 0
}

// verdict is what decode can call valid: a scan of a known kind without
// error. A scan that no rule recognises is not, and the description says why.
func verdict(d barcode.Description) barcode.Description {
	if d.Valid && d.Kind == barcode.KindUnknown {
		d.Valid = false
		d.Error = "unknown kind: not GS1 (no GS1 AIM identifier, GS, bracketed form or Digital Link primary key), not a GTIN, and no site barcode rule matches"
	}
	return d
}

// unescapeGS turns the literal text \x1d (any case) or \u001d into GS.
func unescapeGS(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.NewReplacer(`\x1d`, "\x1d", `\x1D`, "\x1d", `\u001d`, "\x1d", `\u001D`, "\x1d").Replace(s)
}

func loadRules(path string) (*barcode.Rules, error) {
	if path == "" {
		return barcode.NewRules(nil)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("barcode rules: %w", err)
	}
	var list []barcode.Rule
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return barcode.NewRules(list)
}

func printDescription(w io.Writer, d barcode.Description) {
	fmt.Fprintf(w, "%q: %s", d.Raw, d.Kind)
	if d.AIM != "" {
		fmt.Fprintf(w, ", %s %s", d.AIM, d.Symbology)
	}
	if d.Valid {
		fmt.Fprintln(w, ", valid")
	} else {
		fmt.Fprintf(w, ", INVALID: %s\n", d.Error)
	}
	for _, e := range d.Elements {
		fmt.Fprintf(w, "  %-6s %-20s %s", "("+e.AI+")", e.Title, e.Value)
		if e.Date != "" {
			fmt.Fprintf(w, "  = %s", e.Date)
		}
		if e.Decimal != "" {
			fmt.Fprintf(w, "  = %s", e.Decimal)
		}
		fmt.Fprintln(w)
	}
}
