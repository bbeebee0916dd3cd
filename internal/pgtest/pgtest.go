// Package pgtest starts throwaway PostgreSQL servers for tests: initdb into
// a temporary directory, a server on a free loopback port (and a unix socket
// in that directory) with settings fit for tests (fsync off), and a fresh
// database per test. Nothing is mocked: the tests talk to a real server.
//
// One server is shared by a test binary, started by its TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestX(t *testing.T) {
//		dsn := pgtest.NewDatabase(t) // CREATE DATABASE; dropped after the test
//		...
//	}
//
// Main hands the server to the tests (and to any program a test starts)
// through the environment variable RFTERM_PGTEST_DSN; set it beforehand to
// use a server of your own instead (its role needs CREATEDB).
//
// The binaries are found on PATH, else in /usr/lib/postgresql/*/bin (the
// newest version). When none are found the tests skip, with a message saying
// so, unless CI=true, where that is a failure. Running as root, initdb and
// the server run as the `postgres` OS user (PostgreSQL refuses to run as
// root).
//
// The server's directory goes on /dev/shm when it has room, else in the
// temporary directory (RFTERM_PGTEST_TMPDIR chooses). The server dies with
// its test binary (a parent-death signal); a directory left by a killed
// binary is removed by a later Start.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// EnvDSN names the environment variable that holds the shared server's
// connection string (a database the tests may connect to for CREATE
// DATABASE).
const EnvDSN = "RFTERM_PGTEST_DSN"

// ErrNoPostgres is returned by FindBin and Start when no PostgreSQL server
// binaries are installed.
var ErrNoPostgres = errors.New("pgtest: no PostgreSQL server binaries (initdb, postgres) on PATH or in /usr/lib/postgresql/*/bin; install them (Debian: apt-get install postgresql) or set " + EnvDSN)

// FindBin returns the directory holding initdb and postgres: the one on PATH,
// else the newest /usr/lib/postgresql/N/bin.
func FindBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if isExec(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, dir := range dirs {
		if isExec(filepath.Join(dir, "initdb")) && isExec(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", ErrNoPostgres
}

// version is the major version in /usr/lib/postgresql/N/bin (0 if none).
func version(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// inCI reports whether the tests run in CI (CI=true), where a missing
// PostgreSQL is a failure rather than a reason to skip.
func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// Main starts one server for the test binary, runs its tests with
// RFTERM_PGTEST_DSN naming it, stops it and exits with the tests' code. Call
// it from TestMain. With RFTERM_PGTEST_DSN already set it starts nothing and
// the tests use that server. Without PostgreSQL it runs the tests anyway (each
// that asks for a database skips), except under CI=true, where it fails.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv(EnvDSN) != "" {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	s, err := Start(ctx)
	cancel()
	switch {
	case errors.Is(err, ErrNoPostgres) && !inCI():
		return m.Run() // NewDatabase skips, saying why
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.Setenv(EnvDSN, s.DSN()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		s.Stop()
		return 1
	}
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// SharedDSN reports the shared server's connection string for t, skipping t
// (or failing it under CI=true) when there is no PostgreSQL.
func SharedDSN(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return dsn
	}
	if _, err := FindBin(); err != nil {
		if inCI() {
			t.Fatalf("%v (CI=true: the PostgreSQL tests must run)", err)
		}
		t.Skipf("skipped: %v", err)
	}
	t.Fatalf("pgtest: no server for this test binary: call pgtest.Main(m) from TestMain (or set %s)", EnvDSN)
	return ""
}

// withDatabase returns dsn with its database replaced by name. dsn is a URL
// (postgres://…) or keyword=value pairs.
func withDatabase(dsn, name string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		base, query, _ := strings.Cut(dsn, "?")
		scheme, rest, _ := strings.Cut(base, "://")
		host, _, _ := strings.Cut(rest, "/")
		out := scheme + "://" + host + "/" + name
		if query != "" {
			out += "?" + query
		}
		return out
	}
	return dsn + " dbname=" + name
}
