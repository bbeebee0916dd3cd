package spool

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Buckets: the jobs keyed by big-endian id (so they iterate in order), and an
// index of the jobs not yet done (id -> state) so the worker and the status
// line never decode the whole history.
var (
	jobsBucket = []byte("zpl.spool.jobs")
	openBucket = []byte("zpl.spool.open")
)

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

// putJob stores a job and keeps the open-jobs index in step.
func putJob(tx *bolt.Tx, j Job) error {
	v, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := tx.Bucket(jobsBucket).Put(key(j.ID), v); err != nil {
		return err
	}
	if j.State.done() {
		return tx.Bucket(openBucket).Delete(key(j.ID))
	}
	return tx.Bucket(openBucket).Put(key(j.ID), []byte(j.State))
}

// eachOpen calls fn for every job not yet done, oldest first, until fn
// returns false.
func eachOpen(tx *bolt.Tx, fn func(JobID, State) bool) {
	c := tx.Bucket(openBucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if !fn(JobID(binary.BigEndian.Uint64(k)), State(v)) {
			return
		}
	}
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

// prune deletes the oldest finished jobs beyond maxDoneJobs, reading keys only.
func prune(tx *bolt.Tx) error {
	jobs, open := tx.Bucket(jobsBucket), tx.Bucket(openBucket)
	var done [][]byte
	c := jobs.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if open.Get(k) == nil {
			done = append(done, bytes.Clone(k))
		}
	}
	for _, k := range done[:max(0, len(done)-maxDoneJobs)] {
		if err := jobs.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
