package decode_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl/decode"
)

func TestParseRefusesWhatASafeLabelNeverHas(t *testing.T) {
	for name, z := range map[string]string{
		"control inside format": "^XA^FO0,0^FDa~JR^FS^XZ",
		"second format in data": "^XA^FO0,0^FDa^XZ^XA^FS^XZ",
		"field without ^FS":     "^XA^FO0,0^FDa^XZ",
		"bad hex":               "^XA^FO0,0^FH^FDa_ZZ^FS^XZ",
		"short hex":             "^XA^FO0,0^FH^FDa_4^FS^XZ",
		"no ^XZ":                "^XA^FO0,0^FDa^FS",
		"text outside":          "hello^XA^XZ",
		"odd subset C":          "^XA^FO0,0^BCN,10,N,N,N,N^FD>;123^FS^XZ",
		"no start code":         "^XA^FO0,0^BCN,10,N,N,N,N^FDABC^FS^XZ",
		"qr without mode":       "^XA^FO0,0^BQN,2,4^FDhello^FS^XZ",
		"lone backslash":        "^XA^FO0,0^FB100,2,0,L,0^FDa\\^FS^XZ",
	} {
		_, err := decode.Parse([]byte(z))
		assert.ErrorIs(t, err, decode.ErrSyntax, name)
	}
}

func TestParseDecodesFields(t *testing.T) {
	doc, err := decode.Parse([]byte("~HS\r\n^XA^CI28^PW812^LL1218\n^FO10,20^A0N,30,20^FH^FD_5EXZ ü^FS\n" +
		"^FO1,2^BY4^BCN,256,N,N,N,N^FH^FD>;>80012>6A>0>5123456>8^FS^FO3,4^GB10,10,2^FS^XZ"))
	require.NoError(t, err)
	require.Len(t, doc.Controls, 1)
	assert.Equal(t, "HS", doc.Controls[0].Name)
	require.Len(t, doc.Formats, 1)
	f := doc.Formats[0]
	assert.Equal(t, 812, f.Width)
	assert.Equal(t, 1218, f.Length)
	require.Len(t, f.Fields, 3)
	assert.Equal(t, decode.Field{X: 10, Y: 20, Kind: decode.Text, Symbol: "A0N,30,20", Module: 2, Raw: "_5EXZ ü", Data: "^XZ ü"}, f.Fields[0])
	assert.Equal(t, decode.GS1128, f.Fields[1].Kind)
	assert.Equal(t, "0012A>123456\x1d", f.Fields[1].Data)
	assert.Equal(t, 4, f.Fields[1].Module)
	assert.Equal(t, decode.Box, f.Fields[2].Kind)
}

func TestNextWaitsForCompleteCommands(t *testing.T) {
	_, _, ok, err := decode.Next([]byte("^FO10,2"), false)
	require.NoError(t, err)
	assert.False(t, ok, "parameters may still be arriving")
	c, n, ok, err := decode.Next([]byte("~H"), false)
	require.NoError(t, err)
	assert.False(t, ok)
	c, n, ok, err = decode.Next([]byte("\r\n~hs^XA"), false)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "HS", c.Name)
	assert.Equal(t, 5, n)
}
