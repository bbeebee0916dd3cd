package scanner

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/bits"
	"os"
	"time"
	"unicode/utf8"
)

// EvdevConfig sets up a USB-HID (keyboard) scanner read from Linux evdev.
type EvdevConfig struct {
	// Device is the event device, best a stable name:
	// /dev/input/by-id/usb-…-event-kbd.
	Device string `json:"device"`
	// Layout is the keyboard layout the scanner is set to: us (default), uk, de, fr.
	Layout string `json:"layout,omitempty"`
	// NoGrab leaves the device shared with other programs; only for replaying
	// recorded event streams. Scanners are grabbed (EVIOCGRAB) by default so
	// scans never leak into other programs.
	NoGrab bool `json:"no_grab,omitempty"`
	// Gap drops an unfinished scan after this silence. Default 1s.
	Gap       Duration `json:"gap,omitempty"`
	MaxLength int      `json:"max_length,omitempty"` // default 4096
}

// Evdev reads scans from a USB-HID scanner through /dev/input/event*.
type Evdev struct {
	cfg      EvdevConfig
	keys     keymap
	framing  Framing
	debounce time.Duration
	log      *slog.Logger
}

// NewEvdev checks an evdev configuration and makes the source.
func NewEvdev(cfg EvdevConfig, debounce time.Duration, log *slog.Logger) (*Evdev, error) {
	if cfg.Device == "" {
		return nil, errors.New("evdev scanner: no device")
	}
	km, err := newKeymap(cfg.Layout)
	if err != nil {
		return nil, fmt.Errorf("evdev scanner: %w", err)
	}
	f := Framing{Suffix: "\r", Gap: time.Duration(cfg.Gap), MaxLen: cfg.MaxLength}
	if f.Gap <= 0 {
		f.Gap = time.Second
	}
	return &Evdev{cfg: cfg, keys: km, framing: f, debounce: debounce, log: orDiscard(log)}, nil
}

// Name is "evdev:" and the device path.
func (e *Evdev) Name() string { return "evdev:" + e.cfg.Device }

// Event types and values of struct input_event.
const (
	evSyn = 0
	evKey = 1

	keyUp     = 0
	keyDown   = 1
	keyRepeat = 2
)

// inputEventSize is sizeof(struct input_event): a struct timeval (two longs),
// u16 type, u16 code, s32 value.
const inputEventSize = 2*bits.UintSize/8 + 8

// inputEvent is one decoded struct input_event.
type inputEvent struct {
	Type  uint16
	Code  uint16
	Value int32
}

// decodeEvent reads one input_event in the machine's byte order (little
// endian on every platform rfterm runs on).
func decodeEvent(b []byte) inputEvent {
	o := inputEventSize - 8
	return inputEvent{
		Type:  binary.LittleEndian.Uint16(b[o:]),
		Code:  binary.LittleEndian.Uint16(b[o+2:]),
		Value: int32(binary.LittleEndian.Uint32(b[o+4:])),
	}
}

// keyTranslator turns key events into text, with Shift, AltGr, Ctrl+] (GS),
// Alt+keypad codes (Alt+0029 is GS) and Enter, keypad Enter and Tab ending
// a scan ("\r"). Owned by one goroutine.
type keyTranslator struct {
	keys                    keymap
	shift, ctrl, alt, altGr int // how many of each modifier are held
	caps                    bool
	altCode                 int // Alt+keypad digits so far, -1 for none
	held                    map[uint16]bool
	out                     []byte
	unknownCode             uint16 // the last key without a character in the layout
}

func newKeyTranslator(km keymap) *keyTranslator {
	return &keyTranslator{keys: km, altCode: -1, held: map[uint16]bool{}}
}

// event handles one input event, appending any text to t.out.
func (t *keyTranslator) event(ev inputEvent) {
	if ev.Type != evKey {
		return
	}
	down := ev.Value == keyDown || ev.Value == keyRepeat
	if ev.Value == keyDown {
		t.held[ev.Code] = true
	} else if ev.Value == keyUp {
		delete(t.held, ev.Code)
	}
	if ev.Value == keyRepeat && isModifier(ev.Code) {
		return
	}
	step := 1
	if !down {
		step = -1
	}
	switch ev.Code {
	case keyLeftShift, keyRightShift:
		t.shift = max(t.shift+step, 0)
		return
	case keyLeftCtrl, keyRightCtrl:
		t.ctrl = max(t.ctrl+step, 0)
		return
	case keyLeftAlt:
		t.alt = max(t.alt+step, 0)
		if t.alt == 0 && t.altCode >= 0 { // Alt released: the keypad code is a character
			if t.altCode > 0 && t.altCode < 0x110000 {
				t.out = utf8.AppendRune(t.out, rune(t.altCode))
			}
			t.altCode = -1
		}
		return
	case keyRightAlt:
		t.altGr = max(t.altGr+step, 0)
		return
	case keyCapsLock:
		if ev.Value == keyDown {
			t.caps = !t.caps
		}
		return
	}
	if !down {
		return
	}
	switch {
	case ev.Code == keyEnter || ev.Code == keyKPEnter || ev.Code == keyTab:
		t.out = append(t.out, '\r')
	case t.alt > 0 && t.altGr == 0:
		if d, ok := keypadDigits[ev.Code]; ok {
			t.altCode = max(t.altCode, 0)*10 + int(d-'0')
			t.altCode = min(t.altCode, 0x110000)
		}
	case t.ctrl > 0:
		if ev.Code == keyRightBrace { // Ctrl+] (the key right of P)
			t.out = append(t.out, 0x1d)
		}
	default:
		k, ok := t.keys[ev.Code]
		if !ok {
			t.unknownCode = ev.Code
			return
		}
		r := k[0]
		switch {
		case t.altGr > 0:
			r = k[2]
		case (t.shift > 0) != (t.caps && isLetter(k[0])):
			r = k[1]
		}
		if r != 0 {
			t.out = utf8.AppendRune(t.out, r)
		}
	}
}

func isModifier(code uint16) bool {
	switch code {
	case keyLeftShift, keyRightShift, keyLeftCtrl, keyRightCtrl, keyLeftAlt, keyRightAlt, keyCapsLock:
		return true
	}
	return false
}

func isLetter(r rune) bool {
	return (r >= 'a' && r <= 'z') || r == 'ä' || r == 'ö' || r == 'ü' || r == 'é' || r == 'è' || r == 'ç' || r == 'à' || r == 'ù'
}

// readEvents reads input events from r until it fails, feeding scans to d.
// A file that supports deadlines lets the gap drop unfinished scans.
func (e *Evdev) readEvents(r io.Reader, d *delivery) error {
	framer, err := NewFramer(e.framing)
	if err != nil {
		return err
	}
	defer framer.Reset(d.frame, "device closed mid-scan")
	tr := newKeyTranslator(e.keys)
	f, canDeadline := r.(*os.File)
	tick := min(e.framing.Gap/2, 100*time.Millisecond)
	buf := make([]byte, 64*inputEventSize)
	pending := 0
	for {
		if canDeadline {
			canDeadline = f.SetReadDeadline(time.Now().Add(tick)) == nil
		}
		n, err := r.Read(buf[pending:])
		now := time.Now()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			framer.Expire(now, d.frame)
			continue
		}
		if err != nil {
			return err
		}
		pending += n
		whole := pending / inputEventSize * inputEventSize
		for off := 0; off < whole; off += inputEventSize {
			tr.event(decodeEvent(buf[off : off+inputEventSize]))
			if tr.unknownCode != 0 {
				e.log.Warn("scanner: key without a character in this layout", "source", e.Name(), "code", tr.unknownCode, "layout", e.cfg.Layout)
				tr.unknownCode = 0
			}
		}
		pending = copy(buf, buf[whole:pending])
		if len(tr.out) > 0 {
			framer.Feed(tr.out, now, d.frame)
			tr.out = tr.out[:0]
		}
	}
}
