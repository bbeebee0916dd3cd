package gs1

import (
	"strings"
	"time"
)

// GS is the group separator that stands for FNC1 between fields.
const GS = '\x1d'

// Element is one application identifier and its value.
type Element struct {
	AI    string
	Value string
}

// Title is the AI's short title from the syntax dictionary, e.g. "BATCH/LOT".
func (e Element) Title() string {
	if d, ok := Lookup(e.AI); ok {
		return d.Title
	}
	return ""
}

// Date returns the date of a date AI (11, 13, 15, 16, 17, 7006 …): the value's
// first component when it is a GS1 date. Day 00 is the last day of the month.
func (e Element) Date() (time.Time, bool) {
	d, ok := Lookup(e.AI)
	if !ok || len(d.Components) == 0 {
		return time.Time{}, false
	}
	for _, l := range d.Components[0].Linters {
		switch l {
		case "yymmd0", "yymmdd":
			if len(e.Value) >= 6 {
				return parseYYMMDD(e.Value[:6], l == "yymmd0")
			}
		case "yyyymmdd":
			if len(e.Value) >= 8 && badChar('N', e.Value[:8]) < 0 {
				y, m, dd := atoi(e.Value[:4]), atoi(e.Value[4:6]), atoi(e.Value[6:8])
				if validDate(y, m, dd, false) {
					return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC), true
				}
			}
		}
	}
	return time.Time{}, false
}

// IsMeasure reports whether an AI is a trade or logistic measure (310n–369n),
// whose last AI digit is the number of implied decimals.
func IsMeasure(ai string) bool {
	return len(ai) == 4 && ai[0] == '3' && ai[1] >= '1' && ai[1] <= '6' && isDigit(ai[2]) && isDigit(ai[3])
}

// IsAmount reports whether an AI is an amount (390n–395n: amount payable,
// with ISO 4217 currency in 391n and 393n, percentage off, price per unit),
// whose last AI digit is the number of implied decimals.
func IsAmount(ai string) bool {
	return len(ai) == 4 && ai[:2] == "39" && ai[2] >= '0' && ai[2] <= '5' && isDigit(ai[3])
}

// hasCurrency reports whether an amount AI starts with an ISO 4217 currency:
// 391n (amount payable, single monetary area) and 393n (price, single
// monetary area).
func hasCurrency(ai string) bool { return IsAmount(ai) && (ai[2] == '1' || ai[2] == '3') }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Decimal returns a measure's or an amount's value with the implied decimal
// point put in: exactly n decimals kept (n the AI's last digit), leading
// integer zeros dropped (3103 000525 is "0.525", 3102 002000 is "20.00",
// 3922 1999 is "19.99", 3932 9781999 is "19.99" in currency 978). ok is false
// for other AIs.
func (e Element) Decimal() (string, bool) {
	v := e.Value
	switch {
	case hasCurrency(e.AI):
		if len(v) <= 3 {
			return "", false
		}
		v = v[3:]
	case IsMeasure(e.AI), IsAmount(e.AI):
	default:
		return "", false
	}
	if len(v) == 0 || badChar('N', v) >= 0 {
		return "", false
	}
	n := int(e.AI[3] - '0')
	if n > len(v) {
		v = strings.Repeat("0", n-len(v)) + v
	}
	whole := strings.TrimLeft(v[:len(v)-n], "0")
	if whole == "" {
		whole = "0"
	}
	if n == 0 {
		return whole, true
	}
	return whole + "." + v[len(v)-n:], true
}

// Currency returns the ISO 4217 alpha-3 code of an amount in a single
// monetary area (391n, 393n): "EUR" for a value starting 978. ok is false
// for other AIs and unknown codes.
func (e Element) Currency() (string, bool) {
	if !hasCurrency(e.AI) || len(e.Value) < 3 {
		return "", false
	}
	return CurrencyCode(e.Value[:3])
}

// Get returns the value of the first element with the AI.
func Get(els []Element, ai string) (string, bool) {
	for _, e := range els {
		if e.AI == ai {
			return e.Value, true
		}
	}
	return "", false
}
