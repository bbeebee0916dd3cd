package hub_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
)

func statusesOf(rs []api.EventResult) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Status)
	}
	return out
}

// TestIngestGap: an event past a missing sequence number is deferred with the
// rest of its batch, and the answer says where to resend from; once the
// missing event arrives, all are taken in order.
func TestIngestGap(t *testing.T) {
	f := newFixture(t, demoSite(t))
	f.claim("u1001")
	e1 := f.ev("g1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00001"})
	e2 := f.ev("g2", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 1))
	e3 := f.ev("g3", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 1))
	e4 := f.ev("g4", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 1))

	res, err := f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{e1, e3, e4}})
	require.NoError(t, err)
	assert.Equal(t, []string{api.StatusApplied, api.StatusDeferred, api.StatusDeferred}, statusesOf(res.Results))
	assert.Equal(t, uint64(2), res.NextSeq)
	assert.Equal(t, 0, f.task(task3).Lines[0].Picked, "nothing past the gap is applied")

	res, err = f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{e1, e2, e3, e4}})
	require.NoError(t, err)
	assert.Equal(t, []string{api.StatusDuplicate, api.StatusApplied, api.StatusApplied, api.StatusApplied}, statusesOf(res.Results))
	assert.Equal(t, uint64(5), res.NextSeq)
	assert.Equal(t, 3, f.task(task3).Lines[0].Picked)

	// A new event reusing a number already taken is refused, and remembered.
	reuse := sealed(t, testDevice, 3, "g-other", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 1))
	r := f.send(reuse)[0]
	assert.Equal(t, api.StatusRejected, r.Status)
	assert.Equal(t, api.CodeBadRequest, r.Code)
	assert.Equal(t, 3, f.task(task3).Lines[0].Picked)

	log, err := f.store.DeviceLog(t.Context(), testDevice)
	require.NoError(t, err)
	assert.Equal(t, []hub.TakenEvent{{Seq: 1, ID: "g1"}, {Seq: 2, ID: "g2"}, {Seq: 3, ID: "g3"}, {Seq: 4, ID: "g4"}}, log)

	// The hub lost events the device saw settled: the device says so and the hub takes up from there.
	e9 := sealed(t, testDevice, 9, "g9", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 1))
	res, err = f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{e9}})
	require.NoError(t, err)
	assert.Equal(t, api.StatusDeferred, res.Results[0].Status)
	res, err = f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{e9}, ResumeFrom: 9})
	require.NoError(t, err)
	assert.Equal(t, api.StatusApplied, res.Results[0].Status)
	assert.Equal(t, uint64(10), res.NextSeq)
	res, err = f.client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, ResumeFrom: 2})
	require.NoError(t, err)
	assert.Equal(t, uint64(10), res.NextSeq, "resume_from never moves back")

	// Registering again (a device whose store was lost) starts a new sequence.
	f.token = f.Register(testDevice)
	f.refresh()
	fresh := sealed(t, testDevice, 1, "g-new-1", domain.EventLinePicked, "u1001", pick(5, "MK-0100", 1))
	assert.Equal(t, api.StatusApplied, f.send(fresh)[0].Status)
}

// TestGroupCommit: many devices sending at once each get their own answers,
// every event is applied once, and a batch from an unregistered device fails
// alone without disturbing the batches it shared a transaction with.
func TestGroupCommit(t *testing.T) {
	site := demoSite(t)
	site.Orders = []domain.Order{{ID: "SO-G", Customer: "G", Priority: 1, Status: domain.OrderOpen,
		Lines: []domain.OrderLine{{Line: 1, SKU: "HX-4411", Qty: 1 << 30}}}}
	f := newFixture(t, site)
	claim, err := f.store.Claim(t.Context(), "u1001") // in-process: held through no device, so every device may send for it
	require.NoError(t, err)
	const devices, batches, per = 12, 10, 20
	payload := domain.PickLine{TaskID: claim.Task.ID, Line: 1, SKU: "HX-4411", Tote: "T00001", Picked: 1}
	var wg sync.WaitGroup
	errs := make(chan error, devices*batches+batches)
	for d := range devices {
		dev := fmt.Sprintf("gc-%02d", d)
		f.Register(dev)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var seq uint64
			for range batches {
				req := api.IngestRequest{DeviceID: dev}
				for range per {
					seq++
					req.Events = append(req.Events, sealed(t, dev, seq, fmt.Sprintf("%s-%d", dev, seq), domain.EventLinePicked, "u1001", payload))
				}
				res, err := f.store.Ingest(t.Context(), dev, req)
				if err == nil && (len(res.Results) != per || res.Results[per-1].Status != api.StatusApplied || res.NextSeq != seq+1) {
					err = fmt.Errorf("%s: answer %+v", dev, res)
				}
				errs <- err
			}
		}()
	}
	wg.Add(1)
	go func() { // a device the hub never enrolled, interleaved with the others
		defer wg.Done()
		for i := range batches {
			ev := sealed(t, "ghost", uint64(i+1), fmt.Sprintf("ghost-%d", i), domain.EventLinePicked, "u1001", payload)
			_, err := f.store.Ingest(t.Context(), "ghost", api.IngestRequest{DeviceID: "ghost", Events: []domain.Event{ev}})
			if err == nil {
				err = fmt.Errorf("ghost batch %d accepted", i)
			} else {
				err = nil
			}
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, devices*batches*per, f.task(claim.Task.ID).Lines[0].Picked, "every event applied exactly once")
	for d := range devices {
		log, err := f.store.DeviceLog(t.Context(), fmt.Sprintf("gc-%02d", d))
		require.NoError(t, err)
		require.Len(t, log, batches*per)
		for i, e := range log {
			require.Equal(t, uint64(i+1), e.Seq)
		}
	}
}
