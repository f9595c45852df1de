package relink_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

var (
	t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
)

const day = 24 * time.Hour

var (
	dashboardAsk = relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}}
	emailAsk     = relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail}
	urlAsk       = relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryURL}
	apiAsk       = relink.Ask{Method: relink.MethodAPI}
	allAsks      = map[string]relink.Ask{"dashboard": dashboardAsk, "hosted_email": emailAsk, "hosted_url": urlAsk, "api": apiAsk}
)

// inactive returns a live, inactive account held by a customer with an
// email: eligible for every method.
func inactive() relink.Account {
	return relink.Account{
		ID:          "fca_1",
		Livemode:    true,
		Status:      relink.AccountInactive,
		Inactive:    relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired},
		Holder:      relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "jenny@example.com"},
		Permissions: []relink.Permission{relink.PermissionPaymentMethod},
	}
}

// activeWithTAN returns a live, active account whose only TAN expires at
// expiry.
func activeWithTAN(expiry time.Time) relink.Account {
	a := inactive()
	a.Status, a.Inactive = relink.AccountActive, relink.InactiveDetails{}
	a.AccountNumbers = []relink.AccountNumber{{
		IdentifierType: relink.IdentifierTokenizedNumber,
		Status:         relink.NumberTransactable,
		ExpectedExpiry: relink.TimestampOf(expiry),
	}}
	return a
}

func check(acct relink.Account, ask relink.Ask, lim relink.Limit, now time.Time) relink.Decision {
	return relink.CanRequest(roles.Default(), ask, acct, lim, nil, now)
}

func wantReasons(t *testing.T, d relink.Decision, want ...relink.Reason) {
	t.Helper()
	if d.Reasons != relink.ReasonsOf(want...) || d.Allowed != (len(want) == 0) {
		t.Errorf("decision %v: allowed=%v reasons=%v, want %v", d, d.Allowed, d.Reasons, relink.ReasonsOf(want...))
	}
}

func TestEligibility_K2_TANExpiringWithin30Days(t *testing.T) {
	for _, tc := range []struct {
		name   string
		expiry time.Duration // from t0
		want   []relink.Reason
	}{
		{"30 days and 1s away: not yet", 30*day + time.Second, []relink.Reason{relink.ReasonNoRelinkGround}},
		{"exactly 30 days away: within", 30 * day, nil},
		{"30 days less 1s away: within", 30*day - time.Second, nil},
		{"1s away", time.Second, nil},
		{"expiring now", 0, nil},
		{"already expired: the case relink repairs", -time.Second, nil},
		{"expired a year ago", -365 * day, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, ask := range allAsks {
				want := tc.want
				if !ask.Method.Hosted() {
					want = nil // API relink has no K2 criterion
				}
				d := check(activeWithTAN(t0.Add(tc.expiry)), ask, relink.Limit{}, t0)
				wantReasons(t, d, want...)
				if d.Reasons.Has(relink.ReasonNoRelinkGround) && !d.NextPossibleAt.Equal(t0.Add(tc.expiry-30*day)) {
					t.Errorf("%s: NextPossibleAt = %v, want the instant 30 days before expiry", name, d.NextPossibleAt)
				}
			}
		})
	}
}

func TestEligibility_K2_TANGroundDetails(t *testing.T) {
	far := t0.Add(365 * day)
	for _, tc := range []struct {
		name     string
		numbers  []relink.AccountNumber
		holds    bool
		fromZero bool
	}{
		{"no numbers", nil, false, true},
		{"a plain account number expiring is not a TAN", []relink.AccountNumber{{IdentifierType: relink.IdentifierAccountNumber, Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(t0)}}, false, true},
		{"TAN without expiry", []relink.AccountNumber{{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable}}, false, true},
		{"only TAN deactivated (revoked)", []relink.AccountNumber{{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberDeactivated, ExpectedExpiry: relink.TimestampOf(far)}}, true, true},
		{"deactivated TAN replaced by a fresh one", []relink.AccountNumber{
			{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberDeactivated, ExpectedExpiry: relink.TimestampOf(t0)},
			{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(far)},
		}, false, false},
		{"earliest transactable TAN decides", []relink.AccountNumber{
			{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(far)},
			{IdentifierType: relink.IdentifierTokenizedNumber, Status: relink.NumberTransactable, ExpectedExpiry: relink.TimestampOf(t0.Add(day))},
		}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := activeWithTAN(time.Time{})
			a.AccountNumbers = tc.numbers
			holds, from := a.TANGround(t0)
			if holds != tc.holds || from.IsZero() != tc.fromZero {
				t.Fatalf("TANGround = %v, %v; want holds=%v, from zero=%v", holds, from, tc.holds, tc.fromZero)
			}
		})
	}
}

func TestEligibility_K2_InactiveOrExpiringForHostedOnly(t *testing.T) {
	active := activeWithTAN(time.Time{})
	active.AccountNumbers = nil
	for name, ask := range allAsks {
		d := check(active, ask, relink.Limit{}, t0)
		if ask.Method.Hosted() {
			wantReasons(t, d, relink.ReasonNoRelinkGround)
			if !d.Never() {
				t.Errorf("%s: active account without TAN expiry should be never, got %v", name, d)
			}
		} else {
			wantReasons(t, d) // K3 table: API relink relinks any account
		}
		wantReasons(t, check(inactive(), ask, relink.Limit{}, t0))
	}
}

func TestEligibility_K2_HolderAndEmail(t *testing.T) {
	noHolder := inactive()
	noHolder.Holder = relink.Holder{}
	noEmail := inactive()
	noEmail.Holder.Email = "  "
	connected := inactive()
	connected.Holder = relink.Holder{Type: relink.HolderAccount, Account: "acct_1", Email: "ops@example.com"}
	for _, tc := range []struct {
		name string
		acct relink.Account
		want map[string][]relink.Reason
	}{
		{"no holder", noHolder, map[string][]relink.Reason{
			"dashboard":    {relink.ReasonNoHolder, relink.ReasonNoEmail},
			"hosted_email": {relink.ReasonNoHolder, relink.ReasonNoEmail},
			"hosted_url":   {relink.ReasonNoHolder},
			"api":          nil,
		}},
		{"customer without email", noEmail, map[string][]relink.Reason{
			"dashboard":    {relink.ReasonNoEmail},
			"hosted_email": {relink.ReasonNoEmail},
			"hosted_url":   nil, // nobody is emailed: no email needed
			"api":          nil,
		}},
		{"connected account with email", connected, map[string][]relink.Reason{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, ask := range allAsks {
				d := check(tc.acct, ask, relink.Limit{}, t0)
				if d.Reasons != relink.ReasonsOf(tc.want[name]...) {
					t.Errorf("%s: reasons %v, want %v", name, d.Reasons, relink.ReasonsOf(tc.want[name]...))
				}
			}
		})
	}
}

func TestEligibility_K6_SandboxEmailMustBeConfirmed(t *testing.T) {
	sandbox := inactive()
	sandbox.Livemode = false
	sandbox.Holder.Email = "Jenny@Example.com"
	confirmed := []string{"dev@platform.test", "jenny@example.com"}
	for name, ask := range allAsks {
		emails := ask.Emails()
		d := relink.CanRequest(roles.Default(), ask, sandbox, relink.Limit{}, nil, t0)
		if got := d.Reasons.Has(relink.ReasonSandboxEmailUnconfirmed); got != emails {
			t.Errorf("%s, no confirmed emails: sandbox reason %v, want %v", name, got, emails)
		}
		if d := relink.CanRequest(roles.Default(), ask, sandbox, relink.Limit{}, confirmed, t0); !d.Allowed {
			t.Errorf("%s, confirmed email (case-insensitive): %v", name, d)
		}
	}
	live := inactive()
	if d := check(live, dashboardAsk, relink.Limit{}, t0); !d.Allowed {
		t.Errorf("live mode needs no confirmed email: %v", d)
	}
}

func TestEligibility_K3_Limit48HoursBoundary(t *testing.T) {
	lim := relink.Limit{Until: t0.Add(48 * time.Hour)}
	for _, tc := range []struct {
		at      time.Duration
		limited bool
	}{
		{0, true},
		{47*time.Hour + 59*time.Minute + 59*time.Second, true},
		{48 * time.Hour, false},
		{48*time.Hour + time.Second, false},
	} {
		for name, ask := range allAsks {
			d := check(inactive(), ask, lim, t0.Add(tc.at))
			want := tc.limited && ask.Limited()
			if d.Reasons.Has(relink.ReasonRateLimited) != want || d.Allowed == want {
				t.Errorf("+%v %s: %v; want rate limited %v", tc.at, name, d, want)
			}
			if want {
				if !d.NextPossibleAt.Equal(lim.Until) || !d.Later() {
					t.Errorf("+%v %s: NextPossibleAt %v, want %v", tc.at, name, d.NextPossibleAt, lim.Until)
				}
				err := d.Err()
				if !errors.Is(err, relink.ErrRateLimited) || !errors.Is(err, relink.ErrNotEligible) {
					t.Errorf("+%v %s: Err() = %v, want ErrRateLimited and ErrNotEligible", tc.at, name, err)
				}
			}
		}
	}
}

func TestLimitOf_K3_OnlySucceededResets(t *testing.T) {
	req := func(ask relink.Ask, st relink.RequestStatus, at time.Time) relink.Request {
		r := relink.NewRequest("req", "fca_1", ask)
		r.Status, r.CreatedAt = st, at
		return r
	}
	for _, tc := range []struct {
		name string
		reqs []relink.Request
		want time.Time
	}{
		{"none", nil, time.Time{}},
		{"pending", []relink.Request{req(dashboardAsk, relink.RequestPending, t0)}, t0.Add(48 * time.Hour)},
		{"succeeded resets", []relink.Request{req(dashboardAsk, relink.RequestSucceeded, t0)}, time.Time{}},
		{"failed counts", []relink.Request{req(emailAsk, relink.RequestFailed, t0)}, t0.Add(48 * time.Hour)},
		{"cancelled counts", []relink.Request{req(dashboardAsk, relink.RequestCancelled, t0)}, t0.Add(48 * time.Hour)},
		{"expired counts", []relink.Request{req(dashboardAsk, relink.RequestExpired, t0)}, t0.Add(48 * time.Hour)},
		{"URL delivery and API never count", []relink.Request{req(urlAsk, relink.RequestPending, t0), req(apiAsk, relink.RequestPending, t0)}, time.Time{}},
		{"latest wins", []relink.Request{req(dashboardAsk, relink.RequestFailed, t0), req(dashboardAsk, relink.RequestPending, t1)}, t1.Add(48 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := relink.LimitOf(tc.reqs); !got.Until.Equal(tc.want) {
				t.Fatalf("LimitOf = %v, want %v", got.Until, tc.want)
			}
		})
	}
}

func TestEligibility_K3_DashboardUserRole(t *testing.T) {
	for _, tc := range []struct {
		held    roles.Set
		allowed bool
	}{
		{roles.NewSet(roles.Admin), true},
		{roles.NewSet(roles.Owner), true},
		{roles.NewSet(roles.FinancialConnectionsSpecialist), true},
		{roles.NewSet(roles.Analyst), false},
		{roles.NewSet(roles.ViewOnly, roles.Analyst), false},
		{0, false},
	} {
		ask := dashboardAsk
		ask.User.Roles = tc.held
		d := check(inactive(), ask, relink.Limit{}, t0)
		if d.Allowed != tc.allowed || d.Reasons.Has(relink.ReasonRoleNotPermitted) == tc.allowed || d.Role.Allowed != tc.allowed {
			t.Errorf("roles %v: %v", tc.held, d)
		}
		if !tc.allowed {
			if err := d.Err(); !errors.Is(err, roles.ErrDenied) || !errors.Is(err, relink.ErrNotEligible) || errors.Is(err, relink.ErrRateLimited) {
				t.Errorf("roles %v: Err() = %v, want roles.ErrDenied and ErrNotEligible only", tc.held, err)
			}
		}
	}
	// The API methods are server calls: no role is checked.
	if d := check(inactive(), emailAsk, relink.Limit{}, t0); !d.Allowed || d.Role != (roles.Decision{}) {
		t.Errorf("hosted API checked roles: %v", d)
	}
	// A stricter policy is an explicit option.
	strict, err := roles.NewPolicy([]roles.Grant{{Action: roles.RequestRelink, Roles: roles.NewSet(roles.Owner)}})
	if err != nil {
		t.Fatal(err)
	}
	if d := relink.CanRequest(strict, dashboardAsk, inactive(), relink.Limit{}, nil, t0); d.Allowed {
		t.Errorf("strict policy allowed an Administrator: %v", d)
	}
}

func TestEligibility_K4_SameAccountForHosted(t *testing.T) {
	for name, ask := range allAsks {
		ask.AllowOtherAccount = true
		d := check(inactive(), ask, relink.Limit{}, t0)
		if got := d.Reasons.Has(relink.ReasonSameAccountRequired); got != ask.Method.Hosted() {
			t.Errorf("%s allowing another account: %v", name, d)
		}
		r := relink.NewRequest("req", "fca_1", relink.Ask{Method: ask.Method, Delivery: ask.Delivery})
		if !r.SameAccount {
			t.Errorf("%s: a request requires the same account by default", name)
		}
	}
	if r := relink.NewRequest("req", "fca_1", relink.Ask{Method: relink.MethodAPI, AllowOtherAccount: true}); r.SameAccount {
		t.Error("API relink may allow another account")
	}
}

func TestEligibility_K5_Purposes(t *testing.T) {
	expiring := activeWithTAN(t0.Add(10 * day))
	healthy := activeWithTAN(t0.Add(100 * day))
	newPerms := []relink.Permission{relink.PermissionPaymentMethod, relink.PermissionTransactions}
	samePerms := []relink.Permission{relink.PermissionPaymentMethod, relink.PermissionPaymentMethod}
	for _, tc := range []struct {
		name string
		acct relink.Account
		ask  relink.Ask
		want []relink.Reason
	}{
		{"reactivate inactive", inactive(), relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeReactivate}, nil},
		{"reactivate active", expiring, relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeReactivate}, []relink.Reason{relink.ReasonNotInactive}},
		{"refresh expiring TAN, hosted", expiring, relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryURL, Purpose: relink.PurposeRefreshTAN}, nil},
		{"refresh healthy TAN, API", healthy, relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeRefreshTAN}, []relink.Reason{relink.ReasonNoTANToRefresh}},
		{"refresh with no TAN", inactive(), relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeRefreshTAN}, []relink.Reason{relink.ReasonNoTANToRefresh}},
		{"change permissions, API", healthy, relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeChangePermissions, Permissions: newPerms}, nil},
		{"change to the same permissions", healthy, relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeChangePermissions, Permissions: samePerms}, []relink.Reason{relink.ReasonPermissionsUnchanged}},
		{"change permissions, hosted", inactive(), relink.Ask{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryURL, Purpose: relink.PurposeChangePermissions, Permissions: newPerms}, []relink.Reason{relink.ReasonPermissionsNeedAPIRelink}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantReasons(t, check(tc.acct, tc.ask, relink.Limit{}, t0), tc.want...)
		})
	}
	// A refresh of a TAN not yet within 30 days is possible later.
	d := check(healthy, relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeRefreshTAN}, relink.Limit{}, t0)
	if want := t0.Add(70 * day); !d.NextPossibleAt.Equal(want) {
		t.Errorf("NextPossibleAt = %v, want %v", d.NextPossibleAt, want)
	}
}

func TestEligibility_K1_DisconnectedAndNotRepairable(t *testing.T) {
	disconnected := inactive()
	disconnected.Status, disconnected.Inactive = relink.AccountDisconnected, relink.InactiveDetails{}
	closed := inactive()
	closed.Inactive = relink.InactiveDetails{Action: relink.ActionNone, Cause: relink.CauseAccountClosed}
	for name, ask := range allAsks {
		d := check(disconnected, ask, relink.Limit{}, t0)
		if !d.Reasons.Has(relink.ReasonDisconnected) || !d.Never() {
			t.Errorf("%s, disconnected: %v", name, d)
		}
		if ask.Method.Hosted() != d.Reasons.Has(relink.ReasonNoRelinkGround) {
			t.Errorf("%s, disconnected: K2 ground reported wrongly: %v", name, d)
		}
		wantReasons(t, check(closed, ask, relink.Limit{}, t0), relink.ReasonNotRepairable)
	}
}

func TestEligibility_EveryReasonAtOnce(t *testing.T) {
	a := activeWithTAN(t0.Add(40 * day))
	a.Livemode = false
	a.Holder = relink.Holder{}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_without_roles"}, AllowOtherAccount: true, Purpose: relink.PurposeReactivate}
	d := check(a, ask, relink.Limit{Until: t1}, t0)
	wantReasons(t, d, relink.ReasonNoRelinkGround, relink.ReasonNoHolder, relink.ReasonNoEmail,
		relink.ReasonRateLimited, relink.ReasonRoleNotPermitted, relink.ReasonSameAccountRequired, relink.ReasonNotInactive)
	if !d.NextPossibleAt.IsZero() {
		t.Errorf("NextPossibleAt = %v with grounds time does not remove", d.NextPossibleAt)
	}
}

func TestEligibility_LaterIsTheLatestTimeBound(t *testing.T) {
	a := activeWithTAN(t0.Add(31 * day)) // within the horizon from t0+1d
	d := check(a, emailAsk, relink.Limit{Until: t0.Add(48 * time.Hour)}, t0)
	wantReasons(t, d, relink.ReasonNoRelinkGround, relink.ReasonRateLimited)
	if want := t0.Add(48 * time.Hour); !d.NextPossibleAt.Equal(want) {
		t.Errorf("NextPossibleAt = %v, want %v (the later of the two)", d.NextPossibleAt, want)
	}
	if d := check(a, emailAsk, relink.Limit{}, d.NextPossibleAt); !d.Allowed {
		t.Errorf("at NextPossibleAt: %v", d)
	}
}

func TestEligibility_InvalidInputIsRefused(t *testing.T) {
	bad := func(f func(a *relink.Account)) relink.Account { a := inactive(); f(&a); return a }
	for _, tc := range []struct {
		name string
		acct relink.Account
		ask  relink.Ask
	}{
		{"zero account", relink.Account{}, apiAsk},
		{"Dashboard user without an ID", inactive(), relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{Roles: roles.NewSet(roles.Admin)}}},
		{"API user ID with NUL", inactive(), relink.Ask{Method: relink.MethodAPI, User: roles.User{ID: "u\x00"}}},
		{"no ID", bad(func(a *relink.Account) { a.ID = "" }), apiAsk},
		{"unknown status", bad(func(a *relink.Account) { a.Status = "paused" }), apiAsk},
		{"unknown action", bad(func(a *relink.Account) { a.Inactive.Action = "call_bank" }), apiAsk},
		{"unknown holder type", bad(func(a *relink.Account) { a.Holder.Type = "person" }), apiAsk},
		{"unknown number status", bad(func(a *relink.Account) {
			a.AccountNumbers = []relink.AccountNumber{{Status: "frozen"}}
		}), apiAsk},
		{"zero ask", inactive(), relink.Ask{}},
		{"hosted API without delivery", inactive(), relink.Ask{Method: relink.MethodHostedAPI}},
		{"delivery on the Dashboard", inactive(), relink.Ask{Method: relink.MethodHostedDashboard, Delivery: relink.DeliveryURL}},
		{"unknown purpose", inactive(), relink.Ask{Method: relink.MethodAPI, Purpose: 99}},
		{"permissions change without permissions", inactive(), relink.Ask{Method: relink.MethodAPI, Purpose: relink.PurposeChangePermissions}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := check(tc.acct, tc.ask, relink.Limit{}, t0)
			wantReasons(t, d, relink.ReasonInvalidInput)
			if !errors.Is(d.Err(), relink.ErrNotEligible) {
				t.Errorf("Err() = %v", d.Err())
			}
		})
	}
}

func TestEligibility_CheckDoesNotAllocate(t *testing.T) {
	a := activeWithTAN(t0.Add(20 * day))
	pol, confirmed := roles.Default(), []string{"x@example.com"}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_analyst", Roles: roles.NewSet(roles.Analyst)}, Purpose: relink.PurposeRefreshTAN}
	lim := relink.Limit{Until: t1}
	if n := testing.AllocsPerRun(100, func() { _ = relink.CanRequest(pol, ask, a, lim, confirmed, t0) }); n != 0 {
		t.Fatalf("Check allocates %v times", n)
	}
}

func TestReasons_CodesRulesAndSet(t *testing.T) {
	codes := map[string]bool{}
	for r := relink.Reason(1); r.Valid(); r++ {
		if r.Rule() == "" || codes[r.Code()] || r.String() == r.Code() {
			t.Errorf("reason %d: code %q rule %q string %q", r, r.Code(), r.Rule(), r.String())
		}
		codes[r.Code()] = true
	}
	s := relink.ReasonsOf(relink.ReasonRateLimited, relink.ReasonNoEmail, relink.Reason(0), relink.Reason(200))
	if diff := cmp.Diff([]string{"holder_email_missing", "rate_limited"}, s.Codes()); diff != "" || s.Len() != 2 {
		t.Errorf("Codes (-want +got):\n%s", diff)
	}
	if relink.Reasons(0).String() != "none" || s.String() != "holder_email_missing,rate_limited" {
		t.Errorf("String = %q", s.String())
	}
}
