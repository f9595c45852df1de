package accounttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/roles"
	"github.com/shopspring/decimal"
)

var admin = roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}

func usd(s string) account.Money {
	return account.Money{Amount: decimal.RequireFromString(s), Currency: "usd"}
}

// replica returns a Service over s, as one replica of a fleet sharing the
// Store would hold.
func replica(s account.Store) *account.Service {
	return &account.Service{Store: s, Clock: clocktest.New(t0)}
}

// testReceipts checks the receipt clauses of the Store contract.
func testReceipts(t *testing.T, newStore func(t *testing.T) account.Store) {
	ctx := context.Background()

	t.Run("PruneReceiptsBefore", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		p := mustCreatePlatform(t, s, SamplePlatform())
		// Three moves, an hour apart; whole seconds, as every Store keeps
		// at least microseconds.
		for i, key := range []string{"key_old", "key_edge", "key_new"} {
			mv := move(key, "1.00")
			mv.At = t0.Add(time.Duration(i) * time.Hour)
			var err error
			if p, a, err = s.Transfer(ctx, p, p.Version, a, a.Version, mv); err != nil {
				t.Fatalf("Transfer %s: %v", key, err)
			}
		}
		n, err := s.PruneReceipts(ctx, t0.Add(time.Hour)) // strictly before
		if err != nil || n != 1 {
			t.Fatalf("PruneReceipts = %d, %v; want 1 (only key_old)", n, err)
		}
		if _, err := s.GetReceipt(ctx, "key_old"); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("pruned receipt: err = %v, want ErrNotFound", err)
		}
		for _, key := range []string{"key_edge", "key_new"} {
			if r, err := s.GetReceipt(ctx, key); err != nil || r.Move.Key != key {
				t.Errorf("kept receipt %s: %v", key, err)
			}
		}
		if got := mustGet(t, s, "acct_1"); got.Version != a.Version || diff(a, got) != "" {
			t.Errorf("PruneReceipts changed the account:\n%s", diff(a, got))
		}
		if n, err := s.PruneReceipts(ctx, t0.Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("second PruneReceipts = %d, %v; want 0", n, err)
		}
		// A pruned key is unknown again: the same key is a new move.
		mv := move("key_old", "1.00")
		if _, _, err := s.Transfer(ctx, p, p.Version, a, a.Version, mv); err != nil {
			t.Errorf("Transfer with a pruned key: %v", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.PruneReceipts(cctx, t0.Add(48*time.Hour)); !errors.Is(err, context.Canceled) {
			t.Errorf("PruneReceipts with a cancelled context: %v", err)
		}
		if _, err := s.GetReceipt(ctx, "key_new"); err != nil {
			t.Errorf("a cancelled PruneReceipts deleted: %v", err)
		}
	})

	t.Run("TransferRecordsReceipt", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		p := mustCreatePlatform(t, s, SamplePlatform())
		p.Balance["usd"] = decimal.RequireFromString("990.00")
		a.Balance["usd"] = decimal.RequireFromString("20.00")
		mv := move("key_1", "10.00")
		gp, ga, err := s.Transfer(ctx, p, 1, a, 1, mv)
		if err != nil {
			t.Fatalf("Transfer: %v", err)
		}
		r, err := s.GetReceipt(ctx, "key_1")
		if err != nil {
			t.Fatalf("GetReceipt: %v", err)
		}
		if d := diff(account.Receipt{Move: mv, Platform: gp, Account: ga}, r); d != "" {
			t.Errorf("receipt (-want +got):\n%s", d)
		}
		r.Platform.Balance["usd"] = decimal.NewFromInt(1) // a copy
		if again, _ := s.GetReceipt(ctx, "key_1"); diff(gp, again.Platform) != "" {
			t.Errorf("receipt changed through a caller's copy")
		}
	})

	t.Run("KeyUsedIsExistsAndWritesNothing", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		p := mustCreatePlatform(t, s, SamplePlatform())
		gp, ga, err := s.Transfer(ctx, p, 1, a, 1, move("key_1", "10.00"))
		if err != nil {
			t.Fatalf("Transfer: %v", err)
		}
		q, b := gp, ga
		q.Balance = account.Balances{"usd": decimal.NewFromInt(1)}
		if _, _, err := s.Transfer(ctx, q, gp.Version, b, ga.Version, move("key_1", "10.00")); !errors.Is(err, account.ErrExists) {
			t.Fatalf("Transfer with a used key: err = %v, want ErrExists", err)
		}
		if d := diff(gp, mustGetPlatform(t, s)); d != "" {
			t.Errorf("platform written by a refused Transfer (-want +got):\n%s", d)
		}
		if d := diff(ga, mustGet(t, s, "acct_1")); d != "" {
			t.Errorf("account written by a refused Transfer (-want +got):\n%s", d)
		}
	})

	t.Run("FailedTransferRecordsNoReceipt", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		p := mustCreatePlatform(t, s, SamplePlatform())
		if _, _, err := s.Transfer(ctx, p, 7, a, 1, move("key_1", "1.00")); !errors.Is(err, account.ErrConflict) {
			t.Fatalf("stale Transfer: %v", err)
		}
		if _, err := s.GetReceipt(ctx, "key_1"); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("a refused Transfer recorded its key: %v", err)
		}
		if _, _, err := s.Transfer(ctx, p, 1, a, 1, move("key_1", "1.00")); err != nil {
			t.Fatalf("the key of a refused Transfer is free again: %v", err)
		}
	})

	t.Run("MissingIsNotFoundBadKeyIsInvalid", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.GetReceipt(ctx, "key_missing"); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("GetReceipt missing: %v, want ErrNotFound", err)
		}
		mustCreate(t, s, Sample("acct_1"))
		mustCreatePlatform(t, s, SamplePlatform())
		for _, k := range []string{"", "key\x00", "key\xff", "key 1", string(make([]byte, account.MaxKeyLen+1))} {
			if _, err := s.GetReceipt(ctx, k); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("GetReceipt(%.20q): %v, want ErrInvalid", k, err)
			}
			if _, _, err := s.Transfer(ctx, SamplePlatform(), 1, Sample("acct_1"), 1, move(k, "1.00")); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Transfer with key %.20q: %v, want ErrInvalid", k, err)
			}
		}
		for _, mv := range []account.Move{{Key: "k", Op: account.OpRemove, Money: usd("1"), CreatedBy: "u"},
			{Key: "k", Op: account.OpSendFunds, Money: usd("0"), CreatedBy: "u"}, {Key: "k", Op: account.OpSendFunds, Money: usd("0.001"), CreatedBy: "u"},
			// The audit trail: a move records a valid user ID.
			{Key: "k", Op: account.OpSendFunds, Money: usd("1")}, {Key: "k", Op: account.OpSendFunds, Money: usd("1"), CreatedBy: "u\x00"},
			{Key: "k", Op: account.OpSendFunds, Money: usd("1"), CreatedBy: "u\xff"}} {
			if _, _, err := s.Transfer(ctx, SamplePlatform(), 1, Sample("acct_1"), 1, mv); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Transfer with move %v: %v, want ErrInvalid", mv, err)
			}
		}
		if got := mustGet(t, s, "acct_1"); got.Version != 1 {
			t.Errorf("a refused Transfer wrote: version %d", got.Version)
		}
	})

	t.Run("RetryOnAnotherReplicaMovesOnce", func(t *testing.T) {
		s := newStore(t)
		mustCreate(t, s, Sample("acct_1"))
		mustCreatePlatform(t, s, SamplePlatform())
		one, two := replica(s), replica(s)
		first, err := one.SendFunds(ctx, admin, "acct_1", usd("5.00"), account.ToBalance, "key_send")
		if err != nil || first.Replayed {
			t.Fatalf("SendFunds: %v (replayed %v)", err, first.Replayed)
		}
		retry, err := two.SendFunds(ctx, admin, "acct_1", usd("5.00"), account.ToBalance, "key_send")
		if err != nil || !retry.Decision.Allowed || !retry.Replayed {
			t.Fatalf("retried SendFunds: %v %v (replayed %v)", retry.Decision, err, retry.Replayed)
		}
		if diff(first.Platform, retry.Platform) != "" || diff(first.Account, retry.Account) != "" {
			t.Errorf("the retry did not return the first result:\n%s%s", diff(first.Platform, retry.Platform), diff(first.Account, retry.Account))
		}
		if _, err := two.PullFunds(ctx, admin, "acct_1", usd("1.00"), "key_pull"); err != nil {
			t.Fatalf("PullFunds: %v", err)
		}
		if _, err := one.PullFunds(ctx, admin, "acct_1", usd("1.00"), "key_pull"); err != nil {
			t.Fatalf("retried PullFunds: %v", err)
		}
		// The audit trail: each receipt names the user whose call moved
		// the funds, not a later retry's.
		if r, err := s.GetReceipt(ctx, "key_send"); err != nil || r.Move.CreatedBy != admin.ID {
			t.Errorf("receipt of key_send: CreatedBy %q, %v; want %q", r.Move.CreatedBy, err, admin.ID)
		}
		other := roles.User{ID: "user_other", Roles: admin.Roles}
		if _, err := two.SendFunds(ctx, other, "acct_1", usd("5.00"), account.ToBalance, "key_send"); err != nil {
			t.Fatalf("SendFunds retried by another user: %v", err)
		}
		if r, _ := s.GetReceipt(ctx, "key_send"); r.Move.CreatedBy != admin.ID {
			t.Errorf("a retry by %q rewrote CreatedBy to %q", other.ID, r.Move.CreatedBy)
		}
		if r, _ := s.GetReceipt(ctx, "key_pull"); r.Move.CreatedBy != admin.ID {
			t.Errorf("receipt of key_pull: CreatedBy %q, want %q", r.Move.CreatedBy, admin.ID)
		}
		if got := mustGetPlatform(t, s).Balance.Get("usd").Amount; !got.Equal(decimal.RequireFromString("996")) {
			t.Errorf("platform balance %v after one send of 5 and one pull of 1, each retried, want 996", got)
		}
		if got := mustGet(t, s, "acct_1").Balance.Get("usd").Amount; !got.Equal(decimal.RequireFromString("14")) {
			t.Errorf("account balance %v, want 14", got)
		}
	})

	t.Run("KeyReusedWithOtherParametersIsRefused", func(t *testing.T) {
		s := newStore(t)
		mustCreate(t, s, Sample("acct_1"))
		mustCreate(t, s, Sample("acct_2"))
		mustCreatePlatform(t, s, SamplePlatform())
		svc := replica(s)
		if _, err := svc.SendFunds(ctx, admin, "acct_1", usd("5.00"), account.ToBalance, "key_1"); err != nil {
			t.Fatalf("SendFunds: %v", err)
		}
		for name, call := range map[string]func() error{
			"other amount": func() error {
				_, err := svc.SendFunds(ctx, admin, "acct_1", usd("6.00"), account.ToBalance, "key_1")
				return err
			},
			"other currency": func() error {
				_, err := svc.SendFunds(ctx, admin, "acct_1", account.Money{Amount: decimal.NewFromInt(5), Currency: "eur"}, account.ToBalance, "key_1")
				return err
			},
			"other account": func() error {
				_, err := svc.SendFunds(ctx, admin, "acct_2", usd("5.00"), account.ToBalance, "key_1")
				return err
			},
			"other op": func() error { _, err := svc.PullFunds(ctx, admin, "acct_1", usd("5.00"), "key_1"); return err },
			"huge amount": func() error {
				_, err := svc.SendFunds(ctx, admin, "acct_1", account.Money{Amount: decimal.New(5, 1e8), Currency: "usd"}, account.ToBalance, "key_1")
				return err
			},
		} {
			if err := call(); !errors.Is(err, account.ErrKeyReused) {
				t.Errorf("%s: err = %v, want ErrKeyReused", name, err)
			}
		}
		if got := mustGetPlatform(t, s).Balance.Get("usd").Amount; !got.Equal(decimal.RequireFromString("995")) {
			t.Errorf("platform balance %v, want 995: a refused reuse moved money", got)
		}
		viewer := roles.User{ID: "user_viewer", Roles: roles.NewSet(roles.ViewOnly)}
		if _, err := svc.SendFunds(ctx, viewer, "acct_1", usd("5.00"), account.ToBalance, "key_1"); !errors.Is(err, roles.ErrDenied) {
			t.Errorf("a retry by a role that may not send: err = %v, want roles.ErrDenied", err)
		}
	})
}

// raceSameKey: 64 replicas retry one send with one key at once, all
// reading through a Barrier: the money moves exactly once and every
// replica gets the first result.
func raceSameKey(s account.Store) error {
	ctx := context.Background()
	if _, err := s.Create(ctx, Sample("acct_1")); err != nil {
		return err
	}
	if _, err := s.CreatePlatform(ctx, SamplePlatform()); err != nil {
		return err
	}
	b := NewBarrier(s, goroutines)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		accs []account.Account
	)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr, err := replica(b).SendFunds(ctx, admin, "acct_1", usd("1.00"), account.ToBalance, "key_same")
			a := tr.Account
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			accs = append(accs, a)
		}()
	}
	wg.Wait()
	for _, a := range accs {
		if a.Version != 2 || !a.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(11)) {
			errs = append(errs, fmt.Errorf("a replica got %v with balance %v, not the first result (v2, 11)", a, a.Balance.Get("usd").Amount))
			break
		}
	}
	p, err := s.GetPlatform(ctx)
	if err != nil {
		return err
	}
	if !p.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(999)) {
		errs = append(errs, fmt.Errorf("platform balance %v after 64 retries of one send of 1, want 999", p.Balance.Get("usd").Amount))
	}
	return errors.Join(errs...)
}

// raceOneWinner: 64 replicas each send 600 of the platform's 1000 with
// their own keys, all reading through a Barrier: exactly one wins, the
// others get ErrConflict, and no balance goes negative.
func raceOneWinner(s account.Store) error {
	ctx := context.Background()
	if _, err := s.Create(ctx, Sample("acct_1")); err != nil {
		return err
	}
	if _, err := s.CreatePlatform(ctx, SamplePlatform()); err != nil {
		return err
	}
	b := NewBarrier(s, goroutines)
	errs := oneWinner("sends of 600 from a balance of 1000", func(i int) error {
		_, err := replica(b).SendFunds(ctx, admin, "acct_1", usd("600"), account.ToBalance, fmt.Sprintf("key_%d", i))
		return err
	})
	p, err := s.GetPlatform(ctx)
	if err != nil {
		return err
	}
	if !p.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(400)) {
		errs = append(errs, fmt.Errorf("platform balance %v, want 400", p.Balance.Get("usd").Amount))
	}
	return errors.Join(errs...)
}

// raceUpdates: 64 writers read version 1 through a Barrier and update
// from it: exactly one wins.
func raceUpdates(s account.Store) error {
	ctx := context.Background()
	if _, err := s.Create(ctx, Sample("acct_1")); err != nil {
		return err
	}
	b := NewBarrier(s, goroutines)
	return errors.Join(oneWinner("updates from version 1", func(i int) error {
		a, err := b.Get(ctx, "acct_1")
		if err == nil {
			a.Email = account.NewEmail(fmt.Sprintf("writer%d@example.com", i))
			_, err = b.Update(ctx, a, a.Version)
		}
		return err
	})...)
}

// oneWinner runs write(0) … write(goroutines-1) at once and returns the
// errors other than ErrConflict, plus one unless exactly one write won
// (returned nil); what names the writes in that error.
func oneWinner(what string, write func(i int) error) []error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
		errs []error
	)
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := write(i)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, account.ErrConflict):
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		errs = append(errs, fmt.Errorf("%d %s won, want exactly 1", wins, what))
	}
	return errs
}

// races are the single-winner clauses, each run through a Barrier.
var races = []struct {
	name string
	run  func(account.Store) error
}{
	{"SameKeyMovesOnce", raceSameKey},
	{"OneSendWinsTheBalance", raceOneWinner},
	{"OneUpdateWinsTheVersion", raceUpdates},
	{"SameEventAppliesOnce", raceSameEvent},
	{"NewerEventWins", raceOlderNewer},
}
