package hub_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (f *fixture) claimCluster(user string) api.ClusterResponse {
	f.t.Helper()
	c, err := f.client.ClaimCluster(ctx(f.t), user)
	require.NoError(f.t, err)
	return c
}

// taskIDs lists a cluster's task ids in cart order.
func taskIDs(c api.ClusterResponse) []string {
	var ids []string
	for _, t := range c.Tasks {
		ids = append(ids, t.Task.ID)
	}
	return ids
}

// assertSmall checks every task of a cluster is small by the policy, held by
// user, numbered 1, 2, ... on the cart, and carries what picking it offline needs.
func assertSmall(t *testing.T, c api.ClusterResponse, p domain.ClusterPolicy, user string) {
	t.Helper()
	require.NotEmpty(t, c.Tasks)
	assert.LessOrEqual(t, len(c.Tasks), p.MaxOrders)
	for i, tc := range c.Tasks {
		units := 0
		for _, l := range tc.Task.Lines {
			units += l.Qty
		}
		if p.MaxLines > 0 {
			assert.LessOrEqual(t, len(tc.Task.Lines), p.MaxLines, tc.Task.ID)
		}
		if p.MaxUnits > 0 {
			assert.LessOrEqual(t, units, p.MaxUnits, tc.Task.ID)
		}
		assert.Equal(t, c.ID, tc.Task.Cluster)
		assert.Equal(t, i+1, tc.Task.Position)
		assert.Equal(t, user, tc.Task.UserID)
		assert.Equal(t, domain.TaskClaimed, tc.Task.Status)
		assertOffline(t, tc)
	}
}

func TestClaimClusterDemo(t *testing.T) {
	site := demoSite(t)
	require.NotNil(t, site.Cluster, "the demo site configures cluster picking")
	f := newFixture(t, site)

	c := f.claimCluster("u1001")
	assert.Equal(t, "CL-000001", c.ID)
	assert.Equal(t, []string{"T-SO-10013", "T-SO-10014", "T-SO-10015"}, taskIDs(c), "the demo's three small orders")
	assertSmall(t, c, *site.Cluster, "u1001")
	assert.Equal(t, "u1001", f.task("T-SO-10014").UserID, "the hub holds them for the user")

	again := f.claimCluster("u1001")
	assert.Equal(t, c, again, "a user holding a cluster gets it back")

	_, err := f.client.ClaimCluster(ctx(t), "u1002")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNoTask) // the other orders are too big
	_, err = f.client.ClaimTask(ctx(t), "u1001")
	requireAPIError(t, err, http.StatusConflict, api.CodeWorkHeld)
	single := f.claim("u1002")
	assert.Empty(t, single.Task.Cluster)
	_, err = f.client.ClaimCluster(ctx(t), "u1002")
	requireAPIError(t, err, http.StatusConflict, api.CodeWorkHeld)
	_, err = f.client.ClaimCluster(ctx(t), "nobody")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNotFound)
}

func TestClaimClusterHonoursThePolicy(t *testing.T) {
	site := demoSite(t)
	policy := domain.ClusterPolicy{MaxOrders: 2, MaxLines: 3, MaxUnits: 8}
	site.Cluster = &policy
	f := newFixture(t, site)

	// Small by this policy: SO-10009 (priority 1), SO-10001 (2), SO-10002 (3),
	// then SO-10013 to SO-10015 (5); SO-10003 and the others are too big.
	first := f.claimCluster("u1001")
	assert.Equal(t, []string{"T-SO-10009", "T-SO-10001"}, taskIDs(first), "most urgent first, max_orders at most")
	assertSmall(t, first, policy, "u1001")

	f.reopen() // the policy is the seeded site's, kept in the database
	second := f.claimCluster("u1002")
	assert.Equal(t, []string{"T-SO-10002", "T-SO-10013"}, taskIDs(second))
	assertSmall(t, second, policy, "u1002")
	assert.NotEqual(t, first.ID, second.ID)

	third := f.claimCluster("u1003")
	assert.Equal(t, []string{"T-SO-10014", "T-SO-10015"}, taskIDs(third))
	assert.Equal(t, third, f.claimCluster("u1003"))
}

func TestHeldClusterAfterProgress(t *testing.T) {
	f := newFixture(t, demoSite(t))
	c := f.claimCluster("u1001")
	require.Len(t, c.Tasks, 3)

	// Position 1 is picked and completed; position 2's order is cancelled;
	// position 3 is started.
	p1, p2, p3 := c.Tasks[0].Task, c.Tasks[1].Task, c.Tasks[2].Task
	r := f.send(
		f.ev("s1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: p1.ID, Tote: "T00101"}),
		f.ev("d1", domain.EventTaskCompleted, "u1001", domain.TaskCompleted{TaskID: p1.ID, Tote: "T00101"}),
		f.ev("s3", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: p3.ID, Tote: "T00103"}),
	)
	for _, x := range r {
		require.Equal(t, api.StatusApplied, x.Status, x.Message)
	}
	_, err := f.Admin().CancelOrder(ctx(t), p2.OrderID, "customer called")
	require.NoError(t, err)

	again := f.claimCluster("u1001")
	assert.Equal(t, c.ID, again.ID)
	require.Equal(t, []string{p3.ID}, taskIDs(again), "only the unfinished tasks")
	assert.Equal(t, 3, again.Tasks[0].Task.Position, "it keeps its cart position")
	assert.Equal(t, "T00103", again.Tasks[0].Task.Tote)
	assert.Equal(t, domain.TaskInProgress, again.Tasks[0].Task.Status)

	// Given to another user, the task leaves the cluster: theirs to pick on its own.
	_, err = f.Admin().ReassignTask(ctx(t), p3.ID, "u1002")
	require.NoError(t, err)
	got := f.claim("u1002")
	assert.Equal(t, p3.ID, got.Task.ID)
	assert.Empty(t, got.Task.Cluster)
	assert.Zero(t, got.Task.Position)
	_, err = f.client.ClaimCluster(ctx(t), "u1001")
	requireAPIError(t, err, http.StatusNotFound, api.CodeNoTask) // the cluster is over, no small order waits
}

func TestConcurrentClusterClaimsNeverShareATask(t *testing.T) {
	site := demoSite(t)
	site.Cluster = &domain.ClusterPolicy{MaxOrders: 2, MaxLines: 10}
	const users = 8
	for i := range users {
		site.Users = append(site.Users, domain.User{ID: fmt.Sprintf("p%d", i), Name: "Picker", Badge: fmt.Sprintf("U20%02d", i), Role: domain.RoleOperator})
	}
	f := newFixture(t, site)
	var wg sync.WaitGroup
	got := make([]api.ClusterResponse, users)
	errs := make([]error, users)
	for i := range users {
		wg.Go(func() { got[i], errs[i] = f.client.ClaimCluster(ctx(t), fmt.Sprintf("p%d", i)) })
	}
	wg.Wait()
	holders := map[string]string{}
	for i, c := range got {
		user := fmt.Sprintf("p%d", i)
		if errs[i] != nil {
			requireAPIError(t, errs[i], http.StatusNotFound, api.CodeNoTask)
			continue
		}
		for _, tc := range c.Tasks {
			prev, twice := holders[tc.Task.ID]
			assert.False(t, twice, "task %s given to %s and %s", tc.Task.ID, prev, user)
			holders[tc.Task.ID] = user
			assert.Equal(t, user, f.task(tc.Task.ID).UserID)
		}
	}
	assert.Len(t, holders, len(site.Orders), "every order is small here: %d users x 2 take all %d", users, len(site.Orders))
}

func TestSeedRejectsBadClusterPolicy(t *testing.T) {
	for _, p := range []domain.ClusterPolicy{
		{MaxOrders: 0, MaxLines: 3},
		{MaxOrders: domain.MaxClusterOrders + 1, MaxLines: 3},
		{MaxOrders: 4, MaxLines: -1, MaxUnits: 5},
		{MaxOrders: 4, MaxLines: 3, MaxUnits: domain.MaxClusterUnits + 1},
		{MaxOrders: 4}, // no limit at all: every order would be small
	} {
		st := hubtest.NewStore(t)
		site := demoSite(t)
		site.Cluster = &p
		assert.ErrorContains(t, st.Seed(t.Context(), site), "cluster:", "%+v", p)
	}
}
