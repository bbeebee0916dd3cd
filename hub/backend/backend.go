// Package backend opens the hub's storage that a --db string names: a
// PostgreSQL database when it is a postgres:// or postgresql:// URL
// (package pgstore), else a bbolt file (package boltstore). orderhub and
// the tests' hubs open their storage through it, so both read --db alike.
package backend

import (
	"context"
	"strings"
	"time"

	"github.com/rfterm/rfterm/hub/boltstore"
	"github.com/rfterm/rfterm/hub/pgstore"
	"github.com/rfterm/rfterm/hub/storage"
)

// Options configures Open.
type Options struct {
	// Timeout is how long Open waits for a bbolt file's lock held by
	// another process (0: boltstore.DefaultTimeout).
	Timeout time.Duration
}

// IsPostgres reports whether db names a PostgreSQL database rather than a
// bbolt file.
func IsPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open opens the storage db names. A PostgreSQL database must be at the
// schema this program was built for (pgstore.ErrSchema otherwise: run
// `orderhub migrate`); a bbolt file is created if missing.
func Open(ctx context.Context, db string, o Options) (storage.DB, error) {
	if IsPostgres(db) {
		pg, err := pgstore.Open(ctx, db)
		if err != nil {
			return nil, err
		}
		return pg, nil
	}
	bolt, err := boltstore.Open(db, boltstore.Options{Timeout: o.Timeout})
	if err != nil {
		return nil, err
	}
	return bolt, nil
}
