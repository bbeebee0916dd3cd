package main

import (
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rfterm/rfterm/hub/backend"
)

// describeDB is --db as the log may show it: a bbolt file's path, or a
// PostgreSQL database's user, host, port and name, never its password.
func describeDB(db string) string {
	if !backend.IsPostgres(db) {
		return db
	}
	cfg, err := pgconn.ParseConfig(db)
	if err != nil {
		return "postgres://(unreadable)"
	}
	return fmt.Sprintf("postgres://%s@%s/%s", cfg.User, net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port)), cfg.Database)
}
