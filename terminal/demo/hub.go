package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
)

// Hub is an order hub running in this process on a loopback port. Stop and
// Start take it down and bring it back on the same address, with its data:
// a network outage, or a hub restart, on demand.
type Hub struct {
	path string
	log  *slog.Logger

	mu    sync.Mutex
	addr  string
	store *hub.Store
	srv   *http.Server
	done  chan struct{}
}

// StartHub opens (and seeds, when empty) the hub database at path and serves
// it on 127.0.0.1 at a free port.
func StartHub(path string, site domain.Site, log *slog.Logger) (*Hub, error) {
	return StartHubAt(path, "127.0.0.1:0", site, log)
}

// StartHubAt is StartHub serving on addr (port 0: a free one).
func StartHubAt(path, addr string, site domain.Site, log *slog.Logger) (*Hub, error) {
	h := &Hub{path: path, log: log, addr: addr}
	if err := h.Start(); err != nil {
		if h.store != nil { // opened, then the address was refused
			err = errors.Join(err, h.store.Close())
		}
		return nil, err
	}
	if err := h.store.Seed(context.Background(), site); err != nil {
		h.Stop()
		return nil, fmt.Errorf("seed hub: %w", err)
	}
	return h, nil
}

// URL is the hub's base URL.
func (h *Hub) URL() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return "http://" + h.addr
}

// Running reports whether the hub is serving.
func (h *Hub) Running() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.srv != nil
}

// Store is the hub's database (nil after Shutdown): tests and the demo
// summary read the hub's side through it, and the demo changes it.
func (h *Hub) Store() *hub.Store {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.store
}

// Start serves the hub on its address, opening its database first if it is
// closed. Starting a running hub does nothing.
func (h *Hub) Start() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.srv != nil {
		return nil
	}
	if h.store == nil {
		// Lead calls need a lead session, as with orderhub: the terminal asks
		// the lead for the PIN (the demo's PINs are in demodata/site.json).
		store, err := hub.Open(h.path)
		if err != nil {
			return fmt.Errorf("start hub: %w", err)
		}
		h.store = store
	}
	ln, err := net.Listen("tcp", h.addr) // Go sets SO_REUSEADDR: the same port again after Stop
	if err != nil {
		return fmt.Errorf("start hub: %w", err)
	}
	h.addr = ln.Addr().String()
	h.srv = &http.Server{Handler: hub.NewHandler(h.store, h.log), ReadHeaderTimeout: 5 * time.Second}
	h.done = make(chan struct{})
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			h.log.Error("hub stopped", "err", err)
		}
	}(h.srv, h.done)
	h.log.Info("hub started", "addr", h.addr)
	return nil
}

// Stop closes every connection at once and stops listening, as a dead
// network would. The hub's data stays open: the hub side can change things
// meanwhile (cancel an order), as a real hub goes on while a gun is offline.
func (h *Hub) Stop() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stopServing()
}

func (h *Hub) stopServing() error {
	if h.srv == nil {
		return nil
	}
	err := h.srv.Close()
	<-h.done
	h.srv = nil
	h.log.Info("hub unreachable", "addr", h.addr)
	return err
}

// Restart stops serving, closes the database and opens it again: a hub
// process restarted.
func (h *Hub) Restart() error {
	h.mu.Lock()
	err := h.stopServing()
	if h.store != nil {
		err = errors.Join(err, h.store.Close())
		h.store = nil
	}
	h.mu.Unlock()
	return errors.Join(err, h.Start())
}

// Shutdown stops the hub for good, letting requests in flight finish first,
// and closes its database.
func (h *Hub) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var err error
	if h.srv != nil {
		err = h.srv.Shutdown(ctx)
		<-h.done
		h.srv = nil
	}
	if h.store != nil {
		err = errors.Join(err, h.store.Close())
		h.store = nil
	}
	return err
}
