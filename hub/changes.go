package hub

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// MaxChangesPage bounds one page of Changes.
const MaxChangesPage = 1000

// The changes feed: what the hub did to tasks behind the devices' backs
// (cancellations, reassignments, priority changes), in the order it did
// them, for devices to pull with a cursor.

// CancelOrder cancels an order that is not picked yet, and its unfinished
// tasks; events for them are then rejected with order_cancelled. Cancelling
// a cancelled order changes nothing.
func (s *Store) CancelOrder(ctx context.Context, orderID, reason string) (domain.Order, error) {
	var order domain.Order
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		var err error
		if order, err = mustOrder(tx, orderID); err != nil {
			return err
		}
		switch order.Status {
		case domain.OrderCancelled:
			return nil
		case domain.OrderPicked:
			return conflict(api.CodeConflict, "order %s is picked already", orderID)
		}
		if err := checkCancelAtDock(tx, order); err != nil { // hub/dock.go
			return err
		}
		order.Status = domain.OrderCancelled
		if err := saveOrder(tx, order); err != nil {
			return err
		}
		if err := noteOrderOnLoad(tx, order.ID); err != nil {
			return err
		}
		tasks, err := orderTasks(tx, order.ID)
		if err != nil {
			return err
		}
		if err := setToteState(tx, order.ID, domain.ToteReleased); err != nil {
			return err
		}
		for _, t := range tasks {
			if t.Status == domain.TaskDone || t.Status == domain.TaskCancelled {
				continue
			}
			holder := t.UserID
			t.Status = domain.TaskCancelled
			if err := saveTask(tx, t); err != nil {
				return err
			}
			if err := addChange(tx, api.Change{Kind: api.ChangeOrderCancelled, TaskID: t.ID, OrderID: order.ID, UserID: holder, Reason: reason}); err != nil {
				return err
			}
		}
		return nil
	})
	return order, err
}

// ReassignTask gives an unfinished task to another user, who may carry on
// from where it stands; events from its former holder are then rejected with
// task_not_held. An empty userID puts the task back in the pool. A task
// taken out of a cluster is the new holder's to pick on its own.
func (s *Store) ReassignTask(ctx context.Context, taskID, userID string) (domain.Task, error) {
	var task domain.Task
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		var err error
		if task, err = mustTask(tx, taskID); err != nil {
			return err
		}
		if task.Status != domain.TaskOpen && !unfinished(task.Status) {
			return conflict(api.CodeConflict, "task %s is %s", taskID, task.Status)
		}
		if userID != "" {
			if _, err := mustGet[domain.User](tx.Bucket(bucketUsers), "user", userID); err != nil {
				return err
			}
		}
		if task.UserID == userID {
			return nil
		}
		previous := task.UserID
		task.UserID = userID
		task.Cluster, task.Position = "", 0 // the new holder picks it on its own
		switch {
		case userID == "":
			task.Status, task.Tote = domain.TaskOpen, ""
		case task.Status == domain.TaskOpen:
			task.Status = domain.TaskClaimed
		}
		if err := saveTask(tx, task); err != nil {
			return err
		}
		if err := holdThrough(tx, task.ID, ""); err != nil { // the new holder claims it through their device
			return err
		}
		return addChange(tx, api.Change{Kind: api.ChangeTaskReassigned, TaskID: task.ID, OrderID: task.OrderID, UserID: userID, PreviousUserID: previous})
	})
	return task, err
}

// SetOrderPriority changes an order's priority (lower is more urgent).
func (s *Store) SetOrderPriority(ctx context.Context, orderID string, priority int) (domain.Order, error) {
	var order domain.Order
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		var err error
		if order, err = mustOrder(tx, orderID); err != nil {
			return err
		}
		if order.Priority == priority {
			return nil
		}
		order.Priority = priority
		if err := saveOrder(tx, order); err != nil {
			return err
		}
		tasks, err := orderTasks(tx, order.ID)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if err := addChange(tx, api.Change{Kind: api.ChangePriorityChanged, TaskID: t.ID, OrderID: order.ID, UserID: t.UserID, Priority: priority}); err != nil {
				return err
			}
		}
		return nil
	})
	return order, err
}

// Changes returns up to limit changes after the cursor, oldest first.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) (api.ChangesResponse, error) {
	if limit <= 0 || limit > MaxChangesPage {
		limit = MaxChangesPage
	}
	out := api.ChangesResponse{Changes: []api.Change{}, Cursor: after}
	err := s.db.View(ctx, func(tx storage.Tx) error {
		from := binary.BigEndian.AppendUint64(nil, after+1)
		return scanJSON(tx.Bucket(bucketChanges), from, nil, func(_ []byte, ch api.Change) error {
			if len(out.Changes) == limit {
				out.More = true
				return storage.ErrStop
			}
			out.Changes = append(out.Changes, ch)
			out.Cursor = ch.Seq
			return nil
		})
	})
	return out, err
}

func addChange(tx storage.Tx, ch api.Change) error {
	b := tx.Bucket(bucketChanges)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	ch.Seq, ch.At = seq, time.Now().UTC()
	return putJSON(b, string(binary.BigEndian.AppendUint64(nil, seq)), ch)
}
