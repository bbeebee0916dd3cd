package scale

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.bug.st/serial"

	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/serialport"
)

// maxLine bounds a reply line; longer input is line noise.
const maxLine = 256

// lineBuffer is how many unread lines are kept; older ones are dropped (a
// continuous scale talks whether anyone listens or not).
const lineBuffer = 32

// Scale is a scale on a serial line. Open it, Run it in a goroutine, and ask
// it for weights from any goroutine.
type Scale struct {
	cfg    Config
	mode   *serial.Mode
	log    *slog.Logger
	framer *scanner.Framer // cuts replies into lines; owned by Run

	cmd   sync.Mutex  // one command at a time
	lines chan string // reply lines read, oldest dropped when full

	mu      sync.Mutex
	port    serial.Port   // nil while disconnected
	gone    chan struct{} // closed when port goes away
	changed chan struct{} // closed and replaced when the connection changes
	lastErr error         // why the port is away
}

// Open checks a configuration and makes the scale. It does not open the
// port: Run does, and keeps it open.
func Open(cfg Config, log *slog.Logger) (*Scale, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	mode, err := cfg.Line.Mode()
	if err != nil {
		return nil, fmt.Errorf("scale: %w", err)
	}
	if cfg.Protocol == "" {
		cfg.Protocol = ProtocolSICS
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	framer, err := scanner.NewFramer(scanner.Framing{Suffix: "\r\n", Gap: time.Second, MaxLen: maxLine})
	if err != nil {
		return nil, fmt.Errorf("scale: %w", err)
	}
	return &Scale{
		cfg: cfg, mode: mode, log: log, framer: framer,
		lines: make(chan string, lineBuffer), changed: make(chan struct{}),
		lastErr: fmt.Errorf("%w: not opened yet", ErrNotConnected),
	}, nil
}

// Name is "scale:" and the port path.
func (s *Scale) Name() string { return "scale:" + s.cfg.Port }

// Protocol is the protocol the scale speaks.
func (s *Scale) Protocol() string { return s.cfg.Protocol }

// Run keeps the port open until ctx is done, reopening it with backoff
// after an unplug; call it once. onStatus (may be nil) hears "connected"
// and, once per outage, "scale disconnected: …", from Run's goroutine.
func (s *Scale) Run(ctx context.Context, onStatus func(scanner.Status)) {
	framer := s.framer
	report := func(connected bool, err error) {
		st := scanner.Status{Source: s.Name(), Connected: connected, At: time.Now()}
		if connected {
			s.log.Info("scale: connected", "port", s.cfg.Port)
		} else {
			st.Reason = fmt.Sprintf("scale disconnected: %v", err)
			s.log.Warn("scale: disconnected", "port", s.cfg.Port, "err", err)
			s.setPort(nil, err)
		}
		if onStatus != nil {
			onStatus(st)
		}
	}
	serialport.KeepConnected(ctx, serialport.Opener(s.cfg.Port, s.mode), func(p serial.Port) error {
		s.setPort(p, nil)
		defer framer.Reset(s.frame, "port closed mid-line")
		err := s.read(p, framer)
		s.setPort(nil, err)
		return err
	}, report)
	s.setPort(nil, ctx.Err())
}

// setPort records the open port, or its loss and why.
func (s *Scale) setPort(p serial.Port, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.port == p && p == nil {
		if err != nil {
			s.lastErr = fmt.Errorf("%w: %w", ErrNotConnected, err)
		}
		return
	}
	if s.gone != nil {
		close(s.gone)
		s.gone = nil
	}
	s.port = p
	if p != nil {
		s.gone = make(chan struct{})
	} else if err != nil {
		s.lastErr = fmt.Errorf("%w: %w", ErrNotConnected, err)
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

// read reads the open port until it fails (or is closed).
func (s *Scale) read(p serial.Port, framer *scanner.Framer) error {
	return serialport.Read(p, 100*time.Millisecond,
		func(b []byte, at time.Time) { framer.Feed(b, at, s.frame) },
		func(now time.Time) { framer.Expire(now, s.frame) })
}

// frame takes one line from the framer: a reply, or a dropped fragment.
func (s *Scale) frame(f scanner.Frame) {
	if f.Dropped != "" {
		s.log.Warn("scale: fragment dropped", "port", s.cfg.Port, "reason", f.Dropped, "data", clip(f.Data))
		return
	}
	for {
		select {
		case s.lines <- f.Data:
			return
		default:
		}
		select { // full: drop the oldest line
		case <-s.lines:
		default:
		}
	}
}

// exchange is one command (or one wait for a reading) holding the scale:
// the open port, the channel closed when it goes away, the reply deadline.
type exchange struct {
	port    serial.Port
	gone    <-chan struct{}
	timeout *time.Timer
	end     func()
}

// begin waits until the port is open and takes it for one exchange. Lines
// read before are dropped: replies nobody waited for, old readings.
func (s *Scale) begin(ctx context.Context) (*exchange, error) {
	s.cmd.Lock()
	for {
		s.mu.Lock()
		p, gone, changed, lastErr := s.port, s.gone, s.changed, s.lastErr
		s.mu.Unlock()
		if p != nil {
			s.drain()
			x := &exchange{port: p, gone: gone, timeout: time.NewTimer(s.cfg.replyTimeout())}
			x.end = func() { x.timeout.Stop(); s.cmd.Unlock() }
			return x, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			s.cmd.Unlock()
			return nil, fmt.Errorf("%w (%w)", lastErr, ctx.Err())
		}
	}
}

// drain drops the lines read so far.
func (s *Scale) drain() {
	for {
		select {
		case l := <-s.lines:
			s.log.Debug("scale: stale line dropped", "line", clip(l))
		default:
			return
		}
	}
}

// nextLine waits for a line from the scale, up to the exchange's deadline.
func (s *Scale) nextLine(ctx context.Context, x *exchange) (string, error) {
	select {
	case l := <-s.lines:
		return l, nil
	case <-x.gone:
		s.mu.Lock()
		err := s.lastErr
		s.mu.Unlock()
		return "", err
	case <-x.timeout.C:
		return "", fmt.Errorf("%w within %v", ErrNoAnswer, s.cfg.replyTimeout())
	case <-ctx.Done():
		return "", fmt.Errorf("%w: %w", ErrNoAnswer, ctx.Err())
	}
}
