package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/pgstore"
	"github.com/rfterm/rfterm/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// orderhub migrate brings a new database to the schema the PostgreSQL
// store opens, and a second run changes nothing.
func TestMigrate(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	_, err := pgstore.Open(t.Context(), dsn)
	require.ErrorIs(t, err, pgstore.ErrSchema, "a new database is refused")
	for range 2 {
		var out bytes.Buffer
		require.Equal(t, 0, run(t.Context(), []string{"migrate", "--db", dsn}, &out), out.String())
		require.Contains(t, out.String(), "schema at version")
	}
	db, err := pgstore.Open(t.Context(), dsn)
	require.NoError(t, err)
	require.NoError(t, db.Close())
}

func TestMigrateUsage(t *testing.T) {
	for _, args := range [][]string{{"migrate"}, {"migrate", "--db", "hub.db"}, {"migrate", "--db", "postgres://x/y", "extra"}} {
		var out bytes.Buffer
		require.Equal(t, 2, run(t.Context(), args, &out), "%q", args)
		require.Contains(t, out.String(), "orderhub", "%q", args)
	}
}
