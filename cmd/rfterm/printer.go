package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/rfterm/rfterm/internal/safetext"
	"github.com/rfterm/rfterm/zpl/printer"
)

// printerCommand shows a printer's status or identification, for support.
func printerCommand() command {
	return command{name: "printer", summary: "show a printer's status (~HS) or identification (~HI)", run: runPrinter}
}

func runPrinter(ctx context.Context, args []string, s stdio) int {
	if len(args) == 0 || (args[0] != "status" && args[0] != "info") {
		fmt.Fprintln(s.err, "usage: rfterm printer status|info --printer HOST:PORT")
		return 2
	}
	fs := flag.NewFlagSet("rfterm printer "+args[0], flag.ContinueOnError)
	fs.SetOutput(s.err)
	c := printerFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return flagErrorCode(err)
	}
	if c.Addr == "" || fs.NArg() > 0 {
		fmt.Fprintf(s.err, "usage: rfterm printer %s --printer HOST:PORT\n", args[0])
		return 2
	}
	c.Addr = printer.New(c.Addr).Addr
	if args[0] == "info" {
		i, err := c.Info(ctx)
		if err != nil {
			fmt.Fprintf(s.err, "rfterm printer info: %v\n", err)
			return 1
		}
		dpi := "unknown"
		if d, err := i.DPI(); err == nil {
			dpi = fmt.Sprint(int(d))
		}
		clean := safetext.Strip // the printer's words, never its control sequences
		fmt.Fprintf(s.out, "printer   %s\nmodel     %s\nfirmware  %s\ndpi       %s (%d dots/mm)\nmemory    %s\n",
			clean(c.Addr), clean(i.Model), clean(i.Firmware), dpi, i.DotsPerMM, clean(i.Memory))
		return 0
	}
	st, err := c.Status(ctx)
	if err != nil {
		fmt.Fprintf(s.err, "rfterm printer status: %v\n", err)
		return 1
	}
	writeStatus(s, c.Addr, st)
	if !st.Ready() {
		return 1
	}
	return 0
}

// writeStatus prints the parsed ~HS fields, one per line.
func writeStatus(s stdio, addr string, st printer.Status) {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, row := range [][2]string{
		{"printer", addr},
		{"state", st.String()},
		{"paper out", yes(st.PaperOut)},
		{"paused", yes(st.Paused)},
		{"head open", yes(st.HeadOpen)},
		{"ribbon out", yes(st.RibbonOut)},
		{"buffer full", yes(st.BufferFull)},
		{"formats in buffer", fmt.Sprint(st.FormatsInBuffer)},
		{"labels remaining", fmt.Sprint(st.LabelsRemaining)},
		{"label length", fmt.Sprintf("%d dots", st.LabelLengthDots)},
		{"partial format", yes(st.PartialFormat)},
		{"head too cold", yes(st.UnderTemperature)},
		{"head too hot", yes(st.OverTemperature)},
		{"configuration lost", yes(st.CorruptRAM)},
		{"thermal transfer", yes(st.ThermalTransfer)},
		{"label waiting", yes(st.LabelWaiting)},
	} {
		fmt.Fprintf(s.out, "%-19s %s\n", row[0], row[1])
	}
}
