package spool_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl/fakeprinter"
	"github.com/rfterm/rfterm/zpl/printer"
	"github.com/rfterm/rfterm/zpl/spool"
)

// Environment of the child process in the crash test.
const (
	envChild   = "RFTERM_SPOOL_CRASH_CHILD"
	envDB      = "RFTERM_SPOOL_CRASH_DB"
	envPrinter = "RFTERM_SPOOL_CRASH_PRINTER"
)

// TestSpoolCrashMidJob runs a spool in a child process, lets it print job A,
// then kills it with SIGKILL while job B is in the printer's hands (the fake
// stalls after taking B). Restarted on the same bbolt file, the spool finds A
// printed and B "outcome unknown": neither is sent again until the operator
// asks for B's reprint.
func TestSpoolCrashMidJob(t *testing.T) {
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	defer fp.Close()
	path := filepath.Join(t.TempDir(), "device.db")

	child := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSpoolCrashChild$", "-test.v")
	child.Env = append(os.Environ(), envChild+"=1", envDB+"="+path, envPrinter+"="+fp.Addr())
	stdin, err := child.StdinPipe()
	require.NoError(t, err)
	stdout, err := child.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	child.Stderr = &stderr
	require.NoError(t, child.Start())
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expect := func(prefix string) string {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				require.True(t, ok, "child ended early; stderr:\n%s", stderr.String())
				if strings.HasPrefix(l, prefix) {
					return strings.TrimSpace(strings.TrimPrefix(l, prefix))
				}
			case <-time.After(waitFor):
				t.Fatalf("child never said %q; stderr:\n%s", prefix, stderr.String())
			}
		}
	}
	idA := expect("printed A")
	fp.StallAfter(3 + len(label("B"))) // B's connection: ~HS, then B; the check after B is never answered
	_, err = io.WriteString(stdin, "go\n")
	require.NoError(t, err)
	idB := expect("submitted B")
	require.Eventually(t, func() bool { return len(fp.Formats()) == 2 }, waitFor, time.Millisecond, "the printer has B")
	require.NoError(t, child.Process.Kill())
	_ = child.Wait()
	fp.Release()

	db := openDB(t, path)
	defer db.Close()
	sp, err := spool.Open(db, printer.New(fp.Addr()), newClock(), nil)
	require.NoError(t, err)
	a, err := sp.Job(parseID(t, idA))
	require.NoError(t, err)
	assert.Equal(t, spool.Printed, a.State)
	b, err := sp.Job(parseID(t, idB))
	require.NoError(t, err)
	assert.Equal(t, spool.Unknown, b.State, "B was in the printer's hands when the terminal died")
	assert.Equal(t, 1, b.Attempts)
	assert.Equal(t, 1, sp.Status().NeedsDecision)

	e := &env{fp: fp, db: db, sp: sp, clock: newClock()}
	e.run(t)
	c, err := sp.Submit(spool.Request{Name: "C", ZPL: label("C")})
	require.NoError(t, err)
	e.state(t, c, spool.Printed)
	want := []string{trim(label("A")), trim(label("B")), trim(label("C"))}
	assert.Equal(t, want, formats(fp), "A and B not sent again")

	require.NoError(t, sp.Confirm(b.ID, false))
	e.state(t, b.ID, spool.Printed)
	assert.Equal(t, append(want, trim(label("B"))), formats(fp), "B reprinted once, on request")
}

// TestSpoolCrashChild is the child process of TestSpoolCrashMidJob.
func TestSpoolCrashChild(t *testing.T) {
	if os.Getenv(envChild) == "" {
		t.Skip("run by TestSpoolCrashMidJob")
	}
	db := openDB(t, os.Getenv(envDB))
	c := printer.New(os.Getenv(envPrinter))
	c.StatusTimeout = time.Hour // wait for the printer's answer until killed
	sp, err := spool.Open(db, c, nil, nil)
	require.NoError(t, err)
	go func() { _ = sp.Run(context.Background()) }()
	a, err := sp.Submit(spool.Request{Name: "A", ZPL: label("A")})
	require.NoError(t, err)
	for {
		changed := sp.Changed()
		j, err := sp.Job(a)
		require.NoError(t, err)
		if j.State == spool.Printed {
			break
		}
		<-changed
	}
	fmt.Println("printed A", uint64(a))
	_, err = bufio.NewReader(os.Stdin).ReadString('\n')
	require.NoError(t, err)
	b, err := sp.Submit(spool.Request{Name: "B", ZPL: label("B")})
	require.NoError(t, err)
	fmt.Println("submitted B", uint64(b))
	select {} // killed by the parent
}

func parseID(t *testing.T, s string) spool.JobID {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 64)
	require.NoError(t, err)
	return spool.JobID(n)
}

func trim(b []byte) string { return strings.TrimSuffix(string(b), "\n") }
