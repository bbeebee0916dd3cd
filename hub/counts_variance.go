package hub

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// countRecord is one submitted count of a location, with the system
// quantities it was compared with.
type countRecord struct {
	TaskID   string `json:"task_id"`
	Cycle    string `json:"cycle"` // the first count task of this location's counts
	Location string `json:"location"`
	UserID   string `json:"user_id"`
	DeviceID string `json:"device_id"`
	// At is when the count was submitted on the device.
	At      time.Time          `json:"at"`
	Recount bool               `json:"recount"`
	Empty   bool               `json:"empty"`
	Lines   []countedLine      `json:"lines"`
	Unknown []domain.CountScan `json:"unknown,omitempty"` // barcodes no item has, for review
	Matched bool               `json:"matched"`
}

// countedLine is one item's system and counted quantity.
type countedLine struct {
	SKU     string `json:"sku"`
	System  int    `json:"system"`
	Counted int    `json:"counted"`
}

func (r countRecord) counted() map[string]int {
	out := map[string]int{}
	for _, l := range r.Lines {
		if l.Counted != 0 {
			out[l.SKU] = l.Counted
		}
	}
	return out
}

// applyCount records the count of one location of a count task held by the
// event's user, then applies the variance rules.
func applyCount(tx storage.Tx, ev domain.Event, p domain.CountSubmitted) error {
	task, err := mustGet[domain.CountTask](tx.Bucket(bucketCountTasks), "count task", p.TaskID)
	if err != nil {
		return err
	}
	switch {
	case task.UserID != ev.UserID || !unfinished(task.Status):
		return reject(api.CodeTaskNotHeld, "count task %s is %s and held by %q, not %q", task.ID, task.Status, task.UserID, ev.UserID)
	case checkHolder(tx, task.ID, ev) != nil:
		return checkHolder(tx, task.ID, ev)
	case !slices.Contains(task.Locations, p.Location):
		return reject(api.CodeBadRequest, "count task %s has no location %q", task.ID, p.Location)
	case slices.Contains(task.Counted, p.Location):
		return reject(api.CodeAlreadyCounted, "count task %s: %s was counted already", task.ID, p.Location)
	case p.Empty && (len(p.Lines) > 0 || len(p.Unknown) > 0):
		return reject(api.CodeBadRequest, "count of %s is confirmed empty but has lines", p.Location)
	case !p.Empty && len(p.Lines) == 0 && len(p.Unknown) == 0:
		return reject(api.CodeBadRequest, "count of %s has no lines and is not confirmed empty", p.Location)
	}
	counted, unknown, err := countedQuantities(tx, p)
	if err != nil {
		return err
	}
	system, err := qtysAt(tx, p.Location)
	if err != nil {
		return err
	}
	rec := countRecord{TaskID: task.ID, Cycle: task.ID, Location: p.Location, UserID: ev.UserID, DeviceID: ev.DeviceID,
		At: ev.At.UTC(), Recount: task.By == domain.CountByRecount, Empty: p.Empty, Unknown: unknown, Matched: true}
	if task.RecountOf != "" {
		rec.Cycle = task.RecountOf
	}
	skus := slices.Sorted(maps.Keys(system))
	for _, sku := range slices.Sorted(maps.Keys(counted)) {
		if _, ok := system[sku]; !ok {
			skus = append(skus, sku)
		}
	}
	for _, sku := range skus {
		rec.Lines = append(rec.Lines, countedLine{SKU: sku, System: system[sku], Counted: counted[sku]})
		rec.Matched = rec.Matched && system[sku] == counted[sku]
	}
	if err := addCountRecord(tx, rec); err != nil {
		return err
	}
	task.Counted = append(task.Counted, p.Location)
	if len(task.Counted) == len(task.Locations) {
		task.Status = domain.TaskDone
	}
	if err := saveCountTask(tx, task); err != nil {
		return err
	}
	return varianceRules(tx, ev, task, rec)
}

// countedQuantities sums the counted lines per SKU. A barcode the device did
// not know is counted as its item when the hub knows it, else kept for review.
func countedQuantities(tx storage.Tx, p domain.CountSubmitted) (map[string]int, []domain.CountScan, error) {
	counted := map[string]int{}
	for _, l := range p.Lines {
		if l.Qty <= 0 {
			return nil, nil, reject(api.CodeBadRequest, "count of %s: %s quantity %d", p.Location, l.SKU, l.Qty)
		}
		if _, ok, err := getJSON[domain.Item](tx.Bucket(bucketItems), l.SKU); err != nil || !ok {
			if err == nil {
				err = reject(api.CodeUnknownItem, "count of %s: no item %q", p.Location, l.SKU)
			}
			return nil, nil, err
		}
		counted[l.SKU] += l.Qty
	}
	var unknown []domain.CountScan
	for _, u := range p.Unknown {
		if u.Qty <= 0 {
			return nil, nil, reject(api.CodeBadRequest, "count of %s: %s quantity %d", p.Location, u.Code, u.Qty)
		}
		it, err := lookupItem(tx, u.Code)
		switch {
		case kindOf(err) == KindNotFound:
			unknown = append(unknown, u)
		case err != nil:
			return nil, nil, err
		default:
			counted[it.SKU] += u.Qty
		}
	}
	return counted, unknown, nil
}

func addCountRecord(tx storage.Tx, rec countRecord) error {
	b := tx.Bucket(bucketCountRecs)
	n, err := b.NextSequence()
	if err != nil {
		return err
	}
	kind := api.AuditCount
	if rec.Recount {
		kind = api.AuditRecount
	}
	e := api.AuditEntry{At: rec.At, Kind: kind, UserID: rec.UserID, DeviceID: rec.DeviceID, TaskID: rec.TaskID, Location: rec.Location}
	for _, l := range rec.Lines {
		e.Lines = append(e.Lines, api.AuditLine{SKU: l.SKU, Before: l.System, After: l.Counted})
	}
	e.Detail = "differs from the system"
	switch {
	case rec.Empty && rec.Matched:
		e.Detail = "confirmed empty; matches"
	case rec.Empty:
		e.Detail = "confirmed empty; differs from the system"
	case rec.Matched:
		e.Detail = "matches the system"
	}
	for _, u := range rec.Unknown {
		e.Detail += fmt.Sprintf("; unknown barcode %s x%d for review", u.Code, u.Qty)
	}
	if err := audit(tx, e); err != nil {
		return err
	}
	key := string(seqKey(n))
	if err := putJSON(b, key, rec); err != nil {
		return err
	}
	return reindex(tx, nil, countRecordEntries(key, rec))
}

// varianceRules decides what follows a count that differs from the system:
// an adjustment when two counts agree, or when a first count is within the
// site threshold; else a recount by a user who has not counted the location
// in this cycle, up to the policy's MaxCounts, after which the latest count
// is proposed and always waits for a lead.
func varianceRules(tx storage.Tx, ev domain.Event, task domain.CountTask, rec countRecord) error {
	if rec.Matched {
		return nil
	}
	policy, err := countPolicy(tx)
	if err != nil {
		return err
	}
	prior, err := cycleCounts(tx, rec)
	if err != nil {
		return err
	}
	agree := slices.ContainsFunc(prior, func(r countRecord) bool { return maps.Equal(r.counted(), rec.counted()) })
	beyond, err := beyondThreshold(tx, policy, rec)
	if err != nil {
		return err
	}
	switch {
	case agree:
		return propose(tx, ev, policy, rec, "two counts agree", false)
	case len(prior) == 0 && !beyond:
		return propose(tx, ev, policy, rec, "within the variance threshold", false)
	case len(prior)+1 >= policy.MaxCounts:
		return propose(tx, ev, policy, rec, fmt.Sprintf("%d counts disagree; the latest is proposed", len(prior)+1), true)
	}
	recount, err := newCountTask(tx, domain.CountByRecount, []string{rec.Location}, "hub", rec.At)
	if err != nil {
		return err
	}
	recount.RecountOf = rec.Cycle
	recount.NotUsers = []string{rec.UserID}
	for _, r := range prior {
		if !slices.Contains(recount.NotUsers, r.UserID) {
			recount.NotUsers = append(recount.NotUsers, r.UserID)
		}
	}
	if err := saveCountTask(tx, recount); err != nil {
		return err
	}
	return audit(tx, api.AuditEntry{At: rec.At, Kind: api.AuditRecountCreated, UserID: ev.UserID, DeviceID: ev.DeviceID,
		TaskID: recount.ID, Location: rec.Location, Detail: fmt.Sprintf("count of task %s is beyond the variance threshold; not for %v", task.ID, recount.NotUsers)})
}

// cycleCounts lists the other tasks' counts of rec's location in its cycle.
func cycleCounts(tx storage.Tx, rec countRecord) ([]countRecord, error) {
	keys, err := prefixKeys(tx.Bucket(ixCountCycle), join(rec.Cycle, rec.Location))
	if err != nil {
		return nil, err
	}
	all, err := getEach[countRecord](tx.Bucket(bucketCountRecs), "count record", keys)
	return slices.DeleteFunc(all, func(r countRecord) bool { return r.TaskID == rec.TaskID }), err
}

// beyondThreshold reports whether some item's difference exceeds all three
// limits of the policy: units, percent of the system quantity, and value.
func beyondThreshold(tx storage.Tx, policy domain.CountPolicy, rec countRecord) (bool, error) {
	for _, l := range rec.Lines {
		units := abs(l.Counted - l.System)
		if units == 0 {
			continue
		}
		pct := 100.0
		if l.System > 0 {
			pct = 100 * float64(units) / float64(l.System)
		}
		price, err := unitPrice(tx, l.SKU)
		if err != nil {
			return false, err
		}
		if units > policy.VarianceUnits && pct > policy.VariancePercent && units*price > policy.VarianceCents {
			return true, nil
		}
	}
	return false, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func unitPrice(tx storage.Tx, sku string) (int, error) {
	it, err := mustGet[domain.Item](tx.Bucket(bucketItems), "item", sku)
	return it.UnitPrice, err
}

// AdjustmentPrefix starts every adjustment id: "ADJ-000001".
const AdjustmentPrefix = "ADJ-"

// propose makes the adjustment a count calls for: applied at once when its
// value is within the policy's approval limit (and force is false), else
// left waiting for a lead.
func propose(tx storage.Tx, ev domain.Event, policy domain.CountPolicy, rec countRecord, reason string, force bool) error {
	id, err := nextID(tx.Bucket(bucketAdjustments), AdjustmentPrefix)
	if err != nil {
		return err
	}
	adj := api.Adjustment{ID: id, Location: rec.Location, TaskID: rec.TaskID, Status: api.AdjustPending, Reason: reason, ProposedAt: rec.At}
	e := api.AuditEntry{At: rec.At, Kind: api.AuditAdjustProposed, UserID: ev.UserID, DeviceID: ev.DeviceID, TaskID: rec.TaskID,
		Location: rec.Location, AdjustmentID: id, Detail: reason}
	for _, l := range rec.Lines {
		if l.Counted == l.System {
			continue
		}
		price, err := unitPrice(tx, l.SKU)
		if err != nil {
			return err
		}
		d := l.Counted - l.System
		adj.Lines = append(adj.Lines, api.AdjustmentLine{SKU: l.SKU, System: l.System, Counted: l.Counted, Delta: d, ValueCents: abs(d) * price})
		adj.ValueCents += abs(d) * price
		e.Lines = append(e.Lines, api.AuditLine{SKU: l.SKU, Before: l.System, After: l.Counted})
	}
	e.Detail += fmt.Sprintf("; value %d cents", adj.ValueCents)
	if err := audit(tx, e); err != nil {
		return err
	}
	if !force && adj.ValueCents <= policy.ApprovalCents {
		if err := applyAdjustment(tx, &adj, ev.UserID, ev.DeviceID, rec.At); err != nil {
			return err
		}
	}
	return putJSON(tx.Bucket(bucketAdjustments), adj.ID, adj)
}

// applyAdjustment changes the stock by each line's difference and records
// the quantities before and after.
func applyAdjustment(tx storage.Tx, adj *api.Adjustment, user, device string, at time.Time) error {
	e := api.AuditEntry{At: at, Kind: api.AuditAdjustApplied, UserID: user, DeviceID: device, TaskID: adj.TaskID,
		Location: adj.Location, AdjustmentID: adj.ID}
	for _, l := range adj.Lines {
		before, after, err := addQty(tx, adj.Location, l.SKU, l.Delta)
		if err != nil {
			return err
		}
		e.Lines = append(e.Lines, api.AuditLine{SKU: l.SKU, Before: before, After: after})
	}
	adj.Status = api.AdjustApplied
	return audit(tx, e)
}

// DecideAdjustment approves (applies) or rejects a pending adjustment: a
// lead's call, checked here. deviceID and at go to the audit trail.
func (s *Store) DecideAdjustment(ctx context.Context, deviceID, id string, req api.DecisionRequest, at time.Time) (api.Adjustment, error) {
	var adj api.Adjustment
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		if _, err := requireLead(tx, req.UserID, "approve adjustments"); err != nil {
			return err
		}
		var err error
		if adj, err = mustGet[api.Adjustment](tx.Bucket(bucketAdjustments), "adjustment", id); err != nil {
			return err
		}
		if adj.Status != api.AdjustPending {
			return conflict(api.CodeNotPending, "adjustment %s is %s already", id, adj.Status)
		}
		when := at.UTC()
		adj.DecidedBy, adj.DecidedAt = req.UserID, &when
		kind := api.AuditRejected
		if req.Approve {
			kind = api.AuditApproved
		}
		e := api.AuditEntry{At: at, Kind: kind, UserID: req.UserID, DeviceID: deviceID, TaskID: adj.TaskID, Location: adj.Location,
			AdjustmentID: adj.ID, Detail: req.Note}
		if err := audit(tx, e); err != nil {
			return err
		}
		if req.Approve {
			err = applyAdjustment(tx, &adj, req.UserID, deviceID, at)
		} else {
			adj.Status = api.AdjustRejected
		}
		if err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketAdjustments), adj.ID, adj)
	})
	return adj, err
}

// Adjustments lists adjustments, all or those with status (a lead's read).
func (s *Store) Adjustments(ctx context.Context, leadID, status string) ([]api.Adjustment, error) {
	var out []api.Adjustment
	err := s.db.View(ctx, func(tx storage.Tx) error {
		if _, err := requireLead(tx, leadID, "read adjustments"); err != nil {
			return err
		}
		var err error
		out, err = listJSON(tx.Bucket(bucketAdjustments), func(a api.Adjustment) bool { return status == "" || a.Status == status })
		return err
	})
	return out, err // ids are zero-padded: key order is the order proposed
}
