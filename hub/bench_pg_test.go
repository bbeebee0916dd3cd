package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/pgstore"
	"github.com/rfterm/rfterm/hub/storage"
	"github.com/rfterm/rfterm/internal/pgtest"
)

// BenchmarkIngestPostgres is issue 16's PostgreSQL ingest benchmark: the
// hub's ingest over loopback HTTP (the real handler) from 50 and from 200
// devices, each sending one batch of loadBatch events at once, into a hub
// on PostgreSQL, with one hub and with two hubs (two Stores, each with its
// own pool and group commit, behind two HTTP servers, on one database;
// device i talks to hub i mod hubs). The reference, in the same run and
// after every round, is a raw COPY into hub_kv of as many rows as the
// round wrote, of the same average key and value size (measured from the
// statements the hub sent): ratio is the hub's events/s over the COPY's.
// It also reports the rows written and the database round trips per event,
// and the round trips by kind of statement (rt-get/event, ...), the
// profile of where ingest's time goes.
//
// It runs on the server RFTERM_PGTEST_DSN names, else on a throwaway one
// it starts (package pgtest); without PostgreSQL it skips, except under
// CI=true.
func BenchmarkIngestPostgres(b *testing.B) {
	admin := benchPostgres(b)
	for _, n := range []int{50, 200} {
		for _, hubs := range []int{1, 2} {
			for _, batched := range []bool{false, true} {
				b.Run(fmt.Sprintf("devices=%d/hubs=%d/batchedReads=%v", n, hubs, batched), func(b *testing.B) {
					benchIngestPostgres(b, admin, n, hubs, batched)
				})
			}
		}
	}
}

// benchIngestPostgres is one case of BenchmarkIngestPostgres. Without
// batched, the hubs' store neither keeps its reads (pgstore.WithoutReadCache)
// nor shows them GetMany (unbatched): the hub as it was before it read a
// batch's exactly-once records at once, for before and after in one run.
func benchIngestPostgres(b *testing.B, admin string, n, hubs int, batched bool) {
	dsn := benchDatabase(b, admin)
	tr := &pgCounter{kinds: map[string]int64{}}
	stores := make([]*Store, hubs)
	for i := range stores {
		opts := []pgstore.Option{pgstore.WithPoolConfig(func(c *pgxpool.Config) { c.ConnConfig.Tracer = tr })}
		if !batched {
			opts = append(opts, pgstore.WithoutReadCache())
		}
		pg, err := pgstore.Open(b.Context(), dsn, opts...)
		if err != nil {
			b.Fatal(err)
		}
		var db storage.DB = pg
		if !batched {
			db = unbatched{pg}
		}
		stores[i] = New(db, WithPINCost(bcrypt.MinCost))
		b.Cleanup(func() { stores[i].Close() })
	}
	h := seedLoadHub(b, stores[0], 212)
	devs := h.devices(b, n, "pg")
	hc := httpClient(n)
	clients := make([]*api.Client, n)
	for i, s := range stores {
		srv := httptest.NewServer(NewHandler(s, slog.New(slog.DiscardHandler)))
		b.Cleanup(srv.Close)
		for d := i; d < n; d += hubs {
			clients[d] = api.NewClient(srv.URL, hc).WithToken(devs[d].token)
		}
	}
	ref, err := pgx.Connect(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer ref.Close(context.Background())
	var hubTime, copyTime time.Duration
	var total pgCount
	copied := 0
	for b.Loop() {
		before := tr.snapshot()
		hubTime += h.round(b, clients, devs)
		round := tr.snapshot().minus(before)
		total = total.plus(round)
		t, err := copyRows(ref, copied, round)
		if err != nil {
			b.Fatal(err)
		}
		copyTime += t
		copied += int(round.rows)
	}
	events := float64(b.N * n * loadBatch)
	b.ReportMetric(events/hubTime.Seconds(), "hub-events/s")
	b.ReportMetric(events/copyTime.Seconds(), "copy-events/s")
	b.ReportMetric(copyTime.Seconds()/hubTime.Seconds(), "ratio")
	b.ReportMetric(float64(total.rows)/events, "rows/event")
	b.ReportMetric(float64(total.trips)/events, "rt/event")
	for kind, trips := range tr.kindsSnapshot() {
		b.ReportMetric(float64(trips)/events, "rt-"+kind+"/event")
	}
}

// unbatched is a DB whose buckets offer only the storage.Bucket methods
// (no storage.MultiGetter).
type unbatched struct{ storage.DB }

func (u unbatched) View(ctx context.Context, fn func(storage.Tx) error) error {
	return u.DB.View(ctx, func(tx storage.Tx) error { return fn(unbatchedTx{tx}) })
}

func (u unbatched) Update(ctx context.Context, fn func(storage.Tx) error) error {
	return u.DB.Update(ctx, func(tx storage.Tx) error { return fn(unbatchedTx{tx}) })
}

type unbatchedTx struct{ storage.Tx }

func (t unbatchedTx) Bucket(name string) storage.Bucket {
	return struct{ storage.Bucket }{t.Tx.Bucket(name)}
}

// benchPostgres returns the connection string of a PostgreSQL server to
// create the benchmark's databases on: RFTERM_PGTEST_DSN's, else a
// throwaway server's, stopped when b ends. It skips b without PostgreSQL
// (fails it under CI=true).
func benchPostgres(b *testing.B) string {
	b.Helper()
	if dsn := os.Getenv(pgtest.EnvDSN); dsn != "" {
		return dsn
	}
	ctx, cancel := context.WithTimeout(b.Context(), 2*time.Minute)
	defer cancel()
	srv, err := pgtest.Start(ctx)
	if errors.Is(err, pgtest.ErrNoPostgres) && os.Getenv("CI") != "true" {
		b.Skipf("skipped: %v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			b.Error(err)
		}
	})
	return srv.DSN()
}

// benchDatabase creates a new, migrated hub database on admin's server for
// b, dropped when b ends, and returns its connection string.
func benchDatabase(b *testing.B, admin string) string {
	b.Helper()
	ctx := b.Context()
	name := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	if err := pgtest.CreateDatabase(ctx, admin, name, "template0"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := pgtest.DropDatabase(context.Background(), admin, name); err != nil {
			b.Error(err)
		}
	})
	dsn := pgtest.DSNFor(admin, name)
	if _, err := pgstore.Migrate(ctx, dsn); err != nil {
		b.Fatal(err)
	}
	return dsn
}

// copyRows COPYs c.rows rows into hub_kv in one statement, of c's average
// key and value sizes, under keys of their own (from the first'th), and
// returns how long it took.
func copyRows(conn *pgx.Conn, first int, c pgCount) (time.Duration, error) {
	if c.rows == 0 {
		return 0, nil
	}
	keySize := max(int(c.keyBytes/c.rows), 9)
	value := make([]byte, c.valueBytes/c.rows)
	start := time.Now()
	_, err := conn.CopyFrom(context.Background(), pgx.Identifier{"hub_kv"}, []string{"bucket", "key", "value"},
		pgx.CopyFromFunc(func() func() ([]any, error) {
			i := 0
			return func() ([]any, error) {
				if i == int(c.rows) {
					return nil, nil
				}
				key := fmt.Appendf(nil, "%0*d", keySize, first+i)
				i++
				return []any{"bench_copy", key, value}, nil
			}
		}()))
	return time.Since(start), err
}

// pgCount is what the hubs sent the database: round trips, rows written
// (upserted or deleted) and their keys' and values' bytes.
type pgCount struct {
	trips, rows, keyBytes, valueBytes int64
}

func (c pgCount) minus(d pgCount) pgCount {
	return pgCount{c.trips - d.trips, c.rows - d.rows, c.keyBytes - d.keyBytes, c.valueBytes - d.valueBytes}
}

func (c pgCount) plus(d pgCount) pgCount {
	return pgCount{c.trips + d.trips, c.rows + d.rows, c.keyBytes + d.keyBytes, c.valueBytes + d.valueBytes}
}

// pgCounter is a pgx tracer counting what the hubs' pools send: each
// batch or statement is one round trip, counted by the kind of its first
// statement after BEGIN (see pgKind); an upsert's or delete's rows are
// counted from its arguments (pgstore sends them as arrays).
type pgCounter struct {
	mu    sync.Mutex
	c     pgCount
	kinds map[string]int64
}

func (p *pgCounter) snapshot() pgCount {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.c
}

func (p *pgCounter) kindsSnapshot() map[string]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int64, len(p.kinds))
	for k, v := range p.kinds {
		out[k] = v
	}
	return out
}

func (p *pgCounter) count(queries []*pgx.QueuedQuery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.c.trips++
	kind := "other"
	for _, q := range queries {
		if strings.HasPrefix(q.SQL, "BEGIN") {
			continue
		}
		if kind == "other" {
			kind = pgKind(q.SQL)
			if bucket, ok := firstArg(q); ok && (kind == "get" || kind == "getmany" || kind == "scan") {
				kind += "-" + bucket
			}
		}
		if (strings.HasPrefix(q.SQL, "INSERT INTO hub_kv") || strings.HasPrefix(q.SQL, "DELETE FROM hub_kv")) && len(q.Arguments) >= 2 {
			keys, _ := q.Arguments[1].([][]byte)
			p.c.rows += int64(len(keys))
			for _, k := range keys {
				p.c.keyBytes += int64(len(k))
			}
			if len(q.Arguments) >= 3 {
				values, _ := q.Arguments[2].([][]byte)
				for _, v := range values {
					p.c.valueBytes += int64(len(v))
				}
			}
		}
	}
	p.kinds[kind]++
}

// firstArg is q's first argument when it is a string (a bucket's name).
func firstArg(q *pgx.QueuedQuery) (string, bool) {
	if len(q.Arguments) == 0 {
		return "", false
	}
	s, ok := q.Arguments[0].(string)
	return s, ok
}

// pgKind names a pgstore statement for the profile.
func pgKind(sql string) string {
	switch {
	case strings.Contains(sql, "key = ANY"):
		return "getmany"
	case strings.HasPrefix(sql, "SELECT value FROM hub_kv"):
		return "get"
	case strings.Contains(sql, "ORDER BY key DESC"):
		return "last"
	case strings.Contains(sql, "ORDER BY key"):
		return "scan"
	case strings.Contains(sql, "hub_kv_take"):
		return "seq"
	case strings.HasPrefix(sql, "INSERT"), strings.HasPrefix(sql, "DELETE"):
		return "commit" // a write transaction's writes and COMMIT
	case sql == "COMMIT":
		return "end" // a transaction that wrote nothing
	}
	return "other"
}

func (p *pgCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	p.count(d.Batch.QueuedQueries)
	return ctx
}

func (p *pgCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (p *pgCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

func (p *pgCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	p.count([]*pgx.QueuedQuery{{SQL: d.SQL, Arguments: d.Args}})
	return ctx
}

func (p *pgCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
