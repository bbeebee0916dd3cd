// Package backendtest chooses the store the hub's tests run on, and gives
// them new databases of it. One switch, the environment variable
// RFTERM_HUB_STORE, chooses for every test binary that starts a hub:
//
//	RFTERM_HUB_STORE unset or "bbolt"   a bbolt file in the test's temporary directory
//	RFTERM_HUB_STORE=postgres           a new database on a throwaway PostgreSQL server
//
// `make test` runs the hub's suites twice, once each way. A test binary
// whose tests start hubs calls Main from its TestMain, which starts the
// PostgreSQL server (package pgtest) when the switch asks for it:
//
//	func TestMain(m *testing.M) { backendtest.Main(m) }
//
// A test that reads or damages the bbolt file itself calls SkipOnPostgres.
package backendtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rfterm/rfterm/hub/backend"
	"github.com/rfterm/rfterm/hub/pgstore"
	"github.com/rfterm/rfterm/hub/storage"
	"github.com/rfterm/rfterm/internal/pgtest"
)

// EnvStore names the environment variable that chooses the store.
const EnvStore = "RFTERM_HUB_STORE"

// The stores EnvStore names.
const (
	Bolt     = "bbolt"
	Postgres = "postgres"
)

// openTimeout is how long Open waits for a bbolt file's lock, and bounds
// migrating a new PostgreSQL database.
const openTimeout = 5 * time.Second

// Store is the store the tests run on: Bolt or Postgres.
func Store() string {
	if os.Getenv(EnvStore) == Postgres {
		return Postgres
	}
	return Bolt
}

// OnPostgres reports whether the tests run on PostgreSQL.
func OnPostgres() bool { return Store() == Postgres }

// Main runs the test binary's tests on the store EnvStore names, with a
// throwaway PostgreSQL server for them when it is "postgres" (see
// pgtest.Main). Call it from TestMain. A value it does not know fails the
// binary, rather than running the tests on bbolt unnoticed.
func Main(m *testing.M) {
	switch v := os.Getenv(EnvStore); v {
	case "", Bolt:
		os.Exit(m.Run())
	case Postgres:
		pgtest.Main(m)
	default:
		fmt.Fprintf(os.Stderr, "backendtest: %s=%q: want %q or %q\n", EnvStore, v, Bolt, Postgres)
		os.Exit(2)
	}
}

// NewDatabase returns a new, empty hub database for t, as orderhub's --db
// names it: a bbolt file in t's temporary directory, or the postgres:// URL
// of a new database on the test server, migrated, dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if !OnPostgres() {
		return filepath.Join(t.TempDir(), "hub.db")
	}
	dsn := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	if _, err := pgstore.Migrate(ctx, dsn); err != nil {
		t.Fatalf("backendtest: %v", err)
	}
	return dsn
}

// Open opens the database db (from NewDatabase), failing t if it cannot.
// The caller closes it (a hub.Store closes its DB).
func Open(t testing.TB, db string) storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	s, err := backend.Open(ctx, db, backend.Options{Timeout: openTimeout})
	if err != nil {
		t.Fatalf("backendtest: %v", err)
	}
	return s
}

// Contents is every byte the database db holds of the hub's records, for
// tests of what is never stored as given: the whole bbolt file, or every
// key and value of PostgreSQL's hub_kv table (package pgstore's one table).
func Contents(t testing.TB, db string) []byte {
	t.Helper()
	if !backend.IsPostgres(db) {
		raw, err := os.ReadFile(db)
		if err != nil {
			t.Fatalf("backendtest: %v", err)
		}
		return raw
	}
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatalf("backendtest: %v", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, "SELECT key, value FROM hub_kv ORDER BY bucket, key")
	if err != nil {
		t.Fatalf("backendtest: %v", err)
	}
	var all []byte
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatalf("backendtest: %v", err)
		}
		all = append(append(all, k...), v...)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("backendtest: %v", err)
	}
	return all
}

// SkipOnPostgres skips t when the tests run on PostgreSQL: t is about the
// bbolt file itself (why says how), and runs when they run on bbolt.
func SkipOnPostgres(t testing.TB, why string) {
	t.Helper()
	if OnPostgres() {
		t.Skipf("bbolt only (%s): runs with %s unset", why, EnvStore)
	}
}
