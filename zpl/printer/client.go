package printer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// Default timeouts.
const (
	DefaultDialTimeout   = 3 * time.Second
	DefaultWriteTimeout  = 10 * time.Second
	DefaultStatusTimeout = 3 * time.Second
)

// Client sends jobs to one printer over raw TCP 9100. Each call opens its own
// connection and closes it before returning, so jobs never share or overlap
// connections. The zero timeouts take the defaults.
type Client struct {
	Addr          string // host:port
	DialTimeout   time.Duration
	WriteTimeout  time.Duration
	StatusTimeout time.Duration
}

// New returns a client for addr ("host:port"; ":9100" is added to a bare host).
func New(addr string) *Client {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "9100")
	}
	return &Client{Addr: addr}
}

// Report is what Print saw of the printer before and after the job.
type Report struct {
	Before, After Status
}

// Name is the printer's address, for status lines.
func (c *Client) Name() string { return c.Addr }

// Status asks the printer for ~HS.
func (c *Client) Status(ctx context.Context) (Status, error) {
	conn, err := c.dial(ctx)
	if err != nil {
		return Status{}, c.wrap(err)
	}
	defer conn.Close()
	s, err := conn.status()
	return s, c.wrap(err)
}

// wrap names the printer in an error.
func (c *Client) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("printer %s: %w", c.Addr, err)
}

// Info asks the printer for ~HI: model, firmware, resolution.
func (c *Client) Info(ctx context.Context) (Info, error) {
	conn, err := c.dial(ctx)
	if err != nil {
		return Info{}, c.wrap(err)
	}
	defer conn.Close()
	raw, err := conn.ask("~HI", 1)
	if err != nil {
		return Info{}, c.wrap(err)
	}
	i, err := ParseHostInfo(raw)
	return i, c.wrap(err)
}

// Print checks the status, sends the job, and checks the status again, on one
// connection. Errors wrap ErrNotSent when nothing of the job left this host
// (unreachable, no answer, a fault before sending) and ErrOutcomeUnknown when
// the job may have printed (the connection failed while sending, or the
// printer went silent after it). A printer that reports a fault after taking
// the whole job has the job (it prints once the fault is cleared): that is
// success, with the fault in Report.After.
func (c *Client) Print(ctx context.Context, job []byte) (Report, error) {
	var r Report
	conn, err := c.dial(ctx)
	if err != nil {
		return r, notSent(c.Addr, err)
	}
	defer conn.Close()
	if r.Before, err = conn.status(); err != nil {
		return r, notSent(c.Addr, err)
	}
	if !r.Before.Ready() {
		return r, notSent(c.Addr, &FaultError{Status: r.Before})
	}
	if err := conn.write(job, c.timeout(c.WriteTimeout, DefaultWriteTimeout)); err != nil {
		return r, err
	}
	if r.After, err = conn.status(); err != nil {
		return r, unknown(c.Addr, err)
	}
	return r, nil
}

func (c *Client) timeout(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// conn is one connection to the printer.
type conn struct {
	c             *Client
	nc            net.Conn
	r             *bufio.Reader
	stop          func() bool
	statusTimeout time.Duration
}

func (c *Client) dial(ctx context.Context) (*conn, error) {
	d := net.Dialer{Timeout: c.timeout(c.DialTimeout, DefaultDialTimeout)}
	nc, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	// Cancelling ctx unblocks any read or write at once.
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Now()) })
	return &conn{c: c, nc: nc, r: bufio.NewReader(nc), stop: stop, statusTimeout: c.timeout(c.StatusTimeout, DefaultStatusTimeout)}, nil
}

// Close ends the connection.
func (k *conn) Close() error {
	k.stop()
	return k.nc.Close()
}

// status sends ~HS and parses the answer.
func (k *conn) status() (Status, error) {
	raw, err := k.ask("~HS", 3)
	if err != nil {
		return Status{}, err
	}
	return ParseHostStatus(raw)
}

// MaxAnswerBytes bounds what is read of a printer's answer to ~HS or ~HI
// (a real one is about a hundred bytes): anything longer, from a printer or
// from whatever else answers on the port, is a bad reply, not memory.
const MaxAnswerBytes = 4096

// ask sends a ~ command and reads frames answer strings, at most
// MaxAnswerBytes in all.
func (k *conn) ask(cmd string, frames int) ([]byte, error) {
	_ = k.nc.SetWriteDeadline(time.Now().Add(k.statusTimeout))
	if _, err := k.nc.Write([]byte(cmd)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	_ = k.nc.SetReadDeadline(time.Now().Add(k.statusTimeout))
	var buf bytes.Buffer
	for n := 0; n < frames; {
		b, err := k.r.ReadSlice(etx) // at most the reader's buffer at a time
		if buf.Len()+len(b) > MaxAnswerBytes {
			return nil, fmt.Errorf("%w: the answer to %s is over %d bytes", ErrBadReply, cmd, MaxAnswerBytes)
		}
		buf.Write(b)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s got %d of %d strings: %w", ErrNoAnswer, cmd, n, frames, err)
		}
		n++
	}
	return buf.Bytes(), nil
}

// write sends the job. A failure after no byte left is ErrNotSent; after some
// bytes it is ErrOutcomeUnknown.
func (k *conn) write(job []byte, timeout time.Duration) error {
	_ = k.nc.SetWriteDeadline(time.Now().Add(timeout))
	n, err := k.nc.Write(job)
	if err == nil {
		return nil
	}
	cause := fmt.Errorf("%w after %d of %d bytes: %w", ErrInterrupted, n, len(job), err)
	if n == 0 {
		return notSent(k.c.Addr, cause)
	}
	return unknown(k.c.Addr, cause)
}
