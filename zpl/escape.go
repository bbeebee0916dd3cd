package zpl

import (
	"strings"
	"unicode/utf8"
)

// hexDigits are the upper-case hex digits ^FH expects after its indicator.
const hexDigits = "0123456789ABCDEF"

// EscapeFieldData returns s ready to follow "^FH^FD": '^', '~', '_', every
// control character (0x00–0x1F, 0x7F) and every byte that is not part of a
// valid UTF-8 sequence become "_XX" hex escapes. Valid UTF-8 text passes as is
// (the format selects ^CI28). Nothing in the result can end the field or start
// a command, and the printer decodes it back to exactly s.
func EscapeFieldData(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				writeHex(&b, c)
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		if escapedByte(c) {
			writeHex(&b, c)
		} else {
			b.WriteByte(c)
		}
		i++
	}
	return b.String()
}

func writeHex(b *strings.Builder, c byte) {
	b.WriteByte('_')
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&0xF])
}

func escapedByte(c byte) bool {
	return c < 0x20 || c == 0x7F || c == '^' || c == '~' || c == '_'
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if escapedByte(s[i]) {
			return true
		}
	}
	return !utf8.ValidString(s)
}
