package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/rfterm/rfterm/terminal/scale"
	"github.com/rfterm/rfterm/terminal/scanner"
)

// scaleCommand reads a pack station's scale, for station setup.
func scaleCommand() command {
	return command{name: "scale", summary: "reads the pack station's scale (scale read --port PATH)", run: runScale}
}

func runScale(ctx context.Context, args []string, s stdio) int {
	usage := "usage: rfterm scale read --port PATH [--protocol mt-sics|continuous] [--baud N] [--timeout D]"
	if len(args) == 0 || args[0] != "read" {
		fmt.Fprintln(s.err, usage)
		return 2
	}
	fs := flag.NewFlagSet("rfterm scale read", flag.ContinueOnError)
	fs.SetOutput(s.err)
	var cfg scale.Config
	fs.StringVar(&cfg.Port, "port", "", "the scale's serial port, e.g. /dev/ttyUSB0")
	fs.StringVar(&cfg.Protocol, "protocol", scale.ProtocolSICS, "mt-sics (request/response) or continuous (ST,GS,… lines)")
	fs.IntVar(&cfg.Baud, "baud", 9600, "baud rate")
	fs.IntVar(&cfg.DataBits, "data-bits", 8, "data bits, 5 to 8")
	fs.StringVar(&cfg.Parity, "parity", "none", "none, odd, even, mark or space")
	fs.StringVar(&cfg.StopBits, "stop-bits", "1", "1, 1.5 or 2")
	timeout := fs.Duration("timeout", 10*time.Second, "how long to wait for a stable weight")
	reply := fs.Duration("reply-timeout", scale.DefaultReplyTimeout, "how long the scale may take to answer one request")
	fs.Usage = func() {
		fmt.Fprintln(s.err, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return flagErrorCode(err)
	}
	if cfg.Port == "" || fs.NArg() > 0 || *timeout <= 0 {
		fs.Usage()
		return 2
	}
	cfg.ReplyTimeout = scanner.Duration(*reply)
	sc, err := scale.Open(cfg, slog.New(slog.NewTextHandler(s.err, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		fmt.Fprintf(s.err, "rfterm scale read: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	done := make(chan struct{})
	go func() { sc.Run(ctx, nil); close(done) }()
	w, err := sc.Stable(ctx)
	cancel()
	<-done
	if err != nil {
		fmt.Fprintf(s.err, "rfterm scale read: %s: %v\n", cfg.Port, err)
		return 1
	}
	fmt.Fprintln(s.out, w)
	return 0
}
