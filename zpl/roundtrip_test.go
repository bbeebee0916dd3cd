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

// hostile is field data that breaks labels built without escaping.
var hostile = []string{
	"^XZ^XA^FO0,0^FDPWNED",
	"~JR",
	"~HS~HI",
	"snake_case_name",
	"_5E not an escape",
	"Müller & Søn — Ünïcödé 日本",
	"[red]tview[-] [::b]tags[::-]",
	"back\\slash \\& not a break",
	"tab\tnew\nline\r\x00nul\x7fdel",
	"bad utf8 \xff\xfe end",
	">0 >; >8 invocation look-alikes ><",
	"QA,not a prefix",
}

// onlyField parses a one-format label and returns its fields.
func parseFields(t *testing.T, zplData []byte) []decode.Field {
	t.Helper()
	doc, err := decode.Parse(zplData)
	require.NoError(t, err, "%s", zplData)
	require.Len(t, doc.Formats, 1)
	require.Empty(t, doc.Controls)
	require.True(t, doc.Formats[0].UTF8, "^CI28 selected")
	return doc.Formats[0].Fields
}

func TestFieldsRoundTripHostileData(t *testing.T) {
	for _, s := range hostile {
		t.Run(s, func(t *testing.T) {
			l := zpl.NewLabelFor(zpl.Device{DPI: zpl.DPI203, TrueType: "E:ANMDJ.TTF"}, 101.6, 152.4)
			l.Text(5, 5, zpl.Font{HeightMM: 3, WidthMM: 1}, 95, s)
			l.TextBlock(5, 20, 90, 10, zpl.Font{HeightMM: 3, WidthMM: 1}, s)
			l.QR(5, 60, 0.5, s)
			l.DataMatrix(50, 60, 0.5, s)
			l.PDF417(5, 100, 0.3, 3, 6, s)
			b, err := l.Bytes()
			require.NoError(t, err)
			assert.NotContains(t, string(b), "^FDPWNED")
			fields := parseFields(t, b)
			require.Len(t, fields, 5)
			assert.Equal(t, decode.Text, fields[0].Kind)
			assert.Equal(t, s, fields[0].Data)
			assert.Equal(t, decode.TextBlock, fields[1].Kind)
			for _, line := range strings.Split(fields[1].Data, "\n") {
				assert.LessOrEqual(t, zpl.AdvanceDots(8, line), float64(zpl.DPI203.Dots(90)), "line %q fits the block", line)
			}
			assert.Equal(t, strings.Fields(s), strings.Fields(fields[1].Data), "no word lost in wrapping")
			for _, f := range fields[2:] {
				assert.Equal(t, s, f.Data, "%s", f.Kind)
			}
		})
	}
}

func TestCode128RoundTripsPrintableASCII(t *testing.T) {
	for _, s := range []string{"^XZ^XA^FO0,0^FDPWNED", "~JR", "a_b", ">0>;>8", "1234", "12345", "A1234567B", "1Z999AA10123456784", "0", "00", "x>y^z~w"} {
		l := zpl.NewLabel(zpl.DPI203, 101.6, 50)
		l.Code128(2, 2, s, zpl.Bar{HeightMM: 10, HRI: true})
		b, err := l.Bytes()
		require.NoError(t, err, s)
		f := parseFields(t, b)[0]
		assert.Equal(t, decode.Code128, f.Kind)
		assert.Equal(t, s, f.Data)
	}
}

func TestCode128RefusesWhatItCannotCarry(t *testing.T) {
	for _, s := range []string{"", "tab\there", "Müller", "\x1d"} {
		l := zpl.NewLabel(zpl.DPI203, 101.6, 50)
		l.Code128(2, 2, s, zpl.Bar{HeightMM: 10})
		_, err := l.Bytes()
		assert.ErrorIs(t, err, zpl.ErrData, "%q", s)
	}
}

func TestCode128TooWideForTheLabel(t *testing.T) {
	l := zpl.NewLabel(zpl.DPI203, 50, 25)
	l.Code128(0, 0, strings.Repeat("AB", 20), zpl.Bar{HeightMM: 10})
	_, err := l.Bytes()
	require.ErrorIs(t, err, zpl.ErrLayout)
	assert.Contains(t, err.Error(), "mm wide")
}

func TestGS1128FNC1Placement(t *testing.T) {
	els := []gs1.Element{{AI: "01", Value: "09506000134352"}, {AI: "10", Value: "L_%1"}, {AI: "17", Value: "261231"}, {AI: "21", Value: "9'<>"}, {AI: "3103", Value: "000525"}}
	l := zpl.NewLabel(zpl.DPI203, 250, 101.6)
	l.GS1128(0, 0, els, zpl.Bar{HeightMM: 32, Center: true})
	b, err := l.Bytes()
	require.NoError(t, err)
	f := parseFields(t, b)[0]
	require.Equal(t, decode.GS1128, f.Kind, "starts with FNC1")
	assert.Equal(t, "0109506000134352"+"10L_%1\x1d"+"17261231"+"219'<>\x1d"+"3103000525", f.Data,
		"FNC1 after each variable-length element but the last, none after fixed ones")
	got, err := gs1.Parse(f.Data)
	require.NoError(t, err)
	assert.Equal(t, els, got)
	assert.Equal(t, 4, f.Module, "X-dimension ≥ 0.495 mm at 203 dpi")
	assert.True(t, strings.HasPrefix(f.Raw, ">;>8"), "subset C then FNC1: %s", f.Raw)
}

func TestGS1128RefusesBadElements(t *testing.T) {
	for _, els := range [][]gs1.Element{
		nil,
		{{AI: "00", Value: "106141411234567890"}}, // wrong check digit
		{{AI: "50", Value: "X"}},                  // unknown AI
		{{AI: "10", Value: "L^1"}},                // "^" is outside CSET 82
		{{AI: "10", Value: "LOT\x1d01"}},          // GS smuggled into a value
	} {
		l := zpl.NewLabel(zpl.DPI203, 101.6, 152.4)
		l.GS1128(0, 0, els, zpl.Bar{})
		_, err := l.Bytes()
		assert.ErrorIs(t, err, zpl.ErrData, "%v", els)
	}
}

func TestGS1DataMatrix(t *testing.T) {
	els := []gs1.Element{{AI: "01", Value: "09506000134352"}, {AI: "10", Value: "A_B"}, {AI: "21", Value: "42"}}
	l := zpl.NewLabel(zpl.DPI300, 50, 50)
	l.GS1DataMatrix(2, 2, 0.5, els)
	b, err := l.Bytes()
	require.NoError(t, err)
	f := parseFields(t, b)[0]
	assert.Equal(t, decode.GS1DataMatrix, f.Kind)
	assert.Equal(t, "0109506000134352"+"10A_B\x1d"+"2142", f.Data)
}

func TestLabelSizeInDots(t *testing.T) {
	for _, tc := range []struct {
		dpi          zpl.DPI
		width, lngth int
	}{{zpl.DPI203, 812, 1218}, {zpl.DPI300, 1200, 1800}, {zpl.DPI600, 2400, 3600}} {
		b, err := zpl.NewLabel(tc.dpi, 101.6, 152.4).Bytes()
		require.NoError(t, err)
		doc, err := decode.Parse(b)
		require.NoError(t, err)
		assert.Equal(t, tc.width, doc.Formats[0].Width)
		assert.Equal(t, tc.lngth, doc.Formats[0].Length)
	}
	_, err := zpl.NewLabel(250, 100, 100).Bytes()
	assert.ErrorIs(t, err, zpl.ErrLayout)
}

func TestPositionsScaleWithDPI(t *testing.T) {
	for dpi, want := range map[zpl.DPI]int{zpl.DPI203: 80, zpl.DPI300: 118, zpl.DPI600: 236} {
		l := zpl.NewLabel(dpi, 101.6, 50)
		l.Text(10, 10, zpl.Font{HeightMM: 3, WidthMM: 2}, 50, "x")
		b, err := l.Bytes()
		require.NoError(t, err)
		f := parseFields(t, b)[0]
		assert.Equal(t, want, f.X, "%d dpi", dpi)
		assert.Equal(t, want, f.Y, "%d dpi", dpi)
	}
}

func TestOffLabelPositionIsRefused(t *testing.T) {
	l := zpl.NewLabel(zpl.DPI203, 50, 25)
	l.Text(60, 1, zpl.Font{HeightMM: 3, WidthMM: 2}, 10, "x")
	_, err := l.Bytes()
	assert.ErrorIs(t, err, zpl.ErrLayout)
}

func BenchmarkEscapeFieldData(b *testing.B) {
	s := "Müller & Søn ^XZ~JR_ 1Z999AA10123456784"
	b.ReportAllocs()
	for b.Loop() {
		_ = zpl.EscapeFieldData(s)
	}
}
