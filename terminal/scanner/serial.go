package scanner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.bug.st/serial"

	"github.com/rfterm/rfterm/terminal/serialport"
)

// SerialConfig sets up a serial (RS-232 or USB-CDC) scanner.
type SerialConfig struct {
	Port     string `json:"port"`                // e.g. /dev/ttyACM0 or /dev/serial/by-id/…
	Baud     int    `json:"baud,omitempty"`      // default 9600
	DataBits int    `json:"data_bits,omitempty"` // 5–8, default 8
	Parity   string `json:"parity,omitempty"`    // none (default), odd, even, mark, space
	StopBits string `json:"stop_bits,omitempty"` // "1" (default), "1.5", "2"
	// Prefix and Suffix frame a scan: names (STX; CR, LF, CRLF, TAB, ETX,
	// none) or escaped text ("\x02"). Suffix defaults to CR; "none" means
	// framing by Gap alone.
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	// Gap is the inter-byte silence that ends a scan without suffix, or drops
	// an unterminated fragment with one. Default 50ms without suffix, 1s with.
	Gap       Duration `json:"gap,omitempty"`
	MaxLength int      `json:"max_length,omitempty"` // default 4096
}

// Serial reads scans from a serial port. It reopens the port by itself after
// an unplug, with backoff, and never delivers half a scan.
type Serial struct {
	cfg      SerialConfig
	mode     *serial.Mode
	framing  Framing
	debounce time.Duration
	log      *slog.Logger
}

// NewSerial checks a serial configuration and makes the source.
func NewSerial(cfg SerialConfig, debounce time.Duration, log *slog.Logger) (*Serial, error) {
	if cfg.Port == "" {
		return nil, errors.New("serial scanner: no port")
	}
	s := &Serial{cfg: cfg, debounce: debounce, log: orDiscard(log)}
	mode, err := serialport.Line{Baud: cfg.Baud, DataBits: cfg.DataBits, Parity: cfg.Parity, StopBits: cfg.StopBits}.Mode()
	if err != nil {
		return nil, fmt.Errorf("serial scanner: %w", err)
	}
	s.mode = mode
	suffix := cfg.Suffix
	if suffix == "" {
		suffix = "CR"
	}
	if s.framing.Suffix, err = ParseControl(suffix); err != nil {
		return nil, fmt.Errorf("serial scanner: suffix: %w", err)
	}
	if s.framing.Prefix, err = ParseControl(cfg.Prefix); err != nil {
		return nil, fmt.Errorf("serial scanner: prefix: %w", err)
	}
	s.framing.Gap = time.Duration(cfg.Gap)
	if s.framing.Gap <= 0 {
		s.framing.Gap = time.Second
		if s.framing.Suffix == "" {
			s.framing.Gap = 50 * time.Millisecond
		}
	}
	s.framing.MaxLen = cfg.MaxLength
	if _, err := NewFramer(s.framing); err != nil {
		return nil, fmt.Errorf("serial scanner: %w", err)
	}
	return s, nil
}

// Name is "serial:" and the port path.
func (s *Serial) Name() string { return "serial:" + s.cfg.Port }

// Run reads scans until ctx is done, reopening the port when it goes away.
// The handler hears "scanner disconnected" once per outage and "connected"
// when the port is back.
func (s *Serial) Run(ctx context.Context, h Handler) error {
	d := &delivery{h: h, log: s.log, source: s.Name(), debounce: s.debounce}
	framer, err := NewFramer(s.framing)
	if err != nil {
		return err
	}
	keepConnected(ctx, d, serialport.Opener(s.cfg.Port, s.mode), func(port serial.Port) error {
		defer framer.Reset(d.frame, "port closed mid-scan")
		return s.read(port, framer, d)
	})
	return nil
}

// read reads the open port until it fails (or is closed).
func (s *Serial) read(port serial.Port, framer *Framer, d *delivery) error {
	tick := min(s.framing.Gap/2, 100*time.Millisecond) // let the gap end a scan or drop a fragment
	return serialport.Read(port, tick,
		func(b []byte, at time.Time) { framer.Feed(b, at, d.frame) },
		func(now time.Time) { framer.Expire(now, d.frame) })
}
