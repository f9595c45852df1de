// Command platform is connectkit's reference platform server: account
// links, remediation links, relink requests and Stripe's webhook over
// HTTP, with in-memory stores.
//
//	go run ./examples/platform [-addr 127.0.0.1:8080]
//
// It serves on a loopback port (a free one by default) and prints how to
// drive it. The handlers are package
// github.com/connectkit/connectkit/examples/platform/server.
//
// # PostgreSQL
//
// This command serves in-memory stores only, by design: it is in
// connectkit's own module, whose only dependency outside the standard
// library is shopspring/decimal, and a PostgreSQL driver (pgx) would add
// one for every user of the library. The same server over PostgreSQL is a
// command of the PostgreSQL adapter's nested module, which already
// depends on pgx:
//
//	cd examples/pgstore && go run ./cmd/platform -dsn 'postgres://user@127.0.0.1:5432/db?sslmode=disable'
//
// The -dsn flag here exists only to say so: given one, the command prints
// that pointer (never the DSN, which may hold a password) and exits with
// status 2.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/examples/platform/server"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

// pgPointer is what -h and -dsn say about PostgreSQL.
const pgPointer = `This command serves in-memory stores only (connectkit's module has no
database driver). To serve the same server over PostgreSQL, run the
PostgreSQL adapter's command, in its own module:

  cd examples/pgstore && go run ./cmd/platform -dsn '<your DSN>'
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("platform", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (loopback; port 0 picks a free one)")
	dsn := fs.String("dsn", "", "not served by this command: see below (examples/pgstore's cmd/platform takes it)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./examples/platform [-addr host:port]")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
		fmt.Fprintln(stderr)
		fmt.Fprint(stderr, pgPointer)
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *dsn != "" {
		fmt.Fprint(stderr, "platform: -dsn is not served here.\n"+pgPointer)
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "platform:", err)
		return 1
	}
	cfg := server.Config{
		Accounts: account.NewMemoryStore(),
		Links:    links.NewMemoryStore(),
		Relink:   relink.NewMemoryStore(),
	}
	if err := server.Serve(ctx, ln, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "platform:", err)
		return 1
	}
	return 0
}
