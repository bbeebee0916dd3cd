package hub

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/hub/storage"
)

// TestGroupWriteIsolatesAFailingBatch: a batch that fails half way (a
// damaged task record) rolls its group back; the other batches of the group
// are then written alone, applied exactly once, and the failing one gets
// its error.
func TestGroupWriteIsolatesAFailingBatch(t *testing.T) {
	site, err := demodata.Site()
	require.NoError(t, err)
	s := New(backendtest.Open(t, backendtest.NewDatabase(t)))
	defer s.Close()
	require.NoError(t, s.Seed(t.Context(), site))
	for _, d := range []string{"ga", "gb", "gc"} {
		_, err := s.Register(t.Context(), api.RegisterRequest{DeviceID: d, EnrollKey: site.EnrollKey})
		require.NoError(t, err)
	}
	good, err := s.Claim(t.Context(), "u1001")
	require.NoError(t, err)
	require.NoError(t, s.db.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Bucket(bucketTasks).Put([]byte("T-DAMAGED"), []byte("{not json"))
	}))
	l := good.Task.Lines[0]
	ev := func(device string, seq uint64, id, task string) domain.Event {
		e, err := domain.NewDraft(domain.EventLinePicked, time.Now(), "u1001",
			domain.PickLine{TaskID: task, Line: l.Line, SKU: l.SKU, Picked: 1}).Seal(device, seq, id)
		require.NoError(t, err)
		return e
	}
	job := func(device string, evs ...domain.Event) ingestJob {
		return ingestJob{device: device, req: api.IngestRequest{DeviceID: device, Events: evs}}
	}
	_, outs := s.group.write([]ingestJob{
		job("ga", ev("ga", 1, "a1", good.Task.ID)),
		job("gb", ev("gb", 1, "b1", good.Task.ID), ev("gb", 2, "b2", "T-DAMAGED")),
		job("gc", ev("gc", 1, "c1", good.Task.ID)),
		job("ghost", ev("ghost", 1, "g1", good.Task.ID)),
	}, false)
	require.NoError(t, outs[0].err)
	assert.Equal(t, api.StatusApplied, outs[0].resp.Results[0].Status)
	require.Error(t, outs[1].err)
	assert.Contains(t, outs[1].err.Error(), "T-DAMAGED")
	require.NoError(t, outs[2].err)
	assert.Equal(t, api.StatusApplied, outs[2].resp.Results[0].Status)
	unreg := APIError(outs[3].err)
	require.NotNil(t, unreg)
	assert.Equal(t, api.CodeDeviceNotEnrolled, unreg.Code)

	task, err := s.Task(t.Context(), good.Task.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, task.Lines[0].Picked, "a1 and c1 once each; nothing of gb's batch")
	log, err := s.DeviceLog(t.Context(), "gb")
	require.NoError(t, err)
	assert.Empty(t, log)
}

// TestGroupBounds: a group takes waiting batches only while it has applied
// fewer than its events bound and for less than its time budget; the rest
// wait for the next transaction, and every batch is applied once.
func TestGroupBounds(t *testing.T) {
	site, err := demodata.Site()
	require.NoError(t, err)
	s, err := Open(filepath.Join(t.TempDir(), "hub.db"))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Seed(t.Context(), site))
	_, err = s.Register(t.Context(), api.RegisterRequest{DeviceID: "gb", EnrollKey: site.EnrollKey})
	require.NoError(t, err)
	claim, err := s.Claim(t.Context(), "u1001")
	require.NoError(t, err)
	l := claim.Task.Lines[0]
	var seq uint64
	job := func() ingestJob {
		seq++
		e, err := domain.NewDraft(domain.EventLinePicked, time.Now(), "u1001",
			domain.PickLine{TaskID: claim.Task.ID, Line: l.Line, SKU: l.SKU, Picked: 1}).Seal("gb", seq, fmt.Sprintf("b%d", seq))
		require.NoError(t, err)
		return ingestJob{device: "gb", req: api.IngestRequest{DeviceID: "gb", Events: []domain.Event{e}}}
	}
	g := &groupCommit{db: s.db.schemaDB, jobs: make(chan ingestJob, 8), maxEvents: 3, budget: time.Hour}
	first := job()
	for range 4 {
		g.jobs <- job()
	}
	group, outs := g.write([]ingestJob{first}, true)
	assert.Len(t, group, 3, "three events: the events bound")
	g.budget = 0
	group2, outs2 := g.write([]ingestJob{<-g.jobs}, true)
	assert.Len(t, group2, 1, "no time left: the first batch alone")
	for _, out := range append(outs, outs2...) {
		require.NoError(t, out.err)
		assert.Equal(t, api.StatusApplied, out.resp.Results[0].Status)
	}
	assert.Len(t, g.jobs, 1, "one batch waits for the next transaction")
	task, err := s.Task(t.Context(), claim.Task.ID)
	require.NoError(t, err)
	assert.Equal(t, 4, task.Lines[0].Picked)
}
