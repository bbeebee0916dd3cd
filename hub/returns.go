package hub

import (
	"context"
	"fmt"
	"slices"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// validateRMAs checks the returns of a seed.
func validateRMAs(site domain.Site, items map[string]domain.Item) error {
	seen := map[string]bool{}
	for _, r := range site.RMAs {
		if r.Number == "" || seen[r.Number] || (r.Label != "" && seen[r.Label]) {
			return fmt.Errorf("rma %q (label %q): number and label must be set and unique", r.Number, r.Label)
		}
		seen[r.Number], seen[r.Label] = true, r.Label != ""
		lines := map[int]bool{}
		for _, l := range r.Lines {
			it, ok := items[l.SKU]
			switch {
			case !ok:
				return fmt.Errorf("rma %s line %d: unknown item %q", r.Number, l.Line, l.SKU)
			case l.Line <= 0 || lines[l.Line]:
				return fmt.Errorf("rma %s: line %d is not positive or is repeated", r.Number, l.Line)
			case l.Qty <= 0:
				return fmt.Errorf("rma %s line %d: quantity %d", r.Number, l.Line, l.Qty)
			case it.Tracking == domain.TrackSerial && len(l.Serials) < l.Qty:
				return fmt.Errorf("rma %s line %d: %s is serial-tracked; %d shipped serials for %d units", r.Number, l.Line, l.SKU, len(l.Serials), l.Qty)
			}
			lines[l.Line] = true
		}
	}
	return nil
}

func seedRMAs(tx storage.Tx, rmas []domain.RMA) error {
	for _, r := range rmas {
		if r.Status == "" {
			r.Status = domain.RMAOpen
		}
		if r.Lines == nil {
			r.Lines = []domain.RMALine{}
		}
		if err := putJSON(tx.Bucket(bucketRMAs), r.Number, r); err != nil {
			return err
		}
		if r.Label != "" {
			if err := tx.Bucket(bucketRMAKeys).Put([]byte(r.Label), []byte(r.Number)); err != nil {
				return err
			}
		}
	}
	return nil
}

// lookupRMA finds an RMA by number or by its return label.
func lookupRMA(tx storage.Tx, key string) (domain.RMA, error) {
	n, err := tx.Bucket(bucketRMAKeys).Get([]byte(key))
	if err != nil {
		return domain.RMA{}, err
	}
	if n != nil {
		key = string(n)
	}
	return mustGet[domain.RMA](tx.Bucket(bucketRMAs), "rma", key)
}

// applyReturn records a received return for credit and puts restocked units
// back into stock. Units of an RMA line must match the line's item, not
// exceed its quantity, and carry a shipped serial when the item is
// serial-tracked; units the RMA did not expect (line 0) are recorded as they
// are. A restocked unit needs a known location and must not be damaged.
func applyReturn(tx storage.Tx, ev domain.Event, p domain.ReturnReceived) error {
	rma, err := lookupRMA(tx, p.RMA)
	if err != nil {
		return err
	}
	if rma.Status != domain.RMAOpen {
		return reject(api.CodeRMAClosed, "rma %s is %s already", rma.Number, rma.Status)
	}
	receipt := api.ReturnReceipt{RMA: rma.Number, UserID: ev.UserID, DeviceID: ev.DeviceID, At: ev.At.UTC(), Units: p.Units, Credit: "pending"}
	if receipt.Units == nil {
		receipt.Units = []domain.ReturnedUnit{}
	}
	got := map[int]int{}
	serials := map[string]bool{}
	for _, u := range p.Units {
		if u.Serial != "" && serials[u.SKU+"\x00"+u.Serial] {
			return reject(api.CodeBadRequest, "rma %s: %s serial %s received twice", rma.Number, u.SKU, u.Serial)
		}
		serials[u.SKU+"\x00"+u.Serial] = true
		credit, err := checkReturnedUnit(tx, rma, u, got)
		if err != nil {
			return err
		}
		receipt.CreditCents += credit
	}
	for _, u := range p.Units {
		if u.Disposition != domain.DispRestock {
			continue
		}
		before, after, err := addQty(tx, u.Location, u.SKU, u.Qty)
		if err != nil {
			return err
		}
		err = audit(tx, api.AuditEntry{At: ev.At, Kind: api.AuditReturnRestocked, UserID: ev.UserID, DeviceID: ev.DeviceID,
			Location: u.Location, RMA: rma.Number, Lines: []api.AuditLine{{SKU: u.SKU, Before: before, After: after}},
			Detail: fmt.Sprintf("%s %s", u.Condition, u.Serial)})
		if err != nil {
			return err
		}
		if err := releaseSerial(tx, u.SKU, u.Serial); err != nil { // back in stock: it may be picked again
			return err
		}
	}
	rma.Status = domain.RMAReceived
	if err := putJSON(tx.Bucket(bucketRMAs), rma.Number, rma); err != nil {
		return err
	}
	return putJSON(tx.Bucket(bucketReceipts), rma.Number, receipt)
}

// checkReturnedUnit checks one unit against the RMA (got counts units per
// line so far) and returns the credit it earns.
func checkReturnedUnit(tx storage.Tx, rma domain.RMA, u domain.ReturnedUnit, got map[int]int) (int, error) {
	switch {
	case u.Qty <= 0:
		return 0, reject(api.CodeBadRequest, "rma %s: quantity %d", rma.Number, u.Qty)
	case !slices.Contains(domain.Conditions(), u.Condition):
		return 0, reject(api.CodeBadRequest, "rma %s: condition %q is not one of %v", rma.Number, u.Condition, domain.Conditions())
	case !slices.Contains(domain.Dispositions(), u.Disposition):
		return 0, reject(api.CodeBadRequest, "rma %s: disposition %q is not one of %v", rma.Number, u.Disposition, domain.Dispositions())
	case u.Disposition == domain.DispRestock && u.Condition == domain.CondDamaged:
		return 0, reject(api.CodeBadRequest, "rma %s: a damaged %s cannot be restocked", rma.Number, u.SKU)
	case u.Disposition == domain.DispRestock && u.SKU == "":
		return 0, reject(api.CodeBadRequest, "rma %s: an unknown item %q cannot be restocked", rma.Number, u.Code)
	}
	if u.Disposition == domain.DispRestock {
		if _, err := mustGet[domain.Location](tx.Bucket(bucketLocations), "location", u.Location); err != nil {
			return 0, err
		}
	}
	if u.Line == 0 {
		return 0, nil // not expected: recorded, no credit
	}
	i := slices.IndexFunc(rma.Lines, func(l domain.RMALine) bool { return l.Line == u.Line })
	if i < 0 {
		return 0, reject(api.CodeUnknownLine, "rma %s has no line %d", rma.Number, u.Line)
	}
	l := rma.Lines[i]
	if u.SKU != l.SKU {
		return 0, reject(api.CodeUnknownItem, "rma %s line %d is %s, not %q", rma.Number, l.Line, l.SKU, u.SKU)
	}
	if got[l.Line]+u.Qty > l.Qty {
		return 0, reject(api.CodeOverQuantity, "rma %s line %d: %d expected, %d received", rma.Number, l.Line, l.Qty, got[l.Line]+u.Qty)
	}
	got[l.Line] += u.Qty
	it, err := mustGet[domain.Item](tx.Bucket(bucketItems), "item", l.SKU)
	if err != nil {
		return 0, err
	}
	if it.Tracking == domain.TrackSerial && (u.Qty != 1 || !slices.Contains(l.Serials, u.Serial)) {
		return 0, reject(api.CodeSerialNotShipped, "rma %s line %d: serial %q was not shipped on order %s", rma.Number, l.Line, u.Serial, rma.OrderID)
	}
	return u.Qty * it.UnitPrice, nil
}

// Returns lists the open RMAs with every item of the site (each with its
// home location, where a restocked unit goes) and every location, so a
// device can receive them offline and name an item of the site that is not
// on the RMA.
func (s *Store) Returns(ctx context.Context) (api.ReturnsResponse, error) {
	out := api.ReturnsResponse{RMAs: []domain.RMA{}, Items: []domain.Item{}}
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		if out.RMAs, err = listJSON(tx.Bucket(bucketRMAs), func(r domain.RMA) bool { return r.Status == domain.RMAOpen }); err != nil {
			return err
		}
		if out.Items, err = listJSON[domain.Item](tx.Bucket(bucketItems), nil); err != nil {
			return err
		}
		stock := tx.Bucket(bucketStock)
		for i := range out.Items {
			home, err := stock.Get([]byte(out.Items[i].SKU))
			if err != nil {
				return err
			}
			out.Items[i].Home = string(home)
		}
		out.Locations, err = listJSON[domain.Location](tx.Bucket(bucketLocations), nil)
		return err
	})
	return out, err
}

// Return finds an RMA by number or return label, with its receipt once received.
func (s *Store) Return(ctx context.Context, key string) (api.ReturnDetail, error) {
	var out api.ReturnDetail
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		if out.RMA, err = lookupRMA(tx, key); err != nil {
			return err
		}
		rc, ok, err := getJSON[api.ReturnReceipt](tx.Bucket(bucketReceipts), out.RMA.Number)
		if ok {
			out.Receipt = &rc
		}
		return err
	})
	return out, err
}

// Receipts lists the returns received, in RMA order.
func (s *Store) Receipts(ctx context.Context) ([]api.ReturnReceipt, error) {
	var out []api.ReturnReceipt
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		out, err = listJSON[api.ReturnReceipt](tx.Bucket(bucketReceipts), nil)
		return err
	})
	return out, err
}
