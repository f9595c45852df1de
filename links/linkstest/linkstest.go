// Package linkstest is the conformance suite for links.Store. Every Store
// implementation — the in-memory one, a PostgreSQL or Redis adapter — runs
// it from a test of its own:
//
//	func TestStore(t *testing.T) {
//		linkstest.TestStore(t, func(t *testing.T) links.Store { return newAdapter(t) })
//	}
//
// One subtest checks one clause of the Store contract. The single-winner
// clauses (RaceClauses) race 64 goroutines on one record through a Barrier
// that holds every read until all have read, so that only the Store's
// conditional write can stop the extra winners, even on two cores. Two
// rapid clauses check random operation sequences — account links, and
// remediation links through generate, open, fail, reset, acknowledge and
// revoke — against a plain model; each runs all its cases on one store
// (newStore is called once per clause), with IDs drawn per case, so that
// it can run at -rapid.checks=1000 against a server-backed Store.
//
// The package also exports rapid generators for property tests of your own
// policies: AccountLinkRequest and RemediationRequest (with Draw twins),
// biased by their options rather than filtered.
package linkstest

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
)

// t0 is the instant every clause starts at.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Racers is the number of goroutines of the concurrency clauses.
const Racers = 64

func hash(s string) links.TokenHash { return links.TokenHash(sha256.Sum256([]byte(s))) }

func accountLink(name string, acct account.ID, created time.Time, ttl time.Duration) links.AccountLink {
	h := hash(name)
	return links.AccountLink{
		Hash:      h,
		Account:   acct,
		CreatedBy: "usr_1",
		Params: links.AccountLinkParams{
			Type:       links.TypeOnboarding,
			RefreshURL: "https://platform.example/refresh",
			ReturnURL:  "https://platform.example/return",
		},
		Chain:        h,
		ChainStarted: created,
		Created:      created,
		ExpiresAt:    created.Add(ttl),
	}
}

func remediationLink(id links.LinkID, acct account.ID, created time.Time) links.RemediationLink {
	return links.RemediationLink{
		ID:        id,
		Account:   acct,
		CreatedBy: "usr_1",
		Created:   created,
		ExpiresAt: created.Add(links.RemediationTTL),
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want one matching %v", what, err, want)
	}
}

// TestStore runs the conformance suite against the stores newStore makes;
// each call must return a new, empty store.
func TestStore(t *testing.T, newStore func(t *testing.T) links.Store) {
	ctx := context.Background()

	t.Run("AccountLink/CreateThenGet", func(t *testing.T) {
		s := newStore(t)
		l := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, l))
		got, err := s.AccountLink(ctx, l.Hash)
		must(t, err)
		if diff := cmp.Diff(l, got); diff != "" {
			t.Fatalf("AccountLink after create (-want +got):\n%s", diff)
		}
		_, err = s.AccountLink(ctx, hash("unknown"))
		wantErr(t, "AccountLink(unknown)", err, links.ErrNotFound)
	})

	t.Run("AccountLink/CreateIsConditional", func(t *testing.T) {
		s := newStore(t)
		l := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, l))
		dup := l
		dup.Account = "acct_other"
		wantErr(t, "second create with the same hash", s.CreateAccountLink(ctx, dup), links.ErrExists)
		got, err := s.AccountLink(ctx, l.Hash)
		must(t, err)
		if diff := cmp.Diff(l, got); diff != "" {
			t.Fatalf("a refused create changed the stored link (-want +got):\n%s", diff)
		}
	})

	t.Run("AccountLink/RedeemConsumesOnce", func(t *testing.T) {
		s := newStore(t)
		l := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, l))
		now := t0.Add(time.Minute)
		got, err := s.RedeemAccountLink(ctx, l.Hash, now)
		must(t, err)
		if !got.UsedAt.Equal(now) {
			t.Fatalf("UsedAt = %v, want %v", got.UsedAt, now)
		}
		again, err := s.RedeemAccountLink(ctx, l.Hash, now.Add(time.Second))
		wantErr(t, "second redeem", err, links.ErrAlreadyUsed)
		if !again.UsedAt.Equal(now) {
			t.Fatalf("a refused redeem changed UsedAt to %v", again.UsedAt)
		}
	})

	t.Run("AccountLink/RedeemExpiresAtExpiresAt", func(t *testing.T) {
		s := newStore(t)
		l := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, l))
		_, err := s.RedeemAccountLink(ctx, l.Hash, l.ExpiresAt)
		wantErr(t, "redeem at ExpiresAt", err, links.ErrExpired)
		got, err := s.AccountLink(ctx, l.Hash)
		must(t, err)
		if got.Used() {
			t.Fatal("a refused redeem marked the link used")
		}
		_, err = s.RedeemAccountLink(ctx, l.Hash, l.ExpiresAt.Add(-time.Nanosecond))
		must(t, err)
	})

	t.Run("AccountLink/RedeemUsedReportsUsedAfterExpiry", func(t *testing.T) {
		s := newStore(t)
		l := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, l))
		_, err := s.RedeemAccountLink(ctx, l.Hash, t0)
		must(t, err)
		_, err = s.RedeemAccountLink(ctx, l.Hash, t0.Add(time.Hour))
		wantErr(t, "redeem of a used, expired link", err, links.ErrAlreadyUsed)
	})

	t.Run("AccountLink/RedeemUnknown", func(t *testing.T) {
		s := newStore(t)
		_, err := s.RedeemAccountLink(ctx, hash("nobody"), t0)
		wantErr(t, "redeem unknown", err, links.ErrNotFound)
	})

	t.Run("AccountLink/ReturnRecordsFirstReturnOfRedeemedLink", func(t *testing.T) {
		s := newStore(t)
		l := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, l))
		_, err := s.MarkAccountLinkReturned(ctx, l.Hash, t0)
		wantErr(t, "return before redeem", err, links.ErrNotRedeemed)
		_, err = s.MarkAccountLinkReturned(ctx, hash("nobody"), t0)
		wantErr(t, "return of unknown", err, links.ErrNotFound)
		_, err = s.RedeemAccountLink(ctx, l.Hash, t0)
		must(t, err)
		got, err := s.MarkAccountLinkReturned(ctx, l.Hash, t0.Add(time.Minute))
		must(t, err)
		again, err := s.MarkAccountLinkReturned(ctx, l.Hash, t0.Add(2*time.Minute))
		must(t, err)
		if !got.ReturnedAt.Equal(t0.Add(time.Minute)) || !again.ReturnedAt.Equal(got.ReturnedAt) {
			t.Fatalf("ReturnedAt = %v then %v, want the first return %v kept", got.ReturnedAt, again.ReturnedAt, t0.Add(time.Minute))
		}
	})

	t.Run("Refresh/FixedWindow", func(t *testing.T) {
		s := newStore(t)
		chain, other := hash("chain"), hash("other")
		for i := 1; i <= 3; i++ {
			n, err := s.TakeRefresh(ctx, chain, t0.Add(time.Duration(i)*time.Minute), time.Hour, 3)
			must(t, err)
			if n != i {
				t.Fatalf("refresh %d counted %d", i, n)
			}
		}
		_, err := s.TakeRefresh(ctx, chain, t0.Add(59*time.Minute), time.Hour, 3)
		wantErr(t, "fourth refresh in the window", err, links.ErrRefreshLimit)
		_, err = s.TakeRefresh(ctx, other, t0.Add(59*time.Minute), time.Hour, 3)
		must(t, err) // chains are independent
		// The window started at the first refresh (t0+1m); it is over at t0+61m.
		_, err = s.TakeRefresh(ctx, chain, t0.Add(61*time.Minute-time.Nanosecond), time.Hour, 3)
		wantErr(t, "refresh just before the window ends", err, links.ErrRefreshLimit)
		n, err := s.TakeRefresh(ctx, chain, t0.Add(61*time.Minute), time.Hour, 3)
		must(t, err)
		if n != 1 {
			t.Fatalf("first refresh of a new window counted %d, want 1", n)
		}
	})

	t.Run("Refresh/ConcurrentTakesNeverExceedLimit", func(t *testing.T) {
		s := newStore(t)
		const limit = 10
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		for range Racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.TakeRefresh(ctx, hash("chain"), t0, time.Hour, limit)
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, links.ErrRefreshLimit):
					refused.Add(1)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != limit || refused.Load() != Racers-limit {
			t.Fatalf("%d racers with limit %d: %d taken, %d refused", Racers, limit, ok.Load(), refused.Load())
		}
	})

	t.Run("Remediation/CreateThenLookups", func(t *testing.T) {
		s := newStore(t)
		l := remediationLink("rml_1", "acct_1", t0)
		got, err := s.CreateRemediationLink(ctx, l, hash("r1"), t0)
		must(t, err)
		want := l
		want.Version = 1
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("created link (-want +got):\n%s", diff)
		}
		for name, get := range map[string]func() (links.RemediationLink, error){
			"by token":   func() (links.RemediationLink, error) { return s.RemediationLinkByToken(ctx, hash("r1")) },
			"by id":      func() (links.RemediationLink, error) { return s.RemediationLink(ctx, "rml_1") },
			"by account": func() (links.RemediationLink, error) { return s.RemediationLinkByAccount(ctx, "acct_1") },
		} {
			got, err := get()
			must(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("lookup %s (-want +got):\n%s", name, diff)
			}
		}
		_, err = s.RemediationLinkByToken(ctx, hash("nobody"))
		wantErr(t, "by unknown token", err, links.ErrNotFound)
		_, err = s.RemediationLink(ctx, "rml_nobody")
		wantErr(t, "by unknown id", err, links.ErrNotFound)
		_, err = s.RemediationLinkByAccount(ctx, "acct_nobody")
		wantErr(t, "by unknown account", err, links.ErrNotFound)
	})

	t.Run("Remediation/CreateWhileActiveReturnsActive", func(t *testing.T) {
		s := newStore(t)
		first, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0)
		must(t, err)
		now := t0.Add(links.RemediationTTL - time.Nanosecond)
		got, err := s.CreateRemediationLink(ctx, remediationLink("rml_2", "acct_1", now), hash("r2"), now)
		wantErr(t, "create while active", err, links.ErrExists)
		if diff := cmp.Diff(first, got); diff != "" {
			t.Fatalf("refused create returned (-active +got):\n%s", diff)
		}
		_, err = s.RemediationLinkByToken(ctx, hash("r2"))
		wantErr(t, "token of a refused create", err, links.ErrNotFound)
	})

	t.Run("Remediation/CreateReplacesExpired", func(t *testing.T) {
		s := newStore(t)
		_, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0)
		must(t, err)
		now := t0.Add(links.RemediationTTL)
		got, err := s.CreateRemediationLink(ctx, remediationLink("rml_2", "acct_1", now), hash("r2"), now)
		must(t, err)
		if got.ID != "rml_2" {
			t.Fatalf("replacement has ID %q", got.ID)
		}
		_, err = s.RemediationLinkByToken(ctx, hash("r1"))
		wantErr(t, "token of the replaced link", err, links.ErrNotFound)
		cur, err := s.RemediationLinkByAccount(ctx, "acct_1")
		must(t, err)
		if cur.ID != "rml_2" {
			t.Fatalf("current link %q, want rml_2", cur.ID)
		}
	})

	t.Run("Remediation/AddToken", func(t *testing.T) {
		s := newStore(t)
		_, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0)
		must(t, err)
		must(t, s.AddRemediationToken(ctx, "rml_1", hash("r1b"), t0.Add(time.Hour)))
		got, err := s.RemediationLinkByToken(ctx, hash("r1b"))
		must(t, err)
		if got.ID != "rml_1" {
			t.Fatalf("added token reaches %q", got.ID)
		}
		wantErr(t, "add a taken hash", s.AddRemediationToken(ctx, "rml_1", hash("r1"), t0), links.ErrExists)
		wantErr(t, "add to unknown", s.AddRemediationToken(ctx, "rml_x", hash("rx"), t0), links.ErrNotFound)
		wantErr(t, "add to expired", s.AddRemediationToken(ctx, "rml_1", hash("r1c"), t0.Add(links.RemediationTTL)), links.ErrExpired)
	})

	t.Run("Remediation/UpdateIfVersion", func(t *testing.T) {
		s := newStore(t)
		l, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0)
		must(t, err)
		next := l
		next.Pending = links.FailureWrongInformation
		next.Failures, next.WrongInformation = 1, 1
		next.ExpiresAt = t0.Add(1000 * time.Hour) // immutable: must be ignored
		got, err := s.UpdateRemediationLink(ctx, next)
		must(t, err)
		want := next
		want.ExpiresAt = l.ExpiresAt
		want.Version = 2
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("updated link (-want +got):\n%s", diff)
		}
		stale := l
		stale.Resets = 9
		_, err = s.UpdateRemediationLink(ctx, stale)
		wantErr(t, "update with a stale version", err, links.ErrConflict)
		cur, err := s.RemediationLink(ctx, "rml_1")
		must(t, err)
		if diff := cmp.Diff(want, cur); diff != "" {
			t.Fatalf("a refused update changed the link (-want +got):\n%s", diff)
		}
		_, err = s.UpdateRemediationLink(ctx, remediationLink("rml_x", "acct_x", t0))
		wantErr(t, "update unknown", err, links.ErrNotFound)
	})

	t.Run("Context/CancelledCallsFail", func(t *testing.T) {
		s := newStore(t)
		l := accountLink("a", "acct_1", t0, 5*time.Minute)
		must(t, s.CreateAccountLink(ctx, l))
		c, cancel := context.WithCancel(ctx)
		cancel()
		calls := map[string]func() error{
			"CreateAccountLink": func() error { return s.CreateAccountLink(c, accountLink("b", "acct_1", t0, time.Minute)) },
			"AccountLink":       func() error { _, err := s.AccountLink(c, l.Hash); return err },
			"RedeemAccountLink": func() error { _, err := s.RedeemAccountLink(c, l.Hash, t0); return err },
			"MarkAccountLinkReturned": func() error {
				_, err := s.MarkAccountLinkReturned(c, l.Hash, t0)
				return err
			},
			"TakeRefresh": func() error { _, err := s.TakeRefresh(c, l.Hash, t0, time.Hour, 1); return err },
			"CreateRemediationLink": func() error {
				_, err := s.CreateRemediationLink(c, remediationLink("rml_1", "acct_1", t0), hash("r"), t0)
				return err
			},
			"AddRemediationToken":      func() error { return s.AddRemediationToken(c, "rml_1", hash("r"), t0) },
			"RemediationLinkByToken":   func() error { _, err := s.RemediationLinkByToken(c, hash("r")); return err },
			"RemediationLink":          func() error { _, err := s.RemediationLink(c, "rml_1"); return err },
			"RemediationLinkByAccount": func() error { _, err := s.RemediationLinkByAccount(c, "acct_1"); return err },
			"UpdateRemediationLink": func() error {
				_, err := s.UpdateRemediationLink(c, remediationLink("rml_1", "acct_1", t0))
				return err
			},
			"ReplaceAccountLink": func() error {
				next := accountLink("b", "acct_1", t0, time.Minute)
				next.Chain = l.Chain
				_, err := s.ReplaceAccountLink(c, l.Hash, next, t0)
				return err
			},
			"RevokeRemediationLink": func() error {
				_, err := s.RevokeRemediationLink(c, "rml_1", "usr_1", t0)
				return err
			},
		}
		for name, call := range calls {
			wantErr(t, name+" with a cancelled context", call(), context.Canceled)
		}
		got, err := s.AccountLink(ctx, l.Hash)
		must(t, err)
		if got.Used() {
			t.Fatal("a cancelled redeem consumed the link")
		}
	})

	testReplace(t, newStore)
	testTokensAndRevoke(t, newStore)
	testBadInput(t, newStore)
	for _, c := range RaceClauses() {
		t.Run("Race/"+c.Name, func(t *testing.T) {
			if err := c.Run(ctx, newStore(t)); err != nil {
				t.Fatal(err)
			}
		})
	}

	testModels(t, newStore)
}
