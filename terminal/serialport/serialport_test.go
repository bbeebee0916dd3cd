//go:build !windows

package serialport

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.bug.st/serial"
)

func TestLineMode(t *testing.T) {
	m, err := Line{}.Mode()
	require.NoError(t, err)
	assert.Equal(t, serial.Mode{BaudRate: 9600, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}, *m)
	m, err = Line{Baud: 19200, DataBits: 7, Parity: "even", StopBits: "2"}.Mode()
	require.NoError(t, err)
	assert.Equal(t, serial.Mode{BaudRate: 19200, DataBits: 7, Parity: serial.EvenParity, StopBits: serial.TwoStopBits}, *m)
	for _, l := range []Line{{Baud: -1}, {DataBits: 9}, {Parity: "sometimes"}, {StopBits: "3"}} {
		_, err := l.Mode()
		assert.Error(t, err, "%+v", l)
	}
}

// TestKeepConnectedReopens runs a real pty behind a symlink (like
// /dev/serial/by-id/…), unplugs it and plugs a new one in.
func TestKeepConnectedReopens(t *testing.T) {
	link := filepath.Join(t.TempDir(), "usb-Scale-if00")
	master, slave, err := pty.Open()
	require.NoError(t, err)
	t.Cleanup(func() { _ = master.Close(); _ = slave.Close() })
	require.NoError(t, os.Symlink(slave.Name(), link))

	mode, err := Line{}.Mode()
	require.NoError(t, err)
	reports := make(chan error, 10) // nil: connected
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		KeepConnected(ctx, Opener(link, mode), func(p serial.Port) error {
			buf := make([]byte, 64)
			for {
				if _, err := p.Read(buf); err != nil {
					return err
				}
			}
		}, func(connected bool, err error) {
			if connected {
				reports <- nil
			} else {
				reports <- errors.Join(errors.New("down"), err)
			}
		})
	}()
	next := func() error {
		select {
		case e := <-reports:
			return e
		case <-time.After(5 * time.Second):
			t.Fatal("no report")
			return nil
		}
	}
	require.NoError(t, next(), "connected")
	require.NoError(t, master.Close()) // unplugged
	assert.Error(t, next(), "disconnected, once")

	m2, s2, err := pty.Open()
	require.NoError(t, err)
	t.Cleanup(func() { _ = m2.Close(); _ = s2.Close() })
	require.NoError(t, os.Remove(link))
	require.NoError(t, os.Symlink(s2.Name(), link))
	require.NoError(t, next(), "connected again")

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("KeepConnected did not stop")
	}
	assert.Empty(t, reports, "stopping is not an outage")
}

func TestSleep(t *testing.T) {
	assert.True(t, Sleep(context.Background(), time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.False(t, Sleep(ctx, time.Hour))
}
