package reliability

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/internal/netfault"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// chaosDevice is one device of the chaos tests: its store, its sender, and
// every event it queued.
type chaosDevice struct {
	id     string
	store  *outbox.Store
	sender *sender.Sender
	task   domain.Task
	user   string
	queued []domain.Event
}

// chaosFaults are the faults devices meet on their way to the hub.
func chaosFaults() netfault.Faults {
	return netfault.Faults{Reset: 0.08, BlackHole: 0.04, LoseResponse: 0.12, Latency: time.Millisecond, Jitter: 4 * time.Millisecond}
}

// TestNetworkChaos: devices work and sync at the same time through a proxy
// that delays, resets, black-holes, loses responses after the hub applied
// the batch, answers bursts of 503, while the hub itself restarts. Nothing
// is lost, nothing applied twice, each device's order is kept, and once the
// faults stop the queues drain within twice the backoff cap.
func TestNetworkChaos(t *testing.T) {
	devices := 5
	perDevice := scale(200, 2000)
	backoffCap := 2 * time.Second
	h := hubtest.Start(t, bigSite(t, devices))
	hubAddr := func() string { u, _ := url.Parse(h.URL()); return u.Host }
	proxy, err := netfault.Listen(hubAddr())
	require.NoError(t, err)
	t.Cleanup(func() { proxy.Close() })
	devs := startDevices(t, h, "gun-chaos", devices, proxy.Addr(), backoffCap, time.Second)

	chaos := chaosFaults()
	proxy.SetFaults(chaos)
	work := startPicking(t, devs, perDevice)

	// Meanwhile, in each cycle: a burst of 503s, then the hub restarts (a new
	// port, the same database).
	cycles := scale(1, 3)
	step := perDevice / (2*cycles + 2)
	for c := range cycles {
		waitDelivered(t, h, devs, (2*c+1)*step)
		proxy.SetFaults(netfault.Faults{Unavailable: 0.9, Latency: time.Millisecond})
		bursts := proxy.Counts().Unavailable
		waitCount(t, func() bool { return proxy.Counts().Unavailable >= bursts+10 }, "a burst of 503s")
		proxy.SetFaults(chaos)
		waitDelivered(t, h, devs, (2*c+2)*step)
		h.Restart()
		proxy.SetTarget(hubAddr())
	}
	work.Wait()
	faults := healAndCheck(t, h, proxy, devs, perDevice, backoffCap)
	assert.Positive(t, faults.Unavailable)
}

// startDevices enrols n devices (prefix-0, prefix-1, ...) on h, claims a
// task for each one's picker (p00, p01, ...: see bigSite), and starts each
// one's sender towards the hub at addr (a fault proxy), giving up on a
// request after timeout. The senders stop when t ends.
func startDevices(t *testing.T, h *hubtest.Hub, prefix string, n int, addr string, backoffCap, timeout time.Duration) []*chaosDevice {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	t.Cleanup(func() { cancel(); running.Wait() })
	hc := &http.Client{Timeout: 2 * timeout, Transport: &http.Transport{DisableKeepAlives: true}}
	devs := make([]*chaosDevice, n)
	for i := range devs {
		d := &chaosDevice{id: fmt.Sprintf("%s-%d", prefix, i), user: fmt.Sprintf("p%02d", i)}
		d.task = claimFor(t, h, d.user)
		d.store = openDevice(t, filepath.Join(t.TempDir(), "device.db"), d.id)
		t.Cleanup(func() { d.store.Close() })
		client := api.NewClient("http://"+addr, hc).WithToken(h.Register(d.id))
		d.sender = sender.NewSender(d.store, client, sender.SenderConfig{
			BatchEvents: 10, Backoff: sender.Backoff{Base: 20 * time.Millisecond, Max: backoffCap},
			Probe: 50 * time.Millisecond, OfflineProbe: 50 * time.Millisecond, Timeout: timeout,
		}, quiet())
		running.Add(1)
		go func() { defer running.Done(); d.sender.Run(ctx) }()
		devs[i] = d
	}
	return devs
}

// startPicking starts every device's picker: steps of one to three events,
// as fast as the store takes them, until n more are queued. Wait on the
// group it returns.
func startPicking(t *testing.T, devs []*chaosDevice, n int) *sync.WaitGroup {
	var work sync.WaitGroup
	for _, d := range devs {
		work.Add(1)
		upTo := len(d.queued) + n
		go func() {
			defer work.Done()
			for len(d.queued) < upTo {
				n := min(1+len(d.queued)%3, upTo-len(d.queued))
				drafts := make([]domain.Draft, n)
				for i := range drafts {
					drafts[i] = onePick(d.task, d.user)
				}
				evs, err := d.store.Commit("", nil, drafts)
				if err != nil {
					t.Errorf("%s: commit: %v", d.id, err)
					return
				}
				d.queued = append(d.queued, evs...)
				d.sender.Kick()
			}
		}()
	}
	return &work
}

// healAndCheck waits until the devices' traffic has met every kind of
// fault, stops the faults, and checks that the queues drain within twice
// the backoff cap and that the hub took every device's events exactly
// once, in order, each pick applied once, none rejected. It returns the
// faults injected.
func healAndCheck(t *testing.T, h *hubtest.Hub, proxy *netfault.Proxy, devs []*chaosDevice, perDevice int, backoffCap time.Duration) netfault.Counts {
	t.Helper()
	waitCount(t, func() bool { // the senders' batches and health checks keep meeting faults
		c := proxy.Counts()
		return c.Resets >= 3 && c.BlackHoles >= 3 && c.LostResponses >= 3
	}, "every kind of fault hit")

	faults := proxy.Counts()
	proxy.Heal()
	for _, d := range devs {
		d.sender.Kick() // as the network coming back would
	}
	waitCount(t, func() bool {
		for _, d := range devs {
			if st := d.sender.Status(); st.Queued != 0 {
				return false
			}
		}
		return true
	}, "the queues drain within twice the backoff cap", 2*backoffCap)

	for _, d := range devs {
		require.Len(t, d.queued, perDevice)
		requireExactlyOnceInOrder(t, h.Store, d.id, d.queued)
		got, err := h.Store.Task(t.Context(), d.task.ID)
		require.NoError(t, err)
		assert.Equal(t, perDevice, got.Lines[0].Picked, "%s: each pick applied once", d.id)
		rej, err := d.store.Attention()
		require.NoError(t, err)
		assert.Empty(t, rej)
	}
	t.Logf("faults injected: %+v", faults)
	assert.Positive(t, faults.Resets)
	assert.Positive(t, faults.BlackHoles)
	assert.Positive(t, faults.LostResponses)
	return faults
}

// waitDelivered waits until the hub has taken at least n events from every
// device. It looks every 50 ms: each look reads every device's log, which
// on PostgreSQL would otherwise take CPU from the hubs it watches.
func waitDelivered(t *testing.T, h *hubtest.Hub, devs []*chaosDevice, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, d := range devs {
			last, err := h.Store.LastSeq(t.Context(), d.id)
			if err != nil || last < uint64(n) {
				return false
			}
		}
		return true
	}, 2*time.Minute, 50*time.Millisecond, "%d events from each device reach the hub", n)
}

// waitCount waits for cond, by default up to two minutes.
func waitCount(t *testing.T, cond func() bool, what string, limit ...time.Duration) {
	t.Helper()
	d := 2 * time.Minute
	if len(limit) > 0 {
		d = limit[0]
	}
	require.Eventually(t, cond, d, 5*time.Millisecond, what)
}
