package sender_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// TestNotEnrolledIsNotOffline: a device the hub revoked gets 401
// device_not_enrolled. The status says not enrolled (not a network fault),
// no retry is scheduled, and the sender stops: only a kick makes it try
// once more, however short the backoff.
func TestNotEnrolledIsNotOffline(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := synctest.OpenStore(t)
	token := h.Register(synctest.Device)
	task := claimed(t, h)
	drafts := pickDrafts(task, "u1001")
	_, err := store.Commit("", nil, drafts)
	require.NoError(t, err)
	require.NoError(t, h.Admin().RevokeDevice(context.Background(), synctest.Device))

	var calls atomic.Int32
	real := h.Server.Config.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/events" {
			calls.Add(1)
		}
		real.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s := senderWith(t, store, srv.URL, token, sender.SenderConfig{
		Backoff: sender.Backoff{Base: time.Millisecond, Max: time.Millisecond}, Probe: time.Millisecond, OfflineProbe: time.Millisecond,
	})
	st := waitStatus(t, s, func(st sender.SyncStatus) bool { return st.NotEnrolled })
	assert.False(t, st.Online)
	assert.True(t, st.RetryAt.IsZero(), "no retry is scheduled: retrying cannot help")
	assert.Contains(t, st.LastError, api.CodeDeviceNotEnrolled)
	assert.Equal(t, len(drafts), st.Queued, "the events stay queued for when it is enrolled again")

	// A kick (a new step) tries exactly once more.
	before := calls.Load()
	s.Kick()
	require.Eventually(t, func() bool { return calls.Load() > before }, 5*time.Second, time.Millisecond)
	st = waitStatus(t, s, func(st sender.SyncStatus) bool { return st.NotEnrolled })
	assert.Equal(t, before+1, calls.Load(), "one try per kick, never a retry loop")
}
