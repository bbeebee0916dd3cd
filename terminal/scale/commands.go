package scale

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rfterm/rfterm/terminal/serialport"
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
	x, err := s.begin(ctx)
	if err != nil {
		return Reply{}, err
	}
	defer x.end()
	if _, err := x.port.Write([]byte(cmd + "\r\n")); err != nil {
		return Reply{}, fmt.Errorf("%w: send %s: %w", ErrNotConnected, cmd, err)
	}
	var skipped error
	for {
		line, err := s.nextLine(ctx, x)
		if err != nil {
			return Reply{}, withSkipped(err, skipped)
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
	x, err := s.begin(ctx) // readings from before the call may be old: dropped
	if err != nil {
		return Weight{}, err
	}
	defer x.end()
	var last Weight
	var skipped error
	for {
		line, err := s.nextLine(ctx, x)
		switch {
		case err != nil && last.Raw != "" && ctx.Err() != nil:
			return Weight{}, fmt.Errorf("%w: last reading %s", ErrUnstable, last)
		case err != nil:
			return Weight{}, withSkipped(err, skipped)
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
		x.timeout.Reset(s.cfg.replyTimeout()) // it answers: wait on for a stable one
	}
}

// withSkipped adds the last line not understood to a "no answer" error:
// a scale that talks, but not sense (wrong baud rate, wrong protocol).
func withSkipped(err, skipped error) error {
	if skipped != nil && errors.Is(err, ErrNoAnswer) {
		return fmt.Errorf("%w; last line: %w", err, skipped)
	}
	return err
}
