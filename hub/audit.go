package hub

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/storage"
)

// audit appends one entry to the inventory audit trail, numbering it.
func audit(tx storage.Tx, e api.AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	n, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq, e.At = n, e.At.UTC()
	if e.Lines == nil {
		e.Lines = []api.AuditLine{}
	}
	return putJSON(b, string(seqKey(n)), e)
}

// AuditFilter narrows the audit trail; empty fields match everything.
type AuditFilter struct {
	Location string
	TaskID   string
	RMA      string
	Since    time.Time
}

// Audit returns the inventory audit trail in the order it was written (a
// lead's read: it shows system quantities, so leadID must be a lead).
func (s *Store) Audit(ctx context.Context, leadID string, f AuditFilter) ([]api.AuditEntry, error) {
	var out []api.AuditEntry
	err := s.db.View(ctx, func(tx storage.Tx) error {
		if _, err := requireLead(tx, leadID, "read the audit trail"); err != nil {
			return err
		}
		var err error
		out, err = listJSON(tx.Bucket(bucketAudit), func(e api.AuditEntry) bool {
			return (f.Location == "" || e.Location == f.Location) && (f.TaskID == "" || e.TaskID == f.TaskID) &&
				(f.RMA == "" || e.RMA == f.RMA) && !e.At.Before(f.Since)
		})
		return err
	})
	return out, err
}

// seqKey is a big-endian sequence number, so keys sort in the order written.
func seqKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }
