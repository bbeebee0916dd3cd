package decode

import (
	"fmt"
	"strings"
)

// unhex decodes ^FH escapes: the indicator followed by two hex digits.
func unhex(s string, ind byte) (string, error) {
	if strings.IndexByte(s, ind) < 0 {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != ind {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("%w: ^FH escape cut short at %d in %q", ErrSyntax, i, s)
		}
		hi, ok1 := hexVal(s[i+1])
		lo, ok2 := hexVal(s[i+2])
		if !ok1 || !ok2 {
			return "", fmt.Errorf("%w: ^FH escape %q at %d is not hex", ErrSyntax, s[i:i+3], i)
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// unblock decodes the ^FB and ^B7 backslash codes: \\ and \& (line break).
func unblock(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("%w: lone backslash at the end of %q", ErrSyntax, s)
		}
		switch s[i+1] {
		case '\\':
			b.WriteByte('\\')
		case '&':
			b.WriteByte('\n')
		default:
			return "", fmt.Errorf("%w: backslash code \\%c in %q", ErrSyntax, s[i+1], s)
		}
		i++
	}
	return b.String(), nil
}

// qr strips the "QA," (error correction, automatic input) prefix.
func qr(s string) (string, error) {
	if len(s) < 3 || !strings.ContainsRune("HQML", rune(s[0])) || s[1] != 'A' || s[2] != ',' {
		return "", fmt.Errorf("%w: QR data %q does not start with an error correction level and A,", ErrSyntax, s)
	}
	return s[3:], nil
}

// dataMatrix decodes ECC 200 escape sequences with the escape character set in
// the ^BX command: doubled is the character itself, followed by 1 is FNC1.
func dataMatrix(s, symbol string) (Kind, string, error) {
	params := strings.Split(symbol, ",")
	if len(params) < 7 || params[2] != "200" || len(params[6]) != 1 {
		return DataMatrix, "", fmt.Errorf("%w: %s must be ECC 200 with an escape character", ErrSyntax, symbol)
	}
	esc := params[6][0]
	kind := DataMatrix
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != esc {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return kind, "", fmt.Errorf("%w: Data Matrix escape at the end of %q", ErrSyntax, s)
		}
		switch s[i+1] {
		case esc:
			b.WriteByte(esc)
		case '1':
			if i == 0 {
				kind = GS1DataMatrix
			} else {
				b.WriteByte(0x1D)
			}
		default:
			return kind, "", fmt.Errorf("%w: Data Matrix escape %c%c in %q", ErrSyntax, esc, s[i+1], s)
		}
		i++
	}
	return kind, b.String(), nil
}

// code128 decodes ^BC mode N data written with a start code, subsets B and C
// and invocation codes. Data starting with FNC1 is GS1-128; later FNC1s
// become GS.
func code128(s string) (Kind, string, error) {
	bad := func(i int, why string) (Kind, string, error) {
		return Code128, "", fmt.Errorf("%w: Code 128 %q at %d: %s", ErrSyntax, s, i, why)
	}
	if len(s) < 2 || s[0] != '>' || (s[1] != ':' && s[1] != ';') {
		return bad(0, "no start code (>: or >;)")
	}
	subsetC := s[1] == ';'
	kind := Code128
	var b strings.Builder
	for i := 2; i < len(s); {
		if s[i] == '>' {
			if i+1 >= len(s) {
				return bad(i, "lone >")
			}
			code := s[i+1]
			i += 2
			switch {
			case code == '8':
				if i == 4 {
					kind = GS1128
				} else {
					b.WriteByte(0x1D)
				}
			case subsetC && code == '6':
				subsetC = false
			case !subsetC && code == '5':
				subsetC = true
			case !subsetC && code == '0':
				b.WriteByte('>')
			case !subsetC && code == '<':
				b.WriteByte('^')
			case !subsetC && code == '=':
				b.WriteByte('~')
			default:
				return bad(i-2, fmt.Sprintf("invocation code >%c not expected here", code))
			}
			continue
		}
		if subsetC {
			if i+1 >= len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) {
				return bad(i, "subset C needs digit pairs (the printer would drop a digit)")
			}
			b.WriteString(s[i : i+2])
			i += 2
			continue
		}
		if s[i] < 0x20 || s[i] > 0x7E {
			return bad(i, "byte outside subset B")
		}
		b.WriteByte(s[i])
		i++
	}
	return kind, b.String(), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
