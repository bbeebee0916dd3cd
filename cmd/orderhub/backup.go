package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/rfterm/rfterm/hub/backend"
	"github.com/rfterm/rfterm/hub/boltstore"
)

// A running hub holds its bbolt file's lock, so `orderhub backup` cannot
// open the file while it runs. The hub therefore serves a hot copy itself,
// on a unix socket beside the file (FILE.admin.sock, mode 0600): whoever
// may open that socket may read the file already, so the file system's
// permissions are the authentication, and nothing is served on the
// network. With the hub stopped, backup opens the file itself.

// backupSocket is the path of the admin socket of the hub on the bbolt
// file db.
func backupSocket(db string) string { return db + ".admin.sock" }

const backupUsage = "orderhub: usage: orderhub backup --db FILE --out FILE"

// runBackup runs `orderhub backup --db FILE --out FILE`: a consistent copy
// of the hub's bbolt file, from the running hub through its admin socket,
// or from the file when no hub has it open. The copy is written beside
// OUT, checked whole (as `orderhub db check` does), then renamed to OUT:
// OUT is a complete, sound database or is left as it was. A PostgreSQL
// hub is backed up with pg_dump.
func runBackup(ctx context.Context, args []string, out io.Writer) int {
	fs := flag.NewFlagSet("orderhub backup", flag.ContinueOnError)
	fs.SetOutput(out)
	db := fs.String("db", "", "the hub's bbolt file")
	to := fs.String("out", "", "the backup file to write (replaced if it exists)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *db == "" || *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(out, backupUsage)
		return 2
	}
	if backend.IsPostgres(*db) {
		fmt.Fprintln(out, "orderhub: a PostgreSQL hub is backed up with PostgreSQL's own tools, while it runs: "+
			"pg_dump --format=custom --file=hub.dump 'postgres://…'; restore with pg_restore (README, \"Backups\")")
		return 2
	}
	if same, _ := sameFile(*db, *to); same || filepath.Clean(*db) == filepath.Clean(*to) {
		fmt.Fprintln(out, "orderhub: --out must not be the database itself")
		return 2
	}
	n, from, err := backup(ctx, *db, *to)
	if err != nil {
		fmt.Fprintln(out, "orderhub: backup:", err)
		return 1
	}
	fmt.Fprintf(out, "orderhub: %s backed up to %s (%d bytes, %s; checked whole)\n", *db, *to, n, from)
	return 0
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// backup writes the copy of db to a temporary file beside to, checks it,
// and renames it to to. It returns the bytes copied and where from.
func backup(ctx context.Context, db, to string) (n int64, from string, err error) {
	if _, err := os.Stat(db); err != nil {
		return 0, "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(to), filepath.Base(to)+".partial-*")
	if err != nil {
		return 0, "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	from = "from the running hub"
	n, err = backupFromHub(ctx, backupSocket(db), tmp)
	if errors.Is(err, errNoHub) {
		from = "from the file, no hub running"
		n, err = backupFromFile(ctx, db, tmp)
	}
	if err != nil {
		return n, from, err
	}
	if err := tmp.Sync(); err != nil {
		return n, from, err
	}
	if err := tmp.Close(); err != nil {
		return n, from, err
	}
	if err := boltstore.Check(tmp.Name(), io.Discard); err != nil {
		return n, from, fmt.Errorf("the copy failed its check: %w", err)
	}
	return n, from, os.Rename(tmp.Name(), to)
}

// errNoHub is no hub answering on the admin socket.
var errNoHub = errors.New("no hub serves the admin socket")

// backupFromHub streams the running hub's copy from its admin socket.
func backupFromHub(ctx context.Context, socket string, w io.Writer) (int64, error) {
	hc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, "unix", socket)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://orderhub/backup", nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	var dial *net.OpError
	if errors.As(err, &dial) && dial.Op == "dial" {
		return 0, fmt.Errorf("%w (%v)", errNoHub, err)
	}
	if err != nil {
		return 0, fmt.Errorf("the hub at %s: %w", socket, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return 0, fmt.Errorf("the hub at %s answered %s: %s", socket, resp.Status, msg)
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, fmt.Errorf("the copy from the hub at %s broke off after %d bytes: %w", socket, n, err)
	}
	return n, nil
}

// backupFromFile copies db itself, which no hub may have open.
func backupFromFile(ctx context.Context, db string, w io.Writer) (int64, error) {
	store, err := boltstore.Open(db, boltstore.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return 0, fmt.Errorf("%w; the hub that has it open serves backups on %s, but nothing answers there (see the hub's log)", err, backupSocket(db))
	}
	if err != nil {
		return 0, err
	}
	defer store.Close()
	return store.Backup(ctx, w)
}

// serveBackups serves GET /backup, a hot copy of db, on the admin socket
// beside the hub's file until stop is called. A stale socket left by a
// hub that was killed is replaced: this process holds the file's lock,
// so no other hub serves it.
func serveBackups(db *boltstore.DB, log *slog.Logger) (stop func(), err error) {
	path := backupSocket(db.Path())
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket: move it away", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
	}
	// Bound to a name of its own, made private, then renamed into place:
	// the socket is never reachable under path with other permissions.
	tmp := fmt.Sprintf("%s.%d", path, os.Getpid())
	os.Remove(tmp)
	ln, err := net.Listen("unix", tmp)
	if err != nil {
		return nil, err
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, 0o600); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		n, err := db.Backup(r.Context(), w)
		if err != nil {
			log.Error("backup failed", "err", err, "bytes", n)
			if n == 0 {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			panic(http.ErrAbortHandler) // cut the stream: the client sees it broken off
		}
		log.Info("backup served", "bytes", n)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	log.Info("orderhub serves backups", "socket", path)
	return func() {
		srv.Close() // a backup in progress is cut: the database closes next
		<-done
		os.Remove(path)
	}, nil
}
