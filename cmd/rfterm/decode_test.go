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

	code, out, _ = runCaptured(t, "4006381333932\n0104006381333931\n", "decode", "--json")
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
