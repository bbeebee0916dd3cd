package spool

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// jobsBucket holds the jobs, keyed by big-endian id so they iterate in order.
var jobsBucket = []byte("zpl.spool.jobs")

// maxDoneJobs is how many printed or cancelled jobs are kept for reprints.
const maxDoneJobs = 500

// ErrNotFound is returned for an id the spool does not hold.
var ErrNotFound = errors.New("no such print job")

func key(id JobID) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(id))
}

func getJob(b *bolt.Bucket, id JobID) (Job, error) {
	v := b.Get(key(id))
	if v == nil {
		return Job{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	var j Job
	if err := json.Unmarshal(v, &j); err != nil {
		return Job{}, fmt.Errorf("print job %s: %w", id, err)
	}
	return j, nil
}

func putJob(b *bolt.Bucket, j Job) error {
	v, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return b.Put(key(j.ID), v)
}

// eachJob calls fn for every job, oldest first, until fn returns false.
func eachJob(b *bolt.Bucket, fn func(Job) bool) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var j Job
		if err := json.Unmarshal(v, &j); err != nil {
			return fmt.Errorf("print job %x: %w", k, err)
		}
		if !fn(j) {
			return nil
		}
	}
	return nil
}

// prune deletes the oldest finished jobs beyond maxDoneJobs.
func prune(b *bolt.Bucket) error {
	var done []JobID
	if err := eachJob(b, func(j Job) bool {
		if j.State.done() {
			done = append(done, j.ID)
		}
		return true
	}); err != nil {
		return err
	}
	for _, id := range done[:max(0, len(done)-maxDoneJobs)] {
		if err := b.Delete(key(id)); err != nil {
			return err
		}
	}
	return nil
}
