package scanner

import (
	"encoding/binary"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventStream writes struct input_event records as the kernel does: a
// timestamp, type, code and value, each key press followed by EV_SYN.
type eventStream struct {
	b  []byte
	us int64
}

func (s *eventStream) ev(typ, code uint16, value int32) {
	rec := make([]byte, inputEventSize)
	s.us += 300 // scanners type a key every few hundred microseconds
	binary.LittleEndian.PutUint64(rec[0:], uint64(1700000000+s.us/1e6))
	binary.LittleEndian.PutUint64(rec[8:], uint64(s.us%1e6))
	o := inputEventSize - 8
	binary.LittleEndian.PutUint16(rec[o:], typ)
	binary.LittleEndian.PutUint16(rec[o+2:], code)
	binary.LittleEndian.PutUint32(rec[o+4:], uint32(value))
	s.b = append(s.b, rec...)
}

func (s *eventStream) key(code uint16, value int32) {
	s.ev(4, 4, int32(code)+0x70000) // EV_MSC MSC_SCAN, as USB keyboards send
	s.ev(evKey, code, value)
	s.ev(evSyn, 0, 0)
}

func (s *eventStream) tap(code uint16) { s.key(code, keyDown); s.key(code, keyUp) }

func (s *eventStream) with(mod, code uint16) {
	s.key(mod, keyDown)
	s.tap(code)
	s.key(mod, keyUp)
}

// typeText types text as a scanner set to the layout would: it finds each
// character's key (plain, Shift or AltGr) in the layout.
func (s *eventStream) typeText(t *testing.T, km keymap, text string) {
	t.Helper()
next:
	for _, r := range text {
		switch r {
		case '\r':
			s.tap(keyEnter)
			continue
		case 0x1d:
			s.with(keyLeftCtrl, keyRightBrace)
			continue
		}
		for code := uint16(1); code < keyKP7; code++ { // main block, not the keypad
			k, ok := km[code]
			if !ok {
				continue
			}
			switch r {
			case k[0]:
				s.tap(code)
			case k[1]:
				s.with(keyLeftShift, code)
			case k[2]:
				s.with(keyRightAlt, code)
			default:
				continue
			}
			continue next
		}
		t.Fatalf("no key types %q", r)
	}
}

func translate(km keymap, b []byte) string {
	tr := newKeyTranslator(km)
	for off := 0; off+inputEventSize <= len(b); off += inputEventSize {
		tr.event(decodeEvent(b[off:]))
	}
	return string(tr.out)
}

func TestKeyTranslatorLayouts(t *testing.T) {
	text := "]C10104006381333931\x1d10AB-7/x.Z\r"
	for _, layout := range Layouts {
		t.Run(layout, func(t *testing.T) {
			km, err := newKeymap(layout)
			require.NoError(t, err)
			var s eventStream
			s.typeText(t, km, text)
			assert.Equal(t, text, translate(km, s.b))
		})
	}
	_, err := newKeymap("dvorak")
	assert.Error(t, err)
}

func TestKeyTranslatorLayoutDifferences(t *testing.T) {
	var s eventStream
	s.tap(key1) // the "1" key
	s.tap(keyQ + 5)
	s.with(keyLeftShift, key1)
	s.tap(keyQ)
	cases := map[string]string{"us": "1y!q", "uk": "1y!q", "de": "1z!q", "fr": "&y1a"}
	for layout, want := range cases {
		km, err := newKeymap(layout)
		require.NoError(t, err)
		assert.Equal(t, want, translate(km, s.b), layout)
	}
	km, _ := newKeymap("de")
	var at eventStream
	at.with(keyRightAlt, keyQ) // AltGr+Q
	assert.Equal(t, "@", translate(km, at.b))
}

func TestKeyTranslatorGSAndEnter(t *testing.T) {
	km, _ := newKeymap("us")
	var s eventStream
	s.tap(key1 + 1) // 2
	// Alt+keypad 0 0 2 9 gives GS
	s.key(keyLeftAlt, keyDown)
	for _, kp := range []uint16{82, 82, 80, 73} {
		s.tap(kp)
	}
	s.key(keyLeftAlt, keyUp)
	s.tap(key1 + 2) // 3
	s.with(keyRightCtrl, keyRightBrace)
	s.key(keyLeftShift, keyDown)
	s.key(keyLeftShift, keyRepeat) // a held modifier repeats: no character
	s.tap(keyA)
	s.key(keyLeftShift, keyUp)
	s.key(keyA+1, keyDown)
	s.key(keyA+1, keyRepeat) // a held key repeats its character
	s.key(keyA+1, keyUp)
	s.tap(keyKPEnter)
	s.tap(keyTab)
	s.tap(keyKP7 + 1) // keypad 8
	s.tap(keyEsc)     // no character: ignored
	assert.Equal(t, "2\x1d3\x1dAss\r\r8", translate(km, s.b))
}

// TestEvdevReadsRecordedStream feeds a recorded event stream through a pipe,
// in pieces that split input_event records.
func TestEvdevReadsRecordedStream(t *testing.T) {
	log, logs := newLogCapture()
	src, err := NewEvdev(EvdevConfig{Device: "/dev/input/event-test", Layout: "de", Gap: Duration(50 * time.Millisecond)}, DefaultDebounce, log)
	require.NoError(t, err)
	var s eventStream
	s.typeText(t, src.keys, "]C10104006381333931\x1d10LÖT7\r")
	s.typeText(t, src.keys, "HALF") // then silence: dropped, not glued to the next scan
	var s2 eventStream
	s2.typeText(t, src.keys, "A-01-02\r")

	r, w, err := os.Pipe()
	require.NoError(t, err)
	rec := newRecorder()
	done := make(chan error, 1)
	go func() { done <- src.readEvents(r, &delivery{h: rec, log: src.log, source: src.Name()}) }()
	for off := 0; off < len(s.b); off += 100 { // 100 bytes: not a multiple of a record
		_, err := w.Write(s.b[off:min(off+100, len(s.b))])
		require.NoError(t, err)
	}
	scan := rec.nextScan(t)
	assert.Equal(t, "]C10104006381333931\x1d10LÖT7", scan.Raw)
	assert.Equal(t, "evdev:/dev/input/event-test", scan.Source)
	// after the gap, the reader drops HALF on a read timeout, with a log line
	assert.Contains(t, waitLog(t, logs, "fragment dropped"), "HALF")
	_, err = w.Write(s2.b)
	require.NoError(t, err)
	assert.Equal(t, "A-01-02", rec.nextScan(t).Raw)
	require.NoError(t, w.Close())
	select {
	case err := <-done:
		assert.Error(t, err, "EOF ends the reader")
	case <-time.After(waitTimeout):
		t.Fatal("reader did not stop")
	}
}
