package account_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

var (
	t0     = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)
	pol    = roles.Default()
	admin  = roles.NewSet(roles.Admin)
	dev    = roles.NewSet(roles.Developer)
	viewer = roles.NewSet(roles.ViewOnly)
)

func usd(s string) account.Money {
	return account.Money{Amount: decimal.RequireFromString(s), Currency: "usd"}
}

func usPlatform() account.Platform {
	return account.Platform{Country: "US", ProfileComplete: true,
		Balance: account.Balances{"usd": decimal.RequireFromString("100.00")}}
}

func custom(id account.ID) account.Account {
	a := account.NewCustom(id, "US")
	a.LastActivity = t0
	a.Balance = account.Balances{"usd": decimal.RequireFromString("50.00")}
	return a
}

func reasons(rs ...account.Reason) account.Reasons {
	var out account.Reasons
	for _, r := range rs {
		out = out.With(r)
	}
	return out
}

// roleDenied marks, in a wanted set, that the roles deny the operation: a
// decision reports that through Decision.Role, not among its Reasons.
const roleDenied account.Reasons = 1 << 63

func checkDecision(t *testing.T, d account.Decision, want account.Reasons) {
	t.Helper()
	wantRole := want&roleDenied == 0
	want &^= roleDenied
	if d.Reasons != want {
		t.Errorf("reasons = %v, want %v", d.Reasons, want)
	}
	if d.Role.Allowed != wantRole {
		t.Errorf("role = %v, want allowed %v", d.Role, wantRole)
	}
	if d.Allowed != (want == 0 && wantRole) {
		t.Errorf("allowed = %v with reasons %v and role %v", d.Allowed, d.Reasons, d.Role)
	}
	err := d.Err()
	if (err == nil) != d.Allowed {
		t.Errorf("Err() = %v for allowed=%v", err, d.Allowed)
	}
	if err != nil && (errors.Is(err, account.ErrDenied) != !wantRole || errors.Is(err, roles.ErrDenied) != !wantRole ||
		errors.Is(err, account.ErrNotEligible) != (want != 0)) {
		t.Errorf("Err() = %v: matches ErrDenied %v, roles.ErrDenied %v, ErrNotEligible %v; want role denied %v, reasons %v",
			err, errors.Is(err, account.ErrDenied), errors.Is(err, roles.ErrDenied), errors.Is(err, account.ErrNotEligible), !wantRole, want)
	}
}

func TestLegacy_A2_ConstructorsMapOntoA1(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		got                   account.Account
		dash                  account.DashboardAccess
		collection, liability account.Party
	}{
		{"Standard", account.NewStandard("acct_s", "US"), account.DashboardFull, account.PartyStripe, account.PartyStripe},
		{"Express", account.NewExpress("acct_e", "US"), account.DashboardExpress, account.PartyStripe, account.PartyApplication},
		{"Custom", account.NewCustom("acct_c", "US"), account.DashboardNone, account.PartyApplication, account.PartyApplication},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got.Dashboard != tc.dash || tc.got.RequirementCollection != tc.collection || tc.got.NegativeBalanceLiability != tc.liability {
				t.Errorf("%s = (%s, %s, %s), want (%s, %s, %s)", tc.name, tc.got.Dashboard, tc.got.RequirementCollection,
					tc.got.NegativeBalanceLiability, tc.dash, tc.collection, tc.liability)
			}
			if err := tc.got.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestValidate_A1_ReportsEachField(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(*account.Account)
	}{
		{"ID", func(a *account.Account) { a.ID = "" }},
		{"ID", func(a *account.Account) { a.ID = "acct 1" }},
		{"Country", func(a *account.Account) { a.Country = "us" }},
		{"Country", func(a *account.Account) { a.Country = "USA" }},
		{"Dashboard", func(a *account.Account) { a.Dashboard = "standard" }},
		{"RequirementCollection", func(a *account.Account) { a.RequirementCollection = "" }},
		{"NegativeBalanceLiability", func(a *account.Account) { a.NegativeBalanceLiability = "platform" }},
		{"Email", func(a *account.Account) { a.Email = account.NewEmail("not-an-email") }},
		{"Representative.DOB", func(a *account.Account) {
			a.Representative = a.Representative.WithDOB(account.Date{Year: 1990, Month: 2, Day: 30})
		}},
		{"Representative.SSNLast4", func(a *account.Account) { a.Representative = a.Representative.WithSSNLast4("12a4") }},
		{"PayoutSchedule.MonthlyAnchor", func(a *account.Account) { a.PayoutSchedule = account.PayoutSchedule{Interval: account.PayoutMonthly} }},
		{`Balance["USD"]`, func(a *account.Account) { a.Balance = account.Balances{"USD": decimal.Zero} }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			a := custom("acct_1")
			tc.edit(&a)
			err := a.Validate()
			var re *account.RuleError
			if !errors.As(err, &re) || !errors.Is(err, account.ErrInvalid) {
				t.Fatalf("Validate = %v, want a *RuleError matching ErrInvalid", err)
			}
			if re.Field != tc.field {
				t.Errorf("field = %q, want %q", re.Field, tc.field)
			}
		})
	}
}

func TestRepresentative_A1_NeverPrintsDOBOrSSN(t *testing.T) {
	a := custom("acct_1")
	a.Representative = account.NewRepresentative("Jane Doe", account.Date{Year: 1984, Month: time.July, Day: 29}, "6789")
	a.Email = account.NewEmail("jane@example.com")
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		outputs = append(outputs, fmt.Sprintf(verb, a), fmt.Sprintf(verb, a.Representative))
	}
	outputs = append(outputs,
		fmt.Sprintf("%v %+v %#v", &a, &a.Representative, []account.Representative{a.Representative}),
		fmt.Sprintf("%+v", struct{ A account.Account }{a}),
	)
	bad := account.NewRepresentative("Jane Doe", account.Date{Year: 1984, Month: time.July, Day: 32}, "67x9")
	outputs = append(outputs, fmt.Sprint(bad.DOB().Valid()), fmt.Sprint(account.Info{Representative: bad}.Validate()))
	for _, out := range outputs {
		for _, secret := range []string{"1984", "6789", "67x9", "Jane", "Doe", "7c0"} {
			if strings.Contains(out, secret) {
				t.Errorf("output contains %q: %s", secret, out)
			}
		}
	}
	if got, want := a.Representative.String(), "Representative(J*** D**, dob ****-**-**, ssn ••••)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestCreate_A3(t *testing.T) {
	fr := usPlatform()
	fr.Country = "FR"
	incomplete := usPlatform()
	incomplete.ProfileComplete = false
	invalid := account.NewCustom("acct_x", "us")
	removed := account.NewCustom("acct_x", "US")
	removed.Removed = true
	for _, tc := range []struct {
		name string
		held roles.Set
		p    account.Platform
		a    account.Account
		want account.Reasons
		link bool
	}{
		{"A3_AdministratorMayCreateStandard", admin, usPlatform(), account.NewStandard("acct_1", "US"), 0, true},
		{"A3_DeveloperMayCreateExpress", dev, usPlatform(), account.NewExpress("acct_1", "DE"), 0, true},
		{"A3_NoDashboardCreatesAtOnce", admin, usPlatform(), account.NewCustom("acct_1", "US"), 0, false},
		{"A3_OtherRolesMayNot", roles.NewSet(roles.ConnectOnboardingAnalyst, roles.SupportSpecialist), usPlatform(), account.NewCustom("acct_1", "US"),
			roleDenied, false},
		{"A3_ProfileMustBeComplete", admin, incomplete, account.NewCustom("acct_1", "US"), reasons(account.ReasonPlatformProfileIncomplete), false},
		{"A3_NotFromFrance", admin, fr, account.NewStandard("acct_1", "FR"), reasons(account.ReasonPlatformInFrance), true},
		{"A1_InvalidAccount", admin, usPlatform(), invalid, reasons(account.ReasonInvalidAccount), false},
		{"A6_CannotCreateRemoved", admin, usPlatform(), removed, reasons(account.ReasonInvalidAccount), false},
		{"A3_AllReasonsAtOnce", viewer, func() account.Platform { p := fr; p.ProfileComplete = false; return p }(), invalid,
			roleDenied | reasons(account.ReasonPlatformProfileIncomplete, account.ReasonPlatformInFrance, account.ReasonInvalidAccount), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := account.CanCreate(pol, tc.held, tc.p, tc.a)
			checkDecision(t, d, tc.want)
			if d.NeedsOnboardingLink != tc.link {
				t.Errorf("NeedsOnboardingLink = %v, want %v", d.NeedsOnboardingLink, tc.link)
			}
			if !d.Role.Allowed {
				var de *roles.DeniedError
				if !errors.As(d.Err(), &de) || de.Decision.Action != roles.CreateConnectedAccount {
					t.Errorf("role denial does not carry the roles.Decision: %v", d.Err())
				}
			}
			if d.Reasons.Has(account.ReasonInvalidAccount) != errors.Is(d.Err(), account.ErrInvalid) {
				t.Errorf("Err() = %v: ErrInvalid match disagrees with reasons %v", d.Err(), d.Reasons)
			}
		})
	}
}

func TestInactivityHold_A4_540DayBoundary(t *testing.T) {
	a := custom("acct_1")
	a.LastActivity = t0
	day := 24 * time.Hour
	for _, tc := range []struct {
		name string
		now  time.Time
		hold bool
	}{
		{"just active", t0, false},
		{"539 days", t0.Add(539 * day), false},
		{"exactly 540 days is still within the last 540 days", t0.Add(540 * day), false},
		{"540 days and 1ns", t0.Add(540*day + 1), true},
		{"600 days", t0.Add(600 * day), true},
		{"activity in the future", t0.Add(-day), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := account.InactivityHold(a, tc.now)
			if got.OnHold != tc.hold {
				t.Errorf("OnHold = %v, want %v (%+v)", got.OnHold, tc.hold, got)
			}
			if !got.Since.Equal(t0.Add(540 * day)) {
				t.Errorf("Since = %v, want %v", got.Since, t0.Add(540*day))
			}
		})
	}
	if got := account.InactivityHold(account.NewCustom("acct_2", "US"), t0); !got.OnHold {
		t.Errorf("no activity on record: OnHold = false, want true")
	}
}

func TestSupportCases_A5_DashboardAndExclusions(t *testing.T) {
	full := account.NewStandard("acct_1", "US")
	for _, tc := range []struct {
		name string
		edit func(*account.Account)
		held roles.Set
		want account.Reasons
	}{
		{"FullDashboard", func(*account.Account) {}, admin, 0},
		{"ExpressDashboard", func(a *account.Account) { a.Dashboard = account.DashboardExpress }, roles.NewSet(roles.SupportCommunications), 0},
		{"NoDashboard", func(a *account.Account) { a.Dashboard = account.DashboardNone }, admin, reasons(account.ReasonNoDashboardAccess)},
		{"SeveralPlatforms", func(a *account.Account) { a.ConnectedToSeveralPlatforms = true }, admin, reasons(account.ReasonConnectedToSeveralPlatforms)},
		{"IsPlatform", func(a *account.Account) { a.IsPlatform = true }, admin, reasons(account.ReasonAccountIsPlatform)},
		{"OptedOut", func(a *account.Account) { a.OptedOutOfCaseSharing = true }, admin, reasons(account.ReasonOptedOutOfCaseSharing)},
		{"RoleNotPermitted", func(*account.Account) {}, viewer, roleDenied},
		{"AllThreeExclusions", func(a *account.Account) {
			a.ConnectedToSeveralPlatforms, a.IsPlatform, a.OptedOutOfCaseSharing = true, true, true
		}, admin, reasons(account.ReasonConnectedToSeveralPlatforms, account.ReasonAccountIsPlatform, account.ReasonOptedOutOfCaseSharing)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := full
			tc.edit(&a)
			checkDecision(t, account.CanViewSupportCases(pol, tc.held, a), tc.want)
		})
	}
}

func TestSupportCases_A5_Last90Days(t *testing.T) {
	day := 24 * time.Hour
	cases := []account.SupportCase{
		{ID: "old", Opened: t0.Add(-90*day - 1)},
		{ID: "edge", Opened: t0.Add(-90 * day)},
		{ID: "recent", Opened: t0.Add(-day)},
		{ID: "now", Opened: t0},
	}
	got, d := account.VisibleSupportCases(pol, admin, account.NewStandard("acct_1", "US"), cases, t0)
	if !d.Allowed {
		t.Fatalf("denied: %v", d)
	}
	if diff := cmp.Diff(cases[1:], got); diff != "" {
		t.Errorf("visible cases (-want +got):\n%s", diff)
	}
	excluded := account.NewStandard("acct_2", "US")
	excluded.OptedOutOfCaseSharing = true
	if got, d := account.VisibleSupportCases(pol, admin, excluded, cases, t0); got != nil || d.Allowed {
		t.Errorf("opted-out account: cases %v, decision %v; want none, denied", got, d)
	}
}

func TestRemove_A6_OnlyFullDashboard(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    account.Account
		held roles.Set
		want account.Reasons
	}{
		{"Full", account.NewStandard("acct_1", "US"), admin, 0},
		{"Express", account.NewExpress("acct_1", "US"), admin, reasons(account.ReasonDashboardNotFull)},
		{"None", account.NewCustom("acct_1", "US"), admin, reasons(account.ReasonDashboardNotFull)},
		{"Developer", account.NewStandard("acct_1", "US"), dev, roleDenied},
		{"AlreadyRemoved", func() account.Account { a := account.NewStandard("acct_1", "US"); a.Removed = true; return a }(),
			admin, reasons(account.ReasonAccountRemoved)},
	} {
		t.Run(tc.name, func(t *testing.T) { checkDecision(t, account.CanRemove(pol, tc.held, tc.a), tc.want) })
	}
}

func TestRemove_A6_EveryOperationRefusedAfterwards(t *testing.T) {
	all := roles.NewSet(roles.Owner, roles.Admin, roles.Developer, roles.SupportCommunications)
	a := custom("acct_1")
	a.Dashboard = account.DashboardFull
	a.Removed = true
	p := usPlatform()
	for _, d := range []account.Decision{
		account.CanRemove(pol, all, a),
		account.CanSendFunds(pol, all, p, a, usd("1"), account.ToBalance),
		account.CanPullFunds(pol, all, p, a, usd("1")),
		account.CanEditAccountInformation(pol, all, a),
		account.CanEditPayoutSchedule(pol, all, a),
		account.CanViewSupportCases(pol, all, a),
		account.ViewAs(pol, all, a),
	} {
		if d.Allowed || !errors.Is(d.Err(), account.ErrRemoved) {
			t.Errorf("%v on a removed account: allowed=%v err=%v, want ErrRemoved", d.Op, d.Allowed, d.Err())
		}
		if d.Reasons != reasons(account.ReasonAccountRemoved) {
			t.Errorf("%v: reasons %v, want only account_removed", d.Op, d.Reasons)
		}
	}
}

func TestSendFunds_A7(t *testing.T) {
	stripeLiable := custom("acct_1")
	stripeLiable.NegativeBalanceLiability = account.PartyStripe
	stripeLiable.HasExternalAccount = true
	withBank := custom("acct_1")
	withBank.HasExternalAccount = true
	bal, bank := account.ToBalance, account.ToExternalAccount
	for _, tc := range []struct {
		name string
		held roles.Set
		a    account.Account
		m    account.Money
		to   account.Destination
		want account.Reasons
	}{
		{"A7_AdministratorSendsToCustom", admin, custom("acct_1"), usd("12.34"), bal, 0},
		{"A7_ToExpress", roles.NewSet(roles.Owner), func() account.Account { a := account.NewExpress("acct_1", "CA"); return a }(), usd("1"), bal, 0},
		{"A7_WholePlatformBalance", admin, custom("acct_1"), usd("100"), bal, 0},
		// Seed 003: funds sent come from the platform's balance; only a
		// send directly to the bank or debit card needs liability.
		{"A7_ToBalanceNeedsNoLiability", admin, stripeLiable, usd("1"), bal, 0},
		{"A7_ToStandardBalance", admin, account.NewStandard("acct_1", "US"), usd("1"), bal, 0},
		{"A7_ToBankNeedsLiability", admin, stripeLiable, usd("1"), bank, reasons(account.ReasonPlatformNotLiable)},
		{"A7_ToBankWhenLiable", admin, withBank, usd("1"), bank, 0},
		{"A7_ToBankNeedsOneOnFile", admin, custom("acct_1"), usd("1"), bank, reasons(account.ReasonExternalAccountMissing)},
		{"A7_UndeclaredDestination", admin, custom("acct_1"), usd("1"), account.Destination(9), reasons(account.ReasonSendDestinationInvalid)},
		{"A7_AtLeastAdministrator", dev, custom("acct_1"), usd("1"), bal, roleDenied},
		{"A7_TransferAnalystIsNotAdministrator", roles.NewSet(roles.TransferAnalyst), custom("acct_1"), usd("1"), bal, roleDenied},
		{"A7_AmountPositive", admin, custom("acct_1"), usd("0"), bal, reasons(account.ReasonSendAmountNotPositive)},
		{"A7_AmountNegative", admin, custom("acct_1"), usd("-5"), bal, reasons(account.ReasonSendAmountNotPositive)},
		{"A7_KnownCurrency", admin, custom("acct_1"), account.Money{Amount: decimal.NewFromInt(1), Currency: "xyz"}, bal, reasons(account.ReasonSendCurrencyInvalid)},
		{"A7_ExactInCurrency", admin, custom("acct_1"), usd("0.001"), bal, reasons(account.ReasonSendCurrencyInvalid)},
		{"A7_TrailingZerosAreExact", admin, custom("acct_1"), usd("1.5000"), bal, 0},
		{"A7_PlatformBalanceMayNotGoNegative", admin, custom("acct_1"), usd("100.01"), bal, reasons(account.ReasonPlatformBalanceInsufficient)},
		{"A7_PlatformBalanceCoversBankSends", admin, withBank, usd("100.01"), bank, reasons(account.ReasonPlatformBalanceInsufficient)},
		{"A7_NoBalanceInCurrency", admin, custom("acct_1"), account.Money{Amount: decimal.NewFromInt(1), Currency: "eur"}, bal, reasons(account.ReasonPlatformBalanceInsufficient)},
		{"A7_AllReasons", viewer, account.NewStandard("acct_1", "US"), usd("0"), bank,
			roleDenied | reasons(account.ReasonPlatformNotLiable, account.ReasonExternalAccountMissing, account.ReasonSendAmountNotPositive)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := account.CanSendFunds(pol, tc.held, usPlatform(), tc.a, tc.m, tc.to)
			checkDecision(t, d, tc.want)
			if d.Op != account.OpSendFunds || d.Role.Action != roles.SendFunds {
				t.Errorf("op %v role action %v", d.Op, d.Role.Action)
			}
		})
	}
}

func TestPullFunds_A8(t *testing.T) {
	stripeLiable := custom("acct_1")
	stripeLiable.NegativeBalanceLiability = account.PartyStripe
	ca := custom("acct_1")
	ca.Country = "CA"
	caPlatform := usPlatform()
	caPlatform.Country = "CA"
	for _, tc := range []struct {
		name string
		held roles.Set
		p    account.Platform
		a    account.Account
		m    account.Money
		want account.Reasons
	}{
		{"A8_USAndLiable", admin, usPlatform(), custom("acct_1"), usd("50"), 0},
		{"A8_PlatformMustBeInUS", admin, caPlatform, custom("acct_1"), usd("1"), reasons(account.ReasonPlatformNotInUS)},
		{"A8_AccountMustBeInUS", admin, usPlatform(), ca, usd("1"), reasons(account.ReasonAccountNotInUS)},
		{"A8_PlatformMustBeLiable", admin, usPlatform(), stripeLiable, usd("1"), reasons(account.ReasonPullPlatformNotLiable)},
		{"A8_AtLeastAdministrator", roles.NewSet(roles.SupportSpecialist), usPlatform(), custom("acct_1"), usd("1"), roleDenied},
		{"A8_AmountPositive", admin, usPlatform(), custom("acct_1"), usd("-1"), reasons(account.ReasonPullAmountNotPositive)},
		{"A8_KnownCurrency", admin, usPlatform(), custom("acct_1"), account.Money{Amount: decimal.NewFromInt(1), Currency: "USD"}, reasons(account.ReasonPullCurrencyInvalid)},
		{"A8_AccountBalanceMayNotGoNegative", admin, usPlatform(), custom("acct_1"), usd("50.01"), reasons(account.ReasonAccountBalanceInsufficient)},
		{"A8_AllReasons", nil0(), caPlatform, func() account.Account { a := stripeLiable; a.Country = "GB"; return a }(), usd("0"),
			roleDenied | reasons(account.ReasonPlatformNotInUS, account.ReasonAccountNotInUS,
				account.ReasonPullPlatformNotLiable, account.ReasonPullAmountNotPositive)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkDecision(t, account.CanPullFunds(pol, tc.held, tc.p, tc.a, tc.m), tc.want)
		})
	}
}

func nil0() roles.Set { return 0 }

func TestEdit_A9_OnlyWherePlatformCollects(t *testing.T) {
	express := account.NewExpress("acct_1", "US")
	for _, tc := range []struct {
		name string
		held roles.Set
		a    account.Account
		want account.Reasons
	}{
		{"CustomCollectedByPlatform", roles.NewSet(roles.SupportAssociate), custom("acct_1"), 0},
		{"ExpressCollectedByStripe", admin, express, reasons(account.ReasonPlatformDoesNotCollect)},
		{"StandardCollectedByStripe", admin, account.NewStandard("acct_1", "US"), reasons(account.ReasonPlatformDoesNotCollect)},
		{"ViewOnlyMayNot", viewer, custom("acct_1"), roleDenied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkDecision(t, account.CanEditAccountInformation(pol, tc.held, tc.a), tc.want)
			checkDecision(t, account.CanEditPayoutSchedule(pol, tc.held, tc.a), tc.want)
		})
	}
	// The catalogue's role grants differ between the two edits.
	if d := account.CanEditPayoutSchedule(pol, roles.NewSet(roles.ConnectOnboardingAnalyst), custom("acct_1")); d.Allowed {
		t.Errorf("Connect Onboarding Analyst may edit payout schedules: %v", d)
	}
}

func TestViewAs_A10_ExactOnlyForFullDashboard(t *testing.T) {
	for _, tc := range []struct {
		dash  account.DashboardAccess
		exact bool
	}{{account.DashboardFull, true}, {account.DashboardExpress, false}, {account.DashboardNone, false}} {
		t.Run(string(tc.dash), func(t *testing.T) {
			a := custom("acct_1")
			a.Dashboard = tc.dash
			d := account.ViewAs(pol, roles.NewSet(roles.Analyst), a)
			checkDecision(t, d, 0)
			if d.Exact != tc.exact {
				t.Errorf("Exact = %v, want %v", d.Exact, tc.exact)
			}
		})
	}
	checkDecision(t, account.ViewAs(pol, roles.NewSet(roles.SupportCommunications), custom("acct_1")), roleDenied)
}

func TestReasons_CodesRulesAndText(t *testing.T) {
	seen := map[string]bool{}
	for r := account.Reason(1); r.Valid(); r++ {
		code := r.Code()
		if seen[code] || code == "" || strings.ToLower(code) != code {
			t.Errorf("reason %d: bad or duplicate code %q", r, code)
		}
		seen[code] = true
		if r.Rule() == "" || !strings.HasSuffix(r.String(), "("+r.Rule()+")") {
			t.Errorf("%s: rule %q, text %q", code, r.Rule(), r.String())
		}
		b, err := r.MarshalText()
		var back account.Reason
		if err != nil || back.UnmarshalText(b) != nil || back != r {
			t.Errorf("%s does not round-trip: %v", code, err)
		}
	}
	var r account.Reason
	if err := r.UnmarshalText([]byte("nope")); !errors.Is(err, account.ErrInvalid) {
		t.Errorf("unknown code: err = %v", err)
	}
	rs := reasons(account.ReasonAccountRemoved, account.ReasonNoDashboardAccess)
	if rs.Len() != 2 || cmp.Diff([]account.Reason{account.ReasonAccountRemoved, account.ReasonNoDashboardAccess}, rs.Slice()) != "" {
		t.Errorf("Reasons set: %v", rs.Slice())
	}
}

func TestMoney_ParseAndValidate(t *testing.T) {
	for _, tc := range []struct {
		amount, cur string
		ok          bool
	}{
		{"12.34", "usd", true}, {"1", "jpy", true}, {"1.5", "jpy", false}, {"1.234", "kwd", true},
		{"1.2345", "kwd", false}, {"1e2", "usd", true}, {"abc", "usd", false}, {"1", "USD", false},
		{"1", "", false}, {"-3.00", "eur", true},
	} {
		m, err := account.ParseMoney(tc.amount, tc.cur)
		if (err == nil) != tc.ok {
			t.Errorf("ParseMoney(%q, %q) = %v, %v; want ok=%v", tc.amount, tc.cur, m, err, tc.ok)
		}
		if err != nil && !errors.Is(err, account.ErrInvalid) {
			t.Errorf("ParseMoney(%q, %q): err %v does not match ErrInvalid", tc.amount, tc.cur, err)
		}
	}
}

func TestCapabilitiesAt_Q2_PastDueDisables(t *testing.T) {
	a := custom("acct_1")
	a.Capabilities = []requirements.Capability{requirements.CardPayments, requirements.Transfers}
	reqs, err := requirements.NewSet(requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue,
		Deadline: t0.Add(time.Hour), Capabilities: []requirements.Capability{requirements.CardPayments}})
	if err != nil {
		t.Fatal(err)
	}
	a.Requirements = reqs
	before := a.Clone()
	if got := a.CapabilitiesAt(t0); !got[0].Active || !got[1].Active {
		t.Errorf("before the deadline: %+v", got)
	}
	want := []account.CapabilityStatus{
		{Capability: requirements.CardPayments, Fields: []string{"individual.dob.day"}},
		{Capability: requirements.Transfers, Active: true},
	}
	if diff := cmp.Diff(want, a.CapabilitiesAt(t0.Add(time.Hour))); diff != "" {
		t.Errorf("at the deadline (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, a, decimalEqual); diff != "" {
		t.Errorf("CapabilitiesAt changed the account:\n%s", diff)
	}
}
