// Package hubtest starts a real order hub for tests, served over loopback
// by net/http/httptest, on the store the tests run on (package
// backendtest: a bbolt file in a temporary directory, or with
// RFTERM_HUB_STORE=postgres a new PostgreSQL database). Device-side tests
// use it to talk to the real thing instead of a mock.
package hubtest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"golang.org/x/crypto/bcrypt"
)

// Hub is a running hub. It is stopped when the test ends.
type Hub struct {
	Site   domain.Site
	DB     string // the database, as orderhub's --db names it (backendtest.NewDatabase)
	Store  *hub.Store
	Server *httptest.Server
	t      testing.TB
}

// Start seeds a new hub with site and serves it. Logs go to the test's
// output, except in benchmarks, where they are dropped.
func Start(t testing.TB, site domain.Site) *Hub {
	t.Helper()
	h := &Hub{Site: site, DB: backendtest.NewDatabase(t), t: t}
	h.start()
	if err := h.Store.Seed(t.Context(), site); err != nil {
		t.Fatalf("hubtest: %v", err)
	}
	t.Cleanup(h.stop)
	return h
}

// StartDemo starts a hub seeded with the demo site.
func StartDemo(t testing.TB) *Hub {
	t.Helper()
	site, err := demodata.Site()
	if err != nil {
		t.Fatalf("hubtest: %v", err)
	}
	return Start(t, site)
}

// URL is the hub's base URL; it changes on Restart.
func (h *Hub) URL() string { return h.Server.URL }

// Client is an unauthenticated client of the hub.
func (h *Hub) Client() *api.Client {
	return api.NewClient(h.Server.URL, h.Server.Client())
}

// Admin is a client with the site's integration API key.
func (h *Hub) Admin() *api.Client {
	return h.Client().WithToken(h.Site.APIKey)
}

// Register enrols a device and returns its token. It enrols as the
// integration would (with the API key, when the site has one), so a test
// may enrol the same device id again.
func (h *Hub) Register(deviceID string) string {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := h.Client()
	if h.Site.APIKey != "" {
		c = h.Admin()
	}
	reg, err := c.Register(ctx, api.RegisterRequest{DeviceID: deviceID, EnrollKey: h.Site.EnrollKey})
	if err != nil {
		h.t.Fatalf("hubtest: register %s: %v", deviceID, err)
	}
	return reg.Token
}

// Restart stops the server, closes the database, and opens and serves it
// again, on a new URL. Tokens and all state survive.
func (h *Hub) Restart() {
	h.t.Helper()
	h.stop()
	h.start()
}

func (h *Hub) start() {
	h.t.Helper()
	st := hub.New(backendtest.Open(h.t, h.DB), Options()...)
	h.Store = st
	logs := h.t.Output()
	if _, bench := h.t.(*testing.B); bench {
		logs = io.Discard
	}
	h.Server = httptest.NewServer(hub.NewHandler(st, slog.New(slog.NewTextHandler(logs, nil))))
}

func (h *Hub) stop() {
	if h.Store == nil {
		return
	}
	h.Server.Close()
	if err := h.Store.Close(); err != nil {
		h.t.Errorf("hubtest: close: %v", err)
	}
	h.Store = nil
}

// Options are the hub options tests run with: the cheapest PIN hash.
func Options() []hub.Option { return []hub.Option{hub.WithPINCost(bcrypt.MinCost)} }

// NewStore opens a hub on a new, empty database (backendtest.NewDatabase),
// with opts after Options, and closes it when t ends. It serves nothing.
func NewStore(t testing.TB, opts ...hub.Option) *hub.Store {
	t.Helper()
	st := hub.New(backendtest.Open(t, backendtest.NewDatabase(t)), append(Options(), opts...)...)
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("hubtest: close: %v", err)
		}
	})
	return st
}

// LeadClient is a client of deviceID (its token) with a lead session opened
// by badge and PIN.
func (h *Hub) LeadClient(token, badge, pin string) *api.Client {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := h.Client().WithToken(token)
	ls, err := c.LeadLogin(ctx, badge, pin)
	if err != nil {
		h.t.Fatalf("hubtest: lead login %s: %v", badge, err)
	}
	return c.WithLeadSession(ls.Token)
}
