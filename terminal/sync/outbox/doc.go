// Package outbox is the device's durable store: the outbox of confirmed
// events, the needs-attention list of events the hub refused, the state of
// the work in progress, the cached users that let a gun keep working when the
// network is gone, and the file's own care (consistency check, compaction,
// recovery of a damaged file). A step's state and its outgoing event are
// written in one bbolt transaction.
//
// The rest of the device's sync engine lives beside it under terminal/sync/
// and depends on it, never the other way: sender drains the outbox to the
// hub, puller follows the hub's changes feed into its work cache, sscc hands
// out the device's SSCCs. They keep their own buckets in the same file
// (Store.DB).
package outbox
