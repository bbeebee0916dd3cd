package sender_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

func quickSender(t *testing.T, store *outbox.Store, url, token string) *sender.Sender {
	return senderWith(t, store, url, token, sender.SenderConfig{
		Backoff: sender.Backoff{Base: 5 * time.Millisecond, Max: 40 * time.Millisecond}, Probe: 20 * time.Millisecond,
		OfflineProbe: 20 * time.Millisecond,
	})
}

// runSender runs s until the test ends.
func runSender(t *testing.T, s *sender.Sender) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// claimed claims the first task for u1001 on the hub and returns it.
func claimed(t *testing.T, h *hubtest.Hub) domain.Task {
	resp, err := h.Store.Claim(t.Context(), "u1001")
	require.NoError(t, err)
	return resp.Task
}

func pickDrafts(task domain.Task, user string) []domain.Draft {
	now := time.Now()
	l := task.Lines[0]
	return []domain.Draft{
		domain.NewDraft(domain.EventTaskStarted, now, user, domain.TaskStarted{TaskID: task.ID, Tote: "T00001"}),
		domain.NewDraft(domain.EventLinePicked, now, user, domain.PickLine{TaskID: task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: "T00001", Picked: l.Qty}),
	}
}

func waitStatus(t *testing.T, s *sender.Sender, cond func(sender.SyncStatus) bool) sender.SyncStatus {
	t.Helper()
	var st sender.SyncStatus
	deadline := time.Now().Add(10 * time.Second)
	for st = s.Status(); !cond(st); st = s.Status() {
		require.True(t, time.Now().Before(deadline), "status never came: last %+v", st)
		time.Sleep(2 * time.Millisecond) // polling a condition, with a deadline
	}
	return st
}

func TestSenderDelivers(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := synctest.OpenStore(t)
	task := claimed(t, h)
	_, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)

	s := quickSender(t, store, h.URL(), h.Register(synctest.Device))
	waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })

	got, err := h.Store.Task(t.Context(), task.ID)
	require.NoError(t, err)
	assert.Equal(t, domain.TaskInProgress, got.Status)
	assert.Equal(t, "T00001", got.Tote)
	assert.Equal(t, task.Lines[0].Qty, got.Lines[0].Picked)
}

func TestSenderParksRejectedEvents(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := synctest.OpenStore(t)
	task := claimed(t, h)
	// u1002 does not hold the task: a business rejection, final.
	_, err := store.Commit("", nil, pickDrafts(task, "u1002")[:1])
	require.NoError(t, err)
	_, err = store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)

	s := quickSender(t, store, h.URL(), h.Register(synctest.Device))
	st := waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Queued == 0 })
	assert.Equal(t, 1, st.Attention)
	assert.Equal(t, map[string]int{"u1002": 1}, st.AttentionBy, "the refusal is the step u1002 did")
	assert.Equal(t, 1, st.AttentionFor("u1002"))
	assert.Zero(t, st.AttentionFor("u1001"), "not u1001's to deal with")
	rej, err := store.Attention()
	require.NoError(t, err)
	require.Len(t, rej, 1)
	assert.Equal(t, api.CodeTaskNotHeld, rej[0].Code)
	assert.NotEmpty(t, rej[0].Message)
	got, err := h.Store.Task(t.Context(), task.ID)
	require.NoError(t, err)
	assert.Equal(t, task.Lines[0].Qty, got.Lines[0].Picked, "the events after the rejected one still arrive")
}

// TestSenderSurvivesABadHub: a hub that answers 500, then garbage, then a
// wrong number of results, then 429, loses nothing: the events wait on disk,
// the status says offline and why, and all arrive once the hub is sane.
func TestSenderSurvivesABadHub(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := synctest.OpenStore(t)
	task := claimed(t, h)
	token := h.Register(synctest.Device)
	real := hub.NewHandler(h.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var calls atomic.Int32
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/events" {
			real.ServeHTTP(w, r)
			return
		}
		switch calls.Add(1) {
		case 1:
			http.Error(w, `{"error":{"code":"internal","message":"disk full"}}`, http.StatusInternalServerError)
		case 2:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>captive portal</html>")
		case 3:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"results":[]}`)
		case 4:
			w.Header().Set("Retry-After", "0")
			http.Error(w, `{"error":{"code":"busy","message":"slow down"}}`, http.StatusTooManyRequests)
		default:
			real.ServeHTTP(w, r)
		}
	}))
	defer bad.Close()

	_, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)
	s := quickSender(t, store, bad.URL, token)
	st := waitStatus(t, s, func(st sender.SyncStatus) bool { return !st.Online && st.LastError != "" })
	assert.Equal(t, 2, st.Queued, "nothing dropped while the hub misbehaves")
	waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	assert.GreaterOrEqual(t, calls.Load(), int32(5))
	got, err := h.Store.Task(t.Context(), task.ID)
	require.NoError(t, err)
	assert.Equal(t, task.Lines[0].Qty, got.Lines[0].Picked, "applied once")
}

func TestBackoffBounds(t *testing.T) {
	b := sender.Backoff{Base: time.Second, Max: 60 * time.Second}
	assert.Equal(t, time.Second, b.Ceiling(0))
	assert.Equal(t, 8*time.Second, b.Ceiling(3))
	assert.Equal(t, 60*time.Second, b.Ceiling(6))
	assert.Equal(t, 60*time.Second, b.Ceiling(500), "no overflow")
	for n := 0; n < 10; n++ {
		for i := 0; i < 50; i++ {
			w := b.Wait(n)
			require.GreaterOrEqual(t, w, time.Duration(0))
			require.LessOrEqual(t, w, b.Ceiling(n))
		}
	}
}
