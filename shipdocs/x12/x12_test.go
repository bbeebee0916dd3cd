package x12

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isa is a valid ISA for tests.
const isa = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260314*1607*U*00401*000000001*0*T*>"

// envelope writes an ISA and one segment holding v.
func envelope(v string) ([]byte, error) {
	var w Writer
	w.Raw(isa)
	w.Segment("REF", "ZZ", v)
	w.Segment("IEA", "1", "000000001")
	return w.Bytes()
}

func TestWriterRefusesDelimitersAndTrimsEmptyElements(t *testing.T) {
	for _, v := range []string{"a*b", "a~b", "a>b", "a\nb", "é"} {
		_, err := envelope(v)
		assert.True(t, errors.Is(err, ErrData), "%q: %v", v, err)
	}
	var w Writer
	w.Segment("TD3", "TL", "", "T1", "", "")
	b, err := w.Bytes()
	require.NoError(t, err)
	assert.Equal(t, "TD3*TL**T1~\n", string(b))
	assert.Equal(t, 1, w.Count())
}

func TestIDAndText(t *testing.T) {
	_, err := ID("PO", "", 22)
	assert.ErrorIs(t, err, ErrData)
	_, err = ID("PO", strings.Repeat("9", 23), 22)
	assert.ErrorIs(t, err, ErrData)
	v, err := ID("PO", "PO-1", 22)
	require.NoError(t, err)
	assert.Equal(t, "PO-1", v)
	assert.Equal(t, "Cafe Zurich ?", Text("  Café*Zürich~\t日 ", 60))
	assert.Equal(t, "abc", Text("abc  def", 4))
}

func TestParseTakesDelimitersFromISA(t *testing.T) {
	b, err := envelope("x")
	require.NoError(t, err)
	segs, err := Parse(b)
	require.NoError(t, err)
	require.Len(t, segs, 3)
	assert.Equal(t, "x", segs[1].Element(2))
	assert.Equal(t, "", segs[1].Element(3))
	other := strings.NewReplacer("*", "|", "~\n", "\r\n").Replace(string(b))
	other = strings.Replace(other, "\r\n", "^", 1) // ISA's terminator
	other = strings.ReplaceAll(other, "\r\n", "^")
	segs, err = Parse([]byte(other))
	require.NoError(t, err, other)
	assert.Equal(t, "x", segs[1].Element(2))
	for _, bad := range []string{"", "GS*x~", isa, isa + "~REF*1"} {
		_, err := Parse([]byte(bad))
		assert.ErrorIs(t, err, ErrData, "%q", bad)
	}
}

// FuzzParse parses any bytes without panicking, and reads back what Text
// made of any string, written in a segment.
func FuzzParse(f *testing.F) {
	f.Add("Acme * Retail ~ DC > 7")
	f.Add(isa + "~GS*SH~")
	f.Add("\x00\xff~*>")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = Parse([]byte(s))
		v := Text(s, 60)
		b, err := envelope(v)
		if v == "" {
			return
		}
		if err != nil {
			t.Fatalf("Text(%q) = %q is refused: %v", s, v, err)
		}
		segs, err := Parse(b)
		if err != nil || len(segs) != 3 || segs[1].Element(2) != v {
			t.Fatalf("%q does not read back: %v %s", v, err, fmt.Sprint(segs))
		}
	})
}
