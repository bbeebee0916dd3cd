// Package fakescale is a scale for tests: it sits on the master side of a
// real pseudo-terminal (the code under test opens the slave like a serial
// port) and answers MT-SICS commands from a script, or streams the lines
// of a continuous-output scale. It sends real bytes with CR LF.
package fakescale

import (
	"bufio"
	"io"
	"strings"
	"sync"
)

// Scale answers commands read from its line. Safe for concurrent use.
type Scale struct {
	rw io.ReadWriter

	mu       sync.Mutex
	replies  map[string][]string // command -> replies, one per request; the last repeats
	commands []string            // every command received, in order
}

// New starts answering on rw (a pty master) until it fails or is closed.
func New(rw io.ReadWriter) *Scale {
	s := &Scale{rw: rw, replies: map[string][]string{}}
	go s.serve()
	return s
}

// Reply sets what the scale answers to cmd: the first reply to the first
// request, and so on, the last one repeated. No replies: no answer at all.
// Each reply is one line (CR LF added) or several lines joined by "\n",
// sent in one write.
func (s *Scale) Reply(cmd string, replies ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[cmd] = replies
}

// Send writes lines unasked (a continuous scale, or noise), each ended by CR LF.
func (s *Scale) Send(lines ...string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	_, err := io.WriteString(s.rw, b.String())
	return err
}

// Commands returns every command received so far.
func (s *Scale) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

func (s *Scale) serve() {
	r := bufio.NewReader(s.rw)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		s.mu.Lock()
		s.commands = append(s.commands, cmd)
		queue := s.replies[cmd]
		var reply string
		if len(queue) > 0 {
			reply = queue[0]
			if len(queue) > 1 {
				s.replies[cmd] = queue[1:]
			}
		}
		s.mu.Unlock()
		if reply != "" {
			if err := s.Send(strings.Split(reply, "\n")...); err != nil {
				return
			}
		}
	}
}
