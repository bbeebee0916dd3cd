package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"text/tabwriter"
	"time"
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
