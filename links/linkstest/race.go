package linkstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// race runs f in Racers goroutines released together and counts the nil
// results and those matching refused; other is the first other error.
func race(f func(i int) error, refused error) (wins, refusals int, other error) {
	var (
		mu    sync.Mutex
		start sync.WaitGroup
		done  sync.WaitGroup
	)
	start.Add(1)
	for i := range Racers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			err := f(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, refused):
				refusals++
			case other == nil:
				other = err
			}
		}()
	}
	start.Done()
	done.Wait()
	return wins, refusals, other
}

// Barrier wraps a Store and holds every read (AccountLink,
// RemediationLink, RemediationLinkByToken, RemediationLinkByAccount) until
// n reads have been made, then lets every read through. With n racers that
// each read once before writing, all of them read the same state before any
// writes: a check made on what was read cannot refuse the losers, and only
// the Store's conditional write can. This forces the race even on two
// cores, where goroutines started together mostly run one after another.
//
// A read waits for the barrier or for its context to end. Writes pass
// straight through.
type Barrier struct {
	links.Store
	mu      sync.Mutex
	n       int
	arrived int
	open    chan struct{}
}

// NewBarrier returns s behind a barrier of n reads.
func NewBarrier(s links.Store, n int) *Barrier {
	return &Barrier{Store: s, n: n, open: make(chan struct{})}
}

// wait counts one read and holds it until n reads have arrived.
func (b *Barrier) wait(ctx context.Context) error {
	b.mu.Lock()
	b.arrived++
	if b.arrived == b.n {
		close(b.open)
	}
	b.mu.Unlock()
	select {
	case <-b.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// AccountLink reads through the barrier.
func (b *Barrier) AccountLink(ctx context.Context, h links.TokenHash) (links.AccountLink, error) {
	l, err := b.Store.AccountLink(ctx, h)
	if werr := b.wait(ctx); werr != nil {
		return links.AccountLink{}, werr
	}
	return l, err
}

// RemediationLink reads through the barrier.
func (b *Barrier) RemediationLink(ctx context.Context, id links.LinkID) (links.RemediationLink, error) {
	l, err := b.Store.RemediationLink(ctx, id)
	if werr := b.wait(ctx); werr != nil {
		return links.RemediationLink{}, werr
	}
	return l, err
}

// RemediationLinkByToken reads through the barrier.
func (b *Barrier) RemediationLinkByToken(ctx context.Context, h links.TokenHash) (links.RemediationLink, error) {
	l, err := b.Store.RemediationLinkByToken(ctx, h)
	if werr := b.wait(ctx); werr != nil {
		return links.RemediationLink{}, werr
	}
	return l, err
}

// RemediationLinkByAccount reads through the barrier.
func (b *Barrier) RemediationLinkByAccount(ctx context.Context, acct account.ID) (links.RemediationLink, error) {
	l, err := b.Store.RemediationLinkByAccount(ctx, acct)
	if werr := b.wait(ctx); werr != nil {
		return links.RemediationLink{}, werr
	}
	return l, err
}

// RaceClause is one single-winner clause of the contract, checked through
// a Service over a Barrier: Racers callers race for what only one may win,
// and the Store's conditional write is all that stops the others.
type RaceClause struct {
	// Name names the clause, with its rule.
	Name string
	// Run runs the race on an empty store and returns an error describing
	// a violation, or nil.
	Run func(ctx context.Context, s links.Store) error
}

// raceAccount is an account every rule lets have links.
func raceAccount() account.Account {
	return account.Account{
		ID: "acct_race", Country: "US",
		Dashboard:                account.DashboardNone,
		RequirementCollection:    account.PartyApplication,
		NegativeBalanceLiability: account.PartyApplication,
		Representative:           account.NewRepresentative("Jenny Rosen", account.Date{Year: 1990, Month: time.January, Day: 2}, ""),
		HasExternalAccount:       true,
		OwnerConfirmed:           true,
	}
}

var raceAdmin = roles.User{ID: "usr_admin", Roles: roles.NewSet(roles.Admin)}

// raceService returns a Service over s behind a barrier of Racers reads.
func raceService(s links.Store) *links.Service {
	return &links.Service{
		Store: NewBarrier(s, Racers),
		Accounts: links.AccountsFunc(func(context.Context, account.ID) (account.Account, error) {
			return raceAccount(), nil
		}),
		Clock:        clocktest.New(t0),
		RefreshLimit: 10 * Racers,
	}
}

// RaceClauses returns the single-winner clauses, each through a Barrier:
// through a Service, one redemption of an account link (L1), one
// replacement of a refreshed link (L1), one new remediation link per
// account (L6), one reset of one failure (L10); and on the Store itself,
// where every racer reads the record through the barrier and then makes
// the conditional write, one redemption (L1), one replacement (L1), one
// creation per account (L6), one revocation (L6) and one update per
// version (L10). Each fails against a Store whose conditional write is
// removed (the links package's tests check that).
func RaceClauses() []RaceClause {
	return append(serviceRaceClauses(), storeRaceClauses()...)
}

// exactlyOne reports a race whose outcome is not one winner and Racers-1
// refusals.
func exactlyOne(what string, wins, refused int, other error) error {
	if wins != 1 || refused != Racers-1 || other != nil {
		return fmt.Errorf("%d racers (%s): %d won, %d refused, other error %v; want 1 and %d", Racers, what, wins, refused, other, Racers-1)
	}
	return nil
}

// storeRaceClauses race Racers callers on one record of the Store: each
// reads it through a Barrier, so that all have read before any writes, then
// writes what it read.
func storeRaceClauses() []RaceClause {
	return []RaceClause{
		{"L1_StoreRedeemOneWins", func(ctx context.Context, s links.Store) error {
			l := accountLink("a", "acct_1", t0, 5*time.Minute)
			if err := s.CreateAccountLink(ctx, l); err != nil {
				return err
			}
			b := NewBarrier(s, Racers)
			wins, refused, other := race(func(int) error {
				got, err := b.AccountLink(ctx, l.Hash)
				if err != nil {
					return err
				}
				if got.Used() {
					return links.ErrAlreadyUsed
				}
				_, err = b.RedeemAccountLink(ctx, l.Hash, t0.Add(time.Second))
				return err
			}, links.ErrAlreadyUsed)
			return exactlyOne("RedeemAccountLink", wins, refused, other)
		}},
		{"L1_StoreReplaceOneWins", func(ctx context.Context, s links.Store) error {
			a := accountLink("a", "acct_1", t0, 5*time.Minute)
			if err := s.CreateAccountLink(ctx, a); err != nil {
				return err
			}
			b := NewBarrier(s, Racers)
			wins, refused, other := race(func(i int) error {
				prev, err := b.AccountLink(ctx, a.Hash)
				if err != nil {
					return err
				}
				if prev.Replaced() {
					return links.ErrSuperseded
				}
				n := accountLink(fmt.Sprintf("n%d", i), prev.Account, t0, 5*time.Minute)
				n.Chain, n.ChainStarted = prev.Chain, prev.ChainStarted
				_, err = b.ReplaceAccountLink(ctx, prev.Hash, n, t0)
				return err
			}, links.ErrSuperseded)
			return exactlyOne("ReplaceAccountLink", wins, refused, other)
		}},
		{"L6_StoreCreateOnePerAccount", func(ctx context.Context, s links.Store) error {
			b := NewBarrier(s, Racers)
			wins, refused, other := race(func(i int) error {
				if cur, err := b.RemediationLinkByAccount(ctx, "acct_1"); err == nil && cur.Active(t0) {
					return links.ErrExists
				} else if err != nil && !errors.Is(err, links.ErrNotFound) {
					return err
				}
				id := links.LinkID(fmt.Sprintf("rml_%d", i))
				_, err := b.CreateRemediationLink(ctx, remediationLink(id, "acct_1", t0), hash(string(id)), t0)
				return err
			}, links.ErrExists)
			return exactlyOne("CreateRemediationLink", wins, refused, other)
		}},
		{"L6_StoreRevokeOnce", func(ctx context.Context, s links.Store) error {
			if _, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0); err != nil {
				return err
			}
			b := NewBarrier(s, Racers)
			wins, refused, other := race(func(int) error {
				cur, err := b.RemediationLink(ctx, "rml_1")
				if err != nil {
					return err
				}
				if !cur.Active(t0) {
					return links.ErrExpired
				}
				_, err = b.RevokeRemediationLink(ctx, "rml_1", "usr_2", t0)
				return err
			}, links.ErrExpired)
			return exactlyOne("RevokeRemediationLink", wins, refused, other)
		}},
		{"L10_StoreUpdateOnePerVersion", func(ctx context.Context, s links.Store) error {
			if _, err := s.CreateRemediationLink(ctx, remediationLink("rml_1", "acct_1", t0), hash("r1"), t0); err != nil {
				return err
			}
			b := NewBarrier(s, Racers)
			wins, refused, other := race(func(i int) error {
				next, err := b.RemediationLink(ctx, "rml_1")
				if err != nil {
					return err
				}
				next.Failures = i + 1
				_, err = b.UpdateRemediationLink(ctx, next)
				return err
			}, links.ErrConflict)
			if err := exactlyOne("UpdateRemediationLink", wins, refused, other); err != nil {
				return err
			}
			cur, err := s.RemediationLink(ctx, "rml_1")
			if err != nil {
				return err
			}
			if cur.Version != 2 {
				return fmt.Errorf("after one winning update the link has version %d, want 2", cur.Version)
			}
			return nil
		}},
	}
}

// serviceRaceClauses race Racers callers of a Service over a Barrier.
func serviceRaceClauses() []RaceClause {
	params := links.AccountLinkParams{
		Type:       links.TypeOnboarding,
		RefreshURL: "https://platform.example/refresh",
		ReturnURL:  "https://platform.example/return",
	}
	return []RaceClause{
		{"L1_OneRedemptionProceeds", func(ctx context.Context, s links.Store) error {
			setup := &links.Service{Store: s, Accounts: raceService(s).Accounts, Clock: clocktest.New(t0)}
			got, err := setup.CreateAccountLink(ctx, raceAdmin, raceAccount(), params)
			if err != nil {
				return err
			}
			svc := raceService(s)
			proceed, redirected, other := 0, 0, error(nil)
			var mu sync.Mutex
			race(func(int) error {
				r, err := svc.Redeem(ctx, got.Token)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					other = err
				case r.Outcome == links.Proceed:
					proceed++
				default:
					redirected++
				}
				return nil
			}, nil)
			if proceed != 1 || redirected != Racers-1 || other != nil {
				return fmt.Errorf("%d redemptions: %d proceeded, %d redirected, error %v; want 1, %d", Racers, proceed, redirected, other, Racers-1)
			}
			return nil
		}},
		{"L1_OneRefreshReplacesALink", func(ctx context.Context, s links.Store) error {
			setup := &links.Service{Store: s, Accounts: raceService(s).Accounts, Clock: clocktest.New(t0)}
			got, err := setup.CreateAccountLink(ctx, raceAdmin, raceAccount(), params)
			if err != nil {
				return err
			}
			if _, err := setup.Redeem(ctx, got.Token); err != nil { // only a spent or expired link refreshes
				return err
			}
			svc := raceService(s)
			wins, superseded, other := race(func(int) error {
				_, err := svc.Refresh(ctx, got.Token)
				return err
			}, links.ErrSuperseded)
			if wins != 1 || superseded != Racers-1 || other != nil {
				return fmt.Errorf("%d refreshes of one link: %d made a link, %d superseded, error %v; want 1, %d", Racers, wins, superseded, other, Racers-1)
			}
			return nil
		}},
		{"L6_OneRemediationLinkPerAccount", func(ctx context.Context, s links.Store) error {
			svc := raceService(s)
			var (
				mu    sync.Mutex
				ids   = map[links.LinkID]int{}
				fresh int
			)
			_, _, other := race(func(int) error {
				got, err := svc.GenerateRemediationLink(ctx, raceAdmin, raceAccount())
				if err != nil {
					return err
				}
				mu.Lock()
				defer mu.Unlock()
				ids[got.Link.ID]++
				if got.New {
					fresh++
				}
				return nil
			}, nil)
			if fresh != 1 || len(ids) != 1 || other != nil {
				return fmt.Errorf("%d generations: %d made a new link, %d distinct links, error %v; want 1 and 1", Racers, fresh, len(ids), other)
			}
			return nil
		}},
		{"L10_OneResetPerFailure", func(ctx context.Context, s links.Store) error {
			setup := &links.Service{Store: s, Accounts: raceService(s).Accounts, Clock: clocktest.New(t0)}
			got, err := setup.GenerateRemediationLink(ctx, raceAdmin, raceAccount())
			if err != nil {
				return err
			}
			if _, _, err := setup.RecordVerificationFailure(ctx, got.Link.ID, links.FailureNotRepresentative); err != nil {
				return err
			}
			svc := raceService(s)
			wins, refused, other := race(func(int) error {
				_, err := svc.ResetRemediationLink(ctx, raceAdmin, got.Link.ID)
				return err
			}, links.ErrNothingToReset)
			l, err := s.RemediationLink(ctx, got.Link.ID)
			if err != nil {
				return err
			}
			if wins != 1 || refused != Racers-1 || other != nil || l.Resets != 1 {
				return fmt.Errorf("%d resets of one failure: %d reset, %d nothing to reset, error %v, %d resets stored; want 1, %d, 1", Racers, wins, refused, other, l.Resets, Racers-1)
			}
			return nil
		}},
	}
}
