// Package synctest holds what the sync packages' tests share: a device id,
// a quiet logger and a real device store in a temporary directory.
package synctest

import (
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// Device is the device id the tests' stores belong to.
const Device = "gun-9"

// Quiet is a logger that discards everything.
func Quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// OpenStore opens a new device store for Device in a temporary directory,
// closed when the test ends.
func OpenStore(t testing.TB) *outbox.Store {
	t.Helper()
	s, err := outbox.Open(filepath.Join(t.TempDir(), "device.db"), Device, outbox.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}
