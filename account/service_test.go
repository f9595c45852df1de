package account_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/roles"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// keys hands out distinct idempotency keys, one per funds move a test
// makes; a test that retries a move passes the same key again itself.
var keys atomic.Int64

func newKey() string { return fmt.Sprintf("key_%d", keys.Add(1)) }

var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

type fataler interface {
	Helper()
	Fatal(args ...any)
}

func newService(t fataler, p account.Platform, accts ...account.Account) *account.Service {
	t.Helper()
	s := account.NewMemoryStore()
	ctx := context.Background()
	if _, err := s.CreatePlatform(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, a := range accts {
		if _, err := s.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	return &account.Service{Store: s, Clock: clocktest.New(t0)}
}

func TestService_A3_Create(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, usPlatform())
	got, d, err := svc.Create(ctx, as(dev), account.NewExpress("acct_1", "US"))
	if err != nil || !d.NeedsOnboardingLink || got.Version != 1 || !got.LastActivity.Equal(t0) {
		t.Fatalf("Create express: %v %v %+v", err, d, got)
	}
	if _, _, err := svc.Create(ctx, as(dev), account.NewExpress("acct_1", "US")); !errors.Is(err, account.ErrExists) {
		t.Errorf("Create twice: %v, want ErrExists", err)
	}
	if _, _, err := svc.Create(ctx, as(viewer), account.NewCustom("acct_2", "US")); !errors.Is(err, account.ErrDenied) || !errors.Is(err, roles.ErrDenied) {
		t.Errorf("Create as View Only: %v, want ErrDenied and roles.ErrDenied", err)
	}
	if _, _, err := svc.Create(ctx, as(admin), account.NewCustom("acct_3", "usa")); !errors.Is(err, account.ErrInvalid) {
		t.Errorf("Create invalid: %v, want ErrInvalid", err)
	}
	if _, err := svc.Store.Get(ctx, "acct_2"); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("a refused Create wrote: %v", err)
	}
}

func TestService_A6_RemovedAccountRefusesEveryOperation(t *testing.T) {
	ctx := context.Background()
	a := custom("acct_1")
	a.Dashboard = account.DashboardFull
	a.PayoutSchedule = account.PayoutSchedule{Interval: account.PayoutDaily}
	// Platform-controlled settings are lost on removal (A6): the payout
	// schedule and the embedded components.
	a.Components = account.Components{Onboarding: true, NotificationBanner: true}
	svc := newService(t, usPlatform(), a)
	all := roles.NewSet(roles.Owner, roles.Admin, roles.SupportCommunications)
	removed, _, err := svc.Remove(ctx, as(all), "acct_1")
	if err != nil || !removed.Removed || removed.PayoutSchedule != (account.PayoutSchedule{}) || removed.Components != (account.Components{}) {
		t.Fatalf("Remove: %v %+v", err, removed)
	}
	if stored, _ := svc.Store.Get(ctx, "acct_1"); stored.Components != (account.Components{}) || stored.PayoutSchedule != (account.PayoutSchedule{}) {
		t.Fatalf("stored after Remove: components %+v, schedule %+v, want both cleared", stored.Components, stored.PayoutSchedule)
	}
	_, _, errRemove := svc.Remove(ctx, as(all), "acct_1")
	_, errSend := svc.SendFunds(ctx, as(all), "acct_1", usd("1"), account.ToBalance, newKey())
	_, errPull := svc.PullFunds(ctx, as(all), "acct_1", usd("1"), newKey())
	_, _, errInfo := svc.EditAccountInformation(ctx, as(all), "acct_1", account.Info{Email: account.NewEmail("x@example.com")})
	_, _, errSched := svc.EditPayoutSchedule(ctx, as(all), "acct_1", account.PayoutSchedule{Interval: account.PayoutManual})
	_, _, errCases := svc.SupportCases(ctx, as(all), "acct_1", nil)
	_, errView := svc.ViewAs(ctx, as(all), "acct_1")
	_, errHold := svc.InactivityHold(ctx, "acct_1")
	_, errActivity := svc.RecordActivity(ctx, "acct_1")
	for name, err := range map[string]error{"Remove": errRemove, "SendFunds": errSend, "PullFunds": errPull,
		"EditAccountInformation": errInfo, "EditPayoutSchedule": errSched, "SupportCases": errCases,
		"ViewAs": errView, "InactivityHold": errHold, "RecordActivity": errActivity} {
		if !errors.Is(err, account.ErrRemoved) {
			t.Errorf("%s after removal: err = %v, want ErrRemoved", name, err)
		}
	}
	after, _ := svc.Store.Get(ctx, "acct_1")
	if diff := cmp.Diff(removed, after, decimalEqual); diff != "" {
		t.Errorf("a refused operation wrote (-removed +after):\n%s", diff)
	}
}

func TestService_A7_A8_MovesFundsExactly(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, usPlatform(), custom("acct_1"))
	tr, err := svc.SendFunds(ctx, as(admin), "acct_1", usd("0.10"), account.ToBalance, newKey())
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if tr, err = svc.SendFunds(ctx, as(admin), "acct_1", usd("0.10"), account.ToBalance, newKey()); err != nil {
			t.Fatal(err)
		}
	}
	p, a := tr.Platform, tr.Account
	if !p.Balance.Get("usd").Amount.Equal(decimal.RequireFromString("99.70")) || !a.Balance.Get("usd").Amount.Equal(decimal.RequireFromString("50.30")) {
		t.Errorf("after 3 × 0.10: platform %v account %v, want 99.70 50.30", p.Balance.Get("usd").Amount, a.Balance.Get("usd").Amount)
	}
	if tr, err = svc.PullFunds(ctx, as(admin), "acct_1", usd("50.30"), newKey()); err != nil {
		t.Fatal(err)
	}
	p, a = tr.Platform, tr.Account
	if !p.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(150)) || !a.Balance.Get("usd").Amount.IsZero() {
		t.Errorf("after pulling all: platform %v account %v", p.Balance.Get("usd").Amount, a.Balance.Get("usd").Amount)
	}
	if tr, err := svc.PullFunds(ctx, as(admin), "acct_1", usd("0.01"), newKey()); !errors.Is(err, account.ErrNotEligible) || !tr.Decision.Reasons.Has(account.ReasonAccountBalanceInsufficient) {
		t.Errorf("pull from empty balance: %v %v", tr.Decision, err)
	}
}

func TestService_A9_Edits(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, usPlatform(), custom("acct_1"), account.NewExpress("acct_2", "US"))
	info := account.Info{BusinessName: "Jam Co", Email: account.NewEmail("ops@jam.example"),
		Representative: account.NewRepresentative("Ann Lee", account.Date{Year: 1990, Month: 1, Day: 2}, "0000")}
	got, _, err := svc.EditAccountInformation(ctx, as(dev), "acct_1", info)
	if err != nil || !got.Email.Equal(info.Email) || !got.Representative.Equal(info.Representative) || got.Version != 2 {
		t.Fatalf("EditAccountInformation: %v %+v", err, got)
	}
	sched := account.PayoutSchedule{Interval: account.PayoutMonthly, MonthlyAnchor: 15}
	if got, _, err = svc.EditPayoutSchedule(ctx, as(dev), "acct_1", sched); err != nil || got.PayoutSchedule != sched {
		t.Fatalf("EditPayoutSchedule: %v %+v", err, got)
	}
	if _, _, err := svc.EditPayoutSchedule(ctx, as(dev), "acct_1", account.PayoutSchedule{Interval: "hourly"}); !errors.Is(err, account.ErrInvalid) {
		t.Errorf("bad schedule: %v", err)
	}
	if _, d, err := svc.EditPayoutSchedule(ctx, as(admin), "acct_2", sched); !errors.Is(err, account.ErrNotEligible) || !d.Reasons.Has(account.ReasonPlatformDoesNotCollect) {
		t.Errorf("express account: %v %v", d, err)
	}
}

func TestService_A4_A5_A10_ReadOnly(t *testing.T) {
	ctx := context.Background()
	full := account.NewStandard("acct_1", "US")
	full.LastActivity = t0.Add(-541 * 24 * time.Hour)
	svc := newService(t, usPlatform(), full)
	if in, err := svc.InactivityHold(ctx, "acct_1"); err != nil || !in.OnHold {
		t.Errorf("InactivityHold: %+v %v", in, err)
	}
	if _, err := svc.RecordActivity(ctx, "acct_1"); err != nil {
		t.Fatal(err)
	}
	if in, _ := svc.InactivityHold(ctx, "acct_1"); in.OnHold {
		t.Errorf("still on hold after activity: %+v", in)
	}
	cases, _, err := svc.SupportCases(ctx, as(admin), "acct_1", []account.SupportCase{{ID: "old", Opened: t0.Add(-100 * 24 * time.Hour)}, {ID: "new", Opened: t0}})
	if err != nil || len(cases) != 1 || cases[0].ID != "new" {
		t.Errorf("SupportCases: %v %v", cases, err)
	}
	if d, err := svc.ViewAs(ctx, as(viewer), "acct_1"); err != nil || !d.Exact {
		t.Errorf("ViewAs: %v %v", d, err)
	}
	if _, err := svc.ViewAs(ctx, as(viewer), "acct_missing"); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("ViewAs missing: %v", err)
	}
	var zero account.Service
	if _, err := zero.ViewAs(ctx, as(viewer), "acct_1"); !errors.Is(err, account.ErrNoStore) || errkind.Of(err) != errkind.InvalidInput {
		t.Errorf("zero Service: %v, want ErrNoStore (invalid input)", err)
	}
}

// racingStore lets another writer in between every read and write.
type racingStore struct{ *account.MemoryStore }

func (s racingStore) Get(ctx context.Context, id account.ID) (account.Account, error) {
	a, err := s.MemoryStore.Get(ctx, id)
	if err == nil {
		_, _ = s.MemoryStore.Update(ctx, a, a.Version) // someone else writes first
	}
	return a, err
}

// Design principle 3: every store write is conditional, so a Service that
// loses a race writes nothing.
func TestService_LostRaceIsConflictAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	mem := account.NewMemoryStore()
	_, _ = mem.CreatePlatform(ctx, usPlatform())
	_, _ = mem.Create(ctx, custom("acct_1"))
	svc := &account.Service{Store: racingStore{mem}, Clock: clocktest.New(t0)}
	key := newKey()
	if _, err := svc.SendFunds(ctx, as(admin), "acct_1", usd("1"), account.ToBalance, key); !errors.Is(err, account.ErrConflict) {
		t.Fatalf("SendFunds lost race: %v, want ErrConflict", err)
	}
	_, err := svc.SendFunds(ctx, as(admin), "acct_1", usd("1"), account.ToBalance, key) // a retry: nothing was recorded
	if msg := err.Error(); !strings.HasPrefix(msg, "account: send_funds acct_1: ") || strings.Count(msg, "account: ") != 1 {
		t.Errorf("error %q should name the operation and carry the package prefix once", msg)
	}
	p, _ := mem.GetPlatform(ctx)
	a, _ := mem.Get(ctx, "acct_1")
	if !p.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(100)) || !a.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(50)) {
		t.Errorf("lost race moved money: platform %v account %v", p.Balance, a.Balance)
	}
}

// ---- properties ----

var heldGen = rapid.Custom(func(t *rapid.T) roles.Set {
	return roles.NewSet(rapid.SliceOfN(rapid.SampledFrom([]roles.Role{roles.Owner, roles.Admin, roles.Developer,
		roles.ViewOnly, roles.SupportCommunications, roles.SupportAssociate}), 0, 2).Draw(t, "roles")...)
})

func accountGen(id account.ID) *rapid.Generator[account.Account] {
	return rapid.Custom(func(t *rapid.T) account.Account {
		a := account.Account{ID: id,
			Country:                     rapid.SampledFrom([]string{"US", "CA", "FR"}).Draw(t, "country"),
			Dashboard:                   rapid.SampledFrom([]account.DashboardAccess{account.DashboardFull, account.DashboardExpress, account.DashboardNone}).Draw(t, "dashboard"),
			RequirementCollection:       rapid.SampledFrom([]account.Party{account.PartyStripe, account.PartyApplication}).Draw(t, "collection"),
			NegativeBalanceLiability:    rapid.SampledFrom([]account.Party{account.PartyStripe, account.PartyApplication}).Draw(t, "liability"),
			ConnectedToSeveralPlatforms: rapid.Bool().Draw(t, "several"),
			IsPlatform:                  rapid.Bool().Draw(t, "isPlatform"),
			OptedOutOfCaseSharing:       rapid.Bool().Draw(t, "optedOut"),
			Removed:                     rapid.Bool().Draw(t, "removed"),
			LastActivity:                t0,
		}
		a.Balance = account.Balances{"usd": decimal.New(rapid.Int64Range(0, 10000).Draw(t, "accountCents"), -2)}
		return a
	})
}

var platformGen = rapid.Custom(func(t *rapid.T) account.Platform {
	return account.Platform{
		Country:         rapid.SampledFrom([]string{"US", "FR", "GB"}).Draw(t, "platformCountry"),
		ProfileComplete: rapid.Bool().Draw(t, "profileComplete"),
		Balance:         account.Balances{"usd": decimal.New(rapid.Int64Range(0, 10000).Draw(t, "platformCents"), -2)},
	}
})

var moneyGen = rapid.Custom(func(t *rapid.T) account.Money {
	return account.Money{
		Amount:   decimal.New(rapid.Int64Range(-100, 12000).Draw(t, "cents"), rapid.Int32Range(-3, -2).Draw(t, "exp")),
		Currency: rapid.SampledFrom([]string{"usd", "usd", "usd", "eur", "xyz"}).Draw(t, "currency"),
	}
})

func total(t *rapid.T, s *account.Service) decimal.Decimal {
	p, err := s.Store.GetPlatform(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Store.Get(context.Background(), "acct_1")
	if err != nil {
		t.Fatal(err)
	}
	return p.Balance.Get("usd").Amount.Add(a.Balance.Get("usd").Amount)
}

func TestProperty_A7_A8_MoneyIsConserved(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		svc := newService(t, platformGen.Draw(t, "platform"), accountGen("acct_1").Draw(t, "account"))
		before := total(t, svc)
		steps := rapid.IntRange(1, 8).Draw(t, "steps")
		for range steps {
			held := heldGen.Draw(t, "held")
			m := moneyGen.Draw(t, "money")
			// Keys are drawn, from fewer than the steps, so that retries
			// and reuses happen and every failure replays.
			key := fmt.Sprintf("key_%d", rapid.IntRange(0, steps-1).Draw(t, "key"))
			if rapid.Bool().Draw(t, "pull") {
				_, _ = svc.PullFunds(context.Background(), as(held), "acct_1", m, key)
			} else {
				_, _ = svc.SendFunds(context.Background(), as(held), "acct_1", m, account.ToBalance, key)
			}
			if after := total(t, svc); !after.Equal(before) {
				t.Fatalf("platform + account balance went from %v to %v", before, after)
			}
			p, _ := svc.Store.GetPlatform(context.Background())
			a, _ := svc.Store.Get(context.Background(), "acct_1")
			if p.Balance.Get("usd").Amount.Sign() < 0 || a.Balance.Get("usd").Amount.Sign() < 0 {
				t.Fatalf("a balance went negative: platform %v account %v", p.Balance, a.Balance)
			}
		}
	})
}

// caseKey is the idempotency key of the one funds move a property case
// makes (each case has a fresh store, so the key is never reused).
const caseKey = "key_case"

type op struct {
	name   string
	decide func(held roles.Set, p account.Platform, a account.Account, m account.Money) account.Decision
	apply  func(s *account.Service, held roles.Set, m account.Money) (account.Decision, error)
}

var ops = []op{
	{"Remove", func(h roles.Set, _ account.Platform, a account.Account, _ account.Money) account.Decision {
		return account.CanRemove(pol, h, a)
	}, func(s *account.Service, h roles.Set, _ account.Money) (account.Decision, error) {
		_, d, err := s.Remove(context.Background(), as(h), "acct_1")
		return d, err
	}},
	{"SendFunds", func(h roles.Set, p account.Platform, a account.Account, m account.Money) account.Decision {
		return account.CanSendFunds(pol, h, p, a, m, account.ToBalance)
	}, func(s *account.Service, h roles.Set, m account.Money) (account.Decision, error) {
		tr, err := s.SendFunds(context.Background(), as(h), "acct_1", m, account.ToBalance, caseKey)
		return tr.Decision, err
	}},
	{"PullFunds", func(h roles.Set, p account.Platform, a account.Account, m account.Money) account.Decision {
		return account.CanPullFunds(pol, h, p, a, m)
	}, func(s *account.Service, h roles.Set, m account.Money) (account.Decision, error) {
		tr, err := s.PullFunds(context.Background(), as(h), "acct_1", m, caseKey)
		return tr.Decision, err
	}},
	{"EditAccountInformation", func(h roles.Set, _ account.Platform, a account.Account, _ account.Money) account.Decision {
		return account.CanEditAccountInformation(pol, h, a)
	}, func(s *account.Service, h roles.Set, _ account.Money) (account.Decision, error) {
		_, d, err := s.EditAccountInformation(context.Background(), as(h), "acct_1", account.Info{Email: account.NewEmail("new@example.com")})
		return d, err
	}},
	{"EditPayoutSchedule", func(h roles.Set, _ account.Platform, a account.Account, _ account.Money) account.Decision {
		return account.CanEditPayoutSchedule(pol, h, a)
	}, func(s *account.Service, h roles.Set, _ account.Money) (account.Decision, error) {
		_, d, err := s.EditPayoutSchedule(context.Background(), as(h), "acct_1", account.PayoutSchedule{Interval: account.PayoutDaily})
		return d, err
	}},
	{"ViewSupportCases", func(h roles.Set, _ account.Platform, a account.Account, _ account.Money) account.Decision {
		return account.CanViewSupportCases(pol, h, a)
	}, func(s *account.Service, h roles.Set, _ account.Money) (account.Decision, error) {
		_, d, err := s.SupportCases(context.Background(), as(h), "acct_1", nil)
		return d, err
	}},
	{"ViewAs", func(h roles.Set, _ account.Platform, a account.Account, _ account.Money) account.Decision {
		return account.ViewAs(pol, h, a)
	}, func(s *account.Service, h roles.Set, _ account.Money) (account.Decision, error) {
		return s.ViewAs(context.Background(), as(h), "acct_1")
	}},
}

func TestProperty_DecisionAndServiceAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := platformGen.Draw(t, "platform")
		a := accountGen("acct_1").Draw(t, "account")
		o := rapid.SampledFrom(ops).Draw(t, "op")
		held := heldGen.Draw(t, "held")
		m := moneyGen.Draw(t, "money")
		svc := newService(t, p, a)
		storedP, _ := svc.Store.GetPlatform(context.Background())
		storedA, _ := svc.Store.Get(context.Background(), "acct_1")
		want := o.decide(held, storedP, storedA, m)
		got, err := o.apply(svc, held, m)
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(roles.Decision{})); diff != "" {
			t.Fatalf("%s: service decision differs (-pure +service):\n%s", o.name, diff)
		}
		if (err == nil) != want.Allowed {
			t.Fatalf("%s: decision allowed=%v but service err=%v", o.name, want.Allowed, err)
		}
		afterP, _ := svc.Store.GetPlatform(context.Background())
		afterA, _ := svc.Store.Get(context.Background(), "acct_1")
		if !want.Allowed && (afterA.Version != storedA.Version || afterP.Version != storedP.Version) {
			t.Fatalf("%s: refused but wrote", o.name)
		}
		if a.Removed && (want.Allowed || !errors.Is(err, account.ErrRemoved)) {
			t.Fatalf("%s on removed account: allowed=%v err=%v, want ErrRemoved", o.name, want.Allowed, err)
		}
	})
}

func TestProperty_A6_NoOperationSucceedsOnRemovedAccount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := platformGen.Draw(t, "platform")
		a := accountGen("acct_1").Draw(t, "account")
		a.Removed = true
		all := roles.NewSet(roles.Owner, roles.Admin, roles.Developer, roles.SupportCommunications)
		held := rapid.SampledFrom([]roles.Set{all, heldGen.Draw(t, "held")}).Draw(t, "which")
		m := moneyGen.Draw(t, "money")
		svc := newService(t, p, a)
		for _, o := range ops {
			if d := o.decide(held, p, a, m); d.Allowed {
				t.Fatalf("%s decided allowed on a removed account", o.name)
			}
			if _, err := o.apply(svc, held, m); !errors.Is(err, account.ErrRemoved) {
				t.Fatalf("%s on a removed account: err = %v, want ErrRemoved", o.name, err)
			}
		}
		if after, _ := svc.Store.Get(context.Background(), "acct_1"); after.Version != 1 {
			t.Fatalf("a removed account was written: version %d", after.Version)
		}
	})
}

// Design principle 5: a Service without a Policy follows the published
// rules; one with a Policy follows that policy instead.
func TestService_NilPolicyIsDefaultCustomPolicyIsObeyed(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, usPlatform(), custom("acct_1"))
	if tr, err := svc.SendFunds(ctx, as(admin), "acct_1", usd("1"), account.ToBalance, newKey()); err != nil || !tr.Decision.Allowed {
		t.Fatalf("nil Policy: Administrator sending funds: %v, %v; want allowed (A7, P2)", tr.Decision, err)
	}
	ownerOnly, err := roles.NewPolicy([]roles.Grant{{Action: roles.SendFunds, Roles: roles.NewSet(roles.Owner)}})
	if err != nil {
		t.Fatal(err)
	}
	svc.Policy = &ownerOnly
	tr, err := svc.SendFunds(ctx, as(admin), "acct_1", usd("1"), account.ToBalance, newKey())
	if d := tr.Decision; d.Allowed || !errors.Is(err, roles.ErrDenied) {
		t.Fatalf("owner-only Policy: Administrator sending funds: %v, %v; want denied", d, err)
	}
}

// Seed 003, "Send funds": funds come from the platform's balance; a send
// to the account's Stripe balance needs no liability, a send straight to
// its bank account or debit card does, and leaves its Stripe balance as it
// was. A retry must name the same destination.
func TestService_A7_SendDestinations(t *testing.T) {
	ctx := context.Background()
	std := account.NewStandard("acct_std", "US")
	std.HasExternalAccount = true
	bank := custom("acct_1")
	bank.HasExternalAccount = true
	svc := newService(t, usPlatform(), std, bank)

	tr, err := svc.SendFunds(ctx, as(admin), "acct_std", usd("10"), account.ToBalance, "k_std")
	if err != nil || !tr.Account.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(10)) {
		t.Fatalf("send to a Standard account's balance: %v, %v", tr.Decision, err)
	}
	tr, err = svc.SendFunds(ctx, as(admin), "acct_std", usd("10"), account.ToExternalAccount, "k_std_bank")
	if !errors.Is(err, account.ErrNotEligible) || !tr.Decision.Reasons.Has(account.ReasonPlatformNotLiable) {
		t.Fatalf("send to a Standard account's bank: %v, %v; want platform_not_liable", tr.Decision, err)
	}
	tr, err = svc.SendFunds(ctx, as(admin), "acct_1", usd("5"), account.ToExternalAccount, "k_bank")
	if err != nil {
		t.Fatalf("send to a Custom account's bank: %v", err)
	}
	if !tr.Account.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(50)) || !tr.Platform.Balance.Get("usd").Amount.Equal(decimal.NewFromInt(85)) {
		t.Errorf("after 10 to a balance and 5 to a bank: platform %v account %v, want 85 and 50 (unchanged)",
			tr.Platform.Balance.Get("usd"), tr.Account.Balance.Get("usd"))
	}
	if _, err := svc.SendFunds(ctx, as(admin), "acct_1", usd("5"), account.ToBalance, "k_bank"); !errors.Is(err, account.ErrKeyReused) {
		t.Errorf("the same key to another destination: %v, want ErrKeyReused", err)
	}
	if r, err := svc.Store.GetReceipt(ctx, "k_bank"); err != nil || r.Move.To != account.ToExternalAccount || !r.Move.At.Equal(t0) {
		t.Errorf("receipt: %+v, %v; want To external_account, At the clock's now", r.Move, err)
	}
}
func as(held roles.Set) roles.User { return roles.User{ID: "user_test", Roles: held} }
