// Package safetext makes text from outside (the hub, a printer, a scan)
// safe to show: Strip removes control characters, so nothing printed to a
// terminal can move the cursor, recolour it or retitle it; Escape also
// neutralises every tview tag form, so text shown in a tview widget is
// shown as it is and never styles, hides or hyperlinks anything.
package safetext

import (
	"regexp"
	"strings"
	"unicode"
)

// tagLike is an opening bracket, text without brackets, and a closing
// bracket: every tview style or region tag has this form ("[red]",
// "[::b]", `["r1"]`, "[-]"), and so has an escaped tag ("[red[]").
var tagLike = regexp.MustCompile(`(\[[^\[\]]+\[*)\]`)

// urlForm is the start of a tag with a URL part ("[red:blue:bu:http://x]",
// "[:::click]"): tview takes every character but "]" as part of the URL,
// so escaping it with "[]" does not work; its bracket is replaced instead.
var urlForm = regexp.MustCompile(`\[(?:[^\[\]:]*:){3}`)

// Escape returns s with its control characters removed and every tview tag
// form neutralised, so a tview widget with dynamic colours and regions shows
// it as text: a tag-like group is escaped as tview escapes tags (a "[" before
// its closing "]") and shows as given; a group with a URL part, which tview
// cannot show literally, shows with "(" for its "[".
func Escape(s string) string {
	s = Strip(s)
	if !strings.Contains(s, "[") {
		return s // no tag form without an opening bracket
	}
	s = urlForm.ReplaceAllStringFunc(s, func(m string) string { return "(" + m[1:] })
	return tagLike.ReplaceAllString(s, "$1[]")
}

// Strip returns s without control characters: C0 and C1 controls (ESC, BEL,
// CR, LF, TAB, ...), DEL, and the Unicode format characters that reorder or
// hide text (bidi overrides and isolates, zero-width characters). Invalid
// UTF-8 becomes U+FFFD.
func Strip(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
