package listeners

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestManyListenersAndRemove(t *testing.T) {
	var l List[int]
	var a, b []int
	removeA := l.Add(func(v int) { a = append(a, v) })
	removeB := l.Add(func(v int) { b = append(b, v) })
	l.Notify(1)
	removeA()
	l.Notify(2)
	removeA() // twice is fine
	removeB()
	l.Notify(3)
	assert.Equal(t, []int{1}, a)
	assert.Equal(t, []int{1, 2}, b)
	assert.Zero(t, l.Len())
}

// TestRemoveWaitsForACallUnderWay: once remove returns, the listener is not
// running, even when it was called just before.
func TestRemoveWaitsForACallUnderWay(t *testing.T) {
	var l List[int]
	entered, release := make(chan struct{}), make(chan struct{})
	var running atomic.Bool
	remove := l.Add(func(int) {
		running.Store(true)
		close(entered)
		<-release
		running.Store(false)
	})
	go l.Notify(1)
	<-entered
	removed := make(chan struct{})
	go func() { remove(); close(removed) }()
	select {
	case <-removed:
		t.Fatal("remove returned while the listener was running")
	case <-time.After(20 * time.Millisecond): // remove must still be waiting
	}
	close(release)
	select {
	case <-removed:
	case <-time.After(10 * time.Second):
		t.Fatal("remove never returned")
	}
	assert.False(t, running.Load())
}

// TestConcurrentAddRemoveNotify: listeners come and go on many goroutines
// while news is sent; none is called after its remove returned.
func TestConcurrentAddRemoveNotify(t *testing.T) {
	var l List[int]
	stop := make(chan struct{})
	var notifier sync.WaitGroup
	notifier.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				l.Notify(i)
			}
		}
	})
	var late atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				var gone atomic.Bool
				called := make(chan struct{}, 1)
				remove := l.Add(func(int) {
					if gone.Load() {
						late.Add(1)
					}
					select {
					case called <- struct{}{}:
					default:
					}
				})
				<-called // called at least once
				remove()
				gone.Store(true)
			}
		})
	}
	wg.Wait()
	close(stop)
	notifier.Wait()
	require.Zero(t, late.Load(), "listeners called after their remove returned")
	assert.Zero(t, l.Len())
}
