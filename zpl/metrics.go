package zpl

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Advance widths of the printer's scalable font 0 (CG Triumvirate Bold
// Condensed), in thousandths of the ^A0 width setting: a character set in
// ^A0N,h,w advances advance/1000 × w dots. The figures are an upper estimate of
// the printed advances (a bold grotesque's proportions, condensed, with a
// tenth to spare), so text measured to fit a box fits it on the printer; they
// are not the font's exact metrics, which Zebra does not publish.
//
// font0ASCII covers ' ' (0x20) to '~' (0x7E).
var font0ASCII = [95]uint16{
	// space ! " # $ % & ' ( ) * + , - . /
	239, 286, 407, 477, 477, 762, 619, 205, 286, 286, 333, 502, 239, 286, 239, 239,
	// 0-9
	477, 477, 477, 477, 477, 477, 477, 477, 477, 477,
	// : ; < = > ? @
	286, 286, 502, 502, 502, 525, 837,
	// A-Z
	619, 619, 619, 619, 572, 525, 668, 619, 239, 477, 619, 525, 715,
	619, 668, 572, 668, 619, 572, 525, 619, 572, 810, 572, 572, 525,
	// [ \ ] ^ _ `
	286, 239, 286, 502, 477, 286,
	// a-z
	477, 525, 477, 525, 477, 286, 525, 525, 239, 239, 477, 239, 762,
	525, 525, 525, 525, 333, 477, 286, 525, 477, 668, 477, 477, 429,
	// { | } ~
	333, 240, 333, 502,
}

// font0Other are advances of Latin characters that do not decompose into an
// ASCII letter and a mark, and of the punctuation font 0 carries beyond ASCII.
var font0Other = map[rune]uint16{
	'ß': 525, 'æ': 762, 'Æ': 858, 'œ': 810, 'Œ': 858, 'ø': 525, 'Ø': 668,
	'ł': 253, 'Ł': 539, 'đ': 525, 'Đ': 619, 'ð': 525, 'Ð': 619, 'þ': 525, 'Þ': 572,
	'ı': 239, 'ĸ': 477, 'ŋ': 525, 'Ŋ': 619, 'ĳ': 477, 'Ĳ': 715, 'ŀ': 333, 'Ŀ': 572,
	'ŉ': 619, 'ſ': 286, 'ħ': 525, 'Ħ': 619, 'ŧ': 286, 'Ŧ': 525,
	'¡': 286, '¢': 477, '£': 477, '¤': 477, '¥': 477, '¦': 240, '§': 477, '¨': 286,
	'©': 634, 'ª': 319, '«': 477, '¬': 502, '\u00ad': 286, '®': 634, '¯': 286,
	'°': 343, '±': 502, '²': 286, '³': 286, '´': 286, 'µ': 525, '¶': 477, '·': 239,
	'¸': 286, '¹': 286, 'º': 319, '»': 477, '¼': 715, '½': 715, '¾': 715, '¿': 525,
	'×': 502, '÷': 502, '\u00a0': 239,
	'–': 477, '—': 858, '‘': 239, '’': 239, '‚': 239, '“': 429, '”': 429, '„': 429,
	'•': 333, '…': 858, '€': 477, '‹': 286, '›': 286, '™': 858,
}

// wideAdvance is the advance assumed for a glyph of a downloaded TrueType font
// outside font 0's table (a CJK ideograph is a full em wide).
const wideAdvance = 1000

// Font0Covers reports whether the printer's font 0 has a glyph for r: the
// Latin characters of Basic Latin, Latin-1 and Latin Extended-A and the usual
// punctuation. Control characters count as covered (they print nothing).
// Text with any other character needs a downloaded TrueType font.
func Font0Covers(r rune) bool {
	_, ok := font0Advance(r)
	return ok || unicode.IsControl(r) || r == utf8.RuneError
}

// font0Advance is r's advance in thousandths of the width setting, and
// whether font 0 has the glyph.
func font0Advance(r rune) (uint16, bool) {
	if r >= 0x20 && r <= 0x7E {
		return font0ASCII[r-0x20], true
	}
	if a, ok := font0Other[r]; ok {
		return a, true
	}
	if r < 0xC0 || r > 0x17F {
		return 0, false
	}
	// An accented Latin letter is as wide as its base letter.
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	base, _ := utf8.DecodeRune(norm.NFD.Bytes(buf[:n]))
	if base >= 'A' && base <= 'z' && base != r {
		return font0ASCII[base-0x20], true
	}
	return 0, false
}

// AdvanceDots is the printed width of s, in dots, in a font whose ^A width
// setting is widthDots: font 0's advances, and a full em for a character only a
// downloaded TrueType font has. Control characters and invalid bytes take no
// room.
func AdvanceDots(widthDots int, s string) float64 {
	total := 0
	for _, r := range s {
		if a, ok := font0Advance(r); ok {
			total += int(a)
		} else if !unicode.IsControl(r) && r != utf8.RuneError {
			total += wideAdvance
		}
	}
	return float64(total) * float64(widthDots) / 1000
}

// NeedsTrueType reports whether s has a character font 0 cannot print, and
// returns the first.
func NeedsTrueType(s string) (rune, bool) {
	for _, r := range s {
		if !Font0Covers(r) {
			return r, true
		}
	}
	return 0, false
}
