package pgstore_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/examples/pgstore"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/relink"
)

// racers is the number of goroutines of each race, split evenly between
// the two replicas.
const racers = 64

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// twoReplicas returns two independent pools of poolConns connections over
// one fresh schema, as two replicas of a service sharing a database would
// have. Both run Migrate at once: exactly one applies each step.
func twoReplicas(t *testing.T) (a, b *pgxpool.Pool) {
	t.Helper()
	schema := newSchema(t)
	a, b = newPool(t, schema, poolConns), newPool(t, schema, poolConns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, db := range []*pgxpool.Pool{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = pgstore.Migrate(ctx, db)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("migrate from two replicas at once: %v", err)
	}
	return a, b
}

// race runs f(i) in racers goroutines released at once.
func race(f func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range racers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			f(i)
		}()
	}
	start.Done()
	done.Wait()
}

func TestTwoReplicas_LinkRedeemedExactlyOnce(t *testing.T) {
	ctx := context.Background()
	a, b := twoReplicas(t)
	stores := [2]links.Store{pgstore.NewLinkStore(a), pgstore.NewLinkStore(b)}
	h := links.TokenHash(sha256.Sum256([]byte("lnk_race")))
	l := links.AccountLink{Hash: h, Chain: h, ChainStarted: t0, Account: "acct_1", Created: t0, ExpiresAt: t0.Add(5 * time.Minute),
		Params: links.AccountLinkParams{Type: links.TypeOnboarding,
			RefreshURL: "https://platform.example/refresh", ReturnURL: "https://platform.example/return"}}
	if err := stores[0].CreateAccountLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	var wins, used atomic.Int32
	var mu sync.Mutex
	var others []error
	race(func(i int) {
		_, err := stores[i%2].RedeemAccountLink(ctx, h, t0.Add(time.Duration(i)*time.Millisecond))
		switch {
		case err == nil:
			wins.Add(1)
		case errors.Is(err, links.ErrAlreadyUsed):
			used.Add(1)
		default:
			mu.Lock()
			others = append(others, err)
			mu.Unlock()
		}
	})
	if wins.Load() != 1 || used.Load() != racers-1 || len(others) != 0 {
		t.Fatalf("%d redemptions over two replicas: %d won, %d already used, other errors %v; want 1, %d, none",
			racers, wins.Load(), used.Load(), others, racers-1)
	}
}

func TestTwoReplicas_RelinkOneRequestPerWindow(t *testing.T) {
	ctx := context.Background()
	a, b := twoReplicas(t)
	stores := [2]relink.Store{pgstore.NewRelinkStore(a), pgstore.NewRelinkStore(b)}
	const acct relink.AccountID = "fca_race"
	var created, limited atomic.Int32
	var mu sync.Mutex
	var others []error
	race(func(i int) {
		r := relink.NewRequest(relink.RequestID(fmt.Sprintf("relreq_%d", i)), acct, relink.Ask{Method: relink.MethodHostedDashboard})
		_, err := stores[i%2].CreateRequest(ctx, r, t0.Add(time.Duration(i)*time.Millisecond))
		switch {
		case err == nil:
			created.Add(1)
		case errors.Is(err, relink.ErrRateLimited):
			limited.Add(1)
		default:
			mu.Lock()
			others = append(others, err)
			mu.Unlock()
		}
	})
	if created.Load() != 1 || limited.Load() != racers-1 || len(others) != 0 {
		t.Fatalf("%d requests over two replicas: %d created, %d rate limited, other errors %v; want 1, %d, none",
			racers, created.Load(), limited.Load(), others, racers-1)
	}
	list, err := stores[1].ListByAccount(ctx, acct)
	if err != nil || len(list) != 1 {
		t.Fatalf("ListByAccount = %d requests, %v; want 1", len(list), err)
	}
	// Completing the one request resets the window for both replicas.
	if _, err := stores[0].Close(ctx, list[0].ID, relink.Result{Status: relink.RequestSucceeded}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	next := relink.NewRequest("relreq_next", acct, relink.Ask{Method: relink.MethodHostedDashboard})
	if _, err := stores[1].CreateRequest(ctx, next, t0.Add(2*time.Minute)); err != nil {
		t.Fatalf("after completion, the other replica: %v, want created", err)
	}
}

func TestTwoReplicas_NoLostAccountUpdate(t *testing.T) {
	ctx := context.Background()
	a, b := twoReplicas(t)
	stores := [2]account.Store{pgstore.NewAccountStore(a), pgstore.NewAccountStore(b)}
	acct := accounttest.Sample("acct_race")
	acct.Balance = account.Balances{"usd": decimal.Zero}
	if _, err := stores[0].Create(ctx, acct); err != nil {
		t.Fatal(err)
	}
	one := decimal.NewFromInt(1)
	var mu sync.Mutex
	var errs []error
	race(func(i int) {
		s := stores[i%2]
		for attempt := 0; attempt < 20*racers; attempt++ {
			cur, err := s.Get(ctx, "acct_race")
			if err == nil {
				cur.Balance["usd"] = cur.Balance.Get("usd").Amount.Add(one)
				_, err = s.Update(ctx, cur, cur.Version)
			}
			if err == nil {
				return
			}
			if !errors.Is(err, account.ErrConflict) {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
		}
		mu.Lock()
		errs = append(errs, fmt.Errorf("racer %d: no success after many retries", i))
		mu.Unlock()
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got, err := stores[1].Get(ctx, "acct_race")
	if err != nil {
		t.Fatal(err)
	}
	if want := decimal.NewFromInt(racers); !got.Balance.Get("usd").Amount.Equal(want) || got.Version != racers+1 {
		t.Fatalf("after %d increments over two replicas: balance %v version %d, want %v and %d (an update was lost)",
			racers, got.Balance.Get("usd").Amount, got.Version, want, racers+1)
	}
}
