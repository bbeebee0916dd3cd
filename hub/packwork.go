package hub

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Which order each tote was last picked for, and the pack station's
// reads of what picking confirmed (see picks.go).

// toteRecord is the order last picked into a tote, and what the tote
// holds of it now.
type toteRecord struct {
	OrderID string    `json:"order_id"`
	At      time.Time `json:"at"` // when the pick happened on the device
	// State is domain.TotePicked while the tote holds the order's picked,
	// unpacked goods ("" in records older than it: picked), then packed or
	// released.
	State domain.ToteState `json:"state,omitempty"`
}

// toteHolder is the order whose picked, unpacked goods the tote holds, when
// that is another order than orderID; "" when the tote is free for orderID.
// A tote is busy while its record says picked and its order is live: once
// the order is packed and shipped, or cancelled, the tote is free again.
func toteHolder(tx storage.Tx, tote, orderID string) (string, error) {
	if tote == "" {
		return "", nil
	}
	rec, ok, err := getJSON[toteRecord](tx.Bucket(bucketTotes), tote)
	if err != nil || !ok || rec.OrderID == orderID || (rec.State != "" && rec.State != domain.TotePicked) {
		return "", err
	}
	order, ok, err := getOrder(tx, rec.OrderID)
	if err != nil || !ok || order.Status == domain.OrderCancelled || order.Status.Shipped() {
		return "", err
	}
	return rec.OrderID, nil
}

// checkTote rejects picking into a tote that holds another order's goods.
func checkTote(tx storage.Tx, tote, orderID string) error {
	holder, err := toteHolder(tx, tote, orderID)
	if err != nil || holder == "" {
		return err
	}
	return reject(api.CodeToteBusy, "tote %s holds order %s (picked, not packed): pick order %s into another tote", tote, holder, orderID)
}

// noteTote records that tote holds orderID's picks (checkTote has said
// it may).
func noteTote(tx storage.Tx, tote, orderID string, at time.Time) error {
	if tote == "" {
		return nil
	}
	return putTote(tx, tote, toteRecord{OrderID: orderID, At: at.UTC(), State: domain.TotePicked})
}

// setToteState marks every tote recorded for the order (a pick may use
// several) as packed or released.
func setToteState(tx storage.Tx, orderID string, state domain.ToteState) error {
	totes, err := prefixKeys(tx.Bucket(ixOrderTotes), orderID)
	if err != nil {
		return err
	}
	for _, tote := range totes {
		rec, err := mustGet[toteRecord](tx.Bucket(bucketTotes), "tote", tote)
		if err != nil {
			return err
		}
		rec.State = state
		if err := putTote(tx, tote, rec); err != nil {
			return err
		}
	}
	return nil
}

// busyTotes lists the totes holding picked, unpacked goods of orders other
// than orderID, in tote order.
func busyTotes(tx storage.Tx, orderID string) ([]domain.ToteHold, error) {
	var totes []string
	err := tx.Bucket(ixBusyTotes).Scan(nil, nil, func(k, _ []byte) error {
		totes = append(totes, string(k))
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []domain.ToteHold
	for _, tote := range totes {
		holder, err := toteHolder(tx, tote, orderID)
		if err != nil {
			return nil, err
		}
		if holder != "" {
			out = append(out, domain.ToteHold{Tote: tote, OrderID: holder})
		}
	}
	return out, nil
}

// PackWork finds an order to pack by the tote it was picked into (the order
// picked into it most recently) or by its id: give exactly one. An unknown
// tote or order is a 404 not_found; an order shipped or cancelled a 409.
func (s *Store) PackWork(ctx context.Context, tote, orderID string) (api.PackWorkResponse, error) {
	tote, orderID = strings.TrimSpace(tote), strings.TrimSpace(orderID)
	if (tote == "") == (orderID == "") {
		return api.PackWorkResponse{}, badRequest("give a tote or an order id (one of them)")
	}
	var out api.PackWorkResponse
	err := s.db.View(ctx, func(tx storage.Tx) error {
		if tote != "" {
			rec, ok, err := getJSON[toteRecord](tx.Bucket(bucketTotes), tote)
			if err != nil {
				return err
			}
			if !ok {
				return notFound("no order was picked into tote %q", tote)
			}
			orderID = rec.OrderID
		}
		order, ok, err := orderAnywhere(tx, orderID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("order %q not found", orderID)
		}
		switch {
		case order.Status == domain.OrderCancelled:
			return conflict(api.CodeOrderCancelled, "order %s is cancelled: return the items to stock", order.ID)
		case order.Status.Shipped():
			return conflict(api.CodeOrderShipped, "order %s has shipped already (%s)", order.ID, order.Status)
		}
		picked, err := pickedLines(tx, order.ID)
		if err != nil {
			return err
		}
		if tote == "" {
			for _, p := range picked {
				tote = cmp.Or(tote, p.Tote)
			}
		}
		items, err := getEach[domain.Item](tx.Bucket(bucketItems), "item", lineKeys(order.Lines, func(l domain.OrderLine) string { return l.SKU }))
		if err != nil {
			return err
		}
		cartons, err := listJSON[domain.CartonType](tx.Bucket(bucketCartons), nil)
		if err != nil {
			return err
		}
		if picked == nil {
			picked = []domain.PickLine{} // the contract has arrays, never null
		}
		out = api.PackWorkResponse{Order: order, Tote: tote, Picked: picked, Items: items, CartonTypes: cartons}
		if order.Carrier != "" {
			dock, err := loadDockConfig(tx)
			if err != nil {
				return err
			}
			k, _ := dock.carrier(order.Carrier) // unknown: the code as its name
			out.Carrier = &k
		}
		ship, ok, err := getJSON[domain.Shipment](tx.Bucket(bucketShipments), order.ID)
		if ok && ship.Status == domain.ShipmentHeld {
			out.HeldCartons = ship.Cartons
		}
		return err
	})
	return out, err
}

// getEach loads the records at keys, each key once, in first-seen order.
func getEach[T any](b storage.Bucket, what string, keys []string) ([]T, error) {
	out := []T{}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		v, err := mustGet[T](b, what, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// lineKeys takes one key (a SKU, a location) of each line, in order.
func lineKeys[L any](lines []L, key func(L) string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = key(l)
	}
	return out
}
