package hub

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// CountTaskPrefix starts every count task id: "C-000001".
const CountTaskPrefix = "C-"

// CreateCounts makes count tasks (a lead's call, checked here): one task with
// the chosen locations in walk order. By ABC it takes the locations holding
// an item whose class (req.Class, or every class) is due: never counted, or
// last counted longer ago than the policy's days for the class. deviceID and
// at go to the audit trail.
func (s *Store) CreateCounts(ctx context.Context, deviceID string, req api.CreateCountsRequest, at time.Time) (api.CreateCountsResponse, error) {
	out := api.CreateCountsResponse{Tasks: []domain.CountTask{}}
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		if _, err := requireLead(tx, req.UserID, "create count tasks"); err != nil {
			return err
		}
		locs, err := countLocations(tx, req, at)
		if err != nil {
			return err
		}
		task, err := newCountTask(tx, req.By, locs, req.UserID, at)
		if err != nil {
			return err
		}
		out.Tasks = []domain.CountTask{task} // not appended: fn may run again
		return audit(tx, api.AuditEntry{At: at, Kind: api.AuditCountTaskCreated, UserID: req.UserID, DeviceID: deviceID,
			TaskID: task.ID, Detail: string(req.By) + " " + strings.Join(task.Locations, " ")})
	})
	return out, err
}

// countLocations chooses the locations of a new count task.
func countLocations(tx storage.Tx, req api.CreateCountsRequest, at time.Time) ([]string, error) {
	all, err := listJSON[domain.Location](tx.Bucket(bucketLocations), nil)
	if err != nil {
		return nil, err
	}
	pick := map[string]bool{}
	switch req.By {
	case domain.CountByLocations:
		for _, code := range req.Locations {
			if _, err := mustGet[domain.Location](tx.Bucket(bucketLocations), "location", code); err != nil {
				return nil, err
			}
			pick[code] = true
		}
	case domain.CountByZone:
		for _, l := range all {
			pick[l.Code] = pick[l.Code] || l.Zone == req.Zone
		}
	case domain.CountByItem:
		if _, err := mustGet[domain.Item](tx.Bucket(bucketItems), "item", req.SKU); err != nil {
			return nil, err
		}
		held, err := itemLocations(tx)
		if err != nil {
			return nil, err
		}
		for _, code := range held[req.SKU] {
			pick[code] = true
		}
	case domain.CountByABC:
		if req.Class != "" && !req.Class.Valid() {
			return nil, badRequest("class %q is not A, B or C", req.Class)
		}
		if pick, err = dueLocations(tx, req.Class, at); err != nil {
			return nil, err
		}
	default:
		return nil, badRequest("by %q is not locations, zone, item or abc", req.By)
	}
	var out []string
	for _, l := range all { // walk order comes from the sequence
		if pick[l.Code] {
			out = append(out, l.Code)
		}
	}
	if err := sortBySequence(tx, out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, newError(KindNotFound, api.CodeNothingDue, "no location to count for %s %s%s%s", req.By, req.Zone, req.SKU, req.Class)
	}
	return out, nil
}

// sortBySequence puts location codes in walk order.
func sortBySequence(tx storage.Tx, codes []string) error {
	seq := map[string]int{}
	for _, c := range codes {
		l, _, err := getJSON[domain.Location](tx.Bucket(bucketLocations), c)
		if err != nil {
			return err
		}
		seq[c] = l.Sequence
	}
	sort.SliceStable(codes, func(i, j int) bool { return seq[codes[i]] < seq[codes[j]] })
	return nil
}

// itemLocations is where each SKU is held: its pick location and every
// location with a system quantity of it.
func itemLocations(tx storage.Tx) (map[string][]string, error) {
	out := map[string][]string{}
	add := func(sku, loc string) {
		if !slices.Contains(out[sku], loc) {
			out[sku] = append(out[sku], loc)
		}
	}
	err := tx.Bucket(bucketStock).Scan(nil, nil, func(k, v []byte) error {
		add(string(k), string(v))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Bucket(bucketStockQty).Scan(nil, nil, func(k, _ []byte) error {
		loc, sku, _ := strings.Cut(string(k), "\x00")
		add(sku, loc)
		return nil
	})
	return out, err
}

// newCountTask stores an open count task.
func newCountTask(tx storage.Tx, by domain.CountBy, locs []string, createdBy string, at time.Time) (domain.CountTask, error) {
	b := tx.Bucket(bucketCountTasks)
	id, err := nextID(b, CountTaskPrefix)
	if err != nil {
		return domain.CountTask{}, err
	}
	t := domain.CountTask{ID: id, Status: domain.TaskOpen, By: by, Locations: locs, Counted: []string{}, CreatedBy: createdBy, CreatedAt: at.UTC()}
	return t, saveCountTask(tx, t)
}

// ClaimCount gives a user a count task: the unfinished one they hold, or else
// the next open one they may take (recounts first, then oldest). A recount is
// never given to a user who counted its location before. With nothing left it
// is an *Error with code no_task.
func (s *Store) ClaimCount(ctx context.Context, userID string) (api.CountClaimResponse, error) {
	return s.ClaimCountThrough(ctx, "", userID)
}

// ClaimCountThrough is ClaimCount made through a device, which then holds
// the task (see ClaimThrough).
func (s *Store) ClaimCountThrough(ctx context.Context, deviceID, userID string) (api.CountClaimResponse, error) {
	var out api.CountClaimResponse
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		if _, err := mustGet[domain.User](tx.Bucket(bucketUsers), "user", userID); err != nil {
			return err
		}
		task, err := nextCountTask(tx, userID)
		if err != nil {
			return err
		}
		if task.Status == domain.TaskOpen {
			task.Status, task.UserID = domain.TaskClaimed, userID
			if err := saveCountTask(tx, task); err != nil {
				return err
			}
		}
		if err := holdThrough(tx, task.ID, deviceID); err != nil {
			return err
		}
		out, err = countClaimResponse(tx, task)
		return err
	})
	return out, err
}

// nextCountTask is the count task a claim gives the user: the unfinished
// one they hold, or else the first open one they may take (recounts first,
// then oldest).
func nextCountTask(tx storage.Tx, userID string) (domain.CountTask, error) {
	tasks := tx.Bucket(bucketCountTasks)
	held, err := prefixKeys(tx.Bucket(ixHeldCounts), userID)
	if err != nil {
		return domain.CountTask{}, err
	}
	if len(held) > 0 {
		return mustGet[domain.CountTask](tasks, "count task", held[0])
	}
	var task domain.CountTask
	err = tx.Bucket(ixOpenCounts).Scan(nil, nil, func(k, _ []byte) error {
		t, err := mustGet[domain.CountTask](tasks, "count task", string(k[1:]))
		if err != nil {
			return err
		}
		if slices.Contains(t.NotUsers, userID) {
			return nil
		}
		task = t
		return storage.ErrStop
	})
	if err == nil && task.ID == "" {
		err = newError(KindNotFound, api.CodeNoTask, "no count task is waiting for %s", userID)
	}
	return task, err
}

func countClaimResponse(tx storage.Tx, task domain.CountTask) (api.CountClaimResponse, error) {
	out := api.CountClaimResponse{Task: task, Items: []domain.Item{}, Locations: []domain.Location{}}
	held, err := itemLocations(tx)
	if err != nil {
		return out, err
	}
	skus := []string{}
	for sku, locs := range held {
		for _, l := range locs {
			if slices.Contains(task.Locations, l) && !slices.Contains(skus, sku) {
				skus = append(skus, sku)
			}
		}
	}
	sort.Strings(skus)
	for _, sku := range skus {
		it, err := mustGet[domain.Item](tx.Bucket(bucketItems), "item", sku)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, it)
	}
	for _, code := range task.Locations {
		l, err := mustGet[domain.Location](tx.Bucket(bucketLocations), "location", code)
		if err != nil {
			return out, err
		}
		out.Locations = append(out.Locations, l)
	}
	return out, nil
}

// CountTask returns one count task.
func (s *Store) CountTask(ctx context.Context, id string) (domain.CountTask, error) {
	var t domain.CountTask
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		t, err = mustGet[domain.CountTask](tx.Bucket(bucketCountTasks), "count task", id)
		return err
	})
	return t, err
}

// CountTasks lists every count task, oldest first.
func (s *Store) CountTasks(ctx context.Context) ([]domain.CountTask, error) {
	var out []domain.CountTask
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		out, err = listJSON[domain.CountTask](tx.Bucket(bucketCountTasks), nil)
		return err
	})
	return out, err
}
