package label_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
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

var update = flag.Bool("update", false, "rewrite the golden files in testdata/labels")

var (
	from     = domain.Address{Name: "rfterm Demo DC", Street: "1 Dock Road", City: "Springfield", Postal: "12345", Country: "US"}
	to       = domain.Address{Name: "ACME Retail #42", Street: "500 Market St", City: "Shelbyville", Postal: "54321", Country: "US"}
	longTo   = domain.Address{Name: "Goods In - Northside Facilities", Street: "Unit 7, Riverside Park", City: "Manchester", Postal: "M17 1RD", Country: "GB"}
	demoFrom = domain.Address{Name: "Demo DC Leeds", Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}
)

// demoLines are packing lines from the demo items, with descriptions that
// differ only at their ends.
var demoLines = []label.PackingLine{
	{SKU: "GL-7731", Description: "Nitrile gloves size L, box of 100", Qty: 2},
	{SKU: "GL-7732", Description: "Nitrile gloves size XL, box of 100", Qty: 1},
	{SKU: "AD-0310", Description: "Construction adhesive 310ml cartridge", Qty: 12},
	{SKU: "AD-0312", Description: "Construction adhesive 310ml, case of 12", Qty: 1},
	{SKU: "EX-1025", Description: "Extension cord 25m H07RN-F 3G1.5", Qty: 1},
	{SKU: "KN-0180", Description: "Safety utility knife 18mm auto-retract, with ten spare blades in a dispenser, a belt clip for the holster, a lanyard and a blade disposal box for the van", Qty: 3},
}

// samples are the labels kept as golden files.
func samples() map[string]label.Builder {
	lines := make([]label.PackingLine, 25)
	for i := range lines {
		lines[i] = label.PackingLine{SKU: fmt.Sprintf("SKU-%03d", i+1), Description: fmt.Sprintf("Widget model %d, blue", i+1), Qty: i%3 + 1}
	}
	return map[string]label.Builder{
		"sscc":             label.SSCC{SSCC: "10614141123456789", ShipFrom: from, ShipTo: to, Order: "SO-1001", Carton: 1, Cartons: 2},
		"ship":             label.Shipping{From: from, To: to, Carrier: "UPS", Service: "GROUND", Tracking: "1Z999AA10123456784", Order: "SO-1001", WeightGrams: 2350, Carton: 1, Cartons: 2},
		"lpn":              label.LPN{LPN: "TOTE-000123", Text: "Zone A picking"},
		"bin":              label.Bin{Location: "A-01-02-03", Text: "Aisle A, bay 1, level 2, slot 3"},
		"packinglist":      label.PackingList{Order: "SO-1001", ShipTo: to, Carton: 1, Cartons: 2, Lines: lines},
		"packinglist-demo": label.PackingList{Order: "SO-10003", ShipTo: longTo, Carton: 1, Cartons: 1, Lines: demoLines},
		"sscc-long":        label.SSCC{SSCC: "10614141123456789", ShipFrom: demoFrom, ShipTo: longTo, Order: "SO-10003", Carton: 1, Cartons: 1},
		"ship-sscc":        label.Shipping{From: demoFrom, To: longTo, Carrier: "Demo Freight", Service: "ECONOMY", SSCC: "106141411234567897", Order: "SO-10003", WeightGrams: 4200, Carton: 1, Cartons: 1},
		"logistic": label.Logistic{SSCC: "10614141123456789", Supplier: from, ShipTo: to, Carrier: "Demo Freight", Service: "ECONOMY",
			PurchaseOrder: "PO-778812", Carton: 2, Cartons: 5, Content: &label.Content{GTIN: "10614141000002", Description: "Laser meter", Count: 12}},
		"logistic-4x8": label.Logistic{SSCC: "10614141123456789", Supplier: from, ShipTo: to, Carrier: "Demo Freight", Service: "ECONOMY",
			PurchaseOrder: "PO-778812", Carton: 2, Cartons: 5, LengthMM: 203.2,
			Content: &label.Content{GTIN: "10614141000002", Description: "Laser meter", Count: 12, Batch: "L2607", BestBefore: "271231"}},
		"logistic-intl": label.Logistic{SSCC: "10614141123456789", Supplier: demoFrom, ShipTo: longTo, Carrier: "Demo Freight",
			Content: &label.Content{GTIN: "05401230041002", Description: "Hex bolt M8x40 zinc, box of 50", Count: 24}},
		"route":         label.Route{RMA: "RMA-50001", OrderID: "SO-1001", SKU: "DR-5520", Description: "Cordless drill 18V brushless, body only", Serial: "SN4410099887766554433", Qty: 1, Condition: domain.CondDamaged, Disposition: domain.DispVendor, Expected: true},
		"route-unknown": label.Route{RMA: "RMA-50002", Code: "4006381333931", Serial: "AB12345678901234567Z", Qty: 1, Condition: domain.CondOpened, Disposition: domain.DispQuarantine},
	}
}

func TestGoldenLabels(t *testing.T) {
	for name, b := range samples() {
		for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
			t.Run(fmt.Sprintf("%s-%d", name, dpi), func(t *testing.T) {
				got, err := b.Build(dpi)
				require.NoError(t, err)
				path := filepath.Join("..", "..", "testdata", "labels", fmt.Sprintf("%s-%ddpi.zpl", name, dpi))
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, got, 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./zpl/label -update to create it")
				assert.Equal(t, string(want), string(got))
				doc, err := decode.Parse(got)
				require.NoError(t, err)
				require.Empty(t, doc.Controls)
				for _, f := range doc.Formats {
					assert.True(t, f.UTF8)
					assert.Equal(t, dpi.Dots(101.6), f.Width)
				}
			})
		}
	}
}

// fieldData lists every field's decoded data across the formats.
func fieldData(t *testing.T, b []byte) ([]decode.Field, string) {
	t.Helper()
	doc, err := decode.Parse(b)
	require.NoError(t, err, "%s", b)
	require.Empty(t, doc.Controls)
	var fields []decode.Field
	var all []string
	for _, f := range doc.Formats {
		fields = append(fields, f.Fields...)
		for _, fl := range f.Fields {
			all = append(all, fl.Data)
		}
	}
	return fields, strings.Join(all, "\n")
}

func TestSSCCMeetsGS1Rules(t *testing.T) {
	for dpi, module := range map[zpl.DPI]int{zpl.DPI203: 4, zpl.DPI300: 6, zpl.DPI600: 12} {
		b, err := label.SSCC{SSCC: "10614141123456789"}.Build(dpi)
		require.NoError(t, err)
		fields, _ := fieldData(t, b)
		var bar *decode.Field
		maxY := 0
		for i, f := range fields {
			if f.Kind == decode.GS1128 {
				bar = &fields[i]
			}
			if f.Kind != decode.Text || !strings.HasPrefix(f.Data, "(00)") {
				maxY = max(maxY, f.Y)
			}
		}
		require.NotNil(t, bar)
		assert.Equal(t, "00106141411234567897", bar.Data, "check digit 7 computed")
		els, err := gs1.Parse(bar.Data)
		require.NoError(t, err)
		assert.Equal(t, []gs1.Element{{AI: "00", Value: "106141411234567897"}}, els)
		assert.Equal(t, module, bar.Module, "X-dimension at %d dpi", dpi)
		assert.GreaterOrEqual(t, dpi.MM(module), 0.495)
		h, err := strconv.Atoi(strings.Split(bar.Symbol, ",")[1])
		require.NoError(t, err)
		assert.GreaterOrEqual(t, dpi.MM(h), 32.0, "bar height")
		assert.Equal(t, maxY, bar.Y, "SSCC is the lowest barcode")
		assert.Contains(t, textData(fields), "(00) 106141411234567897")
	}
}

func textData(fields []decode.Field) []string {
	var out []string
	for _, f := range fields {
		if f.Kind == decode.Text {
			out = append(out, f.Data)
		}
	}
	return out
}

func TestNormalizeSSCC(t *testing.T) {
	s, err := label.NormalizeSSCC("10614141123456789")
	require.NoError(t, err)
	assert.Equal(t, "106141411234567897", s)
	s, err = label.NormalizeSSCC("106141411234567897")
	require.NoError(t, err)
	assert.Equal(t, "106141411234567897", s)
	_, err = label.NormalizeSSCC("106141411234567890")
	require.ErrorIs(t, err, label.ErrInput)
	assert.Contains(t, err.Error(), "expected 7")
	for _, bad := range []string{"", "123", "1061414112345678x", "1234567890123456789"} {
		_, err := label.NormalizeSSCC(bad)
		assert.ErrorIs(t, err, label.ErrInput, bad)
	}
}

// hostileAddress carries injection attempts in every part.
var hostileAddress = domain.Address{Name: "^XZ^XA^FO0,0^FDPWNED", Street: "~JR reset", City: "Zürich_é", Postal: "[red]X[-]", Country: "日本"}

func TestEveryLabelCarriesHostileDataIntact(t *testing.T) {
	builders := map[string]label.Builder{
		"sscc": label.SSCC{SSCC: "106141411234567897", ShipFrom: hostileAddress, ShipTo: hostileAddress, Order: "~JR"},
		"ship": label.Shipping{From: hostileAddress, To: hostileAddress, Carrier: "^XZ", Service: "~HS", Tracking: "^XZ^XA~JR_>", Order: "A_B"},
		"lpn":  label.LPN{LPN: "~JR^XZ", Text: "^FDPWNED"},
		"bin":  label.Bin{Location: "A_~JR^XZ", Text: "[yellow]tag[-]"},
		"pack": label.PackingList{Order: "^XZ", ShipTo: hostileAddress, Lines: []label.PackingLine{{SKU: "~JR", Description: "^XZ^XA", Qty: 1}}},
	}
	ttf := zpl.Device{DPI: zpl.DPI203, TrueType: "E:ANMDJ.TTF"}
	for name, b := range builders {
		out, err := label.BuildFor(b, ttf)
		require.NoError(t, err, name)
		fields, all := fieldData(t, out)
		require.NotEmpty(t, fields)
		for _, want := range []string{"^XZ", "~JR"} {
			assert.Contains(t, all, want, "%s: data kept verbatim", name)
		}
	}
	out, err := label.BuildFor(builders["ship"], zpl.Device{DPI: zpl.DPI300, TrueType: "E:ANMDJ.TTF"})
	require.NoError(t, err)
	_, all := fieldData(t, out)
	for _, want := range []string{hostileAddress.Name, hostileAddress.Street, hostileAddress.Postal + " " + hostileAddress.City, hostileAddress.Country} {
		assert.Contains(t, all, want)
	}
	assert.Contains(t, all, "^XZ^XA~JR_>", "tracking barcode data")
}

func TestPackingListContinues(t *testing.T) {
	lines := make([]label.PackingLine, 45)
	for i := range lines {
		lines[i] = label.PackingLine{SKU: fmt.Sprintf("S%02d", i), Description: "d", Qty: 1}
	}
	p := label.PackingList{Order: "SO-9", Lines: lines}
	assert.Equal(t, 3, p.Pages(zpl.DPI203))
	b, err := p.Build(zpl.DPI203)
	require.NoError(t, err)
	doc, err := decode.Parse(b)
	require.NoError(t, err)
	require.Len(t, doc.Formats, 3)
	seen := map[string]int{}
	for i, f := range doc.Formats {
		var texts []string
		for _, fl := range f.Fields {
			texts = append(texts, fl.Data)
			seen[fl.Data]++
		}
		assert.Contains(t, texts, fmt.Sprintf("PAGE %d OF 3", i+1))
		assert.NotContains(t, texts, "* DESCRIPTION SHORTENED: SEE THE ORDER FOR THE FULL TEXT", "nothing was shortened")
	}
	for _, ln := range lines {
		assert.Equal(t, 1, seen[ln.SKU], ln.SKU)
	}
	assert.Equal(t, 1, seen["45 LINES, 45 UNITS"])
}

func TestLabelInputErrors(t *testing.T) {
	for name, b := range map[string]label.Builder{
		"sscc bad check": label.SSCC{SSCC: "106141411234567890"},
		"ship no to":     label.Shipping{Carrier: "UPS", Tracking: "1Z"},
		"ship no track":  label.Shipping{To: to, Carrier: "UPS"},
		"route no rma":   label.Route{Serial: "X", Disposition: domain.DispScrap},
		"route no code":  label.Route{RMA: "RMA-1", Disposition: domain.DispScrap},
		"ship carton":    label.Shipping{To: to, Carrier: "UPS", Tracking: "1Z", Carton: 3, Cartons: 2},
		"lpn empty":      label.LPN{},
		"bin empty":      label.Bin{},
		"pack qty":       label.PackingList{Order: "X", Lines: []label.PackingLine{{SKU: "A", Qty: 0}}},
		"carrier junk":   label.Carrier{ZPL: []byte("hello")},
		"carrier empty":  label.Carrier{},
	} {
		_, err := b.Build(zpl.DPI203)
		assert.ErrorIs(t, err, label.ErrInput, name)
	}
	_, err := label.Shipping{To: to, Carrier: "UPS", Tracking: "Ünicode"}.Build(zpl.DPI203)
	assert.ErrorIs(t, err, zpl.ErrData, "tracking must be ASCII")
}

func TestCarrierZPLIsPrintedUnchanged(t *testing.T) {
	in := []byte("^XA^FO50,50^GFA,8,8,1,FFFFFFFFFFFFFFFF^FS\r\n^FO10,10^FDcarrier_data^FS^XZ\n")
	out, err := label.Carrier{ZPL: in}.Build(zpl.DPI300)
	require.NoError(t, err)
	assert.Equal(t, in, out)
}
