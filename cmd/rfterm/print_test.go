package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl/fakeprinter"
)

const testJob = "^XA^FO10,10^FH^FDhi^FS^XZ\n"

func startFake(t *testing.T) *fakeprinter.Printer {
	t.Helper()
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	t.Cleanup(func() { _ = fp.Close() })
	return fp
}

func TestPrintFromStdinAndFile(t *testing.T) {
	fp := startFake(t)
	code, out, errOut := run(t, testJob, "print", "--printer", fp.Addr(), "-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "printer ready")
	path := filepath.Join(t.TempDir(), "l.zpl")
	require.NoError(t, os.WriteFile(path, []byte(testJob), 0o644))
	code, _, errOut = run(t, "", "print", "--printer", fp.Addr(), path)
	require.Equal(t, 0, code, errOut)
	require.Len(t, fp.Formats(), 2)
}

func TestPrintReportsTheFault(t *testing.T) {
	fp := startFake(t)
	fp.SetFaults(fakeprinter.Faults{PaperOut: true})
	code, out, errOut := run(t, testJob, "print", "--printer", fp.Addr())
	assert.Equal(t, exitNotPrinted, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "paper out")
	assert.Empty(t, fp.Formats())

	fp.SetFaults(fakeprinter.Faults{})
	fp.SetSilent(true)
	code, _, errOut = run(t, testJob, "print", "--printer", fp.Addr(), "--status-timeout", "200ms")
	assert.Equal(t, exitNotPrinted, code)
	assert.Contains(t, errOut, "not answering")
}

func TestPrintOutcomeUnknown(t *testing.T) {
	fp := startFake(t)
	fp.StallAfter(3 + len(testJob))
	code, _, errOut := run(t, testJob, "print", "--printer", fp.Addr(), "--status-timeout", "200ms")
	assert.Equal(t, exitOutcomeUnknown, code)
	assert.Contains(t, errOut, "may or may not have printed")
	fp.Release()
}

func TestPrintUsage(t *testing.T) {
	for _, args := range [][]string{{"print"}, {"print", "--printer", "x", "a", "b"}, {"print", "--printer", "127.0.0.1:1", "/does/not/exist"}} {
		code, _, errOut := run(t, "", args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.NotEmpty(t, errOut)
	}
	code, _, errOut := run(t, "", "print", "--printer", "127.0.0.1:1")
	assert.Equal(t, 2, code, "empty stdin")
	assert.Contains(t, errOut, "empty")
}

func TestPrinterStatusAndInfo(t *testing.T) {
	fp := startFake(t)
	code, out, errOut := run(t, "", "printer", "status", "--printer", fp.Addr())
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "state               ready")
	fp.SetFaults(fakeprinter.Faults{HeadOpen: true, Paused: true})
	code, out, _ = run(t, "", "printer", "status", "--printer", fp.Addr())
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "head open, paused")
	assert.Contains(t, out, "head open           yes")
	code, out, errOut = run(t, "", "printer", "info", "--printer", fp.Addr())
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "dpi       203 (8 dots/mm)")
	code, _, _ = run(t, "", "printer", "bogus")
	assert.Equal(t, 2, code)
}

func TestFakePrinterCommandSavesJobsAndTakesFaults(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	inR, inW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- dispatch(ctx, []string{"fakeprinter", "--listen", "127.0.0.1:0", "--dir", dir}, stdio{in: inR, out: pw, err: io.Discard})
		_ = pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	next := func() string {
		t.Helper()
		require.True(t, lines.Scan())
		return lines.Text()
	}
	addr := strings.TrimPrefix(next(), "fake printer listening on ")
	assert.Contains(t, next(), "commands on stdin")
	code, _, errOut := run(t, testJob, "print", "--printer", addr)
	require.Equal(t, 0, code, errOut)
	saved, err := os.ReadFile(filepath.Join(dir, "job-000001.zpl"))
	require.NoError(t, err)
	assert.Equal(t, testJob, string(saved))

	_, err = io.WriteString(inW, "paper-out\n")
	require.NoError(t, err)
	assert.Equal(t, "paper-out: 1 formats received", next())
	code, _, errOut = run(t, testJob, "print", "--printer", addr)
	assert.Equal(t, exitNotPrinted, code)
	assert.Contains(t, errOut, "paper out")
	_, err = io.WriteString(inW, "bogus\nok\n")
	require.NoError(t, err)
	assert.Contains(t, next(), `unknown command "bogus"`)
	assert.Equal(t, "ok: 1 formats received", next())
	code, _, errOut = run(t, testJob, "print", "--printer", addr)
	require.Equal(t, 0, code, errOut)

	cancel()
	require.NoError(t, inW.Close())
	assert.Equal(t, "fake printer stopped after 2 formats", next())
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(5 * time.Second):
		t.Fatal("fakeprinter did not stop")
	}
}

// TestPrintRefusesWhatIsNotZPL: input that is not a ^XA … ^XZ format is
// refused with the reason (exit 2) and nothing reaches the printer.
func TestPrintRefusesWhatIsNotZPL(t *testing.T) {
	fp := startFake(t)
	for _, job := range []string{"hello printer\n", "\ufeff" + testJob, "^XA^FO10,10^FDno end^FS\n", "~HS\n", "%PDF-1.7 ..."} {
		code, out, errOut := run(t, job, "print", "--printer", fp.Addr())
		assert.Equal(t, 2, code, job)
		assert.Empty(t, out, job)
		assert.Contains(t, errOut, "not ZPL", job)
		assert.Contains(t, errOut, "^XA", job)
	}
	assert.Empty(t, fp.Formats(), "nothing was sent")
	code, _, errOut := run(t, "\n  "+testJob+"\n", "print", "--printer", fp.Addr())
	require.Equal(t, 0, code, errOut)
	require.Len(t, fp.Formats(), 1)
}
