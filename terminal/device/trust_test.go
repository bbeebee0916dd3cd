package device_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// TestRecoveredNotice: the screen's account of a replaced store names what
// was recovered and the sequence numbers lost.
func TestRecoveredNotice(t *testing.T) {
	n := device.RecoveredNotice(outbox.Recovery{Unsent: 5, FirstSeq: 3, LastSeq: 7, Carried: 3, Lost: []uint64{4, 6}, Complete: true})
	assert.Contains(t, n, "seq 3-7: 3 recovered")
	assert.Contains(t, n, "LOST: seq 4, 6")
	n = device.RecoveredNotice(outbox.Recovery{Unsent: 2, FirstSeq: 8, LastSeq: 9, Carried: 2, Complete: true})
	assert.NotContains(t, n, "LOST")
	assert.Contains(t, device.RecoveredNotice(outbox.Recovery{Unsent: -1}), "may be lost")
	assert.LessOrEqual(t, len(device.RecoveredNotice(outbox.Recovery{Unsent: 90, FirstSeq: 1, LastSeq: 90, Carried: 80,
		Lost: []uint64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}})), 20*8, "fits the problem area of a 20×16 gun")
}

// TestOpenSaysWhatWasRecovered: a zero-length store is replaced, and the
// device says so for the login screen.
func TestOpenSaysWhatWasRecovered(t *testing.T) {
	h := hubtest.StartDemo(t)
	path := filepath.Join(t.TempDir(), "device.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dev, err := device.Open(ctx, path, "gun-rec", h.URL(), h.Site.EnrollKey, sender.SenderConfig{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	defer dev.Close()
	assert.Contains(t, dev.Recovered, "damaged, replaced")

	fresh, err := device.Open(ctx, filepath.Join(t.TempDir(), "new.db"), "gun-new", h.URL(), h.Site.EnrollKey, sender.SenderConfig{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	defer fresh.Close()
	assert.Empty(t, fresh.Recovered, "a new store recovered nothing")
}

// TestOpenEnrolledIdSaysWhatToDo: a store that lost its token, for an id
// the hub holds enrolled, gets 409 device_enrolled: Open says to revoke it
// or enrol with the API key, and with the API key it enrols.
func TestOpenEnrolledIdSaysWhatToDo(t *testing.T) {
	h := hubtest.StartDemo(t)
	h.Register("gun-lost")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	path := filepath.Join(t.TempDir(), "device.db")
	_, err := device.Open(ctx, path, "gun-lost", h.URL(), h.Site.EnrollKey, sender.SenderConfig{}, log)
	require.Error(t, err)
	assert.True(t, errors.Is(err, device.ErrEnrolledAlready), "%v", err)
	assert.Contains(t, err.Error(), "revoke gun-lost")
	assert.Contains(t, err.Error(), "/v1/devices/gun-lost")
	assert.Contains(t, err.Error(), "API key as enroll_key")

	dev, err := device.Open(ctx, path, "gun-lost", h.URL(), h.Site.APIKey, sender.SenderConfig{}, log)
	require.NoError(t, err, "the API key enrols the id again")
	defer dev.Close()
	_, err = dev.Client.ClaimTask(ctx, "u1001")
	require.NoError(t, err, "the new token works")
}
