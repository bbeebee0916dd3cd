package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/puller"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// countingHub serves the real hub, counting each event id delivered to it,
// and can play dead (every connection cut) like a network gone.
type countingHub struct {
	srv  *httptest.Server
	down atomic.Bool
	mu   sync.Mutex
	seen map[string]int
}

func startCountingHub(t *testing.T, h *hubtest.Hub) *countingHub {
	c := &countingHub{seen: map[string]int{}}
	real := hub.NewHandler(h.Store, quiet())
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.down.Load() {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		if r.URL.Path == "/v1/events" {
			raw, _ := io.ReadAll(r.Body)
			var req api.IngestRequest
			if json.Unmarshal(raw, &req) == nil {
				c.mu.Lock()
				for _, ev := range req.Events {
					c.seen[ev.ID]++
				}
				c.mu.Unlock()
			}
			r.Body = io.NopCloser(bytes.NewReader(raw))
		}
		real.ServeHTTP(w, r)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *countingHub) times(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[id]
}

// TestConflictsAfterWorkingOffline: while a device is offline, the hub
// cancels the order of one of its tasks, gives another to someone else, and
// has a third partly picked by another device. When the device is back, the
// events the hub can no longer take are rejected with the reason, land on
// the needs-attention list with what to do, and are never sent again; the
// device's pickers hear of the cancellation and the reassignment through
// the changes feed.
func TestConflictsAfterWorkingOffline(t *testing.T) {
	h := hubtest.StartDemo(t)
	net := startCountingHub(t, h)
	store := openDevice(t, filepath.Join(t.TempDir(), "device.db"), "gun-a")
	t.Cleanup(func() { store.Close() })
	client := api.NewClient(net.srv.URL, nil).WithToken(h.Register("gun-a"))
	feedCache, cacheErr := puller.NewCache(store)
	require.NoError(t, cacheErr)
	cache := puller.NewWorkCache(client, feedCache)
	ctx := context.Background()
	claim := func(user string) domain.Task {
		c, err := cache.ClaimTask(ctx, user)
		require.NoError(t, err)
		return c.Task
	}
	x, y, z := claim("u1001"), claim("u1002"), claim("u1003")

	sender := sender.NewSender(store, client, sender.SenderConfig{
		Backoff: sender.Backoff{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}, Probe: 10 * time.Millisecond, OfflineProbe: 10 * time.Millisecond,
	}, quiet())
	puller := puller.NewPuller(feedCache, client, puller.PullerConfig{Interval: time.Hour}, quiet())
	sctx, stop := context.WithCancel(ctx)
	var running sync.WaitGroup
	running.Add(2)
	go func() { defer running.Done(); sender.Run(sctx) }()
	go func() { defer running.Done(); puller.Run(sctx) }()
	t.Cleanup(func() { stop(); running.Wait() })

	// Offline: each picker works through their task.
	net.down.Store(true)
	var mine []domain.Event
	work := func(task domain.Task, user string) {
		l := task.Lines[0]
		evs, err := store.Commit(user, nil, []domain.Draft{
			domain.NewDraft(domain.EventTaskStarted, time.Now(), user, domain.TaskStarted{TaskID: task.ID, Tote: "T0000" + user[len(user)-1:]}),
			domain.NewDraft(domain.EventLinePicked, time.Now(), user, domain.PickLine{TaskID: task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Picked: l.Qty}),
		})
		require.NoError(t, err)
		mine = append(mine, evs...)
	}
	work(x, "u1001")
	work(y, "u1002")
	work(z, "u1003")
	sender.Kick()
	require.Eventually(t, func() bool { st := sender.Status(); return !st.Online && st.Queued == 6 }, 10*time.Second, 5*time.Millisecond)

	// Meanwhile on the hub.
	_, err := h.Store.CancelOrder(t.Context(), x.OrderID, "customer called")
	require.NoError(t, err)
	_, err = h.Store.ReassignTask(t.Context(), y.ID, "u1001")
	require.NoError(t, err)
	_, err = h.Store.ReassignTask(t.Context(), z.ID, "u1002") // another device picks one unit of z's first line...
	require.NoError(t, err)
	h.Register("gun-b")
	zl := z.Lines[0]
	other, err := domain.NewDraft(domain.EventLinePicked, time.Now(), "u1002", domain.PickLine{TaskID: z.ID, Line: zl.Line, SKU: zl.SKU, Picked: 1}).Seal("gun-b", 1, "b-1")
	require.NoError(t, err)
	res, err := h.Store.Ingest(t.Context(), "gun-b", api.IngestRequest{DeviceID: "gun-b", Events: []domain.Event{other}})
	require.NoError(t, err)
	require.Equal(t, api.StatusApplied, res.Results[0].Status, res.Results[0].Message)
	_, err = h.Store.ReassignTask(t.Context(), z.ID, "u1003") // ...and gives it back
	require.NoError(t, err)

	// Back online.
	net.down.Store(false)
	sender.Kick()
	puller.Kick()
	require.Eventually(t, func() bool { st := sender.Status(); return st.Online && st.Queued == 0 }, 10*time.Second, 5*time.Millisecond)

	rejected, err := store.Attention()
	require.NoError(t, err)
	codes := map[uint64]string{}
	for _, r := range rejected {
		codes[r.Event.Seq] = r.Code
		assert.NotEmpty(t, r.Message)
		assert.NotEmpty(t, r.Advice().Action)
	}
	assert.Equal(t, map[uint64]string{
		1: api.CodeOrderCancelled, 2: api.CodeOrderCancelled, // x: the order is gone
		3: api.CodeTaskNotHeld, 4: api.CodeTaskNotHeld, // y: someone else's now
		6: api.CodeOverQuantity, // z: one unit was picked by gun-b meanwhile
	}, codes)
	assert.Equal(t, "Order cancelled", outbox.AdviceFor(codes[1]).Reason)
	assert.Equal(t, domain.TaskInProgress, mustTask(t, h, z.ID).Status, "z's start was taken")

	// Never sent again: a later event goes through while the rejected ones stay put.
	more, err := store.Commit("u1003", nil, []domain.Draft{domain.NewDraft(domain.EventLinePicked, time.Now(), "u1003",
		domain.PickLine{TaskID: z.ID, Line: zl.Line, SKU: zl.SKU, Picked: zl.Qty - 1})})
	require.NoError(t, err)
	sender.Kick()
	require.Eventually(t, func() bool { return net.times(more[0].ID) == 1 && sender.Status().Queued == 0 }, 10*time.Second, 5*time.Millisecond)
	for _, ev := range mine {
		assert.Equal(t, 1, net.times(ev.ID), "event %d reached the hub exactly once", ev.Seq)
	}
	assert.Equal(t, zl.Qty, mustTask(t, h, z.ID).Lines[0].Picked)

	// The pickers hear what happened to their tasks.
	require.Eventually(t, func() bool { ns, err := feedCache.Notices(); return err == nil && len(ns) == 2 }, 10*time.Second, 5*time.Millisecond)
	n, found, err := feedCache.TaskNotice(x.ID)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, api.ChangeOrderCancelled, n.Kind)
	assert.Contains(t, n.Advice().Reason, "customer called")
	n, found, err = feedCache.TaskNotice(y.ID)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, api.ChangeTaskReassigned, n.Kind)
	assert.Equal(t, "u1001", n.UserID)
	_, found, err = feedCache.TaskNotice(z.ID)
	require.NoError(t, err)
	assert.False(t, found, "z was given back: nothing to tell")
}

func mustTask(t *testing.T, h *hubtest.Hub, id string) domain.Task {
	t.Helper()
	task, err := h.Store.Task(t.Context(), id)
	require.NoError(t, err)
	return task
}
