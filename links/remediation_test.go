package links_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

func TestRemediationLink_L7_OnlyTheSixRolesMayGenerate(t *testing.T) {
	allowed := []roles.Role{roles.Admin, roles.ConnectOnboardingAnalyst, roles.Developer,
		roles.DataMigrationSpecialist, roles.SupportAssociate, roles.SupportSpecialist}
	for _, r := range roles.All() {
		t.Run(r.String(), func(t *testing.T) {
			d := links.CanGenerateRemediationLink(roles.Default(), roles.NewSet(r), custom())
			want := slices.Contains(allowed, r)
			if d.Allowed != want {
				t.Fatalf("%v may generate = %v, want %v (%s)", r, d.Allowed, want, d)
			}
			if !want {
				if d.Reasons != 0 || d.Role.Allowed || d.Role.Reason != roles.ReasonNotPermitted || d.Role.Rule() != "L7" {
					t.Fatalf("reasons %v, role %v: want the role denial only, under L7", d.Reasons, d.Role)
				}
				if !errors.Is(d.Err(), links.ErrDenied) || !errors.Is(d.Err(), roles.ErrDenied) {
					t.Fatalf("Err() = %v, want ErrDenied and roles.ErrDenied", d.Err())
				}
			}
		})
	}
}

func TestRemediationLink_L8_NamesEveryMissingItem(t *testing.T) {
	tests := []struct {
		name   string
		change func(*account.Account)
		want   links.Reasons
	}{
		{"complete", func(*account.Account) {}, 0},
		{"no name", func(a *account.Account) { a.Representative = a.Representative.WithFullName("  ") },
			reasons(links.ReasonRepresentativeNameMissing)},
		{"no DOB", func(a *account.Account) { a.Representative = a.Representative.WithDOB(account.Date{}) },
			reasons(links.ReasonRepresentativeDOBMissing)},
		{"impossible DOB", func(a *account.Account) {
			a.Representative = a.Representative.WithDOB(account.Date{Year: 1990, Month: 2, Day: 30})
		},
			reasons(links.ReasonRepresentativeDOBMissing)},
		{"no external account", func(a *account.Account) { a.HasExternalAccount = false },
			reasons(links.ReasonExternalAccountMissing)},
		{"owner not confirmed (seed 000)", func(a *account.Account) { a.OwnerConfirmed = false },
			reasons(links.ReasonOwnerNotSet)},
		{"no representative at all, no bank, removed", func(a *account.Account) {
			a.Representative = account.Representative{}
			a.HasExternalAccount = false
			a.Removed = true
		}, reasons(links.ReasonAccountRemoved, links.ReasonRepresentativeNameMissing,
			links.ReasonRepresentativeDOBMissing, links.ReasonExternalAccountMissing)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := custom()
			tt.change(&a)
			d := links.CanGenerateRemediationLink(roles.Default(), admin.Roles, a)
			if d.Reasons != tt.want {
				t.Fatalf("reasons = %v, want %v", d.Reasons, tt.want)
			}
			if tt.want != 0 && !errors.Is(d.Err(), links.ErrNotEligible) {
				t.Fatalf("Err() = %v, want ErrNotEligible", d.Err())
			}
		})
	}
}

func TestRemediationLink_L6_ActiveFor90Days(t *testing.T) {
	s, c := newService(t)
	got, err := s.GenerateRemediationLink(ctx, admin, custom())
	if err != nil {
		t.Fatal(err)
	}
	if !got.New || !got.Link.ExpiresAt.Equal(t0.Add(90*24*time.Hour)) {
		t.Fatalf("generated %+v", got.Link)
	}
	tests := []struct {
		at   time.Time
		want links.Reasons
	}{
		{t0, 0},
		{t0.Add(30 * 24 * time.Hour), 0},
		{t0.Add(links.RemediationTTL - time.Nanosecond), 0},
		{t0.Add(links.RemediationTTL), reasons(links.ReasonRemediationLinkExpired)},
		{t0.Add(365 * 24 * time.Hour), reasons(links.ReasonRemediationLinkExpired)},
	}
	for _, tt := range tests {
		c.Set(tt.at)
		// Opening several times: a remediation link is reusable.
		for range 2 {
			_, err := s.OpenRemediationLink(ctx, got.Token)
			var de *links.DecisionError
			switch {
			case tt.want == 0 && err != nil:
				t.Fatalf("open at %v: %v", tt.at, err)
			case tt.want != 0 && (!errors.As(err, &de) || de.Decision.Reasons != tt.want):
				t.Fatalf("open at %v: %v, want %v", tt.at, err, tt.want)
			}
		}
	}
}

func TestRemediationLink_L6_GenerateAgainReturnsActiveThenNewAfterExpiry(t *testing.T) {
	s, c := newService(t)
	first, err := s.GenerateRemediationLink(ctx, admin, custom())
	if err != nil {
		t.Fatal(err)
	}
	c.Set(t0.Add(89 * 24 * time.Hour))
	again, err := s.GenerateRemediationLink(ctx, analyst, custom())
	if err != nil {
		t.Fatal(err)
	}
	if again.New || again.Link.ID != first.Link.ID || !again.Link.ExpiresAt.Equal(first.Link.ExpiresAt) {
		t.Fatalf("generate while active: new=%v id %v→%v", again.New, first.Link.ID, again.Link.ID)
	}
	for _, tok := range []links.Token{first.Token, again.Token} {
		if _, err := s.OpenRemediationLink(ctx, tok); err != nil {
			t.Fatalf("a token of the active link does not open it: %v", err)
		}
	}
	c.Set(t0.Add(links.RemediationTTL))
	fresh, err := s.GenerateRemediationLink(ctx, admin, custom())
	if err != nil {
		t.Fatal(err)
	}
	if !fresh.New || fresh.Link.ID == first.Link.ID {
		t.Fatalf("after expiry: new=%v id %v", fresh.New, fresh.Link.ID)
	}
	if _, err := s.OpenRemediationLink(ctx, first.Token); !errors.Is(err, links.ErrNotFound) {
		t.Fatalf("the replaced link's token: %v, want ErrNotFound", err)
	}
}

func TestRemediationLink_L9_Destination(t *testing.T) {
	banner := account.Components{NotificationBanner: true}
	both := account.Components{Onboarding: true, NotificationBanner: true}
	onboardingOnly := account.Components{Onboarding: true}
	withPage := account.Platform{BannerPageURL: "https://platform.example/notifications", Live: true}
	noPage := account.Platform{Live: true}
	tests := []struct {
		name string
		dash account.DashboardAccess
		comp account.Components
		p    account.Platform
		want links.Destination
	}{
		{"embedded onboarding and banner → banner page", account.DashboardNone, both, withPage,
			links.Destination{Kind: links.DestinationBannerPage, URL: withPage.BannerPageURL}},
		{"hosted onboarding and banner → banner page (seed narrative)", account.DashboardNone, banner, withPage,
			links.Destination{Kind: links.DestinationBannerPage, URL: withPage.BannerPageURL}},
		{"banner with full dashboard → banner page", account.DashboardFull, banner, withPage,
			links.Destination{Kind: links.DestinationBannerPage, URL: withPage.BannerPageURL}},
		{"banner, no page configured → hosted onboarding", account.DashboardNone, both, noPage,
			links.Destination{Kind: links.DestinationHostedOnboarding, FellBack: true}},
		{"banner, no page, Express → hosted onboarding", account.DashboardExpress, banner, noPage,
			links.Destination{Kind: links.DestinationHostedOnboarding, FellBack: true}},
		{"full dashboard → account status", account.DashboardFull, account.Components{}, withPage,
			links.Destination{Kind: links.DestinationAccountStatus}},
		{"full dashboard, embedded onboarding only → account status", account.DashboardFull, onboardingOnly, withPage,
			links.Destination{Kind: links.DestinationAccountStatus}},
		{"Express → Express onboarding", account.DashboardExpress, account.Components{}, withPage,
			links.Destination{Kind: links.DestinationExpressOnboarding}},
		{"no dashboard → hosted onboarding", account.DashboardNone, account.Components{}, withPage,
			links.Destination{Kind: links.DestinationHostedOnboarding}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := custom()
			a.Dashboard, a.Components = tt.dash, tt.comp
			got, err := links.ResolveDestination(a, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRemediationLink_L9_BadInputIsAnError(t *testing.T) {
	a := custom()
	a.Dashboard = ""
	if _, err := links.ResolveDestination(a, account.Platform{}); !errors.Is(err, links.ErrNotEligible) {
		t.Fatalf("empty dashboard: %v", err)
	}
	a = custom()
	a.Components.NotificationBanner = true
	_, err := links.ResolveDestination(a, account.Platform{BannerPageURL: "http://platform.example/n", Live: true})
	var ue *links.URLError
	if !errors.As(err, &ue) || ue.Field != links.BannerPageURL || ue.Problem != links.URLInsecure {
		t.Fatalf("http banner page in live mode: %v", err)
	}
}

func TestRemediationLink_L12_BannerShowsOnlyWithOutstandingTasks(t *testing.T) {
	due := mustSet(t, requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue})
	pending := mustSet(t, requirements.Entry{Field: "individual.dob.day", Status: requirements.PendingVerification})
	withBanner := custom()
	withBanner.Components.NotificationBanner = true
	tests := []struct {
		name string
		a    account.Account
		reqs requirements.Set
		want bool
	}{
		{"banner, tasks outstanding", withBanner, due, true},
		{"banner, only pending verification", withBanner, pending, false},
		{"banner, nothing due", withBanner, mustSet(t), false},
		{"no banner component", custom(), due, false},
	}
	for _, tt := range tests {
		tt.a.Requirements = tt.reqs
		if got := links.ShowsBanner(tt.a); got != tt.want {
			t.Errorf("%s: ShowsBanner = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRemediationLink_L10_RemedyPerReason(t *testing.T) {
	tests := []struct {
		f    links.FailureReason
		want links.Remedy
		says []string
	}{
		{links.FailureWrongInformation, links.Remedy{Reason: links.FailureWrongInformation, CheckInformation: true},
			[]string{"correct and complete", "reset the link"}},
		{links.FailureNotRepresentative, links.Remedy{Reason: links.FailureNotRepresentative, CheckInformation: true,
			UpdateRepresentative:   []links.RepresentativeField{links.FieldFullName, links.FieldDOB, links.FieldSSNLast4},
			AccountLinkAlternative: true},
			[]string{"update the representative's full_name, dob, ssn_last_4", "account link instead"}},
		{links.FailureInsufficientInformation, links.Remedy{Reason: links.FailureInsufficientInformation, CheckInformation: true,
			AddDetails:             []links.RepresentativeField{links.FieldDOB, links.FieldSSNLast4},
			AccountLinkAlternative: true},
			[]string{"add account details including dob, ssn_last_4", "account link instead"}},
	}
	for _, tt := range tests {
		t.Run(tt.f.String(), func(t *testing.T) {
			got := links.RemedyFor(tt.f)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
			for _, s := range tt.says {
				if !strings.Contains(got.String(), s) {
					t.Errorf("%q does not say %q", got, s)
				}
			}
		})
	}
}

// fail records a failure and fails the test on error.
func fail(t *testing.T, s *links.Service, id links.LinkID, f links.FailureReason) links.Remedy {
	t.Helper()
	_, r, err := s.RecordVerificationFailure(ctx, id, f)
	if err != nil {
		t.Fatalf("record %v: %v", f, err)
	}
	return r
}

func TestRemediationLink_L10_FourthWrongInformationNeedsAcknowledgement(t *testing.T) {
	s, _ := newService(t)
	got, err := s.GenerateRemediationLink(ctx, admin, custom())
	if err != nil {
		t.Fatal(err)
	}
	id := got.Link.ID
	for i := 1; i <= 3; i++ {
		if r := fail(t, s, id, links.FailureWrongInformation); r.SecurityCheck {
			t.Fatalf("failure %d already asks for a security check", i)
		}
		if _, err := s.OpenRemediationLink(ctx, got.Token); !errors.Is(err, links.ErrAwaitingReset) {
			t.Fatalf("open while awaiting reset: %v", err)
		}
		if _, err := s.ResetRemediationLink(ctx, analyst, id); err != nil {
			t.Fatalf("reset %d: %v", i, err)
		}
	}
	if r := fail(t, s, id, links.FailureWrongInformation); !r.SecurityCheck {
		t.Fatal("the fourth wrong-information failure does not ask for a security check")
	}
	before, _ := s.Store.RemediationLink(ctx, id)
	_, err = s.ResetRemediationLink(ctx, analyst, id)
	if !errors.Is(err, links.ErrSecurityCheckRequired) {
		t.Fatalf("reset before acknowledgement: %v", err)
	}
	if after, _ := s.Store.RemediationLink(ctx, id); !cmp.Equal(before, after) {
		t.Fatal("a refused reset changed the link")
	}
	// Connect Onboarding Analysts may reset but, by the default policy, not
	// acknowledge.
	if _, err := s.AcknowledgeSecurityCheck(ctx, analyst, id); !errors.Is(err, links.ErrDenied) {
		t.Fatalf("acknowledge by an analyst: %v", err)
	}
	if _, err := s.AcknowledgeSecurityCheck(ctx, admin, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcknowledgeSecurityCheck(ctx, admin, id); !errors.Is(err, links.ErrNothingToAcknowledge) {
		t.Fatalf("second acknowledgement: %v", err)
	}
	if _, err := s.ResetRemediationLink(ctx, analyst, id); err != nil {
		t.Fatalf("reset after acknowledgement: %v", err)
	}
}

func TestRemediationLink_L10_EachAcknowledgementAllowsExactlyFourResets(t *testing.T) {
	s, _ := newService(t)
	got, err := s.GenerateRemediationLink(ctx, admin, custom())
	if err != nil {
		t.Fatal(err)
	}
	id := got.Link.ID
	for range links.WrongInformationLimit - 1 {
		fail(t, s, id, links.FailureWrongInformation)
		if _, err := s.ResetRemediationLink(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
	}
	// The fourth wrong-information failure closes the gate.
	fail(t, s, id, links.FailureWrongInformation)
	cycle := []links.FailureReason{links.FailureNotRepresentative, links.FailureInsufficientInformation,
		links.FailureWrongInformation}
	for ack := 1; ack <= 3; ack++ {
		if _, err := s.ResetRemediationLink(ctx, admin, id); !errors.Is(err, links.ErrSecurityCheckRequired) {
			t.Fatalf("before acknowledgement %d: reset %v, want ErrSecurityCheckRequired", ack, err)
		}
		if _, err := s.AcknowledgeSecurityCheck(ctx, admin, id); err != nil {
			t.Fatalf("acknowledgement %d: %v", ack, err)
		}
		resets := 0
		for {
			_, err := s.ResetRemediationLink(ctx, admin, id)
			if errors.Is(err, links.ErrSecurityCheckRequired) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			resets++
			if resets > 2*links.ResetsPerAcknowledgement {
				t.Fatalf("acknowledgement %d allows unbounded resets", ack)
			}
			fail(t, s, id, cycle[resets%len(cycle)])
		}
		if resets != 4 {
			t.Fatalf("acknowledgement %d allowed %d resets, want exactly 4", ack, resets)
		}
		if l, _ := s.Store.RemediationLink(ctx, id); l.Acknowledgements != ack || l.ResetCredits != 0 {
			t.Fatalf("after acknowledgement %d: %+v", ack, l)
		}
	}
}

func TestRemediationLink_L10_NothingToResetOrAcknowledge(t *testing.T) {
	s, c := newService(t)
	got, err := s.GenerateRemediationLink(ctx, admin, custom())
	if err != nil {
		t.Fatal(err)
	}
	id := got.Link.ID
	tests := []struct {
		name string
		op   func() error
		want error
		rsn  links.Reason
	}{
		{"reset with no failure", func() error { _, err := s.ResetRemediationLink(ctx, admin, id); return err },
			links.ErrNothingToReset, links.ReasonNothingToReset},
		{"acknowledge with no check", func() error { _, err := s.AcknowledgeSecurityCheck(ctx, admin, id); return err },
			links.ErrNothingToAcknowledge, links.ReasonNothingToAcknowledge},
		{"reset by a View Only user", func() error { _, err := s.ResetRemediationLink(ctx, viewer, id); return err },
			roles.ErrDenied, 0},
		{"reset of an unknown link", func() error { _, err := s.ResetRemediationLink(ctx, admin, "rml_x"); return err },
			links.ErrNotFound, 0},
		{"undeclared failure reason", func() error { _, _, err := s.RecordVerificationFailure(ctx, id, 9); return err },
			links.ErrInvalid, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.Store.RemediationLink(ctx, id)
			err := tt.op()
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			var de *links.DecisionError
			if tt.rsn != 0 && (!errors.As(err, &de) || !de.Decision.Reasons.Has(tt.rsn)) {
				t.Fatalf("error %v does not carry %v", err, tt.rsn)
			}
			if after, _ := s.Store.RemediationLink(ctx, id); !cmp.Equal(before, after) {
				t.Fatal("a refused operation changed the link")
			}
		})
	}
	c.Set(t0.Add(links.RemediationTTL))
	if _, _, err := s.RecordVerificationFailure(ctx, id, links.FailureWrongInformation); !errors.Is(err, links.ErrExpired) {
		t.Fatalf("failure on an expired link: %v", err)
	}
}

// TestRemediationLink_L9_OpenFromTheTokenAlone: opening reads the link's
// account from Accounts and the platform from Platform, so the destination
// follows their current state, not a copy the caller holds.
func TestRemediationLink_L9_OpenFromTheTokenAlone(t *testing.T) {
	s, _ := newService(t)
	a := custom()
	got, err := s.GenerateRemediationLink(ctx, admin, a)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := s.OpenRemediationLink(ctx, got.Token); err != nil || o.Destination.Kind != links.DestinationHostedOnboarding || o.Link.Account != a.ID {
		t.Fatalf("open = %+v, %v; want hosted onboarding for %s", o, err, a.ID)
	}
	a.Components.NotificationBanner = true
	accountsOf(t, s).set(a)
	if o, err := s.OpenRemediationLink(ctx, got.Token); err != nil || o.Destination.Kind != links.DestinationHostedOnboarding || !o.Destination.FellBack {
		t.Fatalf("open without a Platform = %+v, %v; want the hosted-onboarding fallback", o, err)
	}
	s.Platform = links.PlatformFunc(func(context.Context) (account.Platform, error) {
		return account.Platform{BannerPageURL: "https://platform.example/n", Live: true}, nil
	})
	if o, err := s.OpenRemediationLink(ctx, got.Token); err != nil || o.Destination.Kind != links.DestinationBannerPage {
		t.Fatalf("open with a banner page = %+v, %v; want the banner page", o, err)
	}
	boom := errors.New("platform store down")
	s.Platform = links.PlatformFunc(func(context.Context) (account.Platform, error) { return account.Platform{}, boom })
	if _, err := s.OpenRemediationLink(ctx, got.Token); !errors.Is(err, boom) {
		t.Fatalf("open with a failing PlatformSource: %v, want its error", err)
	}
	if _, err := s.OpenRemediationLink(ctx, links.Token{}); !errors.Is(err, links.ErrNotFound) {
		t.Fatalf("open with the zero token: %v, want ErrNotFound", err)
	}
}

func TestRemediationLink_L12_OpenSaysWhetherTheBannerShows(t *testing.T) {
	s, _ := newService(t)
	a := custom()
	a.Components.NotificationBanner = true
	a.Requirements = mustSet(t, requirements.Entry{Field: "external_account", Status: requirements.CurrentlyDue})
	got, err := s.GenerateRemediationLink(ctx, admin, a)
	if err != nil {
		t.Fatal(err)
	}
	s.Platform = links.PlatformFunc(func(context.Context) (account.Platform, error) {
		return account.Platform{BannerPageURL: "https://platform.example/n", Live: true}, nil
	})
	accountsOf(t, s).set(a)
	o, err := s.OpenRemediationLink(ctx, got.Token)
	if err != nil || o.Destination.Kind != links.DestinationBannerPage || !o.BannerShows {
		t.Fatalf("open: %+v, %v", o, err)
	}
	a.Requirements = mustSet(t)
	accountsOf(t, s).set(a)
	if o, _ := s.OpenRemediationLink(ctx, got.Token); o.BannerShows {
		t.Fatal("the banner shows with nothing outstanding")
	}
}
