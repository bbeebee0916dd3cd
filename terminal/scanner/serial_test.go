//go:build !windows

package scanner

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ptyPair opens a real pseudo-terminal: the test writes to the master as
// the scanner would; the source opens the slave by path.
func ptyPair(t testing.TB) (master *os.File, path string) {
	t.Helper()
	m, s, err := pty.Open()
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close(); _ = s.Close() })
	return m, s.Name()
}

// runSerial starts a serial source on path and waits until it is connected.
func runSerial(t testing.TB, cfg SerialConfig) *recorder {
	t.Helper()
	src, err := Open(Config{Kind: "serial", Serial: cfg}, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	rec := newRecorder()
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, rec) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(waitTimeout):
			t.Error("serial source did not stop")
		}
	})
	st := rec.nextStatus(t)
	require.True(t, st.Connected, "status %+v", st)
	return rec
}

func write(t testing.TB, m *os.File, s string) {
	t.Helper()
	_, err := m.Write([]byte(s))
	require.NoError(t, err)
}

func TestSerialSuffixSplitWritesAndGS(t *testing.T) {
	m, path := ptyPair(t)
	rec := runSerial(t, SerialConfig{Port: path, Baud: 9600, Suffix: "CR"})
	write(t, m, "]C10104006381")
	write(t, m, "333931\x1d10LO")
	write(t, m, "T7\r")
	s := rec.nextScan(t)
	assert.Equal(t, "]C10104006381333931\x1d10LOT7", s.Raw)
	assert.Equal(t, "]C1", s.AIM)
	assert.Equal(t, "GS1-128", s.Symbology)
	assert.Equal(t, "serial:"+path, s.Source)

	write(t, m, "A-01-02\r\nT00042\r\n") // scanner set to CRLF, site configured CR
	assert.Equal(t, "A-01-02", rec.nextScan(t).Raw)
	assert.Equal(t, "T00042", rec.nextScan(t).Raw)
	rec.noScan(t)
}

func TestSerialPrefixAndETX(t *testing.T) {
	m, path := ptyPair(t)
	rec := runSerial(t, SerialConfig{Port: path, Prefix: "STX", Suffix: "ETX", DataBits: 8, Parity: "even", StopBits: "1"})
	write(t, m, "\x02U1001\x03junk\x02T00042\x03")
	assert.Equal(t, "U1001", rec.nextScan(t).Raw)
	assert.Equal(t, "T00042", rec.nextScan(t).Raw)
}

func TestSerialGapFraming(t *testing.T) {
	m, path := ptyPair(t)
	rec := runSerial(t, SerialConfig{Port: path, Suffix: "none", Gap: Duration(30 * time.Millisecond)})
	write(t, m, "4006381")
	write(t, m, "333931")
	s := rec.nextScan(t)
	assert.Equal(t, "4006381333931", s.Raw, "bytes written back to back are one scan")
}

func TestSerialFloodDebounced(t *testing.T) {
	m, path := ptyPair(t)
	rec := runSerial(t, SerialConfig{Port: path})
	write(t, m, "LP000042\rLP000042\rLP000042\rLP000043\r")
	assert.Equal(t, "LP000042", rec.nextScan(t).Raw)
	assert.Equal(t, "LP000043", rec.nextScan(t).Raw, "repeats of one trigger pull are dropped")
}

func TestSerialUnplugAndReplug(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "usb-Scanner-if00") // like /dev/serial/by-id/…
	m1, p1 := ptyPair(t)
	require.NoError(t, os.Symlink(p1, link))
	rec := runSerial(t, SerialConfig{Port: link})
	write(t, m1, "FIRST\r")
	assert.Equal(t, "FIRST", rec.nextScan(t).Raw)

	write(t, m1, "HALF") // unplugged mid-scan
	require.NoError(t, m1.Close())
	st := rec.nextStatus(t)
	assert.False(t, st.Connected)
	assert.Contains(t, st.Reason, "scanner disconnected")

	m2, p2 := ptyPair(t) // plugged in again, as a new tty
	require.NoError(t, os.Remove(link))
	require.NoError(t, os.Symlink(p2, link))
	for st = rec.nextStatus(t); !st.Connected; st = rec.nextStatus(t) {
	}
	write(t, m2, "AFTER\r")
	assert.Equal(t, "AFTER", rec.nextScan(t).Raw, "HALF was never delivered")
}

func TestSerialConfigErrors(t *testing.T) {
	for _, cfg := range []SerialConfig{
		{},
		{Port: "/dev/x", DataBits: 9},
		{Port: "/dev/x", Parity: "sometimes"},
		{Port: "/dev/x", StopBits: "3"},
		{Port: "/dev/x", Suffix: `\xZZ`},
	} {
		_, err := NewSerial(cfg, 0, slog.New(slog.DiscardHandler))
		assert.Error(t, err, "%+v", cfg)
	}
	_, err := Open(Config{Kind: "bluetooth"}, nil)
	assert.Error(t, err)
}

// BenchmarkSerialLatency measures the time from the last byte written to the
// pty to the scan delivered to the handler.
func BenchmarkSerialLatency(b *testing.B) {
	m, path := ptyPair(b)
	rec := runSerial(b, SerialConfig{Port: path, Baud: 9600})
	scan := []byte("]C10109506000134352\r") // 20 characters: ~21ms on the wire at 9600 baud
	var total time.Duration
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		scan[len(scan)-2] = byte('0' + i%10) // no two scans alike (debounce)
		start := time.Now()
		_, err := m.Write(scan)
		require.NoError(b, err)
		s := rec.nextScan(b)
		total += time.Since(start)
		_ = s
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N), "µs/scan")
}
