package label_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/label"
)

const ucc128Path = "compliance/ucc128-retail.json"

func loadUCC128(t testing.TB) *label.ComplianceTemplate {
	t.Helper()
	tpl, err := label.LoadCompliance(ucc128Path)
	require.NoError(t, err)
	return tpl
}

// ucc128Raw is the example template as generic JSON, to break one rule at a time.
func ucc128Raw(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(ucc128Path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func parseRaw(t *testing.T, m map[string]any) (*label.ComplianceTemplate, error) {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return label.ParseCompliance(b)
}

func barcodeAt(m map[string]any, i int) map[string]any {
	return m["barcodes"].([]any)[i].(map[string]any)
}

func fieldAt(m map[string]any, i int) map[string]any {
	return m["fields"].([]any)[i].(map[string]any)
}

func TestComplianceExampleValidatesAtEveryResolution(t *testing.T) {
	tpl := loadUCC128(t)
	for _, dpi := range []zpl.DPI{zpl.DPI152, zpl.DPI203, zpl.DPI300, zpl.DPI600} {
		assert.Empty(t, tpl.Validate(dpi), "%d dpi", dpi)
	}
}

func TestComplianceGolden(t *testing.T) {
	tpl := loadUCC128(t)
	for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
		got, err := label.ComplianceLabel{Template: tpl, Values: tpl.Samples()}.Build(dpi)
		require.NoError(t, err)
		path := filepath.Join("..", "..", "testdata", "labels", fmt.Sprintf("compliance-ucc128-%ddpi.zpl", dpi))
		if *update {
			require.NoError(t, os.WriteFile(path, got, 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./zpl/label -update to create it")
		assert.Equal(t, string(want), string(got))
	}
}

// TestComplianceLabelMeetsItsRules reads the built label back: the SSCC is the
// lowest barcode at the GS1 X-dimension with 32 mm bars, every barcode and
// every field lies inside its zone, and every value is printed whole.
func TestComplianceLabelMeetsItsRules(t *testing.T) {
	tpl := loadUCC128(t)
	for dpi, module := range map[zpl.DPI]int{zpl.DPI203: 4, zpl.DPI300: 6} {
		b, err := label.ComplianceLabel{Template: tpl, Values: tpl.Samples()}.Build(dpi)
		require.NoError(t, err)
		fields, all := fieldData(t, b)
		assert.Contains(t, all, "00106141411234567897")
		assert.Contains(t, all, "42046176")
		assert.Contains(t, all, "910042")
		assert.Contains(t, all, "PO: PO-778812")
		assert.Contains(t, all, "PRO: 4471203398")
		var sscc *decode.Field
		lowestOther := 0
		for i, f := range fields {
			switch {
			case f.Kind == decode.GS1128 && strings.HasPrefix(f.Data, "00"):
				sscc = &fields[i]
			case f.Kind == decode.GS1128 || f.Kind == decode.Code128:
				lowestOther = max(lowestOther, f.Y)
			}
			if f.Kind == decode.Text {
				assert.LessOrEqual(t, f.X+f.TextWidth(), dpi.Dots(101.6), "%q runs off the label", f.Data)
				assert.False(t, strings.HasSuffix(f.Data, "..."), "%q was shortened", f.Data)
			}
		}
		require.NotNil(t, sscc)
		assert.Equal(t, module, sscc.Module)
		h, err := strconv.Atoi(strings.Split(sscc.Symbol, ",")[1])
		require.NoError(t, err)
		assert.GreaterOrEqual(t, dpi.MM(h), 32.0)
		assert.Greater(t, sscc.Y, lowestOther, "the SSCC is the lowest barcode")
		assert.GreaterOrEqual(t, sscc.Y, dpi.Dots(101.6), "the SSCC is in zone I")
	}
}

func TestComplianceValidationReportsEachRule(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(m map[string]any)
		where string
		rule  string
	}{
		{"X too narrow", func(m map[string]any) { barcodeAt(m, 3)["module_mm"] = 0.3 }, "barcode 4 (00)", "X-dimension"},
		{"X too wide", func(m map[string]any) { barcodeAt(m, 0)["module_mm"] = 1.2 }, "barcode 1 (420)", "0.495–1.016"},
		{"SSCC bars too short", func(m map[string]any) { barcodeAt(m, 3)["height_mm"] = 25.0 }, "barcode 4 (00)", "at least 32.0 mm"},
		{"no HRI", func(m map[string]any) { barcodeAt(m, 2)["hri"] = false }, "barcode 3 (91)", "human-readable"},
		{"postal too long for the zone", func(m map[string]any) {
			m["sources"].(map[string]any)["ship_to.postal"].(map[string]any)["max_length"] = 9.0
		}, "barcode 1 (420)", "zone C carrier routing"},
		{"Code 128 too low", func(m map[string]any) { barcodeAt(m, 1)["height_mm"] = 5.0 }, "barcode 2 (pro)", "at least 6.35 mm"},
		{"SSCC not lowest", func(m map[string]any) { barcodeAt(m, 2)["zone"] = "I SSCC"; barcodeAt(m, 2)["y_mm"] = 42.0 }, "barcode 4 (00)", "lowest barcode"},
		{"field out of its zone", func(m map[string]any) { fieldAt(m, 6)["y_mm"] = 24.0 }, "field 7 (ship_to.name)", "runs out of zone B ship to"},
		{"exact field too narrow", func(m map[string]any) { fieldAt(m, 13)["width_mm"] = 10.0 }, "field 14 (pro)", "exact field"},
		{"font too small", func(m map[string]any) { fieldAt(m, 0)["font"] = map[string]any{"height_mm": 1.2} }, "field 1 (FROM:)", "legible"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ucc128Raw(t)
			tc.edit(m)
			tpl, err := parseRaw(t, m)
			require.NoError(t, err)
			probs := tpl.Validate(zpl.DPI203)
			var found bool
			for _, p := range probs {
				if p.Where == tc.where && strings.Contains(p.Rule, tc.rule) {
					found = true
				}
			}
			assert.True(t, found, "want %s: …%s…; got %v", tc.where, tc.rule, probs)
			_, err = label.ComplianceLabel{Template: tpl, Values: tpl.Samples()}.Build(zpl.DPI203)
			assert.ErrorIs(t, err, zpl.ErrLayout, "a template breaking a rule never prints")
		})
	}
}

func TestComplianceValues(t *testing.T) {
	tpl := loadUCC128(t)
	with := func(k, v string) map[string]string {
		m := tpl.Samples()
		m[k] = v
		return m
	}
	for _, tc := range []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"required missing", with("po", ""), "po is required"},
		{"too long", with("po", "PO-12345678901234"), "at most 15"},
		{"not digits", with("ship_to.postal", "4617A"), "must be digits"},
		{"unknown source", with("colour", "red"), `no source "colour"`},
		{"bad SSCC", with("sscc", "106141411234567890"), "check digit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := label.ComplianceLabel{Template: tpl, Values: tc.values}.Build(zpl.DPI203)
			require.ErrorIs(t, err, label.ErrInput)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// An optional source left out leaves its field and barcode off.
	m := tpl.Samples()
	delete(m, "pro")
	b, err := label.ComplianceLabel{Template: tpl, Values: m}.Build(zpl.DPI203)
	require.NoError(t, err)
	_, all := fieldData(t, b)
	assert.NotContains(t, all, "PRO:")
	assert.NotContains(t, all, "4471203398")
}

func TestComplianceEscapesEveryValue(t *testing.T) {
	tpl := loadUCC128(t)
	hostile := "^XZ~JR_x"
	m := tpl.Samples()
	m["ship_to.name"], m["bol"], m["store.name"] = hostile, hostile, hostile
	b, err := label.ComplianceLabel{Template: tpl, Values: m}.Build(zpl.DPI300)
	require.NoError(t, err)
	doc, err := decode.Parse(b)
	require.NoError(t, err)
	require.Len(t, doc.Formats, 1)
	require.Empty(t, doc.Controls)
	_, all := fieldData(t, b)
	assert.Contains(t, all, hostile)
	assert.Contains(t, all, "B/L: "+hostile)
}

func TestParseComplianceRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"unknown key", func(m map[string]any) { m["colour"] = "red" }, "unknown field"},
		{"unknown zone", func(m map[string]any) { fieldAt(m, 0)["zone"] = "Z" }, `unknown zone "Z"`},
		{"unknown source", func(m map[string]any) { fieldAt(m, 1)["source"] = "nobody" }, `unknown source "nobody"`},
		{"unknown AI", func(m map[string]any) {
			barcodeAt(m, 0)["elements"] = []any{map[string]any{"ai": "999", "source": "po"}}
		}, "AI (999)"},
		{"unknown symbology", func(m map[string]any) { barcodeAt(m, 1)["symbology"] = "qr" }, `symbology "qr"`},
		{"sample too long", func(m map[string]any) {
			m["sources"].(map[string]any)["dept"].(map[string]any)["sample"] = "1234567"
		}, "at most 6"},
		{"absurd size", func(m map[string]any) { m["width_mm"] = 1e9 }, "label size"},
		{"both text and source", func(m map[string]any) { fieldAt(m, 0)["source"] = "po" }, "either text or source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ucc128Raw(t)
			tc.edit(m)
			_, err := parseRaw(t, m)
			require.ErrorIs(t, err, label.ErrInput)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := label.ParseCompliance([]byte(`{"name":"x","width_mm":10,"length_mm":10} {}`))
	assert.ErrorIs(t, err, label.ErrInput, "data after the template")
	_, err = label.ParseCompliance([]byte(strings.Repeat(" ", 70<<10)))
	assert.ErrorIs(t, err, label.ErrInput, "oversized")
}

// FuzzComplianceTemplate decodes arbitrary templates: the decoder never
// panics, and a template it accepts validates and builds without panicking;
// whatever it builds is one format with no control command.
func FuzzComplianceTemplate(f *testing.F) {
	seed, err := os.ReadFile(ucc128Path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"name":"t","width_mm":50,"length_mm":30,"sources":{"a":{"max_length":3,"sample":"^~_"}},` +
		`"zones":[{"name":"z","x_mm":0,"y_mm":0,"width_mm":50,"height_mm":30}],` +
		`"fields":[{"zone":"z","x_mm":1,"y_mm":1,"font":{"height_mm":3},"source":"a"}],` +
		`"barcodes":[{"zone":"z","x_mm":0,"y_mm":8,"symbology":"code128","source":"a","module_mm":0.25,"height_mm":8}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := label.ParseCompliance(data)
		if err != nil {
			if !errors.Is(err, label.ErrInput) {
				t.Fatalf("a refused template wraps ErrInput: %v", err)
			}
			return
		}
		_ = tpl.Validate(zpl.DPI203)
		out, err := label.ComplianceLabel{Template: tpl, Values: tpl.Samples()}.Build(zpl.DPI203)
		if err != nil {
			return
		}
		doc, err := decode.Parse(out)
		if err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		if len(doc.Formats) != 1 || len(doc.Controls) != 0 {
			t.Fatalf("template changed the stream's structure: %q", out)
		}
	})
}
