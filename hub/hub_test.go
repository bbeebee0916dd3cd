package hub_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegisterAndAuth(t *testing.T) {
	f := newFixture(t, demoSite(t))
	c := ctx(t)

	_, err := f.anon.Register(c, api.RegisterRequest{DeviceID: "gun-02", EnrollKey: "wrong"})
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
	_, err = f.anon.Register(c, api.RegisterRequest{DeviceID: " ", EnrollKey: "demo-enroll-key"})
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)

	require.NoError(t, f.anon.Health(c), "health needs no token")
	_, err = f.anon.Orders(c)
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
	_, err = f.anon.WithToken("not-a-token").Orders(c)
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeDeviceNotEnrolled)
	assert.ErrorIs(t, err, api.ErrNotEnrolled)
	assert.False(t, api.Retryable(err), "not enrolled is final, not a network error")
	orders, err := f.client.Orders(c)
	require.NoError(t, err)
	assert.Len(t, orders, len(demoSite(t).Orders))

	// Registering an enrolled id again takes the API key; it issues a new
	// token and the old one stops working.
	_, err = f.anon.Register(c, api.RegisterRequest{DeviceID: testDevice, EnrollKey: "demo-enroll-key"})
	requireAPIError(t, err, http.StatusConflict, api.CodeDeviceEnrolled)
	reg, err := f.admin().Register(c, api.RegisterRequest{DeviceID: testDevice})
	require.NoError(t, err)
	assert.Equal(t, testDevice, reg.DeviceID)
	assert.NotEqual(t, f.token, reg.Token)
	_, err = f.client.Orders(c)
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeDeviceNotEnrolled)
	_, err = f.anon.WithToken(reg.Token).Orders(c)
	require.NoError(t, err)

	// Tokens survive a restart.
	f.token, f.client = reg.Token, f.anon.WithToken(reg.Token)
	f.reopen()
	_, err = f.client.Orders(ctx(t))
	require.NoError(t, err)
}

func TestLogin(t *testing.T) {
	f := newFixture(t, demoSite(t))
	u, err := f.client.Login(ctx(t), "U1003")
	require.NoError(t, err)
	assert.Equal(t, domain.RoleLead, u.Role)
	assert.Equal(t, "U1003", u.Badge)
	u, err = f.client.Login(ctx(t), "U1001")
	require.NoError(t, err)
	assert.Equal(t, domain.RoleOperator, u.Role)

	_, err = f.client.Login(ctx(t), "U9999")
	requireAPIError(t, err, http.StatusNotFound, api.CodeUnknownBadge)
}

func TestClaim(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)

	first := f.claim("u1001")
	// Priority 1 orders are SO-10003, SO-10004 and SO-10009: the lowest id first.
	assert.Equal(t, "T-SO-10003", first.Task.ID)
	assert.Equal(t, domain.TaskClaimed, first.Task.Status)
	assert.Equal(t, "u1001", first.Task.UserID)
	assert.Equal(t, "SO-10003", first.Order.ID)
	assertOffline(t, first)

	again := f.claim("u1001")
	assert.Equal(t, first.Task.ID, again.Task.ID, "a user holding a task gets it back")

	second := f.claim("u1002")
	assert.Equal(t, "T-SO-10004", second.Task.ID, "a held task is never given to another user")

	_, err := f.client.ClaimTask(ctx(t), "nobody")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)

	// u1003 takes every remaining task, one at a time, completing each.
	seen := map[string]bool{first.Task.ID: true, second.Task.ID: true}
	lastPrio := 1
	for range len(site.Orders) - 2 {
		c := f.claim("u1003")
		require.False(t, seen[c.Task.ID], "task %s handed out twice", c.Task.ID)
		seen[c.Task.ID] = true
		assert.GreaterOrEqual(t, c.Order.Priority, lastPrio, "most urgent first")
		lastPrio = c.Order.Priority
		r := f.send(f.ev("done-"+c.Task.ID, domain.EventTaskCompleted, "u1003", domain.TaskCompleted{TaskID: c.Task.ID}))
		require.Equal(t, api.StatusApplied, r[0].Status, r[0].Message)
	}
	_, err = f.client.ClaimTask(ctx(t), "u1003")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNoTask)
	assert.Equal(t, first.Task.ID, f.claim("u1001").Task.ID)
}

// assertOffline checks a claim carries every item and location its lines need,
// and the lines walk the locations in sequence.
func assertOffline(t *testing.T, c api.ClaimResponse) {
	t.Helper()
	items := map[string]bool{}
	for _, it := range c.Items {
		items[it.SKU] = true
	}
	seq := map[string]int{}
	for _, l := range c.Locations {
		seq[l.Code] = l.Sequence
	}
	require.Len(t, c.Task.Lines, len(c.Order.Lines))
	for i, l := range c.Task.Lines {
		assert.True(t, items[l.SKU], "item %s missing", l.SKU)
		assert.Contains(t, seq, l.Location)
		if i > 0 {
			assert.Greater(t, seq[l.Location], seq[c.Task.Lines[i-1].Location], "walk order")
		}
	}
}

func TestItemLookup(t *testing.T) {
	f := newFixture(t, demoSite(t))
	cases := map[string]string{
		"HX-4411":        "HX-4411", // SKU
		"5401230041002":  "HX-4411", // GTIN-13
		"05401230041002": "HX-4411", // the same, as GTIN-14
		"15401230043591": "TP-0050", // a true GTIN-14 (case)
		"TAPE48BRN":      "TP-0048", // an extra barcode
	}
	for key, want := range cases {
		it, err := f.client.Item(ctx(t), key)
		require.NoError(t, err, key)
		assert.Equal(t, want, it.SKU, key)
	}
	for _, key := range []string{"5401230041003", "XX-0000", "a/b", "U1001"} {
		_, err := f.client.Item(ctx(t), key)
		requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	}
}

func TestLocationsAndReads(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	locs, err := f.client.Locations(ctx(t))
	require.NoError(t, err)
	require.Len(t, locs, len(site.Locations))
	for i := 1; i < len(locs); i++ {
		assert.Less(t, locs[i-1].Sequence, locs[i].Sequence)
	}
	l, err := f.client.Location(ctx(t), "FRZ-01-02")
	require.NoError(t, err)
	assert.Equal(t, "FRZ", l.Zone)
	_, err = f.client.Location(ctx(t), "Z-99-99")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)

	tasks, err := f.client.Tasks(ctx(t))
	require.NoError(t, err)
	require.Len(t, tasks, len(site.Orders))
	for _, tk := range tasks {
		assert.Equal(t, hub.TaskIDPrefix+tk.OrderID, tk.ID)
		assert.Equal(t, domain.TaskOpen, tk.Status)
	}
	_, err = f.client.Task(ctx(t), "T-NOPE")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	_, err = f.client.Order(ctx(t), "SO-0")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
	bos, err := f.client.Backorders(ctx(t))
	require.NoError(t, err)
	assert.Empty(t, bos)
}

func TestSeedOnlyEmpty(t *testing.T) {
	site := demoSite(t)
	f := newFixture(t, site)
	seeded, err := f.store.Seeded(t.Context())
	require.NoError(t, err)
	assert.True(t, seeded)

	other := demoSite(t)
	other.Orders = other.Orders[:1]
	other.EnrollKey = "other"
	require.NoError(t, f.store.Seed(t.Context(), other))
	orders, err := f.client.Orders(ctx(t))
	require.NoError(t, err)
	assert.Len(t, orders, len(site.Orders), "a seeded database is left as it is")
	_, err = f.anon.Register(ctx(t), api.RegisterRequest{DeviceID: "x", EnrollKey: "other"})
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeUnauthorized)
}

func TestSeedRejectsBadSite(t *testing.T) {
	st := hubtest.NewStore(t)
	bad := demoSite(t)
	bad.Items[0].GTIN = "05401230041003"
	require.ErrorContains(t, st.Seed(t.Context(), bad), "check digit")
	bad = demoSite(t)
	bad.Orders[0].Lines[0].SKU = "NOPE-1"
	require.ErrorContains(t, st.Seed(t.Context(), bad), "unknown item NOPE-1")
	seeded, err := st.Seeded(t.Context())
	require.NoError(t, err)
	assert.False(t, seeded)
}

func TestOpenTimesOutOnLockedFile(t *testing.T) {
	backendtest.SkipOnPostgres(t, "the bbolt file's lock")
	path := t.TempDir() + "/hub.db"
	st, err := hub.Open(path)
	require.NoError(t, err)
	defer st.Close()
	_, err = hub.Open(path, hub.WithOpenTimeout(50*time.Millisecond))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "another process has "+path+" open")
}

func TestConcurrentClaimsNeverShareATask(t *testing.T) {
	site := demoSite(t)
	for i := range 8 {
		site.Users = append(site.Users, domain.User{ID: fmt.Sprintf("p%d", i), Name: "Picker", Badge: fmt.Sprintf("U20%02d", i), Role: domain.RoleOperator})
	}
	f := newFixture(t, site)
	var wg sync.WaitGroup
	got := make([]string, 8)
	errs := make([]error, 8)
	for i := range 8 {
		wg.Go(func() {
			c, err := f.client.ClaimTask(ctx(t), fmt.Sprintf("p%d", i))
			got[i], errs[i] = c.Task.ID, err
		})
	}
	wg.Wait()
	holders := map[string]bool{}
	for i, id := range got {
		require.NoError(t, errs[i])
		assert.False(t, holders[id], "task %s given twice", id)
		holders[id] = true
		assert.Equal(t, fmt.Sprintf("p%d", i), f.task(id).UserID)
	}
}
