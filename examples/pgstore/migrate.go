package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationFiles holds the schema, one numbered file per step
// (0001_accounts.sql, …), applied in order by Migrate.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded files and orders them by version. A
// file whose name does not start with a number, or two files with the same
// number, is an error.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("pgstore: migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("pgstore: migration %q: name must start with a positive number and an underscore", base)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("pgstore: migrations %q and %q share version %d", other, base, v)
		}
		seen[v] = base
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("pgstore: migration %q: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate creates or upgrades the adapter's tables in the first schema of
// the pool's search_path. It applies, in one transaction, every embedded
// migration not yet recorded in the table pgstore_migrations, and records
// it. Running it again is a no-op; replicas that start at once serialise on
// a transaction-scoped advisory lock, so each step runs exactly once.
func Migrate(ctx context.Context, db *pgxpool.Pool) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		// One lock per schema, held until commit or rollback.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('pgstore:' || current_schema(), 0))`); err != nil {
			return fmt.Errorf("pgstore: migrate: lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS pgstore_migrations (
			version    integer     PRIMARY KEY,
			name       text        NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return fmt.Errorf("pgstore: migrate: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT version FROM pgstore_migrations`)
		if err != nil {
			return fmt.Errorf("pgstore: migrate: %w", err)
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			return fmt.Errorf("pgstore: migrate: %w", err)
		}
		done := make(map[int]bool, len(applied))
		for _, v := range applied {
			done[int(v)] = true
		}
		for _, m := range ms {
			if done[m.version] {
				continue
			}
			// The simple protocol runs a file of several statements.
			if _, err := tx.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
				return fmt.Errorf("pgstore: migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO pgstore_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return fmt.Errorf("pgstore: migration %s: %w", m.name, err)
			}
		}
		return nil
	})
}
