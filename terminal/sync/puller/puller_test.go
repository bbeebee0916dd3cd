package puller_test

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/puller"
)

// openCache is the work cache of a new device store.
func openCache(t *testing.T) *puller.Cache {
	s, err := outbox.Open(filepath.Join(t.TempDir(), "device.db"), synctest.Device, outbox.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	c, err := puller.NewCache(s)
	require.NoError(t, err)
	return c
}

// TestPullerFollowsCachedTasks: the device caches the tasks it claims; a
// cancellation and a reassignment made on the hub reach it through the
// changes feed as notices, in the store and to listeners, once each; other
// devices' tasks are passed over; the cursor survives a restart.
func TestPullerFollowsCachedTasks(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := openCache(t)
	client := api.NewClient(h.URL(), nil).WithToken(h.Register(synctest.Device))
	cache := puller.NewWorkCache(client, store)
	ctx := context.Background()
	mine, err := cache.ClaimTask(ctx, "u1001")
	require.NoError(t, err)
	also, err := cache.ClaimTask(ctx, "u1002")
	require.NoError(t, err)
	other, err := h.Store.Claim(t.Context(), "u1003") // another device's
	require.NoError(t, err)
	cached, found, err := store.CachedClaim(mine.Task.ID)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, mine, cached)
	assert.NotEmpty(t, cached.Items)
	assert.NotEmpty(t, cached.Locations)

	p := puller.NewPuller(store, client, puller.PullerConfig{Interval: time.Hour, Page: 1}, synctest.Quiet())
	heard := make(chan puller.Notice, 10)
	p.OnNotice(func(n puller.Notice) { heard <- n })
	runPuller := func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	runPuller()

	_, err = h.Admin().CancelOrder(ctx, mine.Order.ID, "customer called")
	require.NoError(t, err)
	_, err = h.Admin().ReassignTask(ctx, also.Task.ID, "u1003")
	require.NoError(t, err)
	_, err = h.Admin().CancelOrder(ctx, other.Order.ID, "not ours")
	require.NoError(t, err)
	_, err = h.Admin().SetOrderPriority(ctx, also.Order.ID, 42)
	require.NoError(t, err)
	p.Kick()

	got := map[string]puller.Notice{}
	for len(got) < 2 {
		select {
		case n := <-heard:
			got[n.TaskID] = n
		case <-time.After(10 * time.Second):
			t.Fatalf("notices never came; got %v", got)
		}
	}
	assert.Equal(t, api.ChangeOrderCancelled, got[mine.Task.ID].Kind)
	assert.Equal(t, "u1001", got[mine.Task.ID].PreviousUserID)
	assert.Contains(t, got[mine.Task.ID].Advice().Reason, "customer called")
	assert.Contains(t, got[mine.Task.ID].Advice().Action, "tote")
	assert.Equal(t, api.ChangeTaskReassigned, got[also.Task.ID].Kind)
	assert.Equal(t, "u1003", got[also.Task.ID].UserID)
	assert.Equal(t, "Task reassigned", got[also.Task.ID].Advice().Reason)

	n, found, err := store.TaskNotice(mine.Task.ID)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, got[mine.Task.ID], n)
	_, found, err = store.TaskNotice(other.Task.ID)
	require.NoError(t, err)
	assert.False(t, found, "not this synctest.Device's task")
	c, _, err := store.CachedClaim(also.Task.ID)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		c, _, err = store.CachedClaim(also.Task.ID)
		return err == nil && c.Order.Priority == 42
	}, 10*time.Second, 5*time.Millisecond, "priority change reaches the cache")
	c, _, err = store.CachedClaim(mine.Task.ID)
	require.NoError(t, err)
	assert.Equal(t, domain.TaskCancelled, c.Task.Status)

	// Pulling again finds nothing new; the cursor is at the end of the feed.
	fresh, err := p.Pull(ctx)
	require.NoError(t, err)
	assert.Empty(t, fresh)
	cursor, err := store.ChangesCursor()
	require.NoError(t, err)
	assert.Equal(t, uint64(4), cursor)

	require.NoError(t, store.DismissNotice(mine.Task.ID))
	ns, err := store.Notices()
	require.NoError(t, err)
	require.Len(t, ns, 1)
	assert.Equal(t, also.Task.ID, ns[0].TaskID)
	require.NoError(t, store.ForgetTask(also.Task.ID))
	ns, err = store.Notices()
	require.NoError(t, err)
	assert.Empty(t, ns)
}

// TestCacheTakesOverTheOldCursor: a store written before the sync engine was
// split kept the feed's cursor in its meta bucket; the cache carries on from
// it instead of reading the whole feed again.
func TestCacheTakesOverTheOldCursor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	s, err := outbox.Open(path, synctest.Device, outbox.Options{})
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.DB().Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("changes_cursor"), binary.BigEndian.AppendUint64(nil, 17))
	}))
	c, err := puller.NewCache(s)
	require.NoError(t, err)
	cursor, err := c.ChangesCursor()
	require.NoError(t, err)
	assert.Equal(t, uint64(17), cursor)
	_, err = c.ApplyChanges(api.ChangesResponse{Cursor: 18})
	require.NoError(t, err)
	c, err = puller.NewCache(s) // opened again: the old key is gone, the new cursor stays
	require.NoError(t, err)
	cursor, err = c.ChangesCursor()
	require.NoError(t, err)
	assert.Equal(t, uint64(18), cursor)
}

// TestOnNoticeUnsubscribe: each session listening hears a notice; one that
// unsubscribed hears none.
func TestOnNoticeUnsubscribe(t *testing.T) {
	h := hubtest.StartDemo(t)
	cache := openCache(t)
	client := api.NewClient(h.URL(), nil).WithToken(h.Register(synctest.Device))
	ctx := context.Background()
	claim, err := puller.NewWorkCache(client, cache).ClaimTask(ctx, "u1001")
	require.NoError(t, err)
	p := puller.NewPuller(cache, client, puller.PullerConfig{Interval: time.Hour}, synctest.Quiet())
	var stayed, left []puller.Notice
	p.OnNotice(func(n puller.Notice) { stayed = append(stayed, n) })
	unsubscribe := p.OnNotice(func(n puller.Notice) { left = append(left, n) })
	unsubscribe()
	_, err = h.Admin().CancelOrder(ctx, claim.Order.ID, "customer called")
	require.NoError(t, err)
	fresh, err := p.Pull(ctx)
	require.NoError(t, err)
	require.Len(t, fresh, 1)
	assert.Equal(t, fresh, stayed)
	assert.Empty(t, left)
}
