package gs1

import "strings"

// IsCountryAlpha2 reports whether code is an ISO 3166-1 alpha-2 country code
// ("NL"), upper case, from the embedded code list.
func IsCountryAlpha2(code string) bool {
	return len(code) == 2 && inList(iso3166Alpha2, code)
}

// IsCurrencyAlpha reports whether code is an ISO 4217 alphabetic currency
// code ("EUR"), upper case, from the embedded code list.
func IsCurrencyAlpha(code string) bool {
	if len(code) != 3 {
		return false
	}
	for rest := iso4217; rest != ""; {
		var w string
		w, rest, _ = strings.Cut(rest, " ")
		if _, a, _ := strings.Cut(w, "="); a == code {
			return true
		}
	}
	return false
}
