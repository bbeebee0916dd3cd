// Command orderhub is the reference central order hub: the HTTP/JSON API that
// rfterm devices talk to, backed by a bbolt file or a PostgreSQL database
// (--db postgres://…; several hubs may share one). Its contract is
// api/openapi.json.
//
//	orderhub --listen :8080 --db hub.db --seed demo
//	orderhub --listen :8080 --db postgres://orderhub@localhost/orderhub --seed demo
//	orderhub db check --db hub.db   # read the whole file (the hub stopped)
//	orderhub backup --db hub.db --out copy.db   # a hot copy, the hub running or not
//	orderhub migrate --db postgres://user@host/hub   # the PostgreSQL store's schema
//	orderhub version                # the version, commit, Go release and platform
//	orderhub --listen :8443 --db hub.db --tls-cert hub.pem --tls-key hub.key
//	orderhub site add --db hub.db --id north --seed north.json   # another site
//	orderhub site list --db hub.db
//
// --seed loads a site (a domain.Site JSON file, or "demo" for the embedded demo
// site) into an empty database as its default site; a database that holds
// one is left as it is. `site add` adds a site beside it (see runSite).
// Logs go to stderr, or to --log FILE. SIGINT or SIGTERM shut it down gracefully.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/backend"
	"github.com/rfterm/rfterm/hub/boltstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	listen, db, seed, log string
	tlsCert, tlsKey       string // serve HTTPS with this certificate and key
	plainHTTP             bool   // allow plain HTTP off loopback
	plainDB               bool   // allow a PostgreSQL server off loopback without TLS
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("orderhub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to serve HTTP on")
	fs.StringVar(&c.db, "db", "", "the database: a bbolt file (created if missing), or a postgres:// URL (orderhub migrate first)")
	fs.StringVar(&c.seed, "seed", "", `site JSON to load into an empty database, or "demo"`)
	fs.StringVar(&c.log, "log", "", "log file (default stderr)")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "PEM certificate (chain) to serve HTTPS with")
	fs.StringVar(&c.tlsKey, "tls-key", "", "PEM private key of --tls-cert")
	fs.BoolVar(&c.plainHTTP, "plain-http", false, "serve plain HTTP on an address off loopback (tokens cross the network in clear)")
	fs.BoolVar(&c.plainDB, "plain-db", false, "reach a PostgreSQL server off loopback without TLS (its password and records cross the network in clear)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.db == "" {
		return c, errors.New("--db is required: a bbolt file, or postgres://…")
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return c, checkTLSFlags(c)
}

func run(ctx context.Context, args []string, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "db" {
		return runDB(args[1:], stderr)
	}
	if len(args) > 0 && args[0] == "migrate" {
		return runMigrate(ctx, args[1:], stderr)
	}
	if len(args) > 0 && args[0] == "version" {
		return runVersion(args[1:], os.Stdout, stderr)
	}
	if len(args) > 0 && args[0] == "site" {
		return runSite(ctx, args[1:], os.Stdout, stderr)
	}
	if len(args) > 0 && args[0] == "backup" {
		return runBackup(ctx, args[1:], stderr)
	}
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "orderhub:", err)
		return 2
	}
	logOut := stderr
	if cfg.log != "" {
		f, err := os.OpenFile(cfg.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(stderr, "orderhub:", err)
			return 1
		}
		defer f.Close()
		logOut = f
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("orderhub stopped", "err", err)
		fmt.Fprintln(stderr, "orderhub:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	if warning, _ := checkDBTransport(cfg.db, cfg.plainDB); warning != "" {
		log.Warn(warning)
	}
	db, err := backend.Open(ctx, cfg.db, backend.Options{})
	if err != nil {
		return err
	}
	store := hub.New(db)
	defer store.Close()
	if bolt, ok := db.(*boltstore.DB); ok {
		stopBackups, err := serveBackups(bolt, log)
		if err != nil {
			log.Warn("no backup socket: orderhub backup needs the hub stopped", "err", err)
		} else {
			defer stopBackups()
		}
	}
	if err := seed(ctx, store, cfg.seed); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           hub.NewHandler(store, log),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("orderhub listening", "addr", ln.Addr().String(), "db", describeDB(cfg.db), "tls", cfg.tlsCert != "")
	done := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			done <- srv.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
			return
		}
		done <- srv.Serve(ln)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("orderhub shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-done
	return nil
}

// seed loads the site named by from into an empty database.
func seed(ctx context.Context, store *hub.Store, from string) error {
	seeded, err := store.Seeded(ctx)
	if err != nil {
		return err
	}
	if from == "" {
		if !seeded {
			return errors.New("the database is empty: give --seed demo, or --seed FILE with a site JSON")
		}
		return nil
	}
	site, err := loadSite(from)
	if err != nil {
		return err
	}
	return store.Seed(ctx, site)
}

func loadSite(from string) (domain.Site, error) {
	if from == "demo" {
		return demodata.Site()
	}
	raw, err := os.ReadFile(from)
	if err != nil {
		return domain.Site{}, fmt.Errorf("seed: %w", err)
	}
	var site domain.Site
	if err := json.Unmarshal(raw, &site); err != nil {
		return domain.Site{}, fmt.Errorf("seed %s: %w", from, err)
	}
	return site, nil
}
