package links_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

// Fixed instants the tables step through.
var (
	t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Minute)
	t2 = t0.Add(links.DefaultAccountLinkTTL - time.Nanosecond)
	t3 = t0.Add(links.DefaultAccountLinkTTL)
)

var ctx = context.Background()

// custom is a Custom-style account (A2): no dashboard, the platform
// collects and is liable, with everything L8 needs.
func custom() account.Account {
	return account.Account{
		ID:                       "acct_custom",
		Country:                  "US",
		Dashboard:                account.DashboardNone,
		RequirementCollection:    account.PartyApplication,
		NegativeBalanceLiability: account.PartyApplication,
		Representative:           account.NewRepresentative("Jenny Rosen", account.Date{Year: 1990, Month: time.January, Day: 2}, "0000"),
		HasExternalAccount:       true,
		OwnerConfirmed:           true,
	}
}

// standard is a Standard-style account (A2): full dashboard, Stripe
// collects and is liable.
func standard() account.Account {
	a := custom()
	a.ID = "acct_standard"
	a.Dashboard = account.DashboardFull
	a.RequirementCollection = account.PartyStripe
	a.NegativeBalanceLiability = account.PartyStripe
	return a
}

// express is an Express-style account (A2).
func express() account.Account {
	a := custom()
	a.ID = "acct_express"
	a.Dashboard = account.DashboardExpress
	a.RequirementCollection = account.PartyStripe
	return a
}

func onboarding(live bool) links.AccountLinkParams {
	return links.AccountLinkParams{
		Type:       links.TypeOnboarding,
		RefreshURL: "https://platform.example/refresh",
		ReturnURL:  "https://platform.example/return",
		Live:       live,
	}
}

// seeded returns a deterministic random source for tokens and IDs.
func seeded(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return rand.NewChaCha8(s)
}

// reqsByAccount is a RequirementsSource over a map.
type reqsByAccount map[account.ID]requirements.Set

func (m reqsByAccount) Requirements(_ context.Context, id account.ID) (requirements.Set, error) {
	return m[id], nil
}

// knownAccounts is an AccountSource: an account put there is returned as
// put; custom, standard and express are known by their IDs; any other ID
// is a bare account. None is removed, except those in removed.
type knownAccounts struct {
	mu      sync.Mutex
	removed map[account.ID]bool
	put     map[account.ID]account.Account
}

func (k *knownAccounts) Get(_ context.Context, id account.ID) (account.Account, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	a, ok := k.put[id]
	if !ok {
		a = account.Account{ID: id}
		for _, f := range []account.Account{custom(), standard(), express()} {
			if f.ID == id {
				a = f
			}
		}
	}
	a.Removed = a.Removed || k.removed[id]
	return a, nil
}

// set makes a the account's current state.
func (k *knownAccounts) set(a account.Account) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.put == nil {
		k.put = map[account.ID]account.Account{}
	}
	k.put[a.ID] = a
}

// accountsOf returns s's knownAccounts.
func accountsOf(t testing.TB, s *links.Service) *knownAccounts {
	t.Helper()
	k, ok := s.Accounts.(*knownAccounts)
	if !ok {
		t.Fatalf("the service's AccountSource is a %T", s.Accounts)
	}
	return k
}

func newService(t testing.TB) (*links.Service, *clocktest.Fake) {
	t.Helper()
	c := clocktest.New(t0)
	return &links.Service{Store: links.NewMemoryStore(), Accounts: &knownAccounts{}, Clock: c, Rand: seeded(1)}, c
}

func mustSet(t testing.TB, es ...requirements.Entry) requirements.Set {
	t.Helper()
	s, err := requirements.NewSet(es...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	owner   = roles.User{ID: "usr_owner"}
	admin   = roles.User{ID: "usr_admin", Roles: roles.NewSet(roles.Admin)}
	analyst = roles.User{ID: "usr_coa", Roles: roles.NewSet(roles.ConnectOnboardingAnalyst)}
	viewer  = roles.User{ID: "usr_view", Roles: roles.NewSet(roles.ViewOnly)}
)
