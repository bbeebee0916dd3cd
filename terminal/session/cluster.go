package session

import (
	"context"
	"fmt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/flow"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
)

// ClusterHub is what cluster picking asks the hub (through the work cache,
// so every order on the cart is followed for cancellations).
type ClusterHub interface {
	ClaimCluster(ctx context.Context, userID string) (api.ClusterResponse, error)
}

// ModeCluster is cluster picking's mode.
const ModeCluster Mode = "cluster"

func clusterOffered(c *Config) bool { return c.Cluster != nil }

// clusterWork picks several small orders at once, one tote each on a cart:
// the cluster in hand is saved after every step and resumes at login. Each
// order's steps are the events of a single pick, so each tote packs as one.
type clusterWork struct {
	base
	c *flow.Cluster // the cluster in hand; nil: none
}

func newClusterWork(b base) Workflow { return &clusterWork{base: b} }

func (w *clusterWork) restore() (bool, error) {
	var c flow.Cluster
	found, err := w.s.store.LoadWork(w.key(), &c)
	if err != nil || !found {
		return false, err
	}
	if c.Finished() {
		// Finished before the user left: its events are queued; start afresh.
		_, err := w.s.store.Commit(w.key(), nil, nil)
		return false, err
	}
	w.c = &c
	for _, o := range c.Orders { // orders the hub took away while this user was away
		n, noticed, err := w.s.store.TaskNotice(o.TaskID)
		if err != nil || !noticed {
			continue
		}
		w.drop(o.TaskID, n.Kind == api.ChangeOrderCancelled, n.Advice(), w.s.commitHeld)
		if err := w.s.store.DismissNotice(o.TaskID); err != nil {
			w.s.cfg.Log.Error("dismiss notice", "err", err)
		}
	}
	return true, nil
}

func (w *clusterWork) inHand() string {
	if w.c == nil || w.c.Finished() {
		return "" // done: the menu offers the next cluster
	}
	return w.c.ID
}

func (w *clusterWork) ref() (string, string, flow.Step) {
	if w.c == nil {
		return "", "", ""
	}
	return w.c.ID, "", w.c.Step
}

func (w *clusterWork) Prompt() flow.Prompt { return menuAction(w.c.Prompt()) }

// Open resumes the cluster in hand, or claims a new one from the hub.
func (w *clusterWork) Open() {
	if w.c != nil {
		w.s.show(w)
		return
	}
	s, userID := w.s, w.user.ID
	s.background("Getting a cluster", func(ctx context.Context) func() {
		if n := s.awaitDelivery(ctx); n > 0 {
			return func() { s.notSentYet(n) }
		}
		resp, err := s.cfg.Cluster.ClaimCluster(ctx, userID)
		if err != nil {
			s.cfg.Log.Info("cluster claim failed", "user", userID, "err", err)
			return func() {
				s.hubFailed(err, "No small orders waiting for a cluster.", "Cannot get a cluster without the hub. Queued work is kept.")
			}
		}
		tasks, items, locations := resp.Parts()
		c, err := flow.NewCluster(resp.ID, tasks, items, locations, userID)
		if err == nil {
			c.KnowBusyTotes(resp.BusyTotes()) // refused here too, offline
		}
		return func() {
			if err != nil {
				s.fail("BAD CLUSTER", err.Error())
				return
			}
			if err := s.commit(w.key(), c, nil); err != nil {
				s.fail("NOT SAVED", err.Error())
				return
			}
			s.cfg.Log.Info("cluster claimed", "user", userID, "cluster", c.ID, "orders", len(c.Orders))
			w.c = c
			s.show(w)
		}
	})
}

func (w *clusterWork) Handle(in flow.Input) Result {
	s, key := w.s, w.key()
	o := w.c.Handle(flow.Env{Rules: s.cfg.Rules}, in)
	if o.Done {
		if r, ok := s.saveStep(key, nil, o, func() {}); !ok {
			return r
		}
		s.notice = w.c.ID + " done: totes to pack."
		w.c = nil
		s.toMenu()
		return Result{}
	}
	r, _ := s.saveStep(key, w.c, o, reloadWork(s, key, &w.c))
	if w.c.Finished() {
		for _, ord := range w.c.Orders {
			if ord.Stopped == "" && ord.Tote != "" {
				s.pickedTote(ord.Tote) // picked here, to be packed: the pack station's demo hint
			}
		}
	}
	return r
}

// dropTask stops one order of the cluster because the hub took it away; the
// rest of the cart goes on.
func (w *clusterWork) dropTask(taskID string, cancelled bool, adv outbox.Advice) bool {
	return w.drop(taskID, cancelled, adv, w.s.commit)
}

// drop is dropTask, saving with save.
func (w *clusterWork) drop(taskID string, cancelled bool, adv outbox.Advice, save func(string, any, []domain.Draft) error) bool {
	if w.c == nil {
		return false
	}
	for _, o := range w.c.Orders {
		if o.TaskID == taskID && o.Stopped != "" {
			return true // the picker was told already
		}
	}
	why := flow.StopReassigned
	if cancelled {
		why = flow.StopCancelled
	}
	words, stopped := w.c.StopOrder(taskID, why)
	if !stopped {
		return false
	}
	if err := save(w.key(), w.c, nil); err != nil {
		w.s.cfg.Log.Error("stop cluster order", "err", err)
	}
	w.s.fail(takenAwayTitle(cancelled), fmt.Sprintf("%s. %s", adv.Reason, words))
	return true
}
