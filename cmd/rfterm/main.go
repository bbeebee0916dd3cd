// Command rfterm is the warehouse floor terminal: picking, packing, counting
// and returns on RF guns and pack stations, plus support subcommands.
//
//	rfterm demo            the terminal against an embedded hub and demo data
//	rfterm decode [DATA…]  says what scans mean
//	rfterm version         prints the version, commit, Go release and platform
//	rfterm help            lists every subcommand
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand. Each lives in its own file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io stdio) int
}

// stdio is where a subcommand reads and writes, so tests can capture it.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func commands() []command {
	return []command{
		{name: "demo", summary: "the terminal against an embedded order hub and demo data", run: runDemo},
		{name: "run", summary: "the terminal against the site's order hub (--config FILE)", run: runTerminal},
		{name: "decode", summary: "says what barcode scans mean (GS1, GTIN, site rules)", run: runDecode},
		labelCommand(),
		printCommand(),
		printerCommand(),
		fakePrinterCommand(),
		dbCommand(),
		scaleCommand(),
		serveCommand(),
		versionCommand(),
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

func dispatch(ctx context.Context, args []string, s stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(s.out)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], s)
		}
	}
	fmt.Fprintf(s.err, "rfterm: unknown command %q\n\n", args[0])
	usage(s.err)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: rfterm COMMAND [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
}
