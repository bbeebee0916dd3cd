package fakeprinter

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rfterm/rfterm/zpl/decode"
)

// session parses one connection's stream as a printer does: ~ commands act at
// once (even inside a format), ^XA…^XZ formats are kept.
type session struct {
	ctx    context.Context
	p      *Printer
	c      interface{ Write([]byte) (int, error) }
	buf    []byte
	format *bytes.Buffer // the format being received
	job    int
}

// feed takes more bytes from the connection.
func (s *session) feed(b []byte, atEOF bool) error {
	s.buf = append(s.buf, b...)
	for {
		cmd, n, ok, err := decode.Next(s.buf, atEOF)
		if err != nil {
			s.buf = s.buf[:0]
			return err
		}
		if !ok {
			return nil
		}
		raw := s.buf[:n]
		s.buf = s.buf[n:]
		s.command(cmd, raw)
	}
}

func (s *session) command(cmd decode.Command, raw []byte) {
	p := s.p
	if cmd.Prefix == '~' {
		p.mu.Lock()
		f := p.faults
		silent := p.silent || (p.opts.SilentInFaults && (f.PaperOut || f.HeadOpen || f.RibbonOut))
		p.mu.Unlock()
		if silent {
			return
		}
		switch cmd.Name {
		case "HS":
			p.wait(s.ctx)
			_, _ = s.c.Write(p.status().Format())
		case "HI":
			p.wait(s.ctx)
			_, _ = s.c.Write(p.info().Format())
		}
		return
	}
	switch {
	case cmd.Name == "XA":
		s.format = &bytes.Buffer{}
		s.format.Write(raw[bytes.IndexAny(raw, "^"):])
	case s.format == nil:
		// Outside a format: ignored, as a printer does with stray commands.
	case cmd.Name == "XZ":
		s.format.Write(raw)
		s.store(s.format.Bytes())
		s.format = nil
	default:
		s.format.Write(raw)
	}
}

// store keeps a complete format and appends it to the job's file.
func (s *session) store(z []byte) {
	p := s.p
	p.mu.Lock()
	if s.job == 0 {
		p.jobs++
		s.job = p.jobs
	}
	p.formats = append(p.formats, Format{Job: s.job, ZPL: bytes.Clone(z), Received: time.Now()})
	if p.faults != (Faults{}) {
		p.pending++
	}
	p.mu.Unlock()
	if p.opts.Dir == "" {
		return
	}
	path := filepath.Join(p.opts.Dir, fmt.Sprintf("job-%06d.zpl", s.job))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err == nil {
		_, err = f.Write(append(bytes.Clone(z), '\n'))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		p.log.Error("fake printer: saving job", "path", path, "err", err)
		return
	}
	p.log.Info("fake printer: printed", "job", s.job, "file", path)
}
