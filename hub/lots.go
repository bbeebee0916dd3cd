package hub

import (
	"fmt"
	"slices"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Lots and serials: the lots each location holds of a lot-tracked item
// (seeded, with expiry), and every serial picked on the site.
const (
	bucketLots    = "lots"    // location, NUL, SKU -> []domain.LotExpiry, first expiry first
	bucketSerials = "serials" // SKU, NUL, serial -> serialUse
)

// serialUse is the order a serial was picked for.
type serialUse struct {
	OrderID string    `json:"order_id"`
	At      time.Time `json:"at"`
}

// Limits of the lot seed.
const (
	maxLotLen = 20 // GS1 AI 10 takes up to 20 characters
)

// validateLots checks the seed's lots: known, lot-tracked items at known
// locations, each lot once there, expiries as dates; and every serial rule
// compiles.
func validateLots(site domain.Site) error {
	items, locs := map[string]domain.Item{}, map[string]bool{}
	for _, it := range site.Items {
		items[it.SKU] = it
		if it.SerialPattern != "" {
			if it.Tracking != domain.TrackSerial {
				return fmt.Errorf("item %s: a serial rule on an item not tracked by serial", it.SKU)
			}
			if _, err := it.SerialRule(); err != nil {
				return err
			}
		}
	}
	for _, l := range site.Locations {
		locs[l.Code] = true
	}
	seen := map[string]bool{}
	for _, l := range site.Lots {
		key := l.Location + "\x00" + l.SKU + "\x00" + l.Lot
		switch {
		case items[l.SKU].Tracking != domain.TrackLot:
			return fmt.Errorf("lots: %q is not a lot-tracked item", l.SKU)
		case !locs[l.Location]:
			return fmt.Errorf("lots: %s at unknown location %q", l.SKU, l.Location)
		case l.Lot == "" || len(l.Lot) > maxLotLen:
			return fmt.Errorf("lots: %s at %s: lot %q is not 1 to %d characters", l.SKU, l.Location, l.Lot, maxLotLen)
		case seen[key]:
			return fmt.Errorf("lots: %s lot %s at %s given twice", l.SKU, l.Lot, l.Location)
		}
		if l.Expiry != "" {
			if _, err := time.Parse(time.DateOnly, l.Expiry); err != nil {
				return fmt.Errorf("lots: %s lot %s: expiry %q is not YYYY-MM-DD", l.SKU, l.Lot, l.Expiry)
			}
		}
		seen[key] = true
	}
	return nil
}

// seedLots keeps the seed's lots by location and item, first expiry first.
func seedLots(tx storage.Tx, site domain.Site) error {
	byKey := map[string][]domain.LotExpiry{}
	for _, l := range site.Lots {
		k := l.Location + "\x00" + l.SKU
		byKey[k] = append(byKey[k], domain.LotExpiry{Lot: l.Lot, Expiry: l.Expiry})
	}
	for k, lots := range byKey {
		domain.SortFirstExpiry(lots)
		if err := putJSON(tx.Bucket(bucketLots), k, lots); err != nil {
			return err
		}
	}
	return nil
}

// knownLots are the lots of sku at loc, first expiry first; none when the
// site keeps no lots there.
func knownLots(tx storage.Tx, loc, sku string) ([]domain.LotExpiry, error) {
	lots, _, err := getJSON[[]domain.LotExpiry](tx.Bucket(bucketLots), loc+"\x00"+sku)
	return lots, err
}

// withKnownLots gives each line of a claimed task the lots at its location.
func withKnownLots(tx storage.Tx, task domain.Task) (domain.Task, error) {
	lines := slices.Clone(task.Lines)
	for i := range lines {
		lots, err := knownLots(tx, lines[i].Location, lines[i].SKU)
		if err != nil {
			return task, err
		}
		lines[i].KnownLots = lots
	}
	task.Lines = lines
	return task, nil
}

// checkIdentities checks the lots and serials of a pick before anything is
// written: each lot one known at the line's location, each serial matching
// the item's serial rule, given once, and not picked before on the site for
// a live or shipped order.
func checkIdentities(tx storage.Tx, loc string, p domain.PickLine) error {
	if len(p.Lots) > 0 {
		known, err := knownLots(tx, loc, p.SKU)
		if err != nil {
			return err
		}
		for _, l := range p.Lots {
			if !domain.LotKnown(known, l.Lot) {
				return reject(api.CodeUnknownLot, "lot %q of %s is not at %s (lots there: %s)", l.Lot, p.SKU, loc, domain.LotNames(known))
			}
		}
	}
	if len(p.Serials) == 0 {
		return nil
	}
	it, err := mustGet[domain.Item](tx.Bucket(bucketItems), "item", p.SKU)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, s := range p.Serials {
		if err := it.CheckSerial(s); err != nil {
			return reject(api.CodeSerialRule, "%v", err)
		}
		if seen[s] {
			return reject(api.CodeSerialUsed, "serial %s of %s is given twice", s, p.SKU)
		}
		seen[s] = true
		use, ok, err := getJSON[serialUse](tx.Bucket(bucketSerials), p.SKU+"\x00"+s)
		switch {
		case err != nil:
			return err
		case !ok:
			continue // never picked
		}
		order, ok, err := orderAnywhere(tx, use.OrderID)
		switch {
		case err != nil:
			return err
		case !ok || order.Status == domain.OrderCancelled:
			continue // back in stock
		case order.Status.Shipped():
			return reject(api.CodeSerialUsed, "serial %s of %s has shipped on order %s", s, p.SKU, use.OrderID)
		}
		return reject(api.CodeSerialUsed, "serial %s of %s is already picked for order %s", s, p.SKU, use.OrderID)
	}
	return nil
}

// recordSerials notes the serials of a pick as picked for the order.
func recordSerials(tx storage.Tx, ev domain.Event, orderID string, p domain.PickLine) error {
	for _, s := range p.Serials {
		if err := putJSON(tx.Bucket(bucketSerials), p.SKU+"\x00"+s, serialUse{OrderID: orderID, At: ev.At.UTC()}); err != nil {
			return err
		}
	}
	return nil
}

// releaseSerial puts a serial back in stock (a returned unit restocked):
// it may be picked again.
func releaseSerial(tx storage.Tx, sku, serial string) error {
	if serial == "" {
		return nil
	}
	return tx.Bucket(bucketSerials).Delete([]byte(sku + "\x00" + serial))
}
