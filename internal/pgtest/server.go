package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// startTimeout bounds initdb and the server's start in Main.
const startTimeout = 2 * time.Minute

// stopTimeout is how long Stop waits for a fast shutdown before it kills.
const stopTimeout = 30 * time.Second

// settings are the server's settings: fit for tests, not for data anyone
// wants back (no fsync, no full-page writes, commits acknowledged before
// they are flushed). Serializable isolation and its predicate locks keep
// their defaults, so tests see the conflicts production would.
func settings() []string {
	return []string{
		"fsync=off",
		"full_page_writes=off",
		"synchronous_commit=off",
		"max_connections=200",
		"shared_buffers=32MB",
		"listen_addresses=127.0.0.1",
		"log_min_messages=warning",
	}
}

// errPortTaken is the server failing to bind its port: Start tries another.
var errPortTaken = errors.New("pgtest: port in use")

// Server is a running throwaway PostgreSQL server. Stop it when done; Stop
// also removes its directory.
type Server struct {
	bin  string              // directory of initdb and postgres
	dir  string              // temporary directory: data/, postgres.log, the socket
	cred *syscall.Credential // the postgres OS user when running as root, else nil
	port int
	cmd  *exec.Cmd
	done chan struct{} // closed when the server process has exited
}

// Start runs initdb into a new temporary directory and starts a server on a
// free loopback port, returning once it accepts connections. ctx bounds the
// start only, not the server's life.
func Start(ctx context.Context) (*Server, error) {
	bin, err := FindBin()
	if err != nil {
		return nil, err
	}
	base := baseDir()
	sweep(base)
	dir, err := os.MkdirTemp(base, "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &Server{bin: bin, dir: dir}
	if err := s.setup(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	for range 5 {
		if err = s.start(ctx); !errors.Is(err, errPortTaken) {
			break
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// shmMinFree is the free space /dev/shm must have to hold the servers'
// directories.
const shmMinFree = 2 << 30

// baseDir is where the server's directory goes: /dev/shm when it is a
// roomy tmpfs (creating a database there takes 50 ms, not 500: PostgreSQL
// flushes the copied files even with fsync off), else the temporary
// directory. RFTERM_PGTEST_TMPDIR overrides both.
func baseDir() string {
	if dir := os.Getenv("RFTERM_PGTEST_TMPDIR"); dir != "" {
		return dir
	}
	var fs syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &fs); err == nil && fs.Bavail*uint64(fs.Bsize) >= shmMinFree {
		return "/dev/shm"
	}
	return os.TempDir()
}

// staleAfter is how old a server directory with no server in it must be
// before sweep removes it (a directory being set up is younger).
const staleAfter = 10 * time.Minute

// sweep removes the directories of servers whose test binary was killed
// (the server died with it, its directory stayed): those with no
// postmaster.pid, untouched for staleAfter.
func sweep(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, "pgtest-*"))
	for _, dir := range dirs {
		fi, err := os.Stat(dir)
		if err != nil || time.Since(fi.ModTime()) < staleAfter {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); errors.Is(err, fs.ErrNotExist) {
			os.RemoveAll(dir)
		}
	}
}

// setup chooses the OS user and runs initdb.
func (s *Server) setup(ctx context.Context) error {
	if os.Geteuid() == 0 {
		cred, err := postgresUser()
		if err != nil {
			return err
		}
		s.cred = cred
		if err := os.Chown(s.dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fmt.Errorf("pgtest: giving %s to the postgres user: %w", s.dir, err)
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, "initdb"),
		"-D", s.dataDir(), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	cmd.Env = s.env()
	cmd.SysProcAttr = procAttr(s.cred, false)
	if out, err := cmd.CombinedOutput(); err != nil {
		hint := ""
		if s.cred != nil {
			hint = " (running as root: the postgres user must be able to reach " + s.dir + "; set RFTERM_PGTEST_TMPDIR to a directory it can)"
		}
		return fmt.Errorf("pgtest: initdb%s: %w\n%s", hint, err, out)
	}
	return nil
}

// postgresUser is the `postgres` OS user to run as when running as root.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root, and PostgreSQL will not: no postgres user to run it as: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgtest: postgres user id %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgtest: postgres group id %q: %w", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// env is the environment of initdb and the server: ours without the PG*
// variables (a PGDATA or PGPORT of the caller's must not steer them), in
// the C locale.
func (s *Server) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG=") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C")
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }
func (s *Server) logPath() string { return filepath.Join(s.dir, "postgres.log") }

// start starts the server on a free port and waits until it accepts
// connections, it exits, or ctx ends.
func (s *Server) start(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	logf, err := os.OpenFile(s.logPath(), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer logf.Close() // the child has its own descriptor
	args := []string{"-D", s.dataDir(), "-p", strconv.Itoa(port), "-k", s.dir}
	for _, kv := range settings() {
		args = append(args, "-c", kv)
	}
	cmd := exec.Command(filepath.Join(s.bin, "postgres"), args...)
	cmd.Env = s.env()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = procAttr(s.cred, true)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: starting postgres: %w", err)
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	s.port, s.cmd, s.done = port, cmd, done
	if err := s.waitReady(ctx); err != nil {
		s.kill()
		return err
	}
	return nil
}

// waitReady polls until the server accepts a connection, the server exits
// (an error with the end of its log), or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		conn, err := pgconn.Connect(attempt, s.DSN())
		cancel()
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-s.done:
			log := s.logTail()
			if strings.Contains(log, "already in use") || strings.Contains(log, "could not bind") {
				return errPortTaken
			}
			return fmt.Errorf("pgtest: postgres exited at start:\n%s", log)
		case <-ctx.Done():
			return fmt.Errorf("pgtest: waiting for postgres to accept connections: %w (last: %v)\n%s", ctx.Err(), err, s.logTail())
		case <-tick.C:
		}
	}
}

// logTail is the end of the server's log, for errors.
func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.logPath())
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(bytes.TrimSpace(b))
}

// freePort is a loopback TCP port nobody listened on a moment ago. Another
// process may take it before the server binds; start then tries another.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: finding a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// DSN is the connection string of the server's `postgres` database, as the
// `postgres` superuser over loopback TCP.
func (s *Server) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// SocketDSN is DSN over the unix socket in the server's directory.
func (s *Server) SocketDSN() string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres sslmode=disable", s.dir, s.port)
}

// Stop shuts the server down (a fast shutdown: sessions are ended, nothing
// is flushed that need not be) and removes its directory. It waits at most
// stopTimeout before killing the server.
func (s *Server) Stop() error {
	var err error
	if s.cmd != nil && s.cmd.Process != nil {
		if sigErr := s.cmd.Process.Signal(syscall.SIGINT); sigErr != nil && !errors.Is(sigErr, os.ErrProcessDone) {
			err = fmt.Errorf("pgtest: stopping postgres: %w", sigErr)
		}
		timer := time.NewTimer(stopTimeout)
		select {
		case <-s.done:
			timer.Stop()
		case <-timer.C:
			s.kill()
			err = errors.Join(err, fmt.Errorf("pgtest: postgres did not stop in %v; killed", stopTimeout))
		}
	}
	if rmErr := os.RemoveAll(s.dir); rmErr != nil {
		err = errors.Join(err, fmt.Errorf("pgtest: %w", rmErr))
	}
	return err
}

// kill ends the server process at once and waits for it.
func (s *Server) kill() {
	s.cmd.Process.Kill()
	<-s.done
}
