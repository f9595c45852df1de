package accounttest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/connectkit/connectkit/account"
)

// unconditional is a MemoryStore with its conditional writes removed: the
// version check (writes go in at whatever version is stored) and, when
// noKey is set, the idempotency-key check (every move is recorded under a
// fresh key).
type unconditional struct {
	*account.MemoryStore
	noVersion, noKey bool
	n                atomic.Int64
}

func (s *unconditional) Update(ctx context.Context, a account.Account, expected uint64) (account.Account, error) {
	if s.noVersion {
		if cur, err := s.MemoryStore.Get(ctx, a.ID); err == nil {
			expected = cur.Version
		}
	}
	return s.MemoryStore.Update(ctx, a, expected)
}

func (s *unconditional) Transfer(ctx context.Context, p account.Platform, pv uint64, a account.Account, av uint64, mv account.Move) (account.Platform, account.Account, error) {
	if s.noVersion {
		if cur, err := s.MemoryStore.GetPlatform(ctx); err == nil {
			pv = cur.Version
		}
		if cur, err := s.MemoryStore.Get(ctx, a.ID); err == nil {
			av = cur.Version
		}
	}
	if s.noKey {
		mv.Key = fmt.Sprintf("%s_%d", mv.Key, s.n.Add(1))
	}
	return s.MemoryStore.Transfer(ctx, p, pv, a, av, mv)
}

// Each single-winner clause passes against the MemoryStore and fails against
// it once its conditional write is removed: the Barrier makes the race
// real, so nothing but the conditional write stops the extra winners.
func TestRaces_P3_FailWithoutTheConditionalWrite(t *testing.T) {
	for _, r := range races {
		t.Run(r.name, func(t *testing.T) {
			if err := r.run(account.NewMemoryStore()); err != nil {
				t.Fatalf("against MemoryStore: %v", err)
			}
			broken := []*unconditional{{noVersion: true}, {noKey: true}, {noVersion: true, noKey: true}}
			caught := false
			for _, b := range broken {
				b.MemoryStore = account.NewMemoryStore()
				if err := r.run(b); err != nil {
					caught = true
					t.Logf("noVersion=%v noKey=%v: caught: %.200v", b.noVersion, b.noKey, err)
				}
			}
			if !caught {
				t.Errorf("the clause passed against every store without its conditional write")
			}
			// The clause that guards a check must catch its removal.
			want := map[string]*unconditional{
				"SameKeyMovesOnce":        {noKey: true},
				"OneSendWinsTheBalance":   {noVersion: true},
				"OneUpdateWinsTheVersion": {noVersion: true},
				"SameEventAppliesOnce":    {noVersion: true},
				"NewerEventWins":          {noVersion: true},
			}[r.name]
			if want == nil {
				t.Fatalf("race clause %q has no store whose removed check it must catch: add it to this table", r.name)
			}
			want.MemoryStore = account.NewMemoryStore()
			if err := r.run(want); err == nil {
				t.Errorf("the clause passed against a store without its conditional write (noVersion=%v noKey=%v)", want.noVersion, want.noKey)
			}
		})
	}
}
