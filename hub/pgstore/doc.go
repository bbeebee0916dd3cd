// Package pgstore is the hub's storage (package storage) on PostgreSQL,
// through pgx's connection pool. Several hub processes may share one
// database: nothing here relies on a lock in the process.
//
// # Schema and migrations
//
// Every bucket lives in one table, hub_kv (bucket, key, value), with the
// primary key (bucket, key); Get is a lookup of that index, Scan and Last
// are ranges of it (bytea compares bytewise, as the contract orders keys).
// Keys are at most MaxKeySize bytes (an index entry must fit a third of a
// page). Every connection turns sequential, bitmap, hash-join and
// merge-join plans off (unless the DSN sets them): every statement here is
// a lookup or a range of the primary key, and a table that grew since it
// was last analyzed otherwise gets plans that read whole buckets, which
// under SERIALIZABLE also lock them. JIT compilation is off too: those
// plans' penalty costs would otherwise set it off.
//
// The schema is applied by Migrate (`orderhub migrate`), from goose
// migrations embedded in the binary, under an advisory lock so hubs
// started together migrate once. Open never migrates: it checks the
// version and refuses a database that is behind (or ahead of) this
// program, naming the command to run, so starting a hub never changes a
// schema other hubs are using.
//
// # Transactions
//
// Update runs at SERIALIZABLE. A serialization failure (SQLSTATE 40001) or
// a deadlock (40P01), at any statement or at COMMIT, rolls back and runs fn
// again after a jittered exponential backoff (up to 2 ms, doubling to
// 100 ms), at most MaxAttempts times (WithMaxAttempts), then returns
// storage.ErrConflict wrapping the last failure. View runs at REPEATABLE
// READ, READ ONLY: a snapshot that never fails to serialize, so its fn runs
// once.
//
// Round trips are kept down. BEGIN goes with the transaction's first
// statement. Put and Delete are buffered in the transaction (Get, Scan and
// Last read through the buffer, so fn sees its own writes, and a Scan sees
// what fn writes ahead of it) and sent at commit as one upsert and one
// delete, in (bucket, key) order, with COMMIT, in one round trip. Scan
// fetches pages of 64 rows, then 256, then 1,024. A transaction that
// writes and never reads is one round trip; one that also reads k times is
// k+1. GetMany, outside the contract, reads many keys of a bucket in one.
//
// # Sequence numbers
//
// A bucket's numbers come from a PostgreSQL sequence of its own, taken
// under an advisory lock the taker holds until its transaction ends, so no
// other transaction takes the bucket's next number before the taker has
// committed or rolled back: numbers follow commit order across processes.
// The lock is what orders them; the sequence is not transactional, so a
// rolled-back transaction leaves a gap and waiting for the lock never
// turns into a serialization failure, as updating a counter row would.
// The first NextSequence of a bucket in a transaction takes the lock and a
// number (one round trip); the rest are counted here and recorded at
// commit (none).
//
// The first attempt takes the lock only if it is free: if another
// transaction holds it, the attempt ends at once and runs again with the
// lock taken before BEGIN. A snapshot taken before waiting for the lock
// would predate the holder's commit, and SERIALIZABLE would then fail the
// waiter for having read pages the holder wrote; taken after, the two are
// not concurrent at all. Transactions that take numbers from one bucket
// (the change feed) are serialized by design; BenchmarkIngest measures it.
//
// A connection lost around COMMIT leaves the outcome unknown: Update
// returns the error (not ErrConflict) and the caller cannot know whether
// it committed. The hub's exactly-once records make a resend safe.
package pgstore
