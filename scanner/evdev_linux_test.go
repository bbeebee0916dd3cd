//go:build linux

package scanner

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvdevRunNoGrab runs the source on a FIFO carrying a recorded stream.
func TestEvdevRunNoGrab(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "event0")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	src, err := Open(Config{Kind: "evdev", Evdev: EvdevConfig{Device: fifo, NoGrab: true}}, nil)
	require.NoError(t, err)
	w, err := os.OpenFile(fifo, os.O_RDWR, 0) // a writer from the start: no EOF before the stream
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	rec := newRecorder()
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, rec) }()
	assert.True(t, rec.nextStatus(t).Connected)
	km, _ := newKeymap("us")
	var s eventStream
	s.typeText(t, km, "U1001\r")
	_, err = w.Write(s.b)
	require.NoError(t, err)
	assert.Equal(t, "U1001", rec.nextScan(t).Raw)
	require.NoError(t, w.Close()) // unplugged
	st := rec.nextStatus(t)
	assert.False(t, st.Connected)
	assert.Contains(t, st.Reason, "scanner disconnected")
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(waitTimeout):
		t.Fatal("evdev source did not stop")
	}
}

func TestEvdevGrabRefusesNonInputDevice(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-device")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	src, err := NewEvdev(EvdevConfig{Device: file}, 0, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	_, err = src.open(context.Background())
	assert.ErrorContains(t, err, "not an input device")
}

func TestEvdevUinput(t *testing.T) {
	if _, err := os.Stat("/dev/uinput"); err != nil {
		t.Skipf("no /dev/uinput on this machine (%v): the virtual-device test needs the uinput module", err)
	}
	t.Skip("/dev/uinput exists, but creating virtual devices is not implemented in this test yet")
}
