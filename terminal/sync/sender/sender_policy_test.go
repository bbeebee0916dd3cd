package sender_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// busyHub answers /v1/events with 429 and a Retry-After header the first
// time, then passes everything to the real hub.
func busyHub(t *testing.T, h *hubtest.Hub, retryAfter string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	real := h.Server.Config.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/events" && calls.Add(1) == 1 {
			w.Header().Set("Retry-After", retryAfter)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"code":"internal","message":"slow down"}}`)
			return
		}
		real.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func senderWith(t *testing.T, store *outbox.Store, url, token string, cfg sender.SenderConfig) *sender.Sender {
	s := sender.NewSender(store, api.NewClient(url, nil).WithToken(token), cfg, synctest.Quiet())
	runSender(t, s)
	return s
}

// TestRetryAfterIsHonoured: a 429 with Retry-After: 1 is retried after about
// a second even though the backoff would wait an hour, and the status says
// when the next try is due.
func TestRetryAfterIsHonoured(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := synctest.OpenStore(t)
	task := claimed(t, h)
	_, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)
	srv, calls := busyHub(t, h, "1")
	before := time.Now()
	s := senderWith(t, store, srv.URL, h.Register(synctest.Device), sender.SenderConfig{
		Backoff: sender.Backoff{Base: time.Hour, Max: time.Hour}, Probe: time.Hour, OfflineProbe: 10 * time.Millisecond,
	})
	st := waitStatus(t, s, func(st sender.SyncStatus) bool { return !st.RetryAt.IsZero() })
	assert.GreaterOrEqual(t, st.RetryAt.Sub(before), 900*time.Millisecond, "waits what the hub asked")
	assert.Less(t, st.RetryAt.Sub(before), 30*time.Minute, "not the hour of backoff")
	assert.Equal(t, int32(1), calls.Load(), "no offline probing hurries a hub that answered")
	waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	assert.Equal(t, int32(2), calls.Load())
}

// TestSenderSendsAsSoonAsTheNetworkIsBack: with the hub gone the backoff
// would wait an hour; the offline health check finds it back and the queue
// drains without a kick.
func TestSenderSendsAsSoonAsTheNetworkIsBack(t *testing.T) {
	site, err := demodata.Site()
	require.NoError(t, err)
	h, err := demo.StartHub(filepath.Join(t.TempDir(), "hub.db"), site, synctest.Quiet())
	require.NoError(t, err)
	t.Cleanup(func() { h.Shutdown(context.Background()) })
	resp, err := h.Store().Claim(t.Context(), "u1001")
	require.NoError(t, err)
	reg, err := h.Store().Register(t.Context(), api.RegisterRequest{DeviceID: synctest.Device, EnrollKey: site.EnrollKey})
	require.NoError(t, err)
	require.NoError(t, h.Stop())

	store := synctest.OpenStore(t)
	_, err = store.Commit("", nil, pickDrafts(resp.Task, "u1001"))
	require.NoError(t, err)
	s := senderWith(t, store, h.URL(), reg.Token, sender.SenderConfig{
		Backoff: sender.Backoff{Base: time.Hour, Max: time.Hour}, Probe: time.Hour, OfflineProbe: 10 * time.Millisecond,
	})
	st := waitStatus(t, s, func(st sender.SyncStatus) bool { return !st.Online && st.LastError != "" })
	assert.Equal(t, 2, st.Queued)
	require.NoError(t, h.Start())
	waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	log, err := h.Store().DeviceLog(t.Context(), synctest.Device)
	require.NoError(t, err)
	assert.Len(t, log, 2)
}

// TestSenderResumesAfterTheHubLostEvents: the hub forgot events the device
// saw settled (restored from an old backup); the device tells it to take up
// from its oldest queued event instead of waiting forever for the lost ones.
func TestSenderResumesAfterTheHubLostEvents(t *testing.T) {
	old := hubtest.StartDemo(t)
	store := synctest.OpenStore(t)
	task := claimed(t, old)
	_, err := store.Commit("", nil, pickDrafts(task, "u1001")[:1])
	require.NoError(t, err)
	s := sender.NewSender(store, api.NewClient(old.URL(), nil).WithToken(old.Register(synctest.Device)), sender.SenderConfig{
		Backoff: sender.Backoff{Base: 5 * time.Millisecond, Max: 40 * time.Millisecond}, Probe: 20 * time.Millisecond,
	}, synctest.Quiet())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	cancel()
	<-done // the device now talks to the restored hub only

	old.Server.Close()               // the old hub is gone: its sender cannot deliver what comes next
	restored := hubtest.StartDemo(t) // knows nothing of seq 1
	task = claimed(t, restored)
	evs, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)
	require.Equal(t, uint64(2), evs[0].Seq)
	s2 := quickSender(t, store, restored.URL(), restored.Register(synctest.Device))
	waitStatus(t, s2, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	log, err := restored.Store.DeviceLog(t.Context(), synctest.Device)
	require.NoError(t, err)
	require.Len(t, log, 2)
	assert.Equal(t, []uint64{2, 3}, []uint64{log[0].Seq, log[1].Seq})
}
