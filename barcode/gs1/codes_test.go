package gs1

import "testing"

func TestCodeListLookups(t *testing.T) {
	for code, want := range map[string]bool{"NL": true, "CH": true, "GB": true, "UK": false, "nl": false, "N": false, "NLD": false, "": false, "N L": false} {
		if got := IsCountryAlpha2(code); got != want {
			t.Errorf("IsCountryAlpha2(%q) = %v, want %v", code, got, want)
		}
	}
	for code, want := range map[string]bool{"EUR": true, "CHF": true, "USD": true, "JPY": true, "ECU": false, "eur": false, "978": false, "EU": false, "": false} {
		if got := IsCurrencyAlpha(code); got != want {
			t.Errorf("IsCurrencyAlpha(%q) = %v, want %v", code, got, want)
		}
	}
}
