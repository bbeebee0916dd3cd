package label_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/label"
)

// span is a text field's printed box in dots.
type span struct {
	f          decode.Field
	x0, x1, y0 int
	y1         int
}

// textSpans measures every text field of a format with font 0's advances.
func textSpans(t *testing.T, f decode.Format) []span {
	t.Helper()
	var out []span
	for _, fl := range f.Fields {
		h, _, ok := fl.FontSize()
		if !ok {
			continue
		}
		lines := strings.Count(fl.Data, "\n") + 1
		out = append(out, span{f: fl, x0: fl.X, x1: fl.X + fl.TextWidth(), y0: fl.Y, y1: fl.Y + h*lines})
	}
	return out
}

// TestTextFitsTheLabel measures every text field of every sample label at 203
// and 300 dpi: no line runs off the label or out of its ^FB block, and no two
// fields on the same line overprint each other.
func TestTextFitsTheLabel(t *testing.T) {
	for name, b := range samples() {
		for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
			out, err := b.Build(dpi)
			require.NoError(t, err)
			doc, err := decode.Parse(out)
			require.NoError(t, err)
			for _, f := range doc.Formats {
				spans := textSpans(t, f)
				require.NotEmpty(t, spans)
				for i, a := range spans {
					assert.LessOrEqual(t, a.x1, f.Width, "%s %d dpi: %q runs off the label", name, dpi, a.f.Data)
					if a.f.Kind == decode.TextBlock {
						assert.LessOrEqual(t, a.x1-a.x0, a.f.BlockWidth, "%s %d dpi: %q is wider than its block", name, dpi, a.f.Data)
						assert.LessOrEqual(t, strings.Count(a.f.Data, "\n")+1, a.f.BlockLines, "%s: %q has more lines than its block", name, a.f.Data)
					}
					for _, c := range spans[i+1:] {
						rows := a.y0 < c.y1 && c.y0 < a.y1
						cols := a.x0 < c.x1 && c.x0 < a.x1
						assert.False(t, rows && cols, "%s %d dpi: %q and %q overprint", name, dpi, a.f.Data, c.f.Data)
					}
				}
			}
		}
	}
}

// TestAddressesPrintWhole is finding 1: the demo's long ship-to lines print
// whole in the half-width columns of the SSCC label and across the shipping
// label, where the old width estimate cut them at about half the line.
func TestAddressesPrintWhole(t *testing.T) {
	for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
		for _, b := range []label.Builder{samples()["sscc-long"], samples()["ship-sscc"]} {
			out, err := b.Build(dpi)
			require.NoError(t, err)
			_, all := fieldData(t, out)
			for _, want := range []string{"Goods In - Northside Facilities", "Unit 7, Riverside Park", "M17 1RD Manchester"} {
				assert.Contains(t, strings.Split(all, "\n"), want, "%d dpi", dpi)
			}
			assert.NotContains(t, all, "...")
		}
	}
}

// TestPackingListKeepsDescriptionsApart: two items whose descriptions differ
// only at the end print whole; a description too long even for two lines is
// shortened, and its line is marked and explained.
func TestPackingListKeepsDescriptionsApart(t *testing.T) {
	for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
		out, err := samples()["packinglist-demo"].Build(dpi)
		require.NoError(t, err)
		fields, all := fieldData(t, out)
		for _, ln := range demoLines[:5] {
			found := false
			for _, f := range fields {
				found = found || strings.ReplaceAll(f.Data, "\n", " ") == ln.Description
			}
			assert.True(t, found, "%d dpi: %q printed whole", dpi, ln.Description)
		}
		assert.Contains(t, all, "* DESCRIPTION SHORTENED: SEE THE ORDER FOR THE FULL TEXT")
		marks := 0
		for _, f := range fields {
			if f.Data == "*" {
				marks++
			}
		}
		assert.Equal(t, 1, marks, "only the long description is marked")
	}
}

// TestNonLatinTextNeedsATrueTypeFont is finding 2: Japanese is refused before
// printing with font 0, and printed with the printer's TrueType font (^A@)
// when one is configured; Latin text stays in font 0.
func TestNonLatinTextNeedsATrueTypeFont(t *testing.T) {
	jp := domain.Address{Name: "山田商事 株式会社", Street: "千代田区丸の内1-1", Postal: "100-0005", City: "東京", Country: "JP"}
	b := label.Shipping{From: from, To: jp, Carrier: "UPS", Tracking: "1Z999AA10123456784"}
	_, err := b.Build(zpl.DPI203)
	require.ErrorIs(t, err, zpl.ErrData)
	assert.Contains(t, err.Error(), "TrueType")
	out, err := b.BuildFor(zpl.Device{DPI: zpl.DPI203, TrueType: "E:ANMDJ.TTF"})
	require.NoError(t, err)
	fields, _ := fieldData(t, out)
	for _, f := range fields {
		if f.Kind != decode.Text {
			continue
		}
		_, cjk := zpl.NeedsTrueType(f.Data)
		assert.Equal(t, cjk, strings.HasPrefix(f.Symbol, "A@N,") && strings.HasSuffix(f.Symbol, ",E:ANMDJ.TTF"), "%q in %s", f.Data, f.Symbol)
	}
	_, err = b.BuildFor(zpl.Device{DPI: zpl.DPI203, TrueType: "E:^XZ.TTF"})
	assert.ErrorIs(t, err, zpl.ErrLayout, "a font name that is not a printer file")
}

// code128Modules is a ^BC mode N field's width in modules, without quiet zones.
func code128Modules(raw string) int {
	symbols, subsetC := 0, raw[1] == ';'
	for i := 2; i < len(raw); symbols++ {
		switch {
		case raw[i] == '>':
			subsetC = (subsetC && raw[i+1] != '6') || raw[i+1] == '5'
			i += 2
		case subsetC:
			i += 2
		default:
			i++
		}
	}
	return (symbols+2)*11 + 13
}

// TestHRICentredUnderTheBars is finding 3: the "(00)" line's middle is the
// bars' middle, to a dot, on the SSCC and the shipping label.
func TestHRICentredUnderTheBars(t *testing.T) {
	for _, name := range []string{"sscc", "logistic"} {
		for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300, zpl.DPI600} {
			out, err := samples()[name].Build(dpi)
			require.NoError(t, err)
			fields, _ := fieldData(t, out)
			var bar, hri *decode.Field
			for i, f := range fields {
				switch {
				case f.Kind == decode.GS1128 && strings.HasPrefix(f.Data, "00"):
					bar = &fields[i]
				case strings.HasPrefix(f.Data, "(00) "):
					hri = &fields[i]
				}
			}
			require.NotNil(t, bar)
			require.NotNil(t, hri)
			barMid := 2*bar.X + code128Modules(bar.Raw)*bar.Module
			textMid := 2*hri.X + hri.TextWidth()
			assert.InDelta(t, barMid, textMid, 2, "%s %d dpi: (00) line centred (in half dots)", name, dpi)
			assert.Greater(t, hri.Y, bar.Y, "under the bars")
		}
	}
}

// TestRouteLabelReadsRight is finding 4 (and 5: a 20-character serial prints).
func TestRouteLabelReadsRight(t *testing.T) {
	r := samples()["route"].(label.Route)
	assert.Equal(t, "RETURN TO VENDOR RMA-50001 Damaged DR-5520 Cordless drill 18V brushless, body only S/N SN4410099887766554433", r.Text())
	unknown := samples()["route-unknown"].(label.Route)
	assert.Equal(t, "QUARANTINE RMA-50002 Opened Unknown item 4006381333931 S/N AB12345678901234567Z", unknown.Text())
	for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
		for _, rl := range []label.Route{r, unknown} {
			out, err := rl.Build(dpi)
			require.NoError(t, err, "%d dpi", dpi)
			fields, all := fieldData(t, out)
			assert.NotContains(t, all, "RETURN_TO_VENDOR")
			assert.NotContains(t, all, "damaged")
			for _, f := range fields {
				assert.Equal(t, strings.TrimSpace(f.Data), f.Data, "no leading or trailing space in %q", f.Data)
				if f.Kind == decode.Code128 {
					assert.Equal(t, rl.Serial, f.Data, "the serial is the barcode")
				}
			}
			assert.Contains(t, all, "S/N "+rl.Serial)
		}
		out, err := unknown.Build(dpi)
		require.NoError(t, err)
		_, all := fieldData(t, out)
		assert.Contains(t, all, "Unknown item 4006381333931", "the scanned code is kept with the serial")
		assert.Contains(t, all, "NOT ON RMA")
	}
	assert.Len(t, r.Serial, 21)
	twenty := label.Route{RMA: "RMA-1", Serial: strings.Repeat("A1", 10), Disposition: domain.DispScrap, Condition: domain.CondDamaged}
	for _, dpi := range []zpl.DPI{zpl.DPI152, zpl.DPI203, zpl.DPI300, zpl.DPI600} {
		_, err := twenty.Build(dpi)
		assert.NoError(t, err, "a 20-character (21) serial prints at %d dpi", dpi)
	}
}

// TestShippingLabelNeverCarriesTheSSCCAsPlainCode128 is finding 6, both as the
// pack station calls it today (the SSCC as the tracking number) and with the
// SSCC field.
func TestShippingLabelNeverCarriesTheSSCCAsPlainCode128(t *testing.T) {
	for name, b := range map[string]label.Shipping{
		"sscc field":       {To: to, Carrier: "Demo Freight", SSCC: "10614141123456789"},
		"tracking is sscc": {To: to, Carrier: "Demo Freight", Tracking: "106141411234567897"},
		"both":             {To: to, Carrier: "Demo Freight", Tracking: "106141411234567897", SSCC: "106141411234567897"},
		"element string":   {To: to, Carrier: "Demo Freight", Tracking: "00106141411234567897"},
	} {
		out, err := b.Build(zpl.DPI203)
		require.NoError(t, err, name)
		fields, _ := fieldData(t, out)
		kinds := map[decode.Kind][]string{}
		for _, f := range fields {
			kinds[f.Kind] = append(kinds[f.Kind], f.Data)
		}
		assert.Empty(t, kinds[decode.GS1128], "%s: the logistic label carries the carton's one SSCC barcode", name)
		for _, d := range kinds[decode.Code128] {
			assert.NotContains(t, d, "10614141123456789", "%s: the SSCC as plain Code 128", name)
		}
		assert.Contains(t, kinds[decode.Text], "(00) 106141411234567897", name)
	}
	out, err := label.Shipping{To: to, Carrier: "UPS", Tracking: "1Z999AA10123456784", SSCC: "106141411234567897"}.Build(zpl.DPI203)
	require.NoError(t, err)
	fields, _ := fieldData(t, out)
	var code128 []string
	for _, f := range fields {
		if f.Kind == decode.Code128 {
			code128 = append(code128, f.Data)
		}
	}
	assert.Equal(t, []string{"1Z999AA10123456784"}, code128, "a carrier's own number stays Code 128")
}

// TestWidthFigures logs the measured widths the issue is about.
func TestWidthFigures(t *testing.T) {
	l := zpl.NewLabel(zpl.DPI203, 101.6, 152.4)
	for _, s := range []string{"Goods In - Northside Facilities", "Unit 7, Riverside Park", "Nitrile gloves size XL, box of 100"} {
		w := l.TextWidthMM(zpl.Font{HeightMM: 3.5, WidthMM: 2.2}, s)
		old := float64(len(s)) * 2.2
		t.Log(fmt.Sprintf("%-36q %5.1f mm measured, %5.1f mm by the old estimate", s, w, old))
		assert.Less(t, w, 0.7*old)
		assert.Greater(t, w, 0.3*old)
	}
}

// TestLogisticLabelMeetsGS1Rules: every barcode at X ≥ 0.495 mm and bars
// ≥ 32 mm, the SSCC lowest, the content and carrier elements in their own
// barcodes with "(AI) value" lines, and the AI associations met over the label.
func TestLogisticLabelMeetsGS1Rules(t *testing.T) {
	for _, name := range []string{"logistic", "logistic-4x8", "logistic-intl"} {
		for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
			out, err := samples()[name].Build(dpi)
			require.NoError(t, err)
			fields, all := fieldData(t, out)
			var bars []decode.Field
			var els []gs1.Element
			lowest := 0
			for _, f := range fields {
				if f.Kind == decode.GS1128 {
					bars = append(bars, f)
					e, err := gs1.Parse(f.Data)
					if !errors.Is(err, gs1.ErrRequires) {
						require.NoError(t, err)
					}
					els = append(els, e...)
					assert.GreaterOrEqual(t, dpi.MM(f.Module), zpl.GS1MinModuleMM)
					h, err := strconv.Atoi(strings.Split(f.Symbol, ",")[1])
					require.NoError(t, err)
					assert.GreaterOrEqual(t, dpi.MM(h), zpl.GS1MinHeightMM)
					assert.Contains(t, all, zpl.GS1Text(e), "HRI under the bars")
					lowest = max(lowest, f.Y)
				}
			}
			require.NoError(t, gs1.CheckPairs(els), "associations over the label")
			assert.Equal(t, "00106141411234567897", bars[len(bars)-1].Data)
			assert.Equal(t, lowest, bars[len(bars)-1].Y, "the SSCC is the lowest barcode")
			for _, title := range []string{"SSCC", "CONTENT", "COUNT", "FROM", "SHIP TO", "SHIP TO POST"} {
				assert.Contains(t, strings.Split(all, "\n"), title, "%s: data title %s", name, title)
			}
			switch name {
			case "logistic":
				assert.Len(t, bars, 3)
				assert.Contains(t, all, "(420) 54321")
				assert.Contains(t, all, "(02) 10614141000002 (37) 12")
			case "logistic-4x8":
				assert.Contains(t, all, "(02) 10614141000002 (37) 12")
				assert.Contains(t, all, "(15) 271231 (10) L2607")
				assert.Contains(t, all, "BEST BEFORE\n31.12.27")
			default:
				assert.Contains(t, all, "(421) 826M171RD", "across a border: the ISO country code and the postal code")
			}
		}
	}
	_, err := label.Logistic{SSCC: "10614141123456789", Supplier: from, ShipTo: to, Consignment: strings.Repeat("X", 30),
		Content: &label.Content{GTIN: "10614141000002", Count: 12, Batch: "LOT-2026-0001-ABCDEF", BestBefore: "271231"}}.Build(zpl.DPI203)
	require.ErrorIs(t, err, zpl.ErrLayout, "more barcodes than 4×6 in holds")
	assert.Contains(t, err.Error(), "4×8 in")
}
