package hub

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/hub/storage"
)

// conflictingDB is a real store whose every Update first runs its
// function in a transaction that is then rolled back, as a backend does
// after a serialization failure, and then runs it again for real.
type conflictingDB struct {
	storage.DB
	runs int
}

var errRolledBack = errors.New("rolled back as a conflict would")

func (d *conflictingDB) Update(ctx context.Context, fn func(storage.Tx) error) error {
	d.runs++
	err := d.DB.Update(ctx, func(tx storage.Tx) error {
		_ = fn(tx) // its outcome is thrown away with the transaction
		return errRolledBack
	})
	if !errors.Is(err, errRolledBack) {
		return err
	}
	return d.DB.Update(ctx, fn)
}

// TestUpdatesMayRunTwice: every Store call that writes gives the same
// answer, and writes the same, when its transaction's function runs twice
// (storage.DB.Update's contract): nothing a function collects outlives a run.
func TestUpdatesMayRunTwice(t *testing.T) {
	ctx := t.Context()
	db := &conflictingDB{DB: backendtest.Open(t, backendtest.NewDatabase(t))}
	s := New(db, WithPINCost(bcrypt.MinCost))
	defer s.Close()
	site, err := demodata.Site()
	require.NoError(t, err)
	require.NoError(t, s.Seed(ctx, site))
	_, err = s.Register(ctx, api.RegisterRequest{DeviceID: "gun-01", EnrollKey: site.EnrollKey})
	require.NoError(t, err)

	claim, err := s.ClaimThrough(ctx, "gun-01", "u1001")
	require.NoError(t, err)
	l := claim.Task.Lines[0]
	evs := []domain.Event{}
	for i, d := range []domain.Draft{
		domain.NewDraft(domain.EventTaskStarted, time.Now(), "u1001", domain.TaskStarted{TaskID: claim.Task.ID, Tote: "T00001"}),
		domain.NewDraft(domain.EventLinePicked, time.Now(), "u1001", domain.PickLine{TaskID: claim.Task.ID, Line: l.Line, SKU: l.SKU, Picked: 1}),
	} {
		ev, err := d.Seal("gun-01", uint64(i+1), fmt.Sprintf("e%d", i+1))
		require.NoError(t, err)
		evs = append(evs, ev)
	}
	res, err := s.Ingest(ctx, "gun-01", api.IngestRequest{DeviceID: "gun-01", Events: evs})
	require.NoError(t, err)
	require.Len(t, res.Results, 2)
	for _, r := range res.Results {
		assert.Equal(t, api.StatusApplied, r.Status, r.Message)
	}
	task, err := s.Task(ctx, claim.Task.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, task.Lines[0].Picked, "picked once")
	log, err := s.DeviceLog(ctx, "gun-01")
	require.NoError(t, err)
	assert.Len(t, log, 2)

	counts, err := s.CreateCounts(ctx, "gun-01", api.CreateCountsRequest{UserID: "u1003", By: domain.CountByLocations, Locations: []string{l.Location}}, time.Now())
	require.NoError(t, err)
	assert.Len(t, counts.Tasks, 1, "one task, not one per run")
	class, err := s.SetItemClass(ctx, api.ClassRequest{UserID: "u1003", SKU: l.SKU, Class: domain.ClassA}, time.Now())
	require.NoError(t, err)
	assert.Equal(t, api.ItemClass{SKU: l.SKU, Class: domain.ClassA, Manual: true, Picked: 1}, class)
	block, err := s.ReserveSSCCs(ctx, "gun-01", 5, time.Now())
	require.NoError(t, err)
	assert.Equal(t, uint64(1), block.First, "the rolled-back run reserved nothing")
	order, err := s.CancelOrder(ctx, claim.Order.ID, "test")
	require.NoError(t, err)
	assert.Equal(t, domain.OrderCancelled, order.Status)
	changes, err := s.Changes(ctx, 0, 10)
	require.NoError(t, err)
	require.Len(t, changes.Changes, 1)
	assert.Equal(t, uint64(1), changes.Changes[0].Seq, "sequences taken in a rolled-back run are given again")
	assert.Greater(t, db.runs, 5)
}
