package scanner

import (
	"context"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rfterm/rfterm/barcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runWedge starts a wedge like the TUI would and returns it with its recorder.
func runWedge(t *testing.T, cfg WedgeConfig) (*Wedge, *recorder) {
	t.Helper()
	src, err := Open(Config{Kind: "wedge", Wedge: cfg}, nil)
	require.NoError(t, err)
	w := src.(*Wedge)
	ctx, cancel := context.WithCancel(context.Background())
	rec := newRecorder()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, rec) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(waitTimeout):
			t.Error("wedge did not stop")
		}
	})
	require.True(t, rec.nextStatus(t).Connected)
	return w, rec
}

// typist makes keys at chosen intervals.
type typist struct{ at time.Time }

func (ty *typist) text(s string, gap time.Duration) []Key {
	var keys []Key
	for _, r := range s {
		ty.at = ty.at.Add(gap)
		k := Key{Code: KeyRune, Rune: r, At: ty.at, Event: r}
		switch r {
		case '\r':
			k = Key{Code: KeyEnter, At: ty.at}
		case '\t':
			k = Key{Code: KeyTab, At: ty.at}
		case 0x1d:
			k = Key{Code: KeyGS, At: ty.at}
		}
		keys = append(keys, k)
	}
	return keys
}

// feed gives keys to the wedge and returns the keys it gives back, as text.
func feed(w *Wedge, keys []Key) string {
	var out []rune
	for _, k := range keys {
		for _, o := range w.Key(k) {
			out = append(out, keyText(o))
		}
	}
	return string(out)
}

func keyText(k Key) rune {
	switch k.Code {
	case KeyEnter:
		return '\r'
	case KeyTab:
		return '\t'
	case KeyGS:
		return 0x1d
	case KeyOther:
		return '?'
	}
	return k.Rune
}

func TestWedgeBurstIsOneScan(t *testing.T) {
	w, rec := runWedge(t, WedgeConfig{})
	ty := &typist{at: time.Unix(1000, 0)}
	back := feed(w, ty.text("]C10104006381333931\x1d10LOT7\r", 8*time.Millisecond))
	assert.Empty(t, back, "no key of a scan reaches the input field")
	s := rec.nextScan(t)
	assert.Equal(t, "]C10104006381333931\x1d10LOT7", s.Raw)
	assert.Equal(t, "wedge", s.Source)
	assert.Equal(t, ty.at, s.At)
	assert.Zero(t, w.Pending())
}

func TestWedgeTypingGoesBack(t *testing.T) {
	w, rec := runWedge(t, WedgeConfig{})
	ty := &typist{at: time.Unix(1000, 0)}
	keys := ty.text("12\r", 180*time.Millisecond) // a person typing a quantity
	assert.Empty(t, w.Key(keys[0]), "the first key is held a moment")
	assert.Equal(t, "1", feed(w, keys[1:2]), "the next key, late, releases the first")
	assert.Equal(t, "2\r", feed(w, keys[2:]), "Enter after a pause: typed text, in order")
	rec.noScan(t)

	// typed fast but short: still typing
	assert.Equal(t, "12\r", feed(w, ty.text("12\r", 10*time.Millisecond)))
	// an arrow key ends a burst: what is held comes back first, in order
	keys = ty.text("AB", 5*time.Millisecond)
	ty.at = ty.at.Add(5 * time.Millisecond)
	keys = append(keys, Key{Code: KeyOther, At: ty.at})
	assert.Equal(t, "AB?", feed(w, keys))
	rec.noScan(t)
}

func TestWedgeWakeAndFlush(t *testing.T) {
	w, _ := runWedge(t, WedgeConfig{MaxKeyGap: Duration(20 * time.Millisecond)})
	woke := make(chan struct{}, 1)
	w.SetWake(func() { woke <- struct{}{} })
	assert.Empty(t, w.Key(Key{Code: KeyRune, Rune: '7', At: time.Now(), Event: '7'}))
	select {
	case <-woke:
	case <-time.After(waitTimeout):
		t.Fatal("the wedge did not wake the TUI")
	}
	out := w.Flush(time.Now())
	require.Len(t, out, 1)
	assert.Equal(t, '7', out[0].Rune)
	assert.Equal(t, '7', out[0].Event, "the TUI's own event comes back for replay")
	assert.Empty(t, w.Flush(time.Now()))
}

func TestWedgeGSSubstitutes(t *testing.T) {
	cases := []struct {
		name string
		cfg  WedgeConfig
		keys func(ty *typist) []Key
	}{
		{"hash", WedgeConfig{GS: "#"}, func(ty *typist) []Key { return ty.text("0104006381333931#10LOT7\r", time.Millisecond) }},
		{"caret", WedgeConfig{GS: "^]"}, func(ty *typist) []Key { return ty.text("0104006381333931^]10LOT7\r", time.Millisecond) }},
		{"Ctrl+]", WedgeConfig{}, func(ty *typist) []Key { return ty.text("0104006381333931\x1d10LOT7\r", time.Millisecond) }},
		{"Alt+0029", WedgeConfig{}, func(ty *typist) []Key {
			keys := ty.text("0104006381333931", time.Millisecond)
			for _, k := range ty.text("0029", time.Millisecond) {
				k.Alt = true
				keys = append(keys, k)
			}
			return append(keys, ty.text("10LOT7\r", time.Millisecond)...)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, rec := runWedge(t, c.cfg)
			assert.Empty(t, feed(w, c.keys(&typist{at: time.Unix(1000, 0)})))
			assert.Equal(t, "0104006381333931\x1d10LOT7", rec.nextScan(t).Raw)
		})
	}
}

func TestWedgePrefixAndEndByGap(t *testing.T) {
	w, rec := runWedge(t, WedgeConfig{Prefix: "$", EndByGap: true})
	ty := &typist{at: time.Unix(1000, 0)}
	assert.Equal(t, "ABCDE\r", feed(w, ty.text("ABCDE\r", time.Millisecond)), "no prefix: typing, however fast")
	assert.Empty(t, feed(w, ty.text("$LP000042", time.Millisecond)))
	assert.Empty(t, w.Flush(ty.at.Add(time.Second)), "silence ends the scan")
	assert.Equal(t, "LP000042", rec.nextScan(t).Raw)
}

func TestWedgeBeforeRunPassesThrough(t *testing.T) {
	w, err := NewWedge(WedgeConfig{}, nil)
	require.NoError(t, err)
	ty := &typist{at: time.Unix(1000, 0)}
	assert.Equal(t, "0104006381333931\r", feed(w, ty.text("0104006381333931\r", time.Millisecond)))
}

// FuzzWedge types random text at random speeds: every key comes back or
// goes into a scan, in order, never twice.
func FuzzWedge(f *testing.F) {
	f.Add("]C1010400\x1d10L\r12\r", []byte{1, 200, 3, 60, 5})
	f.Add("ab\tcd\r\r", []byte{100})
	f.Fuzz(func(t *testing.T, text string, gaps []byte) {
		w, err := NewWedge(WedgeConfig{GS: "#"}, nil)
		require.NoError(t, err)
		rec := &countingHandler{}
		w.h = rec // as Run does, without a goroutine
		at := time.Unix(1000, 0)
		var keys []Key
		i := 0
		for _, r := range text {
			gap := time.Millisecond
			if len(gaps) > 0 {
				gap = time.Duration(gaps[i%len(gaps)]) * time.Millisecond
			}
			at = at.Add(gap)
			k := Key{Code: KeyRune, Rune: r, At: at, Event: i}
			switch r {
			case '\r':
				k.Code = KeyEnter
			case '\x1b':
				k.Code = KeyOther
			}
			keys = append(keys, k)
			i++
		}
		var back []Key
		for _, k := range keys {
			back = append(back, w.Key(k)...)
		}
		back = append(back, w.Flush(at.Add(time.Hour))...)
		last := -1
		for _, k := range back {
			id := k.Event.(int)
			if id <= last {
				t.Fatalf("key %d came back after %d", id, last)
			}
			last = id
		}
		// each scan took its characters ("#" stands for GS) and its Enter
		if len(back)+rec.keys != len(keys) {
			t.Fatalf("%d keys in, %d back, %d in %d scans", len(keys), len(back), rec.keys, rec.scans)
		}
	})
}

// countingHandler counts scans, for the fuzz target.
type countingHandler struct{ scans, keys int }

func (c *countingHandler) HandleScan(s barcode.Scan) {
	c.scans++
	c.keys += utf8.RuneCountInString(s.Raw) + 1
}
func (c *countingHandler) HandleStatus(Status) {}

// reentrant is a handler that calls back into the wedge, as a session may.
type reentrant struct {
	w       *Wedge
	pending chan int
}

func (r reentrant) HandleScan(barcode.Scan) { r.pending <- r.w.Pending() }
func (r reentrant) HandleStatus(Status)     {}

func TestWedgeHandlerMayCallBack(t *testing.T) {
	w, err := NewWedge(WedgeConfig{}, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := reentrant{w: w, pending: make(chan int, 1)}
	go func() { _ = w.Run(ctx, h) }()
	require.Eventually(t, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.h != nil
	}, waitTimeout, time.Millisecond)
	ty := &typist{at: time.Unix(1000, 0)}
	assert.Empty(t, feed(w, ty.text("LP000042\r", time.Millisecond)))
	select {
	case n := <-h.pending:
		assert.Zero(t, n)
	case <-time.After(waitTimeout):
		t.Fatal("no scan")
	}
}
