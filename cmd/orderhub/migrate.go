package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rfterm/rfterm/hub/backend"
	"github.com/rfterm/rfterm/hub/pgstore"
)

const migrateUsage = "orderhub: usage: orderhub migrate --db postgres://…"

// runMigrate runs `orderhub migrate --db postgres://…`: it applies the
// PostgreSQL store's migrations the database lacks (hubs refuse to start on
// a database behind them). Several may run at once; each migration is
// applied once. A bbolt file needs none. A server off loopback is reached
// over TLS only, as the hub reaches it (checkDBTransport).
func runMigrate(ctx context.Context, args []string, out io.Writer) int {
	fs := flag.NewFlagSet("orderhub migrate", flag.ContinueOnError)
	fs.SetOutput(out)
	dsn := fs.String("db", "", "PostgreSQL connection string (postgres://user@host/db)")
	plain := fs.Bool("plain-db", false, "reach a PostgreSQL server off loopback without TLS")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *dsn == "" || fs.NArg() > 0 {
		fmt.Fprintln(out, migrateUsage)
		return 2
	}
	if !backend.IsPostgres(*dsn) {
		fmt.Fprintf(out, "orderhub: %s is not a postgres:// URL; a bbolt file needs no migration\n", *dsn)
		return 2
	}
	warning, err := checkDBTransport(*dsn, *plain)
	if err != nil {
		fmt.Fprintln(out, "orderhub:", err)
		return 2
	}
	if warning != "" {
		fmt.Fprintln(out, "orderhub: warning:", warning)
	}
	v, err := pgstore.Migrate(ctx, *dsn)
	if err != nil {
		fmt.Fprintln(out, "orderhub:", err)
		return 1
	}
	fmt.Fprintf(out, "orderhub: database schema at version %d\n", v)
	return 0
}
