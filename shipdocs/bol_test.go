package shipdocs

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
)

// extractPDFText extracts a PDF's text with poppler's pdftotext. Under CI=true a
// missing pdftotext fails the test (.ci/run installs poppler-utils);
// elsewhere the test is skipped.
func extractPDFText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: install poppler-utils (.ci/run does)")
		}
		t.Skip("pdftotext not found: apt-get install poppler-utils to run the PDF text checks")
	}
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	require.NoError(t, err, "pdftotext")
	return string(out)
}

func TestBillOfLadingPDFText(t *testing.T) {
	b, err := BillOfLadingPDF(fixPapers())
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
	text := extractPDFText(t, b)
	for _, want := range []string{
		"Bill of Lading Number: LD-0042", "Date: 2026-03-14",
		"SCAC: DMFL", "Demo Freight Lines", "Trailer number: TRL5309", "Seal number(s): SL-998877", "Pro number: PRO123456789",
		"RF Term Warehouse", "Acme Retail DC 7", "Beta Stores #12", "see customer order information",
		"PO-778899", "B-5521", "SO-1001", "SO-1002",
		"Prepaid",
		"40.23", "18.25", // total lb and kg
		"14.22", "6.45", // SO-1001: 6450 g
		"NMFC class", " 70", " 85",
		"SHORT: 1 planned carton", "003456789012345700",
		"SHIPPER SIGNATURE", "CARRIER SIGNATURE",
	} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `Grand total\s+2 orders\s+3\s+40\.23\s+18\.25`, text, "3 cartons on the load")
}

func TestBillOfLadingPDFOneConsigneeAndOddText(t *testing.T) {
	p := fixPapers()
	p.Shipments = p.Shipments[:1]
	p.Load.Loaded = p.Load.Loaded[1:]
	p.Load.Short = nil
	p.FreightTerms = FreightCollect
	p.Shipments[0].Order.ShipTo.Name = "Müller GmbH 日本"
	b, err := BillOfLadingPDF(p)
	require.NoError(t, err)
	text := extractPDFText(t, b)
	assert.Contains(t, text, "Müller GmbH ??", "Latin-1 prints, the rest is '?'")
	assert.Contains(t, text, "Collect")
	assert.NotContains(t, text, "see customer order information")
}

func TestBillOfLadingZPLRoundTrips(t *testing.T) {
	p := fixPapers()
	p.Carrier.Name = "^XZ^XA^FDPWNED"
	p.Load.Trailer = "~JA"
	p.Load.Seal = "_5E~HS"
	for _, dpi := range []zpl.DPI{zpl.DPI203, zpl.DPI300} {
		b, err := BillOfLadingZPL(p, dpi)
		require.NoError(t, err)
		doc, err := decode.Parse(b)
		require.NoError(t, err, "%s", b)
		require.Len(t, doc.Formats, 1)
		require.Empty(t, doc.Controls, "no ~ command escapes the format")
		texts := map[string]bool{}
		var code128 []string
		for _, f := range doc.Formats[0].Fields {
			switch f.Kind {
			case decode.Text:
				texts[f.Data] = true
			case decode.Code128:
				code128 = append(code128, f.Data)
			}
		}
		assert.Equal(t, []string{"LD-0042"}, code128)
		for _, want := range []string{"LD-0042", "^XZ^XA^FDPWNED  SCAC DMFL", "~JA", "_5E~HS", "PRO123456789", "DOOR-03", "2", "3", "40.23 LB  (18.25 KG)", "2026-03-14 16:05 UTC"} {
			assert.True(t, texts[want], "%q printed as is", want)
		}
		assert.NotContains(t, string(b), "^FDPWNED")
	}
}

func TestBillOfLadingRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*LoadPapers)
	}{
		{"load not closed", func(p *LoadPapers) { p.Load.Status = domain.LoadStatusLoading }},
		{"no SCAC", func(p *LoadPapers) { p.Carrier.SCAC = "" }},
		{"SCAC not letters", func(p *LoadPapers) { p.Carrier.SCAC = "D1" }},
		{"nothing loaded", func(p *LoadPapers) { p.Load.Loaded = nil }},
		{"a loaded carton's shipment missing", func(p *LoadPapers) { p.Shipments = p.Shipments[:1] }},
		{"no shipper", func(p *LoadPapers) { p.Shipper.Name = " " }},
		{"unknown terms", func(p *LoadPapers) { p.FreightTerms = "cod" }},
		{"negative weight", func(p *LoadPapers) { p.Shipments[0].Shipment.Cartons[0].WeightGrams = -1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := fixPapers()
			c.edit(&p)
			_, err := BillOfLadingPDF(p)
			assert.True(t, errors.Is(err, ErrInput), "PDF: %v", err)
			_, err = BillOfLadingZPL(p, zpl.DPI203)
			assert.True(t, errors.Is(err, ErrInput), "ZPL: %v", err)
		})
	}
	p := fixPapers()
	p.Load.ID = "LD-é"
	_, err := BillOfLadingZPL(p, zpl.DPI203)
	assert.True(t, errors.Is(err, ErrInput), "a load id Code 128 cannot carry: %v", err)
	_, err = BillOfLadingZPL(fixPapers(), 199)
	assert.Error(t, err, "not a Zebra resolution")
}

func TestManifest(t *testing.T) {
	rows := Manifest(fixPapers())
	require.Len(t, rows, 3)
	var order []string
	for _, r := range rows {
		order = append(order, r.SSCC)
		assert.Equal(t, r.SSCC, r.Tracking, "tracked by SSCC")
	}
	assert.Equal(t, []string{ssccC, ssccA, ssccB}, order, "in the order loaded")
	assert.Equal(t, ManifestRow{LoadID: "LD-0042", SSCC: ssccA, Tracking: ssccA, OrderID: "SO-1001", Carton: 1, Of: 2, WeightGrams: 4350, Service: "LTL", ShipTo: "Acme Retail DC 7, 43215, US"}, rows[1])
}

func TestManifestCSVGuardsFormulas(t *testing.T) {
	csv := string(ManifestCSV([]ManifestRow{
		{LoadID: "LD-1", SSCC: "=HYPERLINK(\"x\")", Tracking: "+1", OrderID: "-2", Service: "@SUM(A1)", ShipTo: "a,\"b\"\nc"},
	}))
	lines := strings.SplitN(csv, "\r\n", 2)
	assert.Equal(t, "load_id,sscc,tracking,order_id,carton,of,weight_g,service,ship_to", lines[0])
	assert.Equal(t, "LD-1,\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,0,0,0,'@SUM(A1),\"a,\"\"b\"\"\r\nc\"\r\n", lines[1], "encoding/csv writes a quoted line break as CRLF too")
}
