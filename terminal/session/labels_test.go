package session_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/session"
	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/fakeprinter"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// printerRig adds a fake Zebra printer on loopback and the device's print
// spool to a rig, and a session that prints to it.
func printerRig(t *testing.T) (*rig, *fakeprinter.Printer, *spool.Spool, *session.Session) {
	r := newRig(t)
	fp, sp := attachPrinter(t, r)
	s := session.New(r.ctx, session.Config{Rules: r.rules, Log: r.log, Printer: sp, Timeout: 10 * time.Second}, r.dev.Hub, r.dev.Store, r.dev.Sender)
	send(t, s, text("U1003"))
	v := send(t, s, text("6"))
	require.Equal(t, session.ModeLabels, v.Mode)
	return r, fp, sp, s
}

// attachPrinter starts a fake Zebra printer on loopback and the rig's
// device's print spool, running until the test ends.
func attachPrinter(t *testing.T, r *rig) (*fakeprinter.Printer, *spool.Spool) {
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(t, fp.Listen(r.ctx, "127.0.0.1:0"))
	t.Cleanup(func() { fp.Close() })
	sp, err := spool.Open(r.dev.Store.DB(), printer.New(fp.Addr()), nil, r.log)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan struct{})
	go func() { sp.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return fp, sp
}

// printedData reads the Code 128 barcodes back out of what the printer received.
func printedData(t *testing.T, fp *fakeprinter.Printer) []string {
	var out []string
	for _, f := range fp.Formats() {
		doc, err := decode.Parse(f.ZPL)
		require.NoError(t, err)
		for _, format := range doc.Formats {
			for _, fl := range format.Fields {
				if fl.Kind == decode.Code128 {
					out = append(out, fl.Data)
				}
			}
		}
	}
	return out
}

func TestPrintLabels(t *testing.T) {
	_, fp, sp, s := printerRig(t)
	send(t, s, text("1"))
	v := send(t, s, text("A-01-01"))
	require.NotNil(t, v.Prompt.Problem, "a location is not a tote")
	assert.Equal(t, "NOT A TOTE", v.Prompt.Problem.Title)
	send(t, s, text(""))
	send(t, s, text("T00042"))
	send(t, s, text("2"))
	send(t, s, text("B-02-03"))
	require.True(t, eventually(func() bool { return len(printedData(t, fp)) == 2 }), "both labels printed")
	assert.Equal(t, []string{"T00042", "B-02-03"}, printedData(t, fp))
	v = s.View()
	assert.Contains(t, v.Prompt.Fields[len(v.Prompt.Fields)-1].Value, "bin label B-02-03")

	require.True(t, eventually(func() bool { // printed, as the spool records it after its status check
		last, found, err := sp.Last()
		return err == nil && found && last.Name == "bin label B-02-03"
	}))
	send(t, s, text("3")) // reprint last
	require.True(t, eventually(func() bool { return len(printedData(t, fp)) == 3 }))
	assert.Equal(t, "B-02-03", printedData(t, fp)[2])
}

// TestPrinterFaultIsSeenAndTheJobKept: paper out shows on the status row and
// sounds the tone; the label waits and prints once the paper is back.
func TestPrinterFaultIsSeenAndTheJobKept(t *testing.T) {
	_, fp, sp, s := printerRig(t)
	alarms := s.View().Alarms
	fp.SetFaults(fakeprinter.Faults{PaperOut: true})
	sp.RetryNow()
	require.True(t, eventually(func() bool { return s.View().Status.PrinterFault }))
	v := s.View()
	assert.Equal(t, "Printer: paper out", v.Status.Printer)
	assert.Greater(t, v.Alarms, alarms, "the error tone sounds")

	send(t, s, text("1"))
	send(t, s, text("T00042"))
	require.True(t, eventually(func() bool { return strings.Contains(s.View().Status.Printer, "1 waiting") }))
	assert.Empty(t, fp.Formats(), "nothing sent to a printer out of paper")

	fp.SetFaults(fakeprinter.Faults{})
	sp.RetryNow()
	require.True(t, eventually(func() bool { return len(printedData(t, fp)) == 1 }))
	require.True(t, eventually(func() bool { return s.View().Status.Printer == "" }), "ready again: no printer row")
}

// TestUnknownPrintOutcomeAsksTheOperator: a job cut off mid-send is never
// re-sent by itself; the jobs screen asks, and "print again" sends it once more.
func TestUnknownPrintOutcomeAsksTheOperator(t *testing.T) {
	_, fp, _, s := printerRig(t)
	fp.DropAfter(40)
	send(t, s, text("1"))
	send(t, s, text("T00042"))
	require.True(t, eventually(func() bool { return strings.Contains(s.View().Status.Printer, "1 to confirm") }))
	v := send(t, s, text("4"))
	assert.Equal(t, "DID IT PRINT?", v.Prompt.Title)
	assert.Equal(t, "LPN label T00042", v.Prompt.Expect)
	assert.Empty(t, printedData(t, fp))
	v = send(t, s, text("2")) // print again
	assert.Equal(t, "PRINT JOBS", v.Prompt.Title)
	require.True(t, eventually(func() bool { return len(printedData(t, fp)) == 1 }))
	require.True(t, eventually(func() bool { return s.View().Status.Printer == "" }))
}
