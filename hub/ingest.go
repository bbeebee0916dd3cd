package hub

import (
	"context"
	"errors"
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Limits on one ingest batch.
const (
	// MaxBatchEvents is the most events one IngestRequest may carry.
	MaxBatchEvents = 1000
	maxEventIDLen  = 128
)

// Ingest applies a batch of events from the authenticated device, each exactly
// once and in the device's sequence order. Batches from many devices arriving
// together share one transaction (one fsync; see groupCommit). The answer has
// one result per event, in order:
//
//   - applied: the effect is recorded now;
//   - duplicate: the event was applied before, nothing changed;
//   - rejected: a business rule refused it (code and message say which);
//   - deferred: an earlier sequence number is missing (a gap), so this event
//     and the rest of the batch were not looked at; the device resends from
//     the response's NextSeq.
//
// The outcome of every event with an id is stored with its effect under
// (device, event id) for the device's last DedupWindow sequence numbers, so
// a repeat of a rejected event gets the same rejection; a late copy of an
// event older than that is answered duplicate (see dedup.go). A batch naming another device than deviceID is refused whole with
// an *Error (KindForbidden, code forbidden); a malformed batch with
// KindInvalid, code bad_request.
func (s *Store) Ingest(ctx context.Context, deviceID string, req api.IngestRequest) (api.IngestResponse, error) {
	if err := checkBatch(deviceID, req); err != nil {
		return api.IngestResponse{}, err
	}
	preps, err := s.prepareBatch(ctx, req)
	if err != nil {
		return api.IngestResponse{}, err
	}
	return s.group.submit(ctx, ingestJob{device: deviceID, req: req, preps: preps})
}

func checkBatch(deviceID string, req api.IngestRequest) error {
	if req.DeviceID != deviceID {
		return forbidden("batch is for device %q but the token is device %q's", req.DeviceID, deviceID)
	}
	if err := checkResumeFrom(req); err != nil {
		return err
	}
	if len(req.Events) > MaxBatchEvents {
		return badRequest("%d events in one batch; at most %d", len(req.Events), MaxBatchEvents)
	}
	for _, ev := range req.Events {
		if ev.DeviceID != deviceID {
			return forbidden("event %q is from device %q, not %q", ev.ID, ev.DeviceID, deviceID)
		}
	}
	return nil
}

// ingestTx applies one batch inside tx, its events prepared as preps (nil:
// prepared here). An unregistered device is refused before anything is
// written.
func ingestTx(tx storage.Tx, deviceID string, req api.IngestRequest, preps []prepared) (api.IngestResponse, error) {
	devices := tx.Bucket(bucketDevices)
	dev, err := mustGet[deviceRecord](devices, "device", deviceID)
	if err != nil {
		return api.IngestResponse{}, errUnregistered(deviceID)
	}
	if preps, err = preparedFor(tx, req, preps); err != nil {
		return api.IngestResponse{}, err
	}
	if err := prefetchDedup(tx, req); err != nil {
		return api.IngestResponse{}, err
	}
	if req.ResumeFrom > dev.LastSeq+1 {
		// The device no longer holds what the hub is missing: take up from there.
		dev.LastSeq = req.ResumeFrom - 1
	}
	results := make([]api.EventResult, len(req.Events))
	for i, ev := range req.Events {
		if results[i], err = ingestInOrder(tx, &dev, ev, preps[i]); err != nil {
			return api.IngestResponse{}, fmt.Errorf("event %s (seq %d): %w", ev.ID, ev.Seq, err)
		}
		if results[i].Status == api.StatusDeferred {
			for j := i + 1; j < len(req.Events); j++ {
				results[j] = api.EventResult{ID: req.Events[j].ID, Seq: req.Events[j].Seq, Status: api.StatusDeferred}
			}
			break
		}
	}
	if err := putJSON(devices, deviceID, dev); err != nil {
		return api.IngestResponse{}, err
	}
	if err := pruneWindow(tx, deviceID, dev.LastSeq); err != nil {
		return api.IngestResponse{}, err
	}
	return api.IngestResponse{Results: results, NextSeq: dev.LastSeq + 1}, nil
}

func errUnregistered(deviceID string) error {
	return unauthorized(api.CodeDeviceNotEnrolled, "device %q is not enrolled", deviceID)
}

// ingestInOrder takes one event if it is the next in the device's sequence:
// an event seen before (within the window, see dedup.go) gets its recorded
// answer; one past a gap is deferred; one below the window is a late copy
// of an event taken long ago, answered duplicate; one reusing a number the
// window holds for another event is rejected. Each outcome is recorded in
// the window.
func ingestInOrder(tx storage.Tx, dev *deviceRecord, ev domain.Event, p prepared) (api.EventResult, error) {
	res := api.EventResult{ID: ev.ID, Seq: ev.Seq}
	if prev, seen, err := seenBefore(tx, ev, p.digest); err != nil || seen {
		if seen && ev.Seq == dev.LastSeq+1 {
			dev.LastSeq = ev.Seq // the same event again under the next number: nothing to apply
		}
		return prev, err
	}
	switch {
	case ev.Seq > dev.LastSeq+1:
		res.Status = api.StatusDeferred
		return res, nil
	case ev.Seq+DedupWindow <= dev.LastSeq:
		return ancientResult(ev, dev.LastSeq), nil
	case ev.Seq <= dev.LastSeq:
		res.Status, res.Code = api.StatusRejected, api.CodeBadRequest
		res.Message = fmt.Sprintf("sequence number %d was already used by another event; the hub expects %d", ev.Seq, dev.LastSeq+1)
		return res, recordOutcome(tx, ev, res, false, p.digest)
	}
	res, err := ingestEvent(tx, ev, p)
	if err != nil {
		return res, err
	}
	dev.LastSeq = ev.Seq
	return res, recordOutcome(tx, ev, res, true, p.digest)
}

// ingestEvent applies one new event and records its outcome.
func ingestEvent(tx storage.Tx, ev domain.Event, p prepared) (api.EventResult, error) {
	res := api.EventResult{ID: ev.ID, Seq: ev.Seq}
	if !usableID(ev.ID) {
		// Without an id there is nothing to remember the outcome under.
		res.Status, res.Code = api.StatusRejected, api.CodeBadRequest
		res.Message = fmt.Sprintf("event id must be 1 to %d characters", maxEventIDLen)
		return res, nil
	}
	err := applyPrepared(tx, ev, p)
	var rule *Error
	switch {
	case errors.As(err, &rule):
		res.Status, res.Code, res.Message = api.StatusRejected, rule.Code, rule.Message
	case err != nil:
		return res, err
	default:
		res.Status = api.StatusApplied
	}
	return res, nil
}
