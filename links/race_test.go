package links_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/links/linkstest"
)

// Stores whose conditional write is removed: each does its write whatever
// the stored state, as an UPDATE without its WHERE condition would. Only a
// check the Service makes on what it read can refuse a loser then, and the
// barrier of linkstest.RaceClauses defeats such checks.

// unconditionalRedeem consumes a link even when it was already used.
type unconditionalRedeem struct{ *links.MemoryStore }

func (s unconditionalRedeem) RedeemAccountLink(ctx context.Context, h links.TokenHash, now time.Time) (links.AccountLink, error) {
	l, err := s.MemoryStore.RedeemAccountLink(ctx, h, now)
	if errors.Is(err, links.ErrAlreadyUsed) {
		l.UsedAt = now
		return l, nil
	}
	return l, err
}

// unconditionalReplace replaces a link even when it was already replaced.
type unconditionalReplace struct{ *links.MemoryStore }

func (s unconditionalReplace) ReplaceAccountLink(ctx context.Context, prev links.TokenHash, next links.AccountLink, now time.Time) (links.AccountLink, error) {
	l, err := s.MemoryStore.ReplaceAccountLink(ctx, prev, next, now)
	if errors.Is(err, links.ErrSuperseded) {
		return l, s.CreateAccountLink(ctx, next)
	}
	return l, err
}

// unconditionalCreate makes a remediation link even while one is active.
type unconditionalCreate struct{ *links.MemoryStore }

func (s unconditionalCreate) CreateRemediationLink(ctx context.Context, l links.RemediationLink, h links.TokenHash, now time.Time) (links.RemediationLink, error) {
	got, err := s.MemoryStore.CreateRemediationLink(ctx, l, h, now)
	if errors.Is(err, links.ErrExists) && got.ID != "" {
		l.Version = 1
		return l, nil
	}
	return got, err
}

// unconditionalUpdate writes whatever version the stored link has.
type unconditionalUpdate struct{ *links.MemoryStore }

func (s unconditionalUpdate) UpdateRemediationLink(ctx context.Context, l links.RemediationLink) (links.RemediationLink, error) {
	got, err := s.MemoryStore.UpdateRemediationLink(ctx, l)
	if errors.Is(err, links.ErrConflict) {
		l.Version = got.Version
		return s.MemoryStore.UpdateRemediationLink(ctx, l)
	}
	return got, err
}

// unconditionalRevoke revokes a link even when it was already revoked.
type unconditionalRevoke struct{ *links.MemoryStore }

func (s unconditionalRevoke) RevokeRemediationLink(ctx context.Context, id links.LinkID, by string, now time.Time) (links.RemediationLink, error) {
	l, err := s.MemoryStore.RevokeRemediationLink(ctx, id, by, now)
	if errors.Is(err, links.ErrExpired) {
		return l, nil
	}
	return l, err
}

// TestRaceClauses_CatchStoresWithoutConditionalWrites checks that each
// single-winner clause fails against a store whose conditional write is
// removed, so a clause that passes proves the condition is there.
func TestRaceClauses_CatchStoresWithoutConditionalWrites(t *testing.T) {
	broken := map[string]func() links.Store{
		"L1_OneRedemptionProceeds":        func() links.Store { return unconditionalRedeem{links.NewMemoryStore()} },
		"L1_OneRefreshReplacesALink":      func() links.Store { return unconditionalReplace{links.NewMemoryStore()} },
		"L6_OneRemediationLinkPerAccount": func() links.Store { return unconditionalCreate{links.NewMemoryStore()} },
		"L10_OneResetPerFailure":          func() links.Store { return unconditionalUpdate{links.NewMemoryStore()} },
		"L1_StoreRedeemOneWins":           func() links.Store { return unconditionalRedeem{links.NewMemoryStore()} },
		"L1_StoreReplaceOneWins":          func() links.Store { return unconditionalReplace{links.NewMemoryStore()} },
		"L6_StoreCreateOnePerAccount":     func() links.Store { return unconditionalCreate{links.NewMemoryStore()} },
		"L6_StoreRevokeOnce":              func() links.Store { return unconditionalRevoke{links.NewMemoryStore()} },
		"L10_StoreUpdateOnePerVersion":    func() links.Store { return unconditionalUpdate{links.NewMemoryStore()} },
	}
	for _, c := range linkstest.RaceClauses() {
		t.Run(c.Name, func(t *testing.T) {
			newBroken, ok := broken[c.Name]
			if !ok {
				t.Fatalf("no broken store for clause %s", c.Name)
			}
			if err := c.Run(ctx, links.NewMemoryStore()); err != nil {
				t.Fatalf("the clause fails against MemoryStore: %v", err)
			}
			err := c.Run(ctx, newBroken())
			if err == nil {
				t.Fatal("the clause passes against a store without the conditional write")
			}
			t.Logf("caught: %v", err)
		})
	}
}
