package reliability

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

const crashDevice = "gun-crash"

// crashWork is the work state the child saves with each step: it must always
// agree with the outbox, since both are written in one transaction.
type crashWork struct {
	LastSeq uint64 `json:"last_seq"`
	Steps   int    `json:"steps"`
}

// TestCrashChild is the child process of TestCrashLosesNothing: it runs
// workflow steps against the real store until it is killed, printing
// "ack SEQ ID" for each event once Commit has returned (the event is on
// disk). It does nothing when run as an ordinary test.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("RFTERM_CRASH_STORE")
	if path == "" {
		t.Skip("child of TestCrashLosesNothing only")
	}
	store, err := outbox.Open(path, crashDevice, outbox.Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Printf("bad open: %v\n", err)
		os.Exit(3)
	}
	if rec, ok := store.Recovered(); ok {
		fmt.Printf("bad store was damaged: %s\n", rec)
		os.Exit(3)
	}
	var w crashWork
	found, err := store.LoadWork("steps", &w)
	pending, perr := store.Pending(1<<30, math.MaxInt)
	if err != nil || perr != nil {
		fmt.Printf("bad read: %v %v\n", err, perr)
		os.Exit(3)
	}
	var last uint64
	if len(pending) > 0 {
		last = pending[len(pending)-1].Seq
	}
	if (found && w.LastSeq != last) || (!found && last != 0) {
		fmt.Printf("bad work state at seq %d (found %v), outbox ends at %d\n", w.LastSeq, found, last)
		os.Exit(3)
	}
	fmt.Printf("ready %d\n", last)
	task := domain.Task{ID: os.Getenv("RFTERM_CRASH_TASK"), Lines: []domain.TaskLine{{Line: 1, SKU: "HX-4411", Location: os.Getenv("RFTERM_CRASH_LOC")}}}
	user := os.Getenv("RFTERM_CRASH_USER")
	for {
		n := 1 + rand.IntN(3)
		drafts := make([]domain.Draft, n)
		for i := range drafts {
			drafts[i] = onePick(task, user)
		}
		w = crashWork{LastSeq: last + uint64(n), Steps: w.Steps + 1}
		evs, err := store.Commit("steps", w, drafts)
		if err != nil {
			fmt.Printf("bad commit: %v\n", err)
			os.Exit(3)
		}
		var b strings.Builder
		for _, ev := range evs {
			fmt.Fprintf(&b, "ack %d %s\n", ev.Seq, ev.ID)
		}
		os.Stdout.WriteString(b.String()) // one write per step
		last = w.LastSeq
	}
}

// TestCrashLosesNothing kills a device process with SIGKILL at random
// moments while it commits workflow steps, restarts it, and repeats. Then a
// sender delivers the outbox to a real hub: every acknowledged event is there
// exactly once and in order, and the file passes bbolt's check.
func TestCrashLosesNothing(t *testing.T) {
	rounds := scale(12, 220)
	h := hubtest.Start(t, bigSite(t, 1))
	task := claimFor(t, h, "p00")
	dir := t.TempDir()
	path := filepath.Join(dir, "device.db")

	acked := map[uint64]string{}
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RFTERM_CRASH_STORE="+path, "RFTERM_CRASH_TASK="+task.ID,
			"RFTERM_CRASH_LOC="+task.Lines[0].Location, "RFTERM_CRASH_USER=p00")
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		cmd.Stderr = io.Discard
		require.NoError(t, cmd.Start())
		lines := make(chan string, 1024)
		go func() {
			defer close(lines)
			r := bufio.NewReader(out)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return // a line cut short by the kill was never acknowledged
				}
				lines <- strings.TrimSuffix(line, "\n")
			}
		}()
		select {
		case line := <-lines:
			require.True(t, strings.HasPrefix(line, "ready "), "round %d: child said %q", round, line)
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("round %d: child never got ready", round)
		}
		kill := time.After(rand.N(15 * time.Millisecond))
	collect:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break collect
				}
				record(t, acked, line)
			case <-kill:
				require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
				kill = nil
			}
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "round %d: the child only stops by the kill", round)
		require.Equal(t, syscall.SIGKILL, exit.Sys().(syscall.WaitStatus).Signal(), "round %d", round)
	}
	require.NotEmpty(t, acked)

	require.NoError(t, outbox.CheckFile(path, time.Second), "the file is sound after %d kills", rounds)
	store := openDevice(t, path, crashDevice)
	defer store.Close()
	_, recovered := store.Recovered()
	require.False(t, recovered)
	queued, err := store.Pending(1<<30, math.MaxInt)
	require.NoError(t, err)
	for i, ev := range queued {
		require.Equal(t, uint64(i+1), ev.Seq, "outbox has no gap")
	}
	for seq, id := range acked {
		require.Less(t, int(seq-1), len(queued), "acknowledged seq %d is queued", seq)
		require.Equal(t, id, queued[seq-1].ID, "acknowledged seq %d", seq)
	}

	sender := sender.NewSender(store, api.NewClient(h.URL(), nil).WithToken(h.Register(crashDevice)), sender.SenderConfig{
		BatchEvents: 500, Backoff: sender.Backoff{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}, OfflineProbe: 20 * time.Millisecond,
	}, quiet())
	runUntilDrained(t, sender)
	requireExactlyOnceInOrder(t, h.Store, crashDevice, queued)
	got, err := h.Store.Task(t.Context(), task.ID)
	require.NoError(t, err)
	assert.Equal(t, len(queued), got.Lines[0].Picked, "each pick applied once")
	t.Logf("%d kills, %d events acknowledged, %d queued and delivered", rounds, len(acked), len(queued))
}

func record(t *testing.T, acked map[uint64]string, line string) {
	t.Helper()
	var seq uint64
	var id string
	_, err := fmt.Sscanf(line, "ack %d %s", &seq, &id)
	require.NoError(t, err, "child said %q", line)
	_, dup := acked[seq]
	require.False(t, dup, "seq %d acknowledged twice", seq)
	acked[seq] = id
}
