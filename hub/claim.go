package hub

import (
	"context"
	"fmt"
	"sort"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Claim gives a user a pick task: the unfinished task they already hold, or
// else the next open one (most urgent order first, then by task id), which
// becomes theirs alone. With nothing left it is an *Error with code no_task;
// a user holding a cluster (and no task of their own) gets work_held.
// The answer carries the order, items and locations needed to pick offline.
func (s *Store) Claim(ctx context.Context, userID string) (api.ClaimResponse, error) {
	return s.ClaimThrough(ctx, "", userID)
}

// ClaimThrough is Claim made through a device: the task is then held
// through that device, and only its events are taken for the task.
func (s *Store) ClaimThrough(ctx context.Context, deviceID, userID string) (api.ClaimResponse, error) {
	var out api.ClaimResponse
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		held, err := heldWork(tx, userID)
		if err != nil {
			return err
		}
		switch single, clustered := splitClustered(held); {
		case len(single) > 0:
			if err := moveHolder(tx, single[0].ID, deviceID); err != nil {
				return err
			}
			out, err = claimResponse(tx, single[0])
			return err
		case len(clustered) > 0:
			return conflict(api.CodeWorkHeld, "user %s holds cluster %s: finish it in cluster picking first", userID, clustered[0].Cluster)
		}
		var task domain.Task
		err = nextOpenTasks(tx, func(t domain.Task) error {
			task = t
			return storage.ErrStop
		})
		if err != nil {
			return err
		}
		if task.ID == "" {
			return newError(KindNotFound, api.CodeNoTask, "no pick task is waiting")
		}
		if err := holdTask(tx, &task, userID); err != nil {
			return err
		}
		if err := holdThrough(tx, task.ID, deviceID); err != nil {
			return err
		}
		out, err = claimResponse(tx, task)
		return err
	})
	return out, err
}

// moveHolder makes the device a user claims held work through again its
// holder: a picker whose gun died carries on with another, and that gun's
// events are taken for the task from then on (the old gun's are refused).
// A claim made in-process (no device) leaves the holder as it is.
func moveHolder(tx storage.Tx, taskID, deviceID string) error {
	if deviceID == "" {
		return nil
	}
	return holdThrough(tx, taskID, deviceID)
}

// heldWork checks the user exists and lists the unfinished tasks they hold.
func heldWork(tx storage.Tx, userID string) ([]domain.Task, error) {
	if _, err := mustGet[domain.User](tx.Bucket(bucketUsers), "user", userID); err != nil {
		return nil, err
	}
	return indexedTasks(tx, ixHeldTasks, userID)
}

// splitClustered parts held tasks into those claimed on their own and those
// claimed in a cluster, the latter in cart order.
func splitClustered(held []domain.Task) (single, clustered []domain.Task) {
	for _, t := range held {
		if t.Cluster == "" {
			single = append(single, t)
		} else {
			clustered = append(clustered, t)
		}
	}
	sort.SliceStable(clustered, func(i, j int) bool { return clustered[i].Position < clustered[j].Position })
	return single, clustered
}

// nextOpenTasks calls fn with the open tasks of live orders, most urgent
// order first, then by task id, until fn returns storage.ErrStop.
func nextOpenTasks(tx storage.Tx, fn func(domain.Task) error) error {
	return tx.Bucket(ixOpenTasks).Scan(nil, nil, func(k, _ []byte) error {
		t, err := mustTask(tx, string(k[8:]))
		if err != nil {
			return err
		}
		return fn(t)
	})
}

// holdTask gives an open task to the user.
func holdTask(tx storage.Tx, task *domain.Task, userID string) error {
	task.Status, task.UserID = domain.TaskClaimed, userID
	return saveTask(tx, *task)
}

func unfinished(s domain.TaskStatus) bool {
	return s == domain.TaskClaimed || s == domain.TaskInProgress
}

func claimResponse(tx storage.Tx, task domain.Task) (api.ClaimResponse, error) {
	task, err := withKnownLots(tx, task)
	if err != nil {
		return api.ClaimResponse{}, err
	}
	out := api.ClaimResponse{Task: task}
	if out.Order, err = mustOrder(tx, task.OrderID); err != nil {
		return out, err
	}
	if out.Items, err = getEach[domain.Item](tx.Bucket(bucketItems), "item", lineKeys(task.Lines, func(l domain.TaskLine) string { return l.SKU })); err != nil {
		return out, err
	}
	if out.Locations, err = getEach[domain.Location](tx.Bucket(bucketLocations), "location", lineKeys(task.Lines, func(l domain.TaskLine) string { return l.Location })); err != nil {
		return out, err
	}
	sort.SliceStable(out.Locations, func(i, j int) bool { return out.Locations[i].Sequence < out.Locations[j].Sequence })
	out.BusyTotes, err = busyTotes(tx, task.OrderID)
	return out, err
}

// metaClusterPolicy holds the site's domain.ClusterPolicy; metaClusterNext
// the number of the next cluster.
const (
	metaClusterPolicy = "cluster_policy"
	metaClusterNext   = "cluster_next"
)

// ClaimCluster gives a user a cluster of small pick tasks to pick at once,
// one tote per order on a cart: the cluster they already hold (its
// unfinished tasks, in cart order), or else up to the site's max_orders open
// tasks, most urgent first, whose orders are small by the site's cluster
// policy. They become the user's alone, with cart positions 1, 2, ... With no
// small task waiting it is an *Error with code no_task; a user holding a
// task claimed on its own gets work_held.
func (s *Store) ClaimCluster(ctx context.Context, userID string) (api.ClusterResponse, error) {
	return s.ClaimClusterThrough(ctx, "", userID)
}

// ClaimClusterThrough is ClaimCluster made through a device: every task of
// the cluster is then held through that device, and only its events are
// taken for them.
func (s *Store) ClaimClusterThrough(ctx context.Context, deviceID, userID string) (api.ClusterResponse, error) {
	var out api.ClusterResponse
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		held, err := heldWork(tx, userID)
		if err != nil {
			return err
		}
		single, tasks := splitClustered(held)
		if len(single) > 0 {
			return conflict(api.CodeWorkHeld, "user %s holds task %s: finish it in picking first", userID, single[0].ID)
		}
		if len(tasks) == 0 {
			if tasks, err = newCluster(tx, userID); err != nil {
				return err
			}
			for _, t := range tasks {
				if err := holdThrough(tx, t.ID, deviceID); err != nil {
					return err
				}
			}
		} else {
			for _, t := range tasks {
				if err := moveHolder(tx, t.ID, deviceID); err != nil {
					return err
				}
			}
		}
		out = api.ClusterResponse{ID: tasks[0].Cluster, Tasks: make([]api.ClaimResponse, len(tasks))}
		for i, t := range tasks {
			if out.Tasks[i], err = claimResponse(tx, t); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// newCluster gives the user up to the policy's max_orders small open tasks
// as a new cluster.
func newCluster(tx storage.Tx, userID string) ([]domain.Task, error) {
	policy, err := clusterPolicy(tx)
	if err != nil {
		return nil, err
	}
	var tasks []domain.Task
	err = nextOpenTasks(tx, func(t domain.Task) error {
		if len(tasks) == policy.MaxOrders {
			return storage.ErrStop
		}
		if policy.Small(t) {
			tasks = append(tasks, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, newError(KindNotFound, api.CodeNoTask, "no small pick task is waiting (at most %d lines and %d units; 0 is no limit)", policy.MaxLines, policy.MaxUnits)
	}
	id, err := nextClusterID(tx)
	if err != nil {
		return nil, err
	}
	for i := range tasks {
		tasks[i].Cluster, tasks[i].Position = id, i+1
		if err := holdTask(tx, &tasks[i], userID); err != nil {
			return nil, err
		}
	}
	return tasks, nil
}

// nextClusterID numbers a new cluster: CL-000001, CL-000002, ...
func nextClusterID(tx storage.Tx) (string, error) {
	meta := tx.Bucket(bucketMeta)
	n, _, err := getJSON[uint64](meta, string(metaClusterNext))
	if err != nil {
		return "", err
	}
	n++
	if err := putJSON(meta, string(metaClusterNext), n); err != nil {
		return "", err
	}
	return fmt.Sprintf("CL-%06d", n), nil
}

// clusterPolicy is the site's cluster policy (the default for a database
// seeded without one).
func clusterPolicy(tx storage.Tx) (domain.ClusterPolicy, error) {
	p, ok, err := getJSON[domain.ClusterPolicy](tx.Bucket(bucketMeta), string(metaClusterPolicy))
	if !ok && err == nil {
		p = domain.DefaultClusterPolicy()
	}
	return p, err
}

// seedClusterPolicy keeps the site's cluster policy, or the default.
func seedClusterPolicy(meta storage.Bucket, site domain.Site) error {
	policy := domain.DefaultClusterPolicy()
	if site.Cluster != nil {
		policy = *site.Cluster
	}
	return putJSON(meta, string(metaClusterPolicy), policy)
}
