package device_test

import (
	"context"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/sync/sender"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The terminal's device layer enrols, claims and syncs with a hub served
// over HTTPS, verifying it against the site's CA file; without the CA it
// refuses the hub.
func TestDeviceOverHTTPSWithTheSiteCA(t *testing.T) {
	h := hubtest.StartDemo(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewUnstartedServer(hub.NewHandler(h.Store, log))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := sender.SenderConfig{Backoff: sender.Backoff{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond}, Probe: 20 * time.Millisecond}

	_, err := device.Open(ctx, filepath.Join(t.TempDir(), "stranger.db"), "gun-x", srv.URL, h.Site.EnrollKey, cfg, log)
	require.Error(t, err, "the system roots do not know the site's CA")
	assert.Contains(t, err.Error(), "certificate")

	dev, err := device.Open(ctx, filepath.Join(t.TempDir(), "device.db"), "gun-tls", srv.URL, h.Site.EnrollKey, cfg, log,
		api.TransportConfig{CAFile: caFile})
	require.NoError(t, err)
	defer dev.Close()
	claim, err := dev.Client.ClaimTask(ctx, "u1001")
	require.NoError(t, err)
	_, err = dev.Store.Commit("", nil, []domain.Draft{domain.NewDraft(domain.EventTaskStarted, time.Now(), "u1001",
		domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00001"})})
	require.NoError(t, err)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { dev.Sender.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	require.Eventually(t, func() bool {
		task, err := h.Store.Task(t.Context(), claim.Task.ID)
		return err == nil && task.Status == domain.TaskInProgress
	}, 10*time.Second, 10*time.Millisecond, "the event goes over HTTPS: %+v", dev.Sender.Status())
	st := dev.Sender.Status()
	assert.Zero(t, st.Attention, st.LastError)
}
