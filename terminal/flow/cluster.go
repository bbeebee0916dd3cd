package flow

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
)

// StepPut is the cluster pick's step after a line's units are in hand: put
// them in the tote at the line's cart position and scan that tote.
const StepPut Step = "put"

// Stop says why an order left a cluster before it was picked.
type Stop string

// Why an order leaves a cluster.
const (
	StopCancelled  Stop = "cancelled"  // the customer cancelled the order
	StopReassigned Stop = "reassigned" // the hub gave the task to someone else (or back to the pool)
)

// ClusterOrder is one order of a cluster: a task picked into the tote at
// one cart position.
type ClusterOrder struct {
	Pos     int    `json:"pos"` // the cart position, from 1
	TaskID  string `json:"task_id"`
	OrderID string `json:"order_id"`
	Tote    string `json:"tote,omitempty"`    // once scanned onto the cart
	Done    bool   `json:"done,omitempty"`    // every line confirmed: the task's completion is queued
	Stopped Stop   `json:"stopped,omitempty"` // why it left the cluster, if it did
}

// Cluster is the device-side state of a cluster pick: several small orders
// picked at once, one tote each on a cart. The picker scans a tote onto
// every position, then walks the merged lines of all the orders in location
// order once; every line's units go into the tote at its position, which the
// picker scans to confirm. Each order gets the events of a single pick (task
// started with its tote, lines picked or shorted, task completed), so the hub
// and the pack station see ordinary picks. It is plain data, saved as JSON
// after every change, like Pick.
type Cluster struct {
	ID     string         `json:"id"`
	UserID string         `json:"user_id"`
	Orders []ClusterOrder `json:"orders"` // by cart position
	walk                  // the merged lines, each with its position; the step; the problem waiting
}

// NewCluster starts a cluster pick of claimed tasks (api.ClusterResponse):
// tasks in cart order, each at its Position (or its place in the list, from
// 1, when it has none); items and locations cover every line, so the whole
// cluster can be picked without the network. A task already started keeps
// its tote. Lines are merged in the locations' pick sequence; lines at one
// location go by cart position.
func NewCluster(id string, tasks []domain.Task, items []domain.Item, locations []domain.Location, userID string) (*Cluster, error) {
	if len(tasks) == 0 || len(tasks) > domain.MaxClusterOrders {
		return nil, fmt.Errorf("cluster %s: %d tasks; a cart takes 1 to %d", id, len(tasks), domain.MaxClusterOrders)
	}
	c := &Cluster{ID: id, UserID: userID, walk: newWalk(items, locations)}
	byPos := map[int]domain.Task{}
	for i, t := range tasks {
		pos := t.Position
		if pos == 0 {
			pos = i + 1
		}
		if pos < 1 || pos > domain.MaxClusterOrders {
			return nil, fmt.Errorf("cluster %s: task %s at cart position %d; positions are 1 to %d", id, t.ID, pos, domain.MaxClusterOrders)
		}
		if _, dup := byPos[pos]; dup {
			return nil, fmt.Errorf("cluster %s: two tasks at cart position %d", id, pos)
		}
		if c.orderByTask(t.ID) != nil {
			return nil, fmt.Errorf("cluster %s: task %s twice", id, t.ID)
		}
		if t.Tote != "" && c.onCart(t.Tote) != nil {
			return nil, fmt.Errorf("cluster %s: tote %s at two cart positions", id, t.Tote)
		}
		byPos[pos] = t
		c.Orders = append(c.Orders, ClusterOrder{Pos: pos, TaskID: t.ID, OrderID: t.OrderID, Tote: t.Tote})
	}
	sort.Slice(c.Orders, func(i, j int) bool { return c.Orders[i].Pos < c.Orders[j].Pos })
	for _, o := range c.Orders {
		if err := c.addTask(byPos[o.Pos], o.Pos); err != nil {
			return nil, fmt.Errorf("cluster %s: %w", id, err)
		}
	}
	c.sortLines()
	c.next()
	return c, nil
}

// KnowBusyTotes takes the busy totes of the claim
// (api.ClusterResponse.BusyTotes): the session calls it once after
// NewCluster. A tote holding one of the cluster's own orders is not busy.
func (c *Cluster) KnowBusyTotes(holds []domain.ToteHold) {
	own := make([]string, 0, len(c.Orders))
	for _, o := range c.Orders {
		own = append(own, o.OrderID)
	}
	c.knowBusyTotes(holds, own...)
}

// Handle takes one input and returns what it did.
func (c *Cluster) Handle(env Env, in Input) Outcome { return c.handle(c, env, in) }

// Finished reports whether every order is picked or stopped.
func (c *Cluster) Finished() bool { return c.Step == StepDone }

// order is the order at cart position pos.
func (c *Cluster) order(pos int) *ClusterOrder {
	for i := range c.Orders {
		if c.Orders[i].Pos == pos {
			return &c.Orders[i]
		}
	}
	return nil
}

// orderByTask is the order of a task, or nil.
func (c *Cluster) orderByTask(taskID string) *ClusterOrder {
	for i := range c.Orders {
		if c.Orders[i].TaskID == taskID {
			return &c.Orders[i]
		}
	}
	return nil
}

// onCart is the order whose tote is on the cart (not stopped) under that
// label, or nil.
func (c *Cluster) onCart(tote string) *ClusterOrder {
	for i := range c.Orders {
		if o := &c.Orders[i]; o.Tote == tote && o.Stopped == "" {
			return o
		}
	}
	return nil
}

// toteWanted is the first position still waiting for its tote, or nil.
func (c *Cluster) toteWanted() *ClusterOrder {
	for i := range c.Orders {
		if o := &c.Orders[i]; o.Tote == "" && o.Stopped == "" {
			return o
		}
	}
	return nil
}

// next moves on: to the tote of the next position without one, else to the
// next open line (straight to its item when the line confirmed last was at
// the same location: the picker is standing there), else done.
func (c *Cluster) next() {
	c.Back = ""
	if c.toteWanted() != nil {
		c.Step = StepTote
		return
	}
	at := ""
	if c.LastDone >= 0 {
		at = c.Lines[c.LastDone].Location
	}
	if !c.advance() && c.line().Location == at {
		c.Step = StepItem
	}
}

// scan takes a scan at the cluster's own steps (totes, put, done); the
// lines' steps are the walk's.
func (c *Cluster) scan(sc barcode.Classified, in Input) Outcome {
	switch c.Step {
	case StepTote:
		return c.cartTote(sc, in.At)
	case StepPut:
		return c.put(sc, in.At)
	case StepDone:
		return Outcome{Problem: &Problem{Title: "CLUSTER COMPLETE", Detail: "Take the totes to packing. Then Enter for the next task, or M for the menu."}}
	}
	return c.lineScan(c, sc, in)
}

// cartTote puts a tote on the cart at the next position waiting for one.
func (c *Cluster) cartTote(sc barcode.Classified, at time.Time) Outcome {
	o := c.toteWanted()
	if sc.Kind != barcode.KindTote {
		return Outcome{Problem: notATote(sc)}
	}
	if other := c.onCart(sc.Code); other != nil {
		return Outcome{Problem: &Problem{Title: "TOTE ON CART", Detail: fmt.Sprintf("%s is at P%d. Scan another tote for P%d.", sc.Code, other.Pos, o.Pos)}}
	}
	if pr := c.busyTote(sc.Code); pr != nil {
		return Outcome{Problem: pr}
	}
	o.Tote = sc.Code
	ev := domain.NewDraft(domain.EventTaskStarted, at, c.UserID, domain.TaskStarted{TaskID: o.TaskID, Tote: o.Tote})
	c.next()
	return Outcome{Events: []domain.Draft{ev}, Changed: true}
}

// put takes the scan of the tote the line's units went into: the right one
// confirms the line, any other is refused naming the right one.
func (c *Cluster) put(sc barcode.Classified, at time.Time) Outcome {
	o := c.order(c.line().Pos)
	want := fmt.Sprintf("P%d %s", o.Pos, o.Tote)
	switch {
	case sc.Kind == barcode.KindTote && sc.Code == o.Tote:
		return c.confirm(at)
	case sc.Kind == barcode.KindTote && c.onCart(sc.Code) != nil:
		return Outcome{Problem: &Problem{Title: "WRONG TOTE", Detail: fmt.Sprintf("Scanned %s (P%d). Put in %s.", sc.Code, c.onCart(sc.Code).Pos, want)}}
	case sc.Kind == barcode.KindTote:
		return Outcome{Problem: &Problem{Title: "WRONG TOTE", Detail: fmt.Sprintf("%s is not on the cart. Put in %s.", sc.Code, want)}}
	}
	return Outcome{Problem: &Problem{Title: "SCAN TOTE", Detail: fmt.Sprintf("Scanned %s. Put the %d in %s and scan the tote.", sc.Code, c.line().Picked, want)}}
}

// lineDone: units in hand go to the tote first (StepPut); a line shorted
// with nothing picked is confirmed at once.
func (c *Cluster) lineDone(at time.Time) Outcome {
	if c.line().Picked > 0 {
		c.Step = StepPut
		return Outcome{Changed: true}
	}
	return c.confirm(at)
}

// confirm queues the finished line's event for its order, and the order's
// completion after its last line, and moves on.
func (c *Cluster) confirm(at time.Time) Outcome {
	l := c.line()
	o := c.order(l.Pos)
	evs := lineEvents(*l, o.TaskID, o.Tote, c.UserID, at)
	if !slices.ContainsFunc(c.Lines, func(x PickLine) bool { return x.Pos == o.Pos && !x.Done }) {
		o.Done = true
		evs = append(evs, domain.NewDraft(domain.EventTaskCompleted, at, c.UserID, domain.TaskCompleted{TaskID: o.TaskID, Tote: o.Tote}))
	}
	c.next()
	return Outcome{Events: evs, Changed: true}
}

// StopOrder takes an order off the cart because the hub cancelled it or gave
// its task to someone else (a notice from the changes feed, or a step the
// hub refused): its lines not yet confirmed are dropped, the rest of the
// cluster goes on, and no event is queued for it. words tell the picker
// what to do with the units in hand and the tote; the session shows them
// and saves the cluster. stopped is false, and nothing changes, when the
// task is not in the cluster, or is done or stopped already. A why other
// than StopReassigned counts as StopCancelled.
func (c *Cluster) StopOrder(taskID string, why Stop) (words string, stopped bool) {
	o := c.orderByTask(taskID)
	if o == nil || o.Done || o.Stopped != "" {
		return "", false
	}
	o.Stopped, words = StopCancelled, fmt.Sprintf("Order %s is cancelled.", o.OrderID)
	if why == StopReassigned {
		o.Stopped, words = StopReassigned, fmt.Sprintf("Order %s went to someone else.", o.OrderID)
	}
	onLine := c.Step != StepTote && c.Step != StepDone
	var cur PickLine
	if onLine {
		cur = *c.line()
		if cur.Pos == o.Pos && cur.Picked > 0 {
			words += fmt.Sprintf(" Put the %d %s in hand back at %s.", cur.Picked, cur.SKU, cur.Location)
		}
	}
	// Drop the order's lines not confirmed yet: open ones, and the one
	// waiting to be put in its tote.
	c.Lines = slices.DeleteFunc(c.Lines, func(l PickLine) bool {
		pending := c.Step == StepPut && l.Pos == cur.Pos && l.Line == cur.Line
		return l.Pos == o.Pos && (!l.Done || pending)
	})
	inTote := 0
	for _, l := range c.Lines {
		if l.Pos == o.Pos {
			inTote += l.Picked
		}
	}
	words += " " + toteWords(*o, inTote)
	c.LastDone = -1
	if onLine && cur.Pos != o.Pos {
		c.Cur = slices.IndexFunc(c.Lines, func(l PickLine) bool { return l.Pos == cur.Pos && l.Line == cur.Line })
		return words, true
	}
	c.next()
	return words, true
}

// toteWords says what to do with a stopped order's tote holding inTote units.
func toteWords(o ClusterOrder, inTote int) string {
	switch {
	case o.Tote == "":
		return fmt.Sprintf("P%d stays empty.", o.Pos)
	case inTote == 0:
		return fmt.Sprintf("Take the empty tote %s off P%d.", o.Tote, o.Pos)
	case o.Stopped == StopCancelled:
		return fmt.Sprintf("Take tote %s off P%d and return its items to their locations.", o.Tote, o.Pos)
	}
	return fmt.Sprintf("Take tote %s off P%d and hand it to the lead.", o.Tote, o.Pos)
}
