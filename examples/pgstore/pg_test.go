package pgstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectkit/connectkit/examples/pgstore"
)

// urlEnv names the environment variable holding the test server's
// connection string. .ci/pg.sh starts a throw-away server and sets it.
const urlEnv = "CONNECTKIT_PG_URL"

// poolConns is the size of every test pool: the conformance suites'
// concurrency clauses run 64 goroutines over at least 32 connections.
const poolConns = 32

// serverURL returns the test server's connection string. Without one the
// test is skipped, except under CI=true, where a missing server is a
// failure: CI must never pass by skipping.
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(urlEnv)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is unset but CI=true: the PostgreSQL tests must run in CI (see .ci/pg.sh)", urlEnv)
		}
		t.Skip("set CONNECTKIT_PG_URL to run against PostgreSQL, or run .ci/pg.sh")
	}
	return u
}

var (
	adminOnce sync.Once
	admin     *pgxpool.Pool
	adminErr  error
)

// adminPool returns a small shared pool used only to create and drop test
// schemas. It lives until the test binary exits.
func adminPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	u := serverURL(t)
	adminOnce.Do(func() {
		cfg, err := pgxpool.ParseConfig(u)
		if err != nil {
			adminErr = err
			return
		}
		cfg.MaxConns = 4
		admin, adminErr = pgxpool.NewWithConfig(context.Background(), cfg)
	})
	if adminErr != nil {
		t.Fatalf("connect to %s: %v", urlEnv, adminErr)
	}
	return admin
}

// newSchema creates an empty, uniquely named schema and drops it, with
// everything in it, when the test ends: every test and every store in a
// conformance suite gets tables of its own.
func newSchema(t testing.TB) string {
	t.Helper()
	db := adminPool(t)
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := "ck_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// newPool returns a pool of up to maxConns connections whose search_path is
// schema, closed when the test ends (before the schema is dropped).
func newPool(t testing.TB, schema string, maxConns int32) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(serverURL(t))
	if err != nil {
		t.Fatalf("parse %s: %v", urlEnv, err)
	}
	cfg.MaxConns = maxConns
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	pgstore.CancelOnServer(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

func TestMain(m *testing.M) {
	code := m.Run()
	if admin != nil {
		admin.Close()
	}
	os.Exit(code)
}

func TestServer_PoolSizeAndIsolation(t *testing.T) {
	schema := newSchema(t)
	db := newPool(t, schema, poolConns)
	var got string
	if err := db.QueryRow(context.Background(), "SELECT current_schema()").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != schema {
		t.Fatalf("current_schema() = %q, want %q", got, schema)
	}
	// Two replicas of poolConns each, plus the schema pool, must fit.
	var maxConns int
	if err := db.QueryRow(context.Background(), "SELECT current_setting('max_connections')::int").Scan(&maxConns); err != nil {
		t.Fatal(err)
	}
	if need := 2*poolConns + 10; maxConns < need {
		t.Fatalf("server max_connections = %d, want at least %d", maxConns, need)
	}
}

// newDB returns a pool of poolConns connections over a fresh, migrated
// schema of its own.
func newDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	db := newPool(t, newSchema(t), poolConns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := pgstore.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
