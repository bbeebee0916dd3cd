package hub

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/storage"
)

// CountKPIs measures cycle counting (a lead's read): inventory record
// accuracy over first counts, variance by location and by item (first
// counts), and counts per clock hour (every count).
func (s *Store) CountKPIs(ctx context.Context, leadID string) (api.CountKPIs, error) {
	out := api.CountKPIs{ByLocation: []api.Variance{}, ByItem: []api.Variance{}, PerHour: []api.HourCount{}}
	err := s.db.View(ctx, func(tx storage.Tx) error {
		if _, err := requireLead(tx, leadID, "read count KPIs"); err != nil {
			return err
		}
		recs, err := listJSON[countRecord](tx.Bucket(bucketCountRecs), nil)
		if err != nil {
			return err
		}
		byLoc, byItem, perHour := map[string]*api.Variance{}, map[string]*api.Variance{}, map[time.Time]int{}
		for _, r := range recs {
			perHour[r.At.Truncate(time.Hour)]++
			for _, u := range r.Unknown {
				out.Unknown += u.Qty
			}
			if r.Recount {
				out.Recounts++
				continue
			}
			out.Counts++
			if r.Matched {
				out.Matched++
			}
			loc := variance(byLoc, r.Location)
			loc.Counts++
			for _, l := range r.Lines {
				price, err := unitPrice(tx, l.SKU)
				if err != nil {
					return err
				}
				it := variance(byItem, l.SKU)
				it.Counts++
				for _, v := range []*api.Variance{loc, it} {
					v.Units += abs(l.Counted - l.System)
					v.NetUnits += l.Counted - l.System
					v.ValueCents += abs(l.Counted-l.System) * price
				}
			}
		}
		if out.Counts > 0 {
			out.Accuracy = 100 * float64(out.Matched) / float64(out.Counts)
		}
		for _, k := range slices.Sorted(maps.Keys(byLoc)) {
			out.ByLocation = append(out.ByLocation, *byLoc[k])
		}
		for _, k := range slices.Sorted(maps.Keys(byItem)) {
			out.ByItem = append(out.ByItem, *byItem[k])
		}
		for _, h := range slices.SortedFunc(maps.Keys(perHour), time.Time.Compare) {
			out.PerHour = append(out.PerHour, api.HourCount{Hour: h, Counts: perHour[h]})
		}
		if len(perHour) > 0 {
			out.CountsPerHour = float64(len(recs)) / float64(len(perHour))
		}
		return nil
	})
	return out, err
}

// variance returns the running sum for key, making it on first use.
func variance(m map[string]*api.Variance, key string) *api.Variance {
	if m[key] == nil {
		m[key] = &api.Variance{Key: key}
	}
	return m[key]
}
