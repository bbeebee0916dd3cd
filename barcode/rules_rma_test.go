package barcode

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRMARule(t *testing.T) {
	r, err := NewRules([]Rule{{Kind: KindRMA, Pattern: `^(RMA-\d{5}|RL\d{8})$`}, {Kind: KindLocation, Pattern: `^[A-Z]-\d{2}-\d{2}$`}})
	require.NoError(t, err)
	at := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	for _, code := range []string{"RMA-50001", "RL00050001"} {
		c := r.Classify(NewScan(code, at, "test"))
		assert.Equal(t, KindRMA, c.Kind, code)
		assert.Equal(t, code, c.Code)
	}
	assert.Equal(t, KindLocation, r.Classify(NewScan("A-01-01", at, "test")).Kind)
	assert.Equal(t, KindUnknown, r.Classify(NewScan("RMA-1", at, "test")).Kind)
	_, err = NewRules([]Rule{{Kind: "gtin", Pattern: "."}})
	assert.ErrorContains(t, err, "rma)")
}
