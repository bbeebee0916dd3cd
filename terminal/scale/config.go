package scale

import (
	"errors"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/serialport"
)

// Protocols a scale may speak.
const (
	ProtocolSICS       = "mt-sics"    // Mettler Toledo MT-SICS request/response
	ProtocolContinuous = "continuous" // "ST,GS,   1.234kg" lines, unasked
)

// Config sets up a scale. It is JSON, for the terminal's configuration file:
//
//	{"port": "/dev/serial/by-id/usb-Mettler_Toledo-if00", "baud": 9600, "protocol": "mt-sics"}
type Config struct {
	Port string `json:"port"` // e.g. /dev/ttyUSB0 or /dev/serial/by-id/…
	serialport.Line
	Protocol string `json:"protocol,omitempty"` // mt-sics (default) or continuous
	// ReplyTimeout bounds the wait for one reply (mt-sics) or one reading
	// (continuous). Default 2s.
	ReplyTimeout scanner.Duration `json:"reply_timeout,omitempty"`
	// Retry is the pause between two requests while the weight is still
	// moving (mt-sics). Default 200ms.
	Retry scanner.Duration `json:"retry,omitempty"`
}

// Defaults of Config.
const (
	DefaultReplyTimeout = 2 * time.Second
	DefaultRetry        = 200 * time.Millisecond
)

func (c Config) replyTimeout() time.Duration {
	if c.ReplyTimeout <= 0 {
		return DefaultReplyTimeout
	}
	return time.Duration(c.ReplyTimeout)
}

func (c Config) retry() time.Duration {
	if c.Retry <= 0 {
		return DefaultRetry
	}
	return time.Duration(c.Retry)
}

// check refuses a configuration that cannot work.
func (c Config) check() error {
	if c.Port == "" {
		return errors.New("scale: no port")
	}
	switch c.Protocol {
	case "", ProtocolSICS, ProtocolContinuous:
	default:
		return fmt.Errorf("scale: protocol %q (%s or %s)", c.Protocol, ProtocolSICS, ProtocolContinuous)
	}
	return nil
}
