package demodata

import (
	"testing"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStockQuantities(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	held := map[string]int{}
	for _, q := range s.Quantities {
		held[q.SKU] += q.Qty
	}
	for sku := range s.Stock {
		assert.Positive(t, held[sku], "%s has stock at its pick location", sku)
	}
	demand := map[string]int{}
	for _, o := range s.Orders {
		for _, l := range o.Lines {
			demand[l.SKU] += l.Qty
		}
	}
	for sku, n := range demand {
		assert.GreaterOrEqual(t, held[sku], n, "%s: the open orders can be picked", sku)
	}
	require.NotNil(t, s.CountPolicy)
	assert.Equal(t, domain.DefaultCountPolicy(), *s.CountPolicy)
}

func TestRMAs(t *testing.T) {
	s, err := Site()
	require.NoError(t, err)
	rules := demoRules(t)
	items := map[string]domain.Item{}
	for _, it := range s.Items {
		items[it.SKU] = it
	}
	require.GreaterOrEqual(t, len(s.RMAs), 3)
	serials := 0
	for _, r := range s.RMAs {
		assert.Equal(t, barcode.KindRMA, rules.Classify(barcode.Keyed(r.Number, time.Time{})).Kind, r.Number)
		assert.Equal(t, barcode.KindRMA, rules.Classify(barcode.Keyed(r.Label, time.Time{})).Kind, r.Label)
		for _, l := range r.Lines {
			if items[l.SKU].Tracking == domain.TrackSerial {
				assert.Len(t, l.Serials, l.Qty, "%s line %d", r.Number, l.Line)
				serials++
			}
		}
	}
	assert.Positive(t, serials, "a demo RMA has serial-tracked units")
}
