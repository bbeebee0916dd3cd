package gs1

import (
	"fmt"
	"strings"
)

type aiDef struct {
	aiLen   int  // digits in the AI
	fixed   int  // value length when fixed, else 0
	max     int  // maximum value length when variable
	numeric bool // value is digits only
	check   func(ai, v string) error
}

// prefixes maps the first two digits of an AI to its length and format. This is
// the subset of the GS1 table the workflows need; AIs not listed are refused.
func lookup(s string) (aiDef, bool) {
	if len(s) < 2 {
		return aiDef{}, false
	}
	p := s[:2]
	d := func(aiLen, fixed, max int, numeric bool, checkDigit bool) (aiDef, bool) {
		if len(s) < aiLen || !allDigits(s[:aiLen]) {
			return aiDef{}, false
		}
		return aiDef{aiLen: aiLen, fixed: fixed, max: max, numeric: numeric, check: checker(numeric, checkDigit)}, true
	}
	switch p {
	case "00":
		return d(2, 18, 0, true, true)
	case "01", "02":
		return d(2, 14, 0, true, true)
	case "10", "21", "22":
		return d(2, 0, 20, false, false)
	case "11", "12", "13", "15", "16", "17":
		return d(2, 6, 0, true, false)
	case "20":
		return d(2, 2, 0, true, false)
	case "30", "37":
		return d(2, 0, 8, true, false)
	case "31", "32", "33", "34", "35", "36":
		return d(4, 6, 0, true, false)
	case "40":
		return d(3, 0, 30, false, false)
	case "41":
		return d(3, 13, 0, true, true)
	}
	return aiDef{}, false
}

func checker(numeric, checkDigit bool) func(ai, v string) error {
	return func(ai, v string) error {
		if numeric && !allDigits(v) {
			return &Error{AI: ai, Reason: fmt.Sprintf("%q must be digits", v)}
		}
		if !numeric && strings.ContainsFunc(v, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
			return &Error{AI: ai, Reason: fmt.Sprintf("%q has a character outside the GS1 set", v)}
		}
		if checkDigit && !validCheckDigit(v) {
			return &Error{AI: ai, Reason: fmt.Sprintf("check digit of %s is wrong", v)}
		}
		return nil
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func validCheckDigit(s string) bool {
	sum, w := 0, 3
	for i := len(s) - 2; i >= 0; i-- {
		sum += int(s[i]-'0') * w
		w = 4 - w
	}
	return byte('0'+(10-sum%10)%10) == s[len(s)-1]
}
