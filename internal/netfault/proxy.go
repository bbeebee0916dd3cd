// Package netfault is a fault-injecting TCP proxy for tests: it sits on
// loopback between HTTP clients and a real server and, per connection, adds
// latency and jitter, resets connections, black-holes them, drops the
// response after the server has handled the request, or answers 503 itself.
package netfault

import (
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Faults says how often each fault hits a new connection (probabilities from
// 0 to 1, tried in this order) and how slow the link is.
type Faults struct {
	Reset        float64 // the connection is reset after a few bytes of the request
	BlackHole    float64 // the request is swallowed; no answer ever comes
	LoseResponse float64 // the server gets the request; its answer is cut off with a reset
	Unavailable  float64 // the proxy answers 503 itself, with Retry-After: 0
	Latency      time.Duration
	Jitter       time.Duration // added to Latency, uniformly random in [0, Jitter]
}

// Counts are the faults injected so far.
type Counts struct {
	Conns, Resets, BlackHoles, LostResponses, Unavailable int64
}

// Proxy forwards TCP connections to a target address, injecting faults.
type Proxy struct {
	ln net.Listener

	mu     sync.Mutex
	target string
	faults Faults
	conns  map[net.Conn]struct{}
	closed bool

	accepted, resets, holes, lost, unavailable atomic.Int64
	wg                                         sync.WaitGroup
}

// Listen starts a proxy on 127.0.0.1 forwarding to target.
func Listen(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetTarget points new connections at another address (a restarted server).
func (p *Proxy) SetTarget(addr string) {
	p.mu.Lock()
	p.target = addr
	p.mu.Unlock()
}

// SetFaults changes the faults for new connections.
func (p *Proxy) SetFaults(f Faults) {
	p.mu.Lock()
	p.faults = f
	p.mu.Unlock()
}

// Heal stops injecting faults and cuts every open connection (a black-holed
// one would otherwise hang until its client gives up), as a network coming
// back does.
func (p *Proxy) Heal() {
	p.mu.Lock()
	p.faults = Faults{}
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
}

// Counts returns the faults injected so far.
func (p *Proxy) Counts() Counts {
	return Counts{Conns: p.accepted.Load(), Resets: p.resets.Load(), BlackHoles: p.holes.Load(),
		LostResponses: p.lost.Load(), Unavailable: p.unavailable.Load()}
}

// Close stops the proxy and cuts every connection.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			c.Close()
			return
		}
		p.accepted.Add(1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			p.serve(c)
		}()
	}
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

type fault int

const (
	none fault = iota
	reset
	blackHole
	loseResponse
	unavailable
)

func (p *Proxy) pick() (fault, Faults, string) {
	p.mu.Lock()
	f, target := p.faults, p.target
	p.mu.Unlock()
	r := rand.Float64()
	for _, c := range []struct {
		p float64
		f fault
	}{{f.Reset, reset}, {f.BlackHole, blackHole}, {f.LoseResponse, loseResponse}, {f.Unavailable, unavailable}} {
		if r < c.p {
			return c.f, f, target
		}
		r -= c.p
	}
	return none, f, target
}

func (p *Proxy) serve(client net.Conn) {
	kind, f, target := p.pick()
	switch kind {
	case reset:
		p.resets.Add(1)
		buf := make([]byte, 1+rand.IntN(64))
		_, _ = io.ReadFull(client, buf)
		resetConn(client)
		return
	case blackHole:
		p.holes.Add(1)
		_, _ = io.Copy(io.Discard, client) // until the client or Heal gives up
		return
	case unavailable:
		p.unavailable.Add(1)
		buf := make([]byte, 4096)
		_, _ = client.Read(buf)
		_, _ = io.WriteString(client, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 0\r\nConnection: close\r\nContent-Length: 57\r\n\r\n"+`{"error":{"code":"internal","message":"proxy: overload"}}`+"\n")
		return
	}
	server, err := net.DialTimeout("tcp", target, 2*time.Second)
	if err != nil {
		resetConn(client) // the server is down: connection refused, as the client would see it
		return
	}
	if !p.track(server) {
		server.Close()
		return
	}
	defer p.untrack(server)
	var onFirst func()
	if kind == loseResponse {
		// The server has read the whole request and is answering: it has
		// applied the batch. The answer never reaches the client.
		onFirst = func() { p.lost.Add(1); resetConn(client) }
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		pipe(client, server, f, onFirst)
		client.Close()
	}()
	pipe(server, client, f, nil)
	if tc, ok := server.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	<-done
	server.Close()
}

// pipe copies src to dst, delaying each chunk by the link's latency; onFirst,
// if set, runs instead of forwarding the first chunk, and ends the copy.
func pipe(dst io.Writer, src io.Reader, f Faults, onFirst func()) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if onFirst != nil {
				onFirst()
				return
			}
			if d := f.Latency + jitter(f.Jitter); d > 0 {
				time.Sleep(d) // the link's delay, not a wait for a condition
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func jitter(j time.Duration) time.Duration {
	if j <= 0 {
		return 0
	}
	return rand.N(j + 1)
}

// resetConn closes with a TCP RST instead of a FIN.
func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}
