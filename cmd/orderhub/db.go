package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rfterm/rfterm/hub/boltstore"
)

// runDB runs `orderhub db check --db FILE`: the whole consistency check of
// a hub database, with the hub stopped. It exits 1 when the file is damaged.
func runDB(args []string, out io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(out, "orderhub: usage: orderhub db check --db FILE")
		return 2
	}
	fs := flag.NewFlagSet("orderhub db check", flag.ContinueOnError)
	fs.SetOutput(out)
	path := fs.String("db", "", "bbolt database file to check")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *path == "" || fs.NArg() > 0 {
		fmt.Fprintln(out, "orderhub: usage: orderhub db check --db FILE")
		return 2
	}
	if err := boltstore.Check(*path, out); err != nil {
		fmt.Fprintln(out, "orderhub:", err)
		return 1
	}
	return 0
}
