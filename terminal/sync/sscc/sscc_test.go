package sscc_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/demo"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sscc"
)

// newSSCCs is dev's allocator over the store at path, against the hub at url.
func newSSCCs(t *testing.T, store *outbox.Store, url, token string, cfg sscc.SSCCConfig) *sscc.SSCCs {
	s := sscc.NewSSCCs(store, api.NewClient(url, nil).WithToken(token), cfg, synctest.Quiet())
	t.Cleanup(s.Close)
	return s
}

func openStoreAt(t *testing.T, path, dev string) *outbox.Store {
	s, err := outbox.Open(path, dev, outbox.Options{})
	require.NoError(t, err)
	return s
}

func takeSSCCs(t *testing.T, s *sscc.SSCCs, n int, seen map[string]string, who string) {
	t.Helper()
	for range n {
		sscc, err := s.NextSSCC()
		require.NoError(t, err)
		require.Len(t, sscc, 18)
		require.True(t, barcode.ValidCheckDigit(sscc), sscc)
		require.Equal(t, "10614141", sscc[:8], "extension 1, prefix 0614141")
		prev, dup := seen[sscc]
		require.False(t, dup, "%s handed out %s, already handed out by %s", who, sscc, prev)
		seen[sscc] = who
	}
}

// TestSSCCsUniqueAcrossDevicesAndCrash: two devices draw SSCCs in turn,
// across several blocks each; one device's file is closed and opened again
// (as after a crash) in the middle. No SSCC comes twice, and each lies in a
// block the hub recorded for the device that used it.
func TestSSCCsUniqueAcrossDevicesAndCrash(t *testing.T) {
	h := hubtest.StartDemo(t)
	cfg := sscc.SSCCConfig{BlockSize: 5, LowWater: 2}
	pathA := filepath.Join(t.TempDir(), "a.db")
	storeA := openStoreAt(t, pathA, "pack-a")
	tokenA := h.Register("pack-a")
	a := newSSCCs(t, storeA, h.URL(), tokenA, cfg)
	storeB := synctest.OpenStore(t)
	b := newSSCCs(t, storeB, h.URL(), h.Register(synctest.Device), cfg)
	seen := map[string]string{}
	for range 4 {
		takeSSCCs(t, a, 3, seen, "pack-a")
		takeSSCCs(t, b, 3, seen, synctest.Device)
	}

	a.Close() // the device goes down: its background refill ends
	require.NoError(t, storeA.Close())
	storeA = openStoreAt(t, pathA, "pack-a")
	t.Cleanup(func() { storeA.Close() })
	a = newSSCCs(t, storeA, h.URL(), tokenA, cfg)
	for range 3 {
		takeSSCCs(t, a, 3, seen, "pack-a after restart")
		takeSSCCs(t, b, 3, seen, synctest.Device)
	}
	assert.Len(t, seen, 42)

	blocks, err := h.Client().WithToken(tokenA).SSCCBlocks(context.Background())
	require.NoError(t, err)
	for sscc, who := range seen {
		var owner string
		for _, bl := range blocks {
			for i := range bl.Count {
				if s, _ := bl.SSCC(i); s == sscc {
					owner = bl.DeviceID
				}
			}
		}
		require.NotEmpty(t, owner, "%s used by %s is in no block", sscc, who)
		assert.Contains(t, who, owner, "%s used by %s lies in a block of %q", sscc, who, owner)
	}
}

// TestSSCCsRefillAtLowWater: falling under the low-water mark fetches the
// next block in the background; Refill with enough on hand asks nothing.
func TestSSCCsRefillAtLowWater(t *testing.T) {
	h := hubtest.StartDemo(t)
	token := h.Register(synctest.Device)
	s := newSSCCs(t, synctest.OpenStore(t), h.URL(), token, sscc.SSCCConfig{BlockSize: 4, LowWater: 2})
	ctx := context.Background()
	require.NoError(t, s.Refill(ctx))
	require.NoError(t, s.Refill(ctx), "enough on hand: nothing to fetch")
	blocks := func() int {
		bl, err := h.Client().WithToken(token).SSCCBlocks(ctx)
		require.NoError(t, err)
		return len(bl)
	}
	require.Equal(t, 1, blocks())
	seen := map[string]string{}
	takeSSCCs(t, s, 2, seen, synctest.Device)
	n, err := s.Remaining()
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, 1, blocks(), "at the low-water mark, not under it")
	takeSSCCs(t, s, 1, seen, synctest.Device)
	require.Eventually(t, func() bool { n, err := s.Remaining(); return err == nil && n == 5 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, 2, blocks())
	takeSSCCs(t, s, 5, seen, synctest.Device)
}

// TestSSCCsExhaustedOffline: with every SSCC used and the hub down,
// NextSSCC says so with ErrNoSSCC; when the hub is back it works again.
func TestSSCCsExhaustedOffline(t *testing.T) {
	site, err := demodata.Site()
	require.NoError(t, err)
	h, err := demo.StartHub(filepath.Join(t.TempDir(), "hub.db"), site, synctest.Quiet())
	require.NoError(t, err)
	t.Cleanup(func() { h.Stop() })
	reg, err := h.Store().Register(t.Context(), api.RegisterRequest{DeviceID: synctest.Device, EnrollKey: site.EnrollKey})
	require.NoError(t, err)
	s := newSSCCs(t, synctest.OpenStore(t), h.URL(), reg.Token, sscc.SSCCConfig{BlockSize: 3, LowWater: 1, Timeout: time.Second})
	require.NoError(t, s.Refill(context.Background()))
	require.NoError(t, h.Stop())

	seen := map[string]string{}
	takeSSCCs(t, s, 3, seen, synctest.Device) // the last one tries a background refill, in vain
	_, err = s.NextSSCC()
	require.ErrorIs(t, err, sscc.ErrNoSSCC)
	assert.Contains(t, err.Error(), "reserve SSCC block")

	require.NoError(t, h.Start())
	takeSSCCs(t, s, 4, seen, synctest.Device)
}

// BenchmarkNextSSCC: one SSCC, marked used on disk (one bbolt commit)
// before it is returned; the hub is asked once per 10,000.
func BenchmarkNextSSCC(b *testing.B) {
	h := hubtest.StartDemo(b)
	store, err := outbox.Open(filepath.Join(b.TempDir(), "device.db"), synctest.Device, outbox.Options{})
	require.NoError(b, err)
	defer store.Close()
	s := sscc.NewSSCCs(store, api.NewClient(h.URL(), nil).WithToken(h.Register(synctest.Device)), sscc.SSCCConfig{BlockSize: api.MaxSSCCBlock}, synctest.Quiet())
	defer s.Close()
	require.NoError(b, s.Refill(context.Background()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.NextSSCC(); err != nil {
			b.Fatal(err)
		}
	}
}
