// Package accounttest is the conformance suite for account.Store. Every
// Store implementation — the in-memory one in package account, a
// PostgreSQL or Spanner adapter — runs it from a test of its own:
//
//	func TestStore(t *testing.T) {
//		accounttest.TestStore(t, func(t *testing.T) account.Store {
//			return account.NewMemoryStore()
//		})
//	}
//
// The suite checks every clause of the contract documented on
// account.Store, one subtest per clause, plus a 64-goroutine concurrency
// clause and a rapid state-machine clause against a plain model.
//
// The package also exports rapid generators for property tests of your own
// policies: Account and Platform (with DrawAccount and DrawPlatform), biased
// by AccountOptions and PlatformOptions rather than filtered.
package accounttest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// CmpOptions are the go-cmp options that compare accounts and platforms
// by value (decimal amounts with Equal). Adapters may use them in tests of
// their own.
func CmpOptions() cmp.Options {
	return cmp.Options{
		cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	}
}

var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// Sample returns a valid, fully populated account under id, for stores
// and tests to use as a fixture.
func Sample(id account.ID) account.Account {
	a := account.NewCustom(id, "US")
	a.Components = account.Components{Onboarding: true, NotificationBanner: true}
	a.Representative = account.NewRepresentative("Jane Doe", account.Date{Year: 1984, Month: time.July, Day: 2}, "6789")
	a.HasExternalAccount = true
	a.Email = account.NewEmail("jane@example.com")
	a.BusinessName = "Jane's Jams"
	a.LastActivity = t0
	a.PayoutSchedule = account.PayoutSchedule{Interval: account.PayoutWeekly, WeeklyAnchor: time.Friday}
	a.Balance = account.Balances{"usd": decimal.RequireFromString("10.00")}
	a.Capabilities = []requirements.Capability{requirements.CardPayments, requirements.Transfers}
	reqs, err := requirements.NewSet(requirements.Entry{Field: "individual.dob.day",
		Status: requirements.CurrentlyDue, Deadline: t0.Add(24 * time.Hour),
		Capabilities: []requirements.Capability{requirements.CardPayments}})
	if err != nil {
		panic("accounttest: sample requirements: " + err.Error()) // a bug in this fixture, not bad input
	}
	a.Requirements = reqs
	return a
}

// SamplePlatform returns a valid platform with a US dollar balance.
func SamplePlatform() account.Platform {
	return account.Platform{Country: "US", ProfileComplete: true,
		BannerPageURL: "https://platform.example/notifications",
		Balance:       account.Balances{"usd": decimal.RequireFromString("1000.00")}}
}

func diff(x, y any) string { return cmp.Diff(x, y, CmpOptions()) }

// TestStore runs the conformance suite against the stores newStore
// returns; each subtest asks for a fresh, empty store.
func TestStore(t *testing.T, newStore func(t *testing.T) account.Store) {
	ctx := context.Background()

	t.Run("A6_KeepsRemovalRecord", func(t *testing.T) {
		s := newStore(t)
		a := Sample("acct_1")
		a.Removed, a.RemovedBy, a.RemovedAt = true, "user_ada", t0.Add(time.Hour)
		a.PayoutSchedule, a.Components = account.PayoutSchedule{}, account.Components{}
		got := mustCreate(t, s, a)
		if d := diff(withVersion(a, 1), mustGet(t, s, "acct_1")); d != "" || got.RemovedBy != "user_ada" {
			t.Errorf("removal record not kept (-want +got):\n%s", d)
		}
		b := Sample("acct_2")
		b.RemovedBy = "user_ada" // on an account not removed
		if _, err := s.Create(ctx, b); !errors.Is(err, account.ErrInvalid) {
			t.Errorf("Create with RemovedBy on a live account: %v, want ErrInvalid", err)
		}
	})

	t.Run("Get/MissingIsNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(ctx, "acct_missing"); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("Get missing: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("Create/SetsVersion1AndGetReturnsIt", func(t *testing.T) {
		s := newStore(t)
		in := Sample("acct_1")
		in.Version = 42 // ignored
		got, err := s.Create(ctx, in)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		want := Sample("acct_1")
		want.Version = 1
		if d := diff(want, got); d != "" {
			t.Errorf("Create returned (-want +got):\n%s", d)
		}
		read, err := s.Get(ctx, "acct_1")
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if d := diff(want, read); d != "" {
			t.Errorf("Get after Create (-want +got):\n%s", d)
		}
	})

	t.Run("Create/ExistingIsExistsAndUnchanged", func(t *testing.T) {
		s := newStore(t)
		mustCreate(t, s, Sample("acct_1"))
		other := Sample("acct_1")
		other.Email = account.NewEmail("other@example.com")
		if _, err := s.Create(ctx, other); !errors.Is(err, account.ErrExists) {
			t.Fatalf("Create twice: err = %v, want ErrExists", err)
		}
		got := mustGet(t, s, "acct_1")
		if got.Email.Address() != "jane@example.com" || got.Version != 1 {
			t.Errorf("after refused Create: email %q version %d, want unchanged", got.Email, got.Version)
		}
	})

	t.Run("Update/BumpsVersionAndWrites", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		a.Email = account.NewEmail("new@example.com")
		a.Version = 0 // ignored: the expected version is the argument
		got, err := s.Update(ctx, a, 1)
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		if got.Version != 2 || got.Email.Address() != "new@example.com" {
			t.Errorf("Update returned version %d email %q, want 2 new@example.com", got.Version, got.Email)
		}
		if d := diff(got, mustGet(t, s, "acct_1")); d != "" {
			t.Errorf("Get after Update (-returned +stored):\n%s", d)
		}
	})

	t.Run("Update/StaleVersionIsConflictAndWritesNothing", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		a.Email = account.NewEmail("first@example.com")
		mustUpdate(t, s, a, 1)
		for _, stale := range []uint64{0, 1, 3, 1 << 63} {
			b := a
			b.Email = account.NewEmail("lost@example.com")
			if _, err := s.Update(ctx, b, stale); !errors.Is(err, account.ErrConflict) {
				t.Errorf("Update at version %d: err = %v, want ErrConflict", stale, err)
			}
		}
		got := mustGet(t, s, "acct_1")
		if got.Email.Address() != "first@example.com" || got.Version != 2 {
			t.Errorf("after stale updates: email %q version %d, want first@example.com 2", got.Email, got.Version)
		}
	})

	t.Run("Update/MissingIsNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Update(ctx, Sample("acct_missing"), 1); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("Update missing: err = %v, want ErrNotFound", err)
		}
		if _, err := s.Get(ctx, "acct_missing"); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("Update missing created it: Get err = %v", err)
		}
	})

	t.Run("Update/StoresRemovedAccountsLikeOthers", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		a.Removed = true
		mustUpdate(t, s, a, 1)
		if got := mustGet(t, s, "acct_1"); !got.Removed {
			t.Errorf("Removed not stored")
		}
	})

	t.Run("Copies/CallerCannotChangeTheStore", func(t *testing.T) {
		s := newStore(t)
		in := Sample("acct_1")
		created := mustCreate(t, s, in)
		in.Balance["usd"] = decimal.NewFromInt(999) // after passing it in
		in.Capabilities[0] = "changed_by_caller"
		_ = in.Requirements.SetDeadline(false, t0.Add(48*time.Hour))
		created.Balance["usd"] = decimal.NewFromInt(998)
		created.Capabilities[1] = "changed_by_caller"
		_ = created.Requirements.SetDeadline(false, t0.Add(48*time.Hour))
		got := mustGet(t, s, "acct_1")
		got.Balance["usd"] = decimal.NewFromInt(997)
		got.Balance["eur"] = decimal.NewFromInt(1)
		got.Capabilities[0] = "changed_by_caller"
		_ = got.Requirements.SetDeadline(false, t0.Add(48*time.Hour))
		if d := diff(withVersion(Sample("acct_1"), 1), mustGet(t, s, "acct_1")); d != "" {
			t.Errorf("stored account changed through a caller's copy (-want +got):\n%s", d)
		}
		up := got
		up.Balance = account.Balances{"usd": decimal.RequireFromString("5")}
		returned := mustUpdate(t, s, up, 1)
		up.Balance["usd"] = decimal.NewFromInt(996)
		returned.Balance["usd"] = decimal.NewFromInt(995)
		final := mustGet(t, s, "acct_1")
		if want := (account.Balances{"usd": decimal.RequireFromString("5")}); diff(want, final.Balance) != "" {
			t.Errorf("stored balance changed through a caller's copy: %v", final.Balance)
		}

		p := SamplePlatform()
		cp, err := s.CreatePlatform(ctx, p)
		if err != nil {
			t.Fatalf("CreatePlatform: %v", err)
		}
		p.Balance["usd"] = decimal.NewFromInt(1)
		cp.Balance["usd"] = decimal.NewFromInt(2)
		gp := mustGetPlatform(t, s)
		gp.Balance["usd"] = decimal.NewFromInt(3)
		if got := mustGetPlatform(t, s).Balance.Get("usd").Amount; !got.Equal(decimal.RequireFromString("1000")) {
			t.Errorf("stored platform balance changed through a caller's copy: %v", got)
		}
	})

	t.Run("Context/CanceledDoesNothing", func(t *testing.T) {
		s := newStore(t)
		mustCreate(t, s, Sample("acct_1"))
		mustCreatePlatform(t, s, SamplePlatform())
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		changed := Sample("acct_1")
		changed.Email = account.NewEmail("canceled@example.com")
		p := SamplePlatform()
		p.Country = "CA"
		checks := map[string]error{}
		_, checks["Get"] = s.Get(cctx, "acct_1")
		_, checks["Create"] = s.Create(cctx, Sample("acct_2"))
		_, checks["Update"] = s.Update(cctx, changed, 1)
		_, checks["GetPlatform"] = s.GetPlatform(cctx)
		_, checks["CreatePlatform"] = s.CreatePlatform(cctx, p)
		_, checks["UpdatePlatform"] = s.UpdatePlatform(cctx, p, 1)
		_, _, checks["Transfer"] = s.Transfer(cctx, p, 1, changed, 1, move("key_canceled", "1.00"))
		for name, err := range checks {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s with canceled context: err = %v, want context.Canceled", name, err)
			}
		}
		if got := mustGet(t, s, "acct_1"); got.Version != 1 || got.Email.Address() != "jane@example.com" {
			t.Errorf("canceled Update or Transfer wrote the account: %v", got)
		}
		if _, err := s.Get(ctx, "acct_2"); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("canceled Create wrote: Get err = %v", err)
		}
		if got := mustGetPlatform(t, s); got.Version != 1 || got.Country != "US" {
			t.Errorf("canceled platform write happened: %+v", got)
		}
	})

	t.Run("Platform/GetMissingIsNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.GetPlatform(ctx); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("GetPlatform on empty store: err = %v, want ErrNotFound", err)
		}
		if _, err := s.UpdatePlatform(ctx, SamplePlatform(), 1); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("UpdatePlatform on empty store: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("Platform/CreateUpdateConflict", func(t *testing.T) {
		s := newStore(t)
		p := SamplePlatform()
		p.Version = 9 // ignored
		got := mustCreatePlatform(t, s, p)
		want := SamplePlatform()
		want.Version = 1
		if d := diff(want, got); d != "" {
			t.Errorf("CreatePlatform (-want +got):\n%s", d)
		}
		if _, err := s.CreatePlatform(ctx, SamplePlatform()); !errors.Is(err, account.ErrExists) {
			t.Errorf("CreatePlatform twice: err = %v, want ErrExists", err)
		}
		got.ProfileComplete = false
		up, err := s.UpdatePlatform(ctx, got, 1)
		if err != nil || up.Version != 2 {
			t.Fatalf("UpdatePlatform: %v, version %d", err, up.Version)
		}
		up.ProfileComplete = true
		if _, err := s.UpdatePlatform(ctx, up, 1); !errors.Is(err, account.ErrConflict) {
			t.Errorf("UpdatePlatform stale: err = %v, want ErrConflict", err)
		}
		if g := mustGetPlatform(t, s); g.ProfileComplete || g.Version != 2 {
			t.Errorf("stale UpdatePlatform wrote: %+v", g)
		}
	})

	t.Run("Transfer/WritesBoth", func(t *testing.T) {
		s := newStore(t)
		a := mustCreate(t, s, Sample("acct_1"))
		p := mustCreatePlatform(t, s, SamplePlatform())
		p.Balance["usd"] = decimal.RequireFromString("990.00")
		a.Balance["usd"] = decimal.RequireFromString("20.00")
		gp, ga, err := s.Transfer(ctx, p, 1, a, 1, move("key_1", "10.00"))
		if err != nil {
			t.Fatalf("Transfer: %v", err)
		}
		if gp.Version != 2 || ga.Version != 2 {
			t.Errorf("Transfer versions: platform %d account %d, want 2 2", gp.Version, ga.Version)
		}
		if d := diff(gp, mustGetPlatform(t, s)); d != "" {
			t.Errorf("stored platform (-returned +stored):\n%s", d)
		}
		if d := diff(ga, mustGet(t, s, "acct_1")); d != "" {
			t.Errorf("stored account (-returned +stored):\n%s", d)
		}
	})

	t.Run("Transfer/AnyStaleVersionWritesNeither", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			pv, av uint64
			id     account.ID
			want   error
		}{
			{"stale platform", 7, 1, "acct_1", account.ErrConflict},
			{"stale account", 1, 7, "acct_1", account.ErrConflict},
			{"both stale", 0, 0, "acct_1", account.ErrConflict},
			{"missing account", 1, 1, "acct_missing", account.ErrNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s := newStore(t)
				mustCreate(t, s, Sample("acct_1"))
				mustCreatePlatform(t, s, SamplePlatform())
				p := SamplePlatform()
				p.Balance["usd"] = decimal.NewFromInt(1)
				a := Sample(tc.id)
				a.Balance["usd"] = decimal.NewFromInt(1009)
				if _, _, err := s.Transfer(ctx, p, tc.pv, a, tc.av, move("key_1", "1.00")); !errors.Is(err, tc.want) {
					t.Fatalf("Transfer: err = %v, want %v", err, tc.want)
				}
				if d := diff(withVersion(Sample("acct_1"), 1), mustGet(t, s, "acct_1")); d != "" {
					t.Errorf("account written by a failed Transfer (-want +got):\n%s", d)
				}
				if d := diff(withPlatformVersion(SamplePlatform(), 1), mustGetPlatform(t, s)); d != "" {
					t.Errorf("platform written by a failed Transfer (-want +got):\n%s", d)
				}
			})
		}
	})

	t.Run("Input/RefusesWhatNoStoreKeepsFaithfully", func(t *testing.T) {
		testBadInput(t, newStore)
	})

	t.Run("Input/StoresUnicodeFaithfully", func(t *testing.T) {
		s := newStore(t)
		a := Sample("acct_unicode")
		a.BusinessName = "Zoë's Ñandú Café 李记 🍜"
		a.Email = account.NewEmail("zoë@exämple.com")
		a.Representative = a.Representative.WithFullName("Zoë Ñandú-李")
		created := mustCreate(t, s, a)
		if d := diff(withVersion(a, 1), created); d != "" {
			t.Errorf("Create returned (-want +got):\n%s", d)
		}
		if d := diff(withVersion(a, 1), mustGet(t, s, a.ID)); d != "" {
			t.Errorf("Get (-want +got):\n%s", d)
		}
		long := Sample(account.ID("acct_" + strings.Repeat("x", account.MaxIDLen-5)))
		mustCreate(t, s, long)
		if got := mustGet(t, s, long.ID); got.ID != long.ID {
			t.Errorf("an ID of MaxIDLen bytes came back as %d bytes", len(got.ID))
		}
	})

	t.Run("Receipt", func(t *testing.T) { testReceipts(t, newStore) })

	for _, r := range races {
		t.Run("Race/"+r.name, func(t *testing.T) {
			if err := r.run(newStore(t)); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("Concurrency/64UpdatersFromOneVersion", func(t *testing.T) {
		testConcurrentUpdates(t, newStore(t))
	})

	t.Run("Concurrency/64TransfersConserveMoney", func(t *testing.T) {
		testConcurrentTransfers(t, newStore(t))
	})

	t.Run("Model/StateMachine", func(t *testing.T) {
		// One store serves every case (a PostgreSQL adapter opens a
		// schema and a pool per store: one per case ran the server out
		// of connections at -rapid.checks=1000). Each case works on
		// accounts of its own, named after the case's number; the Store
		// has no listing, so the names cannot change an outcome, and a
		// case replays the same against a fresh store.
		s := newStore(t)
		cases := 0
		rapid.Check(t, func(rt *rapid.T) {
			cases++
			m := &machine{s: s, model: map[account.ID]modelAccount{}}
			for _, x := range []string{"a", "b", "c"} {
				m.ids = append(m.ids, account.ID(fmt.Sprintf("acct_case%d_%s", cases, x)))
			}
			rt.Repeat(rapid.StateMachineActions(m))
		})
	})
}

// move returns a send of amount usd under key, for Transfer calls.
func move(key, amount string) account.Move {
	return account.Move{Key: key, Op: account.OpSendFunds, CreatedBy: "user_conformance",
		Money: account.Money{Amount: decimal.RequireFromString(amount), Currency: "usd"}}
}

func withVersion(a account.Account, v uint64) account.Account { a.Version = v; return a }
func withPlatformVersion(p account.Platform, v uint64) account.Platform {
	p.Version = v
	return p
}

const goroutines = 64

// testConcurrentUpdates: 64 goroutines read version 1 and update from it
// at once: exactly one wins, the other 63 get ErrConflict. Each loser then
// retries (read, increment, conditional update) until it succeeds; the
// counter must end at 64, so no update was lost.
func testConcurrentUpdates(t *testing.T, s account.Store) {
	ctx := context.Background()
	a := Sample("acct_race")
	a.Balance = account.Balances{"usd": decimal.Zero}
	mustCreate(t, s, a)

	var (
		start    = make(chan struct{})
		readDone sync.WaitGroup
		wg       sync.WaitGroup
		mu       sync.Mutex
		wins     int
		others   []error
		retries  []error
	)
	one := decimal.NewFromInt(1)
	for i := range goroutines {
		wg.Add(1)
		readDone.Add(1)
		go func() {
			defer wg.Done()
			read, err := s.Get(ctx, "acct_race")
			readDone.Done()
			if err != nil {
				mu.Lock()
				others = append(others, err)
				mu.Unlock()
				return
			}
			if read.Version != 1 {
				mu.Lock()
				others = append(others, fmt.Errorf("goroutine %d read version %d before any write, want 1", i, read.Version))
				mu.Unlock()
			}
			read.Balance["usd"] = read.Balance.Get("usd").Amount.Add(one)
			read.Email = account.NewEmail(fmt.Sprintf("writer%d@example.com", i))
			<-start
			_, err = s.Update(ctx, read, read.Version)
			mu.Lock()
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, account.ErrConflict):
				others = append(others, err)
			}
			mu.Unlock()
			if err == nil {
				return
			}
			for attempt := 0; ; attempt++ {
				if attempt > 10*goroutines {
					mu.Lock()
					retries = append(retries, fmt.Errorf("goroutine %d: no success after %d retries", i, attempt))
					mu.Unlock()
					return
				}
				read, err := s.Get(ctx, "acct_race")
				if err != nil {
					mu.Lock()
					retries = append(retries, err)
					mu.Unlock()
					return
				}
				read.Balance["usd"] = read.Balance.Get("usd").Amount.Add(one)
				_, err = s.Update(ctx, read, read.Version)
				if err == nil {
					return
				}
				if !errors.Is(err, account.ErrConflict) {
					mu.Lock()
					retries = append(retries, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	// Every goroutine reads version 1 before any of them writes: they all
	// block on start after reading.
	readDone.Wait()
	close(start)
	wg.Wait()
	if wins != 1 {
		t.Errorf("first round: %d updates from version 1 won, want exactly 1", wins)
	}
	for _, err := range append(others, retries...) {
		t.Errorf("unexpected error: %v", err)
	}
	got := mustGet(t, s, "acct_race")
	if want := decimal.NewFromInt(goroutines); !got.Balance.Get("usd").Amount.Equal(want) {
		t.Errorf("counter = %v after %d increments, want %v (an update was lost)", got.Balance.Get("usd").Amount, goroutines, want)
	}
	if got.Version != goroutines+1 {
		t.Errorf("version = %d, want %d", got.Version, goroutines+1)
	}
}

// testConcurrentTransfers: 64 goroutines each move 1 usd from the
// platform to the account with Transfer, retrying on ErrConflict: the sum
// of the two balances is unchanged and every move landed.
func testConcurrentTransfers(t *testing.T, s account.Store) {
	ctx := context.Background()
	mustCreate(t, s, Sample("acct_1"))
	mustCreatePlatform(t, s, SamplePlatform())
	one := decimal.NewFromInt(1)
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for i := range goroutines {
		wg.Add(1)
		key := fmt.Sprintf("key_%d", i)
		go func() {
			defer wg.Done()
			for attempt := 0; attempt <= 10*goroutines; attempt++ {
				p, err := s.GetPlatform(ctx)
				if err != nil {
					errs <- err
					return
				}
				a, err := s.Get(ctx, "acct_1")
				if err != nil {
					errs <- err
					return
				}
				p.Balance["usd"] = p.Balance.Get("usd").Amount.Sub(one)
				a.Balance["usd"] = a.Balance.Get("usd").Amount.Add(one)
				_, _, err = s.Transfer(ctx, p, p.Version, a, a.Version, move(key, "1.00"))
				if err == nil {
					return
				}
				if !errors.Is(err, account.ErrConflict) {
					errs <- err
					return
				}
			}
			errs <- errors.New("no success after many retries")
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("transfer: %v", err)
	}
	p := mustGetPlatform(t, s)
	a := mustGet(t, s, "acct_1")
	if want := decimal.RequireFromString("936"); !p.Balance.Get("usd").Amount.Equal(want) {
		t.Errorf("platform balance = %v, want %v", p.Balance.Get("usd").Amount, want)
	}
	if want := decimal.RequireFromString("74"); !a.Balance.Get("usd").Amount.Equal(want) {
		t.Errorf("account balance = %v, want %v", a.Balance.Get("usd").Amount, want)
	}
	if p.Version != goroutines+1 || a.Version != goroutines+1 {
		t.Errorf("versions: platform %d account %d, want %d", p.Version, a.Version, goroutines+1)
	}
}

// modelAccount is the plain model of one stored account: its version and
// the one field the machine changes.
type modelAccount struct {
	version uint64
	email   string
}

type machine struct {
	s     account.Store
	ids   []account.ID // this case's accounts, fresh in the shared store
	model map[account.ID]modelAccount
}

func (m *machine) Create(t *rapid.T) {
	id := rapid.SampledFrom(m.ids).Draw(t, "id")
	email := rapid.SampledFrom([]string{"a@x.io", "b@x.io"}).Draw(t, "email")
	a := Sample(id)
	a.Email = account.NewEmail(email)
	got, err := m.s.Create(context.Background(), a)
	if _, exists := m.model[id]; exists {
		if !errors.Is(err, account.ErrExists) {
			t.Fatalf("Create existing %s: err = %v, want ErrExists", id, err)
		}
		return
	}
	if err != nil || got.Version != 1 {
		t.Fatalf("Create %s: version %d err %v", id, got.Version, err)
	}
	m.model[id] = modelAccount{version: 1, email: email}
}

func (m *machine) Update(t *rapid.T) {
	id := rapid.SampledFrom(m.ids).Draw(t, "id")
	cur, exists := m.model[id]
	expected := rapid.SampledFrom([]uint64{cur.version, cur.version + 1, cur.version - 1}).Draw(t, "expected")
	email := rapid.SampledFrom([]string{"c@x.io", "d@x.io"}).Draw(t, "email")
	a := Sample(id)
	a.Email = account.NewEmail(email)
	got, err := m.s.Update(context.Background(), a, expected)
	switch {
	case !exists:
		if !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("Update missing %s: err = %v, want ErrNotFound", id, err)
		}
	case expected != cur.version:
		if !errors.Is(err, account.ErrConflict) {
			t.Fatalf("Update %s at %d (stored %d): err = %v, want ErrConflict", id, expected, cur.version, err)
		}
	default:
		if err != nil || got.Version != cur.version+1 {
			t.Fatalf("Update %s: version %d err %v", id, got.Version, err)
		}
		m.model[id] = modelAccount{version: cur.version + 1, email: email}
	}
}

func (m *machine) Get(t *rapid.T) {
	id := rapid.SampledFrom(m.ids).Draw(t, "id")
	got, err := m.s.Get(context.Background(), id)
	want, exists := m.model[id]
	if !exists {
		if !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("Get missing %s: err = %v", id, err)
		}
		return
	}
	if err != nil || got.Version != want.version || got.Email.Address() != want.email {
		t.Fatalf("Get %s = (v%d, %q, %v), want (v%d, %q)", id, got.Version, got.Email, err, want.version, want.email)
	}
}

// Check compares every account with the model after each action, so a
// refused write that changed something is caught at once.
func (m *machine) Check(t *rapid.T) {
	for _, id := range m.ids {
		got, err := m.s.Get(context.Background(), id)
		want, exists := m.model[id]
		if exists != (err == nil) || exists && (got.Version != want.version || got.Email.Address() != want.email) {
			t.Fatalf("store and model disagree on %s: store (v%d, %q, %v), model (%v, %+v)", id, got.Version, got.Email, err, exists, want)
		}
	}
}

func mustCreate(t testing.TB, s account.Store, a account.Account) account.Account {
	t.Helper()
	got, err := s.Create(context.Background(), a)
	if err != nil {
		t.Fatalf("Create %s: %v", a.ID, err)
	}
	return got
}

func mustUpdate(t testing.TB, s account.Store, a account.Account, v uint64) account.Account {
	t.Helper()
	got, err := s.Update(context.Background(), a, v)
	if err != nil {
		t.Fatalf("Update %s at %d: %v", a.ID, v, err)
	}
	return got
}

func mustGet(t testing.TB, s account.Store, id account.ID) account.Account {
	t.Helper()
	got, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get %s: %v", id, err)
	}
	return got
}

func mustCreatePlatform(t testing.TB, s account.Store, p account.Platform) account.Platform {
	t.Helper()
	got, err := s.CreatePlatform(context.Background(), p)
	if err != nil {
		t.Fatalf("CreatePlatform: %v", err)
	}
	return got
}

func mustGetPlatform(t testing.TB, s account.Store) account.Platform {
	t.Helper()
	got, err := s.GetPlatform(context.Background())
	if err != nil {
		t.Fatalf("GetPlatform: %v", err)
	}
	return got
}

// badAccounts are accounts that no Store can keep faithfully (PostgreSQL
// refuses NUL in text and jsonb, JSON replaces invalid UTF-8, decimals out
// of bounds hang arithmetic). Every Store must refuse each with an error
// matching account.ErrInvalid and write nothing.
func badAccounts() map[string]account.Account {
	out := map[string]account.Account{}
	edit := func(name string, f func(*account.Account)) {
		a := Sample("acct_bad")
		f(&a)
		out[name] = a
	}
	edit("NUL in ID", func(a *account.Account) { a.ID = "acct_\x00bad" })
	edit("invalid UTF-8 in ID", func(a *account.Account) { a.ID = "acct_\xffbad" })
	edit("12,000-character ID", func(a *account.Account) { a.ID = account.ID("acct_" + strings.Repeat("b", 12000)) })
	edit("space in ID", func(a *account.Account) { a.ID = "acct bad" })
	edit("NUL in business name", func(a *account.Account) { a.BusinessName = "Jane\x00Jams" })
	edit("invalid UTF-8 in business name", func(a *account.Account) { a.BusinessName = "Jane\xc3Jams" })
	edit("12,000-byte business name", func(a *account.Account) { a.BusinessName = strings.Repeat("J", 12000) })
	edit("NUL in representative name", func(a *account.Account) { a.Representative = a.Representative.WithFullName("Jane\x00Doe") })
	edit("NUL in email", func(a *account.Account) { a.Email = account.NewEmail("jane\x00@example.com") })
	edit("invalid UTF-8 in email", func(a *account.Account) { a.Email = account.NewEmail("jane\xff@example.com") })
	edit("balance 1e10000000", func(a *account.Account) { a.Balance = account.Balances{"usd": decimal.New(1, 1e7)} })
	edit("balance 1e-10000000", func(a *account.Account) { a.Balance = account.Balances{"usd": decimal.New(1, -1e7)} })
	edit("negative balance", func(a *account.Account) { a.Balance = account.Balances{"usd": decimal.RequireFromString("-0.01")} })
	edit("inexact balance", func(a *account.Account) { a.Balance = account.Balances{"jpy": decimal.RequireFromString("5.123")} })
	edit("unknown currency", func(a *account.Account) { a.Balance = account.Balances{"xxx": decimal.NewFromInt(1)} })
	return out
}

func badPlatforms() map[string]account.Platform {
	out := map[string]account.Platform{}
	edit := func(name string, f func(*account.Platform)) {
		p := SamplePlatform()
		f(&p)
		out[name] = p
	}
	edit("NUL in banner URL", func(p *account.Platform) { p.BannerPageURL = "https://platform.example/\x00" })
	edit("invalid UTF-8 in banner URL", func(p *account.Platform) { p.BannerPageURL = "https://platform.example/\xff" })
	edit("balance 1e10000000", func(p *account.Platform) { p.Balance = account.Balances{"usd": decimal.New(1, 1e7)} })
	edit("negative balance", func(p *account.Platform) { p.Balance = account.Balances{"usd": decimal.RequireFromString("-1")} })
	return out
}

func testBadInput(t *testing.T, newStore func(t *testing.T) account.Store) {
	ctx := context.Background()
	for name, bad := range badAccounts() {
		t.Run("Account/"+name, func(t *testing.T) {
			s := newStore(t)
			mustCreatePlatform(t, s, SamplePlatform())
			if _, err := s.Create(ctx, bad); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Create: err = %v, want ErrInvalid", err)
			}
			if _, err := s.Get(ctx, bad.ID); bad.ID.Valid() && !errors.Is(err, account.ErrNotFound) ||
				!bad.ID.Valid() && !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Get after a refused Create: err = %v, want ErrNotFound (valid ID) or ErrInvalid", err)
			}
			// Update and Transfer of a stored account into the bad shape.
			stored := mustCreate(t, s, Sample("acct_bad"))
			up := bad
			if !up.ID.Valid() {
				up.ID = stored.ID
				up.BusinessName = "Jane\x00Jams" // keep it bad under a good ID
			}
			if _, err := s.Update(ctx, up, 1); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Update: err = %v, want ErrInvalid", err)
			}
			if _, _, err := s.Transfer(ctx, SamplePlatform(), 1, up, 1, move("key_bad", "1.00")); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Transfer: err = %v, want ErrInvalid", err)
			}
			if d := diff(withVersion(Sample("acct_bad"), 1), mustGet(t, s, "acct_bad")); d != "" {
				t.Errorf("a refused write changed the account (-want +got):\n%s", d)
			}
			if d := diff(withPlatformVersion(SamplePlatform(), 1), mustGetPlatform(t, s)); d != "" {
				t.Errorf("a refused write changed the platform (-want +got):\n%s", d)
			}
		})
	}
	for name, bad := range badPlatforms() {
		t.Run("Platform/"+name, func(t *testing.T) {
			s := newStore(t)
			if _, err := s.CreatePlatform(ctx, bad); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("CreatePlatform: err = %v, want ErrInvalid", err)
			}
			if _, err := s.GetPlatform(ctx); !errors.Is(err, account.ErrNotFound) {
				t.Errorf("GetPlatform after a refused CreatePlatform: err = %v, want ErrNotFound", err)
			}
			mustCreatePlatform(t, s, SamplePlatform())
			mustCreate(t, s, Sample("acct_1"))
			if _, err := s.UpdatePlatform(ctx, bad, 1); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("UpdatePlatform: err = %v, want ErrInvalid", err)
			}
			if _, _, err := s.Transfer(ctx, bad, 1, Sample("acct_1"), 1, move("key_bad", "1.00")); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Transfer: err = %v, want ErrInvalid", err)
			}
			if d := diff(withPlatformVersion(SamplePlatform(), 1), mustGetPlatform(t, s)); d != "" {
				t.Errorf("a refused write changed the platform (-want +got):\n%s", d)
			}
			if d := diff(withVersion(Sample("acct_1"), 1), mustGet(t, s, "acct_1")); d != "" {
				t.Errorf("a refused write changed the account (-want +got):\n%s", d)
			}
		})
	}
	t.Run("Get/BadIDIsInvalid", func(t *testing.T) {
		s := newStore(t)
		for _, id := range []account.ID{"", "acct_\x00", "acct_\xff", account.ID(strings.Repeat("a", 12000))} {
			if _, err := s.Get(ctx, id); !errors.Is(err, account.ErrInvalid) {
				t.Errorf("Get(%.20q): err = %v, want ErrInvalid", id, err)
			}
		}
	})
}
