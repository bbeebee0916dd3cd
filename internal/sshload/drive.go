package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gliderlabs/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rfterm/rfterm/internal/vtscreen"
)

// step is one thing a gun does before it scans: send keys, then wait for
// the screen to show want.
type step struct{ send, want string }

// script is what each gun does: sign in as user(i), take its login steps,
// then every 3 s send scan and time it until marker shows, then send ack
// and wait until ready shows again (and marker no longer does).
type script struct {
	user   func(i int) string
	login  func(i int) []step
	scan   string
	marker string
	ack    string
	ready  string
	// fresh starts each scan on a blank screen: the echo server draws
	// nothing but the echo, so what shows before a scan is its last echo.
	fresh bool
}

// waitLimit bounds every wait for a screen: at login, a thousand guns
// enrol, log in and claim their tasks at once on two cores.
const waitLimit = 2 * time.Minute

// drive opens n sessions, takes each through its login steps, then scans
// every 3 s for dur in each (starts spread over the 3 s), timing scan →
// marker. loggedIn is called once every gun is ready, before the first scan.
func drive(ctx context.Context, addr string, signer gossh.Signer, n int, dur time.Duration, sc script, loggedIn func()) ([]time.Duration, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	ready := make(chan struct{}, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := gun(ctx, addr, signer, i, sc, ready, start, time.Duration(i)*3*time.Second/time.Duration(n), dur)
			mu.Lock()
			lat = append(lat, got...)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}()
	}
	for range n {
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	loggedIn()
	close(start)
	wg.Wait()
	if len(lat) == 0 {
		return nil, errors.Join(errors.New("no samples"), firstErr)
	}
	return lat, firstErr
}

// gun is one gun: connect, log in, then scan every 3 s. It signals ready
// once logged in (or failed).
func gun(ctx context.Context, addr string, signer gossh.Signer, i int, sc script,
	ready chan<- struct{}, start <-chan struct{}, offset, dur time.Duration) ([]time.Duration, error) {
	user := sc.user(i)
	ramp := time.NewTimer(time.Duration(i) * loginRamp) // guns come on shift over a while, not in one instant
	select {
	case <-ramp.C:
	case <-ctx.Done():
		ready <- struct{}{}
		return nil, ctx.Err()
	}
	fail := func(err error) ([]time.Duration, error) {
		ready <- struct{}{}
		return nil, fmt.Errorf("%s: %w", user, err)
	}
	cl, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: time.Minute})
	if err != nil {
		return fail(err)
	}
	defer cl.Close()
	s, err := cl.NewSession()
	if err != nil {
		return fail(err)
	}
	if err := s.RequestPty("vt220", 16, 20, gossh.TerminalModes{}); err != nil {
		return fail(err)
	}
	in, _ := s.StdinPipe()
	out, _ := s.StdoutPipe()
	if err := s.Shell(); err != nil {
		return fail(err)
	}
	g := &glass{chunks: make(chan []byte, 64), scr: vtscreen.New(20, 16)}
	go g.read(out)
	for _, st := range sc.login(i) {
		if err := g.step(ctx, in, st); err != nil {
			return fail(err)
		}
	}
	ready <- struct{}{}
	select {
	case <-start:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	spread := time.NewTimer(offset) // spread the scans over the 3 s, as guns do
	select {
	case <-spread.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var lat []time.Duration
	end := time.Now().Add(dur)
	tick := time.NewTicker(3 * time.Second)
	defer tick.Stop()
	shows := func(text string) func(string) bool { return func(t string) bool { return strings.Contains(t, text) } }
	for time.Now().Before(end) {
		g.drain()
		if sc.fresh {
			g.scr = vtscreen.New(20, 16)
		}
		if _, err := io.WriteString(in, sc.scan); err != nil {
			return lat, err
		}
		t0 := time.Now()
		if err := g.wait(ctx, shows(sc.marker)); err != nil {
			return lat, fmt.Errorf("%s: %w", user, err)
		}
		lat = append(lat, time.Since(t0))
		if _, err := io.WriteString(in, sc.ack); err != nil {
			return lat, err
		}
		if err := g.wait(ctx, func(t string) bool {
			return strings.Contains(t, sc.ready) && (sc.fresh || !strings.Contains(t, sc.marker))
		}); err != nil {
			return lat, fmt.Errorf("%s: after the acknowledgement: %w", user, err)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return lat, ctx.Err()
		}
	}
	return lat, nil
}

// loginRamp spaces the guns' connections: a thousand guns connect and log
// in over 50 s, as a shift starts. (Over 20 s, the hub's answers to the
// task claims outlasted the client's timeout on this shared machine.)
const loginRamp = 50 * time.Millisecond

// problem is what every refusal on a gun's screen says.
const problem = "Enter to acknowledge"

// step sends st's keys and waits for st.want. A refusal on the way (the hub
// too busy to answer in time) is acknowledged and the keys sent again, up
// to three times.
func (g *glass) step(ctx context.Context, in io.Writer, st step) error {
	for try := 1; ; try++ {
		if st.send != "" {
			if _, err := io.WriteString(in, st.send); err != nil {
				return err
			}
		}
		err := g.wait(ctx, func(t string) bool { return strings.Contains(t, st.want) || strings.Contains(t, problem) })
		if err != nil {
			return fmt.Errorf("waiting for %q: %w", st.want, err)
		}
		if strings.Contains(g.scr.Text(), st.want) {
			return nil
		}
		if try == 3 || st.send == "" {
			return fmt.Errorf("refused %d times at %q; the screen shows:\n%s", try, st.want, g.scr.Text())
		}
		if _, err := io.WriteString(in, "\r"); err != nil {
			return err
		}
		if err := g.wait(ctx, func(t string) bool { return !strings.Contains(t, problem) }); err != nil {
			return err
		}
	}
}

// glass is a gun's screen: what the server sends, read all along, and the
// screen it makes.
type glass struct {
	chunks chan []byte
	scr    *vtscreen.Screen
}

// read hands the connection's output over in chunks until it ends.
func (g *glass) read(out io.Reader) {
	defer close(g.chunks)
	for {
		buf := make([]byte, 8192)
		k, err := out.Read(buf)
		if k > 0 {
			g.chunks <- buf[:k]
		}
		if err != nil {
			return
		}
	}
}

// drain puts on the screen what has arrived.
func (g *glass) drain() {
	for {
		select {
		case c, ok := <-g.chunks:
			if !ok {
				return
			}
			g.scr.Write(c)
		default:
			return
		}
	}
}

// wait reads until the screen satisfies done, at most waitLimit.
func (g *glass) wait(ctx context.Context, done func(string) bool) error {
	timeout := time.NewTimer(waitLimit)
	defer timeout.Stop()
	for !done(g.scr.Text()) {
		select {
		case c, ok := <-g.chunks:
			if !ok {
				return fmt.Errorf("the connection ended; the screen shows:\n%s", g.scr.Text())
			}
			g.scr.Write(c)
		case <-timeout.C:
			return fmt.Errorf("not on the screen in %s; it shows:\n%s", waitLimit, g.scr.Text())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// echoReference serves SSH sessions that echo what they read and show
// nothing else, and drives them as the guns are driven: the floor under
// any SSH server on this machine at this load.
func echoReference(ctx context.Context, signer gossh.Signer, n int, dur time.Duration) ([]time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &ssh.Server{Handler: func(s ssh.Session) {
		_, _ = io.WriteString(s, "ready\r\n")
		_, _ = io.Copy(s, s)
	}, PublicKeyHandler: func(ssh.Context, ssh.PublicKey) bool { return true }}
	srv.AddHostKey(signer)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	sc := script{user: func(int) string { return "echo" }, login: func(int) []step { return []step{{want: "ready"}} },
		scan: wrongLocation + "\r", marker: wrongLocation, ack: "\r", ready: "", fresh: true}
	return drive(ctx, ln.Addr().String(), signer, n, dur, sc, func() {})
}
