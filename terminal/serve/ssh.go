package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"time"

	"github.com/gliderlabs/ssh"
	"golang.org/x/crypto/bcrypt"
	gossh "golang.org/x/crypto/ssh"
)

// HostKey loads the SSH host key at path, making an ed25519 key there
// (mode 0600) on first start.
func HostKey(path string) (gossh.Signer, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		_, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, fmt.Errorf("host key: %w", gerr)
		}
		block, merr := gossh.MarshalPrivateKey(priv, "rfterm serve host key")
		if merr != nil {
			return nil, fmt.Errorf("host key: %w", merr)
		}
		raw = pem.EncodeToMemory(block)
		f, oerr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if oerr != nil {
			return nil, fmt.Errorf("host key: %w", oerr)
		}
		_, werr := f.Write(raw)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("host key: %w", werr)
		}
	} else if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	signer, err := gossh.ParsePrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, nil
}

// ServeSSH serves SSH on ln until Close. The SSH user name is the device id.
func (s *Server) ServeSSH(ln net.Listener) error {
	signer, err := HostKey(s.cfg.HostKey)
	if err != nil {
		return err
	}
	srv := &ssh.Server{Handler: s.handleSSH, Version: "rfterm"}
	srv.AddHostKey(signer)
	if !s.cfg.Open {
		srv.PasswordHandler = s.passwordOK
		srv.PublicKeyHandler = s.keyOK
	} else {
		srv.PasswordHandler = func(ctx ssh.Context, _ string) bool { return ValidDevice(ctx.User()) }
		srv.PublicKeyHandler = func(ctx ssh.Context, _ ssh.PublicKey) bool { return ValidDevice(ctx.User()) }
		srv.KeyboardInteractiveHandler = func(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool { return ValidDevice(ctx.User()) }
	}
	if !s.track(srv) {
		return errors.New("serve: shutting down")
	}
	s.track(ln) // for Addrs; closing it twice is harmless
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			s.log.Error("serve: ssh", "err", err)
		}
	}()
	s.log.Info("serve: ssh listening", "addr", ln.Addr().String(), "open", s.cfg.Open)
	return nil
}

// passwordOK checks a device's password against its bcrypt hash (in
// constant time); unknown devices cost the same.
func (s *Server) passwordOK(ctx ssh.Context, password string) bool {
	g := s.guns[ctx.User()]
	hash := s.dummy // an unknown device takes as long to refuse as a wrong password
	if g != nil && g.hash != nil {
		hash = g.hash
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && g != nil && g.hash != nil
	if !ok {
		s.log.Warn("serve: password refused", "device", ctx.User(), "remote", ctx.RemoteAddr().String())
	}
	return ok
}

// keyOK checks a device's public key against its authorized keys.
func (s *Server) keyOK(ctx ssh.Context, key ssh.PublicKey) bool {
	g := s.guns[ctx.User()]
	if g == nil {
		return false
	}
	wire := key.Marshal()
	ok := 0
	for _, k := range g.keys {
		ok |= subtle.ConstantTimeCompare(wire, k)
	}
	return ok == 1
}

// handleSSH serves one SSH session: a pty is required; its TERM chooses the
// terminal description, its window size and window changes lay the screen.
func (s *Server) handleSSH(sess ssh.Session) {
	pty, winCh, ok := sess.Pty()
	if !ok {
		fmt.Fprintf(sess, "rfterm: a terminal is needed (ssh -t %s@host).\n", sess.User())
		_ = sess.Exit(1)
		return
	}
	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	if sc, ok := sess.Context().Value(ssh.ContextKeyConn).(*gossh.ServerConn); ok {
		go s.keepAlive(ctx, sc)
	}
	c := conn{device: sess.User(), via: "ssh", remote: sess.RemoteAddr().String(), rw: sess,
		term: pty.Term, width: pty.Window.Width, height: pty.Window.Height}
	if !s.enter() {
		return
	}
	defer s.conns.Done()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	s.serve(ctx, c, func(setSize func(w, h int)) {
		go func() {
			for {
				select {
				case win, ok := <-winCh:
					if !ok {
						return
					}
					setSize(win.Width, win.Height)
				case <-ctx.Done():
					// keep draining: gliderlabs blocks a window-change until read
					for range winCh {
					}
					return
				}
			}
		}()
	})
	_ = sess.Exit(0)
}

// keepAlive asks the client for a reply every KeepAlive; a client that
// leaves three unanswered (a gun off the network, a dead TCP peer) has its
// connection closed, which ends its session's screen.
func (s *Server) keepAlive(ctx context.Context, sc *gossh.ServerConn) {
	t := time.NewTicker(s.cfg.KeepAlive)
	defer t.Stop()
	replied := make(chan struct{}, 1)
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-replied:
			last = time.Now()
		case <-t.C:
			if time.Since(last) > 3*s.cfg.KeepAlive {
				s.log.Info("serve: keepalive unanswered, closing", "device", sc.User(), "remote", sc.RemoteAddr().String())
				sc.Close()
				return
			}
			go func() {
				// returns when the reply comes or the connection closes
				if _, _, err := sc.SendRequest("keepalive@openssh.com", true, nil); err == nil {
					select {
					case replied <- struct{}{}:
					default:
					}
				}
			}()
		}
	}
}
