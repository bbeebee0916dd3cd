package scanner

import (
	"fmt"
	"strings"
)

// Linux input key codes (linux/input-event-codes.h) that scanners type.
const (
	keyEsc        = 1
	key1          = 2 // key1 … key9 are 2 … 10, key0 is 11
	key0          = 11
	keyMinus      = 12
	keyEqual      = 13
	keyTab        = 15
	keyQ          = 16
	keyLeftBrace  = 26
	keyRightBrace = 27
	keyEnter      = 28
	keyLeftCtrl   = 29
	keyA          = 30
	keySemicolon  = 39
	keyApostrophe = 40
	keyGrave      = 41
	keyLeftShift  = 42
	keyBackslash  = 43
	keyZ          = 44
	keyComma      = 51
	keyDot        = 52
	keySlash      = 53
	keyRightShift = 54
	keyKPAsterisk = 55
	keyLeftAlt    = 56
	keySpace      = 57
	keyCapsLock   = 58
	keyKP7        = 71
	keyKPMinus    = 74
	keyKPPlus     = 78
	keyKPDot      = 83
	key102nd      = 86
	keyKPEnter    = 96
	keyRightCtrl  = 97
	keyKPSlash    = 98
	keyRightAlt   = 100
)

// keypadDigits maps keypad keys to their digits (for Alt+keypad codes).
var keypadDigits = map[uint16]rune{71: '7', 72: '8', 73: '9', 75: '4', 76: '5', 77: '6', 79: '1', 80: '2', 81: '3', 82: '0'}

// keymap maps a key code to the characters it types: plain, with Shift, with AltGr.
type keymap map[uint16][3]rune

// keyRow fills the keys from code on with the plain and shifted characters.
func (m keymap) keyRow(code uint16, plain, shifted string) {
	p, s := []rune(plain), []rune(shifted)
	for i := range p {
		m[code+uint16(i)] = [3]rune{p[i], s[i]}
	}
}

// altGr sets the AltGr characters: pairs of key code and character.
func (m keymap) altGr(pairs map[uint16]rune) {
	for code, r := range pairs {
		k := m[code]
		k[2] = r
		m[code] = k
	}
}

// Layouts are the keyboard layouts a USB-HID scanner may be set to.
var Layouts = []string{"us", "uk", "de", "fr"}

// newKeymap builds the key map of a layout ("us", "uk", "de", "fr").
func newKeymap(layout string) (keymap, error) {
	m := keymap{}
	// keys that are the same everywhere
	m[keySpace] = [3]rune{' ', ' '}
	m.keyRow(keyKP7, "789-456+1230.", "789-456+1230.")
	m[keyKPAsterisk] = [3]rune{'*', '*'}
	m[keyKPSlash] = [3]rune{'/', '/'}
	switch strings.ToLower(layout) {
	case "", "us":
		m.keyRow(keyGrave, "`", "~")
		m.keyRow(key1, "1234567890-=", "!@#$%^&*()_+")
		m.keyRow(keyQ, "qwertyuiop[]", "QWERTYUIOP{}")
		m.keyRow(keyA, "asdfghjkl;'", "ASDFGHJKL:\"")
		m.keyRow(keyBackslash, "\\zxcvbnm,./", "|ZXCVBNM<>?")
		m.keyRow(key102nd, "\\", "|")
	case "uk", "gb":
		m.keyRow(keyGrave, "`", "¬")
		m.keyRow(key1, "1234567890-=", "!\"£$%^&*()_+")
		m.keyRow(keyQ, "qwertyuiop[]", "QWERTYUIOP{}")
		m.keyRow(keyA, "asdfghjkl;'", "ASDFGHJKL:@")
		m.keyRow(keyBackslash, "#zxcvbnm,./", "~ZXCVBNM<>?")
		m.keyRow(key102nd, "\\", "|")
		m.altGr(map[uint16]rune{key1 + 3: '€'})
	case "de":
		m.keyRow(keyGrave, "^", "°")
		m.keyRow(key1, "1234567890ß´", "!\"§$%&/()=?`")
		m.keyRow(keyQ, "qwertzuiopü+", "QWERTZUIOPÜ*")
		m.keyRow(keyA, "asdfghjklöä", "ASDFGHJKLÖÄ")
		m.keyRow(keyBackslash, "#yxcvbnm,.-", "'YXCVBNM;:_")
		m.keyRow(key102nd, "<", ">")
		m.altGr(map[uint16]rune{keyQ: '@', keyQ + 2: '€', key1 + 1: '²', key1 + 2: '³', key1 + 6: '{', key1 + 7: '[',
			key1 + 8: ']', key0: '}', keyMinus: '\\', keyRightBrace: '~', key102nd: '|', keyZ + 6: 'µ'})
	case "fr":
		m.keyRow(keyGrave, "²", "²")
		m.keyRow(key1, "&é\"'(-è_çà)=", "1234567890°+")
		m.keyRow(keyQ, "azertyuiop^$", "AZERTYUIOP¨£")
		m.keyRow(keyA, "qsdfghjklmù", "QSDFGHJKLM%")
		m.keyRow(keyBackslash, "*wxcvbn,;:!", "µWXCVBN?./§")
		m.keyRow(key102nd, "<", ">")
		m.altGr(map[uint16]rune{key1 + 1: '~', key1 + 2: '#', key1 + 3: '{', key1 + 4: '[', key1 + 5: '|', key1 + 6: '`',
			key1 + 7: '\\', key1 + 8: '^', key0: '@', keyMinus: ']', keyEqual: '}', keyQ + 2: '€'})
	default:
		return nil, fmt.Errorf("keyboard layout %q: want one of %s", layout, strings.Join(Layouts, ", "))
	}
	return m, nil
}
