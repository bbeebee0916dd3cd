package scanner

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/rfterm/rfterm/barcode"
)

// WedgeConfig sets up the keyboard wedge: a scanner that types into the
// terminal (a TE client on an RF gun, a hosted session, a desktop).
type WedgeConfig struct {
	// MaxKeyGap is the longest pause between the keys of a scan; keys further
	// apart are typing. Default 50ms.
	MaxKeyGap Duration `json:"max_key_gap,omitempty"`
	// MinLength is the fewest characters a scan has; shorter bursts are
	// typing. Default 4.
	MinLength int `json:"min_length,omitempty"`
	// Prefix, when set, starts every scan (configured in the scanner) and is
	// stripped; bursts without it are typing.
	Prefix string `json:"prefix,omitempty"`
	// GS is text the scanner types for GS (FNC1), e.g. "#", "^]" or "<GS>";
	// inside a scan it becomes GS. Ctrl+] and Alt+0029 always give GS.
	GS string `json:"gs,omitempty"`
	// EndByGap also ends a scan after MaxKeyGap of silence, for scanners
	// set to send no Enter or Tab.
	EndByGap bool `json:"end_by_gap,omitempty"`
	// MaxLength is the most keys a scan has (default DefaultWedgeMaxLength).
	// A longer burst (a paste, a key held down) is typing: the keys held so
	// far are released at once, and the rest of the burst passes through
	// unheld, so the wedge never holds more than this.
	MaxLength int `json:"max_length,omitempty"`
}

// DefaultWedgeMaxLength is the default WedgeConfig.MaxLength: longer than
// any barcode a warehouse scans (a GS1 DataMatrix with a Digital Link URL is
// a few hundred characters).
const DefaultWedgeMaxLength = 1024

// KeyCode says what kind of key a Key is.
type KeyCode int

// Key codes the wedge tells apart; everything else is KeyOther.
const (
	KeyRune  KeyCode = iota // a character in Key.Rune (Alt may be held)
	KeyEnter                // Enter or keypad Enter: ends a scan
	KeyTab                  // Tab: ends a scan
	KeyGS                   // Ctrl+] (GS, 0x1D)
	KeyOther                // arrows, function keys, Escape, Backspace …
)

// Key is one key event from the terminal, as plain values. Event carries the
// TUI's own event (e.g. *tcell.EventKey) untouched, so released keys can be
// replayed.
type Key struct {
	Code  KeyCode
	Rune  rune // for KeyRune
	Alt   bool // Alt was held (Alt+keypad digits)
	At    time.Time
	Event any
}

// Wedge tells keyboard-wedge scans from typing. It is fed keys by the TUI:
// see "Keyboard wedge integration" in the package documentation.
type Wedge struct {
	cfg    WedgeConfig
	gap    time.Duration
	log    *slog.Logger
	mu     sync.Mutex
	h      Handler
	wake   func()
	timer  *time.Timer
	held   []Key
	prefix []rune
	// overflow: the burst in progress outgrew MaxLength, and passes through
	// as typing until Enter, Tab, another key or a pause; last is when its
	// last key came.
	overflow bool
	last     time.Time
}

// NewWedge makes a keyboard wedge source.
func NewWedge(cfg WedgeConfig, log *slog.Logger) (*Wedge, error) {
	w := &Wedge{cfg: cfg, gap: time.Duration(cfg.MaxKeyGap), log: orDiscard(log), prefix: []rune(cfg.Prefix)}
	if w.gap <= 0 {
		w.gap = 50 * time.Millisecond
	}
	if w.cfg.MinLength <= 0 {
		w.cfg.MinLength = 4
	}
	if w.cfg.MaxLength <= 0 {
		w.cfg.MaxLength = DefaultWedgeMaxLength
	}
	if gs, err := ParseControl(cfg.GS); err == nil {
		w.cfg.GS = gs
	}
	return w, nil
}

// Name is "wedge".
func (w *Wedge) Name() string { return "wedge" }

// Run makes the wedge deliver scans to h until ctx is done.
func (w *Wedge) Run(ctx context.Context, h Handler) error {
	w.mu.Lock()
	w.h = h
	w.mu.Unlock()
	h.HandleStatus(Status{Source: w.Name(), Connected: true, At: time.Now()})
	<-ctx.Done()
	w.mu.Lock()
	w.h = nil
	w.mu.Unlock()
	return nil
}

// SetWake sets the function called (from a timer goroutine) when held keys
// are due; it should make the event loop call Flush.
func (w *Wedge) SetWake(fn func()) {
	w.mu.Lock()
	w.wake = fn
	w.mu.Unlock()
}

// Key takes one key and returns the keys the TUI must deliver now, in order.
// A scan it completes goes to the handler before Key returns.
func (w *Wedge) Key(k Key) []Key {
	w.mu.Lock()
	out, scan, h := w.key(k)
	w.mu.Unlock()
	if scan != nil {
		h.HandleScan(*scan) // outside the lock: the handler may call the wedge
	}
	return out
}

// Flush returns the held keys that are due at now (the pause after them is
// longer than MaxKeyGap), or, with EndByGap, delivers them as a scan.
func (w *Wedge) Flush(now time.Time) []Key {
	w.mu.Lock()
	out, scan := w.due(now)
	if len(w.held) > 0 {
		w.startTimer() // not due yet: wake again
	}
	h := w.h
	w.mu.Unlock()
	if scan != nil {
		h.HandleScan(*scan)
	}
	return out
}

// Pending reports how many keys the wedge holds.
func (w *Wedge) Pending() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.held)
}

// key decides about one key, under the lock. It returns the keys to deliver
// and a finished scan with the handler to give it to.
func (w *Wedge) key(k Key) (out []Key, scan *barcode.Scan, h Handler) {
	out, scan = w.due(k.At) // the silence before k may end what is held
	if w.h == nil {
		return append(out, k), nil, nil
	}
	more, ended := w.decide(k)
	if ended != nil {
		scan = ended // due emptied the held keys if it made a scan: never both
	}
	return append(out, more...), scan, w.h
}

// decide takes k into the held keys, or ends them as a scan or as typing.
func (w *Wedge) decide(k Key) ([]Key, *barcode.Scan) {
	if w.overflow {
		if (k.Code == KeyRune || k.Code == KeyGS) && k.At.Sub(w.last) <= w.gap {
			w.last = k.At
			return []Key{k}, nil // the rest of a burst too long for a scan: typing
		}
		w.overflow = false
	}
	switch k.Code {
	case KeyEnter, KeyTab:
		if len(w.held) == 0 {
			return []Key{k}, nil
		}
		if data, ok := w.scanData(); ok {
			w.releaseHeld()
			s := barcode.NewScan(data, k.At, w.Name())
			return nil, &s
		}
		return append(w.releaseHeld(), k), nil
	case KeyRune, KeyGS:
		if len(w.held) == 0 && !w.canStart(k) {
			return []Key{k}, nil
		}
		w.held = append(w.held, k)
		if len(w.held) > w.cfg.MaxLength {
			w.overflow, w.last = true, k.At
			w.log.Warn("wedge: a burst longer than a scan can be is typing", "max_length", w.cfg.MaxLength)
			return w.releaseHeld(), nil
		}
		w.startTimer()
		return nil, nil
	}
	// any other key ends a burst: give back what is held, then the key
	return append(w.releaseHeld(), k), nil
}

// releaseHeld empties the held keys and returns them.
func (w *Wedge) releaseHeld() []Key {
	held := w.held
	w.held = nil
	if w.timer != nil {
		w.timer.Stop()
	}
	return held
}

// due gives back (or, with EndByGap, scans) the held keys when the pause
// since the last of them is longer than the gap.
func (w *Wedge) due(now time.Time) ([]Key, *barcode.Scan) {
	if len(w.held) == 0 || now.Sub(w.held[len(w.held)-1].At) <= w.gap {
		return nil, nil
	}
	if w.cfg.EndByGap && w.h != nil {
		if data, ok := w.scanData(); ok {
			at := w.held[len(w.held)-1].At
			w.releaseHeld()
			s := barcode.NewScan(data, at, w.Name())
			return nil, &s
		}
	}
	return w.releaseHeld(), nil
}

// canStart says whether a key may begin a scan: any character, or with a
// prefix only its first character.
func (w *Wedge) canStart(k Key) bool {
	if len(w.prefix) > 0 {
		return k.Code == KeyRune && k.Rune == w.prefix[0]
	}
	return true
}

// scanData decides whether the held keys are a scan and returns its data:
// keys close enough together, long enough, with the prefix when one is set.
func (w *Wedge) scanData() (string, bool) {
	for i := 1; i < len(w.held); i++ {
		if w.held[i].At.Sub(w.held[i-1].At) > w.gap {
			return "", false
		}
	}
	var b strings.Builder
	for i := 0; i < len(w.held); i++ {
		k := w.held[i]
		switch {
		case k.Code == KeyGS:
			b.WriteByte(0x1d)
		case k.Alt && isAltGS(w.held[i:]) > 0:
			b.WriteByte(0x1d)
			i += isAltGS(w.held[i:]) - 1
		default:
			b.WriteRune(k.Rune)
		}
	}
	data := b.String()
	if len(w.prefix) > 0 {
		if !strings.HasPrefix(data, w.cfg.Prefix) {
			return "", false
		}
		data = data[len(w.cfg.Prefix):]
	}
	if w.cfg.GS != "" {
		data = strings.ReplaceAll(data, w.cfg.GS, "\x1d")
	}
	if len([]rune(data)) < w.cfg.MinLength {
		return "", false
	}
	return data, true
}

// isAltGS returns how many keys spell Alt+0029 (or Alt+029, Alt+29) at the
// start of keys, or 0.
func isAltGS(keys []Key) int {
	var digits []rune
	for _, k := range keys {
		if !k.Alt || k.Code != KeyRune || k.Rune < '0' || k.Rune > '9' {
			break
		}
		digits = append(digits, k.Rune)
		if s := string(digits); s == "29" || s == "029" || s == "0029" {
			return len(digits)
		}
		if len(digits) == 4 {
			break
		}
	}
	return 0
}

func (w *Wedge) startTimer() {
	if w.wake == nil {
		return
	}
	if w.timer == nil {
		wake := w.wake
		w.timer = time.AfterFunc(w.gap+time.Millisecond, wake)
		return
	}
	w.timer.Reset(w.gap + time.Millisecond)
}
