package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/fakeprinter"
)

// fakePrinterCommand runs a fake Zebra printer that saves every job as a file.
func fakePrinterCommand() command {
	return command{name: "fakeprinter", summary: "run a fake Zebra printer on TCP that saves each job as a .zpl file", run: runFakePrinter}
}

// fakePrinterHelp lists the lines the fake takes on stdin to change its state.
const fakePrinterHelp = "commands on stdin: paper-out, head-open, ribbon-out, paused, buffer-full, silent, slow, drop, stall, release, ok, formats"

func runFakePrinter(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("rfterm fakeprinter", flag.ContinueOnError)
	fs.SetOutput(s.err)
	listen := fs.String("listen", "127.0.0.1:9100", "address to listen on")
	dir := fs.String("dir", "", "directory to save each job in as job-NNNNNN.zpl (none when empty)")
	dpi := fs.Int("dpi", 203, "resolution to report in ~HI")
	model := fs.String("model", "", "model to report in ~HI")
	quiet := fs.Bool("silent-in-faults", false, "ignore ~HS while out of paper or ribbon or with the head open, as Zebra firmware does")
	if err := fs.Parse(args); err != nil {
		return flagErrorCode(err)
	}
	if fs.NArg() > 0 || zpl.DPI(*dpi).Validate() != nil {
		fmt.Fprintln(s.err, "usage: rfterm fakeprinter [--listen ADDR] [--dir DIR] [--dpi 203|300|600] [--model NAME] [--silent-in-faults]")
		return 2
	}
	fp := fakeprinter.New(fakeprinter.Options{Dir: *dir, DPI: zpl.DPI(*dpi), Model: *model, SilentInFaults: *quiet, Log: slog.New(slog.NewTextHandler(s.err, nil))})
	if err := fp.Listen(ctx, *listen); err != nil {
		fmt.Fprintf(s.err, "rfterm fakeprinter: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.out, "fake printer listening on %s\n", fp.Addr())
	fmt.Fprintln(s.out, fakePrinterHelp)
	go controlFake(ctx, fp, s)
	<-ctx.Done()
	_ = fp.Close()
	fmt.Fprintf(s.out, "fake printer stopped after %d formats\n", len(fp.Formats()))
	return 0
}

// controlFake reads state changes from stdin, one per line, until it ends.
func controlFake(ctx context.Context, fp *fakeprinter.Printer, s stdio) {
	lines := bufio.NewScanner(s.in)
	for lines.Scan() && ctx.Err() == nil {
		cmd := strings.TrimSpace(lines.Text())
		switch cmd {
		case "paper-out":
			fp.SetFaults(fakeprinter.Faults{PaperOut: true})
		case "head-open":
			fp.SetFaults(fakeprinter.Faults{HeadOpen: true})
		case "ribbon-out":
			fp.SetFaults(fakeprinter.Faults{RibbonOut: true})
		case "paused":
			fp.SetFaults(fakeprinter.Faults{Paused: true})
		case "buffer-full":
			fp.SetFaults(fakeprinter.Faults{BufferFull: true})
		case "silent":
			fp.SetSilent(true)
		case "slow":
			fp.SetDelay(2 * time.Second)
		case "drop":
			fp.DropAfter(16)
		case "stall":
			fp.StallAfter(16)
		case "release":
			fp.Release()
		case "ok":
			fp.SetFaults(fakeprinter.Faults{})
			fp.SetSilent(false)
			fp.SetDelay(0)
			fp.DropAfter(0)
			fp.Release()
		case "formats":
		case "":
			continue
		default:
			fmt.Fprintf(s.out, "unknown command %q; %s\n", cmd, fakePrinterHelp)
			continue
		}
		fmt.Fprintf(s.out, "%s: %d formats received\n", cmd, len(fp.Formats()))
	}
}
