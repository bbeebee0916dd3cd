package hub

import (
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Cartons left behind. A load closed short leaves planned cartons on the
// dock; each is released: planned on no load. An order is then shipped on
// more than one load, and the rule is that an order's cartons not loaded
// yet are planned on one open load at most.
//
// bucketLoadOrders names the last load an order was planned on. While that
// load is open, the order's cartons not loaded are planned on it; once it
// is closed (short), they are released: staged in any lane, loaded onto an
// open load of the order's carrier and service (which plans the order
// there), or planned by the coordinator on a new load. The closed load keeps
// the order in its Orders, as history. A load's planned cartons of an order
// are those not loaded on another load.

// plannedLoadID is the id of the open load an order's cartons not loaded yet
// are planned on: "" when there is none (never planned, or planned on a
// load since closed, which released them).
func plannedLoadID(tx storage.Tx, orderID string) (string, error) {
	id, err := tx.Bucket(bucketLoadOrders).Get([]byte(orderID))
	if err != nil || id == nil {
		return "", err
	}
	open, err := tx.Bucket(bucketOpenLoads).Get(id)
	if err != nil || open == nil {
		return "", err
	}
	return string(id), nil
}

// plannedLoad is the open load an order's cartons not loaded yet are
// planned on; ok is false when there is none (plannedLoadID).
func plannedLoad(tx storage.Tx, orderID string) (domain.Load, bool, error) {
	id, err := plannedLoadID(tx, orderID)
	if err != nil || id == "" {
		return domain.Load{}, false, err
	}
	l, err := mustLoad(tx, id)
	return l, err == nil, err
}

// shippedCartons lists the cartons of a shipped order (live or archived) as
// the dock sees them, in the shipment's order; none for an order not
// shipped or not held.
func shippedCartons(tx storage.Tx, orderID string) ([]api.DockCarton, error) {
	o, ok, err := orderAnywhere(tx, orderID)
	if err != nil || !ok || !o.Status.Shipped() {
		return nil, err
	}
	ship, ok, err := shipmentAnywhere(tx, orderID)
	if err != nil || !ok {
		return nil, err
	}
	loadID, err := plannedLoadID(tx, orderID)
	if err != nil {
		return nil, err
	}
	out := make([]api.DockCarton, 0, len(ship.Cartons))
	for _, c := range ship.Cartons {
		dc, err := dockCartonOf(tx, o, c, loadID)
		if err != nil {
			return nil, err
		}
		out = append(out, dc)
	}
	return out, nil
}

// checkPlanOrder checks that the coordinator may plan an order on a new
// load: it is on no open load, and, when it was planned on a load since
// closed, a carton of it was left behind (released); an order that left
// whole is wrong_load.
func checkPlanOrder(tx storage.Tx, orderID string) error {
	l, on, err := loadOfOrder(tx, orderID)
	if err != nil || !on {
		return err
	}
	if l.Status != domain.LoadStatusClosed {
		return conflict(api.CodeWrongLoad, "order %s is planned on load %s already", orderID, l.ID)
	}
	cartons, err := shippedCartons(tx, orderID)
	if err != nil {
		return err
	}
	for _, c := range cartons {
		if c.LoadedOn == "" {
			return nil
		}
	}
	return conflict(api.CodeWrongLoad, "order %s left on load %s at %s: no carton of it is left to plan", orderID, l.ID, l.ClosedAt.Format(time.RFC3339))
}

// checkCancelAtDock refuses to cancel a shipped order with a carton on a
// closed load: it left (409 load_closed). Cartons on an open load, or left
// behind, do not stop it.
func checkCancelAtDock(tx storage.Tx, o domain.Order) error {
	cartons, err := shippedCartons(tx, o.ID)
	if err != nil {
		return err
	}
	for _, c := range cartons {
		if c.LoadedOn == "" {
			continue
		}
		l, err := mustLoad(tx, c.LoadedOn)
		if err != nil {
			return err
		}
		if l.Status == domain.LoadStatusClosed {
			return conflict(api.CodeLoadClosed, "order %s left on load %s at %s", o.ID, l.ID, l.ClosedAt.Format(time.RFC3339))
		}
	}
	return nil
}

// loadedElsewhere reports whether a carton went onto a load other than
// loadID: it is not planned on loadID then.
func loadedElsewhere(c api.DockCarton, loadID string) bool {
	return c.LoadedOn != "" && c.LoadedOn != loadID
}
