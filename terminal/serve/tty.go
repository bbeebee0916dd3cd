package serve

import (
	"io"
	"sync"
	"time"

	"github.com/gdamore/tcell/v2"
)

// escWait is how long a tail that could start a profile's key sequence is
// held for the rest to arrive; tcell waits as long to complete an ESC
// sequence of its own.
const escWait = 50 * time.Millisecond

// connTty is a tcell.Tty over a network connection: the client's bytes in
// (with the gun model's key sequences rewritten), the screen's bytes out, and
// the window size the client reports (SSH pty-req and window-change, telnet
// NAWS). A pump goroutine reads the connection, so that Drain can wake a
// waiting Read; it ends when the connection does.
type connTty struct {
	w     io.Writer
	keys  *keyMap
	in    chan []byte   // chunks from the pump
	done  chan struct{} // closed by Close: the pump stops handing over
	ended chan struct{} // closed by the pump when the connection ends
	input func()        // called on every chunk from the client (activity)

	mu       sync.Mutex
	size     tcell.WindowSize
	onResize func()
	drain    chan struct{} // closed by Drain; made again by Start
	closed   bool

	out  []byte // rewritten bytes not yet returned by Read
	held []byte // a possible start of a key sequence
}

// newConnTty starts reading r. input is called on every chunk the client
// sends; ended is closed when r ends (the client went away).
func newConnTty(r io.Reader, w io.Writer, keys *keyMap, width, height int, input func()) *connTty {
	t := &connTty{w: w, keys: keys, in: make(chan []byte), done: make(chan struct{}), ended: make(chan struct{}),
		input: input, size: tcell.WindowSize{Width: width, Height: height}, drain: make(chan struct{})}
	go t.pump(r)
	return t
}

// pump reads the connection until it ends or the tty is closed.
func (t *connTty) pump(r io.Reader) {
	defer close(t.ended)
	for {
		buf := make([]byte, 256)
		n, err := r.Read(buf)
		if n > 0 {
			if t.input != nil {
				t.input()
			}
			select {
			case t.in <- buf[:n]:
			case <-t.done:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Ended is closed when the client's side of the connection ends.
func (t *connTty) Ended() <-chan struct{} { return t.ended }

// Start makes the tty readable again after a Drain.
func (t *connTty) Start() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.drain:
		t.drain = make(chan struct{})
	default:
	}
	return nil
}

// Stop does nothing: a connection has no modes to restore.
func (t *connTty) Stop() error { return nil }

// Drain wakes a waiting Read, which returns io.EOF.
func (t *connTty) Drain() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.drain:
	default:
		close(t.drain)
	}
	return nil
}

// NotifyResize registers the screen's resize callback (nil removes it).
func (t *connTty) NotifyResize(cb func()) {
	t.mu.Lock()
	t.onResize = cb
	t.mu.Unlock()
}

// WindowSize is the size the client last reported.
func (t *connTty) WindowSize() (tcell.WindowSize, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.size, nil
}

// Resize takes a new window size from the client and tells the screen.
func (t *connTty) Resize(width, height int) {
	if width <= 0 || height <= 0 {
		return
	}
	t.mu.Lock()
	t.size = tcell.WindowSize{Width: width, Height: height}
	cb := t.onResize
	t.mu.Unlock()
	if cb != nil {
		cb()
	}
}

// Read returns the client's bytes, key sequences rewritten. A tail that
// could start a sequence waits up to escWait for the rest. When the client
// goes, Read waits for Drain rather than failing: an error would make the
// application stop by itself, and the server stops it (on Ended) instead.
func (t *connTty) Read(p []byte) (int, error) {
	t.mu.Lock()
	drain := t.drain
	t.mu.Unlock()
	ended := t.ended
	for len(t.out) == 0 {
		var timeout <-chan time.Time
		if len(t.held) > 0 {
			timer := time.NewTimer(escWait)
			defer timer.Stop()
			timeout = timer.C
		}
		select {
		case chunk := <-t.in:
			t.out, t.held = t.keys.rewrite(t.out, append(t.held, chunk...))
		case <-timeout:
			t.out, t.held = append(t.out, t.held...), nil
		case <-drain:
			return 0, io.EOF
		case <-ended:
			ended = nil // no more input: wait for Drain
		}
	}
	n := copy(p, t.out)
	t.out = t.out[:copy(t.out, t.out[n:])]
	return n, nil
}

// Write sends the screen's bytes to the client.
func (t *connTty) Write(p []byte) (int, error) { return t.w.Write(p) }

// Close stops handing input over; the caller closes the connection, which
// ends the pump.
func (t *connTty) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.closed = true
		close(t.done)
	}
	return nil
}

var _ tcell.Tty = (*connTty)(nil)
