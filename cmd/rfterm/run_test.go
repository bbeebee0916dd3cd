//go:build !windows

package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/scanner"
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

// startRun starts the real program, `rfterm run`, as a child process in a
// pseudo-terminal of 20×16, against a real hub, reading the given scanner.
func startRun(t *testing.T, sc scanner.Config) (*hubtest.Hub, *os.File, *ttyOutput) {
	h := hubtest.StartDemo(t)
	cfgPath, cfg := writeRunConfig(t, h, sc)
	tty, out := startOnTTY(t, exec.Command(os.Args[0], "run", "--config", cfgPath), "xterm", cfg.Log)
	return h, tty, out
}

// writeRunConfig writes a terminal configuration for the hub, with the
// device store and the log in a temporary directory.
func writeRunConfig(t *testing.T, h *hubtest.Hub, sc scanner.Config) (string, terminalConfig) {
	dir := t.TempDir()
	rules, err := demodata.BarcodeRules()
	require.NoError(t, err)
	cfg := terminalConfig{
		DeviceID: "gun-e2e", Hub: h.URL(), EnrollKey: h.Site.EnrollKey,
		DB: filepath.Join(dir, "device.db"), Log: filepath.Join(dir, "rfterm.log"),
		BarcodeRules: rules, Scanner: sc,
	}
	raw, err := json.Marshal(cfg)
	require.NoError(t, err)
	cfgPath := filepath.Join(dir, "rfterm.json")
	require.NoError(t, os.WriteFile(cfgPath, raw, 0o600))
	return cfgPath, cfg
}

// startOnTTY starts cmd (the test binary standing in for rfterm) in a
// session of its own, with a pseudo-terminal of 20×16 as its controlling
// terminal, stdin and stdout (and stderr, unless cmd sets it), and TERM set
// to term. It is killed at the end of the test, which then shows the log
// file if it failed.
func startOnTTY(t *testing.T, cmd *exec.Cmd, term, logFile string) (*os.File, *ttyOutput) {
	cmd.Env = append(os.Environ(), "RFTERM_AS_MAIN=1", "TERM="+term)
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
			logs, _ := os.ReadFile(logFile)
			t.Logf("%s:\n%s", filepath.Base(logFile), logs)
		}
	})
	return tty, out
}

// TestRunWithSerialScanner: the scanner is on a second pseudo-terminal pair
// (the serial source, as a USB-serial scanner would be). Its scans log the
// picker in and start the task; a wrong one is refused until acknowledged.
func TestRunWithSerialScanner(t *testing.T) {
	scanTTY, scanSlave, err := pty.Open()
	require.NoError(t, err)
	t.Cleanup(func() { scanTTY.Close(); scanSlave.Close() })
	h, tty, out := startRun(t, scanner.Config{Kind: "serial", Serial: scanner.SerialConfig{Port: scanSlave.Name(), Baud: 9600, Suffix: "CR"}})

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
	// Esc acknowledges too, in a real terminal (a lone ESC byte, which tcell
	// tells from a key sequence by the pause after it).
	scan("A-01-03")
	out.waitScreen(t, []string{"NOT A TOTE", "A-01-03"})
	key("\x1b")
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

// TestRunWithEvdevScanner: the scanner is a USB-HID keyboard-mode scanner
// read through evdev; here its device is a FIFO fed recorded input_event
// records (not grabbed: a FIFO is no input device). Unplugging it shows.
func TestRunWithEvdevScanner(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "event-kbd")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	_, _, out := startRun(t, scanner.Config{Kind: "evdev", Evdev: scanner.EvdevConfig{Device: fifo, NoGrab: true}})
	dev, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for rfterm to open it
	require.NoError(t, err)
	out.waitScreen(t, []string{"RFTERM LOGIN"})
	_, err = dev.Write(keyEvents("U1001\n"))
	require.NoError(t, err)
	out.waitScreen(t, []string{"MENU", "Ana Ruiz"})
	require.NoError(t, dev.Close()) // unplugged
	out.waitScreen(t, []string{"SCANNER OFF"})
}

// keyEvents is what a US-layout keyboard-mode scanner sends through evdev
// for text: struct input_event records (a timeval of two longs, type, code,
// value: 24 bytes on a 64-bit machine, 16 on 32-bit ARM).
func keyEvents(text string) []byte {
	const evSyn, evKey, keyLeftShift = 0, 1, 42
	codes := map[rune]uint16{'0': 11, '1': 2, '2': 3, '3': 4, '4': 5, '5': 6, '6': 7, '7': 8, '8': 9, '9': 10, '\n': 28,
		'A': 30, 'T': 20, 'U': 22, '-': 12}
	var b []byte
	ev := func(typ, code uint16, value int32) {
		const timeval = 2 * bits.UintSize / 8 // left zero
		rec := make([]byte, timeval+8)
		binary.LittleEndian.PutUint16(rec[timeval:], typ)
		binary.LittleEndian.PutUint16(rec[timeval+2:], code)
		binary.LittleEndian.PutUint32(rec[timeval+4:], uint32(value))
		b = append(b, rec...)
	}
	for _, r := range text {
		shift := r >= 'A' && r <= 'Z'
		if shift {
			ev(evKey, keyLeftShift, 1)
		}
		ev(evKey, codes[r], 1)
		ev(evSyn, 0, 0)
		ev(evKey, codes[r], 0)
		if shift {
			ev(evKey, keyLeftShift, 0)
		}
		ev(evSyn, 0, 0)
	}
	return b
}

func mustTasks(t *testing.T, h *hubtest.Hub) []domain.Task {
	tasks, err := h.Store.Tasks(t.Context())
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
