package gs1

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLinters runs each content check of the syntax dictionary on examples
// and counter-examples from the specifications that define them.
func TestLinters(t *testing.T) {
	cases := []struct {
		linter string
		good   []string
		bad    []string
	}{
		{"iso3166", []string{"528", "250", "840", "004"}, []string{"987", "000", "999"}},
		{"iso3166999", []string{"528", "999"}, []string{"987"}},
		{"iso3166alpha2", []string{"NL", "FR", "US"}, []string{"AA", "nl", "N"}},
		{"iso3166list", []string{"528", "528250840"}, []string{"5282", "528987"}},
		{"iso4217", []string{"978", "840", "710", "924"}, []string{"987", "000"}},
		// ISO 13616's example IBAN, and a wrong check, country, character.
		{"iban", []string{"GB82WEST12345698765432", "NL91ABNA0417164300"}, []string{"GB83WEST12345698765432", "FR12345678901234", "AB12345678901234", "FR12_45678901234", "FR12"}},
		{"cset64", []string{"", "123", "12", "12=", "1==", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"}, []string{"===", "123=", "12==", "1234=", "A=BC"}},
		{"key", []string{"1234", "0123A"}, []string{"123", "12A4", ""}},
		{"keyoff1", []string{"01234"}, []string{"0123", "0A234"}},
		{"importeridx", []string{"1", "A", "z", "-", "_"}, []string{"=", "AB", ""}},
		{"packagetype", []string{"BX", "1A", "200", "X11", "8"}, []string{"0", "00", "_9", "1A_"}},
		{"mediatype", []string{"01", "10", "80", "99"}, []string{"00", "11", "79"}},
		{"posinseqslash", []string{"1/2", "2/2", "9/12"}, []string{"111", "0/3", "2/1", "1/0", "12/9"}},
		{"pieceoftotal", []string{"0102", "0101"}, []string{"0002", "0100", "0302"}},
		{"hhmi", []string{"0000", "2359"}, []string{"2400", "2360", "9999"}},
		{"yymmddhh", []string{"26022823"}, []string{"26022824", "26023001"}},
		{"pcenc", []string{"ABC%20D", "100%25"}, []string{"ABC%0g", "AB%"}},
		// 9999999999 and 4294967297 wrap to small numbers in a 32-bit int.
		{"latitude", []string{"0000000000", "1800000000"}, []string{"1800000001", "9999999999", "99999999999999999999"}},
		{"longitude", []string{"3600000000"}, []string{"3600000001", "4294967297"}},
		{"hyphen", []string{"-"}, []string{"X"}},
		{"winding", []string{"0", "1", "9"}, []string{"2"}},
		{"iso5218", []string{"0", "1", "2", "9"}, []string{"5"}},
		// North American Coupon Code (8110): GCP length indicator 0 to 6,
		// GCP, offer code, save value, 1st purchase requirement and family.
		{"couponcode", []string{"012345612345611110123", "012345612345611110123" + "3261231" + "4260101"}, []string{"71234567890123", "a12345612345611110123", "0123456123456", "012345612345611110123" + "3260101" + "4261231", "012345612345611110123" + "7"}},
		// Positive offer file coupon (8112): format code 0 or 1, funder ID,
		// offer code, serial number.
		{"couponposoffer", []string{"001234561234560123456", "101234561234561" + "1234567"}, []string{"201234561234560123456", "00123456123456012345", "0012345612345601234567"}},
	}
	for _, c := range cases {
		for _, s := range c.good {
			cause, why := lint(c.linter, s)
			assert.NoError(t, cause, "%s %q: %s", c.linter, s, why)
		}
		for _, s := range c.bad {
			cause, _ := lint(c.linter, s)
			assert.Error(t, cause, "%s %q", c.linter, s)
		}
	}
}
