package barcode

import (
	"errors"
	"testing"
	"time"

	"github.com/rfterm/rfterm/barcode/gs1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func demoRules(t *testing.T) *Rules {
	t.Helper()
	r, err := NewRules([]Rule{
		{Kind: KindBadge, Pattern: `^U\d{4}$`},
		{Kind: KindTote, Pattern: `^T\d{5}$`},
		{Kind: KindLocation, Pattern: `^[A-Z]{1,3}-\d{2}-\d{2}$`},
	})
	require.NoError(t, err)
	return r
}

func TestClassify(t *testing.T) {
	r := demoRules(t)
	now := time.Now()
	cases := []struct {
		raw  string
		kind Kind
		gtin string
		lot  string
		bad  bool
	}{
		{"U1001", KindBadge, "", "", false},
		{"T00042", KindTote, "", "", false},
		{"A-01-02", KindLocation, "", "", false},
		{"4006381333931", KindGTIN, "04006381333931", "", false},
		{"]E04006381333931", KindGTIN, "04006381333931", "", false},
		{"4006381333932", KindGTIN, "", "", true},
		{"]C1010400638133393110LOT7", KindGS1, "04006381333931", "LOT7", false},
		{"0104006381333931\x1d10LOT7", KindGS1, "04006381333931", "LOT7", false},
		{"(01)04006381333931(10)LOT7", KindGS1, "04006381333931", "LOT7", false},
		{"]C1019999", KindGS1, "", "", true},
		{"[red]X", KindUnknown, "", "", false},
		{"SKU-100", KindUnknown, "", "", false},
	}
	for _, c := range cases {
		got := r.Classify(NewScan(c.raw, now, "test"))
		assert.Equal(t, c.kind, got.Kind, "%q", c.raw)
		assert.Equal(t, c.gtin, got.GTIN, "%q", c.raw)
		assert.Equal(t, c.lot, got.Lot, "%q", c.raw)
		assert.Equal(t, c.bad, got.Err != nil, "%q: %v", c.raw, got.Err)
	}
	bad := r.Classify(NewScan("4006381333932", now, "test"))
	assert.True(t, errors.Is(bad.Err, ErrCheckDigit))
}

func TestNewRulesRejects(t *testing.T) {
	_, err := NewRules([]Rule{{Kind: KindTote, Pattern: `(`}})
	assert.Error(t, err)
	_, err = NewRules([]Rule{{Kind: KindGTIN, Pattern: `.`}})
	assert.Error(t, err)
}

func TestSplitAIM(t *testing.T) {
	aim, data := SplitAIM("]C10104006381333931")
	assert.Equal(t, "]C1", aim)
	assert.Equal(t, "0104006381333931", data)
	aim, data = SplitAIM("A-01-01")
	assert.Equal(t, "", aim)
	assert.Equal(t, "A-01-01", data)
}

func TestClassifyMoreForms(t *testing.T) {
	r := demoRules(t)
	now := time.Now()
	c := r.Classify(NewScan("]Q1https://id.gs1.org/01/09506000134352/10/L9?17=260200", now, "test"))
	assert.Equal(t, KindGS1, c.Kind)
	assert.NoError(t, c.Err)
	assert.Equal(t, "09506000134352", c.GTIN)
	assert.Equal(t, "L9", c.Lot)
	assert.Equal(t, "QR Code", c.Scan.Symbology)

	c = r.Classify(NewScan("]E412345670", now, "test"))
	assert.Equal(t, KindGTIN, c.Kind)
	assert.Equal(t, []gs1.Element{{AI: "01", Value: "00000012345670"}}, c.Elements)

	c = r.Classify(NewScan("]C10104006381333932\x1d10L1", now, "test"))
	assert.ErrorIs(t, c.Err, ErrCheckDigit, "GS1 check digit errors are barcode.ErrCheckDigit too")
	assert.Empty(t, c.GTIN, "no GTIN from a bad read")
	assert.Empty(t, c.Lot)

	c = r.Classify(NewScan("]C10104006381333931\x1d21S1", now, "test"))
	assert.Equal(t, "S1", c.Serial)
	assert.Equal(t, "GS1-128", c.Scan.Symbology)

	c = r.Classify(NewScan("]C110LOT9\x1d15260200", now, "test"))
	assert.ErrorIs(t, c.Err, gs1.ErrRequires, "the GTIN may be on the label's other barcode")
	assert.Equal(t, []gs1.Element{{AI: "10", Value: "LOT9"}, {AI: "15", Value: "260200"}}, c.Elements)

	s := NewScan("]X9ABC", now, "test")
	assert.Equal(t, "]X9", s.AIM)
	assert.Equal(t, SymbologyUnknown, s.Symbology, "an unknown identifier is reported, not guessed")
	assert.Equal(t, "ABC", s.Data)
}

func TestRulesToteIsLPN(t *testing.T) {
	r, err := NewRules([]Rule{{Kind: "tote", Pattern: `^T\d+$`}, {Kind: KindLPN, Pattern: `^LP\d+$`}})
	require.NoError(t, err)
	assert.Equal(t, KindTote, r.Classify(Keyed("T1", time.Now())).Kind)
	assert.Equal(t, KindLPN, r.Classify(Keyed("LP7", time.Now())).Kind)
}

func TestSymbologies(t *testing.T) {
	for _, aim := range []string{"]C0", "]C1", "]E0", "]E4", "]I1", "]A0", "]d1", "]d2", "]Q1", "]Q3", "]e0"} {
		name := Symbology(aim)
		assert.NotEqual(t, SymbologyUnknown, name, aim)
		assert.NotEmpty(t, name, aim)
	}
	assert.Equal(t, "", Symbology(""))
	assert.True(t, IsGS1AIM("]d2"))
	assert.False(t, IsGS1AIM("]d1"))
}

// BenchmarkClassify is the decode cost of one scan: AIM, GS1 parse with
// check digits, dates and pairs.
func BenchmarkClassify(b *testing.B) {
	r, err := NewRules([]Rule{{Kind: KindLocation, Pattern: `^[A-Z]-\d{2}-\d{2}$`}})
	require.NoError(b, err)
	scans := map[string]string{
		"gs1":      "]C10109506000134352\x1d1726020010LOT7\x1d3103000525",
		"gtin":     "]E04006381333931",
		"location": "A-01-02",
	}
	for name, raw := range scans {
		s := NewScan(raw, time.Now(), "bench")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if c := r.Classify(s); c.Err != nil {
					b.Fatal(c.Err)
				}
			}
		})
	}
}

// TestClassifySymbologyBinds checks what the AIM identifier promises: ]E0 and
// ]E4 carry a GTIN of 13 and 8 digits with its check digit, GS1 data is not
// trimmed, a malformed bracketed string is invalid GS1.
func TestClassifySymbologyBinds(t *testing.T) {
	r, err := NewRules(nil)
	require.NoError(t, err)
	now := time.Now()
	cases := []struct {
		raw   string
		kind  Kind
		gtin  string
		cause error
	}{
		{"]E05901234123457", KindGTIN, "05901234123457", nil},
		{"]E00123601057072", KindGTIN, "00123601057072", nil},
		{"]E402345673", KindGTIN, "00000002345673", nil},
		{"]E0", KindGTIN, "", gs1.ErrLength},
		{"]E0123456789012", KindGTIN, "", gs1.ErrLength}, // 12 digits: UPC-A is sent as 13
		{"]E012345678901234", KindGTIN, "", gs1.ErrLength},
		{"]E01234ABC890123", KindGTIN, "", gs1.ErrCharset},
		{"]E05901234123458", KindGTIN, "", ErrCheckDigit},
		{"]E41234567", KindGTIN, "", gs1.ErrLength},
		{"]E4123456789", KindGTIN, "", gs1.ErrLength},
		{"]E412ABC678", KindGTIN, "", gs1.ErrCharset},
		{"]E402345674", KindGTIN, "", ErrCheckDigit},
		{"]E40234567", KindGTIN, "", gs1.ErrLength},
		{"]C1011234567890123110ABC ", KindGS1, "", gs1.ErrCharset},
		{"()12345", KindGS1, "", gs1.ErrSyntax},
		{"(1)12345", KindGS1, "", gs1.ErrSyntax},
		{"(1A)12345", KindGS1, "", gs1.ErrSyntax},
		{"(12345)12345", KindGS1, "", gs1.ErrSyntax},
		{"(15", KindGS1, "", gs1.ErrSyntax},
		{"(10)12345(11)", KindGS1, "", gs1.ErrSyntax},
	}
	for _, c := range cases {
		got := r.Classify(NewScan(c.raw, now, "test"))
		assert.Equal(t, c.kind, got.Kind, "%q", c.raw)
		assert.Equal(t, c.gtin, got.GTIN, "%q", c.raw)
		if c.cause == nil {
			assert.NoError(t, got.Err, "%q", c.raw)
		} else {
			assert.ErrorIs(t, got.Err, c.cause, "%q", c.raw)
		}
	}
}

// TestGS1SiteRule reads element strings that arrive with no AIM identifier
// and no GS when, and only when, the site's rules say its scanners send them.
func TestGS1SiteRule(t *testing.T) {
	now := time.Now()
	plain, err := NewRules(nil)
	require.NoError(t, err)
	got := plain.Classify(NewScan("00157035381410375177", now, "wedge"))
	assert.Equal(t, KindUnknown, got.Kind, "a bare number may be anything")

	site, err := NewRules([]Rule{{Kind: KindGS1, Pattern: `^(00\d{18}|01\d{14})`}})
	require.NoError(t, err)
	got = site.Classify(NewScan("00157035381410375177", now, "wedge"))
	assert.Equal(t, KindGS1, got.Kind)
	assert.NoError(t, got.Err)
	assert.Equal(t, []gs1.Element{{AI: "00", Value: "157035381410375177"}}, got.Elements)

	got = site.Classify(NewScan("0105901234123458", now, "wedge"))
	assert.Equal(t, KindGS1, got.Kind)
	assert.ErrorIs(t, got.Err, gs1.ErrCheckDigit)

	got = site.Classify(NewScan("010590123412345710LOT7", now, "wedge"))
	assert.NoError(t, got.Err)
	assert.Equal(t, "LOT7", got.Lot)
}
