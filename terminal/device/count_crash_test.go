package device_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

const (
	envCountChild = "RFTERM_COUNT_CRASH_CHILD"
	envCountDB    = "RFTERM_COUNT_CRASH_DB"
	countWorkKey  = "count/u1001" // as the session keeps a user's count
)

// TestCrashMidCount kills a counting process with SIGKILL at random moments
// and starts it again, five times: every scan it acknowledged (printed after
// its commit) is still in the saved count, none is counted twice, and the
// count goes on where it stopped.
func TestCrashMidCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	acked := 0
	for round := 0; round < 5; round++ {
		child := exec.Command(os.Args[0], "-test.run=^TestCountCrashChild$")
		child.Env = append(os.Environ(), envCountChild+"=1", envCountDB+"="+path)
		out, err := child.StdoutPipe()
		require.NoError(t, err)
		child.Stderr = os.Stderr
		require.NoError(t, child.Start())
		lines := bufio.NewScanner(out)
		stopAt := acked + 1 + rand.IntN(15)
		for lines.Scan() {
			if n, ok := strings.CutPrefix(lines.Text(), "counted "); ok {
				acked, err = strconv.Atoi(n)
				require.NoError(t, err)
				if acked >= stopAt {
					break
				}
			}
		}
		require.NoError(t, child.Process.Kill()) // SIGKILL, mid-stream
		// The child may have acknowledged more scans than read so far (the
		// pipe buffers its output): every line it printed was acknowledged.
		for lines.Scan() {
			if n, ok := strings.CutPrefix(lines.Text(), "counted "); ok {
				acked, err = strconv.Atoi(n)
				require.NoError(t, err)
			}
		}
		_ = child.Wait()

		units := savedUnits(t, path)
		require.GreaterOrEqual(t, units, acked, "round %d: an acknowledged scan was lost", round)
		require.LessOrEqual(t, units, acked+1, "round %d: at most the scan being written when killed", round)
		acked = units // the child carries on from what is on disk
	}
	require.Greater(t, acked, 5)
}

// savedUnits opens the store as the next start would and counts the units.
func savedUnits(t *testing.T, path string) int {
	store, err := outbox.Open(path, "gun-crash", outbox.Options{Timeout: 5 * time.Second})
	require.NoError(t, err)
	defer store.Close()
	var c flow.Count
	found, err := store.LoadWork(countWorkKey, &c)
	require.NoError(t, err)
	require.True(t, found)
	n := 0
	for _, s := range c.Scans {
		n += s.Qty
	}
	return n
}

// TestCountCrashChild is the child of TestCrashMidCount: it resumes (or
// starts) a count and scans one unit at a time, saving each scan as the
// session does, and says so after every commit, until it is killed.
func TestCountCrashChild(t *testing.T) {
	if os.Getenv(envCountChild) == "" {
		t.Skip("run by TestCrashMidCount")
	}
	site, err := demodata.Site()
	require.NoError(t, err)
	rules, err := demodata.Rules()
	require.NoError(t, err)
	store, err := outbox.Open(os.Getenv(envCountDB), "gun-crash", outbox.Options{Timeout: 5 * time.Second})
	require.NoError(t, err)
	loc, item := site.Locations[0], site.Items[0]

	var c flow.Count
	found, err := store.LoadWork(countWorkKey, &c)
	require.NoError(t, err)
	if !found {
		task := domain.CountTask{ID: "CT-CRASH", Status: domain.TaskClaimed, By: domain.CountByLocations, Locations: []string{loc.Code}}
		fresh, err := flow.NewCount(task, []domain.Item{item}, []domain.Location{loc}, "u1001")
		require.NoError(t, err)
		c = *fresh
		o := c.Handle(flow.Env{Rules: rules}, flow.ScanInput(barcode.NewScan(loc.Code, time.Now(), "child")))
		require.Nil(t, o.Problem)
		_, err = store.Commit(countWorkKey, &c, o.Events)
		require.NoError(t, err)
	}
	for {
		o := c.Handle(flow.Env{Rules: rules}, flow.ScanInput(barcode.NewScan(item.GTIN, time.Now(), "child")))
		require.Nil(t, o.Problem)
		_, err := store.Commit(countWorkKey, &c, o.Events)
		require.NoError(t, err)
		n := 0
		for _, s := range c.Scans {
			n += s.Qty
		}
		fmt.Printf("counted %d\n", n)
	}
}
