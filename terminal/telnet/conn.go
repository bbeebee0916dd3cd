package telnet

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Conn is a telnet server's side of a connection. It negotiates the
// options a TE client needs (the server echoes, no go-aheads, 8-bit data,
// the terminal's type and window size), answers the client's requests, and
// reads and writes the data only.
//
// Read must not be called concurrently with itself; Write may be called from
// any goroutine.
type Conn struct {
	c   net.Conn
	dec Decoder
	wmu sync.Mutex // serialises writes: data and negotiation replies

	mu       sync.Mutex
	term     string
	width    int
	height   int
	onResize func(width, height int)
	// local[o] and remote[o] say an option is enabled on our side (we WILL)
	// or the client's (it WILL); replies are sent only when a state changes,
	// so negotiation never loops (RFC 854's rule).
	local, remote [256]bool
	answered      [256]bool // the client has answered our DO for this option

	pending []byte // decoded data not yet returned by Read
	raw     []byte // read buffer
}

// NewConn wraps c. Call Negotiate before reading.
func NewConn(c net.Conn) *Conn {
	return &Conn{c: c, raw: make([]byte, 512)}
}

// Negotiate offers the options and reads until the client has answered
// them and sent its terminal type and window size, or until ctx is done
// (an old client may never answer: it then gets the defaults). Data the
// client sends meanwhile is kept for Read.
func (t *Conn) Negotiate(ctx context.Context) error {
	var out []byte
	for _, o := range []byte{OptEcho, OptSGA, OptBinary} {
		t.local[o] = true
		out = append(out, IAC, WILL, o)
	}
	for _, o := range []byte{OptSGA, OptBinary, OptTermType, OptNAWS} {
		out = append(out, IAC, DO, o)
	}
	if err := t.write(out); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, t.wake)
	defer stop()
	for !t.negotiated() {
		if ctx.Err() != nil {
			return nil // the defaults then
		}
		if err := t.fill(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	return nil
}

// wake unblocks a Read waiting in Negotiate when its context ends.
func (t *Conn) wake() { _ = t.c.SetReadDeadline(time.Unix(1, 0)) }

// negotiated reports whether the client answered the terminal type and
// window size requests (and sent both when it agreed).
func (t *Conn) negotiated() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	tt := t.answered[OptTermType] && (!t.remote[OptTermType] || t.term != "")
	naws := t.answered[OptNAWS] && (!t.remote[OptNAWS] || t.width > 0)
	return tt && naws
}

// fill reads once from the connection and handles what came.
func (t *Conn) fill(ctx context.Context) error {
	n, err := t.c.Read(t.raw)
	if n > 0 {
		var cmds []Command
		t.pending, cmds = t.dec.Decode(t.raw[:n], t.pending)
		for _, c := range cmds {
			if err := t.handle(c); err != nil {
				return err
			}
		}
	}
	if err != nil {
		if ctx != nil && ctx.Err() != nil {
			_ = t.c.SetReadDeadline(time.Time{})
		}
		return err
	}
	return nil
}

// handle answers one command from the client.
func (t *Conn) handle(c Command) error {
	t.mu.Lock()
	var reply []byte
	var resize func(int, int)
	var w, h int
	switch c.Verb {
	case WILL, WONT:
		on := c.Verb == WILL
		t.answered[c.Option] = true
		wanted := c.Option == OptSGA || c.Option == OptBinary || c.Option == OptTermType || c.Option == OptNAWS
		switch {
		case on && !wanted:
			reply = []byte{IAC, DONT, c.Option}
		case on != t.remote[c.Option]:
			t.remote[c.Option] = on
			if on && c.Option == OptTermType {
				reply = []byte{IAC, SB, OptTermType, TermTypeSEND, IAC, SE}
			}
		}
	case DO, DONT:
		on := c.Verb == DO
		ours := c.Option == OptEcho || c.Option == OptSGA || c.Option == OptBinary
		switch {
		case on && !ours:
			reply = []byte{IAC, WONT, c.Option}
		case on != t.local[c.Option]:
			t.local[c.Option] = on
			verb := WONT
			if on {
				verb = WILL
			}
			reply = []byte{IAC, verb, c.Option}
		}
	case SB:
		switch c.Option {
		case OptTermType:
			if name, ok := TermType(c.Data); ok {
				t.term = name
			}
		case OptNAWS:
			if nw, nh, ok := NAWS(c.Data); ok && nw > 0 && nh > 0 {
				t.width, t.height = nw, nh
				resize, w, h = t.onResize, nw, nh
			}
		}
	case AYT:
		reply = []byte("\r\n[yes]\r\n")
	}
	t.mu.Unlock()
	if resize != nil {
		resize(w, h)
	}
	if reply != nil {
		return t.write(reply)
	}
	return nil
}

// Read reads data from the client: commands are answered and left out.
func (t *Conn) Read(p []byte) (int, error) {
	for len(t.pending) == 0 {
		if err := t.fill(nil); err != nil {
			return 0, err
		}
	}
	n := copy(p, t.pending)
	t.pending = t.pending[:copy(t.pending, t.pending[n:])]
	return n, nil
}

// Write sends data to the client, IAC bytes escaped.
func (t *Conn) Write(p []byte) (int, error) {
	if err := t.write(Escape(make([]byte, 0, len(p)+8), p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (t *Conn) write(b []byte) error {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	if _, err := t.c.Write(b); err != nil {
		return fmt.Errorf("telnet: write: %w", err)
	}
	return nil
}

// Close closes the connection.
func (t *Conn) Close() error { return t.c.Close() }

// RemoteAddr is the client's address.
func (t *Conn) RemoteAddr() net.Addr { return t.c.RemoteAddr() }

// Term is the terminal type the client sent, "" when none.
func (t *Conn) Term() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.term
}

// Size is the window size the client sent (NAWS), zero when none.
func (t *Conn) Size() (width, height int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.width, t.height
}

// OnResize registers f, called with the new size whenever the client sends
// one (from the goroutine that reads). nil removes it.
func (t *Conn) OnResize(f func(width, height int)) {
	t.mu.Lock()
	t.onResize = f
	t.mu.Unlock()
}

var _ io.ReadWriteCloser = (*Conn)(nil)
