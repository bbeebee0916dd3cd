package scanner

import (
	"fmt"
	"time"
)

// Framing says how a byte stream (a serial port) is cut into scans.
type Framing struct {
	// Prefix, when set, starts every scan (e.g. "\x02", STX). Bytes before it
	// are dropped; a prefix inside a scan drops the unfinished one.
	Prefix string
	// Suffix ends every scan: "\r", "\n", "\r\n", "\t" or "\x03" (ETX). For
	// any of CR, LF and CRLF, each of CR and LF ends a scan, so a scanner set
	// to CRLF when the site expects CR (or the reverse) still works. Empty:
	// scans are framed by Gap alone.
	Suffix string
	// Gap is the silence after which a scan is over. Without a suffix it ends
	// the scan; with one, bytes left unterminated that long are a fragment
	// and are dropped (a scanner unplugged mid-scan, line noise).
	Gap time.Duration
	// MaxLen is the longest scan accepted; longer input is dropped up to the
	// next suffix.
	MaxLen int
}

// DefaultMaxScanLen bounds a scan when the configuration does not.
const DefaultMaxScanLen = 4096

// Framer cuts a byte stream into scans. It is not safe for concurrent use:
// one source goroutine owns it. It allocates only for a finished scan.
type Framer struct {
	cfg      Framing
	lineEnd  bool // suffix is CR, LF or CRLF
	buf      []byte
	started  bool // prefix seen (always true without a prefix)
	skipping bool // dropping an over-long scan up to the next suffix
	pm       int  // bytes of the prefix matched so far
	last     time.Time
}

// Frame is what a Framer hands out: a scan's bytes, or a dropped fragment
// with the reason (for a log line).
type Frame struct {
	Data    string
	At      time.Time // when the scan's last byte arrived
	Dropped string    // why Data was dropped; "" for a scan
}

// NewFramer makes a framer. A framing without suffix and gap cannot end a
// scan and is refused.
func NewFramer(cfg Framing) (*Framer, error) {
	if cfg.Suffix == "" && cfg.Gap <= 0 {
		return nil, fmt.Errorf("framing: a suffix or an inter-byte gap is needed to end a scan")
	}
	if cfg.MaxLen <= 0 {
		cfg.MaxLen = DefaultMaxScanLen
	}
	f := &Framer{cfg: cfg, buf: make([]byte, 0, 256)}
	switch cfg.Suffix {
	case "\r", "\n", "\r\n":
		f.lineEnd = true
	}
	f.started = cfg.Prefix == ""
	return f, nil
}

// Feed takes bytes read at time at and calls emit for each finished scan and
// each dropped fragment, in order.
func (f *Framer) Feed(p []byte, at time.Time, emit func(Frame)) {
	f.Expire(at, emit)
	f.last = at
	prefix, suffix := f.cfg.Prefix, f.cfg.Suffix
	for i := 0; i < len(p); i++ {
		c := p[i]
		if prefix != "" {
			if c == prefix[f.pm] {
				if f.pm++; f.pm == len(prefix) {
					f.pm = 0
					f.onPrefix(at, emit)
				}
				continue
			}
			if f.pm > 0 { // a partial prefix was data after all
				f.appendBytes(prefix[:f.pm], at, emit)
				f.pm = 0
				i--
				continue
			}
		}
		if f.lineEnd {
			if c == '\r' || c == '\n' {
				f.onSuffix(at, emit)
				continue
			}
		} else if suffix != "" && c == suffix[len(suffix)-1] && f.endsWithSuffix() {
			f.buf = f.buf[:len(f.buf)-(len(suffix)-1)]
			f.onSuffix(at, emit)
			continue
		}
		f.appendByte(c, at, emit)
	}
}

// endsWithSuffix reports whether the buffer holds all of a multi-byte
// suffix but its last byte.
func (f *Framer) endsWithSuffix() bool {
	head := f.cfg.Suffix[:len(f.cfg.Suffix)-1]
	return len(f.buf) >= len(head) && string(f.buf[len(f.buf)-len(head):]) == head
}

func (f *Framer) onPrefix(at time.Time, emit func(Frame)) {
	if f.started {
		f.endScan(at, emit, "a new prefix came before the suffix")
	} else if !f.skipping {
		dropFrame(emit, string(f.buf), at, "bytes before the prefix")
	}
	f.buf = f.buf[:0]
	f.skipping = false
	f.started = true
}

func (f *Framer) onSuffix(at time.Time, emit func(Frame)) {
	if !f.started {
		if !f.skipping {
			dropFrame(emit, string(f.buf), at, "no prefix before the suffix")
		}
		f.buf = f.buf[:0]
		f.skipping = false
		return
	}
	f.endScan(at, emit, "")
}

// Expire ends what is buffered when the line has been silent for Gap: a scan
// without suffix framing, a dropped fragment with one. Sources call it when
// a read times out.
func (f *Framer) Expire(now time.Time, emit func(Frame)) {
	if f.cfg.Gap <= 0 || (len(f.buf) == 0 && !f.skipping) || now.Sub(f.last) < f.cfg.Gap {
		return
	}
	if f.cfg.Suffix == "" && f.started {
		f.endScan(f.last, emit, "")
		return
	}
	f.Reset(emit, "no suffix within the gap")
}

// Pending reports whether bytes of an unfinished scan are buffered.
func (f *Framer) Pending() bool { return len(f.buf) > 0 || f.skipping }

// Reset drops an unfinished scan (the port closed), reporting it as a fragment.
func (f *Framer) Reset(emit func(Frame), reason string) {
	if !f.skipping {
		dropFrame(emit, string(f.buf), f.last, reason)
	}
	f.buf = f.buf[:0]
	f.skipping = false
	f.pm = 0
	f.started = f.cfg.Prefix == ""
}

func (f *Framer) appendBytes(p string, at time.Time, emit func(Frame)) {
	for i := 0; i < len(p); i++ {
		f.appendByte(p[i], at, emit)
	}
}

// appendByte adds a byte to the scan, or drops the scan when it gets too long.
func (f *Framer) appendByte(c byte, at time.Time, emit func(Frame)) {
	if f.skipping {
		return
	}
	if len(f.buf) >= f.cfg.MaxLen {
		emit(Frame{Data: string(f.buf[:min(len(f.buf), 32)]), At: at, Dropped: fmt.Sprintf("scan longer than %d bytes", f.cfg.MaxLen)})
		f.buf = f.buf[:0]
		f.skipping = true
		return
	}
	f.buf = append(f.buf, c)
}

// endScan finishes the buffered scan: delivered, or dropped with reason.
func (f *Framer) endScan(at time.Time, emit func(Frame), reason string) {
	switch {
	case f.skipping:
		// the over-long scan was reported when it overflowed
	case reason != "":
		dropFrame(emit, string(f.buf), at, reason)
	case len(f.buf) > 0:
		emit(Frame{Data: string(f.buf), At: at})
	}
	f.buf = f.buf[:0]
	f.skipping = false
	f.started = f.cfg.Prefix == ""
}

// dropFrame reports a dropped fragment; an empty one is not worth a log line.
func dropFrame(emit func(Frame), data string, at time.Time, reason string) {
	if data != "" {
		emit(Frame{Data: data, At: at, Dropped: reason})
	}
}
