package hub

import (
	"cmp"
	"slices"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The effects of pick events. Each checks every rule before its first write.

// startTask: the picker scanned the tote; the task is in progress.
func startTask(tx storage.Tx, ev domain.Event, p domain.TaskStarted) error {
	if p.Tote == "" {
		return reject(api.CodeBadRequest, "%s: tote is empty", ev.Type)
	}
	task, order, err := heldTask(tx, ev, p.TaskID)
	if err != nil {
		return err
	}
	if err := checkTote(tx, p.Tote, order.ID); err != nil {
		return err
	}
	task.Status, task.Tote = domain.TaskInProgress, p.Tote
	if err := noteTote(tx, p.Tote, order.ID, ev.At); err != nil {
		return err
	}
	return saveTaskAndOrder(tx, task, order)
}

// pickLine records picked or short quantity on one line of a task and its
// order; a short also records a backorder.
func pickLine(tx storage.Tx, ev domain.Event, p domain.PickLine) error {
	if err := checkPickQuantities(ev.Type, p); err != nil {
		return err
	}
	task, order, err := heldTask(tx, ev, p.TaskID)
	if err != nil {
		return err
	}
	tl := findLine(task.Lines, func(l domain.TaskLine) int { return l.Line }, p.Line)
	ol := findLine(order.Lines, func(l domain.OrderLine) int { return l.Line }, p.Line)
	if tl == nil || ol == nil {
		return reject(api.CodeUnknownLine, "task %s has no line %d", task.ID, p.Line)
	}
	if p.SKU != tl.SKU {
		return reject(api.CodeUnknownItem, "task %s line %d is %s, not %q", task.ID, p.Line, tl.SKU, p.SKU)
	}
	if err := checkTote(tx, cmp.Or(p.Tote, task.Tote), order.ID); err != nil {
		return err
	}
	if err := checkIdentities(tx, tl.Location, p); err != nil {
		return err
	}
	if done := tl.Picked + tl.Short; done+p.Picked+p.Short > tl.Qty {
		return reject(api.CodeOverQuantity, "task %s line %d: %d of %d already picked or short, %d more is too many",
			task.ID, p.Line, done, tl.Qty, p.Picked+p.Short)
	}
	tl.Picked += p.Picked
	tl.Short += p.Short
	tl.Done = tl.Picked+tl.Short == tl.Qty
	ol.Picked += p.Picked
	ol.Short += p.Short
	if p.Short > 0 {
		bo := domain.Backorder{OrderID: order.ID, Line: p.Line, SKU: p.SKU, Qty: p.Short, Reason: p.Reason,
			TaskID: task.ID, UserID: ev.UserID, DeviceID: ev.DeviceID}
		if err := addBackorder(tx, bo); err != nil {
			return err
		}
	}
	if err := recordPicked(tx, ev, tl.Location, p.SKU, p.Picked); err != nil {
		return err
	}
	if err := recordPick(tx, ev, task, p); err != nil {
		return err
	}
	if p.Picked > 0 {
		if err := logPick(tx, ev, order.ID, tl.Location, p.Line, p.Picked); err != nil {
			return err
		}
	}
	if err := recordSerials(tx, ev, order.ID, p); err != nil {
		return err
	}
	return saveTaskAndOrder(tx, task, order)
}

func checkPickQuantities(t domain.EventType, p domain.PickLine) error {
	switch {
	case p.Picked < 0 || p.Short < 0:
		return reject(api.CodeBadRequest, "%s: negative quantity", t)
	case t == domain.EventLinePicked && (p.Picked == 0 || p.Short != 0):
		return reject(api.CodeBadRequest, "%s: picked must be positive and short zero", t)
	case t == domain.EventLineShorted && p.Picked != 0:
		return reject(api.CodeBadRequest, "%s: picked must be zero; send the units picked in a %s first", t, domain.EventLinePicked)
	case t == domain.EventLineShorted && p.Short == 0:
		return reject(api.CodeBadRequest, "%s: short must be positive", t)
	case t == domain.EventLineShorted && !p.Reason.Valid():
		return reject(api.CodeBadRequest, "%s: short reason %q is not one of %v", t, p.Reason, domain.ShortReasons())
	}
	return nil
}

// completeTask closes a task; when all of its order's tasks are done, the
// order is picked.
func completeTask(tx storage.Tx, ev domain.Event, p domain.TaskCompleted) error {
	task, order, err := heldTask(tx, ev, p.TaskID)
	if err != nil {
		return err
	}
	task.Status = domain.TaskDone
	if task.Tote == "" {
		task.Tote = p.Tote
	}
	tasks, err := orderTasks(tx, order.ID)
	if err != nil {
		return err
	}
	allDone := !slices.ContainsFunc(tasks, func(t domain.Task) bool {
		return t.ID != task.ID && t.Status != domain.TaskDone && t.Status != domain.TaskCancelled
	})
	if allDone {
		order.Status = domain.OrderPicked
	}
	return saveTaskAndOrder(tx, task, order)
}

// heldTask loads the event's task and order and checks that the order is
// still live and the task is held, unfinished, by the event's user.
func heldTask(tx storage.Tx, ev domain.Event, taskID string) (domain.Task, domain.Order, error) {
	task, err := mustTask(tx, taskID)
	if err != nil {
		return task, domain.Order{}, err // not_found rejects the event; a decode error fails the batch
	}
	order, err := mustOrder(tx, task.OrderID)
	if err != nil {
		return task, order, err
	}
	if order.Status == domain.OrderCancelled || task.Status == domain.TaskCancelled {
		return task, order, reject(api.CodeOrderCancelled, "order %s is cancelled", order.ID)
	}
	if task.UserID != ev.UserID || !unfinished(task.Status) {
		return task, order, reject(api.CodeTaskNotHeld, "task %s is %s and held by %q, not %q", task.ID, task.Status, task.UserID, ev.UserID)
	}
	return task, order, checkHolder(tx, task.ID, ev)
}

// saveTaskAndOrder writes both back; an open order starts picking.
func saveTaskAndOrder(tx storage.Tx, task domain.Task, order domain.Order) error {
	if order.Status == domain.OrderOpen {
		order.Status = domain.OrderPicking
	}
	if err := saveTask(tx, task); err != nil {
		return err
	}
	return saveOrder(tx, order)
}

// addBackorder records a backorder and its index entry.
func addBackorder(tx storage.Tx, bo domain.Backorder) error {
	b := tx.Bucket(bucketBackorders)
	n, err := b.NextSequence()
	if err != nil {
		return err
	}
	key := string(seqKey(n))
	if err := putJSON(b, key, bo); err != nil {
		return err
	}
	return reindex(tx, nil, backorderEntries(key, bo))
}

// orderBackorders lists an order's backorders in the order recorded.
func orderBackorders(tx storage.Tx, orderID string) ([]domain.Backorder, error) {
	keys, err := prefixKeys(tx.Bucket(ixOrderBackorders), orderID)
	if err != nil {
		return nil, err
	}
	return getEach[domain.Backorder](tx.Bucket(bucketBackorders), "backorder", keys)
}

// findLine returns a pointer to the line numbered n, or nil.
func findLine[L any](lines []L, number func(L) int, n int) *L {
	for i := range lines {
		if number(lines[i]) == n {
			return &lines[i]
		}
	}
	return nil
}
