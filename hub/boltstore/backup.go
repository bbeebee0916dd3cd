package boltstore

import (
	"context"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database file to w while the
// hub runs: the copy is the database as one read transaction sees it, so
// writers go on meanwhile. It returns the bytes written. The copy opens
// with Open like the file itself. Backup stops with ctx's error when ctx
// ends before the copy is written.
func (d *DB) Backup(ctx context.Context, w io.Writer) (n int64, err error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	defer recovered(&err, "backup")
	err = d.bolt.View(func(tx *bolt.Tx) error {
		var werr error
		n, werr = tx.WriteTo(ctxWriter{ctx: ctx, w: w})
		return werr
	})
	if err != nil {
		return n, fmt.Errorf("backup of %s: %w", d.path, closedErr(err))
	}
	return n, nil
}

// ctxWriter is w that refuses to write once ctx has ended.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
