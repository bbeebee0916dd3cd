package scanner

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Config chooses and sets up a scanner. It is JSON, for the terminal's
// configuration file:
//
//	{"kind": "serial", "serial": {"port": "/dev/serial/by-id/usb-Honeywell-if00", "baud": 9600, "suffix": "CR"}}
//	{"kind": "evdev", "evdev": {"device": "/dev/input/by-id/usb-Datalogic-event-kbd", "layout": "de"}}
//	{"kind": "wedge", "wedge": {"max_key_gap": "50ms", "min_length": 4, "gs": "^]"}}
type Config struct {
	Kind   string       `json:"kind"` // "serial", "evdev" or "wedge"
	Serial SerialConfig `json:"serial,omitzero"`
	Evdev  EvdevConfig  `json:"evdev,omitzero"`
	Wedge  WedgeConfig  `json:"wedge,omitzero"`
	// Debounce drops a scan equal to the one before within this time: some
	// scanners send several reads per trigger pull. Default 150ms; "0s" off.
	Debounce *Duration `json:"debounce,omitempty"`
}

// DefaultDebounce is Config.Debounce when not set.
const DefaultDebounce = 150 * time.Millisecond

func (c Config) debounce() time.Duration {
	if c.Debounce == nil {
		return DefaultDebounce
	}
	return time.Duration(*c.Debounce)
}

// Open makes the source a configuration describes. The keyboard wedge comes
// back as a *Wedge, for the TUI to feed keys to. An evdev scanner on an
// operating system other than Linux is refused here, before the terminal
// starts without its scanner.
func Open(cfg Config, log *slog.Logger) (Source, error) {
	switch cfg.Kind {
	case "serial":
		return NewSerial(cfg.Serial, cfg.debounce(), log)
	case "evdev":
		if err := evdevSupported(); err != nil {
			return nil, err
		}
		return NewEvdev(cfg.Evdev, cfg.debounce(), log)
	case "wedge":
		return NewWedge(cfg.Wedge, log)
	}
	return nil, fmt.Errorf("scanner kind %q: want serial, evdev or wedge", cfg.Kind)
}

// orDiscard is log, or a logger that drops everything when log is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}

// Duration is a time.Duration written as "50ms" in JSON.
type Duration time.Duration

// MarshalJSON writes "50ms".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "50ms" (or a number of milliseconds).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var ms float64
		if err2 := json.Unmarshal(b, &ms); err2 != nil {
			return fmt.Errorf("duration: want \"50ms\" or milliseconds: %w", err)
		}
		*d = Duration(ms * float64(time.Millisecond))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

// controlNames are the names a configuration may use for framing bytes.
var controlNames = map[string]string{
	"CR": "\r", "LF": "\n", "CRLF": "\r\n", "TAB": "\t", "ETX": "\x03", "STX": "\x02",
	"GS": "\x1d", "RS": "\x1e", "EOT": "\x04", "ESC": "\x1b", "NONE": "",
}

// ParseControl reads a framing string from a configuration: a name ("CR",
// "CRLF", "TAB", "ETX", "STX", "none"), or text with Go escapes ("\r\n", "\x02").
func ParseControl(s string) (string, error) {
	if v, ok := controlNames[strings.ToUpper(s)]; ok {
		return v, nil
	}
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	v, err := strconv.Unquote(`"` + strings.ReplaceAll(s, `"`, `\"`) + `"`)
	if err != nil {
		return "", fmt.Errorf("framing %q: %w", s, err)
	}
	return v, nil
}
