package hub

import (
	"cmp"
	"slices"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The effects of pack station events, applied in the ingest transaction
// like the pick events. Each checks every rule before its first write.
//
// An order's pack is kept as its domain.Shipment: pack.started opens it
// (status packing), cartons closed, audited and unpacked are kept on it,
// pack.order_held sets it aside, and pack.ship_confirmed records the cartons
// that left. Every carton's SSCC must come from a block reserved by the
// device that packed it, and is used once: an unpacked carton's SSCC is void.

// startPack opens the order's shipment. A pack started again (after a hold,
// or by another station) starts over: the cartons closed before are void;
// but a pack resuming a held shipment keeps its closed cartons the station
// names (Kept), and voids only the others.
func startPack(tx storage.Tx, ev domain.Event, p domain.PackStarted) error {
	order, err := liveOrder(tx, p.OrderID)
	if err != nil {
		return err
	}
	prev, _, err := getJSON[domain.Shipment](tx.Bucket(bucketShipments), order.ID)
	if err != nil {
		return err
	}
	kept := []domain.PackCarton{}
	for _, c := range prev.Cartons {
		if p.Resume && prev.Status == domain.ShipmentHeld && slices.Contains(p.Kept, c.SSCC) {
			kept = append(kept, c)
			continue
		}
		if err := voidSSCC(tx, &prev, c.SSCC); err != nil {
			return err
		}
	}
	ship := domain.Shipment{OrderID: order.ID, Status: domain.ShipmentPacking, Tote: cmp.Or(p.Tote, prev.Tote), DeviceID: ev.DeviceID,
		UserID: ev.UserID, StartedAt: ev.At, Cartons: kept, Voided: prev.Voided, Holds: prev.Holds}
	if len(kept) > 0 {
		ship.Audits = prev.Audits
	}
	order.Status, order.HoldReason = domain.OrderPacking, ""
	return saveShipment(tx, ship, order)
}

// shortPack records units of a line missing from the tote; when the order
// does not ship complete they are backordered.
func shortPack(tx storage.Tx, ev domain.Event, p domain.PackShort) error {
	order, ship, err := packing(tx, ev, p.OrderID)
	if err != nil {
		return err
	}
	ol, err := orderLine(order, p.Line, p.SKU)
	if err != nil {
		return err
	}
	switch {
	case p.Short <= 0:
		return reject(api.CodeBadRequest, "%s: short must be positive", ev.Type)
	case p.Short > ol.Qty:
		return reject(api.CodeOverQuantity, "order %s line %d: %d short of %d ordered", order.ID, p.Line, p.Short, ol.Qty)
	}
	if p.Backorder {
		if err := addBackorder(tx, packBackorder(ev, order.ID, *ol, p.Short)); err != nil {
			return err
		}
	}
	ship.Short = append(ship.Short, p)
	return saveShipment(tx, ship, order)
}

// packBackorder is a backorder recorded at the pack station.
func packBackorder(ev domain.Event, orderID string, ol domain.OrderLine, qty int) domain.Backorder {
	return domain.Backorder{OrderID: orderID, Line: ol.Line, SKU: ol.SKU, Qty: qty, Reason: domain.ShortAtPack,
		UserID: ev.UserID, DeviceID: ev.DeviceID}
}

// closeCarton keeps a closed carton on the shipment and its SSCC as used.
func closeCarton(tx storage.Tx, ev domain.Event, p domain.PackCarton) error {
	order, ship, err := packing(tx, ev, p.OrderID)
	if err != nil {
		return err
	}
	if err := checkCartons(tx, ev, order, append(slices.Clone(ship.Cartons), p), false); err != nil {
		return err
	}
	if err := markSSCC(tx, p.SSCC, ssccUse{OrderID: order.ID, DeviceID: ev.DeviceID, State: ssccPacked}); err != nil {
		return err
	}
	ship.Cartons = append(ship.Cartons, p)
	return saveShipment(tx, ship, order)
}

// auditCarton keeps a weight audit on the shipment.
func auditCarton(tx storage.Tx, ev domain.Event, p domain.CartonAudit) error {
	order, ship, err := packing(tx, ev, p.OrderID)
	if err != nil {
		return err
	}
	ship.Audits = append(ship.Audits, p)
	return saveShipment(tx, ship, order)
}

// unpackCarton takes a closed carton off the shipment; its SSCC is void.
func unpackCarton(tx storage.Tx, ev domain.Event, p domain.CartonUnpacked) error {
	order, ship, err := packing(tx, ev, p.OrderID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ship.Cartons, func(c domain.PackCarton) bool { return c.SSCC == p.SSCC })
	if i < 0 {
		return reject(api.CodeNotFound, "order %s has no closed carton %s", order.ID, p.SSCC)
	}
	ship.Cartons = slices.Delete(ship.Cartons, i, i+1)
	if err := voidSSCC(tx, &ship, p.SSCC); err != nil {
		return err
	}
	return saveShipment(tx, ship, order)
}

// holdPack sets the order aside with the reason.
func holdPack(tx storage.Tx, ev domain.Event, p domain.PackHold) error {
	order, ship, err := packing(tx, ev, p.OrderID)
	if err != nil {
		return err
	}
	if p.Reason == "" {
		return reject(api.CodeBadRequest, "%s: reason is empty", ev.Type)
	}
	ship.Status, ship.HoldReason, ship.Short = domain.ShipmentHeld, p.Reason, p.Short
	ship.Holds = append(ship.Holds, p.Reason)
	order.Status, order.HoldReason = domain.OrderHeld, p.Reason
	if err := noteOrderOnLoad(tx, order.ID); err != nil { // hub/dock.go
		return err
	}
	return saveShipment(tx, ship, order)
}

// confirmShipment records the cartons that left, carton N of Of, and
// backorders what is short (beyond what short picks and pack shorts
// backordered already). The order is shipped, or shipped_partial.
func confirmShipment(tx storage.Tx, ev domain.Event, p domain.ShipConfirm) error {
	order, ship, err := packing(tx, ev, p.OrderID)
	if err != nil {
		return err
	}
	if len(p.Cartons) == 0 {
		return reject(api.CodeBadRequest, "%s: no cartons", ev.Type)
	}
	for i, c := range p.Cartons {
		if c.N != i+1 || c.Of != len(p.Cartons) {
			return reject(api.CodeBadRequest, "carton %s is numbered %d of %d, not %d of %d", c.SSCC, c.N, c.Of, i+1, len(p.Cartons))
		}
	}
	if err := checkCartons(tx, ev, order, p.Cartons, true); err != nil {
		return err
	}
	shipped := packedPerLine(p.Cartons)
	missing := map[int]int{}
	for _, l := range order.Lines {
		if n := l.Qty - shipped[l.Line]; n > 0 {
			missing[l.Line] = n
		}
	}
	if order.ShipComplete && len(missing) > 0 {
		return reject(api.CodeShipIncomplete, "order %s ships complete, but %d of its lines are short: hold it instead", order.ID, len(missing))
	}
	invoice, err := shipmentInvoice(tx, order, p)
	if err != nil {
		return err
	}
	// Every rule is checked: now write.
	confirmed := map[string]bool{}
	for _, c := range p.Cartons {
		confirmed[c.SSCC] = true
		if err := markSSCC(tx, c.SSCC, ssccUse{OrderID: order.ID, DeviceID: ev.DeviceID, State: ssccShipped}); err != nil {
			return err
		}
	}
	for _, c := range ship.Cartons {
		if !confirmed[c.SSCC] {
			if err := voidSSCC(tx, &ship, c.SSCC); err != nil {
				return err
			}
		}
	}
	if err := backorderRest(tx, ev, order, missing); err != nil {
		return err
	}
	if err := setToteState(tx, order.ID, domain.TotePacked); err != nil {
		return err
	}
	ship.Status, ship.Cartons, ship.Short, ship.Partial = domain.ShipmentShipped, p.Cartons, p.Short, len(missing) > 0
	ship.Tote, ship.ShippedAt, ship.HoldReason = cmp.Or(p.Tote, ship.Tote), ev.At, ""
	ship.Invoice = invoice
	order.Status = domain.OrderShipped
	if ship.Partial {
		order.Status = domain.OrderShippedPartial
	}
	if err := planShipped(tx, order); err != nil { // hub/dock.go: onto its load
		return err
	}
	return saveShipment(tx, ship, order)
}

// backorderRest backorders, per line, what is missing beyond the
// backorders recorded for the order already.
func backorderRest(tx storage.Tx, ev domain.Event, order domain.Order, missing map[int]int) error {
	have, err := orderBackorders(tx, order.ID)
	if err != nil {
		return err
	}
	for _, b := range have {
		missing[b.Line] -= b.Qty
	}
	for _, l := range order.Lines {
		if n := missing[l.Line]; n > 0 {
			if err := addBackorder(tx, packBackorder(ev, order.ID, l, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCartons checks cartons against the order: known lines and SKUs,
// positive quantities, no more of a line than ordered, and SSCCs from the
// device's blocks, each once. The last carton is new unless confirming:
// its SSCC may not be used yet; when confirming, an SSCC may be on a carton
// closed for this order.
func checkCartons(tx storage.Tx, ev domain.Event, order domain.Order, cartons []domain.PackCarton, confirming bool) error {
	seen := map[string]bool{}
	for i, c := range cartons {
		if c.OrderID != "" && c.OrderID != order.ID {
			return reject(api.CodeBadRequest, "carton %s is for order %s, not %s", c.SSCC, c.OrderID, order.ID)
		}
		if seen[c.SSCC] {
			return reject(api.CodeSSCCUsed, "SSCC %s is on two cartons", c.SSCC)
		}
		seen[c.SSCC] = true
		for _, ct := range c.Contents {
			if _, err := orderLine(order, ct.Line, ct.SKU); err != nil {
				return err
			}
			if ct.Qty <= 0 {
				return reject(api.CodeBadRequest, "carton %s line %d: quantity %d", c.SSCC, ct.Line, ct.Qty)
			}
		}
		isNew := !confirming && i == len(cartons)-1
		if !confirming && !isNew {
			continue // kept on the shipment: checked when it was closed
		}
		if confirming {
			// A carton closed for this order (on this station, or on the one
			// whose held pack this one resumed) was checked when closed.
			use, used, err := getJSON[ssccUse](tx.Bucket(bucketSSCCs), c.SSCC)
			if err != nil {
				return err
			}
			if used && use.State == ssccPacked && use.OrderID == order.ID {
				continue
			}
		}
		use, used, err := checkSSCC(tx, ev.DeviceID, c.SSCC)
		if err != nil {
			return err
		}
		if used && (isNew || use.State != ssccPacked || use.OrderID != order.ID) {
			return reject(api.CodeSSCCUsed, "SSCC %s was used before (%s, order %s)", c.SSCC, use.State, use.OrderID)
		}
	}
	packed := packedPerLine(cartons)
	for _, l := range order.Lines {
		if packed[l.Line] > l.Qty {
			return reject(api.CodeOverQuantity, "order %s line %d: %d packed, %d ordered", order.ID, l.Line, packed[l.Line], l.Qty)
		}
	}
	return nil
}

// packedPerLine adds up the cartons' units by order line.
func packedPerLine(cartons []domain.PackCarton) map[int]int {
	n := map[int]int{}
	for _, c := range cartons {
		for _, ct := range c.Contents {
			n[ct.Line] += ct.Qty
		}
	}
	return n
}

// orderLine finds line n of the order and checks its SKU.
func orderLine(order domain.Order, n int, sku string) (*domain.OrderLine, error) {
	ol := findLine(order.Lines, func(l domain.OrderLine) int { return l.Line }, n)
	switch {
	case ol == nil:
		return nil, reject(api.CodeUnknownLine, "order %s has no line %d", order.ID, n)
	case ol.SKU != sku:
		return nil, reject(api.CodeUnknownItem, "order %s line %d is %s, not %q", order.ID, n, ol.SKU, sku)
	}
	return ol, nil
}

// liveOrder loads an order that can still be packed: neither cancelled nor shipped.
func liveOrder(tx storage.Tx, id string) (domain.Order, error) {
	order, err := mustOrder(tx, id)
	switch {
	case err != nil:
		return order, err // not_found rejects the event; a decode error fails the batch
	case order.Status == domain.OrderCancelled:
		return order, reject(api.CodeOrderCancelled, "order %s is cancelled", order.ID)
	case order.Status.Shipped():
		return order, reject(api.CodeOrderShipped, "order %s has shipped already (%s)", order.ID, order.Status)
	}
	return order, nil
}

// packing loads a live order and the shipment this device is packing for it.
func packing(tx storage.Tx, ev domain.Event, orderID string) (domain.Order, domain.Shipment, error) {
	order, err := liveOrder(tx, orderID)
	if err != nil {
		return order, domain.Shipment{}, err
	}
	ship, ok, err := getJSON[domain.Shipment](tx.Bucket(bucketShipments), order.ID)
	switch {
	case err != nil:
		return order, ship, err
	case !ok || ship.Status != domain.ShipmentPacking:
		return order, ship, reject(api.CodeNotPacking, "order %s is not being packed (%s): scan it at the pack station again", order.ID, cmp.Or(string(ship.Status), "never started"))
	case ship.DeviceID != ev.DeviceID:
		return order, ship, reject(api.CodeNotPacking, "order %s is being packed at %s, not %s", order.ID, ship.DeviceID, ev.DeviceID)
	}
	return order, ship, nil
}

// voidSSCC marks a carton's SSCC void and lists it on the shipment.
func voidSSCC(tx storage.Tx, ship *domain.Shipment, sscc string) error {
	ship.Voided = append(ship.Voided, sscc)
	return markSSCC(tx, sscc, ssccUse{OrderID: ship.OrderID, DeviceID: ship.DeviceID, State: ssccVoid})
}

// saveShipment writes the shipment and its order back.
func saveShipment(tx storage.Tx, ship domain.Shipment, order domain.Order) error {
	if err := putJSON(tx.Bucket(bucketShipments), ship.OrderID, ship); err != nil {
		return err
	}
	return saveOrder(tx, order)
}
