package pgstore

import (
	"bytes"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/rfterm/rfterm/hub/storage"
)

// Scan pages: the first is small (many scans stop at the first key or
// two), later ones grow up to maxPage rows.
const (
	firstPage = 64
	maxPage   = 1024
	lastPage  = 8 // Last's first page: a few keys, in case the last were deleted in the transaction
)

// row is one key and value read from hub_kv.
type row struct{ key, value []byte }

// fetch reads up to limit rows of the bucket in [from, to) in order
// (descending: below to and above from, from the top).
func (b *bucket) fetch(from, to []byte, limit int, descending bool) ([]row, error) {
	if from == nil {
		from = []byte{}
	}
	sql, args := sqlScan, []any{b.name, from, limit}
	switch {
	case descending && to == nil:
		sql = sqlLast
	case descending:
		sql, args = sqlLastBefore, append(args, to)
	case to != nil:
		sql, args = sqlScanTo, append(args, to)
	}
	var rows []row
	err := b.t.send(func(q *pgx.Batch) { q.Queue(sql, args...) }, func(br pgx.BatchResults) error {
		rs, err := br.Query()
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.key, &r.value); err != nil {
				return err
			}
			if r.value == nil {
				r.value = []byte{}
			}
			rows = append(rows, r)
		}
		return rs.Err()
	})
	return rows, err
}

// after is the smallest key greater than k.
func after(k []byte) []byte { return append(bytes.Clone(k), 0) }

// Scan calls fn for every key in [from, to) in order: the committed rows,
// read in pages, merged with this transaction's writes. The writes are
// consulted afresh at every key, so fn may write to the bucket it scans:
// a key it puts ahead of the scan is visited, one it deletes is not.
func (b *bucket) Scan(from, to []byte, fn func(k, v []byte) error) error {
	if err := b.t.usable(); err != nil {
		return err
	}
	if to != nil && bytes.Compare(from, to) >= 0 {
		return nil
	}
	pos := from    // the next key to visit is at or after pos
	dbNext := from // the next page starts here
	var page []row // committed rows fetched and not yet passed
	exhausted := false
	size := firstPage
	for {
		if len(page) == 0 && !exhausted {
			var err error
			if page, err = b.fetch(dbNext, to, size, false); err != nil {
				return err
			}
			exhausted = len(page) < size
			if len(page) > 0 {
				dbNext = after(page[len(page)-1].key)
			}
			size = min(size*4, maxPage)
		}
		for len(page) > 0 && pos != nil && bytes.Compare(page[0].key, pos) < 0 {
			page = page[1:]
		}
		if len(page) == 0 && !exhausted {
			continue
		}
		var k, v []byte
		e := b.t.writes.ceiling(b.name, pos, to)
		switch {
		case e == nil && len(page) == 0:
			return nil
		case e == nil || len(page) > 0 && bytes.Compare(page[0].key, e.key) < 0:
			k, v = page[0].key, page[0].value
			page = page[1:]
		default: // this transaction wrote the next key
			if len(page) > 0 && bytes.Equal(page[0].key, e.key) {
				page = page[1:]
			}
			pos = after(e.key)
			if e.deleted {
				continue
			}
			k, v = e.key, e.value
		}
		pos = after(k)
		if err := fn(k, v); err != nil {
			if errors.Is(err, storage.ErrStop) {
				return nil
			}
			return err
		}
	}
}

// Last returns the greatest key below before (nil: the greatest) and its
// value, as this transaction sees them.
func (b *bucket) Last(before []byte) (k, v []byte, err error) {
	if err := b.t.usable(); err != nil {
		return nil, nil, err
	}
	mine := b.t.writes.floor(b.name, before)
	var floor []byte // committed keys at or below floor are no better than mine
	if mine != nil {
		floor = mine.key
	}
	bound, size := before, lastPage
	for {
		rows, err := b.fetch(floor, bound, size, true)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			if b.t.writes.get(b.name, r.key) == nil { // else deleted, or mine already covers it
				return r.key, r.value, nil
			}
		}
		if len(rows) < size {
			break
		}
		bound, size = rows[len(rows)-1].key, min(size*4, maxPage)
	}
	if mine == nil {
		return nil, nil, nil
	}
	return mine.key, mine.value, nil
}
