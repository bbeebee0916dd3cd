package domain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLotsFirstExpiryAndSerialRules: lots sort first expiry first (no
// expiry last); a serial matches its item's rule whole, and is bounded.
func TestLotsFirstExpiryAndSerialRules(t *testing.T) {
	lots := []LotExpiry{{Lot: "N"}, {Lot: "B", Expiry: "2027-01-01"}, {Lot: "A", Expiry: "2026-06-30"}}
	SortFirstExpiry(lots)
	assert.Equal(t, []LotExpiry{{Lot: "A", Expiry: "2026-06-30"}, {Lot: "B", Expiry: "2027-01-01"}, {Lot: "N"}}, lots)
	assert.True(t, LotKnown(lots, "B"))
	assert.False(t, LotKnown(lots, "Z"))
	assert.True(t, LotKnown(nil, "Z"), "nothing known: any lot")

	it := Item{SKU: "DR-5520", Tracking: TrackSerial, SerialPattern: `SN[0-9]{3}`}
	assert.NoError(t, it.CheckSerial("SN123"))
	assert.Error(t, it.CheckSerial("SN1234"), "the rule matches the whole serial")
	assert.Error(t, it.CheckSerial("xSN123"))
	free := Item{SKU: "X", Tracking: TrackSerial}
	assert.NoError(t, free.CheckSerial("anything-1"))
	assert.Error(t, free.CheckSerial(""))
	assert.Error(t, free.CheckSerial(strings.Repeat("9", MaxSerialLen+1)))
	assert.Error(t, free.CheckSerial("a\x1db"))
	_, err := Item{SKU: "Y", SerialPattern: "SN[0-9"}.SerialRule()
	assert.Error(t, err)
}
