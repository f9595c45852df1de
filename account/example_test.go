package account_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/roles"
	"github.com/shopspring/decimal"
)

func exampleService() *account.Service {
	store := account.NewMemoryStore()
	ctx := context.Background()
	_, _ = store.CreatePlatform(ctx, account.Platform{Country: "US", ProfileComplete: true,
		Balance: account.Balances{"usd": decimal.RequireFromString("500.00")}})
	return &account.Service{Store: store, Clock: clocktest.New(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC))}
}

// Creating accounts in the Dashboard (A3): Express and Standard accounts
// get a one-time onboarding link, accounts without a dashboard are created
// at once, and platforms in France cannot create accounts here.
func ExampleService_Create() {
	svc := exampleService()
	ctx := context.Background()
	developer := roles.User{ID: "user_dev", Roles: roles.NewSet(roles.Developer)}

	_, d, _ := svc.Create(ctx, developer, account.NewExpress("acct_express", "US"))
	fmt.Println(d, "- onboarding link:", d.NeedsOnboardingLink)
	_, d, _ = svc.Create(ctx, developer, account.NewCustom("acct_custom", "US"))
	fmt.Println(d, "- onboarding link:", d.NeedsOnboardingLink)

	france := account.Platform{Country: "FR", ProfileComplete: true}
	d = account.CanCreate(roles.Default(), roles.NewSet(roles.Analyst), france, account.NewStandard("acct_fr", "FR"))
	fmt.Println(d.Role.Reason.Code(), d.Role.Rule())
	for r := range d.Reasons.All() {
		fmt.Println(r.Code(), r.Rule())
	}
	// Output:
	// create allowed (A3) - onboarding link: true
	// create allowed (A3) - onboarding link: false
	// role_not_permitted A3
	// platform_in_france A3
}

// Removing an account (A6) is possible only with full Dashboard access, and
// is permanent: every later operation is refused with ErrRemoved.
func ExampleService_Remove() {
	svc := exampleService()
	ctx := context.Background()
	admin := roles.User{ID: "user_ada", Roles: roles.NewSet(roles.Admin)}
	_, _ = svc.Store.Create(ctx, account.NewStandard("acct_std", "US"))
	_, _ = svc.Store.Create(ctx, account.NewExpress("acct_exp", "US"))

	_, d, _ := svc.Remove(ctx, admin, "acct_exp")
	fmt.Println(d)
	a, _, err := svc.Remove(ctx, admin, "acct_std")
	fmt.Println(a, err)
	fmt.Println("removed by", a.RemovedBy, "at", a.RemovedAt.Format(time.RFC3339))
	_, err = svc.ViewAs(ctx, admin, "acct_std")
	fmt.Println(errors.Is(err, account.ErrRemoved))
	// Output:
	// remove denied: only accounts with full Dashboard access can be removed (A6)
	// account acct_std (US, full dashboard, stored version 2) removed <nil>
	// removed by user_ada at 2025-03-03T09:00:00Z
	// true
}

// Sending (A7) and pulling (A8) funds move money exactly between the
// platform balance and the account balance, in one conditional write.
func ExampleService_SendFunds() {
	svc := exampleService()
	ctx := context.Background()
	admin := roles.User{ID: "user_ada", Roles: roles.NewSet(roles.Admin)}
	_, _ = svc.Store.Create(ctx, account.NewCustom("acct_1", "US"))

	amount, _ := account.ParseMoney("0.10", "usd")
	for i := range 3 {
		// Each move has its own idempotency key; retrying a call with
		// the same key would move nothing twice.
		_, _ = svc.SendFunds(ctx, admin, "acct_1", amount, account.ToBalance, fmt.Sprintf("send_%d", i))
	}
	retry, _ := svc.SendFunds(ctx, admin, "acct_1", amount, account.ToBalance, "send_2") // a retry: no second move
	fmt.Println("replayed", retry.Replayed)
	r, _ := svc.Store.GetReceipt(ctx, "send_2") // the audit trail: who moved what, when
	fmt.Println(r.Move.CreatedBy, r.Move.Money, r.Move.At.Format(time.RFC3339))
	tr, _ := svc.PullFunds(ctx, admin, "acct_1", amount, "pull_1")
	fmt.Println("platform", tr.Platform.Balance.Get("usd"), "account", tr.Account.Balance.Get("usd"))

	// Straight to the account's bank account: the account's balance does
	// not change, and the platform must be liable for it (A7).
	tr, _ = svc.SendFunds(ctx, admin, "acct_1", amount, account.ToExternalAccount, "send_bank")
	fmt.Println(tr.Decision.Reasons)

	tr, err := svc.SendFunds(ctx, roles.User{ID: "user_dev", Roles: roles.NewSet(roles.Developer)}, "acct_1", account.Money{Amount: decimal.RequireFromString("900"), Currency: "usd"}, account.ToBalance, "send_3")
	fmt.Println(tr.Decision.Role.Allowed, tr.Decision.Reasons, errors.Is(err, roles.ErrDenied))
	// Output:
	// replayed true
	// user_ada 0.10 usd 2025-03-03T09:00:00Z
	// platform 499.80 usd account 0.20 usd
	// external_account_missing
	// false platform_balance_insufficient true
}

// Editing account information and payout schedules (A9) is allowed only
// where the platform collects the account's requirements.
func ExampleCanEditPayoutSchedule() {
	pol, support := roles.Default(), roles.NewSet(roles.SupportAssociate)
	fmt.Println(account.CanEditPayoutSchedule(pol, support, account.NewCustom("acct_c", "US")))
	fmt.Println(account.CanEditAccountInformation(pol, support, account.NewExpress("acct_e", "US")))
	// Output:
	// edit_payout_schedule allowed (A9)
	// edit_account_information denied: the platform does not collect the account's requirements (A9)
}

// Support cases (A5) are shown from the last 90 days, for accounts with a
// Stripe Dashboard, except the three exclusions.
func ExampleVisibleSupportCases() {
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	cases := []account.SupportCase{
		{ID: "case_old", Opened: now.AddDate(0, 0, -91)},
		{ID: "case_new", Opened: now.AddDate(0, 0, -3)},
	}
	admin := roles.NewSet(roles.Admin)
	shown, _ := account.VisibleSupportCases(roles.Default(), admin, account.NewStandard("acct_1", "US"), cases, now)
	fmt.Println(shown[0].ID, len(shown))

	other := account.NewExpress("acct_2", "US")
	other.IsPlatform, other.OptedOutOfCaseSharing = true, true
	_, d := account.VisibleSupportCases(roles.Default(), admin, other, cases, now)
	fmt.Println(d.Reasons)
	// Output:
	// case_new 1
	// account_is_platform,opted_out_of_case_sharing
}

// Inactivity (A4): after 540 days without activity some verifications are
// put on hold; exactly 540 days is not yet a hold.
func ExampleInactivityHold() {
	last := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	a := account.NewStandard("acct_1", "US")
	a.LastActivity = last
	fmt.Println(account.InactivityHold(a, last.Add(account.InactivityPeriod)).OnHold)
	fmt.Println(account.InactivityHold(a, last.Add(account.InactivityPeriod+time.Second)).OnHold)
	// Output:
	// false
	// true
}

// "View Dashboard as" (A10) is exact only for full-Dashboard accounts.
func ExampleViewAs() {
	analyst := roles.NewSet(roles.Analyst)
	for _, a := range []account.Account{account.NewStandard("acct_s", "US"), account.NewExpress("acct_e", "US")} {
		d := account.ViewAs(roles.Default(), analyst, a)
		fmt.Println(a.Dashboard, d.Allowed, d.Exact)
	}
	// Output:
	// full true true
	// express true false
}

// The Store's conditional update: a write against a stale version is
// refused with ErrConflict and changes nothing.
func ExampleMemoryStore() {
	ctx := context.Background()
	s := account.NewMemoryStore()
	a, _ := s.Create(ctx, account.NewCustom("acct_1", "US"))
	a.Email = account.NewEmail("first@example.com")
	_, err := s.Update(ctx, a, a.Version)
	fmt.Println(err)
	a.Email = account.NewEmail("second@example.com")
	_, err = s.Update(ctx, a, a.Version) // still version 1: stale
	fmt.Println(errors.Is(err, account.ErrConflict))
	got, _ := s.Get(ctx, "acct_1")
	fmt.Println(got.Email.Address(), got.Version)
	// Output:
	// <nil>
	// true
	// first@example.com 2
}

// The representative's date of birth and SSN digits never appear in
// formatted output.
func ExampleRepresentative() {
	r := account.NewRepresentative("Jane Doe", account.Date{Year: 1984, Month: 7, Day: 2}, "6789")
	fmt.Printf("%v\n%+v\n", r, r)
	// Output:
	// Representative(J*** D**, dob ****-**-**, ssn ••••)
	// Representative(J*** D**, dob ****-**-**, ssn ••••)
}
