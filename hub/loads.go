package hub

import (
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Buckets of the dock.
const (
	bucketLoads = "loads" // load id -> domain.Load
)

// getLoad reads a load; ok is false when there is none.
func getLoad(tx storage.Tx, id string) (domain.Load, bool, error) {
	return getJSON[domain.Load](tx.Bucket(bucketLoads), id)
}

// saveLoad writes a load. Every write of a load goes through it.
func saveLoad(tx storage.Tx, l domain.Load) error {
	return putJSON(tx.Bucket(bucketLoads), l.ID, l)
}

// eachLoad calls f with every load, by id, until f returns an error.
func eachLoad(tx storage.Tx, f func(domain.Load) error) error {
	return scanJSON(tx.Bucket(bucketLoads), nil, nil, func(_ []byte, l domain.Load) error { return f(l) })
}
