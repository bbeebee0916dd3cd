package pgstore

import (
	"database/sql"
	"errors"
	"io/fs"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/storage"
	"github.com/rfterm/rfterm/internal/pgtest"
)

// (The test binary's TestMain, pgtest.Main, is in pgstore_test.go.)

// The migrations go down as well as up: down removes every object up made
// (the buckets' sequences too), and up again gives a working store.
func TestMigrationsDownAndUp(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	_, err := Migrate(t.Context(), dsn)
	require.NoError(t, err)
	db, err := Open(t.Context(), dsn)
	require.NoError(t, err)
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		_, err := tx.Bucket("feed").NextSequence()
		return errors.Join(err, tx.Bucket("b").Put([]byte("k"), []byte("v")))
	}))
	require.NoError(t, db.Close())

	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	sqlDB := stdlib.OpenDB(*cfg)
	defer sqlDB.Close()
	fsys, err := fs.Sub(migrations, "migrations")
	require.NoError(t, err)
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithTableName(versionTable), goose.WithDisableGlobalRegistry(true))
	require.NoError(t, err)
	_, err = p.DownTo(t.Context(), 0)
	require.NoError(t, err)
	require.Zero(t, count(t, sqlDB, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relname LIKE 'hub\_kv%'`), "tables, indexes and sequences")
	require.Zero(t, count(t, sqlDB, `SELECT count(*) FROM pg_proc WHERE proname LIKE 'hub\_kv%'`), "functions")

	_, err = Migrate(t.Context(), dsn)
	require.NoError(t, err)
	db, err = Open(t.Context(), dsn)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Update(t.Context(), func(tx storage.Tx) error {
		n, err := tx.Bucket("feed").NextSequence()
		require.Equal(t, uint64(1), n)
		return err
	}))
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRowContext(t.Context(), query).Scan(&n))
	return n
}
