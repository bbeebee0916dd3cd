package hub_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// TestChangesFeed: cancelling an order and reassigning a task are final for
// the events that come after them, and the feed lists both, in order, by
// pages after a cursor.
func TestChangesFeed(t *testing.T) {
	f := newFixture(t, demoSite(t))
	c3 := f.claim("u1001") // T-SO-10003
	c4 := f.claim("u1002") // T-SO-10004
	start := f.ev("s1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: c3.Task.ID, Tote: "T00001"})
	require.Equal(t, api.StatusApplied, f.send(start)[0].Status)

	o, err := f.admin().CancelOrder(ctx(t), c3.Order.ID, "customer called")
	require.NoError(t, err)
	assert.Equal(t, domain.OrderCancelled, o.Status)
	assert.Equal(t, domain.TaskCancelled, f.task(c3.Task.ID).Status)
	_, err = f.admin().CancelOrder(ctx(t), c3.Order.ID, "again")
	require.NoError(t, err, "cancelling twice is harmless")
	tk, err := f.admin().ReassignTask(ctx(t), c4.Task.ID, "u1003")
	require.NoError(t, err)
	assert.Equal(t, "u1003", tk.UserID)
	_, err = f.admin().ReassignTask(ctx(t), c3.Task.ID, "u1003")
	requireAPIError(t, err, http.StatusConflict, api.CodeConflict)
	_, err = f.admin().SetOrderPriority(ctx(t), c4.Order.ID, 7)
	require.NoError(t, err)

	l := c3.Task.Lines[0]
	r := f.send(f.ev("s2", domain.EventLinePicked, "u1001", domain.PickLine{TaskID: c3.Task.ID, Line: l.Line, SKU: l.SKU, Picked: 1}))[0]
	assert.Equal(t, api.CodeOrderCancelled, r.Code)
	r = f.send(f.ev("s3", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: c4.Task.ID, Tote: "T00002"}))[0]
	assert.Equal(t, api.CodeTaskNotHeld, r.Code)
	r = f.send(f.ev("s4", domain.EventTaskStarted, "u1003", domain.TaskStarted{TaskID: c4.Task.ID, Tote: "T00002"}))[0]
	assert.Equal(t, api.StatusApplied, r.Status, r.Message)

	all, err := f.client.Changes(ctx(t), 0, 0)
	require.NoError(t, err)
	require.Len(t, all.Changes, 3)
	assert.False(t, all.More)
	assert.Equal(t, api.Change{Seq: 1, Kind: api.ChangeOrderCancelled, TaskID: c3.Task.ID, OrderID: c3.Order.ID, UserID: "u1001", Reason: "customer called", At: all.Changes[0].At}, all.Changes[0])
	assert.Equal(t, api.Change{Seq: 2, Kind: api.ChangeTaskReassigned, TaskID: c4.Task.ID, OrderID: c4.Order.ID, UserID: "u1003", PreviousUserID: "u1002", At: all.Changes[1].At}, all.Changes[1])
	assert.Equal(t, api.ChangePriorityChanged, all.Changes[2].Kind)
	assert.Equal(t, 7, all.Changes[2].Priority)
	assert.Equal(t, uint64(3), all.Cursor)

	page, err := f.client.Changes(ctx(t), 0, 2)
	require.NoError(t, err)
	assert.Len(t, page.Changes, 2)
	assert.True(t, page.More)
	page, err = f.client.Changes(ctx(t), page.Cursor, 2)
	require.NoError(t, err)
	assert.Equal(t, all.Changes[2:], page.Changes)
	assert.False(t, page.More)
	page, err = f.client.Changes(ctx(t), page.Cursor, 2)
	require.NoError(t, err)
	assert.Empty(t, page.Changes)
	assert.Equal(t, uint64(3), page.Cursor, "an empty page keeps the cursor")

	// Back to the pool: the next claim gets it.
	_, err = f.admin().ReassignTask(ctx(t), c4.Task.ID, "")
	require.NoError(t, err)
	assert.Equal(t, domain.TaskOpen, f.task(c4.Task.ID).Status)
}
