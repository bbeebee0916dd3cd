package barcode

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckDigit(t *testing.T) {
	cases := []struct {
		digits string
		want   byte
	}{
		{"400638133393", '1'},      // EAN-13 4006381333931
		{"1234567", '0'},           // EAN-8 12345670
		{"03600029145", '2'},       // UPC-A 036000291452
		{"10614141234567890", '8'}, // SSCC (00) 106141412345678908, GS1 General Specifications example
	}
	for _, c := range cases {
		got, ok := CheckDigit(c.digits)
		assert.True(t, ok, c.digits)
		assert.Equal(t, string(c.want), string(got), c.digits)
	}
	_, ok := CheckDigit("12a4")
	assert.False(t, ok)
}

func TestNormalizeGTIN(t *testing.T) {
	g, ok := NormalizeGTIN("4006381333931")
	assert.True(t, ok)
	assert.Equal(t, "04006381333931", g)
	g, ok = NormalizeGTIN("12345670")
	assert.True(t, ok)
	assert.Equal(t, "00000012345670", g)
	_, ok = NormalizeGTIN("4006381333932")
	assert.False(t, ok, "wrong check digit")
	g, ok = NormalizeGTIN("036000291452")
	assert.True(t, ok, "UPC-A")
	assert.Equal(t, "00036000291452", g)
	_, ok = NormalizeGTIN("12345")
	assert.False(t, ok)
}
