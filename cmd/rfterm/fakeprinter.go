package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/fakeprinter"
)

// fakePrinterCommand runs a fake Zebra printer that saves every job as a file.
func fakePrinterCommand() command {
	return command{name: "fakeprinter", summary: "run a fake Zebra printer on TCP that saves each job as a .zpl file", run: runFakePrinter}
}

func runFakePrinter(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("rfterm fakeprinter", flag.ContinueOnError)
	fs.SetOutput(s.err)
	listen := fs.String("listen", "127.0.0.1:9100", "address to listen on")
	dir := fs.String("dir", "", "directory to save each job in as job-NNNNNN.zpl (none when empty)")
	dpi := fs.Int("dpi", 203, "resolution to report in ~HI")
	model := fs.String("model", "", "model to report in ~HI")
	if err := fs.Parse(args); err != nil {
		return flagErrorCode(err)
	}
	if fs.NArg() > 0 || zpl.DPI(*dpi).Validate() != nil {
		fmt.Fprintln(s.err, "usage: rfterm fakeprinter [--listen ADDR] [--dir DIR] [--dpi 203|300|600] [--model NAME]")
		return 2
	}
	fp := fakeprinter.New(fakeprinter.Options{Dir: *dir, DPI: zpl.DPI(*dpi), Model: *model, Log: slog.New(slog.NewTextHandler(s.err, nil))})
	if err := fp.Listen(ctx, *listen); err != nil {
		fmt.Fprintf(s.err, "rfterm fakeprinter: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.out, "fake printer listening on %s\n", fp.Addr())
	<-ctx.Done()
	_ = fp.Close()
	fmt.Fprintf(s.out, "fake printer stopped after %d formats\n", len(fp.Formats()))
	return 0
}
