package links_test

import (
	"context"
	"errors"
	"github.com/connectkit/connectkit/errkind"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
)

func reasons(rs ...links.Reason) links.Reasons { return links.ReasonsOf(rs...) }

func TestAccountLink_L2_URLs(t *testing.T) {
	tests := []struct {
		name          string
		refresh, ret  string
		live          bool
		want          links.Reasons
		wantSentinels []error
	}{
		{"https in live mode", "https://a.example/r", "https://a.example/x", true, 0, nil},
		{"http in test mode", "http://localhost:8080/r", "http://localhost:8080/x", false, 0, nil},
		{"http refresh in live mode", "http://a.example/r", "https://a.example/x", true,
			reasons(links.ReasonRefreshURLInsecure), []error{links.ErrInvalidURL}},
		{"http both in live mode", "http://a.example/r", "HTTP://a.example/x", true,
			reasons(links.ReasonRefreshURLInsecure, links.ReasonReturnURLInsecure), []error{links.ErrInvalidURL}},
		{"missing both", "", "", false,
			reasons(links.ReasonRefreshURLMissing, links.ReasonReturnURLMissing), []error{links.ErrInvalidURL}},
		{"relative refresh", "/refresh", "https://a.example/x", false,
			reasons(links.ReasonRefreshURLMalformed), []error{links.ErrInvalidURL}},
		{"ftp return", "https://a.example/r", "ftp://a.example/x", false,
			reasons(links.ReasonReturnURLMalformed), []error{links.ErrInvalidURL}},
		{"no host", "https:///r", "https://a.example/x", false,
			reasons(links.ReasonRefreshURLMalformed), []error{links.ErrInvalidURL}},
		{"space in URL", "https://a.example/a b", "https://a.example/x", false,
			reasons(links.ReasonRefreshURLMalformed), []error{links.ErrInvalidURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := onboarding(tt.live)
			p.RefreshURL, p.ReturnURL = tt.refresh, tt.ret
			d := links.CanCreateAccountLink(custom(), p)
			if d.Reasons != tt.want || d.Allowed != (tt.want == 0) {
				t.Fatalf("CanCreateAccountLink = %v (%v), want reasons %v", d.Reasons, d.Allowed, tt.want)
			}
			for _, s := range tt.wantSentinels {
				if !errors.Is(d.Err(), s) {
					t.Errorf("Err() = %v, want it to match %v", d.Err(), s)
				}
			}
		})
	}
}

func TestAccountLink_L2_ValidateURLError(t *testing.T) {
	err := links.ValidateURL(links.RefreshURL, "http://a.example/secret?token=abc", true)
	var ue *links.URLError
	if !errors.As(err, &ue) || ue.Field != links.RefreshURL || ue.Problem != links.URLInsecure {
		t.Fatalf("ValidateURL = %v, want a *URLError for refresh_url, insecure", err)
	}
	if !errors.Is(err, links.ErrInvalidURL) {
		t.Fatalf("ValidateURL error does not match ErrInvalidURL")
	}
	if msg := err.Error(); strings.Contains(msg, "secret") {
		t.Fatalf("error text %q repeats the URL", msg)
	}
}

func TestAccountLink_L3_L5_TypeRestrictions(t *testing.T) {
	noDashStripeLiable := custom()
	noDashStripeLiable.NegativeBalanceLiability = account.PartyStripe
	stripeCollectsNoDash := custom()
	stripeCollectsNoDash.RequirementCollection = account.PartyStripe
	tests := []struct {
		name string
		a    account.Account
		typ  links.LinkType
		want links.Reasons
	}{
		{"onboarding, custom", custom(), links.TypeOnboarding, 0},
		{"onboarding, standard", standard(), links.TypeOnboarding, 0},
		{"onboarding, express", express(), links.TypeOnboarding, 0},
		{"L3 update, custom", custom(), links.TypeUpdate, 0},
		{"L3 update, standard: Stripe collects and full dashboard", standard(), links.TypeUpdate,
			reasons(links.ReasonUpdateNotCollectedByPlatform, links.ReasonUpdateStripeHostedDashboard)},
		{"L3 update, express dashboard", express(), links.TypeUpdate,
			reasons(links.ReasonUpdateNotCollectedByPlatform, links.ReasonUpdateStripeHostedDashboard)},
		{"L3 update, Stripe collects, no dashboard", stripeCollectsNoDash, links.TypeUpdate,
			reasons(links.ReasonUpdateNotCollectedByPlatform)},
		{"L5 update, no dashboard, Stripe liable", noDashStripeLiable, links.TypeUpdate,
			reasons(links.ReasonEmbeddedComponentsRequired)},
		{"L5 applies to updates only", noDashStripeLiable, links.TypeOnboarding, 0},
		{"L3 unknown type", custom(), "account_management", reasons(links.ReasonUnknownLinkType)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := onboarding(true)
			p.Type = tt.typ
			d := links.CanCreateAccountLink(tt.a, p)
			if d.Reasons != tt.want {
				t.Fatalf("reasons = %v, want %v (%s)", d.Reasons, tt.want, d)
			}
		})
	}
}

func TestAccountLink_L4_CollectionOptions(t *testing.T) {
	tests := []struct {
		c    requirements.Collection
		want links.Reasons
	}{
		{requirements.Collection{}, 0},
		{requirements.Collection{Fields: requirements.CollectEventuallyDue, FutureRequirements: requirements.FutureInclude}, 0},
		{requirements.Collection{Fields: "everything"}, reasons(links.ReasonInvalidCollectionOptions)},
		{requirements.Collection{FutureRequirements: "maybe"}, reasons(links.ReasonInvalidCollectionOptions)},
	}
	for _, tt := range tests {
		p := onboarding(true)
		p.Collection = tt.c
		if d := links.CanCreateAccountLink(custom(), p); d.Reasons != tt.want {
			t.Errorf("collection %+v: reasons %v, want %v", tt.c, d.Reasons, tt.want)
		}
	}
}

// TestAccountLink_L4_FutureRequirementsOnlyWherePlatformCollects checks the
// seed's condition (001, "Determine the information to collect"): "For
// connected accounts where you're responsible for requirement collection
// … set collection_options.future_requirements to include". An account
// whose requirements Stripe collects is refused include, with either link
// type; omit (and the empty default) stays allowed for every account.
func TestAccountLink_L4_FutureRequirementsOnlyWherePlatformCollects(t *testing.T) {
	stripeCollectsNoDash := custom()
	stripeCollectsNoDash.RequirementCollection = account.PartyStripe
	stripeCollectsNoDash.NegativeBalanceLiability = account.PartyStripe
	const refused = "future_requirements_not_collected_by_platform"
	tests := []struct {
		name   string
		a      account.Account
		typ    links.LinkType
		future requirements.FutureRequirements
		want   []string // reason codes; nil when allowed
	}{
		{"custom, include", custom(), links.TypeOnboarding, requirements.FutureInclude, nil},
		{"custom, update, include", custom(), links.TypeUpdate, requirements.FutureInclude, nil},
		{"standard, include", standard(), links.TypeOnboarding, requirements.FutureInclude, []string{refused}},
		{"express, include", express(), links.TypeOnboarding, requirements.FutureInclude, []string{refused}},
		{"Stripe collects, no dashboard, include", stripeCollectsNoDash, links.TypeOnboarding, requirements.FutureInclude, []string{refused}},
		{"standard, update, include: every reason", standard(), links.TypeUpdate, requirements.FutureInclude,
			[]string{"update_not_collected_by_platform", "update_stripe_hosted_dashboard", refused}},
		{"standard, omit", standard(), links.TypeOnboarding, requirements.FutureOmit, nil},
		{"standard, default", standard(), links.TypeOnboarding, "", nil},
		{"express, omit", express(), links.TypeOnboarding, requirements.FutureOmit, nil},
		{"Stripe collects, no dashboard, omit", stripeCollectsNoDash, links.TypeOnboarding, requirements.FutureOmit, nil},
		{"custom, omit", custom(), links.TypeOnboarding, requirements.FutureOmit, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := onboarding(true)
			p.Type = tt.typ
			p.Collection = requirements.Collection{Fields: requirements.CollectEventuallyDue, FutureRequirements: tt.future}
			d := links.CanCreateAccountLink(tt.a, p)
			if diff := cmp.Diff(tt.want, d.Reasons.Codes(), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("reason codes (-want +got):\n%s", diff)
			}
			if d.Allowed != (tt.want == nil) {
				t.Fatalf("Allowed = %v, want %v", d.Allowed, tt.want == nil)
			}
			for r := range d.Reasons.All() {
				if r.Code() == refused && (r.Rule() != "L4" || !errors.Is(r.Err(), links.ErrNotEligible)) {
					t.Errorf("%s: rule %s, error %v; want L4 and ErrNotEligible", refused, r.Rule(), r.Err())
				}
			}
		})
	}
}

func TestAccountLink_A6_RemovedAccountAndEveryReasonAtOnce(t *testing.T) {
	a := standard()
	a.Removed = true
	a.ID = ""
	p := links.AccountLinkParams{Type: links.TypeUpdate, RefreshURL: "http://x.example", Live: true}
	d := links.CanCreateAccountLink(a, p)
	want := reasons(links.ReasonAccountMissing, links.ReasonAccountRemoved, links.ReasonRefreshURLInsecure,
		links.ReasonReturnURLMissing, links.ReasonUpdateNotCollectedByPlatform, links.ReasonUpdateStripeHostedDashboard)
	if d.Reasons != want {
		t.Fatalf("reasons = %v, want %v", d.Reasons, want)
	}
	for _, s := range []error{links.ErrInvalid, links.ErrNotEligible, links.ErrInvalidURL} {
		if !errors.Is(d.Err(), s) {
			t.Errorf("Err() does not match %v", s)
		}
	}
	if errors.Is(d.Err(), links.ErrDenied) {
		t.Errorf("Err() matches ErrDenied without a role reason")
	}
}

func TestAccountLink_A1_MisconfiguredAccount(t *testing.T) {
	a := custom()
	a.Dashboard = "sometimes"
	if d := links.CanCreateAccountLink(a, onboarding(true)); d.Reasons != reasons(links.ReasonAccountMisconfigured) {
		t.Fatalf("reasons = %v", d.Reasons)
	}
}

func TestAccountLink_L1_DefaultTTLIs300Seconds(t *testing.T) {
	s, _ := newService(t)
	got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Link.ExpiresAt.Sub(got.Link.Created); d != 300*time.Second {
		t.Fatalf("lifetime %v, want 300s", d)
	}
	s.AccountLinkTTL = 10 * time.Minute
	got, err = s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Link.ExpiresAt.Sub(got.Link.Created); d != 10*time.Minute {
		t.Fatalf("configured lifetime %v, want 10m", d)
	}
}

func TestAccountLink_L1_RefusedCreateStoresNothing(t *testing.T) {
	s, _ := newService(t)
	p := onboarding(true)
	p.RefreshURL = "http://insecure.example"
	_, err := s.CreateAccountLink(ctx, owner, custom(), p)
	var de *links.DecisionError
	if !errors.As(err, &de) || !de.Decision.Reasons.Has(links.ReasonRefreshURLInsecure) {
		t.Fatalf("CreateAccountLink = %v, want a decision naming refresh_url_insecure", err)
	}
}

func TestAccountLink_L1_RedeemOnceThenRedirect(t *testing.T) {
	tests := []struct {
		name       string
		at         []time.Time // redemption instants, in order
		wantLast   links.Outcome
		wantReason links.Reason
	}{
		{"first visit proceeds", []time.Time{t1}, links.Proceed, 0},
		{"last instant before expiry proceeds", []time.Time{t2}, links.Proceed, 0},
		{"at expiry redirects", []time.Time{t3}, links.Redirect, links.ReasonLinkExpired},
		{"second visit redirects (back button, chat preview)", []time.Time{t1, t1}, links.Redirect, links.ReasonLinkAlreadyUsed},
		{"used, then expired: already used", []time.Time{t1, t3}, links.Redirect, links.ReasonLinkAlreadyUsed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newService(t)
			got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
			if err != nil {
				t.Fatal(err)
			}
			var r links.Redemption
			for _, at := range tt.at {
				c.Set(at)
				if r, err = s.Redeem(ctx, got.Token); err != nil {
					t.Fatal(err)
				}
			}
			if r.Outcome != tt.wantLast || r.Reason != tt.wantReason {
				t.Fatalf("redemption = %v/%v, want %v/%v", r.Outcome, r.Reason, tt.wantLast, tt.wantReason)
			}
			if r.Outcome == links.Redirect && r.RedirectURL != "https://platform.example/refresh?refresh_key="+got.Token.RefreshKey() {
				t.Fatalf("redirect URL %q, want the refresh URL with the link's refresh key", r.RedirectURL)
			}
		})
	}
}

func TestAccountLink_L1_UnknownTokenRedirects(t *testing.T) {
	s, _ := newService(t)
	for _, in := range []string{"", "lnk_nope", "not a token at all"} {
		r, err := s.RedeemString(ctx, in)
		if err != nil || r.Outcome != links.Redirect || r.Reason != links.ReasonLinkUnknown || r.RedirectURL != "" {
			t.Errorf("RedeemString(%q) = %+v, %v; want redirect, link_unknown, no URL", in, r, err)
		}
	}
	tok, _ := links.NewToken(seeded(99))
	if r, err := s.Redeem(ctx, tok); err != nil || r.Reason != links.ReasonLinkUnknown {
		t.Errorf("Redeem(never issued) = %+v, %v", r, err)
	}
}

func TestAccountLink_L1_ConcurrentRedeemExactlyOneProceeds(t *testing.T) {
	s, _ := newService(t)
	got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	outcomes := make([]links.Redemption, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := s.RedeemString(ctx, got.Token.Reveal())
			if err != nil {
				t.Error(err)
			}
			outcomes[i] = r
		}()
	}
	wg.Wait()
	proceeded := 0
	for _, r := range outcomes {
		switch {
		case r.Outcome == links.Proceed:
			proceeded++
		case r.Reason != links.ReasonLinkAlreadyUsed:
			t.Errorf("a loser was told %v", r.Reason)
		}
	}
	if proceeded != 1 {
		t.Fatalf("%d of %d concurrent redemptions proceeded, want exactly 1", proceeded, n)
	}
}

func TestAccountLink_Q5_RedeemGivesFieldsToCollect(t *testing.T) {
	reqs := mustSet(t,
		requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue},
		requirements.Entry{Field: "external_account", Status: requirements.PastDue},
		requirements.Entry{Field: "individual.id_number", Status: requirements.EventuallyDue},
		requirements.Entry{Field: "company.tax_id", Status: requirements.EventuallyDue, Future: true},
	)
	tests := []struct {
		c    requirements.Collection
		want []string
	}{
		{requirements.Collection{}, []string{"external_account", "individual.dob.day"}},
		{requirements.Collection{Fields: requirements.CollectEventuallyDue},
			[]string{"external_account", "individual.dob.day", "individual.id_number"}},
		{requirements.Collection{Fields: requirements.CollectEventuallyDue, FutureRequirements: requirements.FutureInclude},
			[]string{"company.tax_id", "external_account", "individual.dob.day", "individual.id_number"}},
	}
	for _, tt := range tests {
		s, _ := newService(t)
		s.Requirements = reqsByAccount{"acct_custom": reqs}
		p := onboarding(true)
		p.Collection = tt.c
		got, err := s.CreateAccountLink(ctx, owner, custom(), p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Redeem(ctx, got.Token)
		if err != nil || r.Outcome != links.Proceed {
			t.Fatalf("Redeem = %+v, %v", r, err)
		}
		if diff := cmp.Diff(tt.want, r.Fields); diff != "" {
			t.Errorf("collection %+v: fields (-want +got):\n%s", tt.c, diff)
		}
	}
}

// TestAccountLink_Q5_FutureScopeOnlyWherePlatformCollects checks that the
// service holds to L4's condition on the future-requirements scope:
// CreateAccountLink refuses include for an account Stripe collects for,
// and Refresh, which checks the account's current state again, refuses to
// carry include on once Stripe has taken requirement collection over.
func TestAccountLink_Q5_FutureScopeOnlyWherePlatformCollects(t *testing.T) {
	s, c := newService(t)
	p := onboarding(true)
	p.Collection = requirements.Collection{Fields: requirements.CollectEventuallyDue, FutureRequirements: requirements.FutureInclude}
	_, err := s.CreateAccountLink(ctx, owner, standard(), p)
	var de *links.DecisionError
	if !errors.As(err, &de) || !errors.Is(err, links.ErrNotEligible) ||
		!cmp.Equal(de.Decision.Reasons.Codes(), []string{"future_requirements_not_collected_by_platform"}) {
		t.Fatalf("CreateAccountLink(standard, include) = %v; want only future_requirements_not_collected_by_platform", err)
	}
	omit := p
	omit.Collection.FutureRequirements = requirements.FutureOmit
	if _, err := s.CreateAccountLink(ctx, owner, standard(), omit); err != nil {
		t.Fatalf("CreateAccountLink(standard, omit) = %v; want a link", err)
	}

	first, err := s.CreateAccountLink(ctx, owner, custom(), p)
	if err != nil {
		t.Fatal(err)
	}
	taken := custom()
	taken.RequirementCollection = account.PartyStripe
	accountsOf(t, s).set(taken)
	c.Advance(links.DefaultAccountLinkTTL)
	_, err = s.Refresh(ctx, first.Token)
	if !errors.As(err, &de) || de.Decision.Op != links.OpRefreshAccountLink ||
		!cmp.Equal(de.Decision.Reasons.Codes(), []string{"future_requirements_not_collected_by_platform"}) {
		t.Fatalf("Refresh after Stripe took collection over = %v; want future_requirements_not_collected_by_platform", err)
	}
}

func TestAccountLink_Q5_FailingRequirementsSourceDoesNotBurnTheLink(t *testing.T) {
	s, _ := newService(t)
	boom := errors.New("boom")
	s.Requirements = links.RequirementsFunc(func(_ context.Context, _ account.ID) (requirements.Set, error) {
		return requirements.Set{}, boom
	})
	got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redeem(ctx, got.Token); !errors.Is(err, boom) {
		t.Fatalf("Redeem error %v, want boom", err)
	}
	s.Requirements = reqsByAccount{}
	if r, err := s.Redeem(ctx, got.Token); err != nil || r.Outcome != links.Proceed {
		t.Fatalf("retry: %+v, %v; want proceed", r, err)
	}
}

func TestAccountLink_L1_RefreshSameParametersNewToken(t *testing.T) {
	s, c := newService(t)
	p := onboarding(false)
	p.Collection = requirements.Collection{Fields: requirements.CollectEventuallyDue}
	first, err := s.CreateAccountLink(ctx, owner, custom(), p)
	if err != nil {
		t.Fatal(err)
	}
	c.Set(t3) // expired
	next, err := s.Refresh(ctx, first.Token)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first.Link.Params, next.Link.Params); diff != "" {
		t.Fatalf("refresh changed parameters (-old +new):\n%s", diff)
	}
	if next.Link.Chain != first.Link.Chain || next.Link.Hash == first.Link.Hash {
		t.Fatalf("refresh: chain %v→%v, hash %v→%v", first.Link.Chain, next.Link.Chain, first.Link.Hash, next.Link.Hash)
	}
	if !next.Link.ExpiresAt.Equal(t3.Add(links.DefaultAccountLinkTTL)) {
		t.Fatalf("new link expires %v", next.Link.ExpiresAt)
	}
	if r, _ := s.Redeem(ctx, next.Token); r.Outcome != links.Proceed {
		t.Fatalf("refreshed link: %v", r.Reason)
	}
}

func TestAccountLink_L1_RefreshBound(t *testing.T) {
	s, c := newService(t)
	s.RefreshLimit, s.RefreshWindow = 3, time.Hour
	first, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	prev := first.Token
	for i := range 3 {
		spend(t, s, prev)
		got, err := s.Refresh(ctx, prev)
		if err != nil {
			t.Fatalf("refresh %d: %v", i+1, err)
		}
		prev = got.Token
	}
	spend(t, s, prev)
	_, err = s.Refresh(ctx, prev)
	var de *links.DecisionError
	if !errors.Is(err, links.ErrRefreshLimit) || !errors.As(err, &de) || !de.Decision.Reasons.Has(links.ReasonRefreshLimitExceeded) {
		t.Fatalf("4th refresh: %v, want refresh_limit_exceeded", err)
	}
	// A new chain is not affected; the old chain recovers after its window.
	other := mustCreate(t, s).Token
	spend(t, s, other)
	if _, err := s.Refresh(ctx, other); err != nil {
		t.Fatalf("other chain: %v", err)
	}
	c.Set(t0.Add(time.Hour))
	if _, err := s.Refresh(ctx, prev); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// spend redeems tok, so that Refresh may replace it (a live link is
// refused with link_still_valid); a link already spent stays so.
func spend(t testing.TB, s *links.Service, tok links.Token) {
	t.Helper()
	if _, err := s.Redeem(ctx, tok); err != nil {
		t.Fatal(err)
	}
}

func mustCreate(t *testing.T, s *links.Service) links.IssuedAccountLink {
	t.Helper()
	got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestAccountLink_L1_RefreshRechecksAccount(t *testing.T) {
	s, _ := newService(t)
	first := mustCreate(t, s)
	spend(t, s, first.Token)
	// The account changed since the link was made: the rules are checked
	// again against its current state, read from Accounts.
	changed := custom()
	changed.Dashboard = "unknown"
	accountsOf(t, s).set(changed)
	var de *links.DecisionError
	if _, err := s.Refresh(ctx, first.Token); !errors.As(err, &de) || !de.Decision.Reasons.Has(links.ReasonAccountMisconfigured) || de.Decision.Op != links.OpRefreshAccountLink {
		t.Fatalf("refresh for a misconfigured account: %v, want account_misconfigured", err)
	}
	removed := custom()
	removed.Removed = true
	accountsOf(t, s).set(removed)
	if _, err := s.Refresh(ctx, first.Token); !errors.As(err, &de) || !de.Decision.Reasons.Has(links.ReasonAccountRemoved) {
		t.Fatalf("refresh for a removed account: %v, want account_removed", err)
	}
	tok, _ := links.NewToken(seeded(7))
	if _, err := s.Refresh(ctx, tok); !errors.Is(err, links.ErrNotFound) {
		t.Fatalf("refresh of unknown link: %v", err)
	}
}

func TestAccountLink_Q9_ReturnSaysOnlyWhatRequirementsSay(t *testing.T) {
	due := mustSet(t, requirements.Entry{Field: "individual.dob.day", Status: requirements.CurrentlyDue})
	done := mustSet(t)
	tests := []struct {
		name         string
		reqs         requirements.Set
		wantComplete bool
	}{
		{"returned with fields due: incomplete", due, false},
		{"returned with nothing due: complete", done, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newService(t)
			s.Requirements = reqsByAccount{"acct_custom": tt.reqs}
			got := mustCreate(t, s)
			if _, err := s.Return(ctx, got.Token); !errors.Is(err, links.ErrNotRedeemed) {
				t.Fatalf("return before redeem: %v", err)
			}
			if _, err := s.Redeem(ctx, got.Token); err != nil {
				t.Fatal(err)
			}
			c.Set(t1)
			r, err := s.Return(ctx, got.Token)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Checked || r.Complete != tt.wantComplete || !r.Link.ReturnedAt.Equal(t1) {
				t.Fatalf("Return = %+v, want complete=%v returned at t1", r, tt.wantComplete)
			}
		})
	}
}

func TestService_ZeroOptionsAreSafe(t *testing.T) {
	var s links.Service
	if _, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true)); !errors.Is(err, links.ErrNoStore) {
		t.Fatalf("nil Store: %v", err)
	}
	s = links.Service{Store: links.NewMemoryStore()}
	if _, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true)); !errors.Is(err, links.ErrInvalidOption) {
		t.Fatalf("nil Accounts: %v", err)
	}
	s = links.Service{Store: links.NewMemoryStore(), Accounts: &knownAccounts{}, AccountLinkTTL: -time.Second}
	if _, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true)); !errors.Is(err, links.ErrInvalidOption) {
		t.Fatalf("negative TTL: %v", err)
	}
	s = links.Service{Store: links.NewMemoryStore(), Accounts: &knownAccounts{}} // system clock, crypto/rand, default policy
	got, err := s.CreateAccountLink(ctx, owner, custom(), onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Redeem(ctx, got.Token); err != nil || r.Outcome != links.Proceed {
		t.Fatalf("Redeem = %+v, %v", r, err)
	}
	if _, err := s.GenerateRemediationLink(ctx, admin, custom()); err != nil {
		t.Fatalf("default policy lets an Administrator generate: %v", err)
	}
}

// TestAccountLink_L1_RefreshRefusesALiveLink: a refresh key is the token
// with its prefix swapped, so anyone holding a live link's URL can derive
// it. Refresh answers only for a link that is spent or expired (the
// redirect case); a live link is refused with link_still_valid, nothing
// is written, and the link still works for the person.
func TestAccountLink_L1_RefreshRefusesALiveLink(t *testing.T) {
	s, c := newService(t)
	live := mustCreate(t, s)
	c.Set(t3.Add(-time.Second)) // the last second of its life
	key, err := links.ParseRefreshKey(live.Token.RefreshKey())
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Refresh(ctx, key)
	var de *links.DecisionError
	if !errors.Is(err, links.ErrStillValid) || !errors.As(err, &de) || de.Decision.Op != links.OpRefreshAccountLink ||
		de.Decision.Reasons != links.ReasonsOf(links.ReasonLinkStillValid) || errkind.Of(err) != errkind.NotEligible {
		t.Fatalf("refresh of a live link: %v, want link_still_valid alone (NotEligible)", err)
	}
	if r, err := s.Redeem(ctx, live.Token); err != nil || r.Outcome != links.Proceed {
		t.Fatalf("the live link after the refused refresh: %v %v, want proceed", r.Outcome, err)
	}
	// Spent (redeemed), it refreshes; so does an expired one.
	if _, err := s.Refresh(ctx, live.Token); err != nil {
		t.Fatalf("refresh of a redeemed link: %v", err)
	}
	expired := mustCreate(t, s)
	c.Set(expired.Link.ExpiresAt)
	if _, err := s.Refresh(ctx, expired.Token); err != nil {
		t.Fatalf("refresh of an expired link: %v", err)
	}
}
