package hub_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSSCCBlocksNeverOverlap: two devices reserving at once get blocks
// that tile the serial references without a gap or an overlap, recorded
// with their device, and still so after the hub restarts.
func TestSSCCBlocksNeverOverlap(t *testing.T) {
	f := newFixture(t, demoSite(t))
	cx := ctx(t)
	clients := map[string]*api.Client{testDevice: f.client, "gun-02": f.anon.WithToken(f.Register("gun-02"))}
	var mu sync.Mutex
	got := map[uint64]string{} // first -> device
	var blocks []api.SSCCBlock
	var wg sync.WaitGroup
	for dev, c := range clients {
		wg.Go(func() {
			for i := range 10 {
				b, err := c.ReserveSSCCs(cx, 1+i*7)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, 1+i*7, b.Count)
				mu.Lock()
				got[b.First] = dev
				blocks = append(blocks, b)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(blocks, func(a, b api.SSCCBlock) int { return int(a.First) - int(b.First) })
	next := uint64(1)
	for _, b := range blocks {
		assert.Equal(t, next, b.First, "blocks tile the serial references")
		assert.Equal(t, "0614141", b.CompanyPrefix)
		assert.Equal(t, "1", b.Extension)
		next = b.First + uint64(b.Count)
	}
	recorded, err := f.client.SSCCBlocks(cx)
	require.NoError(t, err)
	require.Len(t, recorded, len(blocks))
	for i, r := range recorded {
		assert.Equal(t, blocks[i], r.SSCCBlock)
		assert.Equal(t, got[r.First], r.DeviceID)
		assert.False(t, r.ReservedAt.IsZero())
	}

	f.reopen()
	b, err := f.client.ReserveSSCCs(ctx(t), api.MaxSSCCBlock+5)
	require.NoError(t, err)
	assert.Equal(t, next, b.First, "the counter survives a restart")
	assert.Equal(t, api.MaxSSCCBlock, b.Count, "a block is at most MaxSSCCBlock")
	s, err := b.SSCC(0)
	require.NoError(t, err)
	assert.Len(t, s, 18)
	assert.Regexp(t, `^10614141`, s)

	_, err = f.client.ReserveSSCCs(ctx(t), 0)
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)
	_, err = f.anon.ReserveSSCCs(ctx(t), 1)
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
}

func TestSSCCBlockSSCC(t *testing.T) {
	// GS1's worked example (00) 106141411234567897: extension 1, prefix
	// 0614141, 9-digit serial reference 123456789, check digit 7.
	b := api.SSCCBlock{Extension: "1", CompanyPrefix: "0614141", First: 123456789, Count: 2}
	s, err := b.SSCC(0)
	require.NoError(t, err)
	assert.Equal(t, "106141411234567897", s)
	s, err = b.SSCC(1)
	require.NoError(t, err)
	assert.Equal(t, "106141411234567903", s)
	_, err = b.SSCC(2)
	assert.Error(t, err)
	_, err = api.SSCCBlock{Extension: "1", CompanyPrefix: "0614141", First: 1e9, Count: 1}.SSCC(0)
	assert.Error(t, err, "serial reference too long for the prefix")
}

// TestSSCCBlocksExhausted: a 10-digit prefix leaves 6 digits, 999,999
// serial references; then the hub says so.
func TestSSCCBlocksExhausted(t *testing.T) {
	site := demoSite(t)
	site.GS1CompanyPrefix = "0614141999"
	f := newFixture(t, site)
	total := 0
	for total < 999999 {
		b, err := f.store.ReserveSSCCs(t.Context(), testDevice, api.MaxSSCCBlock, time.Now())
		require.NoError(t, err)
		total += b.Count
	}
	assert.Equal(t, 999999, total)
	_, err := f.client.ReserveSSCCs(ctx(t), 1)
	requireAPIError(t, err, http.StatusConflict, api.CodeSSCCExhausted)
}

func TestSSCCConfig(t *testing.T) {
	site := demoSite(t)
	site.GS1CompanyPrefix, site.SSCCExtension = "", ""
	f := newFixture(t, site)
	_, err := f.client.ReserveSSCCs(ctx(t), 1)
	requireAPIError(t, err, http.StatusConflict, api.CodeNotConfigured)

	for _, bad := range [][2]string{{"061414", "1"}, {"06141412345", "1"}, {"06141x1", "1"}, {"0614141", "12"}, {"0614141", ""}} {
		site.GS1CompanyPrefix, site.SSCCExtension = bad[0], bad[1]
		err := hubtest.NewStore(t).Seed(t.Context(), site)
		want := "gs1_company_prefix"
		if bad[0] == "0614141" {
			want = "sscc_extension"
		}
		assert.ErrorContains(t, err, want, bad)
	}
}
