package spool_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/zpl/fakeprinter"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// manualClock is a Clock the test moves forward; nothing sleeps.
type manualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func newClock() *manualClock {
	return &manualClock{now: time.Date(2026, 11, 21, 6, 0, 0, 0, time.UTC)}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, waiter{at: c.now.Add(d), ch: ch})
	return ch
}

// Advance moves time on and fires every timer that has come due.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

const waitFor = 10 * time.Second

// env is a spool on a real bbolt file printing to a fake printer over TCP.
type env struct {
	fp    *fakeprinter.Printer
	db    *bolt.DB
	path  string
	clock *manualClock
	sp    *spool.Spool
	stop  context.CancelFunc
	done  chan error
}

func openDB(t *testing.T, path string) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	require.NoError(t, err)
	return db
}

func newEnv(t *testing.T) *env {
	t.Helper()
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	t.Cleanup(func() { _ = fp.Close() })
	e := &env{fp: fp, path: filepath.Join(t.TempDir(), "device.db"), clock: newClock()}
	e.db = openDB(t, e.path)
	t.Cleanup(func() { _ = e.db.Close() })
	c := printer.New(fp.Addr())
	c.StatusTimeout = 300 * time.Millisecond
	sp, err := spool.Open(e.db, c, e.clock, nil)
	require.NoError(t, err)
	e.sp = sp
	return e
}

// run starts the worker; it is stopped at cleanup.
func (e *env) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	e.stop, e.done = cancel, make(chan error, 1)
	go func() { e.done <- e.sp.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-e.done
	})
	// The worker's first status check has its own connection; wait for it so
	// a fault the test arms next applies to the job's connection.
	e.status(t, func(s spool.Status) bool { return s.State != spool.PrinterUnknown })
}

// state waits until job id is in state want.
func (e *env) state(t *testing.T, id spool.JobID, want spool.State) spool.Job {
	t.Helper()
	var j spool.Job
	require.Eventually(t, func() bool {
		var err error
		j, err = e.sp.Job(id)
		require.NoError(t, err)
		return j.State == want
	}, waitFor, time.Millisecond, "job %s: want %s", id, want)
	return j
}

// status waits until the spool's status satisfies ok.
func (e *env) status(t *testing.T, ok func(spool.Status) bool) spool.Status {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		ch := e.sp.Changed()
		st := e.sp.Status()
		if ok(st) {
			return st
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("status never matched; last %+v", st)
		}
	}
}

func label(s string) []byte { return []byte("^XA^FO10,10^FH^FD" + s + "^FS^XZ\n") }

// formats are the data fields the fake printer received, in order.
func formats(fp *fakeprinter.Printer) []string {
	var out []string
	for _, f := range fp.Formats() {
		out = append(out, string(f.ZPL))
	}
	return out
}
