package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ucc128Template = "../../zpl/label/compliance/ucc128-retail.json"

func TestLabelCompliance(t *testing.T) {
	code, out, errOut := run(t, "", "label", "compliance", "--template", ucc128Template, "--samples",
		"--set", "po=PO-4242", "--set", "sscc=10614141000000017", "--dpi", "300")
	require.Equal(t, 0, code, errOut)
	data := decodedData(t, out)
	assert.Contains(t, data, "PO: PO-4242")
	assert.Contains(t, data, "00106141410000000170")
	assert.Contains(t, out, "^BY6")

	code, _, errOut = run(t, "", "label", "compliance", "--template", ucc128Template, "--set", "po=PO-4242")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "is required")
}

func TestLabelValidate(t *testing.T) {
	code, out, errOut := run(t, "", "label", "validate", "--template", ucc128Template)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "203 dpi: ok")
	assert.Contains(t, out, "300 dpi: ok")

	b, err := os.ReadFile(ucc128Template)
	require.NoError(t, err)
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(string(b), `"height_mm": 32`, `"height_mm": 20`, 1)), 0o644))
	code, out, _ = run(t, "", "label", "validate", "--template", bad, "--dpi", "203")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "203 dpi: barcode 4 (00): bars 20.0 mm high; at least 32.0 mm")

	code, _, _ = run(t, "", "label", "validate", "--template", filepath.Join(t.TempDir(), "missing.json"))
	assert.Equal(t, 2, code)
}

func TestLabelInvoice(t *testing.T) {
	code, out, errOut := run(t, "", "label", "invoice", "--order", "SO-10016", "--date", "2026-03-02", "--incoterm", "DDP")
	require.Equal(t, 0, code, errOut)
	all := strings.Join(decodedData(t, out), "\n")
	assert.Contains(t, all, "COMMERCIAL INVOICE")
	assert.Contains(t, all, "INVOICE CI-SO-10016")
	assert.Contains(t, all, "INCOTERM DDP   CURRENCY EUR")
	assert.Contains(t, all, "Alpen Werkzeug AG - Wareneingang")
	assert.Contains(t, all, "85044095") // the charger's HS code
	assert.Contains(t, all, "PAGE 1 OF 1")

	code, _, errOut = run(t, "", "label", "invoice", "--order", "SO-10016", "--incoterm", "XYZ")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Incoterms 2020")
	code, _, errOut = run(t, "", "label", "invoice", "--order", "SO-0")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `no order "SO-0"`)
}
