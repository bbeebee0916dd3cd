// Package printer talks to a Zebra printer over raw TCP (port 9100): it sends
// jobs one connection at a time with dial and write timeouts, and reads the
// printer's ~HS host status and ~HI identification. A printer that does not
// answer ~HS is treated as faulted: in some error states (media out, head open)
// Zebra printers stay silent.
package printer

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadReply is wrapped by errors about an answer that is not a ~HS or ~HI reply.
var ErrBadReply = errors.New("printer reply not understood")

const (
	stx = 0x02
	etx = 0x03
)

// Status is the printer's answer to ~HS, field by field (ZPL II guide, ~HS).
type Status struct {
	// String 1.
	CommSettings     int  // aaa: baud, parity, handshake bits
	PaperOut         bool // b
	Paused           bool // c
	LabelLengthDots  int  // dddd
	FormatsInBuffer  int  // eee: formats received and not yet printed
	BufferFull       bool // f
	DiagnosticMode   bool // g
	PartialFormat    bool // h: a format is being received
	CorruptRAM       bool // j: configuration data lost
	UnderTemperature bool // k
	OverTemperature  bool // l
	// String 2.
	FunctionSettings int  // mmm: media type, sensor profile
	HeadOpen         bool // o: head in up position
	RibbonOut        bool // p
	ThermalTransfer  bool // q
	PrintMode        int  // r: 0 rewind, 1 peel-off, 2 tear-off, 3 cutter, 4 applicator…
	PrintWidthMode   int  // s
	LabelWaiting     bool // t: label waiting to be taken in peel-off mode
	LabelsRemaining  int  // uuuuuuuu: labels remaining in the batch
	GraphicsStored   int  // www
	// String 3.
	Password  string // xxxx
	StaticRAM bool   // y
}

// Problems names every condition that stops the printer printing, in the
// words the station's status line shows.
func (s Status) Problems() []string {
	var p []string
	add := func(on bool, what string) {
		if on {
			p = append(p, what)
		}
	}
	add(s.PaperOut, "paper out")
	add(s.HeadOpen, "head open")
	add(s.RibbonOut, "ribbon out")
	add(s.Paused, "paused")
	add(s.BufferFull, "receive buffer full")
	add(s.CorruptRAM, "configuration lost")
	add(s.UnderTemperature, "head too cold")
	add(s.OverTemperature, "head too hot")
	return p
}

// Ready reports whether nothing stops the printer printing.
func (s Status) Ready() bool { return len(s.Problems()) == 0 }

// String is "ready" or the problems, comma separated.
func (s Status) String() string {
	if p := s.Problems(); len(p) > 0 {
		return strings.Join(p, ", ")
	}
	return "ready"
}

// ParseHostStatus parses the three <STX>…<ETX><CR><LF> strings a printer sends
// for ~HS.
func ParseHostStatus(b []byte) (Status, error) {
	frames, err := splitFrames(b)
	if err != nil {
		return Status{}, err
	}
	if len(frames) != 3 {
		return Status{}, fmt.Errorf("%w: ~HS answer has %d strings, want 3", ErrBadReply, len(frames))
	}
	f1, f2, f3 := strings.Split(frames[0], ","), strings.Split(frames[1], ","), strings.Split(frames[2], ",")
	if len(f1) != 12 || len(f2) != 11 || len(f3) != 2 {
		return Status{}, fmt.Errorf("%w: ~HS strings have %d, %d and %d fields, want 12, 11 and 2", ErrBadReply, len(f1), len(f2), len(f3))
	}
	p := fieldParser{}
	s := Status{
		CommSettings:     p.num(f1[0]),
		PaperOut:         p.flag(f1[1]),
		Paused:           p.flag(f1[2]),
		LabelLengthDots:  p.num(f1[3]),
		FormatsInBuffer:  p.num(f1[4]),
		BufferFull:       p.flag(f1[5]),
		DiagnosticMode:   p.flag(f1[6]),
		PartialFormat:    p.flag(f1[7]),
		CorruptRAM:       p.flag(f1[9]),
		UnderTemperature: p.flag(f1[10]),
		OverTemperature:  p.flag(f1[11]),
		FunctionSettings: p.num(f2[0]),
		HeadOpen:         p.flag(f2[2]),
		RibbonOut:        p.flag(f2[3]),
		ThermalTransfer:  p.flag(f2[4]),
		PrintMode:        p.num(f2[5]),
		PrintWidthMode:   p.num(f2[6]),
		LabelWaiting:     p.flag(f2[7]),
		LabelsRemaining:  p.num(f2[8]),
		GraphicsStored:   p.num(f2[10]),
		Password:         strings.TrimSpace(f3[0]),
		StaticRAM:        p.flag(f3[1]),
	}
	if p.err != nil {
		return Status{}, p.err
	}
	return s, nil
}

// Format writes s back as the three ~HS strings; the fake printer answers with it.
func (s Status) Format() []byte {
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	return fmt.Appendf(nil, "\x02%03d,%d,%d,%04d,%03d,%d,%d,%d,000,%d,%d,%d\x03\r\n\x02%03d,0,%d,%d,%d,%d,%d,%d,%08d,1,%03d\x03\r\n\x02%s,%d\x03\r\n",
		s.CommSettings, b(s.PaperOut), b(s.Paused), s.LabelLengthDots, s.FormatsInBuffer, b(s.BufferFull), b(s.DiagnosticMode), b(s.PartialFormat), b(s.CorruptRAM), b(s.UnderTemperature), b(s.OverTemperature),
		s.FunctionSettings, b(s.HeadOpen), b(s.RibbonOut), b(s.ThermalTransfer), s.PrintMode, s.PrintWidthMode, b(s.LabelWaiting), s.LabelsRemaining, s.GraphicsStored,
		s.Password, b(s.StaticRAM))
}

// splitFrames returns the text of each <STX>…<ETX> frame; CR, LF and spaces
// between frames are skipped, anything else is an error.
func splitFrames(b []byte) ([]string, error) {
	var out []string
	for {
		b = bytes.TrimLeft(b, "\r\n \x00")
		if len(b) == 0 {
			return out, nil
		}
		if b[0] != stx {
			return nil, fmt.Errorf("%w: %q where <STX> was expected", ErrBadReply, b[:min(len(b), 16)])
		}
		end := bytes.IndexByte(b, etx)
		if end < 0 {
			return nil, fmt.Errorf("%w: string without <ETX>", ErrBadReply)
		}
		frame := b[1:end]
		if bytes.IndexByte(frame, stx) >= 0 {
			return nil, fmt.Errorf("%w: <STX> inside a string", ErrBadReply)
		}
		out = append(out, string(frame))
		b = b[end+1:]
	}
}

// fieldParser parses numeric fields, keeping the first error.
type fieldParser struct{ err error }

func (p *fieldParser) num(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if (err != nil || n < 0) && p.err == nil {
		p.err = fmt.Errorf("%w: field %q is not a number", ErrBadReply, s)
	}
	return n
}

func (p *fieldParser) flag(s string) bool {
	switch strings.TrimSpace(s) {
	case "0":
		return false
	case "1":
		return true
	}
	if p.err == nil {
		p.err = fmt.Errorf("%w: flag %q is not 0 or 1", ErrBadReply, s)
	}
	return false
}
