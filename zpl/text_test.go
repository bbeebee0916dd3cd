package zpl_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
)

func TestTruncateAtCharacterBoundary(t *testing.T) {
	assert.Equal(t, "short", zpl.Truncate("short", 5))
	assert.Equal(t, "Müll...", zpl.Truncate("Müller-Lüdenscheidt", 7))
	assert.Equal(t, "日本", zpl.Truncate("日本語", 2))
}

func TestWrap(t *testing.T) {
	assert.Equal(t, "one two\nthree", zpl.Wrap("one two three", 8, 3))
	assert.Equal(t, "abcd\nefgh\nij", zpl.Wrap("abcdefghij", 4, 3), "long words are split")
	assert.Equal(t, "a\nb", zpl.Wrap("a\r\nb", 4, 3), "own line breaks kept")
	assert.Equal(t, "one two\nthree...", zpl.Wrap("one two three four five", 8, 2))
	assert.Equal(t, "aaaaa\nbb...", zpl.Wrap("aaaaa bbbbb ccccc", 5, 2))
}

func TestEscapeFieldData(t *testing.T) {
	assert.Equal(t, "plain text", zpl.EscapeFieldData("plain text"))
	assert.Equal(t, "_5EXZ_7EJR_5F_0A", zpl.EscapeFieldData("^XZ~JR_\n"))
	assert.Equal(t, "ü_FF", zpl.EscapeFieldData("ü\xff"))
}

func TestAdvanceWidths(t *testing.T) {
	assert.Less(t, zpl.AdvanceDots(100, "iiii"), zpl.AdvanceDots(100, "MMMM"), "font 0 is proportional")
	assert.InDelta(t, zpl.AdvanceDots(100, "e"), zpl.AdvanceDots(100, "é"), 0, "an accented letter is as wide as its base")
	assert.InDelta(t, 2*zpl.AdvanceDots(18, "Ab"), zpl.AdvanceDots(36, "Ab"), 0.001, "scales with the width setting")
	assert.Equal(t, 0.0, zpl.AdvanceDots(100, "\x00\n"), "control characters take no room")
	w := zpl.AdvanceDots(100, "Goods In - Northside Facilities") / 100 / 31
	assert.True(t, w > 0.35 && w < 0.6, "average advance %.2f of the width setting", w)
	for _, r := range "AzÜłß€–…" {
		assert.True(t, zpl.Font0Covers(r), "%c", r)
	}
	for _, r := range "日本Ωж" {
		assert.False(t, zpl.Font0Covers(r), "%c", r)
	}
}

func TestTextNarrowsBeforeItShortens(t *testing.T) {
	f := zpl.Font{HeightMM: 4, WidthMM: 3}
	l := zpl.NewLabel(zpl.DPI203, 101.6, 50)
	full := l.TextWidthMM(f, "Goods In - Northside Facilities")
	assert.False(t, l.Text(2, 2, f, full, "Goods In - Northside Facilities"), "fits as is")
	assert.False(t, l.Text(2, 10, f, full*0.85, "Goods In - Northside Facilities"), "fits narrowed")
	assert.True(t, l.Text(2, 20, f, full*0.5, "Goods In - Northside Facilities"), "shortened")
	b, err := l.Bytes()
	require.NoError(t, err)
	doc, err := decode.Parse(b)
	require.NoError(t, err)
	fields := doc.Formats[0].Fields
	assert.Equal(t, "A0N,32,24", fields[0].Symbol)
	assert.Equal(t, "Goods In - Northside Facilities", fields[1].Data)
	_, w, _ := fields[1].FontSize()
	assert.Less(t, w, 24, "narrowed")
	assert.GreaterOrEqual(t, w, 18, "by a quarter at most")
	assert.True(t, strings.HasSuffix(fields[2].Data, "..."), fields[2].Data)
	assert.LessOrEqual(t, float64(fields[2].TextWidth()), float64(zpl.DPI203.Dots(full*0.5))+1)
}

func TestCode128TakesANarrowerModuleWhenItMustFit(t *testing.T) {
	serial := "ABCDEFGHJK-LMNPQRSTU" // a 20-character AI (21) serial
	for dpi, want := range map[zpl.DPI]int{zpl.DPI203: 2, zpl.DPI300: 4} {
		l := zpl.NewLabel(dpi, 101.6, 50.8)
		l.Code128(0, 2, serial, zpl.Bar{HeightMM: 10, ModuleMM: 0.375, Center: true})
		b, err := l.Bytes()
		require.NoError(t, err, "%d dpi", dpi)
		doc, err := decode.Parse(b)
		require.NoError(t, err)
		f := doc.Formats[0].Fields[0]
		assert.Equal(t, serial, f.Data)
		assert.Equal(t, want, f.Module, "%d dpi: the widest module that fits", dpi)
		assert.GreaterOrEqual(t, dpi.MM(f.Module), zpl.Code128MinModuleMM)
	}
	l := zpl.NewLabel(zpl.DPI203, 101.6, 50.8)
	l.Code128(0, 2, "SHORT", zpl.Bar{HeightMM: 10, ModuleMM: 0.375})
	b, err := l.Bytes()
	require.NoError(t, err)
	doc, err := decode.Parse(b)
	require.NoError(t, err)
	assert.Equal(t, 3, doc.Formats[0].Fields[0].Module, "the preferred module when it fits")
	l = zpl.NewLabel(zpl.DPI203, 101.6, 50.8)
	l.GS1128(0, 2, []gs1.Element{{AI: "02", Value: "10614141000002"}, {AI: "37", Value: "12"}, {AI: "10", Value: "LOT-2026-0001-ABCDEF"}}, zpl.Bar{Others: []gs1.Element{{AI: "00", Value: "106141411234567897"}}})
	_, err = l.Bytes()
	assert.ErrorIs(t, err, zpl.ErrLayout, "GS1-128 on a logistic label never goes below 0.495 mm")
}

func TestDeviceValidation(t *testing.T) {
	assert.NoError(t, zpl.Device{DPI: zpl.DPI300, TrueType: "E:ANMDJ.TTF"}.Validate())
	assert.NoError(t, zpl.Device{DPI: zpl.DPI300}.Validate())
	for _, bad := range []string{"ANMDJ.TTF", "E:AN MD.TTF", "E:X.TTF^XZ", "Z:X.TTF", "E:X.FNT"} {
		assert.ErrorIs(t, zpl.Device{DPI: zpl.DPI203, TrueType: bad}.Validate(), zpl.ErrLayout, bad)
	}
}
