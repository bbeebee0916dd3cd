package main

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/backend"
)

// checkTLSFlags refuses half a TLS set-up, plain HTTP on an address off
// loopback unless --plain-http says so, and a PostgreSQL database off
// loopback reached without TLS unless --plain-db says so.
func checkTLSFlags(c config) error {
	if _, err := checkDBTransport(c.db, c.plainDB); err != nil {
		return err
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if c.tlsCert != "" || c.plainHTTP {
		return nil
	}
	host, _, err := net.SplitHostPort(c.listen)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", c.listen, err)
	}
	if !api.IsLoopback(host) {
		return fmt.Errorf("--listen %s is off loopback: serve HTTPS (--tls-cert and --tls-key), or allow plain HTTP with --plain-http "+
			"(device tokens then cross the network in clear)", c.listen)
	}
	return nil
}

// checkDBTransport applies the rule of --listen to the hub's own
// connections: a PostgreSQL server off loopback (not on a unix socket, not
// on 127.0.0.0/8, ::1 or localhost) must be reached over TLS. A --db whose
// sslmode lets a connection to such a host go in plain text (disable,
// allow, or prefer, the default, which falls back to it without a word)
// is refused unless plain says so (--plain-db). sslmode=require encrypts
// without checking who answers (no sslrootcert): taken, and warning says
// so; verify-full (or verify-ca) is the one to use. A bbolt file passes.
func checkDBTransport(db string, plain bool) (warning string, err error) {
	if !backend.IsPostgres(db) {
		return "", nil
	}
	cfg, err := pgconn.ParseConfig(db)
	if err != nil {
		return "", fmt.Errorf("--db: %w", err)
	}
	hosts := append([]*pgconn.FallbackConfig{{Host: cfg.Host, Port: cfg.Port, TLSConfig: cfg.TLSConfig}}, cfg.Fallbacks...)
	var unverified []string
	for _, h := range hosts {
		if isLocalDB(h.Host) {
			continue
		}
		addr := net.JoinHostPort(h.Host, fmt.Sprint(h.Port))
		switch {
		case h.TLSConfig == nil && !plain:
			return "", fmt.Errorf("--db: the PostgreSQL server %s is off loopback and the connection string lets the connection go "+
				"in plain text (sslmode disable, allow or prefer, the default): add sslmode=verify-full (and sslrootcert=CA.pem "+
				"for a site CA), or allow plain text with --plain-db (the database password and every record then cross the "+
				"network in clear)", addr)
		case h.TLSConfig != nil && h.TLSConfig.InsecureSkipVerify && h.TLSConfig.VerifyPeerCertificate == nil &&
			!slices.Contains(unverified, addr):
			unverified = append(unverified, addr)
		}
	}
	if len(unverified) > 0 && !plain {
		warning = fmt.Sprintf("the PostgreSQL server %s is reached over TLS without checking its certificate (sslmode=require): "+
			"use sslmode=verify-full with sslrootcert=CA.pem", strings.Join(unverified, ", "))
	}
	return warning, nil
}

// isLocalDB reports a PostgreSQL host on this machine: a unix socket's
// directory, or a loopback name or address.
func isLocalDB(host string) bool {
	return strings.HasPrefix(host, "/") || api.IsLoopback(host)
}
