package scanner

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func demoRules(t *testing.T) *Rules {
	t.Helper()
	r, err := NewRules([]Rule{
		{Kind: KindBadge, Pattern: `^U\d{4}$`},
		{Kind: KindTote, Pattern: `^T\d{5}$`},
		{Kind: KindLocation, Pattern: `^[A-Z]{1,3}-\d{2}-\d{2}$`},
	})
	require.NoError(t, err)
	return r
}

func TestClassify(t *testing.T) {
	r := demoRules(t)
	now := time.Now()
	cases := []struct {
		raw  string
		kind Kind
		gtin string
		lot  string
		bad  bool
	}{
		{"U1001", KindBadge, "", "", false},
		{"T00042", KindTote, "", "", false},
		{"A-01-02", KindLocation, "", "", false},
		{"4006381333931", KindGTIN, "04006381333931", "", false},
		{"]E04006381333931", KindGTIN, "04006381333931", "", false},
		{"4006381333932", KindGTIN, "", "", true},
		{"]C1010400638133393110LOT7", KindGS1, "04006381333931", "LOT7", false},
		{"0104006381333931\x1d10LOT7", KindGS1, "04006381333931", "LOT7", false},
		{"(01)04006381333931(10)LOT7", KindGS1, "04006381333931", "LOT7", false},
		{"]C1019999", KindGS1, "", "", true},
		{"[red]X", KindUnknown, "", "", false},
		{"SKU-100", KindUnknown, "", "", false},
	}
	for _, c := range cases {
		got := r.Classify(NewScan(c.raw, now, "test"))
		assert.Equal(t, c.kind, got.Kind, "%q", c.raw)
		assert.Equal(t, c.gtin, got.GTIN, "%q", c.raw)
		assert.Equal(t, c.lot, got.Lot, "%q", c.raw)
		assert.Equal(t, c.bad, got.Err != nil, "%q: %v", c.raw, got.Err)
	}
	bad := r.Classify(NewScan("4006381333932", now, "test"))
	assert.True(t, errors.Is(bad.Err, ErrCheckDigit))
}

func TestNewRulesRejects(t *testing.T) {
	_, err := NewRules([]Rule{{Kind: KindTote, Pattern: `(`}})
	assert.Error(t, err)
	_, err = NewRules([]Rule{{Kind: KindGTIN, Pattern: `.`}})
	assert.Error(t, err)
}

func TestSplitAIM(t *testing.T) {
	aim, data := SplitAIM("]C10104006381333931")
	assert.Equal(t, "]C1", aim)
	assert.Equal(t, "0104006381333931", data)
	aim, data = SplitAIM("A-01-01")
	assert.Equal(t, "", aim)
	assert.Equal(t, "A-01-01", data)
}
