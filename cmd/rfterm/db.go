package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
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
	kind := fileKind(*path)
	if args[0] == "check" {
		if err := outbox.CheckFile(*path, *timeout); err != nil {
			fmt.Fprintf(s.err, "rfterm db check: %v\n", dbAdvice(err, *path, kind))
			return 1
		}
		fmt.Fprintf(s.out, "%s: ok%s\n", *path, kind.says())
		return 0
	}
	before, after, err := outbox.CompactFile(*path, *timeout)
	if err != nil {
		fmt.Fprintf(s.err, "rfterm db compact: %v\n", dbAdvice(err, *path, kind))
		return 1
	}
	fmt.Fprintf(s.out, "%s: compacted from %d to %d bytes\n", *path, before, after)
	return 0
}

// dbAdvice adds what to do to the errors people can act on. A locked file
// names what holds it: the order hub for a hub database.
func dbAdvice(err error, path string, kind boltKind) error {
	switch {
	case errors.Is(err, outbox.ErrLocked) && kind == kindHub:
		return fmt.Errorf("%s is an order hub database, and the order hub has it open; stop orderhub first (orderhub db check --db %s checks it too)", path, path)
	case errors.Is(err, outbox.ErrLocked):
		return fmt.Errorf("%w; stop it first", err)
	case errors.Is(err, outbox.ErrCorrupt):
		return fmt.Errorf("%w; a device moves a damaged store aside by itself at its next start", err)
	}
	return err
}

// boltKind is whose bbolt file a path holds, told by its top-level buckets.
type boltKind int

const (
	kindUnknown boltKind = iota
	kindDevice           // a device store: it has an outbox
	kindHub              // an order hub database: a meta bucket and no outbox
)

// says is what a check's "ok" adds about the file.
func (k boltKind) says() string {
	switch k {
	case kindHub:
		return " (an order hub database)"
	case kindDevice:
		return " (a device store)"
	}
	return ""
}

// Limits on reading a bbolt file's root by hand.
const (
	maxRootPages = 64      // root pages followed: a store has a few dozen buckets
	maxPageSize  = 1 << 16 // bbolt's page size is the OS page size
)

// fileKind reads the names of a bbolt file's top-level buckets straight
// from its pages (bbolt's file format: two meta pages, the root bucket's
// B+tree), without a lock: it works while another process holds the file.
// Anything unreadable is kindUnknown.
func fileKind(path string) boltKind {
	f, err := os.Open(path)
	if err != nil {
		return kindUnknown
	}
	defer f.Close()
	names, err := rootBuckets(f)
	switch {
	case err != nil:
		return kindUnknown
	case names["outbox"]:
		return kindDevice
	case names["meta"]:
		return kindHub // no outbox: the hub makes its buckets as it writes them, meta at seed
	}
	return kindUnknown
}

// rootBuckets lists the top-level bucket names of a bbolt file.
func rootBuckets(f io.ReaderAt) (map[string]bool, error) {
	root, pageSize, err := boltMeta(f)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	todo := []uint64{root}
	for n := 0; len(todo) > 0; n++ {
		if n >= maxRootPages {
			return nil, errors.New("bbolt root: too many pages")
		}
		id := todo[0]
		todo = todo[1:]
		if id > math.MaxInt64/uint64(pageSize) {
			return nil, fmt.Errorf("bbolt root: page %d out of range", id)
		}
		page := make([]byte, pageSize)
		if _, err := f.ReadAt(page, int64(id)*int64(pageSize)); err != nil {
			return nil, fmt.Errorf("bbolt page %d: %w", id, err)
		}
		flags, count := binary.LittleEndian.Uint16(page[8:]), int(binary.LittleEndian.Uint16(page[10:]))
		if 16+count*16 > len(page) {
			return nil, fmt.Errorf("bbolt page %d: %d elements do not fit", id, count)
		}
		for i := range count {
			el := 16 + i*16
			switch flags {
			case 0x01: // branch: pos, ksize, child page id
				todo = append(todo, binary.LittleEndian.Uint64(page[el+8:]))
			case 0x02: // leaf: flags, pos, ksize, vsize; flag 1 is a bucket
				pos, ksize := int(binary.LittleEndian.Uint32(page[el+4:])), int(binary.LittleEndian.Uint32(page[el+8:]))
				if binary.LittleEndian.Uint32(page[el:])&1 == 0 || el+pos+ksize > len(page) || pos < 0 || ksize < 0 {
					continue
				}
				names[string(page[el+pos:el+pos+ksize])] = true
			default:
				return nil, fmt.Errorf("bbolt page %d: flags %#x is not a tree page", id, flags)
			}
		}
	}
	return names, nil
}

// boltMeta reads the newer sound meta page of a bbolt file: the root
// bucket's page and the page size.
func boltMeta(f io.ReaderAt) (root uint64, pageSize int, err error) {
	var best uint64
	found := false
	for _, off := range []int64{0, 4096} { // the second meta page sits one page in; 4 KiB pages are the rule
		buf := make([]byte, 16+64)
		if _, err := f.ReadAt(buf, off); err != nil {
			continue
		}
		m := buf[16:]
		h := fnv.New64a()
		h.Write(m[:56])
		size := int(binary.LittleEndian.Uint32(m[8:]))
		if binary.LittleEndian.Uint32(m) != 0xED0CDAED || h.Sum64() != binary.LittleEndian.Uint64(m[56:]) || size < 512 || size > maxPageSize {
			continue
		}
		if txid := binary.LittleEndian.Uint64(m[48:]); !found || txid > best {
			best, found, root, pageSize = txid, true, binary.LittleEndian.Uint64(m[16:]), size
		}
	}
	if !found {
		return 0, 0, errors.New("no sound bbolt meta page")
	}
	return root, pageSize, nil
}
