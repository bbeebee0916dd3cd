package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// migrations are the schema's goose migrations, in the binary.
//
//go:embed migrations/*.sql
var migrations embed.FS

// versionTable is goose's record of the migrations applied.
const versionTable = "hub_schema_version"

// ErrSchema is Open refusing a database whose schema is not the one this
// program was built for.
var ErrSchema = errors.New("pgstore: database schema version mismatch")

// Migrate applies the migrations the database at dsn lacks, under a
// session advisory lock, so hub processes started together migrate once.
// It returns the schema version reached.
func Migrate(ctx context.Context, dsn string) (int64, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return 0, fmt.Errorf("pgstore: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, fmt.Errorf("pgstore: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithTableName(versionTable),
		goose.WithSessionLocker(migrateLock{}),
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return 0, fmt.Errorf("pgstore: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("pgstore: migrating: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("pgstore: %w", err)
	}
	return v, nil
}

// migrateLockID is the advisory lock Migrate holds ("rftermmg").
const migrateLockID = 0x7266_7465_726d_6d67

// migrateLock is a goose session locker that waits for the lock (goose's
// own polls every few seconds): a hub started while another migrates
// goes on as soon as it is done.
type migrateLock struct{}

// SessionLock waits for the lock, or for ctx to end.
func (migrateLock) SessionLock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLockID)); err != nil {
		return fmt.Errorf("pgstore: waiting for the migration lock: %w", err)
	}
	return nil
}

// SessionUnlock releases the lock.
func (migrateLock) SessionUnlock(ctx context.Context, conn *sql.Conn) error {
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", int64(migrateLockID)); err != nil {
		return fmt.Errorf("pgstore: releasing the migration lock: %w", err)
	}
	return nil
}

// SchemaVersion is the schema version this program needs: its newest
// migration's.
func SchemaVersion() int64 {
	entries, _ := fs.ReadDir(migrations, "migrations")
	var newest int64
	for _, e := range entries {
		num, _, _ := strings.Cut(path.Base(e.Name()), "_")
		if v, err := strconv.ParseInt(num, 10, 64); err == nil {
			newest = max(newest, v)
		}
	}
	return newest
}

// DatabaseVersion is the schema version recorded in the database (0 when
// it was never migrated).
func DatabaseVersion(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", versionTable).Scan(&exists); err != nil {
		return 0, fmt.Errorf("pgstore: reading the schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int64
	err := pool.QueryRow(ctx, "SELECT coalesce(max(version_id), 0) FROM "+versionTable).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("pgstore: reading the schema version: %w", err)
	}
	return v, nil
}

// checkSchema refuses a database that is not at SchemaVersion.
func checkSchema(ctx context.Context, pool *pgxpool.Pool) error {
	have, err := DatabaseVersion(ctx, pool)
	if err != nil {
		return err
	}
	switch want := SchemaVersion(); {
	case have < want:
		return fmt.Errorf("%w: the database is at version %d, this program needs %d: run `orderhub migrate --db …` first", ErrSchema, have, want)
	case have > want:
		return fmt.Errorf("%w: the database is at version %d, newer than this program knows (%d): run a newer orderhub", ErrSchema, have, want)
	}
	return nil
}
