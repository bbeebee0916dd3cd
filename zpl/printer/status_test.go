package printer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/printer"
)

// zt410PaperOut is a ~HS answer as a printer sends it: paper out, paused,
// 2 formats waiting, 12 labels remaining, head open.
const zt410PaperOut = "\x02030,1,1,1218,002,0,0,0,000,0,0,0\x03\r\n\x02001,0,1,0,1,2,6,0,00000012,1,000\x03\r\n\x021234,0\x03\r\n"

func TestParseHostStatus(t *testing.T) {
	s, err := printer.ParseHostStatus([]byte(zt410PaperOut))
	require.NoError(t, err)
	assert.True(t, s.PaperOut)
	assert.True(t, s.Paused)
	assert.True(t, s.HeadOpen)
	assert.False(t, s.RibbonOut)
	assert.True(t, s.ThermalTransfer)
	assert.Equal(t, 1218, s.LabelLengthDots)
	assert.Equal(t, 2, s.FormatsInBuffer)
	assert.Equal(t, 12, s.LabelsRemaining)
	assert.Equal(t, 2, s.PrintMode)
	assert.Equal(t, "1234", s.Password)
	assert.Equal(t, []string{"paper out", "head open", "paused"}, s.Problems())
	assert.Equal(t, "paper out, head open, paused", s.String())
	assert.False(t, s.Ready())
	again, err := printer.ParseHostStatus(s.Format())
	require.NoError(t, err)
	assert.Equal(t, s, again)
}

func TestParseHostStatusRefusesGarbage(t *testing.T) {
	for _, b := range []string{
		"", "hello", "\x02030,1\x03", zt410PaperOut[:40],
		"\x02030,x,1,1218,002,0,0,0,000,0,0,0\x03\x02001,0,1,0,1,2,6,0,00000012,1,000\x03\x021234,0\x03",
		"\x02030,2,1,1218,002,0,0,0,000,0,0,0\x03\x02001,0,1,0,1,2,6,0,00000012,1,000\x03\x021234,0\x03",
	} {
		_, err := printer.ParseHostStatus([]byte(b))
		assert.ErrorIs(t, err, printer.ErrBadReply, "%q", b)
	}
}

func TestParseHostInfo(t *testing.T) {
	i, err := printer.ParseHostInfo([]byte("\x02ZT410-300dpi,V75.19.15Z,12,8176KB\x03\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "ZT410-300dpi", i.Model)
	assert.Equal(t, "V75.19.15Z", i.Firmware)
	dpi, err := i.DPI()
	require.NoError(t, err)
	assert.Equal(t, zpl.DPI300, dpi)
	_, err = printer.ParseHostInfo([]byte("\x02ZT410,V1\x03"))
	assert.ErrorIs(t, err, printer.ErrBadReply)
}

func FuzzParseHostStatus(f *testing.F) {
	f.Add([]byte(zt410PaperOut))
	f.Add([]byte("\x02\x03\x02\x03\x02\x03"))
	f.Add([]byte("\x02030,0,0,0812,000,0,0,0,000,0,0,0\x03\x02000,0,0,0,0,2,6,0,00000000,1,000\x03\x020000,0\x03"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := printer.ParseHostStatus(b)
		if err != nil {
			require.ErrorIs(t, err, printer.ErrBadReply)
			return
		}
		again, err := printer.ParseHostStatus(s.Format())
		require.NoError(t, err, "%q", s.Format())
		assert.Equal(t, s.Problems(), again.Problems())
		assert.Equal(t, s.LabelsRemaining, again.LabelsRemaining)
	})
}
