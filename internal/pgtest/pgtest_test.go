package pgtest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Each test gets a database of its own, and it is gone after the test.
func TestNewDatabaseIsFreshAndDropped(t *testing.T) {
	admin := connect(t, pgtest.SharedDSN(t))
	ctx := context.Background()
	var names []string
	for _, sub := range []string{"one", "two"} {
		t.Run(sub, func(t *testing.T) {
			conn := connect(t, pgtest.NewDatabase(t))
			var name string
			require.NoError(t, conn.QueryRow(ctx, "SELECT current_database()").Scan(&name))
			names = append(names, name)
			var tables int
			require.NoError(t, conn.QueryRow(ctx,
				"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables))
			require.Zero(t, tables, "a new database is empty")
			_, err := conn.Exec(ctx, "CREATE TABLE mine (x int)")
			require.NoError(t, err)
		})
	}
	require.Len(t, names, 2)
	require.NotEqual(t, names[0], names[1])
	var left int
	require.NoError(t, admin.QueryRow(ctx,
		"SELECT count(*) FROM pg_database WHERE datname = ANY($1)", names).Scan(&left))
	require.Zero(t, left, "the tests' databases are dropped after them")
}

// A template is copied, tables and rows.
func TestNewDatabaseFromTemplate(t *testing.T) {
	ctx := context.Background()
	admin := pgtest.SharedDSN(t)
	require.NoError(t, pgtest.CreateDatabase(ctx, admin, "tmpl_copy_test", "template0"))
	t.Cleanup(func() { require.NoError(t, pgtest.DropDatabase(context.Background(), admin, "tmpl_copy_test")) })
	conn, err := pgx.Connect(ctx, pgtest.DSNFor(admin, "tmpl_copy_test"))
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "CREATE TABLE seeded (x int); INSERT INTO seeded VALUES (42)")
	require.NoError(t, err)
	require.NoError(t, conn.Close(ctx))

	copyConn := connect(t, pgtest.NewDatabaseFrom(t, "tmpl_copy_test"))
	var x int
	require.NoError(t, copyConn.QueryRow(ctx, "SELECT x FROM seeded").Scan(&x))
	require.Equal(t, 42, x)
}

// A server of its own: up on loopback and on its socket, run as postgres
// when we are root, and gone after Stop, directory and all.
func TestStartStop(t *testing.T) {
	pgtest.SharedDSN(t) // skips as the others do without PostgreSQL
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := pgtest.Start(ctx)
	require.NoError(t, err)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			s.Stop()
		}
	})

	conn := connect(t, s.DSN())
	var dataDir string
	require.NoError(t, conn.QueryRow(ctx, "SHOW data_directory").Scan(&dataDir))
	var fsync string
	require.NoError(t, conn.QueryRow(ctx, "SHOW fsync").Scan(&fsync))
	require.Equal(t, "off", fsync)
	sock := connect(t, s.SocketDSN())
	var one int
	require.NoError(t, sock.QueryRow(ctx, "SELECT 1").Scan(&one))

	fi, err := os.Stat(dataDir)
	require.NoError(t, err)
	if os.Geteuid() == 0 {
		require.NotZero(t, fi.Sys().(*syscall.Stat_t).Uid, "as root, the server runs as the postgres user")
	}

	require.NoError(t, conn.Close(ctx))
	require.NoError(t, sock.Close(ctx))
	require.NoError(t, s.Stop())
	stopped = true
	_, err = os.Stat(filepath.Dir(dataDir))
	require.True(t, os.IsNotExist(err), "Stop removes the directory: %v", err)
	short, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	_, err = pgx.Connect(short, s.DSN())
	require.Error(t, err, "the server is down")
}

func TestFindBin(t *testing.T) {
	dir, err := pgtest.FindBin()
	if err != nil {
		require.ErrorIs(t, err, pgtest.ErrNoPostgres)
		require.Contains(t, err.Error(), "apt-get install postgresql")
		return
	}
	for _, name := range []string{"initdb", "postgres"} {
		_, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
	}
}

func TestDSNFor(t *testing.T) {
	require.Equal(t, "postgres://u@h:5/other?sslmode=disable",
		pgtest.DSNFor("postgres://u@h:5/postgres?sslmode=disable", "other"))
	require.Equal(t, "postgresql://u@h:5/other", pgtest.DSNFor("postgresql://u@h:5", "other"))
	kv := pgtest.DSNFor("host=/tmp port=5 dbname=postgres", "other")
	require.True(t, strings.HasSuffix(kv, " dbname=other"), kv)
}

// A server whose test binary was killed leaves its directory; the next
// Start removes it once it is old enough, and leaves a live server's alone.
func TestStartSweepsStaleDirectories(t *testing.T) {
	pgtest.SharedDSN(t)
	base := t.TempDir()
	t.Setenv("RFTERM_PGTEST_TMPDIR", base)
	stale := filepath.Join(base, "pgtest-stale")
	live := filepath.Join(base, "pgtest-live")
	young := filepath.Join(base, "pgtest-young")
	for _, d := range []string{stale, live, young} {
		require.NoError(t, os.MkdirAll(filepath.Join(d, "data"), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(live, "data", "postmaster.pid"), []byte("1\n"), 0o644))
	old := time.Now().Add(-time.Hour)
	for _, d := range []string{stale, live} {
		require.NoError(t, os.Chtimes(d, old, old))
	}
	if os.Geteuid() == 0 { // the postgres user must reach its directory
		require.NoError(t, os.Chmod(filepath.Dir(base), 0o755))
		require.NoError(t, os.Chmod(base, 0o755))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := pgtest.Start(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Stop())
	for d, want := range map[string]bool{stale: false, live: true, young: true} {
		_, err := os.Stat(d)
		require.Equal(t, want, err == nil, d)
	}
}
