package netfault

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func host(t *testing.T, s *httptest.Server) string {
	u, err := url.Parse(s.URL)
	require.NoError(t, err)
	return u.Host
}

// noKeepAlive is a client that opens a new connection for every request.
func noKeepAlive() *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
}

func get(t *testing.T, addr string) string {
	t.Helper()
	resp, err := noKeepAlive().Get("http://" + addr + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

// With two targets, each new connection goes to the next in turn.
func TestTargetsInTurn(t *testing.T) {
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "a") }))
	defer a.Close()
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "b") }))
	defer b.Close()
	p, err := Listen(host(t, a))
	require.NoError(t, err)
	defer p.Close()
	assert.Equal(t, "aa", get(t, p.Addr())+get(t, p.Addr()))
	p.SetTargets(host(t, a), host(t, b))
	var got strings.Builder
	for range 4 {
		got.WriteString(get(t, p.Addr()))
	}
	assert.ElementsMatch(t, []rune("aabb"), []rune(got.String()))
	assert.NotContains(t, got.String(), "aa", "in turn")
}

// A request the target holds is in flight until its answer starts; one
// whose connection the target drops first is counted unanswered.
func TestInFlightAndUnanswered(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	defer close(release)
	target := host(t, srv)
	p, err := Listen(target)
	require.NoError(t, err)
	defer p.Close()

	errs := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://"+p.Addr()+"/v1/events", strings.NewReader("{}"))
		resp, err := noKeepAlive().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errs <- err
	}()
	require.Eventually(t, func() bool { return len(p.InFlight(target)) == 1 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, []string{"POST /v1/events HTTP/1.1"}, p.InFlight(target))
	assert.Zero(t, p.Unanswered(target))

	<-arrived                    // the server holds the request
	srv.CloseClientConnections() // the server dies in the middle of the request
	require.Error(t, <-errs)
	require.Eventually(t, func() bool { return p.Unanswered(target) == 1 }, 5*time.Second, time.Millisecond)
	assert.Empty(t, p.InFlight(target))
}
