package barcode

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSSCC: a carton's SSCC is read from GS1-128 (AI 00), the bracketed
// form, 18 plain digits, or 20 digits whose AIM identifier a wedge lost;
// its check digit is verified; anything else is no SSCC.
func TestSSCC(t *testing.T) {
	rules, err := NewRules(nil)
	require.NoError(t, err)
	const good = "376123450000000016" // check digit 6
	for _, tc := range []struct {
		name, aim, data string
		want            string
		ok, bad         bool
	}{
		{"gs1-128", "]C1", "00" + good, good, true, false},
		{"bracketed", "", "(00)" + good, good, true, false},
		{"plain 18", "", good, good, true, false},
		{"wedge lost the AIM", "", "00" + good, good, true, false},
		{"bad check digit", "", good[:17] + "5", "", true, true},
		{"gs1-128 bad check digit", "]C1", "00" + good[:17] + "5", "", true, true},
		{"a GTIN", "", "4006381333931", "", false, false},
		{"a location", "", "A-01-01", "", false, false},
		{"gs1 without 00", "]C1", "0104006381333931", "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := rules.Classify(Scan{Data: tc.data, AIM: tc.aim, At: time.Now()})
			got, ok, err := SSCC(c)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.bad, err != nil, "%v", err)
			assert.Equal(t, tc.want, got)
			if tc.bad && tc.aim == "" {
				assert.True(t, errors.Is(err, ErrCheckDigit), "%v", err)
			}
		})
	}
}
