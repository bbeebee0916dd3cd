package preview_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/label"
	"github.com/rfterm/rfterm/zpl/preview"
)

func TestPreviewShowsFieldsAndBarcodesAtTheirPlaces(t *testing.T) {
	b, err := label.SSCC{SSCC: "10614141123456789", ShipFrom: domain.Address{Name: "Demo DC"}, ShipTo: domain.Address{Name: "ACME Retail #42"}, Order: "SO-1"}.Build(zpl.DPI300)
	require.NoError(t, err)
	doc, err := decode.Parse(b)
	require.NoError(t, err)
	var out strings.Builder
	require.NoError(t, preview.Render(&out, doc, preview.Options{DPI: 300}))
	s := out.String()
	assert.Contains(t, s, "label 1 of 1: 101.6 × 152.4 mm at 300 dpi")
	assert.Contains(t, s, "▐(00) 106141411234567897▌", "the barcode's content in the grid")
	assert.Contains(t, s, `GS1-128         (00) 106141411234567897`)
	assert.Contains(t, s, `    50.8,   7.5 mm  text            "ACME Retail #42"`)
	lines := strings.Split(s, "\n")
	from, to := -1, -1
	for i, l := range lines {
		if strings.Contains(l, "│") && strings.Contains(l, "Demo DC") {
			from = i
			assert.Contains(t, l, "ACME Retail #42", "ship-from and ship-to on one row")
			assert.Less(t, strings.Index(l, "Demo DC"), strings.Index(l, "ACME"))
		}
		if strings.Contains(l, "▐(00)") {
			to = i
		}
	}
	assert.Positive(t, from)
	assert.Greater(t, to, from, "the SSCC below the addresses")
	assert.Error(t, preview.Render(&out, doc, preview.Options{}))
}
