package gs1

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	els, err := Parse("0104006381333931" + "17261231" + "10LOT42\x1d" + "21SN1")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"01", "04006381333931"}, {"17", "261231"}, {"10", "LOT42"}, {"21", "SN1"}}, els)

	els, err = Parse("\x1d00106141412345678908\x1d")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"00", "106141412345678908"}}, els)

	els, err = Parse("01040063813339313103000525")
	require.NoError(t, err)
	assert.Equal(t, "000525", els[1].Value)
	assert.Equal(t, "3103", els[1].AI)
}

func TestParseErrors(t *testing.T) {
	for _, data := range []string{
		"",
		"0104006381333932",        // bad check digit
		"010400638133",            // short fixed field
		"99abc",                   // unknown AI
		"10ABCDEFGHIJKLMNOPQRSTU", // 21 chars: a GS was lost
		"10\x1d21X",               // empty value
		"17ABCDEF",                // date not digits
	} {
		_, err := Parse(data)
		assert.Error(t, err, "%q", data)
		assert.True(t, errors.Is(err, ErrSyntax), "%q", data)
	}
}
