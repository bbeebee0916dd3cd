package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCaptured(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = dispatch(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &o, err: &e})
	return code, o.String(), e.String()
}

func decodeJSON(t *testing.T, out string) []map[string]any {
	t.Helper()
	var res []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var m map[string]any
		require.NoError(t, dec.Decode(&m))
		res = append(res, m)
	}
	return res
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	return k
}

func TestDecodeJSONGS1(t *testing.T) {
	code, out, _ := runCaptured(t, "", "decode", "--json", `]C10109506000134352\x1d1726020010LOT7\x1d3103000525`)
	assert.Equal(t, 0, code)
	res := decodeJSON(t, out)
	require.Len(t, res, 1)
	r := res[0]
	assert.ElementsMatch(t, []string{"raw", "aim", "symbology", "kind", "valid", "elements"}, keys(r))
	assert.Equal(t, "]C10109506000134352\x1d1726020010LOT7\x1d3103000525", r["raw"])
	assert.Equal(t, "]C1", r["aim"])
	assert.Equal(t, "GS1-128", r["symbology"])
	assert.Equal(t, "gs1", r["kind"])
	assert.Equal(t, true, r["valid"])
	els := r["elements"].([]any)
	require.Len(t, els, 4)
	want := []map[string]any{
		{"ai": "01", "title": "GTIN", "value": "09506000134352"},
		{"ai": "17", "title": "USE BY or EXPIRY", "value": "260200", "date": "2026-02-28"},
		{"ai": "10", "title": "BATCH/LOT", "value": "LOT7"},
		{"ai": "3103", "title": "NET WEIGHT (kg)", "value": "000525", "decimal": "0.525"},
	}
	for i, w := range want {
		assert.Equal(t, w, els[i], "element %d", i)
	}
}

func TestDecodeStdinKindsAndExitCodes(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.json")
	require.NoError(t, os.WriteFile(rules, []byte(`[{"kind":"location","pattern":"^[A-Z]-\\d{2}-\\d{2}$"},{"kind":"lpn","pattern":"^LP\\d{6}$"},{"kind":"badge","pattern":"^U\\d{4}$"}]`), 0o600))
	stdin := "]E04006381333931\r\nA-01-02\nLP000042\nU1001\n\n(01)09506000134352(3102)002000\nhttps://id.gs1.org/01/09506000134352/10/X1\n"
	code, out, errOut := runCaptured(t, stdin, "decode", "--json", "--rules", rules)
	assert.Equal(t, 0, code, errOut)
	res := decodeJSON(t, out)
	require.Len(t, res, 6)
	kinds := []string{}
	for _, r := range res {
		kinds = append(kinds, r["kind"].(string))
		assert.Equal(t, true, r["valid"], r["raw"])
	}
	assert.Equal(t, []string{"gtin", "location", "lpn", "badge", "gs1", "gs1"}, kinds)
	assert.Equal(t, []any{map[string]any{"ai": "01", "title": "GTIN", "value": "04006381333931"}}, res[0]["elements"], "EAN-13 is element 01, padded")
	assert.Equal(t, "20.00", res[4]["elements"].([]any)[1].(map[string]any)["decimal"])
	assert.ElementsMatch(t, []string{"raw", "aim", "kind", "valid"}, keys(res[1]), "no symbology without AIM, no elements for a location")

	code, out, _ = runCaptured(t, "4006381333932\n]C10104006381333931\n", "decode", "--json")
	assert.Equal(t, 1, code, "one invalid scan makes exit status 1")
	res = decodeJSON(t, out)
	require.Len(t, res, 2)
	assert.Equal(t, false, res[0]["valid"])
	assert.Contains(t, res[0]["error"], "check digit")
	assert.Equal(t, true, res[1]["valid"])
}

func TestDecodeBadInput(t *testing.T) {
	code, out, _ := runCaptured(t, "", "decode", "--json", "AB\x00CD", "\xff\xfe", "]C1ZZ")
	assert.Equal(t, 1, code)
	res := decodeJSON(t, out)
	require.Len(t, res, 3)
	for _, r := range res {
		assert.Equal(t, false, r["valid"])
		assert.NotEmpty(t, r["error"])
	}
	code, _, errOut := runCaptured(t, strings.Repeat("9", maxDecodeLine+10), "decode")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "too long")
	code, _, _ = runCaptured(t, "", "decode", "--nope")
	assert.Equal(t, 2, code)
}

func TestDecodeText(t *testing.T) {
	code, out, _ := runCaptured(t, "", "decode", "(01)09506000134352(17)260200")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "gs1, valid")
	assert.Contains(t, out, "(17)   USE BY or EXPIRY")
	assert.Contains(t, out, "= 2026-02-28")
}

func TestDecodeUnknownKindFails(t *testing.T) {
	code, out, _ := runCaptured(t, "", "decode", "--json", "SKU-100")
	assert.Equal(t, 1, code, "a scan of no known kind is not valid")
	res := decodeJSON(t, out)
	require.Len(t, res, 1)
	assert.Equal(t, "unknown", res[0]["kind"])
	assert.Equal(t, false, res[0]["valid"])
	assert.Contains(t, res[0]["error"], "no site barcode rule matches")

	code, out, _ = runCaptured(t, "", "decode", "SKU-100")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "INVALID: unknown kind")
}

// TestDecodeStandardExamples decodes examples of the GS1 Digital Link
// standard and the General Specifications and checks what they say.
func TestDecodeStandardExamples(t *testing.T) {
	code, out, errOut := runCaptured(t, "", "decode", "--json",
		"https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
		"https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225",
		"https://id.gs1.org/414/9520123456788/254/32a%2Fb",
		`]C10109520123456788\x1d3103000195\x1d39329780299`,
	)
	assert.Equal(t, 0, code, errOut)
	res := decodeJSON(t, out)
	require.Len(t, res, 4)
	el := func(r map[string]any, i int) map[string]any { return r["elements"].([]any)[i].(map[string]any) }
	assert.Equal(t, "ABC1", el(res[0], 1)["value"])
	assert.Equal(t, "12345", el(res[0], 2)["value"])
	assert.Equal(t, "2018-04-26", el(res[0], 3)["date"])
	assert.Equal(t, "0.195", el(res[1], 1)["decimal"])
	assert.Equal(t, "2.99", el(res[1], 2)["decimal"])
	assert.Equal(t, "32a/b", el(res[2], 1)["value"])
	assert.Equal(t, map[string]any{"ai": "3932", "title": "PRICE", "value": "9780299", "decimal": "2.99", "currency": "EUR"}, el(res[3], 2))

	code, out, _ = runCaptured(t, "", "decode", "--json",
		"https://id.gs1.org/01/09520123456788/10/ABC1/22/2A", // qualifiers out of order
		"https://example.com/01/09520123456788?10=ABC123",    // a qualifier in the query
		"]E0123456789012", // 12 digits behind ]E0
		"(1)12345",        // malformed bracketed
	)
	assert.Equal(t, 1, code)
	for _, r := range decodeJSON(t, out) {
		assert.Equal(t, false, r["valid"], r["raw"])
		assert.NotEmpty(t, r["error"], r["raw"])
	}
}
