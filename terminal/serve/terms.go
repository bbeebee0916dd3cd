package serve

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/gdamore/tcell/v2/terminfo"
)

// FallbackTerm is the terminal type used for a client whose TERM is not on
// the allowlist: every TE client speaks VT100.
const FallbackTerm = "vt100"

// allowedTerm reports whether a (lower-case) terminal type is one the
// server draws for: the DEC VTs TE clients emulate, xterm and its
// variants, ansi and the Linux console.
func allowedTerm(name string) bool {
	switch name {
	case "vt100", "vt102", "vt220", "vt320", "ansi", "linux", "xterm":
		return true
	}
	return strings.HasPrefix(name, "xterm-")
}

// Terminfo chooses the terminal description for what a client calls its
// terminal (pinned, when the gun's configuration pins one): a name on the
// allowlist that tcell's built-in database knows, else vt100. It never
// looks at the server's own environment or runs infocmp. It returns the
// description and the name chosen.
func Terminfo(client, pinned string) (*terminfo.Terminfo, string, error) {
	name := strings.ToLower(strings.TrimSpace(client))
	if pinned != "" {
		name = strings.ToLower(pinned)
	}
	if allowedTerm(name) {
		if ti, err := terminfo.LookupTerminfo(name); err == nil {
			return unpadded(ti), name, nil
		}
	}
	ti, err := terminfo.LookupTerminfo(FallbackTerm)
	if err != nil {
		return nil, "", fmt.Errorf("terminfo %s: %w", FallbackTerm, err)
	}
	return unpadded(ti), FallbackTerm, nil
}

// padding is a terminfo delay, $<50> or $<5*/>.
var padding = regexp.MustCompile(`\$<[0-9.]+[*/]*>`)

// unpadded is a copy of ti without its delays: they were for real VT100s
// on slow serial lines (vt100's clear waits 50 ms, and tcell sleeps them
// out); a TE client on a network needs none, and a sleeping screen would
// hold up a thousand guns' redraws.
func unpadded(ti *terminfo.Terminfo) *terminfo.Terminfo {
	c := *ti
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String && f.CanSet() {
			f.SetString(padding.ReplaceAllString(f.String(), ""))
		}
	}
	return &c
}
