package serialport

import (
	"context"
	"fmt"
	"time"

	"go.bug.st/serial"
)

// Line is the configuration of a serial line. The zero value is 9600 baud,
// 8 data bits, no parity, one stop bit (9600 8N1).
type Line struct {
	Baud     int    `json:"baud,omitempty"`      // default 9600
	DataBits int    `json:"data_bits,omitempty"` // 5–8, default 8
	Parity   string `json:"parity,omitempty"`    // none (default), odd, even, mark, space
	StopBits string `json:"stop_bits,omitempty"` // "1" (default), "1.5", "2"
}

// DefaultBaud is the baud rate of a Line that sets none.
const DefaultBaud = 9600

// Mode checks the line settings and returns the serial mode they describe.
func (l Line) Mode() (*serial.Mode, error) {
	m := &serial.Mode{BaudRate: DefaultBaud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	if l.Baud < 0 {
		return nil, fmt.Errorf("baud %d", l.Baud)
	}
	if l.Baud != 0 {
		m.BaudRate = l.Baud
	}
	if l.DataBits != 0 {
		if l.DataBits < 5 || l.DataBits > 8 {
			return nil, fmt.Errorf("data bits %d (5 to 8)", l.DataBits)
		}
		m.DataBits = l.DataBits
	}
	switch l.Parity {
	case "", "none":
	case "odd":
		m.Parity = serial.OddParity
	case "even":
		m.Parity = serial.EvenParity
	case "mark":
		m.Parity = serial.MarkParity
	case "space":
		m.Parity = serial.SpaceParity
	default:
		return nil, fmt.Errorf("parity %q (none, odd, even, mark, space)", l.Parity)
	}
	switch l.StopBits {
	case "", "1":
	case "1.5":
		m.StopBits = serial.OnePointFiveStopBits
	case "2":
		m.StopBits = serial.TwoStopBits
	default:
		return nil, fmt.Errorf("stop bits %q (1, 1.5, 2)", l.StopBits)
	}
	return m, nil
}

// Opener returns a function that opens the port at path with mode, for
// KeepConnected.
func Opener(path string, mode *serial.Mode) func(context.Context) (serial.Port, error) {
	return func(context.Context) (serial.Port, error) { return serial.Open(path, mode) }
}

// Read reads an open port until it fails or is closed: each chunk goes to
// feed, and idle hears the time whenever tick passes without a byte (to end
// a frame on silence). It returns the read error.
func Read(p serial.Port, tick time.Duration, feed func([]byte, time.Time), idle func(time.Time)) error {
	if err := p.SetReadTimeout(max(tick, time.Millisecond)); err != nil {
		return err
	}
	buf := make([]byte, 512)
	for {
		n, err := p.Read(buf)
		now := time.Now()
		if err != nil {
			return err
		}
		if n == 0 {
			idle(now)
			continue
		}
		feed(buf[:n], now)
	}
}
