package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	bolt "go.etcd.io/bbolt"
)

// Limits on one ingest batch.
const (
	// MaxBatchEvents is the most events one IngestRequest may carry.
	MaxBatchEvents = 1000
	maxEventIDLen  = 128
)

// Ingest applies a batch of events from the authenticated device, each exactly
// once, in one transaction (one fsync per batch). The answer has one result per
// event, in order:
//
//   - applied: the effect is recorded now;
//   - duplicate: the event was applied before, nothing changed;
//   - rejected: a business rule refused it (code and message say which).
//
// The outcome of every event with an id is stored with its effect under
// (device, event id) forever, so a repeat of a rejected event gets the same
// rejection. A batch naming another device than deviceID is refused whole with
// an api.Error (403, code forbidden); a malformed batch with 400 bad_request.
func (s *Store) Ingest(deviceID string, req api.IngestRequest) (api.IngestResponse, error) {
	if err := checkBatch(deviceID, req); err != nil {
		return api.IngestResponse{}, err
	}
	results := make([]api.EventResult, len(req.Events))
	err := s.db.Update(func(tx *bolt.Tx) error {
		devices := tx.Bucket(bucketDevices)
		dev, err := mustGet[deviceRecord](devices, "device", deviceID)
		if err != nil {
			return apiError(http.StatusUnauthorized, api.CodeUnauthorized, "device %q is not registered", deviceID)
		}
		for i, ev := range req.Events {
			if results[i], err = ingestEvent(tx, ev); err != nil {
				return fmt.Errorf("event %s (seq %d): %w", ev.ID, ev.Seq, err)
			}
			noteSeq(&dev, ev.Seq)
		}
		return putJSON(devices, deviceID, dev)
	})
	if err != nil {
		return api.IngestResponse{}, err
	}
	return api.IngestResponse{Results: results}, nil
}

func checkBatch(deviceID string, req api.IngestRequest) error {
	if req.DeviceID != deviceID {
		return apiError(http.StatusForbidden, api.CodeForbidden, "batch is for device %q but the token is device %q's", req.DeviceID, deviceID)
	}
	if len(req.Events) > MaxBatchEvents {
		return apiError(http.StatusBadRequest, api.CodeBadRequest, "%d events in one batch; at most %d", len(req.Events), MaxBatchEvents)
	}
	for _, ev := range req.Events {
		if ev.DeviceID != deviceID {
			return apiError(http.StatusForbidden, api.CodeForbidden, "event %q is from device %q, not %q", ev.ID, ev.DeviceID, deviceID)
		}
	}
	return nil
}

// noteSeq records the highest sequence number seen from a device.
//
// Sequence gap detection (issue 5) belongs here: compare seq with
// dev.LastSeq+1 before accepting the event.
func noteSeq(dev *deviceRecord, seq uint64) {
	if seq > dev.LastSeq {
		dev.LastSeq = seq
	}
}

// ingestEvent applies one event unless it was seen before, and records the outcome.
func ingestEvent(tx *bolt.Tx, ev domain.Event) (api.EventResult, error) {
	res := api.EventResult{ID: ev.ID, Seq: ev.Seq}
	if ev.ID == "" || len(ev.ID) > maxEventIDLen {
		// Without an id there is nothing to remember the outcome under.
		res.Status, res.Code = api.StatusRejected, api.CodeBadRequest
		res.Message = fmt.Sprintf("event id must be 1 to %d characters", maxEventIDLen)
		return res, nil
	}
	events := tx.Bucket(bucketEvents)
	key := eventKey(ev.DeviceID, ev.ID)
	prev, seen, err := getJSON[api.EventResult](events, string(key))
	if err != nil {
		return res, err
	}
	if seen {
		if prev.Status == api.StatusApplied {
			prev.Status = api.StatusDuplicate
		}
		prev.Seq = ev.Seq // answer for this delivery
		return prev, nil
	}
	err = applyEvent(tx, ev)
	var rule *api.Error
	switch {
	case errors.As(err, &rule):
		res.Status, res.Code, res.Message = api.StatusRejected, rule.Code, rule.Message
	case err != nil:
		return res, err
	default:
		res.Status = api.StatusApplied
	}
	return res, putJSON(events, string(key), res)
}

// eventKey is the dedup key of an event: device id, NUL, event id.
func eventKey(device, id string) []byte {
	return []byte(device + "\x00" + id)
}

// reject is a business rule refusing an event. Rule checks come before any
// write, so a rejected event leaves no trace but its recorded outcome.
func reject(code, format string, args ...any) error {
	return apiError(http.StatusUnprocessableEntity, code, format, args...)
}

func applyEvent(tx *bolt.Tx, ev domain.Event) error {
	switch ev.Type {
	case domain.EventTaskStarted:
		var p domain.TaskStarted
		if err := decodePayload(ev, &p); err != nil {
			return err
		}
		return startTask(tx, ev, p)
	case domain.EventLinePicked, domain.EventLineShorted:
		var p domain.PickLine
		if err := decodePayload(ev, &p); err != nil {
			return err
		}
		return pickLine(tx, ev, p)
	case domain.EventTaskCompleted:
		var p domain.TaskCompleted
		if err := decodePayload(ev, &p); err != nil {
			return err
		}
		return completeTask(tx, ev, p)
	}
	return reject(api.CodeBadRequest, "unknown event type %q", ev.Type)
}

func decodePayload(ev domain.Event, v any) error {
	if err := json.Unmarshal(ev.Payload, v); err != nil {
		return reject(api.CodeBadRequest, "%s payload: %v", ev.Type, err)
	}
	return nil
}
