package hub

import (
	"fmt"
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

// windowHub is a hub with one huge order line held by u1001 (in-process,
// so any device may pick it) and a device "gw" enrolled.
type windowHub struct {
	s    *Store
	path string
	task domain.Task
	seq  uint64
}

func newWindowHub(t *testing.T) *windowHub {
	t.Helper()
	site, err := demodata.Site()
	require.NoError(t, err)
	site.Orders = []domain.Order{{ID: "SO-W", Customer: "W", Priority: 1, Lines: []domain.OrderLine{{Line: 1, SKU: "HX-4411", Qty: 1 << 40}}}}
	h := &windowHub{path: backendtest.NewDatabase(t)}
	h.s = reopen(t, h.path)
	require.NoError(t, h.s.Seed(t.Context(), site))
	_, err = h.s.Register(t.Context(), api.RegisterRequest{DeviceID: "gw", EnrollKey: site.EnrollKey})
	require.NoError(t, err)
	c, err := h.s.Claim(t.Context(), "u1001")
	require.NoError(t, err)
	h.task = c.Task
	return h
}

// pick is the event of one unit of sku picked, under seq, with id
// "w-<seq>"; another SKU than the line's makes an event the hub rejects.
func (h *windowHub) pick(t *testing.T, seq uint64, sku string) domain.Event {
	t.Helper()
	ev, err := domain.NewDraft(domain.EventLinePicked, time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC), "u1001",
		domain.PickLine{TaskID: h.task.ID, Line: 1, SKU: sku, Picked: 1}).Seal("gw", seq, fmt.Sprintf("w-%d", seq))
	require.NoError(t, err)
	return ev
}

// next makes the next n picks of one unit.
func (h *windowHub) next(t *testing.T, n int) []domain.Event {
	evs := make([]domain.Event, n)
	for i := range evs {
		h.seq++
		evs[i] = h.pick(t, h.seq, "HX-4411")
	}
	return evs
}

func (h *windowHub) send(t *testing.T, evs ...domain.Event) []api.EventResult {
	t.Helper()
	res, err := h.s.Ingest(t.Context(), "gw", api.IngestRequest{DeviceID: "gw", Events: evs})
	require.NoError(t, err)
	require.Len(t, res.Results, len(evs))
	return res.Results
}

func (h *windowHub) picked(t *testing.T) int {
	t.Helper()
	task, err := h.s.Task(t.Context(), h.task.ID)
	require.NoError(t, err)
	return task.Lines[0].Picked
}

// windowSize counts the device's records in both window buckets.
func (h *windowHub) windowSize(t *testing.T) (outcomes, numbers int) {
	t.Helper()
	require.NoError(t, h.s.db.View(t.Context(), func(tx storage.Tx) error {
		p := []byte("gw\x00")
		err := tx.Bucket(bucketDedup).Scan(p, storage.PrefixEnd(p), func(_, _ []byte) error { outcomes++; return nil })
		if err != nil {
			return err
		}
		return tx.Bucket(bucketDedupSeq).Scan(p, storage.PrefixEnd(p), func(_, _ []byte) error { numbers++; return nil })
	}))
	return outcomes, numbers
}

// TestWindowAnswersEveryResendAndStaysBounded: a device sends three
// windows' worth of events; its stored outcomes never exceed the window;
// a resend of its last batch, of any event in the window, gets the
// recorded answers (a rejection stays a rejection, an application is a
// duplicate); an event older than the window sent again is answered
// duplicate and applied nowhere; a number reused within the window is
// rejected.
func TestWindowAnswersEveryResendAndStaysBounded(t *testing.T) {
	h := newWindowHub(t)
	var last []domain.Event
	for range 3 * DedupWindow / MaxBatchEvents {
		last = h.next(t, MaxBatchEvents-1)
		h.seq++
		last = append(last, h.pick(t, h.seq, "DR-5520")) // not the line's item: rejected
		res := h.send(t, last...)
		assert.Equal(t, api.StatusApplied, res[0].Status)
		assert.Equal(t, api.CodeUnknownItem, res[len(res)-1].Code)
		outcomes, numbers := h.windowSize(t)
		assert.LessOrEqual(t, outcomes, DedupWindow)
		assert.LessOrEqual(t, numbers, DedupWindow)
	}
	picked := h.picked(t)
	assert.Equal(t, 3*(MaxBatchEvents-1), picked)

	again := h.send(t, last...) // the response was lost: the same batch again
	for i, r := range again[:len(again)-1] {
		require.Equal(t, api.StatusDuplicate, r.Status, "event %d", i)
	}
	assert.Equal(t, api.StatusRejected, again[len(again)-1].Status)
	assert.Equal(t, api.CodeUnknownItem, again[len(again)-1].Code, "the recorded rejection, not a new look")

	ancient := h.send(t, h.pick(t, 5, "HX-4411"))
	assert.Equal(t, api.StatusDuplicate, ancient[0].Status)
	assert.Contains(t, ancient[0].Message, "long ago")

	reused := h.pick(t, h.seq-10, "HX-4411")
	reused.ID = "w-new"
	res := h.send(t, reused)
	assert.Equal(t, api.StatusRejected, res[0].Status)
	assert.Equal(t, api.CodeBadRequest, res[0].Code)

	assert.Equal(t, picked, h.picked(t), "nothing applied twice")
	log, err := h.s.DeviceLog(t.Context(), "gw")
	require.NoError(t, err)
	require.Len(t, log, DedupWindow)
	for i, e := range log {
		require.Equal(t, h.seq-DedupWindow+uint64(i)+1, e.Seq)
		require.Equal(t, fmt.Sprintf("w-%d", e.Seq), e.ID)
	}
	n, err := h.s.LastSeq(t.Context(), "gw")
	require.NoError(t, err)
	assert.Equal(t, h.seq, n)
}

// TestUpgradeKeepsTheWindowOfAnOlderFile: a file of schema version 2 kept
// every outcome forever; the upgrade copies each device's last window of
// them, so a resend within it still gets its recorded answer.
func TestUpgradeKeepsTheWindowOfAnOlderFile(t *testing.T) {
	h := newWindowHub(t)
	const taken = DedupWindow + 500
	evs := make([]domain.Event, 0, taken)
	require.NoError(t, h.s.db.Update(t.Context(), func(tx storage.Tx) error {
		for seq := uint64(1); seq <= taken; seq++ {
			ev := h.pick(t, seq, "HX-4411")
			evs = append(evs, ev)
			res := api.EventResult{ID: ev.ID, Seq: seq, Status: api.StatusApplied}
			if seq == taken {
				res = api.EventResult{ID: ev.ID, Seq: seq, Status: api.StatusRejected, Code: api.CodeOverQuantity, Message: "too many"}
			}
			if err := putJSON(tx.Bucket(bucketEventsV2), string(eventKey("gw", ev.ID)), res); err != nil {
				return err
			}
			if err := tx.Bucket(bucketEventDigestsV2).Put(eventKey("gw", ev.ID), eventDigest(ev)); err != nil {
				return err
			}
			k := append([]byte("gw\x00"), seqKey(seq)...)
			if err := tx.Bucket(bucketSeqLogV2).Put(k, []byte(ev.ID)); err != nil {
				return err
			}
		}
		dev, err := mustGet[deviceRecord](tx.Bucket(bucketDevices), "device", "gw")
		if err != nil {
			return err
		}
		dev.LastSeq = taken
		if err := putJSON(tx.Bucket(bucketDevices), "gw", dev); err != nil {
			return err
		}
		if err := clearBuckets(tx, []string{bucketDedup, bucketDedupSeq}); err != nil {
			return err
		}
		return setSchemaVersion(tx, 2)
	}))
	require.NoError(t, h.s.Close())
	var err error
	h.s = reopen(t, h.path)
	outcomes, numbers := h.windowSize(t)
	assert.Equal(t, DedupWindow, outcomes)
	assert.Equal(t, DedupWindow, numbers)
	res := h.send(t, evs[taken-3:]...)
	assert.Equal(t, []string{api.StatusDuplicate, api.StatusDuplicate, api.StatusRejected},
		[]string{res[0].Status, res[1].Status, res[2].Status})
	assert.Equal(t, "too many", res[2].Message)
	assert.Equal(t, 0, h.picked(t), "nothing applied")

	rep, err := h.s.Maintain(t.Context(), time.Now())
	require.NoError(t, err)
	assert.Equal(t, 3*taken, rep.Old, "the buckets of version 2 are emptied")
	require.NoError(t, h.s.db.View(t.Context(), func(tx storage.Tx) error {
		for _, b := range []string{bucketEventsV2, bucketEventDigestsV2, bucketSeqLogV2} {
			k, _, err := tx.Bucket(b).Last(nil)
			if err != nil {
				return err
			}
			assert.Nil(t, k, b)
		}
		return nil
	}))
}
