package hub

import (
	"fmt"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Buckets of cycle counts and returns.
const (
	bucketCountTasks  = "count_tasks"  // count task id -> domain.CountTask
	bucketStockQty    = "stock_qty"    // location, NUL, SKU -> int quantity
	bucketCountRecs   = "count_recs"   // big-endian sequence -> countRecord
	bucketAdjustments = "adjustments"  // adjustment id -> api.Adjustment
	bucketAudit       = "audit"        // big-endian sequence -> api.AuditEntry
	bucketPickedUnits = "picked_units" // SKU, NUL, YYYY-MM-DD -> int units picked that day
	bucketClasses     = "abc_classes"  // SKU -> domain.ABCClass set by hand
	bucketRMAs        = "rmas"         // RMA number -> domain.RMA
	bucketRMAKeys     = "rma_keys"     // return label barcode -> RMA number
	bucketReceipts    = "receipts"     // RMA number -> api.ReturnReceipt
)

const metaCountPolicy = "count_policy"

// validateInventory checks the cycle count and returns part of a seed.
func validateInventory(site domain.Site) error {
	items, locs := map[string]domain.Item{}, map[string]bool{}
	for _, it := range site.Items {
		items[it.SKU] = it
	}
	for _, l := range site.Locations {
		locs[l.Code] = true
	}
	held := map[string]bool{}
	for _, q := range site.Quantities {
		switch {
		case items[q.SKU].SKU == "":
			return fmt.Errorf("quantities: unknown item %q", q.SKU)
		case !locs[q.Location]:
			return fmt.Errorf("quantities: %s at unknown location %q", q.SKU, q.Location)
		case q.Qty < 0:
			return fmt.Errorf("quantities: %s at %s is %d", q.SKU, q.Location, q.Qty)
		case held[q.Location+"\x00"+q.SKU]:
			return fmt.Errorf("quantities: %s at %s given twice", q.SKU, q.Location)
		}
		held[q.Location+"\x00"+q.SKU] = true
	}
	for sku, c := range site.Classes {
		if items[sku].SKU == "" || !c.Valid() {
			return fmt.Errorf("classes: %s is %q; the item must exist and the class be A, B or C", sku, c)
		}
	}
	if p := site.CountPolicy; p != nil && (p.VarianceUnits < 0 || p.VariancePercent < 0 || p.VarianceCents < 0 || p.ApprovalCents < 0 ||
		p.DaysA <= 0 || p.DaysB <= 0 || p.DaysC <= 0 || p.VelocityDays <= 0 || p.MaxCounts < 2 || p.ShareA <= 0 || p.ShareA+p.ShareB > 100) {
		return fmt.Errorf("count_policy: limits must not be negative, days positive, max_counts at least 2, share_a+share_b at most 100")
	}
	return validateRMAs(site, items)
}

// seedInventory writes the cycle count and returns part of a seed.
func seedInventory(tx storage.Tx, site domain.Site) error {
	policy := domain.DefaultCountPolicy()
	if site.CountPolicy != nil {
		policy = *site.CountPolicy
	}
	if err := putJSON(tx.Bucket(bucketMeta), string(metaCountPolicy), policy); err != nil {
		return err
	}
	for _, q := range site.Quantities {
		if err := setQty(tx, q.Location, q.SKU, q.Qty); err != nil {
			return err
		}
	}
	for sku, c := range site.Classes {
		if err := tx.Bucket(bucketClasses).Put([]byte(sku), []byte(c)); err != nil {
			return err
		}
	}
	return seedRMAs(tx, site.RMAs)
}

// countPolicy is the site's policy.
func countPolicy(tx storage.Tx) (domain.CountPolicy, error) {
	p, ok, err := getJSON[domain.CountPolicy](tx.Bucket(bucketMeta), string(metaCountPolicy))
	if !ok && err == nil {
		p = domain.DefaultCountPolicy()
	}
	return p, err
}

func qtyKey(loc, sku string) []byte { return []byte(loc + "\x00" + sku) }

// setQty sets the system quantity of an item at a location; zero removes it.
func setQty(tx storage.Tx, loc, sku string, qty int) error {
	if qty == 0 {
		return tx.Bucket(bucketStockQty).Delete(qtyKey(loc, sku))
	}
	return putJSON(tx.Bucket(bucketStockQty), string(qtyKey(loc, sku)), qty)
}

// qtysAt is the system quantity of every item at a location.
func qtysAt(tx storage.Tx, loc string) (map[string]int, error) {
	out := map[string]int{}
	prefix := []byte(loc + "\x00")
	err := scanJSON(tx.Bucket(bucketStockQty), prefix, storage.PrefixEnd(prefix), func(k []byte, n int) error {
		out[string(k[len(prefix):])] = n
		return nil
	})
	return out, err
}

// addQty changes the system quantity by delta (never below zero) and returns before and after.
func addQty(tx storage.Tx, loc, sku string, delta int) (before, after int, err error) {
	before, _, err = getJSON[int](tx.Bucket(bucketStockQty), string(qtyKey(loc, sku)))
	if err != nil {
		return 0, 0, err
	}
	after = max(before+delta, 0)
	return before, after, setQty(tx, loc, sku, after)
}

// recordPicked takes picked units out of the location's system quantity and
// adds them to the item's velocity (units picked per day, for ABC classes).
func recordPicked(tx storage.Tx, ev domain.Event, loc, sku string, units int) error {
	if units <= 0 {
		return nil
	}
	if _, _, err := addQty(tx, loc, sku, -units); err != nil {
		return err
	}
	key := sku + "\x00" + ev.At.UTC().Format(dayLayout)
	n, _, err := getJSON[int](tx.Bucket(bucketPickedUnits), key)
	if err != nil {
		return err
	}
	return putJSON(tx.Bucket(bucketPickedUnits), key, n+units)
}

const dayLayout = "2006-01-02"

// requireLead loads a user and refuses anyone but a lead.
func requireLead(tx storage.Tx, userID, what string) (domain.User, error) {
	u, err := mustGet[domain.User](tx.Bucket(bucketUsers), "user", userID)
	if err != nil {
		return u, err
	}
	if u.Role != domain.RoleLead {
		return u, forbidden("%s is %s %q; only a lead may %s", u.ID, u.Role, u.Name, what)
	}
	return u, nil
}

// nextID makes the next id of a bucket: prefix and a six-digit sequence.
func nextID(b storage.Bucket, prefix string) (string, error) {
	n, err := b.NextSequence()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%06d", prefix, n), nil
}
