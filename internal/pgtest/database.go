package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// dbTimeout bounds creating and dropping a test's database.
const dbTimeout = time.Minute

// NewDatabase creates an empty database for t on the shared server (see
// Main) and returns its connection string; the database is dropped when t
// ends (after t's own cleanups, so close pools in t.Cleanup or before). It
// skips t when there is no PostgreSQL, unless CI=true.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return NewDatabaseFrom(t, "template0")
}

// NewDatabaseFrom is NewDatabase with a copy of template (a database nobody
// is connected to) instead of an empty one: migrate a template once, then
// give every test a copy.
func NewDatabaseFrom(t testing.TB, template string) string {
	t.Helper()
	admin := SharedDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), dbTimeout)
	defer cancel()
	name := databaseName(t.Name())
	if err := CreateDatabase(ctx, admin, name, template); err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), dbTimeout)
		defer cancel()
		if err := DropDatabase(ctx, admin, name); err != nil {
			t.Errorf("%v", err)
		}
	})
	return withDatabase(admin, name)
}

// CreateDatabase creates database name as a copy of template, connecting
// with admin.
func CreateDatabase(ctx context.Context, admin, name, template string) error {
	return adminExec(ctx, admin, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s",
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{template}.Sanitize()))
}

// DropDatabase drops database name, ending any session still connected to
// it.
func DropDatabase(ctx context.Context, admin, name string) error {
	return adminExec(ctx, admin, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)",
		pgx.Identifier{name}.Sanitize()))
}

// DSNFor returns admin's connection string with its database replaced by
// name.
func DSNFor(admin, name string) string { return withDatabase(admin, name) }

func adminExec(ctx context.Context, admin, sql string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("pgtest: connecting to the test server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

// databaseName is a database name unique to one call for a test: its name
// in lower case letters, digits and underscores, and a random suffix.
func databaseName(test string) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range strings.ToLower(test) {
		if b.Len() >= 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	suffix := make([]byte, 5)
	rand.Read(suffix)
	return b.String() + "_" + hex.EncodeToString(suffix)
}
