package puller

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// The puller's buckets in the device store. They hold nothing that must
// change in one transaction with the outbox: a claim is cached, and a notice
// left or cleared, on its own.
var (
	bucketTasks   = []byte("tasks")   // task id -> api.ClaimResponse JSON
	bucketNotices = []byte("notices") // task id -> Notice JSON
	bucketFeed    = []byte("changes") // keyCursor -> the feed's cursor

	keyCursor = []byte("cursor")

	// Before the sync engine was split, the cursor lived in the store's meta
	// bucket; NewCache carries it over once.
	legacyMeta, legacyCursor = []byte("meta"), []byte("changes_cursor")
)

// Cache is the work cache: each task this device was given, with its order,
// items and locations, so it can be picked offline; the notices the changes
// feed brought about those tasks (cancelled, reassigned) until a person has
// seen them; and the feed's cursor. It keeps its own buckets in the device
// store's file and is safe for concurrent use.
type Cache struct {
	db *bolt.DB
}

// NewCache opens the work cache in store's file, making its buckets when
// they are missing.
func NewCache(store *outbox.Store) (*Cache, error) {
	db := store.DB()
	err := db.Update(func(tx *bolt.Tx) error {
		for _, n := range [][]byte{bucketTasks, bucketNotices, bucketFeed} {
			if _, err := tx.CreateBucketIfNotExists(n); err != nil {
				return err
			}
		}
		feed, meta := tx.Bucket(bucketFeed), tx.Bucket(legacyMeta)
		if old := meta.Get(legacyCursor); old != nil && feed.Get(keyCursor) == nil {
			if err := feed.Put(keyCursor, old); err != nil {
				return err
			}
			return meta.Delete(legacyCursor)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open work cache: %w", err)
	}
	return &Cache{db: db}, nil
}

// Notice tells the device that a task it holds changed on the hub.
type Notice struct {
	Kind           string    `json:"kind"` // api.ChangeOrderCancelled, api.ChangeTaskReassigned
	TaskID         string    `json:"task_id"`
	OrderID        string    `json:"order_id"`
	UserID         string    `json:"user_id,omitempty"`          // the task's holder now
	PreviousUserID string    `json:"previous_user_id,omitempty"` // its holder on this device
	Reason         string    `json:"reason,omitempty"`
	At             time.Time `json:"at"`
}

// Advice is what the picker is told to do.
func (n Notice) Advice() outbox.Advice {
	if n.Kind == api.ChangeTaskReassigned {
		return outbox.AdviceFor(api.CodeTaskNotHeld)
	}
	a := outbox.AdviceFor(api.CodeOrderCancelled)
	if n.Reason != "" {
		a.Reason += ": " + n.Reason
	}
	return a
}

// CacheClaim keeps a task handed to this device, with what is needed to
// pick it offline. A notice left about the task is cleared.
func (k *Cache) CacheClaim(c api.ClaimResponse) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return k.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketNotices).Delete([]byte(c.Task.ID)); err != nil {
			return err
		}
		return tx.Bucket(bucketTasks).Put([]byte(c.Task.ID), raw)
	})
}

// CachedClaim returns a cached task with its order, items and locations, as
// the changes feed last left them.
func (k *Cache) CachedClaim(taskID string) (c api.ClaimResponse, found bool, err error) {
	found, err = kv.Get(k.db, bucketTasks, taskID, &c)
	return c, found, err
}

// ForgetTask drops a finished task from the cache, with any notice about it.
func (k *Cache) ForgetTask(taskID string) error {
	return k.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketNotices).Delete([]byte(taskID)); err != nil {
			return err
		}
		return tx.Bucket(bucketTasks).Delete([]byte(taskID))
	})
}

// TaskNotice returns the notice waiting about a task: "the order of task X
// was cancelled", "task X was reassigned". It survives restarts until
// DismissNotice.
func (k *Cache) TaskNotice(taskID string) (n Notice, found bool, err error) {
	found, err = kv.Get(k.db, bucketNotices, taskID, &n)
	return n, found, err
}

// Notices lists every notice waiting, by task id.
func (k *Cache) Notices() ([]Notice, error) {
	var out []Notice
	err := k.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketNotices).ForEach(func(_, v []byte) error {
			var n Notice
			if err := json.Unmarshal(v, &n); err != nil {
				return err
			}
			out = append(out, n)
			return nil
		})
	})
	return out, err
}

// DismissNotice clears the notice about a task once the picker has seen it.
func (k *Cache) DismissNotice(taskID string) error {
	return k.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketNotices).Delete([]byte(taskID)) })
}

// ChangesCursor is the last change of the hub's feed this device has applied.
func (k *Cache) ChangesCursor() (uint64, error) {
	var c uint64
	err := k.db.View(func(tx *bolt.Tx) error {
		c = kv.Seq(tx.Bucket(bucketFeed).Get(keyCursor))
		return nil
	})
	return c, err
}

// ApplyChanges brings cached tasks up to date with a page of the hub's
// changes feed and moves the cursor, in one transaction. It returns the new
// notices: a cached task that was cancelled or taken away. Changes to tasks
// this device does not hold, and changes the cache already reflects, are
// passed over.
func (k *Cache) ApplyChanges(page api.ChangesResponse) ([]Notice, error) {
	var fresh []Notice
	err := k.db.Update(func(tx *bolt.Tx) error {
		fresh = fresh[:0]
		tasks, notices := tx.Bucket(bucketTasks), tx.Bucket(bucketNotices)
		for _, ch := range page.Changes {
			raw := tasks.Get([]byte(ch.TaskID))
			if raw == nil {
				continue
			}
			var c api.ClaimResponse
			if err := json.Unmarshal(raw, &c); err != nil {
				return fmt.Errorf("cached task %s: %w", ch.TaskID, err)
			}
			n, changed := applyChange(&c, ch)
			if !changed {
				continue
			}
			if err := kv.Put(tasks, []byte(ch.TaskID), c); err != nil {
				return err
			}
			if ch.Kind == api.ChangeTaskReassigned && gaveBack(notices.Get([]byte(ch.TaskID)), ch.UserID) {
				// Given back to the picker it was taken from: nothing to tell any more.
				if err := notices.Delete([]byte(ch.TaskID)); err != nil {
					return err
				}
				continue
			}
			if n != nil {
				if err := kv.Put(notices, []byte(ch.TaskID), *n); err != nil {
					return err
				}
				fresh = append(fresh, *n)
			}
		}
		return tx.Bucket(bucketFeed).Put(keyCursor, kv.SeqKey(page.Cursor))
	})
	if err != nil {
		return nil, fmt.Errorf("apply changes: %w", err)
	}
	return fresh, nil
}

// applyChange updates a cached claim; it returns a notice for the picker
// when the change takes the task away.
func applyChange(c *api.ClaimResponse, ch api.Change) (*Notice, bool) {
	n := &Notice{Kind: ch.Kind, TaskID: ch.TaskID, OrderID: ch.OrderID, UserID: ch.UserID, Reason: ch.Reason, At: ch.At}
	switch ch.Kind {
	case api.ChangeOrderCancelled:
		if c.Task.Status == domain.TaskCancelled {
			return nil, false
		}
		n.PreviousUserID = c.Task.UserID
		c.Task.Status, c.Order.Status = domain.TaskCancelled, domain.OrderCancelled
		return n, true
	case api.ChangeTaskReassigned:
		if c.Task.UserID == ch.UserID {
			return nil, false
		}
		n.PreviousUserID = c.Task.UserID
		c.Task.UserID = ch.UserID
		return n, true
	case api.ChangePriorityChanged:
		if c.Order.Priority == ch.Priority {
			return nil, false
		}
		c.Order.Priority = ch.Priority
		return nil, true
	}
	return nil, false
}

// gaveBack reports whether a waiting reassignment notice was about taking
// the task from user.
func gaveBack(notice []byte, user string) bool {
	var n Notice
	return notice != nil && json.Unmarshal(notice, &n) == nil && n.Kind == api.ChangeTaskReassigned && n.PreviousUserID == user
}

// Claimer is the part of the hub a session calls directly.
type Claimer interface {
	Login(ctx context.Context, badge string) (domain.User, error)
	ClaimTask(ctx context.Context, userID string) (api.ClaimResponse, error)
	ClaimCluster(ctx context.Context, userID string) (api.ClusterResponse, error)
}

// WorkCache is a Claimer that keeps every task the hub hands out in the
// Cache (CacheClaim), so the Puller can follow it. Give it to the session
// in place of the hub client.
type WorkCache struct {
	hub   Claimer
	cache *Cache
}

// NewWorkCache wraps hub.
func NewWorkCache(hub Claimer, cache *Cache) *WorkCache { return &WorkCache{hub: hub, cache: cache} }

// Login asks the hub.
func (w *WorkCache) Login(ctx context.Context, badge string) (domain.User, error) {
	return w.hub.Login(ctx, badge)
}

// ClaimTask asks the hub and caches the answer.
func (w *WorkCache) ClaimTask(ctx context.Context, userID string) (api.ClaimResponse, error) {
	c, err := w.hub.ClaimTask(ctx, userID)
	if err != nil {
		return c, err
	}
	if err := w.cache.CacheClaim(c); err != nil {
		return c, fmt.Errorf("cache task %s: %w", c.Task.ID, err)
	}
	return c, nil
}

// ClaimCluster asks the hub for a cluster of small tasks and caches each of
// them, so the Puller follows every order on the cart.
func (w *WorkCache) ClaimCluster(ctx context.Context, userID string) (api.ClusterResponse, error) {
	cl, err := w.hub.ClaimCluster(ctx, userID)
	if err != nil {
		return cl, err
	}
	for _, c := range cl.Tasks {
		if err := w.cache.CacheClaim(c); err != nil {
			return cl, fmt.Errorf("cache task %s of cluster %s: %w", c.Task.ID, cl.ID, err)
		}
	}
	return cl, nil
}
