package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/serve"
)

// serveConfig is the edge server's configuration file (`rfterm serve --config FILE`).
type serveConfig struct {
	Hub          string                      `json:"hub"`
	EnrollKey    string                      `json:"enroll_key"`
	HubCAFile    string                      `json:"hub_ca_file"`
	HubPlainHTTP bool                        `json:"hub_plain_http"`
	Dir          string                      `json:"dir"` // guns/<device>.db and the SSH host key
	HostKey      string                      `json:"host_key,omitempty"`
	Log          string                      `json:"log"`
	BarcodeRules []barcode.Rule              `json:"barcode_rules"`
	Wedge        scanner.WedgeConfig         `json:"wedge,omitzero"`
	SSH          string                      `json:"ssh"`              // e.g. ":2222"
	Telnet       string                      `json:"telnet,omitempty"` // off unless set
	Status       string                      `json:"status,omitempty"` // e.g. "127.0.0.1:2280": GET /sessions
	Keep         scanner.Duration            `json:"keep,omitempty"`   // default 1h
	Idle         scanner.Duration            `json:"idle,omitempty"`   // default 30m
	KeepAlive    scanner.Duration            `json:"keepalive,omitempty"`
	ClusterPick  bool                        `json:"cluster_pick,omitempty"`
	Dock         bool                        `json:"dock,omitempty"` // offer stage and load
	KeyProfiles  map[string]serve.KeyProfile `json:"key_profiles,omitempty"`
	Guns         []serve.Gun                 `json:"guns"`
}

func serveCommand() command {
	return command{name: "serve", summary: "hosted mode: RF guns' TE clients over SSH (and telnet) (--config FILE)", run: runServe}
}

// runServe is `rfterm serve --config FILE`, and `rfterm serve --hash-password`.
func runServe(ctx context.Context, args []string, s stdio) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(s.err)
	path := fs.String("config", "rfterm-serve.json", "the edge server's configuration file")
	hash := fs.Bool("hash-password", false, "read a password on stdin and print its hash for a gun's password_hash")
	pprofAddr := fs.String("pprof", "", "serve Go's profiles (/debug/pprof/) on this loopback address, for load measurements")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *hash {
		line, err := bufio.NewReader(s.in).ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(s.err, "rfterm serve: no password on stdin")
			return 2
		}
		h, err := serve.HashPassword(strings.TrimRight(line, "\r\n"))
		if err != nil {
			fmt.Fprintln(s.err, "rfterm serve:", err)
			return 1
		}
		fmt.Fprintln(s.out, h)
		return 0
	}
	cfg, err := loadServeConfig(*path)
	if err != nil {
		fmt.Fprintln(s.err, "rfterm serve:", err)
		return 2
	}
	log, closeLog, err := openLog(cfg.Log)
	if err != nil {
		fmt.Fprintln(s.err, "rfterm serve:", err)
		return 1
	}
	defer closeLog()
	if *pprofAddr != "" {
		stop, err := servePprof(*pprofAddr)
		if err != nil {
			fmt.Fprintln(s.err, "rfterm serve:", err)
			return 2
		}
		defer stop()
	}
	rules, err := barcode.NewRules(cfg.BarcodeRules)
	if err != nil {
		fmt.Fprintln(s.err, "rfterm serve:", err)
		return 2
	}
	srv, err := serve.New(ctx, serve.Config{Dir: cfg.Dir, HostKey: cfg.HostKey, Hub: cfg.Hub, EnrollKey: cfg.EnrollKey,
		Transport: api.TransportConfig{CAFile: cfg.HubCAFile, PlainHTTP: cfg.HubPlainHTTP}, Rules: rules, Wedge: cfg.Wedge,
		ClusterPick: cfg.ClusterPick, Dock: cfg.Dock, SSH: cfg.SSH, Telnet: cfg.Telnet, Status: cfg.Status,
		Keep: time.Duration(cfg.Keep), Idle: time.Duration(cfg.Idle), KeepAlive: time.Duration(cfg.KeepAlive),
		Profiles: cfg.KeyProfiles, Guns: cfg.Guns, Log: log})
	if err == nil {
		err = runServer(ctx, srv, s, log)
	}
	if err != nil {
		fmt.Fprintln(s.err, "rfterm serve:", err)
		return 1
	}
	return 0
}

// runServer starts srv, says where it listens, and serves until ctx ends.
func runServer(ctx context.Context, srv *serve.Server, s stdio, log *slog.Logger) error {
	if err := srv.Resume(); err != nil {
		srv.Close()
		return err
	}
	if err := srv.Start(); err != nil {
		srv.Close()
		return err
	}
	for _, a := range srv.Addrs() {
		fmt.Fprintln(s.out, "listening on", a)
	}
	<-ctx.Done()
	log.Info("serve: stopping")
	return srv.Close()
}

// servePprof serves net/http/pprof's handlers on addr, which must be a
// loopback address (profiles say a lot about a process), with block and
// mutex profiling on. stop ends it.
func servePprof(addr string) (stop func(), err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--pprof: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("--pprof %s: only a loopback address", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--pprof: %w", err)
	}
	runtime.SetBlockProfileRate(int(10 * time.Microsecond))
	runtime.SetMutexProfileFraction(10)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() { _ = srv.Close() }, nil
}

// loadServeConfig reads and checks the edge server's configuration.
func loadServeConfig(path string) (serveConfig, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return serveConfig{}, err
	}
	var c serveConfig
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if c.Log == "" {
		c.Log = "rfterm-serve.log"
	}
	var missing []error
	for _, f := range []struct{ name, value string }{{"hub", c.Hub}, {"dir", c.Dir}, {"ssh", c.SSH + c.Telnet}} {
		if f.value == "" {
			missing = append(missing, fmt.Errorf("%q is required", f.name))
		}
	}
	if len(c.BarcodeRules) == 0 {
		missing = append(missing, errors.New(`"barcode_rules" is required`))
	}
	if len(c.Guns) == 0 {
		missing = append(missing, errors.New(`"guns" is required: each gun's device id and its key or password`))
	}
	if err := errors.Join(missing...); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
