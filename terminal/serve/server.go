package serve

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gdamore/tcell/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/rfterm/rfterm/terminal/device"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/screens"
	"github.com/rfterm/rfterm/terminal/session"
)

// Server hosts the guns' sessions: one device (store, sender, puller) and at
// most one session per gun, and at most one connection showing it.
type Server struct {
	cfg    Config
	guns   map[string]*gunAuth // configured guns, by device id
	leases *session.Leases
	log    *slog.Logger
	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	conns  sync.WaitGroup // connection handlers
	dummy  []byte         // a bcrypt hash of nothing anyone knows
	bg     sync.WaitGroup // senders, pullers, the reaper

	mu      sync.Mutex
	devices map[string]*hosted
	nextID  uint64
	closed  bool

	listeners []io.Closer
}

// hosted is one gun as the server holds it.
type hosted struct {
	id   string
	open sync.Mutex // held while the device is opened

	// set once the device is open; read under Server.mu afterwards
	dev *device.Device

	// under Server.mu
	sess       *session.Session // nil: none (never connected, or ended after the keep time)
	conn       *attachment      // the connection showing it; nil: detached
	detachedAt time.Time
	lastInput  atomic.Int64 // unix nanoseconds of the last key
}

// attachment is one connection showing a gun's session.
type attachment struct {
	id     uint64
	via    string // "ssh" or "telnet"
	remote string
	cancel context.CancelCauseFunc // ends the terminal, with why
	done   chan struct{}           // closed when the terminal has stopped
}

// ErrTakenOver is the cause a connection ends with when a newer connection
// for the same gun takes its session.
var ErrTakenOver = errors.New("taken over")

// New makes a server from cfg; Start opens its listeners.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Keep <= 0 {
		cfg.Keep = DefaultKeep
	}
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = DefaultKeepAlive
	}
	if cfg.Tick <= 0 {
		cfg.Tick = time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rules == nil {
		return nil, errors.New("serve: barcode rules are required")
	}
	if cfg.Dir == "" {
		return nil, errors.New("serve: a state directory is required")
	}
	if cfg.HostKey == "" {
		cfg.HostKey = filepath.Join(cfg.Dir, "ssh_host_ed25519_key")
	}
	guns, err := parseGuns(cfg.Guns, cfg.Profiles)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.Dir, "guns"), 0o700); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	dummy, err := bcrypt.GenerateFromPassword(secret[:32], bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Server{cfg: cfg, guns: guns, leases: session.NewLeases(), log: cfg.Log, ctx: ctx, cancel: cancel, devices: map[string]*hosted{}, dummy: dummy}
	return s, nil
}

// Resume opens the store of every gun that has one, so that what their
// outboxes hold drains to the hub even before they connect again.
func (s *Server) Resume() error {
	paths, err := filepath.Glob(filepath.Join(s.cfg.Dir, "guns", "*.db"))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	for _, p := range paths {
		id := strings.TrimSuffix(filepath.Base(p), ".db")
		if !ValidDevice(id) {
			continue
		}
		if _, err := s.device(s.ctx, id); err != nil {
			s.log.Error("serve: open gun store", "device", id, "err", err)
		}
	}
	return nil
}

// Start opens the configured listeners and serves until Close. The reaper
// (keep and idle limits) runs from here.
func (s *Server) Start() error {
	s.bg.Add(1)
	go s.reap()
	if s.cfg.SSH != "" {
		ln, err := net.Listen("tcp", s.cfg.SSH)
		if err != nil {
			return fmt.Errorf("serve: ssh: %w", err)
		}
		if err := s.ServeSSH(ln); err != nil {
			ln.Close()
			return err
		}
	}
	if s.cfg.Telnet != "" {
		ln, err := net.Listen("tcp", s.cfg.Telnet)
		if err != nil {
			return fmt.Errorf("serve: telnet: %w", err)
		}
		s.ServeTelnet(ln)
	}
	if s.cfg.Status != "" {
		ln, err := net.Listen("tcp", s.cfg.Status)
		if err != nil {
			return fmt.Errorf("serve: status: %w", err)
		}
		s.ServeStatus(ln)
	}
	return nil
}

// Addrs lists the listeners' addresses, SSH first.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []net.Addr
	for _, l := range s.listeners {
		if a, ok := l.(interface{ Addr() net.Addr }); ok {
			out = append(out, a.Addr())
		}
	}
	return out
}

// enter counts a connection handler in, unless the server is closing.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns.Add(1)
	return true
}

// track remembers a listener for Close; it refuses once closed.
func (s *Server) track(l io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.listeners = append(s.listeners, l)
	return true
}

// Close stops the listeners, ends every connection (its session's work is
// saved at every step), closes the sessions, stops the senders and pullers
// and closes the stores.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	ls := s.listeners
	s.mu.Unlock()
	var errs []error
	for _, l := range ls {
		if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	s.cancel()
	s.conns.Wait()
	s.mu.Lock()
	devs := s.devices
	s.mu.Unlock()
	for _, h := range devs {
		if h.sess != nil {
			h.sess.Close()
		}
	}
	s.bg.Wait()
	for _, h := range devs {
		if h.dev != nil {
			if err := h.dev.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// device returns the gun's device, opening its store the first time (and
// enrolling it with the hub the first time ever).
func (s *Server) device(ctx context.Context, id string) (*hosted, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("serve: shutting down")
	}
	h := s.devices[id]
	if h == nil {
		h = &hosted{id: id}
		s.devices[id] = h
	}
	s.mu.Unlock()
	h.open.Lock()
	defer h.open.Unlock()
	if h.dev != nil {
		return h, nil
	}
	log := s.log.With("device", id)
	dev, err := device.Open(ctx, filepath.Join(s.cfg.Dir, "guns", id+".db"), id, s.cfg.Hub, s.cfg.EnrollKey, s.cfg.Sender, log.With("part", "sync"), s.cfg.Transport)
	if err != nil {
		return nil, fmt.Errorf("gun %s: %w", id, err)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		dev.Close()
		return nil, errors.New("serve: shutting down")
	}
	h.dev = dev
	s.bg.Add(2)
	s.mu.Unlock()
	// The gun's own context under the server's: every request timeout of its
	// sender and puller registers with it, not with the one context all guns
	// share (whose lock a thousand pullers' timeouts fought over).
	dctx, dcancel := context.WithCancel(s.ctx)
	var running atomic.Int32
	running.Store(2)
	stopped := func() {
		if running.Add(-1) == 0 {
			dcancel()
		}
		s.bg.Done()
	}
	go func() { defer stopped(); dev.Sender.Run(dctx) }()
	go func() { defer stopped(); dev.Puller.Run(dctx) }()
	return h, nil
}

// conn is what a transport hands the server once it knows the gun.
type conn struct {
	device string
	via    string
	remote string
	rw     io.ReadWriter // the data stream both ways
	term   string        // the client's terminal type
	width  int
	height int
	// close ends the connection after the screen has stopped and the
	// line saying why has been written.
	close func()
}

// serve shows the gun's session on the connection until the client goes,
// a newer connection takes over, the server closes, or the user quits. It
// returns with the terminal stopped; the caller closes the connection.
func (s *Server) serve(ctx context.Context, c conn, resized func(setSize func(w, h int))) {
	h, err := s.device(ctx, c.device)
	if err != nil {
		s.log.Error("serve: connect refused", "device", c.device, "via", c.via, "remote", c.remote, "err", err)
		fmt.Fprintf(c.rw, "\r\nrfterm: %s cannot start: %v\r\n", c.device, err)
		return
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	a, sess, resumed := s.attach(ctx, h, c, cancel)
	if a == nil {
		return
	}
	defer close(a.done)

	g := s.guns[c.device]
	var km *keyMap
	pinned := ""
	if g != nil {
		km, pinned = g.keyMap, g.Term
	}
	ti, termName, err := Terminfo(c.term, pinned)
	if err != nil {
		s.log.Error("serve: terminfo", "err", err)
		s.detach(h, a, "error")
		return
	}
	w, ht := c.width, c.height
	if w <= 0 || ht <= 0 {
		w, ht = 80, 24
	}
	tty := newConnTty(c.rw, c.rw, km, w, ht, func() { h.lastInput.Store(s.cfg.Now().UnixNano()) })
	if resized != nil {
		resized(tty.Resize)
	}
	why := "disconnected"
	defer func() { s.detach(h, a, why) }()
	screen, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
	if err != nil {
		s.log.Error("serve: screen", "device", c.device, "err", err)
		tty.Close()
		return
	}
	wedge, err := scanner.NewWedge(s.cfg.Wedge, s.log.With("device", c.device, "part", "scanner"))
	if err != nil {
		s.log.Error("serve: wedge", "err", err)
		tty.Close()
		return
	}
	v := sess.View()
	s.log.Info("serve: "+map[bool]string{true: "resume", false: "connect"}[resumed], "device", c.device, "via", c.via, "remote", c.remote,
		"term", termName, "client_term", c.term, "size", fmt.Sprintf("%dx%d", w, ht), "user", v.Status.User, "mode", v.Mode, "step", v.Step)
	term := screens.NewTerminal(sess, screen)
	term.UseWedge(wedge)
	wctx, wcancel := context.WithCancel(ctx)
	wedgeDone := make(chan struct{})
	go func() { defer close(wedgeDone); _ = wedge.Run(wctx, sess) }()
	go func() {
		select {
		case <-tty.Ended():
			cancel(io.EOF)
		case <-ctx.Done():
		}
	}()
	if err := term.Run(ctx); err != nil {
		s.log.Warn("serve: terminal", "device", c.device, "err", err)
	}
	wcancel()
	<-wedgeDone
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, ErrTakenOver):
		why = "taken over"
		fmt.Fprintf(c.rw, "\r\nrfterm: %s was taken over by a newer connection; this one is closed.\r\n", c.device)
	case errors.Is(cause, io.EOF):
		why = "dropped"
	case s.ctx.Err() != nil:
		why = "server stopped"
		fmt.Fprintf(c.rw, "\r\nrfterm: the server is stopping; your work is saved.\r\n")
	case ctx.Err() == nil:
		why = "quit"
		fmt.Fprintf(c.rw, "\r\nrfterm: %s disconnected; your work is saved (reconnect within %s to carry on where you left).\r\n", c.device, s.cfg.Keep)
	}
}

// attach makes c the connection showing the gun's session: a newer
// connection takes over from an older one, which is stopped first (and told
// why); a gun with no session gets a new one. resumed says the session was
// there already.
func (s *Server) attach(ctx context.Context, h *hosted, c conn, cancel context.CancelCauseFunc) (*attachment, *session.Session, bool) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, nil, false
	}
	s.nextID++
	a := &attachment{id: s.nextID, via: c.via, remote: c.remote, cancel: cancel, done: make(chan struct{})}
	old := h.conn
	h.conn = a
	s.mu.Unlock()
	if old != nil {
		s.log.Info("serve: takeover", "device", h.id, "via", c.via, "remote", c.remote, "old_via", old.via, "old_remote", old.remote)
		old.cancel(ErrTakenOver)
		select {
		case <-old.done:
		case <-ctx.Done():
			return nil, nil, false
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.conn != a || s.closed { // an even newer connection came meanwhile
		return nil, nil, false
	}
	resumed := h.sess != nil
	if !resumed {
		h.sess = session.New(s.ctx, s.sessionConfig(h), h.dev.Hub, h.dev.Store, h.dev.Sender)
	}
	h.lastInput.Store(s.cfg.Now().UnixNano())
	return a, h.sess, resumed
}

// detach leaves the session without a connection, if a still shows it.
func (s *Server) detach(h *hosted, a *attachment, why string) {
	s.mu.Lock()
	mine := h.conn == a
	if mine {
		h.conn = nil
		h.detachedAt = s.cfg.Now()
	}
	s.mu.Unlock()
	if why != "taken over" {
		s.log.Info("serve: "+why, "device", h.id, "via", a.via, "remote", a.remote, "kept_for", s.cfg.Keep.String())
	}
}

// sessionConfig is a gun's session configuration.
func (s *Server) sessionConfig(h *hosted) session.Config {
	c := session.Config{Rules: s.cfg.Rules, Demo: s.cfg.Demo, DemoBadge: s.cfg.DemoBadge, DemoLocation: s.cfg.DemoLocation,
		Log: s.log.With("device", h.id, "part", "session"), Name: h.id, Leases: s.leases, Notices: h.dev.Puller,
		Inventory: h.dev.Client, Lead: session.LeadClient(h.dev.Client)}
	if s.cfg.ClusterPick {
		c.Cluster = h.dev.Hub
	}
	if s.cfg.Dock { // hosted guns have no printer: no bill of lading printed at close
		c.Dock = &session.DockStation{Hub: h.dev.Client, Cache: h.dev.Store.Cache, Events: h.dev.Store.Store, Updates: h.dev.Puller}
	}
	return c
}

// reap applies the limits every Tick: a user idle past Idle is logged out
// (the work stays saved), and a session detached for longer than Keep is
// ended (its work too stays saved, and resumes at the next login).
func (s *Server) reap() {
	defer s.bg.Done()
	t := time.NewTicker(s.cfg.Tick)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		now := s.cfg.Now()
		type idle struct {
			h    *hosted
			sess *session.Session
		}
		var idles []idle
		var ended []*session.Session
		s.mu.Lock()
		for _, h := range s.devices {
			if h.sess == nil {
				continue
			}
			if h.conn == nil && now.Sub(h.detachedAt) > s.cfg.Keep {
				ended = append(ended, h.sess)
				h.sess = nil
				s.log.Info("serve: session ended", "device", h.id, "detached_for", now.Sub(h.detachedAt).Round(time.Second).String())
				continue
			}
			if now.Sub(time.Unix(0, h.lastInput.Load())) > s.cfg.Idle {
				idles = append(idles, idle{h, h.sess})
			}
		}
		s.mu.Unlock()
		for _, e := range ended {
			e.Close()
		}
		for _, i := range idles {
			if i.sess.View().Status.User == "" {
				continue
			}
			s.log.Info("serve: idle logout", "device", i.h.id, "idle", s.cfg.Idle.String())
			i.sess.Logout("LOGGED OUT", fmt.Sprintf("No key for %s. Your work is saved: scan your badge to carry on.", s.cfg.Idle))
		}
	}
}
