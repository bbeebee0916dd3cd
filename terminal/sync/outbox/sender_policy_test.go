package outbox_test

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
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
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

func senderWith(t *testing.T, store *outbox.Store, url, token string, cfg outbox.SenderConfig) *outbox.Sender {
	s := outbox.NewSender(store, api.NewClient(url, nil).WithToken(token), cfg, slogDiscard())
	runSender(t, s)
	return s
}

// TestRetryAfterIsHonoured: a 429 with Retry-After: 1 is retried after about
// a second even though the backoff would wait an hour, and the status says
// when the next try is due.
func TestRetryAfterIsHonoured(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := openStore(t)
	task := claimed(t, h)
	_, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)
	srv, calls := busyHub(t, h, "1")
	before := time.Now()
	s := senderWith(t, store, srv.URL, h.Register(device), outbox.SenderConfig{
		Backoff: outbox.Backoff{Base: time.Hour, Max: time.Hour}, Probe: time.Hour, OfflineProbe: 10 * time.Millisecond,
	})
	st := waitStatus(t, s, func(st outbox.SyncStatus) bool { return !st.RetryAt.IsZero() })
	assert.GreaterOrEqual(t, st.RetryAt.Sub(before), 900*time.Millisecond, "waits what the hub asked")
	assert.Less(t, st.RetryAt.Sub(before), 30*time.Minute, "not the hour of backoff")
	assert.Equal(t, int32(1), calls.Load(), "no offline probing hurries a hub that answered")
	waitStatus(t, s, func(st outbox.SyncStatus) bool { return st.Online && st.Queued == 0 })
	assert.Equal(t, int32(2), calls.Load())
}

// TestSenderSendsAsSoonAsTheNetworkIsBack: with the hub gone the backoff
// would wait an hour; the offline health check finds it back and the queue
// drains without a kick.
func TestSenderSendsAsSoonAsTheNetworkIsBack(t *testing.T) {
	site, err := demodata.Site()
	require.NoError(t, err)
	h, err := demo.StartHub(filepath.Join(t.TempDir(), "hub.db"), site, slogDiscard())
	require.NoError(t, err)
	t.Cleanup(func() { h.Shutdown(context.Background()) })
	resp, err := h.Store().Claim("u1001")
	require.NoError(t, err)
	reg, err := h.Store().Register(api.RegisterRequest{DeviceID: device, EnrollKey: site.EnrollKey})
	require.NoError(t, err)
	require.NoError(t, h.Stop())

	store := openStore(t)
	_, err = store.Commit("", nil, pickDrafts(resp.Task, "u1001"))
	require.NoError(t, err)
	s := senderWith(t, store, h.URL(), reg.Token, outbox.SenderConfig{
		Backoff: outbox.Backoff{Base: time.Hour, Max: time.Hour}, Probe: time.Hour, OfflineProbe: 10 * time.Millisecond,
	})
	st := waitStatus(t, s, func(st outbox.SyncStatus) bool { return !st.Online && st.LastError != "" })
	assert.Equal(t, 2, st.Queued)
	require.NoError(t, h.Start())
	waitStatus(t, s, func(st outbox.SyncStatus) bool { return st.Online && st.Queued == 0 })
	log, err := h.Store().DeviceLog(device)
	require.NoError(t, err)
	assert.Len(t, log, 2)
}

// TestSenderResumesAfterTheHubLostEvents: the hub forgot events the device
// saw settled (restored from an old backup); the device tells it to take up
// from its oldest queued event instead of waiting forever for the lost ones.
func TestSenderResumesAfterTheHubLostEvents(t *testing.T) {
	old := hubtest.StartDemo(t)
	store := openStore(t)
	task := claimed(t, old)
	_, err := store.Commit("", nil, pickDrafts(task, "u1001")[:1])
	require.NoError(t, err)
	s := outbox.NewSender(store, api.NewClient(old.URL(), nil).WithToken(old.Register(device)), outbox.SenderConfig{
		Backoff: outbox.Backoff{Base: 5 * time.Millisecond, Max: 40 * time.Millisecond}, Probe: 20 * time.Millisecond,
	}, slogDiscard())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	waitStatus(t, s, func(st outbox.SyncStatus) bool { return st.Online && st.Queued == 0 })
	cancel()
	<-done // the device now talks to the restored hub only

	old.Server.Close()               // the old hub is gone: its sender cannot deliver what comes next
	restored := hubtest.StartDemo(t) // knows nothing of seq 1
	task = claimed(t, restored)
	evs, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)
	require.Equal(t, uint64(2), evs[0].Seq)
	s2 := quickSender(t, store, restored.URL(), restored.Register(device))
	waitStatus(t, s2, func(st outbox.SyncStatus) bool { return st.Online && st.Queued == 0 })
	log, err := restored.Store.DeviceLog(device)
	require.NoError(t, err)
	require.Len(t, log, 2)
	assert.Equal(t, []uint64{2, 3}, []uint64{log[0].Seq, log[1].Seq})
}

func TestAdviceAndDismiss(t *testing.T) {
	for _, code := range []string{api.CodeOrderCancelled, api.CodeTaskNotHeld, api.CodeOverQuantity, api.CodeUnknownItem,
		api.CodeUnknownLine, api.CodeNotFound, api.CodeBadRequest, api.CodeForbidden, "something_new"} {
		a := outbox.AdviceFor(code)
		assert.NotEmpty(t, a.Reason, code)
		assert.NotEmpty(t, a.Action, code)
	}
	// Every refusal a device can get has words of its own, not the fallback.
	for _, code := range []string{api.CodeOrderShipped, api.CodeNotPacking, api.CodeSSCCInvalid, api.CodeSSCCUsed,
		api.CodeShipIncomplete, api.CodeAlreadyCounted, api.CodeRMAClosed, api.CodeSerialNotShipped} {
		assert.NotContains(t, outbox.AdviceFor(code).Reason, "Refused by the hub", code)
	}
	assert.Contains(t, outbox.AdviceFor(api.CodeOrderCancelled).Action, "tote")
	assert.Contains(t, outbox.AdviceFor("something_new").Reason, "something_new")

	store := openStore(t)
	evs, err := store.Commit("", nil, pickDrafts(domain.Task{ID: "T-1", Lines: []domain.TaskLine{{Line: 1, SKU: "A", Qty: 1}}}, "u1")[:1])
	require.NoError(t, err)
	require.NoError(t, store.Settle([]api.EventResult{{ID: evs[0].ID, Seq: evs[0].Seq, Status: api.StatusRejected, Code: api.CodeOrderCancelled, Message: "x"}}, time.Now()))
	rej, err := store.Attention()
	require.NoError(t, err)
	require.Len(t, rej, 1)
	assert.Equal(t, "Order cancelled", rej[0].Advice().Reason)
	require.NoError(t, store.Dismiss(rej[0].Event.Seq))
	rej, err = store.Attention()
	require.NoError(t, err)
	assert.Empty(t, rej)
	require.NoError(t, store.Dismiss(99), "dismissing twice is fine")
}
