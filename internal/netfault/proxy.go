// Package netfault is a fault-injecting TCP proxy for tests: it sits on
// loopback between HTTP clients and a real server and, per connection, adds
// latency and jitter, resets connections, black-holes them, drops the
// response after the server has handled the request, or answers 503 itself.
// With several targets it sends each new connection to the next in turn, as
// a load balancer in front of several servers does, and it tells which
// requests a target holds unanswered (InFlight), so a test can kill a server
// in the middle of one.
package netfault

import (
	"bytes"
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

// Proxy forwards TCP connections to its targets, injecting faults.
type Proxy struct {
	ln net.Listener

	mu      sync.Mutex
	targets []string
	next    int // the target the next connection goes to
	faults  Faults
	conns   map[net.Conn]struct{}
	closed  bool
	// inFlight holds each target's forwarded requests that no byte of an
	// answer has come back for yet, by their first line; unanswered counts
	// those whose connection ended so.
	inFlight   map[string]map[*request]struct{}
	unanswered map[string]int64

	accepted, resets, holes, lost, unavailable atomic.Int64
	wg                                         sync.WaitGroup
}

// Listen starts a proxy on 127.0.0.1 forwarding to target.
func Listen(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, targets: []string{target}, conns: map[net.Conn]struct{}{},
		inFlight: map[string]map[*request]struct{}{}, unanswered: map[string]int64{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetTarget points new connections at another address (a restarted server).
func (p *Proxy) SetTarget(addr string) { p.SetTargets(addr) }

// SetTargets spreads new connections over addrs, each to the next in turn.
// A target that is down is not skipped: its connections are refused, as
// behind a load balancer that has not noticed yet.
func (p *Proxy) SetTargets(addrs ...string) {
	if len(addrs) == 0 {
		panic("netfault: SetTargets needs an address")
	}
	p.mu.Lock()
	p.targets = append([]string(nil), addrs...)
	p.mu.Unlock()
}

// InFlight is the first lines of the requests forwarded to target that no
// byte of an answer has come back for yet ("POST /v1/events HTTP/1.1").
func (p *Proxy) InFlight(target string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var lines []string
	for r := range p.inFlight[target] {
		lines = append(lines, r.line)
	}
	return lines
}

// Unanswered counts the connections to target that ended after their
// request was forwarded and before any byte of an answer came back: the
// server died, or cut them, in the middle of the request.
func (p *Proxy) Unanswered(target string) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.unanswered[target]
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
	p.SetFaults(Faults{})
	p.Cut()
}

// Cut cuts every open connection, as a network blip does, and goes on
// forwarding new ones with the same faults.
func (p *Proxy) Cut() {
	p.mu.Lock()
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
	f, target := p.faults, p.targets[p.next%len(p.targets)]
	p.next++
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
	req := &request{target: target}
	defer p.settle(req, true)
	back := hooks{read: func([]byte) { p.settle(req, false) }}
	if kind == loseResponse {
		// The server has read the whole request and is answering: it has
		// applied the batch. The answer never reaches the client.
		back.instead = func() { p.lost.Add(1); resetConn(client) }
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		pipe(client, server, f, back)
		client.Close()
	}()
	pipe(server, client, f, hooks{sent: func(first []byte) { p.forwarded(req, first) }})
	if tc, ok := server.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	<-done
	server.Close()
}

// request is one connection's request to a target, as InFlight tracks it.
type request struct {
	target string
	line   string // the request's first line
	state  int    // 0 not forwarded yet, 1 forwarded and unanswered, 2 answered or ended
}

// forwarded records that req's first bytes reached its target.
func (p *Proxy) forwarded(req *request, first []byte) {
	line, _, _ := bytes.Cut(first, []byte("\r\n"))
	p.mu.Lock()
	defer p.mu.Unlock()
	if req.state != 0 {
		return
	}
	req.state, req.line = 1, string(line)
	if p.inFlight[req.target] == nil {
		p.inFlight[req.target] = map[*request]struct{}{}
	}
	p.inFlight[req.target][req] = struct{}{}
}

// settle records that the first byte of an answer to req came back, or
// (end) that its connection ended, unanswered if none had.
func (p *Proxy) settle(req *request, end bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if req.state == 1 {
		delete(p.inFlight[req.target], req)
		if end {
			p.unanswered[req.target]++
		}
	}
	req.state = 2
}

// hooks are what pipe does with the first chunk it reads, each if set.
type hooks struct {
	read    func(first []byte) // called as it is read
	instead func()             // runs instead of forwarding it, and ends the copy
	sent    func(first []byte) // called once it is forwarded
}

// pipe copies src to dst, delaying each chunk by the link's latency, with
// h on the first chunk.
func pipe(dst io.Writer, src io.Reader, f Faults, h hooks) {
	buf := make([]byte, 32<<10)
	first := true
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if first && h.read != nil {
				h.read(buf[:n])
			}
			if first && h.instead != nil {
				h.instead()
				return
			}
			if d := f.Latency + jitter(f.Jitter); d > 0 {
				time.Sleep(d) // the link's delay, not a wait for a condition
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
			if first && h.sent != nil {
				h.sent(buf[:n])
			}
			first = false
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
