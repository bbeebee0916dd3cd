//go:build !windows

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

func runCLI(args ...string) (code int, out, errOut string) {
	var o, e bytes.Buffer
	code = dispatch(context.Background(), args, stdio{in: bytes.NewReader(nil), out: &o, err: &e})
	return code, o.String(), e.String()
}

func TestDBCheckAndCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	st, err := outbox.Open(path, "gun-db", outbox.Options{})
	require.NoError(t, err)
	for i := range 200 {
		_, err := st.Commit("", nil, []domain.Draft{domain.NewDraft(domain.EventLinePicked, time.Now(), "u1", domain.PickLine{Line: i})})
		require.NoError(t, err)
	}

	// While the terminal has it open: refused, saying who holds it.
	code, _, errOut := runCLI("db", "check", "--db", path, "--timeout", "50ms")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "another rfterm has "+path+" open")
	require.NoError(t, st.Close())

	code, out, errOut := runCLI("db", "check", "--db", path)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, path+": ok (a device store)\n", out)
	code, out, errOut = runCLI("db", "compact", "--db", path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "compacted from")
	code, _, errOut = runCLI("db", "check", "--db", path)
	assert.Equal(t, 0, code, errOut)

	// Damaged: the check says so.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(bytes.Repeat([]byte{0xA5}, 2*os.Getpagesize()), 0)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	code, _, errOut = runCLI("db", "check", "--db", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "damaged")

	code, _, errOut = runCLI("db", "fix", "--db", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage")
	code, _, _ = runCLI("db", "check")
	assert.Equal(t, 2, code)
}

// TestDBCheckEmptyFile: a zero-length store is damaged, and the check says
// so in words, not "bad file descriptor".
func TestDBCheckEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	code, _, errOut := runCLI("db", "check", "--db", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "empty (0 bytes)")
	assert.Contains(t, errOut, "damaged")
	assert.NotContains(t, errOut, "bad file descriptor")
}

// TestRunRefusesALockedStore: a second rfterm on the same device store says
// which file is taken and exits, without touching the terminal.
func TestRunRefusesALockedStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "device.db")
	st, err := outbox.Open(path, "gun-lock", outbox.Options{})
	require.NoError(t, err)
	defer st.Close()
	rules, err := demodata.BarcodeRules()
	require.NoError(t, err)
	raw, err := json.Marshal(terminalConfig{DeviceID: "gun-lock", Hub: "http://127.0.0.1:1", DB: path,
		Log: filepath.Join(dir, "rfterm.log"), BarcodeRules: rules})
	require.NoError(t, err)
	cfgPath := filepath.Join(dir, "rfterm.json")
	require.NoError(t, os.WriteFile(cfgPath, raw, 0o600))

	cmd := exec.Command(os.Args[0], "run", "--config", cfgPath)
	cmd.Env = append(os.Environ(), "RFTERM_AS_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, 1, exit.ExitCode())
	assert.Equal(t, "rfterm run: another rfterm has "+path+" open\n", stderr.String())
}

// TestDBCheckSaysAHubFileIsTheHubs: on the order hub's database, a check
// says whose file it is, both while the hub has it open (not "another
// rfterm") and once it is stopped.
func TestDBCheckSaysAHubFileIsTheHubs(t *testing.T) {
	backendtest.SkipOnPostgres(t, "rfterm db check on a hub's bbolt file")
	site, err := demodata.Site()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := hub.Open(path)
	require.NoError(t, err)
	require.NoError(t, st.Seed(t.Context(), site))

	code, _, errOut := runCLI("db", "check", "--db", path, "--timeout", "50ms")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "order hub database")
	assert.Contains(t, errOut, "stop orderhub first")
	assert.NotContains(t, errOut, "another rfterm")
	require.NoError(t, st.Close())

	code, out, errOut := runCLI("db", "check", "--db", path)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, path+": ok (an order hub database)\n", out)

	dev := filepath.Join(t.TempDir(), "device.db")
	ds, err := outbox.Open(dev, "gun-db", outbox.Options{})
	require.NoError(t, err)
	require.NoError(t, ds.Close())
	code, out, errOut = runCLI("db", "check", "--db", dev)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, dev+": ok (a device store)\n", out)
}
