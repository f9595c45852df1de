package pgstore_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

// sentinels are the "the data says no" answers that a storage failure
// must never be reported as.
var sentinels = []error{
	account.ErrNotFound, account.ErrConflict, account.ErrExists,
	links.ErrNotFound, links.ErrAlreadyUsed, links.ErrExpired, links.ErrExists, links.ErrConflict,
	relink.ErrNotFound, relink.ErrRateLimited, relink.ErrExists, relink.ErrConflict, relink.ErrNotPending,
}

func assertNoSentinel(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: nil error, want a storage error", what)
		return
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			t.Errorf("%s: %v matches %v; a storage failure must not read as an answer", what, err, s)
		}
	}
}

// TestUnreachableServer_ErrorsAreNotAnswers: with nothing listening, every
// call fails with a connection error, never with "not found", "already
// used", "rate limited" or "conflict".
func TestUnreachableServer_ErrorsAreNotAnswers(t *testing.T) {
	serverURL(t) // skip without a server, like every test here
	cfg, err := pgxpool.ParseConfig("postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	db, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	as, ls, rs := pgstore.NewAccountStore(db), pgstore.NewLinkStore(db), pgstore.NewRelinkStore(db)
	h := links.TokenHash(sha256.Sum256([]byte("x")))

	_, err = as.Get(ctx, "acct_1")
	assertNoSentinel(t, "account Get", err)
	_, err = as.Update(ctx, accounttest.Sample("acct_1"), 1)
	assertNoSentinel(t, "account Update", err)
	_, err = ls.RedeemAccountLink(ctx, h, t0)
	assertNoSentinel(t, "RedeemAccountLink", err)
	_, err = ls.RemediationLinkByToken(ctx, h)
	assertNoSentinel(t, "RemediationLinkByToken", err)
	_, err = rs.CreateRequest(ctx, relink.NewRequest("relreq_1", "fca_1", relink.Ask{Method: relink.MethodHostedDashboard}), t0)
	assertNoSentinel(t, "relink CreateRequest", err)
	_, err = rs.Get(ctx, "relreq_1")
	assertNoSentinel(t, "relink Get", err)
}

// TestDeadlineWhileBlocked_IsAnErrorAndChangesNothing: a redemption and a
// relink request that wait on a row lock held by another replica until
// their deadline passes return context.DeadlineExceeded, not "already
// used" or "rate limited", and — the pools use CancelOnServer — change
// nothing once the lock is released.
func TestDeadlineWhileBlocked_IsAnErrorAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	a, b := twoReplicas(t)
	ls, rs := pgstore.NewLinkStore(b), pgstore.NewRelinkStore(b)
	h := links.TokenHash(sha256.Sum256([]byte("lnk_locked")))
	l := links.AccountLink{Hash: h, Chain: h, ChainStarted: t0, Account: "acct_1", Created: t0, ExpiresAt: t0.Add(5 * time.Minute),
		Params: links.AccountLinkParams{Type: links.TypeOnboarding,
			RefreshURL: "https://platform.example/refresh", ReturnURL: "https://platform.example/return"}}
	if err := ls.CreateAccountLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	first := relink.NewRequest("relreq_1", "fca_1", relink.Ask{Method: relink.MethodHostedDashboard})
	if _, err := rs.CreateRequest(ctx, first, t0); err != nil {
		t.Fatal(err)
	}

	// Replica a holds both rows locked in an open transaction.
	tx, err := a.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SELECT 1 FROM account_links WHERE token_hash = $1 FOR UPDATE`, h[:]); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM relink_limits WHERE account = 'fca_1' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = ls.RedeemAccountLink(short, h, t0.Add(time.Minute))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("blocked redeem past its deadline: %v, want context.DeadlineExceeded", err)
	}
	assertNoSentinel(t, "blocked redeem", err)

	short2, cancel2 := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel2()
	second := relink.NewRequest("relreq_2", "fca_1", relink.Ask{Method: relink.MethodHostedDashboard})
	_, err = rs.CreateRequest(short2, second, t0.Add(49*time.Hour))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("blocked relink request past its deadline: %v, want context.DeadlineExceeded", err)
	}
	assertNoSentinel(t, "blocked relink request", err)

	// The cancel requests reach the server asynchronously: wait (bounded)
	// until no statement is waiting for the locks before releasing them.
	waitNoLockWaiters(t, a)
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := ls.AccountLink(ctx, h)
	if err != nil || got.Used() {
		t.Fatalf("after the timed-out redeem: %v, used %v; want the link unused", err, got.Used())
	}
	if _, err := rs.Get(ctx, "relreq_2"); !errors.Is(err, relink.ErrNotFound) {
		t.Fatalf("the timed-out relink request was stored: Get = %v", err)
	}
	// And the link is still redeemable, once.
	if _, err := ls.RedeemAccountLink(ctx, h, t0.Add(time.Minute)); err != nil {
		t.Fatalf("redeem after the lock was released: %v", err)
	}
}

// waitNoLockWaiters polls, for at most ten seconds, until no session of
// the database waits for a lock.
func waitNoLockWaiters(t *testing.T, db *pgxpool.Pool) {
	t.Helper()
	for range 1000 {
		var n int
		err := db.QueryRow(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("statements still wait for the lock ten seconds after their deadline: the cancel request did not reach the server")
}
