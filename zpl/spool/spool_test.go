package spool_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/zpl/fakeprinter"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// The printer client is what the spool prints through.
var _ spool.Printer = (*printer.Client)(nil)

func TestSubmitIsDurableBeforeItReturns(t *testing.T) {
	e := newEnv(t)
	id, err := e.sp.Submit(spool.Request{Name: "SSCC 1", ZPL: label("one")})
	require.NoError(t, err)
	require.NoError(t, e.db.Close())
	e.db = openDB(t, e.path)
	sp, err := spool.Open(e.db, printer.New(e.fp.Addr()), e.clock, nil)
	require.NoError(t, err)
	j, err := sp.Job(id)
	require.NoError(t, err)
	assert.Equal(t, spool.Queued, j.State)
	assert.Equal(t, "SSCC 1", j.Name)
	assert.Equal(t, label("one"), j.ZPL)
	assert.Equal(t, 1, sp.Status().Waiting)
}

func TestPrintsJobsInOrderOnce(t *testing.T) {
	e := newEnv(t)
	e.run(t)
	var ids []spool.JobID
	for _, s := range []string{"a", "b", "c"} {
		id, err := e.sp.Submit(spool.Request{Name: s, ZPL: label(s)})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	for _, id := range ids {
		j := e.state(t, id, spool.Printed)
		assert.Equal(t, 1, j.Attempts)
		assert.Equal(t, e.fp.Addr(), j.Printer)
	}
	assert.Equal(t, []string{string(label("a")[:len(label("a"))-1]), string(label("b")[:len(label("b"))-1]), string(label("c")[:len(label("c"))-1])}, formats(e.fp))
	st := e.status(t, func(s spool.Status) bool { return s.State == spool.PrinterReady && s.Waiting == 0 })
	assert.Equal(t, "printer "+e.fp.Addr()+": ready", st.Line())
}

func TestJobWaitsWhileThePrinterCannotPrint(t *testing.T) {
	for reason, fault := range map[string]func(*fakeprinter.Printer){
		"paper out":     func(fp *fakeprinter.Printer) { fp.SetFaults(fakeprinter.Faults{PaperOut: true}) },
		"paused":        func(fp *fakeprinter.Printer) { fp.SetFaults(fakeprinter.Faults{Paused: true}) },
		"head open":     func(fp *fakeprinter.Printer) { fp.SetFaults(fakeprinter.Faults{HeadOpen: true}) },
		"not answering": func(fp *fakeprinter.Printer) { fp.SetSilent(true) },
	} {
		t.Run(reason, func(t *testing.T) {
			e := newEnv(t)
			fault(e.fp)
			e.run(t)
			id, err := e.sp.Submit(spool.Request{Name: "ship", ZPL: label("x")})
			require.NoError(t, err)
			st := e.status(t, func(s spool.Status) bool { return s.State == spool.PrinterFault && !s.NextRetry.IsZero() })
			assert.Contains(t, st.Reason, reason)
			assert.Equal(t, 1, st.Waiting)
			assert.Contains(t, st.Line(), reason)
			assert.Contains(t, st.Line(), "1 waiting")
			j, err := e.sp.Job(id)
			require.NoError(t, err)
			assert.Equal(t, spool.Queued, j.State, "the job is kept")
			assert.Contains(t, j.LastError, reason)
			assert.Empty(t, e.fp.Formats())

			// Still refusing at the next attempt: the backoff grows.
			first := st.NextRetry.Sub(e.clock.Now())
			e.clock.Advance(first)
			st = e.status(t, func(s spool.Status) bool { return !s.NextRetry.IsZero() && s.NextRetry.Sub(e.clock.Now()) > first })
			assert.Equal(t, 2*first, st.NextRetry.Sub(e.clock.Now()))

			e.fp.SetFaults(fakeprinter.Faults{})
			e.fp.SetSilent(false)
			e.clock.Advance(spool.MaxBackoff)
			j = e.state(t, id, spool.Printed)
			assert.Equal(t, 3, j.Attempts)
			assert.Len(t, e.fp.Formats(), 1)
			e.status(t, func(s spool.Status) bool { return s.State == spool.PrinterReady && s.Waiting == 0 })
		})
	}
}

func TestUnreachablePrinterKeepsTheJob(t *testing.T) {
	e := newEnv(t)
	addr := e.fp.Addr()
	require.NoError(t, e.fp.Close())
	e.run(t)
	id, err := e.sp.Submit(spool.Request{Name: "lpn", ZPL: label("x")})
	require.NoError(t, err)
	st := e.status(t, func(s spool.Status) bool {
		return s.State == spool.PrinterFault && s.Waiting == 1 && !s.NextRetry.IsZero()
	})
	assert.Contains(t, st.Reason, "unreachable")
	assert.Equal(t, addr, st.Printer)
	j, err := e.sp.Job(id)
	require.NoError(t, err)
	assert.Equal(t, spool.Queued, j.State)
}

func TestDroppedMidJobWaitsForTheOperator(t *testing.T) {
	e := newEnv(t)
	e.run(t)
	big := bytes.Repeat(label("big"), 10000)
	e.fp.DropAfter(1000)
	id, err := e.sp.Submit(spool.Request{Name: "packing list", ZPL: big})
	require.NoError(t, err)
	j := e.state(t, id, spool.Unknown)
	assert.Equal(t, 1, j.Attempts)
	st := e.status(t, func(s spool.Status) bool { return s.NeedsDecision == 1 })
	assert.Contains(t, st.Line(), "1 to confirm")

	// The worker moves on but never re-sends the undecided job by itself.
	e.clock.Advance(spool.MaxBackoff)
	next, err := e.sp.Submit(spool.Request{Name: "next", ZPL: label("next")})
	require.NoError(t, err)
	e.state(t, next, spool.Printed)
	j, err = e.sp.Job(id)
	require.NoError(t, err)
	assert.Equal(t, spool.Unknown, j.State)
	assert.Equal(t, 1, j.Attempts)

	require.ErrorIs(t, e.sp.Confirm(next, true), spool.ErrState, "only unknown jobs are confirmed")
	require.NoError(t, e.sp.Confirm(id, false), "reprint")
	j = e.state(t, id, spool.Printed)
	assert.Equal(t, 2, j.Attempts)
	e.status(t, func(s spool.Status) bool { return s.NeedsDecision == 0 })
}

func TestOperatorConfirmsItPrinted(t *testing.T) {
	e := newEnv(t)
	e.run(t)
	e.fp.StallAfter(3 + len(label("x")))
	id, err := e.sp.Submit(spool.Request{Name: "x", ZPL: label("x")})
	require.NoError(t, err)
	e.state(t, id, spool.Unknown)
	e.fp.Release()
	require.NoError(t, e.sp.Confirm(id, true))
	j := e.state(t, id, spool.Printed)
	assert.True(t, j.Confirmed)
	assert.Equal(t, 1, j.Attempts)
	assert.Len(t, e.fp.Formats(), 1, "not sent again")
}

func TestReprintAndLast(t *testing.T) {
	e := newEnv(t)
	_, ok, err := e.sp.Last()
	require.NoError(t, err)
	assert.False(t, ok)
	e.run(t)
	a, err := e.sp.Submit(spool.Request{Name: "a", ZPL: label("a")})
	require.NoError(t, err)
	e.state(t, a, spool.Printed)
	b, err := e.sp.Submit(spool.Request{Name: "b", ZPL: label("b")})
	require.NoError(t, err)
	e.state(t, b, spool.Printed)
	last, ok, err := e.sp.Last()
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, b, last.ID)
	r, err := e.sp.Reprint(a)
	require.NoError(t, err)
	j := e.state(t, r, spool.Printed)
	assert.Equal(t, a, j.ReprintOf)
	assert.Equal(t, "a", j.Name)
	got := formats(e.fp)
	require.Len(t, got, 3)
	assert.Equal(t, got[0], got[2])
	jobs, err := e.sp.Jobs()
	require.NoError(t, err)
	require.Len(t, jobs, 3)
	assert.Equal(t, r, jobs[0].ID, "newest first")
	_, err = e.sp.Reprint(999)
	assert.ErrorIs(t, err, spool.ErrNotFound)
}

func TestCancelAQueuedJob(t *testing.T) {
	e := newEnv(t)
	id, err := e.sp.Submit(spool.Request{Name: "wrong", ZPL: label("wrong")})
	require.NoError(t, err)
	require.NoError(t, e.sp.Cancel(id))
	ok, err := e.sp.Submit(spool.Request{Name: "right", ZPL: label("right")})
	require.NoError(t, err)
	e.run(t)
	e.state(t, ok, spool.Printed)
	assert.Equal(t, []string{strings.TrimSuffix(string(label("right")), "\n")}, formats(e.fp))
	assert.ErrorIs(t, e.sp.Cancel(ok), spool.ErrState)
	_, err = e.sp.Submit(spool.Request{Name: "empty"})
	assert.ErrorIs(t, err, spool.ErrState)
}

func TestIdlePollShowsAFaultWithoutAJob(t *testing.T) {
	e := newEnv(t)
	e.run(t)
	e.status(t, func(s spool.Status) bool { return s.State == spool.PrinterReady && s.Idle })
	e.fp.SetFaults(fakeprinter.Faults{HeadOpen: true})
	e.clock.Advance(spool.PollInterval)
	st := e.status(t, func(s spool.Status) bool { return s.State == spool.PrinterFault })
	assert.Equal(t, "head open", st.Reason)
	assert.True(t, st.Last.HeadOpen)
}

func TestRetryNowWhileIdleChecksThePrinter(t *testing.T) {
	e := newEnv(t)
	e.run(t)
	e.status(t, func(s spool.Status) bool { return s.State == spool.PrinterReady && s.Idle })
	e.fp.SetFaults(fakeprinter.Faults{PaperOut: true})
	e.sp.RetryNow() // no time passes: the fault shows without waiting for the poll
	st := e.status(t, func(s spool.Status) bool { return s.State == spool.PrinterFault })
	assert.Equal(t, "paper out", st.Reason)
}

// BenchmarkSubmitToPrinted is a job's round trip through the spool to the fake
// printer on loopback: saved, sent with status before and after, marked
// printed; with bbolt's fsync on each of the three writes, and without.
func BenchmarkSubmitToPrinted(b *testing.B) {
	for _, noSync := range []bool{false, true} {
		b.Run(map[bool]string{false: "fsync", true: "nosync"}[noSync], func(b *testing.B) {
			benchmarkSubmitToPrinted(b, noSync)
		})
	}
}

func benchmarkSubmitToPrinted(b *testing.B, noSync bool) {
	fp := fakeprinter.New(fakeprinter.Options{})
	if err := fp.Listen(b.Context(), "127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer fp.Close()
	db, err := bolt.Open(filepath.Join(b.TempDir(), "device.db"), 0o600, &bolt.Options{Timeout: time.Second, NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sp, err := spool.Open(db, printer.New(fp.Addr()), newClock(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	go func() { _ = sp.Run(ctx) }()
	job := spool.Request{Name: "bench", ZPL: label("bench")}
	b.ReportAllocs()
	for b.Loop() {
		changed := sp.Changed()
		id, err := sp.Submit(job)
		if err != nil {
			b.Fatal(err)
		}
		for {
			j, err := sp.Job(id)
			if err != nil {
				b.Fatal(err)
			}
			if j.State == spool.Printed {
				break
			}
			<-changed
			changed = sp.Changed()
		}
	}
}

func TestOnlyTheLatestFinishedJobsAreKept(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "device.db"), 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	require.NoError(t, err)
	defer db.Close()
	sp, err := spool.Open(db, printer.New("127.0.0.1:1"), newClock(), nil)
	require.NoError(t, err)
	e := &env{sp: sp}
	var ids []spool.JobID
	for i := range 503 {
		id, err := e.sp.Submit(spool.Request{Name: fmt.Sprint(i), ZPL: label("x")})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	keep, err := e.sp.Submit(spool.Request{Name: "still queued", ZPL: label("q")})
	require.NoError(t, err)
	for _, id := range ids {
		require.NoError(t, e.sp.Cancel(id))
	}
	jobs, err := e.sp.Jobs()
	require.NoError(t, err)
	assert.Len(t, jobs, 501, "500 finished jobs and the queued one")
	_, err = e.sp.Job(ids[2])
	assert.ErrorIs(t, err, spool.ErrNotFound, "the oldest went")
	j, err := e.sp.Job(keep)
	require.NoError(t, err)
	assert.Equal(t, spool.Queued, j.State, "open jobs are never pruned")
}
