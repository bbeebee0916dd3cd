package hub

import (
	"net/http"
	"sort"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	bolt "go.etcd.io/bbolt"
)

// Claim gives a user a pick task: the unfinished task they already hold, or
// else the next open one (most urgent order first, then by task id), which
// becomes theirs alone. With nothing left it is an api.Error with code no_task.
// The answer carries the order, items and locations needed to pick offline.
func (s *Store) Claim(userID string) (api.ClaimResponse, error) {
	return s.ClaimThrough("", userID)
}

// ClaimThrough is Claim made through a device: the task is then held
// through that device, and only its events are taken for the task.
func (s *Store) ClaimThrough(deviceID, userID string) (api.ClaimResponse, error) {
	var out api.ClaimResponse
	err := s.db.Update(func(tx *bolt.Tx) error {
		if _, err := mustGet[domain.User](tx.Bucket(bucketUsers), "user", userID); err != nil {
			return err
		}
		task, found, err := heldOrNextTask(tx, userID)
		if err != nil {
			return err
		}
		if !found {
			return apiError(http.StatusNotFound, api.CodeNoTask, "no pick task is waiting")
		}
		if task.Status == domain.TaskOpen {
			task.Status, task.UserID = domain.TaskClaimed, userID
			if err := putJSON(tx.Bucket(bucketTasks), task.ID, task); err != nil {
				return err
			}
		}
		if err := holdThrough(tx, task.ID, deviceID); err != nil {
			return err
		}
		out, err = claimResponse(tx, task)
		return err
	})
	return out, err
}

// heldOrNextTask finds the task the user holds, or the best open task.
func heldOrNextTask(tx *bolt.Tx, userID string) (domain.Task, bool, error) {
	tasks, err := listJSON[domain.Task](tx.Bucket(bucketTasks), nil)
	if err != nil {
		return domain.Task{}, false, err
	}
	for _, t := range tasks {
		if t.UserID == userID && unfinished(t.Status) {
			return t, true, nil
		}
	}
	type candidate struct {
		task     domain.Task
		priority int
	}
	var open []candidate
	for _, t := range tasks {
		if t.Status != domain.TaskOpen {
			continue
		}
		o, err := mustGet[domain.Order](tx.Bucket(bucketOrders), "order", t.OrderID)
		if err != nil {
			return domain.Task{}, false, err
		}
		if o.Status == domain.OrderCancelled {
			continue
		}
		open = append(open, candidate{t, o.Priority})
	}
	if len(open) == 0 {
		return domain.Task{}, false, nil
	}
	sort.SliceStable(open, func(i, j int) bool { return open[i].priority < open[j].priority })
	return open[0].task, true, nil
}

func unfinished(s domain.TaskStatus) bool {
	return s == domain.TaskClaimed || s == domain.TaskInProgress
}

func claimResponse(tx *bolt.Tx, task domain.Task) (api.ClaimResponse, error) {
	out := api.ClaimResponse{Task: task}
	var err error
	if out.Order, err = mustGet[domain.Order](tx.Bucket(bucketOrders), "order", task.OrderID); err != nil {
		return out, err
	}
	if out.Items, err = getEach[domain.Item](tx.Bucket(bucketItems), "item", lineKeys(task.Lines, func(l domain.TaskLine) string { return l.SKU })); err != nil {
		return out, err
	}
	if out.Locations, err = getEach[domain.Location](tx.Bucket(bucketLocations), "location", lineKeys(task.Lines, func(l domain.TaskLine) string { return l.Location })); err != nil {
		return out, err
	}
	sort.SliceStable(out.Locations, func(i, j int) bool { return out.Locations[i].Sequence < out.Locations[j].Sequence })
	return out, nil
}
