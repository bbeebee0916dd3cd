package gs1

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	els, err := Parse("0104006381333931" + "17261231" + "10LOT42\x1d" + "21SN1")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"01", "04006381333931"}, {"17", "261231"}, {"10", "LOT42"}, {"21", "SN1"}}, els)

	els, err = Parse("\x1d00106141412345678908\x1d")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"00", "106141412345678908"}}, els)

	els, err = Parse("01040063813339313103000525")
	require.NoError(t, err)
	assert.Equal(t, Element{"3103", "000525"}, els[1])

	// General Specifications example: GTIN, expiry, lot, count, with the check
	// digits computed by CheckDigit.
	gtin := "0950600013435" + string(mustCheckDigit(t, "0950600013435"))
	els, err = Parse("01" + gtin + "15260200" + "10ABC-123\x1d" + "3102002000")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"01", "09506000134352"}, {"15", "260200"}, {"10", "ABC-123"}, {"3102", "002000"}}, els)

	// Every AI with a check digit: GTIN, SSCC, GLN (414 + 254), GSRN, GDTI, GCN, GRAI, GSIN, GMN.
	gln := "950600013435" + string(mustCheckDigit(t, "950600013435"))
	gsrn := "12345678901234567" + string(mustCheckDigit(t, "12345678901234567"))
	gsin := "9506000123456789" + string(mustCheckDigit(t, "9506000123456789"))
	for _, data := range []string{
		"414" + gln + "254A1",
		"8018" + gsrn,
		"253" + gln + "DOC42",
		"255" + gln + "123",
		"8003" + "0" + gln + "SER9",
		"402" + gsin,
		"8013" + "1987654Ad4X4bL5ttr2310c2K",
		"410" + gln + "411" + gln,
	} {
		_, err := Parse(data)
		assert.NoError(t, err, "%q", data)
		bad := []byte(data)
		for i := len(bad) - 1; i >= 0; i-- { // spoil the last check character in the data
			if bad[i] >= '0' && bad[i] <= '8' {
				bad[i]++
				break
			}
		}
		if data[:4] == "8013" {
			bad = []byte("8013" + "1987654Ad4X4bL5ttr2310c2L")
		}
		_, err = Parse(string(bad))
		if data[:3] != "253" && data[:3] != "255" && data[:4] != "8003" && data[:3] != "414" {
			assert.ErrorIs(t, err, ErrCheckDigit, "%q", bad)
		}
	}
}

func mustCheckDigit(t *testing.T, digits string) byte {
	t.Helper()
	d, ok := CheckDigit(digits)
	require.True(t, ok)
	return d
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		data  string
		cause error
		ai    string
	}{
		{"", ErrLength, ""},
		{"0104006381333932", ErrCheckDigit, "01"},
		{"00106141412345678909", ErrCheckDigit, "00"},
		{"010400638133", ErrLength, "01"},
		{"0104006381\x1d3393110A", ErrLength, "01"},
		{"2399abc", ErrUnknownAI, ""},
		{"0104006381333931" + "10ABCDEFGHIJKLMNOPQRSTU", ErrLength, "10"}, // 21 chars: a GS was lost
		{"0104006381333931" + "10\x1d21X", ErrLength, "10"},
		{"0104006381333931" + "17ABCDEF", ErrCharset, "17"},
		{"0104006381333931" + "17261301", ErrDate, "17"},
		{"0104006381333931" + "17250230", ErrDate, "17"},
		{"0104006381333931" + "10AB CD", ErrCharset, "10"},
		{"0104006381333931" + "10AB\xffCD", ErrCharset, "10"},
		{"8010abc", ErrCharset, "8010"}, // CSET 39 is upper case
		{"10LOT", ErrRequires, "10"},
		{"01040063813339310204006381333931" + "37" + "5", ErrExcludes, "01"},
		{"0104006381333931" + "3103000525" + "3102002000", ErrExcludes, "3103"},
		{"0104006381333931" + "4321" + "2", ErrContent, "4321"},
		{"0104006381333931" + "21A\x1d21B", ErrExcludes, "21"},
	}
	for _, c := range cases {
		_, err := Parse(c.data)
		require.Error(t, err, "%q", c.data)
		assert.ErrorIs(t, err, ErrSyntax, "%q", c.data)
		assert.ErrorIs(t, err, c.cause, "%q: %v", c.data, err)
		var ge *Error
		require.True(t, errors.As(err, &ge))
		assert.Equal(t, c.ai, ge.AI, "%q: %v", c.data, err)
	}
}

func TestErrorNamesAIAndFault(t *testing.T) {
	_, err := Parse("0104006381333932")
	assert.EqualError(t, err, `AI (01): "04006381333932": check digit is wrong`)
	_, err = Parse("10LOT")
	assert.EqualError(t, err, "AI (10): requires (01) or (02) or (03) or (8006) or (8026)")
}

func TestParseGSTolerated(t *testing.T) {
	for _, data := range []string{
		"\x1d0104006381333931\x1d10L1",
		"0104006381333931\x1d10L1\x1d",
		"\x1d\x1d0104006381333931\x1d10L1\x1d\x1d",
	} {
		els, err := Parse(data)
		require.NoError(t, err, "%q", data)
		assert.Equal(t, []Element{{"01", "04006381333931"}, {"10", "L1"}}, els)
	}
	_, err := Parse("\x1d\x1d")
	assert.ErrorIs(t, err, ErrLength)
}

func TestDates(t *testing.T) {
	cases := []struct{ ai, value, want string }{
		{"17", "261231", "2026-12-31"},
		{"17", "260200", "2026-02-28"},
		{"15", "280200", "2028-02-29"}, // leap year
		{"11", "991100", "1999-11-30"}, // more than 50 years ahead: last century
		{"7006", "270115", "2027-01-15"},
		{"7250", "19800521", "1980-05-21"},
		{"4324", "2612250930", "2026-12-25"},
	}
	for _, c := range cases {
		d, ok := Element{c.ai, c.value}.Date()
		require.True(t, ok, "%s %s", c.ai, c.value)
		assert.Equal(t, c.want, d.Format("2006-01-02"))
	}
	_, ok := Element{"10", "261231"}.Date()
	assert.False(t, ok, "a lot is not a date")
	_, ok = Element{"7006", "260200"}.Date()
	assert.False(t, ok, "day 00 is only for yymmd0 AIs")
}

func TestFullYear(t *testing.T) {
	assert.Equal(t, 2026, fullYear(26, 2026))
	assert.Equal(t, 2076, fullYear(76, 2026))
	assert.Equal(t, 1977, fullYear(77, 2026))
	assert.Equal(t, 2100, fullYear(0, 2050))
	assert.Equal(t, 2099, fullYear(99, 2050))
}

func TestDecimal(t *testing.T) {
	cases := []struct{ ai, value, want string }{
		{"3103", "000525", "0.525"},
		{"3102", "002000", "20.00"},
		{"3100", "000042", "42"},
		{"3105", "123456", "1.23456"},
		{"3300", "000000", "0"},
		{"10", "123", ""},
		// Amounts (General Specifications 3.6.x): 390n and 392n the amount,
		// 391n and 393n an ISO 4217 currency then the amount, 394n a
		// percentage, 395n a price per unit of measure.
		{"3922", "1999", "19.99"},
		{"3901", "123", "12.3"},
		{"3909", "123456789012345", "123456.789012345"},
		{"3903", "12", "0.012"},
		{"3912", "7101230", "12.30"},
		{"3910", "97812301", "12301"},
		{"3932", "9781999", "19.99"},
		{"3940", "0010", "10"},
		{"3941", "0055", "5.5"},
		{"3955", "012345", "0.12345"},
		{"3912", "710", ""},  // a currency and no amount
		{"3960", "123", ""},  // not an amount AI
		{"3922", "12A4", ""}, // not digits
	}
	for _, c := range cases {
		got, ok := Element{c.ai, c.value}.Decimal()
		assert.Equal(t, c.want != "", ok, c.ai)
		assert.Equal(t, c.want, got, c.ai)
	}
}

func TestCurrency(t *testing.T) {
	for _, c := range []struct{ ai, value, want string }{
		{"3912", "7101230", "ZAR"},
		{"3932", "9781999", "EUR"},
		{"3911", "8401999", "USD"},
		{"3922", "1999", ""},    // no currency in 392n
		{"3912", "0001230", ""}, // 000 is no currency
		{"3103", "000525", ""},
	} {
		got, ok := Element{c.ai, c.value}.Currency()
		assert.Equal(t, c.want != "", ok, c.ai+" "+c.value)
		assert.Equal(t, c.want, got, c.ai+" "+c.value)
	}
}

func TestParseBracketed(t *testing.T) {
	els, err := ParseBracketed("(01)09506000134352(17)260200(10)AB\\(C)")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"01", "09506000134352"}, {"17", "260200"}, {"10", "AB(C)"}}, els)
	assert.True(t, IsBracketed("(00)106141412345678908"))
	assert.False(t, IsBracketed("(x)"))

	_, err = ParseBracketed("(01)09506000134353")
	assert.ErrorIs(t, err, ErrCheckDigit)
	_, err = ParseBracketed("(2399)X")
	assert.ErrorIs(t, err, ErrUnknownAI)
	_, err = ParseBracketed("(01)09506000134352junk(")
	assert.ErrorIs(t, err, ErrSyntax)
}

func TestParseDigitalLink(t *testing.T) {
	els, err := ParseDigitalLink("https://id.gs1.org/01/09506000134352/10/AB%2F1/21/S9?17=260200&linkType=gs1:pip")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"01", "09506000134352"}, {"10", "AB/1"}, {"21", "S9"}, {"17", "260200"}}, els)

	els, err = ParseDigitalLink("http://example.com/shop/01/4006381333931?3103=000525")
	require.NoError(t, err, "any domain, a path prefix, a GTIN-13")
	assert.Equal(t, []Element{{"01", "04006381333931"}, {"3103", "000525"}}, els)

	els, err = ParseDigitalLink("https://example.org/00/106141412345678908")
	require.NoError(t, err)
	assert.Equal(t, []Element{{"00", "106141412345678908"}}, els)

	assert.True(t, IsDigitalLink("https://id.gs1.org/01/09506000134352"))
	assert.False(t, IsDigitalLink("https://example.com/products/42"))
	assert.False(t, IsDigitalLink("ftp://id.gs1.org/01/09506000134352"))

	_, err = ParseDigitalLink("https://id.gs1.org/01/09506000134353")
	assert.ErrorIs(t, err, ErrCheckDigit)
	_, err = ParseDigitalLink("https://id.gs1.org/01/09506000134352/10")
	assert.ErrorIs(t, err, ErrSyntax, "an AI without its value")
	_, err = ParseDigitalLink("https://id.gs1.org/01/09506000134352/10/A%ZZ")
	assert.ErrorIs(t, err, ErrCharset)
	_, err = ParseDigitalLink("https://example.com/x")
	assert.ErrorIs(t, err, ErrSyntax)
}

// TestDictionary checks the embedded AI table against the General
// Specifications' table of predefined-length AI prefixes (figure 5.10.1-2)
// and against itself.
func TestDictionary(t *testing.T) {
	table := dictionary()
	assert.Greater(t, len(table), 500, "the whole AI table, ranges expanded")
	predefined := map[string]int{ // prefix: AI + data length
		"00": 20, "01": 16, "02": 16, "03": 16, "04": 18, "11": 8, "12": 8, "13": 8, "14": 8, "15": 8, "16": 8,
		"17": 8, "18": 8, "19": 8, "20": 4, "31": 10, "32": 10, "33": 10, "34": 10, "35": 10, "36": 10, "41": 16,
	}
	for ai, d := range table {
		assert.Equal(t, ai, d.AI)
		assert.NotEmpty(t, d.Components, ai)
		for n := 2; n < len(ai); n++ {
			_, clash := table[ai[:n]]
			assert.False(t, clash, "AI %s has AI %s as prefix", ai, ai[:n])
		}
		if d.Predefined {
			want, ok := predefined[ai[:2]]
			assert.True(t, ok, "AI %s is predefined but its prefix is not in the table", ai)
			assert.Equal(t, want, len(ai)+d.MaxLen(), ai)
			assert.Equal(t, d.MinLen(), d.MaxLen(), ai)
		}
		for _, c := range d.Components {
			for _, l := range c.Linters {
				assert.NotContains(t, l, " ", ai)
			}
		}
	}
	for _, ai := range []string{"00", "01", "10", "17", "21", "3103", "3929", "414", "4309", "7040", "8006", "8030", "91", "99"} {
		_, ok := table[ai]
		assert.True(t, ok, ai)
	}
	d, _ := Lookup("17")
	assert.Equal(t, "USE BY or EXPIRY", d.Title)
	d, _ = Lookup("8008")
	assert.Equal(t, 8, d.MinLen())
	assert.Equal(t, 12, d.MaxLen())
	_, err := parseDictionary("01 * Q14 # bad type")
	assert.Error(t, err)
	_, err = parseDictionary("0 * N14")
	assert.Error(t, err)
}

func BenchmarkParse(b *testing.B) {
	data := "0109506000134352" + "17260200" + "10LOT7\x1d" + "3103000525"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDictionaryReadsEveryEntry reads each entry of the embedded dictionary
// on its own and checks that every AI of its range is in the table with the
// same definition: nothing is skipped or overwritten.
func TestDictionaryReadsEveryEntry(t *testing.T) {
	table := dictionary()
	entries, ais := 0, 0
	for _, line := range strings.Split(syntaxDictionary, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		entries++
		one, err := parseDictionary(line)
		require.NoError(t, err, line)
		require.NotEmpty(t, one, line)
		for ai, d := range one {
			ais++
			assert.Equal(t, d, table[ai], "AI %s of %q", ai, line)
		}
	}
	assert.Equal(t, ais, len(table), "AIs in entries and in the table")
	assert.Greater(t, entries, 200)
	for _, ai := range []string{"717", "8040", "8041", "8042", "8043"} {
		_, ok := table[ai]
		assert.True(t, ok, "the current edition's AI %s", ai)
	}
	d := table["7004"]
	assert.Equal(t, [][][]string{{{"01", "10"}}}, d.Requires, "7004 needs 01 with 10")
	assert.Equal(t, [][]string{{"22", "10", "21"}, {"235"}}, table["01"].Qualifiers)
}

// TestDictionaryLinters fails when the dictionary names a content check this
// package does not implement (as a newer edition may).
func TestDictionaryLinters(t *testing.T) {
	for ai, d := range dictionary() {
		for _, c := range d.Components {
			for _, l := range c.Linters {
				_, ok := linters[l]
				assert.True(t, ok, "AI %s: linter %q is not implemented", ai, l)
			}
		}
	}
}

// TestDictionaryFormat reads entries written in the official file's later
// forms: other flag characters, attributes this reader does not use.
func TestDictionaryFormat(t *testing.T) {
	table, err := parseDictionary("01 *?$ N14,csum,gcppos2 ex=255,37 dlpkey=22,10,21|235 future=1 # GTIN")
	require.NoError(t, err)
	d := table["01"]
	assert.True(t, d.Predefined)
	assert.True(t, d.DigitalLink)
	assert.True(t, d.PrimaryKey)
	assert.Equal(t, "GTIN", d.Title)
	assert.Equal(t, []string{"csum", "gcppos2"}, d.Components[0].Linters)
	_, err = parseDictionary("01 * N14 req")
	assert.Error(t, err, "an attribute without a value is no component")
}

// TestDigitalLinkStructure checks the GS1 Digital Link standard's rules of
// structure, with its own examples and counter-examples.
func TestDigitalLinkStructure(t *testing.T) {
	good := []struct {
		uri  string
		want []Element
	}{
		{"https://id.gs1.org/01/09520123456788/22/2A/10/ABC123/21/12345", []Element{{"01", "09520123456788"}, {"22", "2A"}, {"10", "ABC123"}, {"21", "12345"}}},
		{"https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426", []Element{{"01", "09520123456788"}, {"10", "ABC1"}, {"21", "12345"}, {"17", "180426"}}},
		{"https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123", []Element{{"01", "09520123456788"}, {"235", "XYZ"}, {"10", "ABC123"}}},
		{"https://id.gs1.org/414/9520123456788/254/32a%2Fb", []Element{{"414", "9520123456788"}, {"254", "32a/b"}}},
		{"https://example.com/8004/9520614141234567?01=09520123456788", []Element{{"8004", "9520614141234567"}, {"01", "09520123456788"}}},
		{"https://id.gs1.org/00/952012345678912345?02=09520123456788&37=25&10=ABC123", []Element{{"00", "952012345678912345"}, {"02", "09520123456788"}, {"37", "25"}, {"10", "ABC123"}}},
		{"HTTPS://a/stem/00/006141411234567890?linkType=gs1:pip&&singleton#frag", []Element{{"00", "006141411234567890"}}},
		{"https://a/00/faux/00/006141411234567890", []Element{{"00", "006141411234567890"}}},
		{"https://a/01/12312312312333/22/ABC+123?99=A%2dB%2f", []Element{{"01", "12312312312333"}, {"22", "ABC+123"}, {"99", "A-B/"}}},
		{"https://a/gtin/09520123456788/lot/ABC1/ser/12345", []Element{{"01", "09520123456788"}, {"10", "ABC1"}, {"21", "12345"}}},
		{"https://a/sscc/106141412345678908", []Element{{"00", "106141412345678908"}}},
	}
	for _, c := range good {
		els, err := ParseDigitalLink(c.uri)
		require.NoError(t, err, c.uri)
		assert.Equal(t, c.want, els, c.uri)
		assert.True(t, IsDigitalLink(c.uri), c.uri)
	}
	bad := []struct{ uri, why string }{
		{"https://id.gs1.org/01/09520123456788/10/ABC/22/2A", "qualifiers out of order"},
		{"https://id.gs1.org/01/09520123456788/21/S/10/ABC", "qualifiers out of order"},
		{"https://id.gs1.org/01/09520123456788/22/2A/235/XYZ", "two qualifier sequences mixed"},
		{"https://id.gs1.org/00/106141412345678908/10/ABC", "the SSCC takes no qualifier"},
		{"https://id.gs1.org/01/09520123456788/99/ABC", "an attribute in the path"},
		{"https://example.com/01/09520123456788?10=ABC123", "a key qualifier in the query"},
		{"https://id.gs1.org/01/09520123456788/10/A?10=A", "an AI twice"},
		{"https://id.gs1.org/01/09520123456788?99=X&99=X", "an AI twice in the query"},
		{"https://id.gs1.org/01/09520123456788?01=09520123456788", "the key again"},
		{"https://a/01/12312312312333?999=x", "a numeric key that is no AI"},
		{"https://a/01/12312312312333?89=x", "a numeric key that is no AI"},
		{"https://a/01//12312312312333", "an empty segment"},
		{"https://a/stem/00/006141411234567890/", "a trailing slash"},
		{"https://a/01/12312312312333?99=", "an empty query value"},
		{"https://a/01/12312312312333/10/", "an empty path value"},
		{"https://a/8004/9520614141234567?01=2112345678900", "a GTIN-13 in the query"},
		{"https://a/01/12312312312333?98=XYZ+987", "a space is no CSET 82"},
		{"https://a/01/1231231231233%003", "a NUL"},
		{"https://a/01/12312312312333<bad", "a character no URI holds"},
	}
	for _, c := range bad {
		_, err := ParseDigitalLink(c.uri)
		assert.ErrorIs(t, err, ErrSyntax, "%s: %s", c.uri, c.why)
	}
	for _, s := range []string{"http://a/b", "https://00/006141411234567890", "https://example.com/foo/01/614141123452/123", "mailto:x@y"} {
		assert.False(t, IsDigitalLink(s), s)
	}
}
