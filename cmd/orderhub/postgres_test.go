package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/internal/pgtest"
)

// orderhub --db postgres://… refuses a database behind its schema, naming
// the command that brings it up to date; once migrated it serves, under
// either URL scheme, and its log names the database without the password.
func TestServePostgres(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	u.User = url.UserPassword(u.User.Username(), "s3cret-pw") // the test server trusts loopback: any password does
	dsn = u.String()

	var out bytes.Buffer
	require.Equal(t, 1, run(t.Context(), []string{"--listen", freeAddr(t), "--db", dsn, "--seed", "demo"}, &out))
	assert.Contains(t, out.String(), "schema version mismatch")
	assert.Contains(t, out.String(), "orderhub migrate --db")
	assert.NotContains(t, out.String(), "s3cret-pw")

	out.Reset()
	require.Equal(t, 0, run(t.Context(), []string{"migrate", "--db", dsn}, &out), out.String())
	c, stop, logs := start(t, "--db", dsn, "--seed", "demo")
	reg, err := c.Register(context.Background(), api.RegisterRequest{DeviceID: "gun-pg", EnrollKey: "demo-enroll-key"})
	require.NoError(t, err)
	claim, err := c.WithToken(reg.Token).ClaimTask(context.Background(), "u1001")
	require.NoError(t, err)
	require.Equal(t, 0, stop())
	assert.Contains(t, logs.String(), "db=postgres://postgres@127.0.0.1:")
	assert.NotContains(t, logs.String(), "s3cret-pw")

	// The same database through postgresql://, seeded already.
	c, stop, _ = start(t, "--db", "postgresql://"+strings.TrimPrefix(dsn, "postgres://"))
	again, err := c.WithToken(reg.Token).ClaimTask(context.Background(), "u1001")
	require.NoError(t, err)
	assert.Equal(t, claim.Task.ID, again.Task.ID, "the held task, kept in PostgreSQL")
	require.Equal(t, 0, stop())
}

// TLS off loopback (see checkDBTransport): a PostgreSQL server off
// loopback is reached over TLS, checked with verify-full or verify-ca,
// taken with a warning under require, and refused where the connection
// may go in plain text, unless --plain-db says so. Local servers need no
// TLS.
func TestDBTransportOffLoopback(t *testing.T) {
	t.Setenv("PGSSLMODE", "") // the connection string alone decides here
	ca, _, _ := testCA(t, t.TempDir())
	cases := []struct {
		db      string
		plain   bool
		refused bool
		warns   bool
	}{
		{db: "hub.db"},
		{db: "postgres://hub@127.0.0.1/hub"},
		{db: "postgres://hub@localhost:5433/hub?sslmode=disable"},
		{db: "postgres://hub@[::1]/hub"},
		{db: "postgres:///hub?host=/var/run/postgresql"},
		{db: "postgres://hub@db.example/hub", refused: true}, // prefer, the default
		{db: "postgres://hub@db.example/hub?sslmode=disable", refused: true},
		{db: "postgres://hub@db.example/hub?sslmode=allow", refused: true},
		{db: "postgres://hub@db.example/hub?sslmode=prefer", refused: true},
		{db: "postgres://hub@127.0.0.1,db.example/hub?sslmode=disable", refused: true},
		{db: "postgres://hub@db.example/hub?sslmode=disable", plain: true},
		{db: "postgres://hub@db.example/hub?sslmode=require", warns: true},
		{db: "postgres://hub@db.example/hub?sslmode=require&sslrootcert=" + ca},
		{db: "postgres://hub@db.example/hub?sslmode=verify-ca&sslrootcert=" + ca},
		{db: "postgresql://hub@db.example/hub?sslmode=verify-full&sslrootcert=" + ca},
	}
	for _, tc := range cases {
		warning, err := checkDBTransport(tc.db, tc.plain)
		if tc.refused {
			require.Error(t, err, tc.db)
			assert.Contains(t, err.Error(), "sslmode=verify-full", tc.db)
			assert.Contains(t, err.Error(), "--plain-db", tc.db)
			continue
		}
		require.NoError(t, err, tc.db)
		assert.Equal(t, tc.warns, warning != "", "%s: %q", tc.db, warning)
	}

	// Refused before any connection is tried, by the hub and by migrate.
	for _, args := range [][]string{{"--db", "postgres://hub:pw@db.example/hub", "--seed", "demo"}, {"migrate", "--db", "postgres://hub:pw@db.example/hub"}} {
		var out bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), args, &out), "%q", args)
		assert.Contains(t, out.String(), "off loopback", "%q", args)
		assert.NotContains(t, out.String(), ":pw@", "%q", args)
	}
}
