package barcode

import "github.com/rfterm/rfterm/barcode/gs1"

// CheckDigit computes the GS1 mod-10 check digit for digits (without the check
// digit): weights 3,1,3,… from the right. ok is false if digits holds a non-digit.
func CheckDigit(digits string) (d byte, ok bool) { return gs1.CheckDigit(digits) }

// ValidCheckDigit reports whether the last digit of s is the GS1 check digit of the rest.
func ValidCheckDigit(s string) bool { return gs1.ValidCheckDigit(s) }

// NormalizeGTIN turns a GTIN-8, -12, -13 or -14 into 14 digits, zero-padded on
// the left, when it is all digits with a valid check digit.
func NormalizeGTIN(s string) (string, bool) {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return "", false
	}
	if !ValidCheckDigit(s) {
		return "", false
	}
	return "00000000000000"[:14-len(s)] + s, true
}
