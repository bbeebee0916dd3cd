package hub_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/require"
)

const testDevice = "gun-01"

// fixture is a real hub (see hubtest) and a client registered as testDevice.
type fixture struct {
	t *testing.T
	*hubtest.Hub
	store  *hub.Store
	srv    *httptest.Server
	anon   *api.Client // no token
	client *api.Client // testDevice's token
	token  string
	seq    uint64
}

func demoSite(t testing.TB) domain.Site {
	t.Helper()
	s, err := demodata.Site()
	require.NoError(t, err)
	return s
}

func newFixture(t *testing.T, site domain.Site) *fixture {
	t.Helper()
	f := &fixture{t: t, Hub: hubtest.Start(t, site)}
	f.token = f.Register(testDevice)
	f.refresh()
	t.Cleanup(func() { // before the hub stops: every index agrees with the records the test left
		if f.Hub.Store != nil {
			require.NoError(t, f.Hub.Store.CheckIndexes(context.Background()))
		}
	})
	return f
}

// refresh points the fixture at the hub's current server and store.
func (f *fixture) refresh() {
	f.store, f.srv = f.Store, f.Server
	f.anon = f.Client()
	f.client = f.anon.WithToken(f.token)
}

// reopen closes the server and the database file and opens them again.
func (f *fixture) reopen() {
	f.Restart()
	f.refresh()
}

// admin is a client with the site's integration API key.
func (f *fixture) admin() *api.Client { return f.anon.WithToken(f.Site.APIKey) }

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// ev seals an event from testDevice with the next sequence number.
func (f *fixture) ev(id string, typ domain.EventType, user string, payload any) domain.Event {
	f.seq++
	return sealed(f.t, testDevice, f.seq, id, typ, user, payload)
}

func sealed(t testing.TB, device string, seq uint64, id string, typ domain.EventType, user string, payload any) domain.Event {
	t.Helper()
	e, err := domain.NewDraft(typ, time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC), user, payload).Seal(device, seq, id)
	require.NoError(t, err)
	return e
}

// send delivers events from testDevice and checks there is one result each.
func (f *fixture) send(evs ...domain.Event) []api.EventResult {
	f.t.Helper()
	res, err := f.client.SendEvents(ctx(f.t), api.IngestRequest{DeviceID: testDevice, Events: evs})
	require.NoError(f.t, err)
	require.Len(f.t, res.Results, len(evs))
	for i, r := range res.Results {
		require.Equal(f.t, evs[i].ID, r.ID)
		require.Equal(f.t, evs[i].Seq, r.Seq)
	}
	return res.Results
}

func (f *fixture) claim(user string) api.ClaimResponse {
	f.t.Helper()
	c, err := f.client.ClaimTask(ctx(f.t), user)
	require.NoError(f.t, err)
	return c
}

func (f *fixture) task(id string) domain.Task {
	f.t.Helper()
	tk, err := f.client.Task(ctx(f.t), id)
	require.NoError(f.t, err)
	return tk
}

func (f *fixture) order(id string) domain.Order {
	f.t.Helper()
	o, err := f.client.Order(ctx(f.t), id)
	require.NoError(f.t, err)
	return o
}

// requireAPIError checks err is answered on the wire (hub.APIError; a
// client's errors are *api.Error already) with that status and code.
func requireAPIError(t testing.TB, err error, status int, code string) {
	t.Helper()
	e := hub.APIError(err)
	require.NotNil(t, e, "%v is not an API error", err)
	require.Equal(t, status, e.Status, e.Message)
	require.Equal(t, code, e.Code, e.Message)
	require.NotEmpty(t, e.Message)
}
