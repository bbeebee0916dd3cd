package sender_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// queueOne commits one event and kicks s, which recounts the queue and
// tells the listeners at once.
func queueOne(t *testing.T, store interface {
	Commit(string, any, []domain.Draft) ([]domain.Event, error)
}, s *sender.Sender) {
	t.Helper()
	_, err := store.Commit("", nil, pickDrafts(domain.Task{ID: "T-1", Lines: []domain.TaskLine{{Line: 1, SKU: "A", Qty: 1}}}, "u1")[:1])
	require.NoError(t, err)
	s.Kick()
}

// TestOnChangeManyListenersUnsubscribe: every session's listener hears a
// change; one that unsubscribed hears nothing more.
func TestOnChangeManyListenersUnsubscribe(t *testing.T) {
	store := synctest.OpenStore(t)
	s := sender.NewSender(store, api.NewClient("http://127.0.0.1:1", nil), sender.SenderConfig{}, synctest.Quiet())
	var a, b, c atomic.Int32
	unA := s.OnChange(func() { a.Add(1) })
	s.OnChange(func() { b.Add(1) })
	unC := s.OnChange(func() { c.Add(1) })
	queueOne(t, store, s)
	assert.Equal(t, [3]int32{1, 1, 1}, [3]int32{a.Load(), b.Load(), c.Load()})
	unA()
	unA() // twice is harmless
	queueOne(t, store, s)
	unC()
	queueOne(t, store, s)
	assert.Equal(t, [3]int32{1, 3, 2}, [3]int32{a.Load(), b.Load(), c.Load()})
	assert.Equal(t, 3, s.Status().Queued)
}

// TestOnChangeConcurrentSubscribe: sessions come and go on many goroutines
// while the queue changes; none hears a change after it unsubscribed.
func TestOnChangeConcurrentSubscribe(t *testing.T) {
	store := synctest.OpenStore(t)
	s := sender.NewSender(store, api.NewClient("http://127.0.0.1:1", nil), sender.SenderConfig{}, synctest.Quiet())
	stop := make(chan struct{})
	var changer sync.WaitGroup
	changer.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				queueOne(t, store, s)
			}
		}
	})
	var late atomic.Int32
	var sessions sync.WaitGroup
	for range 6 {
		sessions.Go(func() {
			for range 10 {
				var gone atomic.Bool
				heard := make(chan struct{}, 1)
				unsubscribe := s.OnChange(func() {
					if gone.Load() {
						late.Add(1)
					}
					select {
					case heard <- struct{}{}:
					default:
					}
				})
				select {
				case <-heard:
				case <-time.After(10 * time.Second):
					t.Error("a listener never heard a change")
					return
				}
				unsubscribe()
				gone.Store(true)
			}
		})
	}
	sessions.Wait()
	close(stop)
	changer.Wait()
	assert.Zero(t, late.Load(), "listeners called after unsubscribing")
}
