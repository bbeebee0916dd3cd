package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// itemClasses ranks every item by the units picked over the policy's
// velocity window before at (Pareto: the items making the first ShareA
// percent of units are A, the next ShareB percent B, the rest and the
// unpicked C); a class set by hand wins.
func itemClasses(tx storage.Tx, at time.Time) ([]api.ItemClass, error) {
	policy, err := countPolicy(tx)
	if err != nil {
		return nil, err
	}
	from := at.UTC().AddDate(0, 0, -policy.VelocityDays).Format(dayLayout)
	to := at.UTC().Format(dayLayout)
	picked := map[string]int{}
	err = tx.Bucket(bucketPickedUnits).Scan(nil, nil, func(k, v []byte) error {
		sku, day, _ := strings.Cut(string(k), "\x00")
		if day < from || day > to {
			return nil
		}
		var n int
		if err := json.Unmarshal(v, &n); err != nil {
			return fmt.Errorf("decode picked units %q: %w", k, err)
		}
		picked[sku] += n
		return nil
	})
	if err != nil {
		return nil, err
	}
	items, err := listJSON[domain.Item](tx.Bucket(bucketItems), nil)
	if err != nil {
		return nil, err
	}
	out := make([]api.ItemClass, 0, len(items))
	total := 0
	for _, it := range items {
		out = append(out, api.ItemClass{SKU: it.SKU, Picked: picked[it.SKU]})
		total += picked[it.SKU]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Picked > out[j].Picked })
	cum := 0
	for i := range out {
		share := 0.0
		if total > 0 {
			share = 100 * float64(cum) / float64(total) // the share of the items before this one
		}
		cum += out[i].Picked
		switch {
		case out[i].Picked > 0 && share < policy.ShareA:
			out[i].Class = domain.ClassA
		case out[i].Picked > 0 && share < policy.ShareA+policy.ShareB:
			out[i].Class = domain.ClassB
		default:
			out[i].Class = domain.ClassC
		}
		c, err := tx.Bucket(bucketClasses).Get([]byte(out[i].SKU))
		if err != nil {
			return nil, err
		}
		if c != nil {
			out[i].Class, out[i].Manual = domain.ABCClass(c), true
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SKU < out[j].SKU })
	return out, nil
}

// dueLocations are the locations holding an item of class (or any class when
// empty) that was never counted or not within the class's days before at,
// and that no waiting count task holds.
func dueLocations(tx storage.Tx, class domain.ABCClass, at time.Time) (map[string]bool, error) {
	policy, err := countPolicy(tx)
	if err != nil {
		return nil, err
	}
	classes, err := itemClasses(tx, at)
	if err != nil {
		return nil, err
	}
	held, err := itemLocations(tx)
	if err != nil {
		return nil, err
	}
	waiting, err := waitingCountTasks(tx)
	if err != nil {
		return nil, err
	}
	onTask := map[string]bool{}
	for _, t := range waiting {
		for _, l := range t.Locations {
			if !slices.Contains(t.Counted, l) {
				onTask[l] = true
			}
		}
	}
	days := map[domain.ABCClass]int{domain.ClassA: policy.DaysA, domain.ClassB: policy.DaysB, domain.ClassC: policy.DaysC}
	out := map[string]bool{}
	for _, ic := range classes {
		if class != "" && ic.Class != class {
			continue
		}
		for _, loc := range held[ic.SKU] {
			if onTask[loc] {
				continue // a count of it is waiting already
			}
			when, ok, err := lastCountedAt(tx, loc)
			if err != nil {
				return nil, err
			}
			if !ok || at.Sub(when) >= time.Duration(days[ic.Class])*24*time.Hour {
				out[loc] = true
			}
		}
	}
	return out, nil
}

// waitingCountTasks lists the count tasks open or held, unfinished.
func waitingCountTasks(tx storage.Tx) ([]domain.CountTask, error) {
	var ids []string
	err := tx.Bucket(ixOpenCounts).Scan(nil, nil, func(k, _ []byte) error {
		ids = append(ids, string(k[1:]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Bucket(ixHeldCounts).Scan(nil, nil, func(k, _ []byte) error {
		_, id, _ := strings.Cut(string(k), "\x00")
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return getEach[domain.CountTask](tx.Bucket(bucketCountTasks), "count task", ids)
}

// ItemClasses lists every item's ABC class as of at.
func (s *Store) ItemClasses(ctx context.Context, at time.Time) ([]api.ItemClass, error) {
	var out []api.ItemClass
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		out, err = itemClasses(tx, at)
		return err
	})
	return out, err
}

// SetItemClass sets an item's ABC class by hand (a lead's call, checked here)
// and returns the item's class as of at.
func (s *Store) SetItemClass(ctx context.Context, req api.ClassRequest, at time.Time) (api.ItemClass, error) {
	var out api.ItemClass
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		if _, err := requireLead(tx, req.UserID, "set ABC classes"); err != nil {
			return err
		}
		if !req.Class.Valid() {
			return badRequest("class %q is not A, B or C", req.Class)
		}
		if _, err := mustGet[domain.Item](tx.Bucket(bucketItems), "item", req.SKU); err != nil {
			return err
		}
		if err := tx.Bucket(bucketClasses).Put([]byte(req.SKU), []byte(req.Class)); err != nil {
			return err
		}
		classes, err := itemClasses(tx, at)
		out = api.ItemClass{} // fn may run again
		for _, c := range classes {
			if c.SKU == req.SKU {
				out = c
			}
		}
		return err
	})
	return out, err
}
