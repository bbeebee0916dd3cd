//go:build !windows

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/scale/fakescale"
)

// fakeScaleOnPTY starts a fake scale on a real pty and returns it with the
// path rfterm opens.
func fakeScaleOnPTY(t *testing.T) (*fakescale.Scale, string) {
	t.Helper()
	m, s, err := fakescale.OpenPTY()
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close(); _ = s.Close() })
	return fakescale.New(m), s.Name()
}

func TestScaleReadStable(t *testing.T) {
	fake, port := fakeScaleOnPTY(t)
	fake.Reply("S", "S D      1.310 kg", "S S      1.234 kg")
	code, out, errOut := run(t, "", "scale", "read", "--port", port, "--timeout", "5s")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "1.234 kg\n", out)
	assert.Equal(t, []string{"S", "S"}, fake.Commands(), "it waited through the moving reading")
}

func TestScaleReadContinuous(t *testing.T) {
	m, s, err := fakescale.OpenPTY()
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close(); _ = s.Close() })
	// A continuous scale streams on its own, whether read or not.
	fake := fakescale.New(m)
	stop := make(chan struct{})
	streamed := make(chan struct{})
	go func() {
		defer close(streamed)
		tick := time.NewTicker(10 * time.Millisecond) // a scale streams ~10 readings a second
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if fake.Send("US,GS,  2.801 lb", "ST,GS,  2.750 lb") != nil {
					return
				}
			}
		}
	}()
	code, out, errOut := run(t, "", "scale", "read", "--port", s.Name(), "--protocol", "continuous", "--timeout", "5s")
	close(stop)
	_ = m.Close() // ends a write blocked on a full pty
	<-streamed
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "2.750 lb\n", out)
}

func TestScaleReadFailures(t *testing.T) {
	fake, port := fakeScaleOnPTY(t)
	fake.Reply("S", "S +")
	code, out, errOut := run(t, "", "scale", "read", "--port", port)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "overload")

	fake.Reply("S", "ES")
	code, _, errOut = run(t, "", "scale", "read", "--port", port)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "did not understand")

	fake.Reply("S") // silent
	code, _, errOut = run(t, "", "scale", "read", "--port", port, "--reply-timeout", "100ms")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "did not answer")

	fake.Reply("S", "S D      0.100 kg")
	code, _, errOut = run(t, "", "scale", "read", "--port", port, "--timeout", "300ms")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "still moving")
	assert.Contains(t, errOut, "0.100 kg")

	missing := filepath.Join(t.TempDir(), "ttyUSB9")
	code, _, errOut = run(t, "", "scale", "read", "--port", missing, "--timeout", "200ms")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "not connected")
	assert.True(t, strings.Contains(errOut, "no such file") || strings.Contains(errOut, "not found"), errOut)
	_, err := os.Stat(missing)
	assert.True(t, os.IsNotExist(err))
}

func TestScaleReadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"scale"},
		{"scale", "weigh"},
		{"scale", "read"},
		{"scale", "read", "--port", "/dev/x", "--protocol", "modbus"},
		{"scale", "read", "--port", "/dev/x", "--parity", "sometimes"},
		{"scale", "read", "--port", "/dev/x", "extra"},
	} {
		code, _, errOut := run(t, "", args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.NotEmpty(t, errOut, "%v", args)
	}
}
