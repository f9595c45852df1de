// Command platform is connectkit's reference platform server
// (examples/platform) over PostgreSQL: the same handlers, with
// pgstore's account, link and relink stores. It lives in the pgstore
// module because that module already depends on pgx; connectkit's own
// module stays free of a database driver.
//
//	cd examples/pgstore && go run ./cmd/platform -dsn 'postgres://user@127.0.0.1:5432/db?sslmode=disable'
//
// It migrates the database (pgstore.Migrate), seeds the demo records once,
// serves on a loopback port and prints how to drive it. Everything is in
// PostgreSQL, the Financial Connections accounts relink decides on
// included (RelinkStore is their store too, which the webhook updates).
// Webhook deliveries are not verified (server.AcceptUnverified): a
// platform sets Config.VerifyWebhook to check Stripe-Signature.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/examples/platform/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback; port 0 picks a free one)")
	dsn := flag.String("dsn", os.Getenv("CONNECTKIT_PG_URL"), "PostgreSQL connection string (default $CONNECTKIT_PG_URL)")
	flag.Parse()
	if err := run(*addr, *dsn); err != nil {
		fmt.Fprintln(os.Stderr, "platform:", err)
		os.Exit(1)
	}
}

func run(addr, dsn string) error {
	if dsn == "" {
		return fmt.Errorf("-dsn is required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("the DSN does not parse") // pgx's error may repeat the password
	}
	pgstore.CancelOnServer(cfg)
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := pgstore.Migrate(ctx, db); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return server.Serve(ctx, ln, server.Config{
		Accounts: pgstore.NewAccountStore(db),
		Links:    pgstore.NewLinkStore(db),
		Relink:   pgstore.NewRelinkStore(db),
	}, os.Stdout)
}
