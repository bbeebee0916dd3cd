package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/decode"
	"github.com/rfterm/rfterm/zpl/fakeprinter"
)

// run drives a subcommand with captured stdio.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = dispatch(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// decodedData parses ZPL output and returns every field's data.
func decodedData(t *testing.T, z string) []string {
	t.Helper()
	doc, err := decode.Parse([]byte(z))
	require.NoError(t, err, z)
	var out []string
	for _, f := range doc.Formats {
		for _, fl := range f.Fields {
			out = append(out, fl.Data)
		}
	}
	return out
}

func TestLabelSSCC(t *testing.T) {
	code, out, errOut := run(t, "", "label", "sscc", "--sscc", "10614141123456789", "--dpi", "300", "--to", "ACME|1 Main St|12345|Springfield|US")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "^PW1200")
	assert.Contains(t, out, "^BY6")
	data := decodedData(t, out)
	assert.Contains(t, data, "00106141411234567897")
	assert.Contains(t, data, "(00) 106141411234567897")
	assert.Contains(t, data, "ACME")
}

func TestLabelSSCCBadCheckDigit(t *testing.T) {
	code, out, errOut := run(t, "", "label", "sscc", "--sscc", "106141411234567890")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "expected 7")
}

func TestLabelShipLPNBinPacklist(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"ship", "--to", "ACME^XZ", "--carrier", "UPS", "--service", "GROUND", "--tracking", "1Z999AA10123456784", "--order", "SO-1", "--weight-g", "1500", "--carton", "1", "--cartons", "1"},
			[]string{"ACME^XZ", "1Z999AA10123456784", "SO-1", "1.500 KG", "CARTON 1 OF 1"}},
		{[]string{"lpn", "--lpn", "TOTE-1"}, []string{"TOTE-1"}},
		{[]string{"bin", "--location", "A-01-02", "--text", "~JR top shelf"}, []string{"A-01-02", "~JR top shelf"}},
		{[]string{"packlist", "--order", "SO-1", "--line", "SKU1:2:Blue widget", "--line", "SKU2:1:"}, []string{"SKU1", "Blue widget", "SKU2", "2 LINES, 3 UNITS"}},
	} {
		code, out, errOut := run(t, "", append([]string{"label"}, tc.args...)...)
		require.Equal(t, 0, code, "%v: %s", tc.args, errOut)
		data := decodedData(t, out)
		for _, w := range tc.want {
			assert.Contains(t, data, w, "%v", tc.args)
		}
	}
}

func TestLabelTemplate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tag.zplt")
	require.NoError(t, os.WriteFile(path, []byte("^XA^FO10,10^A0N,30,30^FD{{name}}^FS^XZ"), 0o644))
	code, out, errOut := run(t, "", "label", "template", "--file", path, "--set", "name=^XZ~JR")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, []string{"^XZ~JR"}, decodedData(t, out))
	code, _, errOut = run(t, "", "label", "template", "--file", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "missing fields [name]")
}

func TestLabelUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"label"}, {"label", "nope"}, {"label", "lpn"}, {"label", "lpn", "--lpn", "X", "--dpi", "250"}, {"label", "bin", "--bogus"}, {"label", "lpn", "--lpn", "X", "extra"}} {
		code, out, errOut := run(t, "", args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, out)
		assert.NotEmpty(t, errOut)
	}
}

func TestLabelFollowsThePrintersResolution(t *testing.T) {
	fp := fakeprinter.New(fakeprinter.Options{DPI: zpl.DPI300})
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	defer fp.Close()
	code, out, errOut := run(t, "", "label", "lpn", "--lpn", "T-1", "--printer", fp.Addr())
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "^PW1200")
	fp.SetSilent(true)
	code, _, errOut = run(t, "", "label", "lpn", "--lpn", "T-1", "--printer", fp.Addr(), "--status-timeout", "100ms")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "not answering")
}

func TestLabelPreview(t *testing.T) {
	code, z, errOut := run(t, "", "label", "logistic", "--sscc", "10614141123456789", "--dpi", "300",
		"--from", "Demo DC|1 Dock Road|3011 AA|Rotterdam|NL", "--to", "Goods In - Northside Facilities|Unit 7, Riverside Park|M17 1RD|Manchester|GB",
		"--gtin", "05401230041002", "--count", "24")
	require.Equal(t, 0, code, errOut)
	path := filepath.Join(t.TempDir(), "label.zpl")
	require.NoError(t, os.WriteFile(path, []byte(z), 0o644))
	code, out, errOut := run(t, "", "label", "preview", path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "at 300 dpi", "the resolution follows ^PW")
	assert.Contains(t, out, "Goods In - Northside Facilities")
	assert.Contains(t, out, "▐(02) 05401230041002 (37) 24▌")
	assert.Contains(t, out, "▐(421) 826M171RD▌")
	assert.Contains(t, out, "▐(00) 106141411234567897▌")
	code, _, errOut = run(t, "^XA^FO1,1^FDx", "label", "preview", "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "zpl syntax")
}

func TestLabelRouteAndTrueType(t *testing.T) {
	code, out, errOut := run(t, "", "label", "route", "--rma", "RMA-50001", "--serial", "ABCDEFGHJK-LMNPQRSTU", "--sku", "DR-5520",
		"--condition", "damaged", "--disposition", "return_to_vendor")
	require.Equal(t, 0, code, errOut)
	data := decodedData(t, out)
	assert.Contains(t, data, "RETURN TO VENDOR")
	assert.Contains(t, data, "ABCDEFGHJK-LMNPQRSTU")
	code, _, errOut = run(t, "", "label", "lpn", "--lpn", "T1", "--text", "東京")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "TrueType")
	code, out, errOut = run(t, "", "label", "lpn", "--lpn", "T1", "--text", "東京", "--ttf", "E:ANMDJ.TTF")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "^A@N,")
}
