//go:build !windows

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/scanner"
)

// ttyOutput collects what a program writes to its terminal.
type ttyOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *ttyOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *ttyOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// screen is what the terminal shows now.
func (o *ttyOutput) screen(rows, cols int) string {
	vt := newVTScreen(rows, cols)
	vt.feed(o.String())
	return vt.text()
}

// waitScreen waits until the screen shows every text and none of the absent ones.
func (o *ttyOutput) waitScreen(t *testing.T, texts []string, absent ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		scr := o.screen(16, 20)
		ok := true
		for _, s := range texts {
			ok = ok && strings.Contains(scr, s)
		}
		for _, s := range absent {
			ok = ok && !strings.Contains(scr, s)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %q without %q; it shows:\n%s", texts, absent, scr)
		}
		time.Sleep(5 * time.Millisecond) // polling the screen, with a deadline
	}
}

// TestRunWithSerialScanner starts the real program, `rfterm run`, in a
// pseudo-terminal of 20×16, with its scanner on a second pseudo-terminal
// pair (the serial source, as a USB-serial scanner would be) and a real hub.
// Scans typed by the "scanner" log the picker in and start the task.
func TestRunWithSerialScanner(t *testing.T) {
	h := hubtest.StartDemo(t)
	scanTTY, scanSlave, err := pty.Open()
	require.NoError(t, err)
	t.Cleanup(func() { scanTTY.Close(); scanSlave.Close() })

	dir := t.TempDir()
	rules, err := demodata.BarcodeRules()
	require.NoError(t, err)
	cfg := terminalConfig{
		DeviceID: "gun-e2e", Hub: h.URL(), EnrollKey: h.Site.EnrollKey,
		DB: filepath.Join(dir, "device.db"), Log: filepath.Join(dir, "rfterm.log"),
		BarcodeRules: rules,
		Scanner:      scanner.Config{Kind: "serial", Serial: scanner.SerialConfig{Port: scanSlave.Name(), Baud: 9600, Suffix: "CR"}},
	}
	raw, err := json.Marshal(cfg)
	require.NoError(t, err)
	cfgPath := filepath.Join(dir, "rfterm.json")
	require.NoError(t, os.WriteFile(cfgPath, raw, 0o600))

	cmd := exec.Command(os.Args[0], "run", "--config", cfgPath)
	cmd.Env = append(os.Environ(), "RFTERM_AS_MAIN=1", "TERM=xterm")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 16, Cols: 20})
	require.NoError(t, err)
	out := &ttyOutput{}
	copied := make(chan struct{})
	go func() { _, _ = bytesCopy(out, tty); close(copied) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		tty.Close()
		<-copied
		if t.Failed() {
			logs, _ := os.ReadFile(cfg.Log)
			t.Logf("rfterm.log:\n%s", logs)
		}
	})

	scan := func(data string) {
		_, err := scanTTY.Write([]byte(data + "\r"))
		require.NoError(t, err)
	}
	key := func(s string) { // typed on the terminal's own keyboard
		_, err := tty.Write([]byte(s))
		require.NoError(t, err)
	}
	out.waitScreen(t, []string{"RFTERM LOGIN", "Scan your badge", "ONLINE"})
	scan("U1001")
	out.waitScreen(t, []string{"MENU", "1 Pick", "Ana Ruiz"})
	key("1\r")
	out.waitScreen(t, []string{"Scan tote", "a tote label"})
	scan("A-01-02")
	out.waitScreen(t, []string{"NOT A TOTE", "A-01-02", "Enter to"})
	key("\r")
	out.waitScreen(t, []string{"Scan tote"}, "NOT A TOTE")
	scan("T00777")
	out.waitScreen(t, []string{"Scan location", "Tote  T00777"})

	require.Eventually(t, func() bool {
		for _, tk := range mustTasks(t, h) {
			if tk.Tote == "T00777" {
				return tk.Status == domain.TaskInProgress
			}
		}
		return false
	}, 10*time.Second, 10*time.Millisecond, "the tote scan reached the hub")
}

func mustTasks(t *testing.T, h *hubtest.Hub) []domain.Task {
	tasks, err := h.Store.Tasks()
	require.NoError(t, err)
	return tasks
}

func bytesCopy(dst *ttyOutput, src *os.File) (int64, error) {
	var n int64
	buf := make([]byte, 4096)
	for {
		k, err := src.Read(buf)
		if k > 0 {
			dst.Write(buf[:k])
			n += int64(k)
		}
		if err != nil {
			return n, err
		}
	}
}
