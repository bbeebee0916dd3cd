package hub

import (
	"context"
	"net/http"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// KPIs computes the coordinator's figures over [from, to) (see kpis.go and
// the README's "Coordinator's figures"). reader is the lead who reads them,
// checked to be a lead; empty for the integration (the API key). A window
// that is empty, reversed or longer than api.MaxKPIWindow is an *Error
// (KindInvalid, bad_request).
//
// It reads every live and archived order, RMA and load: a read for a lead
// or a report, not for every scan.
func (s *Store) KPIs(ctx context.Context, reader string, from, to time.Time) (api.KPIs, error) {
	if err := checkKPIWindow(from, to); err != nil {
		return api.KPIs{}, err
	}
	var facts kpiFacts
	err := s.db.View(ctx, func(tx storage.Tx) error {
		if reader != "" {
			if _, err := requireLead(tx, reader, "read the floor figures"); err != nil {
				return err
			}
		}
		var err error
		facts, err = readKPIFacts(tx, from, to)
		return err
	})
	if err != nil {
		return api.KPIs{}, err
	}
	return computeKPIs(from, to, facts), nil
}

// checkKPIWindow refuses a window that is empty, reversed or too long.
func checkKPIWindow(from, to time.Time) error {
	switch {
	case !from.Before(to):
		return badRequest("from (%s) must be before to (%s)", from.Format(time.RFC3339), to.Format(time.RFC3339))
	case to.Sub(from) > api.MaxKPIWindow:
		return badRequest("the window is %s long; at most %d days", to.Sub(from).Round(time.Hour), api.MaxKPIWindow/(24*time.Hour))
	}
	return nil
}

// kpiWindow reads the window of GET /v1/kpis: from and to as RFC 3339
// times; to defaults to now, from to api.DefaultKPIWindow before to.
func kpiWindow(fromQ, toQ string, now time.Time) (from, to time.Time, err error) {
	to = now.UTC()
	if toQ != "" {
		if to, err = time.Parse(time.RFC3339, toQ); err != nil {
			return from, to, badRequest("to %q is not an RFC 3339 time (2006-01-02T15:04:05Z)", toQ)
		}
	}
	from = to.Add(-api.DefaultKPIWindow)
	if fromQ != "" {
		if from, err = time.Parse(time.RFC3339, fromQ); err != nil {
			return from, to, badRequest("from %q is not an RFC 3339 time (2006-01-02T15:04:05Z)", fromQ)
		}
	}
	return from.UTC(), to.UTC(), checkKPIWindow(from, to)
}

// readKPIFacts reads what the figures of [from, to) are computed from: the
// orders due or shipped in it (live, then archived), every RMA and load,
// and the window's pick log.
func readKPIFacts(tx storage.Tx, from, to time.Time) (kpiFacts, error) {
	f := kpiFacts{Orders: []orderFacts{}}
	err := scanJSON(tx.Bucket(bucketOrders), nil, nil, func(_ []byte, o domain.Order) error {
		of := orderFacts{Order: o}
		if o.Status.Shipped() {
			ship, ok, err := getJSON[domain.Shipment](tx.Bucket(bucketShipments), o.ID)
			if err != nil {
				return err
			}
			if ok {
				of.Shipment = &ship
			}
		}
		if !of.relevant(from, to) {
			return nil
		}
		if at, ok := of.shippedAt(); ok && inWindow(at, from, to) {
			bos, err := orderBackorders(tx, o.ID)
			if err != nil {
				return err
			}
			of.Backorders = len(bos)
		}
		f.Orders = append(f.Orders, of)
		return nil
	})
	if err != nil {
		return f, err
	}
	err = scanJSON(tx.Bucket(bucketArchive), nil, nil, func(_ []byte, rec archivedOrder) error {
		of := orderFacts{Order: rec.Order, Shipment: rec.Shipment, Backorders: len(rec.Backorders)}
		if of.relevant(from, to) {
			f.Orders = append(f.Orders, of)
		}
		return nil
	})
	if err != nil {
		return f, err
	}
	if f.RMAs, err = listJSON[domain.RMA](tx.Bucket(bucketRMAs), nil); err != nil {
		return f, err
	}
	err = eachLoad(tx, func(l domain.Load) error {
		f.Loads = append(f.Loads, l)
		return nil
	})
	if err != nil {
		return f, err
	}
	f.Picks, err = pickLogBetween(tx, from, to)
	return f, err
}

// relevant reports whether an order counts in a figure of [from, to): due
// in it, or shipped in it.
func (o orderFacts) relevant(from, to time.Time) bool {
	if dl, ok := deadline(o.Order.PromisedBy); ok && dl.After(from) && !dl.After(to) {
		return true
	}
	at, ok := o.shippedAt()
	return ok && inWindow(at, from, to)
}

// handleKPIs serves GET /v1/kpis: a lead reads with a lead session (the
// "user" query parameter, when given, must be the session's lead), the
// integration with the API key.
func handleKPIs(s *Store, r *http.Request, c caller) (any, error) {
	q := r.URL.Query()
	from, to, err := kpiWindow(q.Get("from"), q.Get("to"), time.Now())
	if err != nil {
		return nil, err
	}
	reader := ""
	if c.kind == byLead {
		if reader, err = c.actingLead(q.Get("user")); err != nil {
			return nil, err
		}
		if reader == "" {
			return nil, badRequest("name the lead reading: the user query parameter")
		}
	}
	return s.KPIs(r.Context(), reader, from, to)
}
