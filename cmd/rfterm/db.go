package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// dbCommand checks and compacts bbolt files (a device store or a hub database).
func dbCommand() command {
	return command{name: "db", summary: "check or compact a bbolt file (db check|compact --db FILE)", run: runDB}
}

func runDB(_ context.Context, args []string, s stdio) int {
	const usage = "usage: rfterm db check|compact --db FILE [--timeout 2s]"
	if len(args) == 0 || (args[0] != "check" && args[0] != "compact") {
		fmt.Fprintln(s.err, usage)
		return 2
	}
	fs := flag.NewFlagSet("rfterm db "+args[0], flag.ContinueOnError)
	fs.SetOutput(s.err)
	path := fs.String("db", "", "the bbolt file")
	timeout := fs.Duration("timeout", 2*time.Second, "how long to wait for another rfterm to let go of the file")
	if err := fs.Parse(args[1:]); err != nil {
		return flagErrorCode(err)
	}
	if *path == "" || fs.NArg() > 0 {
		fmt.Fprintln(s.err, usage)
		return 2
	}
	if args[0] == "check" {
		if err := outbox.CheckFile(*path, *timeout); err != nil {
			fmt.Fprintf(s.err, "rfterm db check: %v\n", dbAdvice(err))
			return 1
		}
		fmt.Fprintf(s.out, "%s: ok\n", *path)
		return 0
	}
	before, after, err := outbox.CompactFile(*path, *timeout)
	if err != nil {
		fmt.Fprintf(s.err, "rfterm db compact: %v\n", dbAdvice(err))
		return 1
	}
	fmt.Fprintf(s.out, "%s: compacted from %d to %d bytes\n", *path, before, after)
	return 0
}

// dbAdvice adds what to do to the errors people can act on.
func dbAdvice(err error) error {
	switch {
	case errors.Is(err, outbox.ErrLocked):
		return fmt.Errorf("%w; stop it first", err)
	case errors.Is(err, outbox.ErrCorrupt):
		return fmt.Errorf("%w; a device moves a damaged store aside by itself at its next start", err)
	}
	return err
}
