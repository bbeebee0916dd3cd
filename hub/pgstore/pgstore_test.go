package pgstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/pgstore"
	"github.com/rfterm/rfterm/hub/storage"
	"github.com/rfterm/rfterm/hub/storage/storagetest"
	"github.com/rfterm/rfterm/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// migrated is a new database for t, migrated.
func migrated(t testing.TB) string {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v, err := pgstore.Migrate(ctx, dsn)
	require.NoError(t, err)
	require.Equal(t, pgstore.SchemaVersion(), v)
	return dsn
}

// open opens dsn, closing it when t ends.
func open(t testing.TB, dsn string, opts ...pgstore.Option) *pgstore.DB {
	t.Helper()
	db, err := pgstore.Open(context.Background(), dsn, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.DB { return open(t, migrated(t)) })
}

// Two hub processes on one database: every test of the contract again,
// each call going to one of two DBs (two pools) in turn.
func TestConformanceTwoPools(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.DB {
		dsn := migrated(t)
		return &alternating{dbs: [2]storage.DB{open(t, dsn), open(t, dsn)}}
	})
}

// alternating sends each call to its DBs in turn.
type alternating struct {
	dbs  [2]storage.DB
	next atomic.Uint32
}

func (a *alternating) pick() storage.DB { return a.dbs[a.next.Add(1)%2] }

func (a *alternating) View(ctx context.Context, fn func(storage.Tx) error) error {
	return a.pick().View(ctx, fn)
}

func (a *alternating) Update(ctx context.Context, fn func(storage.Tx) error) error {
	return a.pick().Update(ctx, fn)
}

func (a *alternating) Close() error { return errors.Join(a.dbs[0].Close(), a.dbs[1].Close()) }

// Open checks the schema and migrates nothing.
func TestOpenRefusesAnUnmigratedDatabase(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	_, err := pgstore.Open(t.Context(), dsn)
	require.ErrorIs(t, err, pgstore.ErrSchema)
	require.Contains(t, err.Error(), "orderhub migrate")
	v, err := pgstore.Migrate(t.Context(), dsn)
	require.NoError(t, err)
	require.Equal(t, pgstore.SchemaVersion(), v)
	open(t, dsn)
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	dsn := migrated(t)
	db := open(t, dsn)
	_, err := db.Pool().Exec(t.Context(),
		"INSERT INTO hub_schema_version (version_id, is_applied) VALUES ($1, true)", pgstore.SchemaVersion()+1)
	require.NoError(t, err)
	_, err = pgstore.Open(t.Context(), dsn)
	require.ErrorIs(t, err, pgstore.ErrSchema)
	require.Contains(t, err.Error(), "newer")
}

// Hubs started together may all run Migrate: it applies each migration
// once, and all of them succeed.
func TestMigrateConcurrently(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := pgstore.Migrate(t.Context(), dsn)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	db := open(t, dsn)
	var applied int
	require.NoError(t, db.Pool().QueryRow(t.Context(),
		"SELECT count(*) FROM hub_schema_version WHERE version_id > 0").Scan(&applied))
	require.Equal(t, int(pgstore.SchemaVersion()), applied)
}

func TestKeyTooLong(t *testing.T) {
	db := open(t, migrated(t))
	err := db.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Bucket("b").Put(make([]byte, pgstore.MaxKeySize+1), []byte("v"))
	})
	require.ErrorContains(t, err, "longer than")
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		return tx.Bucket("b").Put(bytes.Repeat([]byte{0xff}, pgstore.MaxKeySize), []byte("v"))
	}))
}

// Every statement reads the primary key's index, however stale the
// statistics (a table filled since it was last analyzed) and in the
// generic plans of the prepared statements pgx caches.
func TestPlansUseTheIndex(t *testing.T) {
	db := open(t, migrated(t))
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		for i := range 20000 {
			if err := tx.Bucket("b").Put([]byte(fmt.Sprintf("k%06d", i)), []byte("v")); err != nil {
				return err
			}
		}
		return nil
	}))
	for _, q := range []struct{ types, sql, args string }{
		{"text, bytea", "SELECT value FROM hub_kv WHERE bucket = $1 AND key = $2", "'b', 'k000001'"},
		{"text, bytea[]", "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key = ANY($2::bytea[])", "'b', '{k000001,k010000}'"},
		{"text, bytea, int, bytea", "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key >= $2 AND key < $4 ORDER BY key LIMIT $3", "'b', 'k000001', 64, 'k010000'"},
		{"text, bytea, int", "SELECT key, value FROM hub_kv WHERE bucket = $1 AND key > $2 ORDER BY key DESC LIMIT $3", "'b', '', 8"},
		{"text[], bytea[]", `DELETE FROM hub_kv AS d USING unnest($1::text[], $2::bytea[]) AS x (bucket, key)
			WHERE d.bucket = x.bucket AND d.key = x.key`, "'{b,b}', '{k000001,k000002}'"},
	} {
		conn, err := db.Pool().Acquire(t.Context())
		require.NoError(t, err)
		var plan []string
		err = func() error {
			defer conn.Release()
			for _, stmt := range []string{
				"BEGIN", "SET LOCAL plan_cache_mode = force_generic_plan",
				fmt.Sprintf("PREPARE q (%s) AS %s", q.types, q.sql),
			} {
				if _, err := conn.Exec(t.Context(), stmt); err != nil {
					return err
				}
			}
			defer conn.Exec(t.Context(), "ROLLBACK; DEALLOCATE q", pgx.QueryExecModeSimpleProtocol)
			rows, err := conn.Query(t.Context(), "EXPLAIN EXECUTE q ("+q.args+")", pgx.QueryExecModeSimpleProtocol)
			if err != nil {
				return err
			}
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					return err
				}
				plan = append(plan, line)
			}
			return rows.Err()
		}()
		require.NoError(t, err)
		text := strings.Join(plan, "\n")
		require.Contains(t, text, "Index Scan", "%s\n%s", q.sql, text)
		require.NotContains(t, text, "Seq Scan on hub_kv", "%s\n%s", q.sql, text)
		require.NotContains(t, text, "Bitmap", "%s\n%s", q.sql, text)
	}
}
