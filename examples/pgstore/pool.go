package pgstore

import (
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
)

// CancelOnServer configures cfg so that when a call's context is cancelled
// or times out, the statement it is running is cancelled on the server
// too (a PostgreSQL cancel request), not only abandoned by the client.
//
// pgx's default closes the client's side of the connection; the server
// then carries on with the statement, and a write that was waiting for a
// row lock may still commit after the caller was told
// context.DeadlineExceeded. With CancelOnServer the statement is rolled
// back instead in all but a narrow race (the statement finishing while the
// cancel request is on its way), so a write whose context ends while it
// waits changes nothing. Either way the caller gets an error matching the
// context's, never a false "not found" or "already used"; treat the
// outcome of a write that returned a context error as unknown and read
// before retrying.
func CancelOnServer(cfg *pgxpool.Config) {
	cfg.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: 5 * time.Second}
	}
}
