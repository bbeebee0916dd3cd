package printer_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/fakeprinter"
	"github.com/rfterm/rfterm/zpl/printer"
)

const job = "^XA^FO10,10^FH^FDhello_5E^FS^XZ\n"

// start runs a fake printer on a loopback port for the test.
func start(t *testing.T, opts fakeprinter.Options) (*fakeprinter.Printer, *printer.Client) {
	t.Helper()
	fp := fakeprinter.New(opts)
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	t.Cleanup(func() { _ = fp.Close() })
	c := printer.New(fp.Addr())
	c.StatusTimeout = 300 * time.Millisecond
	return fp, c
}

func TestPrintChecksStatusSendsAndChecksAgain(t *testing.T) {
	dir := t.TempDir()
	fp, c := start(t, fakeprinter.Options{Dir: dir})
	r, err := c.Print(t.Context(), []byte(job+job))
	require.NoError(t, err)
	assert.True(t, r.Before.Ready())
	assert.True(t, r.After.Ready())
	got := fp.Formats()
	require.Len(t, got, 2)
	assert.Equal(t, job[:len(job)-1], string(got[0].ZPL))
	assert.Equal(t, 1, got[1].Job)
	assert.Equal(t, 1, fp.Connections(), "one connection per job")
	saved, err := os.ReadFile(filepath.Join(dir, "job-000001.zpl"))
	require.NoError(t, err)
	assert.Equal(t, job+job, string(saved))

	_, err = c.Print(t.Context(), []byte(job))
	require.NoError(t, err)
	assert.Equal(t, 2, fp.Connections())
	assert.Equal(t, 2, fp.Formats()[2].Job)
}

func TestPrintRefusesAFaultedPrinterAndSendsNothing(t *testing.T) {
	for want, f := range map[string]fakeprinter.Faults{
		"paper out":           {PaperOut: true},
		"head open":           {HeadOpen: true},
		"paused":              {Paused: true},
		"ribbon out":          {RibbonOut: true},
		"receive buffer full": {BufferFull: true},
	} {
		t.Run(want, func(t *testing.T) {
			fp, c := start(t, fakeprinter.Options{})
			fp.SetFaults(f)
			_, err := c.Print(t.Context(), []byte(job))
			require.ErrorIs(t, err, printer.ErrNotSent)
			require.ErrorIs(t, err, printer.ErrFault)
			var fe *printer.FaultError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, []string{want}, fe.Status.Problems())
			assert.Contains(t, err.Error(), want)
			assert.Empty(t, fp.Formats())

			s, err := c.Status(t.Context())
			require.NoError(t, err)
			assert.Equal(t, want, s.String())
		})
	}
}

func TestSilentPrinterIsAFault(t *testing.T) {
	fp, c := start(t, fakeprinter.Options{})
	fp.SetSilent(true)
	_, err := c.Print(t.Context(), []byte(job))
	require.ErrorIs(t, err, printer.ErrNotSent)
	require.ErrorIs(t, err, printer.ErrNoAnswer)
	assert.Empty(t, fp.Formats())
	_, err = c.Status(t.Context())
	assert.ErrorIs(t, err, printer.ErrNoAnswer)
}

func TestUnreachablePrinter(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = printer.New(addr).Print(t.Context(), []byte(job))
	require.ErrorIs(t, err, printer.ErrNotSent)
	assert.ErrorIs(t, err, printer.ErrUnreachable)
}

func TestConnectionDroppedMidJobIsOutcomeUnknown(t *testing.T) {
	fp, c := start(t, fakeprinter.Options{})
	big := bytes.Repeat([]byte(job), 200000) // ~6 MB: the write is still going when the fake resets
	fp.DropAfter(1000)
	_, err := c.Print(t.Context(), big)
	require.ErrorIs(t, err, printer.ErrOutcomeUnknown)
	assert.NotErrorIs(t, err, printer.ErrNotSent)
	assert.Less(t, len(fp.Formats()), 200000)
}

func TestPrinterStallingAfterTheJobIsOutcomeUnknown(t *testing.T) {
	fp, c := start(t, fakeprinter.Options{})
	fp.StallAfter(3 + len(job)) // ~HS, then the job; the second ~HS is never read
	_, err := c.Print(t.Context(), []byte(job))
	require.ErrorIs(t, err, printer.ErrOutcomeUnknown)
	require.ErrorIs(t, err, printer.ErrNoAnswer)
	fp.Release()
}

func TestSlowPrinter(t *testing.T) {
	fp, c := start(t, fakeprinter.Options{})
	fp.SetDelay(20 * time.Millisecond)
	_, err := c.Print(t.Context(), []byte(job))
	require.NoError(t, err, "slow but within the timeout")
	fp.SetDelay(time.Second)
	_, err = c.Print(t.Context(), []byte(job))
	require.ErrorIs(t, err, printer.ErrNoAnswer, "slower than the status timeout")
}

func TestCancelStopsWaiting(t *testing.T) {
	fp, c := start(t, fakeprinter.Options{})
	fp.SetSilent(true)
	c.StatusTimeout = time.Minute
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { _, err := c.Status(ctx); done <- err }()
	require.Eventually(t, func() bool { return fp.Received() >= 3 }, 5*time.Second, time.Millisecond)
	cancel()
	select {
	case err := <-done:
		assert.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Status did not return after cancel")
	}
}

func TestInfoFromFake(t *testing.T) {
	_, c := start(t, fakeprinter.Options{Model: "ZT411-300dpi", DPI: zpl.DPI300})
	i, err := c.Info(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "ZT411-300dpi", i.Model)
	dpi, err := i.DPI()
	require.NoError(t, err)
	assert.Equal(t, zpl.DPI300, dpi)
}

func TestNewAddsPort(t *testing.T) {
	assert.Equal(t, "10.0.0.5:9100", printer.New("10.0.0.5").Addr)
	assert.Equal(t, "10.0.0.5:6101", printer.New("10.0.0.5:6101").Addr)
}

func BenchmarkPrintRoundTrip(b *testing.B) {
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(b, fp.Listen(b.Context(), "127.0.0.1:0"))
	defer fp.Close()
	c := printer.New(fp.Addr())
	data := []byte(job)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Print(b.Context(), data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPrinterSilentInFaultsIsNotAnswering(t *testing.T) {
	fp, c := start(t, fakeprinter.Options{SilentInFaults: true})
	fp.SetFaults(fakeprinter.Faults{HeadOpen: true})
	_, err := c.Print(t.Context(), []byte(job))
	require.ErrorIs(t, err, printer.ErrNotSent)
	require.ErrorIs(t, err, printer.ErrNoAnswer)
	fp.SetFaults(fakeprinter.Faults{Paused: true})
	_, err = c.Print(t.Context(), []byte(job))
	require.ErrorIs(t, err, printer.ErrFault, "paused printers still answer")
	assert.Empty(t, fp.Formats())
}
