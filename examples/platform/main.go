// Command platform is connectkit's reference platform server: account
// links, remediation links and relink requests over HTTP, with in-memory
// stores.
//
//	go run ./examples/platform [-addr 127.0.0.1:8080]
//
// It serves on a loopback port (a free one by default) and prints how to
// drive it. The handlers are package
// github.com/connectkit/connectkit/examples/platform/server. The same
// server over PostgreSQL is a command of the PostgreSQL adapter's own
// module, so that this module does not depend on a driver:
//
//	cd examples/pgstore && go run ./cmd/platform -dsn postgres://…
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/examples/platform/server"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback; port 0 picks a free one)")
	dsn := flag.String("dsn", "", "PostgreSQL DSN: served by examples/pgstore's cmd/platform instead (its own module)")
	flag.Parse()
	if *dsn != "" {
		fmt.Fprintln(os.Stderr, "platform: the PostgreSQL adapter lives in its own module; run:\n  cd examples/pgstore && go run ./cmd/platform -dsn '<your DSN>'")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "platform:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := server.Config{
		Accounts: account.NewMemoryStore(),
		Links:    links.NewMemoryStore(),
		Relink:   relink.NewMemoryStore(),
	}
	if err := server.Serve(ctx, ln, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "platform:", err)
		os.Exit(1)
	}
}
