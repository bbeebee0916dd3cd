package label_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/label"
)

var (
	invShipper   = domain.Address{Name: "Demo DC", Street: "1 Dock Road", City: "Rotterdam", Postal: "3011 AA", Country: "NL"}
	invConsignee = domain.Address{Name: "Alpen Werkzeug AG - Wareneingang", Street: "Hardturmstrasse 161", City: "Zürich", Postal: "8005", Country: "CH"}
)

// invoiceFor makes an invoice of n distinct items through the domain's builder.
func invoiceFor(t *testing.T, n int) domain.CustomsInvoice {
	t.Helper()
	items := map[string]domain.Item{}
	var contents []domain.CartonContent
	for i := range n {
		sku := fmt.Sprintf("SKU-%03d", i+1)
		items[sku] = domain.Item{SKU: sku, Description: fmt.Sprintf("Hex bolt M%d zinc plated, box of 50", 4+i), WeightGrams: 100 * (i + 1),
			Customs: domain.Customs{HSCode: "73181595", Origin: "TW", ValueCents: int64(1000 + i*250), Currency: "EUR"}}
		contents = append(contents, domain.CartonContent{Line: i + 1, SKU: sku, Qty: i%3 + 1})
	}
	inv, err := domain.NewCustomsInvoice(domain.InvoiceRef{Number: "CI-SO-10016", Date: "2026-03-02", Shipper: invShipper}, "SO-10016", invConsignee,
		[]domain.PackCarton{{SSCC: "1", WeightGrams: 5230, Contents: contents}}, items)
	require.NoError(t, err)
	return inv
}

func TestInvoiceGolden(t *testing.T) {
	for name, n := range map[string]int{"invoice": 4, "invoice-long": 14} {
		for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
			got, err := label.CommercialInvoice{Invoice: invoiceFor(t, n)}.Build(dpi)
			require.NoError(t, err)
			path := filepath.Join("..", "..", "testdata", "labels", fmt.Sprintf("%s-%ddpi.zpl", name, dpi))
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./zpl/label -update to create it")
			assert.Equal(t, string(want), string(got))
		}
	}
}

func TestInvoiceContinuesOverPages(t *testing.T) {
	inv := invoiceFor(t, 14)
	for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
		c := label.CommercialInvoice{Invoice: inv}
		b, err := c.Build(dpi)
		require.NoError(t, err)
		doc, err := decode.Parse(b)
		require.NoError(t, err)
		pages := c.Pages(dpi)
		require.Greater(t, pages, 1)
		require.Len(t, doc.Formats, pages)
		seen := map[string]int{}
		for i, f := range doc.Formats {
			var texts []string
			for _, fl := range f.Fields {
				texts = append(texts, fl.Data)
				if fl.Kind == decode.Text || fl.Kind == decode.TextBlock {
					assert.LessOrEqual(t, fl.X+fl.TextWidth(), dpi.Dots(101.6-4)+1, "%q runs past the margin", fl.Data)
					assert.Less(t, fl.Y, dpi.Dots(152.4))
				}
				if strings.HasPrefix(fl.Data, "SKU-") {
					seen[fl.Data[:7]]++
				}
			}
			all := strings.Join(texts, "\n")
			assert.Contains(t, all, fmt.Sprintf("PAGE %d OF %d", i+1, pages))
			assert.Contains(t, all, "INVOICE CI-SO-10016")
			assert.Contains(t, all, "Alpen Werkzeug AG - Wareneingang")
			assert.Contains(t, all, "INCOTERM DAP   CURRENCY EUR")
			if i == pages-1 {
				assert.Contains(t, all, "TOTAL VALUE "+fmt.Sprintf("%d.%02d", inv.ValueCents/100, inv.ValueCents%100)+" EUR")
				assert.Contains(t, all, "CARTONS 1   LINES 14")
				assert.Contains(t, all, "GROSS WEIGHT 5.230 KG")
			} else {
				assert.Contains(t, all, "CONTINUED ON NEXT LABEL")
				assert.NotContains(t, all, "TOTAL VALUE")
			}
		}
		assert.Len(t, seen, 14, "every line on exactly one page")
		for sku, n := range seen {
			assert.Equal(t, 1, n, sku)
		}
	}
}

func TestInvoiceLineFigures(t *testing.T) {
	b, err := label.CommercialInvoice{Invoice: invoiceFor(t, 2)}.Build(zpl.DPI203)
	require.NoError(t, err)
	_, all := fieldData(t, b)
	for _, want := range []string{"SKU-001 Hex bolt M4 zinc plated, box of 50", "73181595", "TW", "10.00", "12.50", "25.00", "NET WEIGHT 0.500 KG"} {
		assert.Contains(t, all, want)
	}
}

func TestInvoiceRefusesIncompleteData(t *testing.T) {
	inv := invoiceFor(t, 1)
	inv.Lines[0].HSCode = ""
	_, err := label.CommercialInvoice{Invoice: inv}.Build(zpl.DPI203)
	assert.ErrorIs(t, err, label.ErrInput)
	_, err = label.CommercialInvoice{}.Build(zpl.DPI203)
	assert.ErrorIs(t, err, label.ErrInput)
}
