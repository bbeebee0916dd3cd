package hub

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/storage"
)

// Bounds of one group transaction, so that a crowd of devices does not
// build one long transaction that every other write (a claim) waits behind:
// the writer takes another waiting batch into the transaction only while
// it has applied fewer than maxGroupEvents events, for less than
// groupBudget, and no other write waits; the batches left wait for the
// next transaction. A group holds the write lock for at most about
// groupBudget plus one batch (at most MaxBatchEvents events) and the
// commit, and another write waits at most for the batch being applied and
// the commit.
const (
	maxGroupEvents = 2 * MaxBatchEvents
	groupBudget    = 10 * time.Millisecond
)

// ErrClosed is returned by calls on a closed Store.
var ErrClosed = storage.ErrClosed

// ingestJob is one device's batch waiting for the writer.
type ingestJob struct {
	site   string // the site of the device: its batch is written in that site's buckets
	device string
	req    api.IngestRequest
	preps  []prepared // the events prepared (nil: prepared in the transaction)
	done   chan ingestOutcome
}

type ingestOutcome struct {
	resp api.IngestResponse
	err  error
}

// groupCommit is the hub's single ingest writer. Batches that arrive while a
// transaction is being written wait, and then go into the next transaction
// together, as many as its bounds allow (maxGroupEvents, groupBudget): many
// devices syncing at once share one fsync instead of paying one each. Every
// batch still gets its own answer. A batch that fails with an error of its
// own (its device is not registered) fails alone; a failure in the middle
// of a batch rolls the group back, and each batch of the group is then
// retried in a transaction of its own, so one bad batch never takes the
// others down with it.
type groupCommit struct {
	db        *schemaDB
	jobs      chan ingestJob
	quit      chan struct{}
	done      chan struct{}
	stopOnce  sync.Once
	maxEvents int           // maxGroupEvents
	budget    time.Duration // groupBudget
}

func startGroupCommit(db *schemaDB) *groupCommit {
	g := &groupCommit{db: db, jobs: make(chan ingestJob), quit: make(chan struct{}), done: make(chan struct{}),
		maxEvents: maxGroupEvents, budget: groupBudget}
	go g.run()
	return g
}

// submit hands a batch to the writer and waits for its answer, or until
// ctx ends. A batch the writer took is written whether or not its caller
// still waits: the device learns its outcome when it sends it again. The
// batch is written in the site of ctx (a group may hold batches of several
// sites, each written in its own site's buckets).
func (g *groupCommit) submit(ctx context.Context, j ingestJob) (api.IngestResponse, error) {
	j.done = make(chan ingestOutcome, 1) // the writer never blocks on an answer
	site, err := ctxSite(ctx)
	if err != nil {
		return api.IngestResponse{}, err
	}
	j.site = site
	select {
	case g.jobs <- j:
	case <-g.quit:
		return api.IngestResponse{}, ErrClosed
	case <-ctx.Done():
		return api.IngestResponse{}, ctx.Err()
	}
	select {
	case out := <-j.done: // a job the writer took is always answered
		return out.resp, out.err
	case <-ctx.Done():
		return api.IngestResponse{}, ctx.Err()
	}
}

// stop ends the writer after the group in progress; later submits get ErrClosed.
func (g *groupCommit) stop() {
	g.stopOnce.Do(func() { close(g.quit) })
	<-g.done
}

func (g *groupCommit) run() {
	defer close(g.done)
	for {
		var first ingestJob
		select {
		case first = <-g.jobs:
		case <-g.quit:
			return
		}
		group, outs := g.write([]ingestJob{first}, true)
		for i, out := range outs {
			group[i].done <- out
		}
	}
}

// errGroupFailed rolls a group back after a batch failed half way.
var errGroupFailed = errors.New("a batch of the group failed")

// write puts a group in one transaction and returns it with each job's
// outcome. With gather, it takes more waiting jobs into the transaction
// while the group is within its bounds. The transaction serves many
// callers, so none of their contexts may end it; Close waits for it.
func (g *groupCommit) write(group []ingestJob, gather bool) ([]ingestJob, []ingestOutcome) {
	var outs []ingestOutcome
	err := g.db.update(context.Background(), func(tx storage.Tx) error {
		outs = outs[:0] // a backend may run this again after a conflict: the group is applied again
		// Each batch is written in its own site's buckets (hub/sites.go).
		caches := newSiteCaches(tx)
		start, events := time.Now(), 0
		for i := 0; ; i++ {
			if i == len(group) {
				j, ok := g.another(gather, events, start)
				if !ok {
					return caches.flush()
				}
				group = append(group, j)
			}
			var out ingestOutcome
			out.resp, out.err = ingestTx(caches.of(group[i].site), group[i].device, group[i].req, group[i].preps)
			outs = append(outs, out)
			events += len(group[i].req.Events)
			var e *Error
			if out.err != nil && !(errors.As(out.err, &e) && e.Code == api.CodeDeviceNotEnrolled) {
				return errGroupFailed // it may have written part of its batch
			}
		}
	})
	switch {
	case err == nil:
	case len(group) == 1 && errors.Is(err, errGroupFailed):
		// outs[0] holds the batch's own error
	case len(group) == 1:
		outs = []ingestOutcome{{err: fmt.Errorf("ingest: %w", err)}}
	default:
		outs = make([]ingestOutcome, len(group))
		for i, j := range group {
			_, alone := g.write([]ingestJob{j}, false)
			outs[i] = alone[0]
		}
	}
	return group, outs
}

// another takes a waiting job into the group while it is within its
// bounds: fewer than maxEvents events applied, for less than the budget,
// and no other write waiting.
func (g *groupCommit) another(gather bool, events int, start time.Time) (ingestJob, bool) {
	if !gather || events >= g.maxEvents || time.Since(start) >= g.budget || g.db.waiting.Load() > 0 {
		return ingestJob{}, false
	}
	select {
	case j := <-g.jobs:
		return j, true
	default:
		return ingestJob{}, false
	}
}
