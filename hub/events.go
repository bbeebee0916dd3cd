package hub

import (
	"context"
	"encoding/json"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// eventRule is how one type of event takes effect: its payload decoded,
// then applied inside the ingest transaction.
type eventRule struct {
	decode func(domain.Event) (any, error)
	apply  func(storage.Tx, domain.Event, any) error
}

// rule makes the eventRule of an effect taking payload P.
func rule[P any](apply func(storage.Tx, domain.Event, P) error) eventRule {
	return eventRule{
		decode: func(ev domain.Event) (any, error) {
			var p P
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return nil, reject(api.CodeBadRequest, "%s payload: %v", ev.Type, err)
			}
			return p, nil
		},
		apply: func(tx storage.Tx, ev domain.Event, p any) error { return apply(tx, ev, p.(P)) },
	}
}

// ruleOf is the rule of an event type; ok is false for a type the hub
// does not know.
func ruleOf(t domain.EventType) (r eventRule, ok bool) {
	switch t {
	case domain.EventTaskStarted:
		return rule(startTask), true
	case domain.EventLinePicked, domain.EventLineShorted:
		return rule(pickLine), true
	case domain.EventTaskCompleted:
		return rule(completeTask), true
	case domain.EventCountSubmitted:
		return rule(applyCount), true
	case domain.EventReturnReceived:
		return rule(applyReturn), true
	case domain.EventPackStarted: // the pack station's events: hub/packing.go
		return rule(startPack), true
	case domain.EventPackShorted:
		return rule(shortPack), true
	case domain.EventCartonClosed:
		return rule(closeCarton), true
	case domain.EventCartonAudit:
		return rule(auditCarton), true
	case domain.EventCartonUnpacked:
		return rule(unpackCarton), true
	case domain.EventPackHeld:
		return rule(holdPack), true
	case domain.EventShipConfirmed:
		return rule(confirmShipment), true
	case domain.EventCartonStaged: // the dock's events: hub/dock_ingest.go
		return rule(stageCarton), true
	case domain.EventCartonLoaded:
		return rule(loadCarton), true
	case domain.EventLoadClosed:
		return rule(closeLoad), true
	}
	return eventRule{}, false
}

// prepared is what taking an event needs of the event alone: worked out
// before the writer takes its batch, in the caller's goroutine, so batches
// arriving together do this work in parallel and the one writer does only
// what needs the database.
type prepared struct {
	limit   int64  // the site's quantity bound the event was checked against
	refused error  // the event's bounds or payload refused: a rejection
	payload any    // the decoded payload, when not refused
	digest  string // eventDigest
}

// prepare checks an event's bounds (see checkEventBounds) and decodes its
// payload.
func prepare(ev domain.Event, limit int64) prepared {
	p := prepared{limit: limit, digest: string(eventDigest(ev))}
	if p.refused = checkEventBounds(ev, limit); p.refused != nil {
		return p
	}
	r, ok := ruleOf(ev.Type)
	if !ok {
		p.refused = reject(api.CodeBadRequest, "unknown event type %q", ev.Type)
		return p
	}
	p.payload, p.refused = r.decode(ev)
	return p
}

// prepareBatch prepares every event of a batch against the site's bound.
func (s *Store) prepareBatch(ctx context.Context, req api.IngestRequest) ([]prepared, error) {
	var limit int64
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		limit, err = maxEventQty(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]prepared, len(req.Events))
	for i, ev := range req.Events {
		out[i] = prepare(ev, limit)
	}
	return out, nil
}

// preparedFor returns preps when they were made against the site's bound
// now, else prepares the batch again inside tx.
func preparedFor(tx storage.Tx, req api.IngestRequest, preps []prepared) ([]prepared, error) {
	limit, err := maxEventQty(tx)
	if err != nil {
		return nil, err
	}
	if len(preps) == len(req.Events) && (len(preps) == 0 || preps[0].limit == limit) {
		return preps, nil
	}
	out := make([]prepared, len(req.Events))
	for i, ev := range req.Events {
		out[i] = prepare(ev, limit)
	}
	return out, nil
}

// applyPrepared applies a prepared event: a refusal found while preparing
// is its rejection.
func applyPrepared(tx storage.Tx, ev domain.Event, p prepared) error {
	if p.refused != nil {
		return p.refused
	}
	r, _ := ruleOf(ev.Type)
	return r.apply(tx, ev, p.payload)
}
