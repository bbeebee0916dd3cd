package scale

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/serialport"
)

// Stable returns a stable weight, waiting through moving readings until
// ctx is done (then the error wraps ErrUnstable and names the last
// reading). An error reply, an overload or no answer end it at once.
func (s *Scale) Stable(ctx context.Context) (Weight, error) {
	if s.cfg.Protocol == ProtocolContinuous {
		return s.reading(ctx, true)
	}
	var last Reply
	for {
		r, err := s.request(ctx, "S")
		if err == nil && r.Status == "D" {
			last, err = r, nil
			if !serialport.Sleep(ctx, s.cfg.retry()) {
				return Weight{}, fmt.Errorf("%w: last reading %s", ErrUnstable, last.Weight)
			}
			continue
		}
		if err != nil && last.HasWeight && ctx.Err() != nil {
			return Weight{}, fmt.Errorf("%w: last reading %s", ErrUnstable, last.Weight)
		}
		if err != nil {
			return Weight{}, err
		}
		return r.Weight, nil
	}
}

// Immediate returns the weight now, stable or not (Weight.Stable says).
func (s *Scale) Immediate(ctx context.Context) (Weight, error) {
	if s.cfg.Protocol == ProtocolContinuous {
		return s.reading(ctx, false)
	}
	r, err := s.request(ctx, "SI")
	if err != nil {
		return Weight{}, err
	}
	return r.Weight, nil
}

// Zero sets the scale to zero (MT-SICS Z). It fails with ErrNotExecutable
// while the weight moves, ErrOverload / ErrUnderload outside the zero range.
func (s *Scale) Zero(ctx context.Context) error {
	if s.cfg.Protocol == ProtocolContinuous {
		return fmt.Errorf("zero: %w: zero on the scale's own keys", ErrUnsupported)
	}
	_, err := s.request(ctx, "Z")
	return err
}

// Tare stores the weight on the scale as tare (MT-SICS T) and returns it.
func (s *Scale) Tare(ctx context.Context) (Weight, error) {
	if s.cfg.Protocol == ProtocolContinuous {
		return Weight{}, fmt.Errorf("tare: %w: tare on the scale's own keys", ErrUnsupported)
	}
	r, err := s.request(ctx, "T")
	if err != nil {
		return Weight{}, err
	}
	return r.Weight, nil
}

// request sends an MT-SICS command and returns its reply: a weight (S or D),
// or "done". Error replies come back as errors (Reply.Err). Lines that are
// not replies to this command are logged and skipped.
func (s *Scale) request(ctx context.Context, cmd string) (Reply, error) {
	s.cmd.Lock()
	defer s.cmd.Unlock()
	port, gone, err := s.connection(ctx)
	if err != nil {
		return Reply{}, err
	}
	s.drain()
	if _, err := port.Write([]byte(cmd + "\r\n")); err != nil {
		return Reply{}, fmt.Errorf("%w: send %s: %w", ErrNotConnected, cmd, err)
	}
	timeout := time.NewTimer(s.cfg.replyTimeout())
	defer timeout.Stop()
	var skipped error
	for {
		line, err := s.nextLine(ctx, gone, timeout)
		if err != nil {
			if skipped != nil && errors.Is(err, ErrNoAnswer) {
				return Reply{}, fmt.Errorf("%w; last line: %w", err, skipped)
			}
			return Reply{}, err
		}
		r, err := ParseReply(line)
		if err == nil && !answers(cmd, r) {
			err = fmt.Errorf("%w: %q after %s", errStale, clip(line), cmd)
		}
		if err != nil {
			s.log.Warn("scale: line skipped", "port", s.cfg.Port, "err", err)
			skipped = err
			continue
		}
		if err := r.Err(); err != nil {
			return r, fmt.Errorf("%s: %w", cmd, err)
		}
		r.Weight.At = time.Now()
		return r, nil
	}
}

// answers reports whether r replies to cmd. Error codes answer anything.
func answers(cmd string, r Reply) bool {
	switch r.Command {
	case "ES", "ET", "EL":
		return true
	case "SI":
		return cmd == "SI"
	case "S":
		return cmd == "S" || cmd == "SI"
	}
	return r.Command == cmd
}

// reading waits for the next reading of a continuous scale, the next
// stable one when stable is set, until ctx is done.
func (s *Scale) reading(ctx context.Context, stable bool) (Weight, error) {
	s.cmd.Lock()
	defer s.cmd.Unlock()
	_, gone, err := s.connection(ctx)
	if err != nil {
		return Weight{}, err
	}
	s.drain() // readings from before the call may be old
	timeout := time.NewTimer(s.cfg.replyTimeout())
	defer timeout.Stop()
	var last Weight
	var skipped error
	for {
		line, err := s.nextLine(ctx, gone, timeout)
		switch {
		case err != nil && last.Raw != "" && ctx.Err() != nil:
			return Weight{}, fmt.Errorf("%w: last reading %s", ErrUnstable, last)
		case err != nil && skipped != nil && errors.Is(err, ErrNoAnswer):
			return Weight{}, fmt.Errorf("%w; last line: %w", err, skipped)
		case err != nil:
			return Weight{}, err
		}
		w, err := ParseContinuous(line)
		if errors.Is(err, ErrOverload) {
			return Weight{}, err
		}
		if err != nil {
			s.log.Warn("scale: line skipped", "port", s.cfg.Port, "err", err)
			skipped = err
			continue
		}
		w.At = time.Now()
		if w.Stable || !stable {
			return w, nil
		}
		last = w
		timeout.Reset(s.cfg.replyTimeout()) // it answers: wait on for a stable one
	}
}
