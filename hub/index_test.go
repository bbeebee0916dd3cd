package hub

import (
	"fmt"
	"math/rand/v2"
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

// mixedHub is a demo hub with a device, for the index tests.
func mixedHub(t *testing.T) (*Store, string, domain.Site) {
	t.Helper()
	site, err := demodata.Site()
	require.NoError(t, err)
	path := backendtest.NewDatabase(t)
	s := reopen(t, path)
	require.NoError(t, s.Seed(t.Context(), site))
	_, err = s.Register(t.Context(), api.RegisterRequest{DeviceID: "gun-ix", EnrollKey: site.EnrollKey})
	require.NoError(t, err)
	return s, path, site
}

// mixedOps runs n random operations of every kind that writes a task, an
// order, a count task, a tote or a backorder: claims and cluster claims,
// tote scans, picks and shorts, completions, cancellations, reassignments,
// priority changes, count tasks claimed and counted. Refusals are part of
// the mix; only an error that is no domain rule fails the test.
func mixedOps(t *testing.T, s *Store, n int) {
	t.Helper()
	ctx := t.Context()
	rnd := rand.New(rand.NewPCG(16, 16))
	users := []string{"u1001", "u1002", "u1003"}
	var seq uint64
	send := func(typ domain.EventType, user string, payload any) {
		seq++
		ev, err := domain.NewDraft(typ, time.Now(), user, payload).Seal("gun-ix", seq, fmt.Sprintf("ix-%d", seq))
		require.NoError(t, err)
		res, err := s.Ingest(ctx, "gun-ix", api.IngestRequest{DeviceID: "gun-ix", Events: []domain.Event{ev}})
		require.NoError(t, err)
		require.NotEqual(t, api.StatusDeferred, res.Results[0].Status)
	}
	domainErr := func(err error) {
		t.Helper()
		if err != nil {
			require.NotZero(t, kindOf(err), "%v", err)
		}
	}
	for i := range n {
		user := users[rnd.IntN(len(users))]
		switch op := rnd.IntN(10); op {
		case 0, 1:
			_, err := s.Claim(ctx, user)
			domainErr(err)
		case 2:
			_, err := s.ClaimCluster(ctx, user)
			domainErr(err)
		case 3, 4, 5:
			c, err := s.Claim(ctx, user)
			if err != nil {
				domainErr(err)
				continue
			}
			l := c.Task.Lines[rnd.IntN(len(c.Task.Lines))]
			tote := fmt.Sprintf("T%05d", rnd.IntN(6))
			switch rnd.IntN(4) {
			case 0:
				send(domain.EventTaskStarted, user, domain.TaskStarted{TaskID: c.Task.ID, Tote: tote})
			case 1:
				send(domain.EventLinePicked, user, domain.PickLine{TaskID: c.Task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: tote, Picked: 1})
			case 2:
				send(domain.EventLineShorted, user, domain.PickLine{TaskID: c.Task.ID, Line: l.Line, SKU: l.SKU, Location: l.Location, Tote: tote, Short: 1, Reason: domain.ShortReasons()[0]})
			case 3:
				send(domain.EventTaskCompleted, user, domain.TaskCompleted{TaskID: c.Task.ID, Tote: tote})
			}
		case 6:
			if rnd.IntN(4) > 0 {
				continue // cancel less often: the mix needs live work
			}
			o := fmt.Sprintf("SO-%d", 10001+rnd.IntN(16))
			_, err := s.CancelOrder(ctx, o, "test")
			domainErr(err)
		case 7:
			tasks, err := s.Tasks(ctx)
			require.NoError(t, err)
			to := []string{"", user}[rnd.IntN(2)]
			_, err = s.ReassignTask(ctx, tasks[rnd.IntN(len(tasks))].ID, to)
			domainErr(err)
		case 8:
			o := fmt.Sprintf("SO-%d", 10001+rnd.IntN(16))
			_, err := s.SetOrderPriority(ctx, o, rnd.IntN(7)-3)
			domainErr(err)
		case 9:
			if rnd.IntN(2) == 0 {
				locs, err := s.Locations(ctx)
				require.NoError(t, err)
				_, err = s.CreateCounts(ctx, "gun-ix", api.CreateCountsRequest{UserID: "u1003", By: domain.CountByLocations,
					Locations: []string{locs[rnd.IntN(len(locs))].Code}}, time.Now())
				domainErr(err)
				continue
			}
			c, err := s.ClaimCount(ctx, user)
			if err != nil {
				domainErr(err)
				continue
			}
			loc := c.Task.Locations[len(c.Task.Counted)]
			send(domain.EventCountSubmitted, user, domain.CountSubmitted{TaskID: c.Task.ID, Location: loc, Empty: true})
		}
		if i%50 == 49 {
			require.NoError(t, s.CheckIndexes(ctx), "after %d operations", i+1)
		}
	}
	require.NoError(t, s.CheckIndexes(ctx))
}

// TestIndexesFollowMixedWrites: every index equals the one rebuilt from the
// records throughout a long run of mixed operations.
func TestIndexesFollowMixedWrites(t *testing.T) {
	s, _, _ := mixedHub(t)
	mixedOps(t, s, 600)
	tasks, err := s.Tasks(t.Context())
	require.NoError(t, err)
	statuses := map[domain.TaskStatus]int{}
	for _, tk := range tasks {
		statuses[tk.Status]++
	}
	t.Logf("tasks by status after the run: %v", statuses)
	assert.Positive(t, statuses[domain.TaskDone]+statuses[domain.TaskCancelled], "the run finished some work")
}

// TestCheckIndexesFindsAForgottenEntry: a task written without its index
// entries (a write path that forgot them) fails the check.
func TestCheckIndexesFindsAForgottenEntry(t *testing.T) {
	s, _, _ := mixedHub(t)
	require.NoError(t, s.CheckIndexes(t.Context()))
	require.NoError(t, s.db.Update(t.Context(), func(tx storage.Tx) error {
		task, err := mustGet[domain.Task](tx.Bucket(bucketTasks), "task", "T-SO-10001")
		if err != nil {
			return err
		}
		task.Status, task.UserID = domain.TaskClaimed, "u1001"
		return putJSON(tx.Bucket(bucketTasks), task.ID, task)
	}))
	err := s.CheckIndexes(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "index ix_")
}

// TestOpenBuildsTheIndexesOfAnOlderFile: a hub file written before the
// indexes (no schema version, no index buckets) gets them built when it is
// opened, and claims from them.
func TestOpenBuildsTheIndexesOfAnOlderFile(t *testing.T) {
	s, path, _ := mixedHub(t)
	mixedOps(t, s, 200)
	want, err := s.Tasks(t.Context())
	require.NoError(t, err)
	require.NoError(t, s.db.Update(t.Context(), func(tx storage.Tx) error {
		if err := tx.Bucket(bucketMeta).Delete([]byte(metaSchema)); err != nil {
			return err
		}
		return clearBuckets(tx, append(indexBuckets(), bucketFinished)) // what a file of version 0 lacks
	}))
	require.NoError(t, s.Close())

	s = reopen(t, path)
	require.NoError(t, s.CheckIndexes(t.Context()))
	require.NoError(t, s.db.View(t.Context(), func(tx storage.Tx) error {
		v, err := schemaVersion(tx)
		assert.Equal(t, len(upgrades()), v)
		return err
	}))
	got, err := s.Tasks(t.Context())
	require.NoError(t, err)
	assert.Equal(t, want, got, "the records are as they were")
	_, err = s.Claim(t.Context(), "u1002")
	if err != nil {
		assert.Equal(t, api.CodeNoTask, APIError(err).Code)
	}
	require.NoError(t, s.CheckIndexes(t.Context()))
}

// clearBuckets deletes every key of the buckets.
func clearBuckets(tx storage.Tx, names []string) error {
	for _, name := range names {
		var keys [][]byte
		err := tx.Bucket(name).Scan(nil, nil, func(k, _ []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Bucket(name).Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestUpgradeKeepsPicksOfAnOlderFile: the picks of a file of schema version
// 1 (one record per order) read the same after the upgrade to a record per
// line and per serial, and the old records are gone.
func TestUpgradeKeepsPicksOfAnOlderFile(t *testing.T) {
	s, path, _ := mixedHub(t)
	old := []domain.PickLine{
		{TaskID: "T-SO-10001", Line: 1, SKU: "HX-4411", Location: "A-01-01", Tote: "T00001", Picked: 2, Lots: []domain.LotQty{{Lot: "L1", Qty: 2}}},
		{TaskID: "T-SO-10001", Line: 2, SKU: "DR-5520", Location: "B-01-01", Tote: "T00001", Picked: 3, Serials: []string{"S3", "S1", "S2"}},
	}
	require.NoError(t, s.db.Update(t.Context(), func(tx storage.Tx) error {
		if err := putJSON(tx.Bucket(bucketPicksV1), "SO-10001", old); err != nil {
			return err
		}
		return setSchemaVersion(tx, 1)
	}))
	require.NoError(t, s.Close())
	s = reopen(t, path)
	work, err := s.PackWork(t.Context(), "", "SO-10001")
	require.NoError(t, err)
	assert.Equal(t, old, work.Picked)
	require.NoError(t, s.db.View(t.Context(), func(tx storage.Tx) error {
		k, _, err := tx.Bucket(bucketPicksV1).Last(nil)
		assert.Nil(t, k, "the records of version 1 are gone")
		return err
	}))
}

// reopen runs a hub over the database db (from backendtest.NewDatabase) on
// the store the tests run on, closed when t ends.
func reopen(t *testing.T, db string) *Store {
	t.Helper()
	s := New(backendtest.Open(t, db), WithPINCost(bcrypt.MinCost))
	t.Cleanup(func() { s.Close() })
	return s
}
