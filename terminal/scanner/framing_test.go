package scanner

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collect feeds chunks one after another (1ms apart) and returns the scans
// and the dropped fragments.
func collect(t *testing.T, cfg Framing, chunks ...string) (scans, drops []string) {
	t.Helper()
	f, err := NewFramer(cfg)
	require.NoError(t, err)
	at := time.Unix(1000, 0)
	emit := func(fr Frame) {
		if fr.Dropped != "" {
			drops = append(drops, fr.Data)
			return
		}
		scans = append(scans, fr.Data)
	}
	for _, c := range chunks {
		f.Feed([]byte(c), at, emit)
		at = at.Add(time.Millisecond)
	}
	return scans, drops
}

func TestFramerSuffixes(t *testing.T) {
	cases := []struct {
		name   string
		suffix string
		chunks []string
		want   []string
	}{
		{"CR", "\r", []string{"ABC\rDEF\r"}, []string{"ABC", "DEF"}},
		{"CR split writes", "\r", []string{"A", "B", "C\rD", "EF", "\r"}, []string{"ABC", "DEF"}},
		{"CR given CRLF", "\r", []string{"ABC\r\nDEF\r\n"}, []string{"ABC", "DEF"}},
		{"CRLF given CR", "\r\n", []string{"ABC\rDEF\r"}, []string{"ABC", "DEF"}},
		{"CRLF split between CR and LF", "\r\n", []string{"ABC\r", "\nDEF\r", "\n"}, []string{"ABC", "DEF"}},
		{"LF", "\n", []string{"ABC\n"}, []string{"ABC"}},
		{"TAB", "\t", []string{"AB\tCD\t"}, []string{"AB", "CD"}},
		{"ETX", "\x03", []string{"AB\x03", "CD\x03"}, []string{"AB", "CD"}},
		{"GS kept", "\r", []string{"]C10104006381333931\x1d10L\r"}, []string{"]C10104006381333931\x1d10L"}},
		{"NUL kept for the classifier to refuse", "\r", []string{"A\x00B\r"}, []string{"A\x00B"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scans, drops := collect(t, Framing{Suffix: c.suffix}, c.chunks...)
			assert.Equal(t, c.want, scans)
			assert.Empty(t, drops)
		})
	}
}

func TestFramerPrefix(t *testing.T) {
	cfg := Framing{Prefix: "\x02", Suffix: "\r"}
	scans, drops := collect(t, cfg, "noise\x02ABC\r\x02DE", "F\r")
	assert.Equal(t, []string{"ABC", "DEF"}, scans)
	assert.Equal(t, []string{"noise"}, drops)

	scans, drops = collect(t, cfg, "\x02HALF\x02WHOLE\r")
	assert.Equal(t, []string{"WHOLE"}, scans, "a new prefix drops the unfinished scan")
	assert.Equal(t, []string{"HALF"}, drops)

	scans, drops = collect(t, cfg, "NOPREFIX\r\x02OK\r")
	assert.Equal(t, []string{"OK"}, scans)
	assert.Equal(t, []string{"NOPREFIX"}, drops)
}

func TestFramerGap(t *testing.T) {
	f, err := NewFramer(Framing{Gap: 50 * time.Millisecond})
	require.NoError(t, err)
	var got []Frame
	emit := func(fr Frame) { got = append(got, fr) }
	t0 := time.Unix(1000, 0)
	f.Feed([]byte("ABC"), t0, emit)
	f.Feed([]byte("DEF"), t0.Add(20*time.Millisecond), emit)
	f.Expire(t0.Add(60*time.Millisecond), emit)
	assert.Empty(t, got, "40ms after the last byte is within the gap")
	f.Feed([]byte("G"), t0.Add(120*time.Millisecond), emit) // 100ms after DEF: ABCDEF is over first
	require.Len(t, got, 1)
	assert.Equal(t, Frame{Data: "ABCDEF", At: t0.Add(20 * time.Millisecond)}, got[0])
	f.Expire(t0.Add(200*time.Millisecond), emit)
	require.Len(t, got, 2)
	assert.Equal(t, "G", got[1].Data)
	assert.False(t, f.Pending())

	_, err = NewFramer(Framing{})
	assert.Error(t, err, "nothing would end a scan")
}

func TestFramerFragmentExpires(t *testing.T) {
	f, err := NewFramer(Framing{Suffix: "\r", Gap: time.Second})
	require.NoError(t, err)
	var got []Frame
	emit := func(fr Frame) { got = append(got, fr) }
	t0 := time.Unix(1000, 0)
	f.Feed([]byte("HALF"), t0, emit)
	f.Expire(t0.Add(2*time.Second), emit)
	f.Feed([]byte("WHOLE\r"), t0.Add(3*time.Second), emit)
	require.Len(t, got, 2)
	assert.Equal(t, "HALF", got[0].Data)
	assert.NotEmpty(t, got[0].Dropped)
	assert.Equal(t, Frame{Data: "WHOLE", At: t0.Add(3 * time.Second)}, got[1])
}

func TestFramerMaxLength(t *testing.T) {
	f, err := NewFramer(Framing{Suffix: "\r", MaxLen: 100})
	require.NoError(t, err)
	var scans, drops []string
	emit := func(fr Frame) {
		if fr.Dropped != "" {
			drops = append(drops, fr.Dropped)
		} else {
			scans = append(scans, fr.Data)
		}
	}
	chunk := bytes.Repeat([]byte("X"), 4096)
	for range 256 { // 1 MB without a terminator
		f.Feed(chunk, time.Unix(1000, 0), emit)
	}
	assert.LessOrEqual(t, cap(f.buf), 4096, "memory stays bounded")
	f.Feed([]byte("TAIL\rOK\r"), time.Unix(1000, 0), emit)
	assert.Equal(t, []string{"OK"}, scans, "the tail of the over-long scan is not a scan")
	require.Len(t, drops, 1)
	assert.Contains(t, drops[0], "longer than 100")
}

func FuzzFramer(f *testing.F) {
	f.Add([]byte("\x02ABC\r\nDEF\r"), uint8(3), true)
	f.Add([]byte("01\x1d10X\rAB\x00\xff\t"), uint8(1), false)
	f.Fuzz(func(t *testing.T, data []byte, split uint8, prefix bool) {
		cfg := Framing{Suffix: "\r\n", MaxLen: 64}
		if prefix {
			cfg.Prefix = "\x02"
		}
		whole, wholeDrops := collect(t, cfg, string(data))
		var chunks []string
		step := int(split%7) + 1
		for i := 0; i < len(data); i += step {
			chunks = append(chunks, string(data[i:min(i+step, len(data))]))
		}
		parts, _ := collect(t, cfg, chunks...)
		if !prefix { // split writes give the same scans as one write
			assert.Equal(t, whole, parts)
		}
		for _, s := range whole {
			if s == "" || len(s) > cfg.MaxLen || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("bad scan %q from %q", s, data)
			}
		}
		_ = wholeDrops
	})
}

func BenchmarkFramerPerByte(b *testing.B) {
	f, err := NewFramer(Framing{Suffix: "\r"})
	require.NoError(b, err)
	scan := []byte("]C10109506000134352\x1d1726020010LOT7\r")
	at := time.Now()
	n := 0
	emit := func(Frame) { n++ }
	b.ReportAllocs()
	b.SetBytes(1)
	for i := 0; b.Loop(); i++ {
		f.Feed(scan[i%len(scan):i%len(scan)+1], at, emit)
	}
}
