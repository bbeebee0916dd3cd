// Package fakeprinter is a Zebra printer stand-in on a real TCP listener, for
// tests and the demo. It keeps every format it receives (and can save each
// job as a .zpl file), answers ~HS and ~HI as a printer does, and can be told
// at run time to be out of paper, head open, paused, silent, slow, to drop the
// connection mid-job or to stall mid-job.
package fakeprinter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/rfterm/rfterm/zpl"
	"github.com/rfterm/rfterm/zpl/printer"
)

// Options configure a fake printer.
type Options struct {
	Dir   string       // when set, each job's formats are saved as Dir/job-NNNNNN.zpl
	Model string       // ~HI model; default "ZT410-203dpi"
	DPI   zpl.DPI      // resolution reported by ~HI; default 203
	Log   *slog.Logger // default: discard
	// SilentInFaults makes the fake ignore ~HS while out of paper or ribbon or
	// with the head open, as current Zebra firmware does.
	SilentInFaults bool
}

// Faults are the conditions the fake reports in its ~HS answer. While any is
// set, received formats wait in the buffer (they count as formats in buffer).
type Faults struct {
	PaperOut, HeadOpen, RibbonOut, Paused, BufferFull bool
}

// Format is one ^XA…^XZ format received.
type Format struct {
	Job      int // connection that brought it, counted from 1 among connections that sent a format
	ZPL      []byte
	Received time.Time
}

// Printer is the fake. All methods are safe for concurrent use.
type Printer struct {
	opts Options
	log  *slog.Logger

	mu        sync.Mutex
	ln        net.Listener
	cancel    context.CancelFunc // stops the server
	faults    Faults
	silent    bool
	delay     time.Duration
	dropAfter int           // bytes into a connection; 0 off
	stallAt   int           // bytes into the next connection; 0 off
	release   chan struct{} // closed by Release
	formats   []Format
	pending   int // formats received while faulted
	jobs      int
	conns     int
	received  int // bytes received, all connections
	wg        sync.WaitGroup
}

// New returns a fake printer; call Listen to start it.
func New(opts Options) *Printer {
	if opts.Model == "" {
		opts.Model = "ZT410-203dpi"
	}
	if opts.DPI == 0 {
		opts.DPI = zpl.DPI203
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Printer{opts: opts, log: log, release: make(chan struct{})}
}

// Listen binds addr ("127.0.0.1:0" picks a free port) and serves connections,
// one at a time as a Zebra printer does, until ctx ends or Close is called.
func (p *Printer) Listen(ctx context.Context, addr string) error {
	if p.opts.Dir != "" {
		if err := os.MkdirAll(p.opts.Dir, 0o755); err != nil {
			return fmt.Errorf("fake printer: %w", err)
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("fake printer: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	p.mu.Lock()
	p.ln, p.cancel = ln, cancel
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		<-ctx.Done()
		_ = ln.Close()
	}()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer cancel()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.serve(ctx, c)
		}
	}()
	p.log.Info("fake printer listening", "addr", ln.Addr().String())
	return nil
}

// Addr is the listening address.
func (p *Printer) Addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return ""
	}
	return p.ln.Addr().String()
}

// Close stops listening, ends the connection being served and waits for the server.
func (p *Printer) Close() error {
	p.mu.Lock()
	cancel := p.cancel
	p.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	p.wg.Wait()
	return nil
}

// SetFaults sets the conditions reported by ~HS. Clearing them all prints the
// formats waiting in the buffer.
func (p *Printer) SetFaults(f Faults) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = f
	if f == (Faults{}) {
		p.pending = 0
	}
}

// SetSilent makes the fake ignore ~HS and ~HI, as a printer in some faults does.
func (p *Printer) SetSilent(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.silent = on
}

// SetDelay makes the fake slow: it waits d before every answer and every read.
func (p *Printer) SetDelay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

// DropAfter makes the fake reset the first connection that reads n bytes
// (the job is cut mid-send). It applies once; shorter connections (a status
// check) pass untouched and leave it armed.
func (p *Printer) DropAfter(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropAfter = n
}

// StallAfter makes the fake stop reading the first connection that reads n
// bytes, holding it open without answering until Release. It applies once;
// shorter connections pass untouched and leave it armed.
func (p *Printer) StallAfter(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stallAt = n
	p.release = make(chan struct{})
}

// Release ends a stall.
func (p *Printer) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.release:
	default:
		close(p.release)
	}
}

// Formats are the formats received so far, in order.
func (p *Printer) Formats() []Format {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Format, len(p.formats))
	copy(out, p.formats)
	return out
}

// Connections is the number of connections accepted so far.
func (p *Printer) Connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns
}

// Received is the number of bytes received so far, all connections.
func (p *Printer) Received() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.received
}

// status is the ~HS answer for the current state.
func (p *Printer) status() printer.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.faults
	return printer.Status{
		CommSettings: 30, LabelLengthDots: p.opts.DPI.Dots(152.4), FormatsInBuffer: p.pending,
		PaperOut: f.PaperOut, Paused: f.Paused, BufferFull: f.BufferFull, HeadOpen: f.HeadOpen, RibbonOut: f.RibbonOut,
		FunctionSettings: 1, PrintMode: 2, Password: "1234",
	}
}

func (p *Printer) info() printer.Info {
	return printer.Info{Model: p.opts.Model, Firmware: "V75.19.15Z", DotsPerMM: p.opts.DPI.Dots(1), Memory: "4096KB"}
}

// trip claims an armed drop or stall once a connection has read total bytes:
// the one-shot goes to the first connection that gets that far.
func (p *Printer) trip(total int) (dropAt, stallAt int, release chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dropAfter > 0 && total >= p.dropAfter {
		dropAt, p.dropAfter = p.dropAfter, 0
	}
	if p.stallAt > 0 && total >= p.stallAt {
		stallAt, p.stallAt, release = p.stallAt, 0, p.release
	}
	return dropAt, stallAt, release
}

// errDropped ends a connection the fake was told to drop.
var errDropped = errors.New("connection dropped on purpose")

// serve handles one connection until it closes.
func (p *Printer) serve(ctx context.Context, c net.Conn) {
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	p.mu.Lock()
	p.conns++
	p.mu.Unlock()
	s := session{ctx: ctx, p: p, c: c}
	buf := make([]byte, 4096)
	read := 0
	for {
		n, err := c.Read(buf)
		if n > 0 {
			dropAt, stallAt, release := p.trip(read + n)
			if dropAt > 0 {
				n = max(0, dropAt-read)
			}
			if stallAt > 0 {
				n = max(0, stallAt-read)
			}
			read += n
			p.mu.Lock()
			p.received += n
			p.mu.Unlock()
			if perr := s.feed(buf[:n], false); perr != nil {
				p.log.Warn("fake printer: bad input", "err", perr)
			}
			if dropAt > 0 && read >= dropAt {
				p.log.Info("fake printer: dropping connection mid-job", "after", read)
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetLinger(0)
				}
				return
			}
			if stallAt > 0 && read >= stallAt {
				p.log.Info("fake printer: stalled mid-job", "after", read)
				select {
				case <-release:
				case <-ctx.Done():
					return
				}
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				p.log.Debug("fake printer: read", "err", err)
			}
			_ = s.feed(nil, true)
			return
		}
		p.wait(ctx)
	}
}

// wait sleeps for the configured delay (the fake's "slow" mode).
func (p *Printer) wait(ctx context.Context) {
	p.mu.Lock()
	d := p.delay
	p.mu.Unlock()
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
