package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/rfterm/rfterm/terminal/session"
)

// StatusHandler lists the sessions: a table, or JSON with ?format=json.
func (s *Server) StatusHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows := s.Sessions()
		if r.URL.Query().Get("format") == "json" {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(rows)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DEVICE\tUSER\tSTEP\tIDLE\tSTATE\tQUEUED")
		for _, r := range rows {
			state := "detached"
			if r.Connected {
				state = "connected " + r.Via + " " + r.Remote
			}
			step := r.Mode
			if r.Step != "" {
				step += "/" + r.Step
			}
			user := r.User
			if user == "" {
				user = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", r.Device, user, step, r.Idle.Round(time.Second), state, r.Queued)
		}
		_ = tw.Flush()
	})
}

// ServeStatus serves the status listing on ln (keep it on loopback or a
// management network) until Close.
func (s *Server) ServeStatus(ln net.Listener) {
	mux := http.NewServeMux()
	mux.Handle("GET /sessions", s.StatusHandler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if !s.track(hs) {
		ln.Close()
		return
	}
	s.track(ln)
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve: status", "err", err)
		}
	}()
}

// SessionInfo is one gun's session, for the status listing.
type SessionInfo struct {
	Device    string        `json:"device"`
	User      string        `json:"user"`
	Mode      string        `json:"mode"`
	Step      string        `json:"step"`
	Idle      time.Duration `json:"idle_ns"`
	Connected bool          `json:"connected"`
	Via       string        `json:"via,omitempty"`
	Remote    string        `json:"remote,omitempty"`
	Queued    int           `json:"queued"` // events in its outbox not yet at the hub
	Online    bool          `json:"online"`
}

// Sessions lists the guns' sessions, by device id.
func (s *Server) Sessions() []SessionInfo {
	now := s.cfg.Now()
	s.mu.Lock()
	type row struct {
		info SessionInfo
		sess *session.Session
	}
	rows := make([]row, 0, len(s.devices))
	for _, h := range s.devices {
		if h.sess == nil {
			continue
		}
		r := row{info: SessionInfo{Device: h.id, Idle: now.Sub(time.Unix(0, h.lastInput.Load())), Connected: h.conn != nil}, sess: h.sess}
		if h.conn != nil {
			r.info.Via, r.info.Remote = h.conn.via, h.conn.remote
		}
		rows = append(rows, r)
	}
	s.mu.Unlock()
	out := make([]SessionInfo, 0, len(rows))
	for _, r := range rows {
		v := r.sess.View()
		r.info.User, r.info.Mode, r.info.Step = v.Status.User, string(v.Mode), string(v.Step)
		r.info.Queued, r.info.Online = v.Status.Queued, v.Status.Online
		out = append(out, r.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Device < out[j].Device })
	return out
}
