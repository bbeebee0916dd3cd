package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/rfterm/rfterm/terminal/telnet"
)

// Telnet limits: how long negotiation and the sign-in prompts may take.
const (
	telnetNegotiate = 2 * time.Second
	telnetSignIn    = 2 * time.Minute
)

// ServeTelnet serves telnet on ln until Close. The gun keys or scans its
// device id first (and its password, when it has one); only guns whose
// configuration allows telnet get in (any valid id when Open).
func (s *Server) ServeTelnet(ln net.Listener) {
	if !s.track(ln) {
		ln.Close()
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				if !errors.Is(err, net.ErrClosed) {
					s.log.Error("serve: telnet accept", "err", err)
				}
				return
			}
			if !s.enter() {
				c.Close()
				return
			}
			go func() {
				defer s.conns.Done()
				s.handleTelnet(c)
			}()
		}
	}()
	s.log.Info("serve: telnet listening", "addr", ln.Addr().String())
}

// handleTelnet serves one telnet connection.
func (s *Server) handleTelnet(nc net.Conn) {
	defer nc.Close()
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	defer stop()
	tc := telnet.NewConn(nc)
	nctx, ncancel := context.WithTimeout(ctx, telnetNegotiate)
	err := tc.Negotiate(nctx)
	ncancel()
	if err != nil {
		s.log.Info("serve: telnet negotiation", "remote", nc.RemoteAddr().String(), "err", err)
		return
	}
	_ = nc.SetDeadline(time.Now().Add(telnetSignIn))
	id, err := prompt(tc, "Device id: ", true)
	if err != nil {
		return
	}
	g := s.guns[id]
	allowed := ValidDevice(id) && (s.cfg.Open || g != nil && g.Telnet)
	if g != nil && g.hash != nil && !s.cfg.Open {
		pw, err := prompt(tc, "Password: ", false)
		if err != nil {
			return
		}
		allowed = allowed && bcrypt.CompareHashAndPassword(g.hash, []byte(pw)) == nil
	}
	if !allowed {
		s.log.Warn("serve: telnet refused", "device", id, "remote", nc.RemoteAddr().String())
		fmt.Fprintf(tc, "\r\nrfterm: %q may not sign in here.\r\n", id)
		return
	}
	_ = nc.SetDeadline(time.Time{})
	w, h := tc.Size()
	c := conn{device: id, via: "telnet", remote: nc.RemoteAddr().String(), rw: tc, term: tc.Term(), width: w, height: h}
	s.serve(ctx, c, func(setSize func(w, h int)) { tc.OnResize(setSize) })
	tc.OnResize(nil)
}

// prompt asks for a line (a device id keyed or scanned, a password),
// echoing it when echo is set (the server echoes: it said WILL ECHO).
func prompt(rw io.ReadWriter, ask string, echo bool) (string, error) {
	if _, err := io.WriteString(rw, ask); err != nil {
		return "", err
	}
	var line []byte
	b := make([]byte, 1)
	for {
		if _, err := rw.Read(b); err != nil {
			return "", fmt.Errorf("telnet prompt: %w", err)
		}
		switch c := b[0]; {
		case c == '\r' || c == '\n':
			if _, err := io.WriteString(rw, "\r\n"); err != nil {
				return "", err
			}
			return string(line), nil
		case c == 0x7f || c == '\b':
			if len(line) > 0 {
				line = line[:len(line)-1]
				if echo {
					_, _ = io.WriteString(rw, "\b \b")
				}
			}
		case c >= ' ' && c < 0x7f && len(line) < 64:
			line = append(line, c)
			if echo {
				_, _ = rw.Write(b)
			}
		}
	}
}
