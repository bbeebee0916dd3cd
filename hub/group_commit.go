package hub

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/storage"
)

// maxGroupEvents bounds the events one group transaction takes, so a crowd
// of devices does not build one huge transaction.
const maxGroupEvents = 20 * MaxBatchEvents

// ErrClosed is returned by calls on a closed Store.
var ErrClosed = storage.ErrClosed

// ingestJob is one device's batch waiting for the writer.
type ingestJob struct {
	device string
	req    api.IngestRequest
	done   chan ingestOutcome
}

type ingestOutcome struct {
	resp api.IngestResponse
	err  error
}

// groupCommit is the hub's single ingest writer. Batches that arrive while a
// transaction is being written wait, and then all go into the next
// transaction together: many devices syncing at once share one fsync instead
// of paying one each. Every batch still gets its own answer. A batch that
// fails with an error of its own (its device is not registered) fails alone;
// a failure in the middle of a batch rolls the group back, and each batch of
// the group is then retried in a transaction of its own, so one bad batch
// never takes the others down with it.
type groupCommit struct {
	db       storage.DB
	jobs     chan ingestJob
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

func startGroupCommit(db storage.DB) *groupCommit {
	g := &groupCommit{db: db, jobs: make(chan ingestJob), quit: make(chan struct{}), done: make(chan struct{})}
	go g.run()
	return g
}

// submit hands a batch to the writer and waits for its answer, or until
// ctx ends. A batch the writer took is written whether or not its caller
// still waits: the device learns its outcome when it sends it again.
func (g *groupCommit) submit(ctx context.Context, j ingestJob) (api.IngestResponse, error) {
	j.done = make(chan ingestOutcome, 1) // the writer never blocks on an answer
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
		group, events := []ingestJob{first}, len(first.req.Events)
	gather:
		for events < maxGroupEvents {
			select {
			case j := <-g.jobs:
				group = append(group, j)
				events += len(j.req.Events)
			default:
				break gather
			}
		}
		for i, out := range g.write(group) {
			group[i].done <- out
		}
	}
}

// errGroupFailed rolls a group back after a batch failed half way.
var errGroupFailed = errors.New("a batch of the group failed")

// write puts a group in one transaction and returns each job's outcome.
// The transaction serves many callers, so none of their contexts may end
// it; Close waits for it.
func (g *groupCommit) write(group []ingestJob) []ingestOutcome {
	outs := make([]ingestOutcome, len(group))
	err := g.db.Update(context.Background(), func(tx storage.Tx) error {
		clear(outs) // a backend may run this again after a conflict
		for i, j := range group {
			outs[i].resp, outs[i].err = ingestTx(tx, j.device, j.req)
			var e *Error
			if outs[i].err != nil && !(errors.As(outs[i].err, &e) && e.Code == api.CodeDeviceNotEnrolled) {
				return errGroupFailed // it may have written part of its batch
			}
		}
		return nil
	})
	switch {
	case err == nil:
	case len(group) == 1 && errors.Is(err, errGroupFailed):
		// outs[0] holds the batch's own error
	case len(group) == 1:
		outs[0] = ingestOutcome{err: fmt.Errorf("ingest: %w", err)}
	default:
		for i, j := range group {
			outs[i] = g.write([]ingestJob{j})[0]
		}
	}
	return outs
}
