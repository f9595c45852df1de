package examples_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/roles"
	"github.com/shopspring/decimal"
)

// Example_funds sends funds to a connected account and pulls them back
// (A7, A8) through account.Service, in exact decimal arithmetic. It shows
// every reason a move is refused (who is liable, the user's roles, the
// balance, the country) and how a service handles the optimistic
// concurrency of the Store: a write against a stale version changes
// nothing, and the whole call is retried.
func Example_funds() {
	ctx := context.Background()
	store := account.NewMemoryStore()
	// Another replica will write between our read and our write, once.
	racing := &racingStore{Store: store}
	svc := &account.Service{Store: racing, Clock: clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	// In a service these amounts arrive as text: account.ParseMoney checks
	// them. RequireFromString panics on bad input; it suits literals only.
	usd := func(s string) account.Money {
		return account.Money{Amount: decimal.RequireFromString(s), Currency: "usd"}
	}
	_, err := store.CreatePlatform(ctx, account.Platform{Country: "US", ProfileComplete: true,
		Balance: account.Balances{"usd": usd("100.00").Amount}})
	// Custom accounts: the platform is liable for negative balances.
	// Standard: Stripe is.
	for _, a := range []account.Account{account.NewCustom("acct_plumber", "US"),
		account.NewStandard("acct_bakery", "US"), account.NewCustom("acct_toronto", "CA")} {
		if err == nil {
			_, err = store.Create(ctx, a)
		}
	}
	if err != nil {
		fmt.Println("set up:", err)
		return
	}
	admin := roles.User{ID: "user_ada", Roles: roles.NewSet(roles.Admin)}
	developer := roles.User{ID: "user_dev", Roles: roles.NewSet(roles.Developer)}

	// Ten cents three times is exactly thirty cents: no floats anywhere.
	// Every move carries an idempotency key: a retry with the same key
	// (after a timeout, from any replica) moves nothing twice.
	for i := range 3 {
		if _, err := svc.SendFunds(ctx, admin, "acct_plumber", usd("0.10"), account.ToBalance, fmt.Sprintf("send_dime_%d", i)); err != nil {
			fmt.Println("send:", err)
			return
		}
	}
	tr, err := svc.PullFunds(ctx, admin, "acct_plumber", usd("0.05"), "pull_nickel")
	if err != nil {
		fmt.Println("pull:", err)
		return
	}
	fmt.Println("platform", tr.Platform.Balance.Get("usd"), "plumber", tr.Account.Balance.Get("usd"))

	// A refusal is a Decision with every reason, and an error whose
	// errkind is Denied when a role is missing (matching account.ErrDenied
	// and roles.ErrDenied), NotEligible otherwise.
	refused := func(what string, tr account.Transfer, err error) {
		if err == nil {
			fmt.Println(what, "was not refused")
			return
		}
		fmt.Printf("%s: %v: %v (%s)\n", what, errkind.Of(err), tr.Decision.Reasons, tr.Decision.Op.Rule())
	}
	// Sending straight to the bakery's bank account needs the platform to
	// be liable for its negative balances; Stripe is, for a Standard
	// account. Its Stripe balance may receive funds.
	tr, err = svc.SendFunds(ctx, admin, "acct_bakery", usd("1.00"), account.ToExternalAccount, "send_bakery_bank")
	refused("send 1.00 to bakery's bank", tr, err)
	tr, err = svc.SendFunds(ctx, developer, "acct_plumber", usd("500.00"), account.ToBalance, "send_500")
	refused("developer sends 500.00", tr, err)
	tr, err = svc.PullFunds(ctx, admin, "acct_toronto", usd("1.00"), "pull_toronto")
	refused("pull 1.00 from toronto", tr, err)
	tr, err = svc.PullFunds(ctx, admin, "acct_plumber", usd("1.00"), "pull_plumber")
	refused("pull 1.00 from plumber", tr, err)

	// Another replica sends 5.00 to the plumber between our read and our
	// write. Our write then carries stale versions and changes nothing
	// (ErrConflict). Retrying the whole call is safe: it reads and decides
	// again, so a balance the rival emptied would be refused, not overdrawn.
	racing.rival = func() error {
		_, err := (&account.Service{Store: store, Clock: svc.Clock, Policy: svc.Policy}).
			SendFunds(ctx, admin, "acct_plumber", usd("5.00"), account.ToBalance, "rival_send")
		return err
	}
	for attempt := 1; attempt <= 3; attempt++ {
		tr, err = svc.SendFunds(ctx, admin, "acct_plumber", usd("2.50"), account.ToBalance, "send_2_50")
		if !errors.Is(err, account.ErrConflict) {
			break
		}
		fmt.Println("attempt", attempt, "lost a race:", err)
	}
	if err != nil {
		fmt.Println("send:", err)
		return
	}
	fmt.Println("platform", tr.Platform.Balance.Get("usd"), "plumber", tr.Account.Balance.Get("usd"), "version", tr.Account.Version)
	// Output:
	// platform 99.75 usd plumber 0.25 usd
	// send 1.00 to bakery's bank: not_eligible: platform_not_liable,external_account_missing (A7)
	// developer sends 500.00: denied: platform_balance_insufficient (A7)
	// pull 1.00 from toronto: not_eligible: account_not_in_us,account_balance_insufficient (A8)
	// pull 1.00 from plumber: not_eligible: account_balance_insufficient (A8)
	// attempt 1 lost a race: account: send_funds acct_plumber: stale version: platform is at version 6, not 5
	// platform 92.25 usd plumber 7.75 usd version 7
}

// racingStore is an account.Store in which another replica writes first:
// when rival is set, the next Transfer runs it before passing the call on,
// so that the Transfer goes in against versions that are now stale. It
// stands in for a second process sharing the database; it is not safe for
// concurrent use.
type racingStore struct {
	account.Store
	rival func() error
}

func (s *racingStore) Transfer(ctx context.Context, p account.Platform, pv uint64, a account.Account, av uint64, mv account.Move) (account.Platform, account.Account, error) {
	if rival := s.rival; rival != nil {
		s.rival = nil
		if err := rival(); err != nil {
			return account.Platform{}, account.Account{}, err
		}
	}
	return s.Store.Transfer(ctx, p, pv, a, av, mv)
}
