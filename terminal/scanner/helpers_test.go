package scanner

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rfterm/rfterm/barcode"
)

// recorder is a Handler that hands scans and status changes to the test.
type recorder struct {
	scans  chan barcode.Scan
	status chan Status
}

func newRecorder() *recorder {
	return &recorder{scans: make(chan barcode.Scan, 100), status: make(chan Status, 100)}
}

func (r *recorder) HandleScan(s barcode.Scan) { r.scans <- s }
func (r *recorder) HandleStatus(s Status)     { r.status <- s }

// waitTimeout bounds every wait in these tests.
const waitTimeout = 5 * time.Second

func (r *recorder) nextScan(t testing.TB) barcode.Scan {
	t.Helper()
	select {
	case s := <-r.scans:
		return s
	case <-time.After(waitTimeout):
		t.Fatal("no scan arrived")
	}
	return barcode.Scan{}
}

func (r *recorder) nextStatus(t testing.TB) Status {
	t.Helper()
	select {
	case s := <-r.status:
		return s
	case <-time.After(waitTimeout):
		t.Fatal("no status arrived")
	}
	return Status{}
}

// noScan checks that no scan is waiting.
func (r *recorder) noScan(t testing.TB) {
	t.Helper()
	select {
	case s := <-r.scans:
		t.Fatalf("unexpected scan %q", s.Raw)
	default:
	}
}

// logCapture is a slog handler that hands each log message to the test.
type logCapture struct{ msgs chan string }

func newLogCapture() (*slog.Logger, chan string) {
	c := logCapture{msgs: make(chan string, 100)}
	return slog.New(c), c.msgs
}

func (c logCapture) Enabled(context.Context, slog.Level) bool { return true }
func (c logCapture) Handle(_ context.Context, r slog.Record) error {
	msg := r.Message
	r.Attrs(func(a slog.Attr) bool { msg += " " + a.String(); return true })
	c.msgs <- msg
	return nil
}
func (c logCapture) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c logCapture) WithGroup(string) slog.Handler      { return c }

// waitLog waits for a log message containing want.
func waitLog(t testing.TB, msgs chan string, want string) string {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case m := <-msgs:
			if strings.Contains(m, want) {
				return m
			}
		case <-deadline:
			t.Fatalf("no log line with %q", want)
			return ""
		}
	}
}
