package hub

import (
	"context"
	"slices"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The dock's calls: loads planned by the coordinator or the host system,
// and the reads of loads, of the dock and of its exceptions.

// dockCarton is where a shipped carton is at the dock: the lane it was
// staged in, the load it went onto and when.
type dockCarton struct {
	OrderID  string    `json:"order_id"`
	Lane     string    `json:"lane,omitempty"`
	StagedAt time.Time `json:"staged_at,omitzero"`
	LoadedOn string    `json:"loaded_on,omitempty"`
	LoadedAt time.Time `json:"loaded_at,omitzero"`
}

// CreateLoad plans a load: its carrier (and service), door and lane known
// to the site when it configures them, its orders existing, not cancelled
// and on no other open load (an order planned on a load closed short may be
// named again for the cartons it left behind: checkPlanOrder). An empty id is numbered ("LD-0001"); a taken one is
// 409 conflict. The orders named may ship with another carrier: the
// coordinator's plan stands. The load's creation goes to the changes feed.
func (s *Store) CreateLoad(ctx context.Context, req api.CreateLoadRequest, now time.Time) (api.LoadView, error) {
	var v api.LoadView
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		cfg, err := loadDockConfig(tx)
		if err != nil {
			return err
		}
		if err := checkLoadFields(cfg, req); err != nil {
			return badRequest("load: %v", err)
		}
		id := req.ID
		if id == "" {
			if id, err = nextLoadID(tx); err != nil {
				return err
			}
		} else if _, taken, err := getLoad(tx, id); err != nil || taken {
			return cmpErr(err, conflict(api.CodeConflict, "load %s exists already", id))
		}
		seen := map[string]bool{}
		for _, oid := range req.Orders {
			if seen[oid] {
				return badRequest("order %s is named twice", oid)
			}
			seen[oid] = true
			o, err := mustOrder(tx, oid)
			if err != nil {
				return err
			}
			if o.Status == domain.OrderCancelled {
				return conflict(api.CodeOrderCancelled, "order %s is cancelled", oid)
			}
			if err := checkPlanOrder(tx, oid); err != nil {
				return err
			}
		}
		l := domain.Load{ID: id, Carrier: req.Carrier, Service: req.Service, Trailer: req.Trailer, Route: req.Route, Door: req.Door,
			Lane: req.Lane, ScheduledAt: req.ScheduledAt.UTC(), PRO: req.PRO, Orders: append([]string{}, req.Orders...),
			Status: domain.LoadStatusOpen, Loaded: []domain.LoadedCarton{}, CreatedAt: now.UTC()}
		if err := putLoad(tx, l); err != nil {
			return err
		}
		if err := loadChanged(tx, api.ChangeLoadCreated, l.ID, ""); err != nil {
			return err
		}
		v, err = loadView(tx, l)
		return err
	})
	return v, err
}

// cmpErr is err when there is one, else the rule's refusal.
func cmpErr(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}

// Loads lists the loads by id, with their planned and missing cartons; a
// status ("open", "loading", "closed") keeps those.
func (s *Store) Loads(ctx context.Context, status string) ([]api.LoadView, error) {
	switch domain.LoadStatus(status) {
	case "", domain.LoadStatusOpen, domain.LoadStatusLoading, domain.LoadStatusClosed:
	default:
		return nil, badRequest("status must be open, loading or closed, not %q", status)
	}
	out := []api.LoadView{}
	err := s.db.View(ctx, func(tx storage.Tx) error {
		return eachLoad(tx, func(l domain.Load) error {
			if status != "" && l.Status != domain.LoadStatus(status) {
				return nil
			}
			v, err := loadView(tx, l)
			out = append(out, v)
			return err
		})
	})
	return out, err
}

// Load returns one load with its planned and missing cartons.
func (s *Store) Load(ctx context.Context, id string) (api.LoadView, error) {
	var v api.LoadView
	err := s.db.View(ctx, func(tx storage.Tx) error {
		l, err := mustLoad(tx, id)
		if err != nil {
			return err
		}
		v, err = loadView(tx, l)
		return err
	})
	return v, err
}

// mustLoad is getLoad for a load that must exist: not_found otherwise.
func mustLoad(tx storage.Tx, id string) (domain.Load, error) {
	l, ok, err := getLoad(tx, id)
	if err == nil && !ok {
		err = notFound("load %q not found", id)
	}
	return l, err
}

// Dock is what a dock terminal caches: the site's staging lanes and dock
// doors, the loads not closed, and every carton that may come to the dock:
// those of shipped orders, but for the cartons loaded on a closed load; and
// every closed carton of an order not shipped (still at the pack station,
// held) or cancelled, for the terminal to refuse by name as the hub does
// (dockCartonFor). A carton's LoadID is the open load it is planned on: a
// carton left behind by a load closed short has none until its order is
// planned again.
func (s *Store) Dock(ctx context.Context, now time.Time) (api.DockResponse, error) {
	out := api.DockResponse{Lanes: []string{}, Doors: []string{}, Loads: []api.LoadView{}, Cartons: []api.DockCarton{}, At: now.UTC()}
	err := s.db.View(ctx, func(tx storage.Tx) error {
		cfg, err := loadDockConfig(tx)
		if err != nil {
			return err
		}
		out.Lanes, out.Doors = append(out.Lanes, cfg.Lanes...), append(out.Doors, cfg.Doors...)
		open, err := openLoads(tx)
		if err != nil {
			return err
		}
		closed := map[string]bool{}
		for _, l := range open {
			v, err := loadView(tx, l)
			if err != nil {
				return err
			}
			out.Loads = append(out.Loads, v)
		}
		return scanJSON(tx.Bucket(bucketShipments), nil, nil, func(_ []byte, ship domain.Shipment) error {
			o, ok, err := getOrder(tx, ship.OrderID)
			if err != nil || !ok {
				return err
			}
			loadID, err := plannedLoadID(tx, o.ID)
			if err != nil {
				return err
			}
			for _, c := range ship.Cartons {
				dc, err := dockCartonOf(tx, o, c, loadID)
				if err != nil {
					return err
				}
				if o.Status == domain.OrderHeld {
					dc.HoldReason = ship.HoldReason
				}
				if dc.LoadedOn != "" {
					if _, seen := closed[dc.LoadedOn]; !seen {
						l, err := mustLoad(tx, dc.LoadedOn)
						if err != nil {
							return err
						}
						closed[dc.LoadedOn] = l.Status == domain.LoadStatusClosed
					}
					if closed[dc.LoadedOn] {
						continue
					}
				}
				out.Cartons = append(out.Cartons, dc)
			}
			return nil
		})
	})
	return out, err
}

// Exceptions lists the dock's exceptions by load and SSCC; one whose
// carton went on another load since says which, and when.
func (s *Store) Exceptions(ctx context.Context) ([]api.DockException, error) {
	out := []api.DockException{}
	err := s.db.View(ctx, func(tx storage.Tx) error {
		return scanJSON(tx.Bucket(bucketDockExcept), nil, nil, func(_ []byte, x api.DockException) error {
			at, _, err := getJSON[dockCarton](tx.Bucket(bucketDockCarton), x.SSCC)
			if at.LoadedOn != "" && at.LoadedOn != x.LoadID {
				x.LoadedOn, x.LoadedAt = at.LoadedOn, at.LoadedAt
			}
			out = append(out, x)
			return err
		})
	})
	return out, err
}

// dockCartonOf is a carton of order o as the dock sees it, planned on the
// open load loadID ("" for none: plannedLoadID).
func dockCartonOf(tx storage.Tx, o domain.Order, c domain.PackCarton, loadID string) (api.DockCarton, error) {
	dc := api.DockCarton{SSCC: c.SSCC, OrderID: o.ID, N: c.N, Of: c.Of, WeightGrams: c.WeightGrams, Carrier: o.Carrier,
		Service: o.Service, OrderStatus: o.Status, LoadID: loadID}
	at, _, err := getJSON[dockCarton](tx.Bucket(bucketDockCarton), c.SSCC)
	dc.Lane, dc.LoadedOn = at.Lane, at.LoadedOn
	return dc, err
}

// loadView is a load with its planned cartons (plannedCartons) and those
// not loaded.
func loadView(tx storage.Tx, l domain.Load) (api.LoadView, error) {
	l.Orders = append([]string{}, l.Orders...)
	l.Loaded = append([]domain.LoadedCarton{}, l.Loaded...)
	v := api.LoadView{Load: l, Planned: []api.DockCarton{}, Missing: []api.DockCarton{}, MissingOrders: []string{}}
	planned, err := plannedCartons(tx, l)
	if err != nil {
		return v, err
	}
	loaded := loadedSet(l)
	for _, dc := range planned {
		v.Planned = append(v.Planned, dc)
		if loaded[dc.SSCC] {
			continue
		}
		v.Missing = append(v.Missing, dc)
		if !slices.Contains(v.MissingOrders, dc.OrderID) {
			v.MissingOrders = append(v.MissingOrders, dc.OrderID)
		}
	}
	return v, nil
}

// plannedCartons lists the shipped cartons of a load's planned orders
// (live or archived) but those loaded on another load, in the order the
// orders were planned.
func plannedCartons(tx storage.Tx, l domain.Load) ([]api.DockCarton, error) {
	var out []api.DockCarton
	for _, id := range l.Orders {
		cartons, err := shippedCartons(tx, id)
		if err != nil {
			return nil, err
		}
		for _, dc := range cartons {
			if !loadedElsewhere(dc, l.ID) {
				out = append(out, dc)
			}
		}
	}
	return out, nil
}

// loadedSet is the SSCCs on a load's trailer.
func loadedSet(l domain.Load) map[string]bool {
	m := make(map[string]bool, len(l.Loaded))
	for _, c := range l.Loaded {
		m[c.SSCC] = true
	}
	return m
}
