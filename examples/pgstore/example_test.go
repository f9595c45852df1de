package pgstore_test

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

// services wires connectkit's services to PostgreSQL: one pool, the
// schema migrated (safe when several replicas start at once), and one
// store per package. This is all a service needs; the Example below shows
// the pool configuration without a server.
func services(ctx context.Context, cfg *pgxpool.Config) (*account.Service, *links.Service, *relink.Service, func(), error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if err := pgstore.Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, nil, nil, nil, err
	}
	accounts := &account.Service{Store: pgstore.NewAccountStore(pool), Clock: clock.System{}}
	linkSvc := &links.Service{Store: pgstore.NewLinkStore(pool), Accounts: accounts.Store, Clock: clock.System{}}
	relinkSvc := &relink.Service{Store: pgstore.NewRelinkStore(pool), Clock: clock.System{}}
	return accounts, linkSvc, relinkSvc, pool.Close, nil
}

// Configure the pool once: enough connections for the concurrency you
// expect, and CancelOnServer so that a write whose context ends while it
// waits for a row lock is rolled back on the server rather than left to
// commit behind the caller's back.
func Example() {
	cfg, err := pgxpool.ParseConfig("postgres://app@db.internal:5432/connectkit?pool_max_conns=32")
	if err != nil {
		fmt.Println(err)
		return
	}
	pgstore.CancelOnServer(cfg)
	fmt.Println("max connections:", cfg.MaxConns)
	_ = services // with a reachable server: accounts, links, relinks, closePool, err := services(ctx, cfg)
	// Output: max connections: 32
}
