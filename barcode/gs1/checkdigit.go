package gs1

// CheckDigit computes the GS1 mod-10 check digit for digits (without the check
// digit): weights 3,1,3,… from the right. ok is false if digits holds a non-digit.
func CheckDigit(digits string) (d byte, ok bool) {
	sum := 0
	w := 3
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * w
		w = 4 - w
	}
	return byte('0' + (10-sum%10)%10), true
}

// ValidCheckDigit reports whether the last digit of s is the GS1 check digit of the rest.
func ValidCheckDigit(s string) bool {
	if len(s) < 2 {
		return false
	}
	d, ok := CheckDigit(s[:len(s)-1])
	return ok && d == s[len(s)-1]
}

// cset82 is the GS1 AI encodable character set 82, in the order that gives each
// character its value for check character pairs.
const cset82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"

// cset32 are the characters a check character pair is written with.
const cset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// checkPrimes weight the characters of a value with a check character pair,
// from the rightmost character before the pair leftwards.
var checkPrimes = [...]int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83}

// ValidCheckPair reports whether the last two characters of s are the GS1
// check character pair of the rest (GMN, MUDI: General Specifications 7.9.5).
func ValidCheckPair(s string) bool {
	n := len(s) - 2
	if n < 1 || n > len(checkPrimes) {
		return false
	}
	sum := 0
	for i := 0; i < n; i++ {
		v := indexByte(cset82, s[i])
		if v < 0 {
			return false
		}
		sum += v * checkPrimes[n-1-i]
	}
	sum %= 1021
	return s[n] == cset32[sum>>5] && s[n+1] == cset32[sum&31]
}

func indexByte(set string, c byte) int {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return i
		}
	}
	return -1
}
