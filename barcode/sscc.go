package barcode

import (
	"fmt"
	"strings"

	"github.com/rfterm/rfterm/barcode/gs1"
)

// SSCC reads a carton's Serial Shipping Container Code from a classified
// scan: GS1 data with AI 00 (GS1-128, bracketed, Digital Link), or 18 plain
// digits, or (00) and the 18 digits as plain digits when a keyboard wedge
// lost the AIM identifier. ok is false when the scan is no SSCC at all;
// err says it is one but unreadable (a wrong check digit, bad GS1 data).
func SSCC(c Classified) (sscc string, ok bool, err error) {
	if c.Kind == KindGS1 {
		v, has := gs1.Get(c.Elements, "00")
		switch {
		case has && c.Err == nil:
			return v, true, nil
		case c.Err != nil && (strings.HasPrefix(c.Code, "00") || strings.HasPrefix(c.Code, "(00)")):
			return "", true, fmt.Errorf("SSCC %s: %w", c.Code, c.Err)
		}
		return "", false, nil
	}
	code := c.Code
	if len(code) == 20 && code[:2] == "00" && isDigits(code) {
		code = code[2:]
	}
	if len(code) != 18 || !isDigits(code) {
		return "", false, nil
	}
	if !ValidCheckDigit(code) {
		d, _ := CheckDigit(code[:17])
		return "", true, fmt.Errorf("SSCC %s: check digit %c, expected %c: %w", code, code[17], d, ErrCheckDigit)
	}
	return code, true, nil
}
