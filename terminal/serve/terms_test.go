package serve

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTerminfoAllowlist(t *testing.T) {
	t.Setenv("TERM", "xterm-kitty") // the server's own terminal plays no part
	for client, want := range map[string]string{
		"VT220": "vt220", "vt100": "vt100", "vt102": "vt102", "vt320": "vt320", "xterm": "xterm",
		"xterm-256color": "xterm-256color", "ansi": "ansi", "linux": "linux",
		"": "vt100", "wyse60": "vt100", "screen": "vt100", "xterm-nosuchthing": "vt100", "../../etc/passwd": "vt100",
	} {
		ti, name, err := Terminfo(client, "")
		require.NoError(t, err)
		assert.Equal(t, want, name, "client says %q", client)
		assert.NotNil(t, ti)
	}
	_, name, _ := Terminfo("xterm-256color", "vt220")
	assert.Equal(t, "vt220", name, "a gun's pinned type wins")
}

// TestTerminfoHasNoDelays: vt100's clear pads 50 ms, which tcell sleeps;
// the server's copies carry no delay.
func TestTerminfoHasNoDelays(t *testing.T) {
	for _, name := range []string{"vt100", "vt220", "xterm", "ansi", "linux"} {
		ti, _, err := Terminfo(name, "")
		require.NoError(t, err)
		v := reflect.ValueOf(ti).Elem()
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.String {
				assert.NotContains(t, f.String(), "$<", "%s.%s", name, v.Type().Field(i).Name)
			}
		}
	}
}

func TestKeyProfileRewrites(t *testing.T) {
	m, err := newKeyMap(KeyProfile{"CSI 35~": "F5", "ESC O w": "F1", "^X": "Esc"})
	require.NoError(t, err)
	out, held := m.rewrite(nil, []byte("ab\x1b[35~c\x18d\x1bOw"))
	assert.Equal(t, "ab\x1b[15~c\x1bd\x1bOP", string(out))
	assert.Empty(t, held)
	// Split across packets: the tail is held, then completed.
	out, held = m.rewrite(nil, []byte("x\x1b[3"))
	assert.Equal(t, "x", string(out))
	assert.Equal(t, "\x1b[3", string(held))
	out, held = m.rewrite(nil, append(held, "5~"...))
	assert.Equal(t, "\x1b[15~", string(out))
	assert.Empty(t, held)
	// A tail that turns out to be something else passes through unchanged.
	out, _ = m.rewrite(nil, append([]byte("\x1b[3"), "~"...))
	assert.Equal(t, "\x1b[3~", string(out))

	_, err = newKeyMap(KeyProfile{"CSI 35~": "F99"})
	assert.Error(t, err)
	seq, err := ParseSequence("CSI 2 4 ~ 0x1d GS")
	require.NoError(t, err)
	assert.True(t, bytes.Equal(seq, []byte("\x1b[24~\x1d\x1d")), "%q", seq)
	assert.True(t, strings.HasPrefix(string(must(canonical("F6"))), "\x1b[17~"))
}

func must(b []byte, ok bool) []byte {
	if !ok {
		panic("no such key")
	}
	return b
}
