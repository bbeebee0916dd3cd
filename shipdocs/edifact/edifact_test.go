package edifact

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// interchange writes a UNA and one segment whose elements hold vs.
func interchange(vs ...string) ([]byte, error) {
	var w Writer
	w.Service()
	els := make([]Element, len(vs))
	for i, v := range vs {
		els[i] = E(v, "x")
	}
	w.Segment("FTX", els...)
	return w.Bytes()
}

func TestReleaseRoundTrip(t *testing.T) {
	hostile := []string{"+:'?", "O'Brien + Sons: ?!", "??", "?'", "end?", "Ünïcödé", "日本"}
	b, err := interchange(hostile...)
	require.NoError(t, err)
	assert.Contains(t, string(b), "?+?:?'??:x")
	segs, err := Parse(b)
	require.NoError(t, err)
	require.Len(t, segs, 1)
	for i, h := range hostile {
		assert.Equal(t, Latin1(h), segs[0].Value(i+1, 1))
		assert.Equal(t, "x", segs[0].Value(i+1, 2))
	}
}

func TestWriterTrimsAndRefusesControls(t *testing.T) {
	var w Writer
	w.Segment("UNB", E("UNOC", "3"), nil, E("a", "", ""), nil, nil)
	b, err := w.Bytes()
	require.NoError(t, err)
	assert.Equal(t, "UNB+UNOC:3++a'\n", string(b))
	w.Segment("FTX", E("a\x00b"))
	_, err = w.Bytes()
	assert.True(t, errors.Is(err, ErrData))
}

func TestIDAndText(t *testing.T) {
	_, err := ID("seal", "12345678901", 10)
	assert.ErrorIs(t, err, ErrData)
	_, err = ID("PO", "PO-日本", 35)
	assert.ErrorIs(t, err, ErrData)
	v, err := ID("PO", "A+B:C'D?E", 35)
	require.NoError(t, err, "service characters are released, not refused")
	assert.Equal(t, "A+B:C'D?E", v)
	assert.Equal(t, "a b c", Text(" a\n\tb  c ", 35))
	assert.Equal(t, "Zü", Text("Züri", 2))
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{"UNA:+", "UNB+a", "UNB+a?", "UNA::.? 'UNB'", "'"} {
		_, err := Parse([]byte(bad))
		assert.ErrorIs(t, err, ErrData, "%q", bad)
	}
	segs, err := Parse([]byte("UNB+a'\r\nUNZ+1'\n"))
	require.NoError(t, err, "line breaks between segments are skipped")
	assert.Len(t, segs, 2)
}

// FuzzParse parses any bytes without panicking, and reads back any two
// values written in a segment, released, as Latin-1.
func FuzzParse(f *testing.F) {
	f.Add("+:'?", "O'Brien")
	f.Add("UNA:+.? 'UNB+x'", "")
	f.Add("\x00\xff", "日本?")
	f.Fuzz(func(t *testing.T, a, b string) {
		_, _ = Parse([]byte(a))
		_, _ = Parse([]byte(b))
		a, b = Text(a, 70), Text(b, 70)
		data, err := interchange(a, b)
		if err != nil {
			t.Fatalf("Text output %q, %q refused: %v", a, b, err)
		}
		segs, err := Parse(data)
		if err != nil || len(segs) != 1 {
			t.Fatalf("%q does not parse: %v", data, err)
		}
		if segs[0].Value(1, 1) != Latin1(a) || segs[0].Value(2, 1) != Latin1(b) {
			t.Fatalf("%q, %q read back as %q", a, b, segs[0].Elements)
		}
	})
}
