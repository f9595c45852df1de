package linkstest_test

import (
	"fmt"
	"testing"

	"github.com/connectkit/connectkit/account/accounttest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/links/linkstest"
	"github.com/connectkit/connectkit/requirements"
	"pgregory.net/rapid"
)

// genDraws bounds the coverage tests: every value must appear among the
// examples of the first genDraws seeds (deterministic, so no flakes).
const genDraws = 300

// malformed are the reasons that say the request itself is malformed, as
// opposed to refused by a rule: a generated request never has them.
var malformed = links.ReasonsOf(links.ReasonAccountMissing, links.ReasonAccountMisconfigured,
	links.ReasonUnknownLinkType, links.ReasonRefreshURLMissing, links.ReasonRefreshURLMalformed,
	links.ReasonReturnURLMissing, links.ReasonReturnURLMalformed, links.ReasonInvalidCollectionOptions)

func TestAccountLinkRequest_WellFormed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := linkstest.DrawAccountLinkRequest(t, "req", linkstest.AccountLinkOptions{})
		if err := in.Account.Validate(); err != nil {
			t.Fatalf("account: %v", err)
		}
		if err := in.Params.Collection.Validate(); err != nil {
			t.Fatalf("collection: %v", err)
		}
		for _, u := range []string{in.Params.RefreshURL, in.Params.ReturnURL} {
			if links.CheckURL(u, in.Params.Live) != 0 {
				t.Fatalf("URL %q refused in live=%v", u, in.Params.Live)
			}
		}
		if d := in.Check(); d.Reasons&malformed != 0 {
			t.Fatalf("malformed request: %v", d)
		}
	})
}

func TestAccountLinkRequest_AllowedBias(t *testing.T) {
	for _, typ := range []links.LinkType{"", links.TypeOnboarding, links.TypeUpdate} {
		allow := linkstest.AccountLinkRequest(linkstest.AccountLinkOptions{Type: typ, Allowed: linkstest.Always})
		refuse := linkstest.AccountLinkRequest(linkstest.AccountLinkOptions{Type: typ, Allowed: linkstest.Never})
		for i := 0; i < 100; i++ {
			if in := allow.Example(i); !in.Check().Allowed {
				t.Fatalf("type %q, Allowed: Always drew a refused request: %v", typ, in.Check())
			}
			in := refuse.Example(i)
			if d := in.Check(); d.Allowed || d.Reasons&malformed != 0 {
				t.Fatalf("type %q, Allowed: Never drew %v", typ, d)
			}
		}
	}
}

// TestAccountLinkRequest_L4_AllowedBiasAndFutureRequirements checks the
// bias against L4's condition: Allowed: Always still includes future
// requirements where the platform collects requirements, never where
// Stripe does, also when the options pin the account; Allowed: Never
// refuses on that ground too, and falls back to another ground when the
// options pin an account the platform collects for.
func TestAccountLinkRequest_L4_AllowedBiasAndFutureRequirements(t *testing.T) {
	for _, legacy := range []accounttest.Legacy{"", accounttest.Standard, accounttest.Express, accounttest.Custom} {
		ao := accounttest.AccountOptions{Legacy: legacy}
		allow := linkstest.AccountLinkRequest(linkstest.AccountLinkOptions{Account: ao, Type: links.TypeOnboarding, Allowed: linkstest.Always})
		refuse := linkstest.AccountLinkRequest(linkstest.AccountLinkOptions{Account: ao, Type: links.TypeOnboarding, Allowed: linkstest.Never})
		included, refusedL4 := false, false
		for i := 0; i < genDraws; i++ {
			in := allow.Example(i)
			if d := in.Check(); !d.Allowed {
				t.Fatalf("legacy %q, Allowed: Always drew a refused request: %v", legacy, d)
			}
			included = included || in.Params.Collection.FutureRequirements == requirements.FutureInclude
			d := refuse.Example(i).Check()
			if d.Allowed || d.Reasons&malformed != 0 {
				t.Fatalf("legacy %q, Allowed: Never drew %v", legacy, d)
			}
			refusedL4 = refusedL4 || d.Reasons.Has(links.ReasonFutureRequirementsNotCollectedByPlatform)
		}
		platformCollects := legacy == "" || legacy == accounttest.Custom
		if included != platformCollects {
			t.Errorf("legacy %q, Allowed: Always: drew include %v, want %v", legacy, included, platformCollects)
		}
		if stripeCollects := legacy != accounttest.Custom; refusedL4 != stripeCollects {
			t.Errorf("legacy %q, Allowed: Never: refused on L4 %v, want %v", legacy, refusedL4, stripeCollects)
		}
	}
}

func TestAccountLinkRequest_CoversTypesModesAndCollections(t *testing.T) {
	seen := map[string]bool{}
	g := linkstest.AccountLinkRequest(linkstest.AccountLinkOptions{})
	for i := 0; i < genDraws; i++ {
		in := g.Example(i)
		seen["type="+string(in.Params.Type)] = true
		seen[fmt.Sprint("live=", in.Params.Live)] = true
		seen["fields="+string(in.Params.Collection.Fields)] = true
		seen["future="+string(in.Params.Collection.FutureRequirements)] = true
		seen[fmt.Sprint("allowed=", in.Check().Allowed)] = true
	}
	for _, k := range []string{"type=account_onboarding", "type=account_update", "live=true", "live=false",
		"fields=", "fields=" + string(requirements.CollectCurrentlyDue), "fields=" + string(requirements.CollectEventuallyDue),
		"future=", "future=omit", "future=include", "allowed=true", "allowed=false"} {
		if !seen[k] {
			t.Errorf("never drew %s in %d draws", k, genDraws)
		}
	}
}

func TestRemediationRequest_AcceptedAndBiased(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := linkstest.DrawRemediationRequest(t, "req", linkstest.RemediationOptions{})
		if err := in.Account.Validate(); err != nil {
			t.Fatalf("account: %v", err)
		}
		if err := in.Platform.Validate(); err != nil {
			t.Fatalf("platform: %v", err)
		}
		if _, err := in.Destination(); err != nil {
			t.Fatalf("ResolveDestination: %v", err)
		}
		if d := in.Check(); d.Reasons.Has(links.ReasonAccountMissing) {
			t.Fatalf("malformed: %v", d)
		}
	})
	allow := linkstest.RemediationRequest(linkstest.RemediationOptions{Allowed: linkstest.Always})
	refuse := linkstest.RemediationRequest(linkstest.RemediationOptions{Allowed: linkstest.Never})
	for i := 0; i < 100; i++ {
		if d := allow.Example(i).Check(); !d.Allowed {
			t.Fatalf("Allowed: Always drew a refused request: %v", d)
		}
		if d := refuse.Example(i).Check(); d.Allowed {
			t.Fatal("Allowed: Never drew an allowed request")
		}
	}
}

func TestRemediationRequest_CoversReasonsAndDestinations(t *testing.T) {
	reasons := links.Reasons(0)
	kinds := map[links.DestinationKind]bool{}
	fellBack := false
	g := linkstest.RemediationRequest(linkstest.RemediationOptions{})
	for i := 0; i < genDraws; i++ {
		in := g.Example(i)
		reasons |= in.Check().Reasons
		d, err := in.Destination()
		if err != nil {
			t.Fatal(err)
		}
		kinds[d.Kind], fellBack = true, fellBack || d.FellBack
	}
	for _, r := range []links.Reason{links.ReasonAccountRemoved, links.ReasonOwnerNotSet,
		links.ReasonRepresentativeNameMissing, links.ReasonRepresentativeDOBMissing, links.ReasonExternalAccountMissing} {
		if !reasons.Has(r) {
			t.Errorf("never refused with %v in %d draws", r.Code(), genDraws)
		}
	}
	for k := links.DestinationBannerPage; k <= links.DestinationHostedOnboarding; k++ {
		if !kinds[k] {
			t.Errorf("never opened at %v in %d draws", k, genDraws)
		}
	}
	if !fellBack {
		t.Errorf("never fell back to hosted onboarding (L9)")
	}
}

func ExampleAccountLinkRequest() {
	// account_update links that the rules allow (L3, L5).
	g := linkstest.AccountLinkRequest(linkstest.AccountLinkOptions{
		Type:    links.TypeUpdate,
		Allowed: linkstest.Always,
	})
	in := g.Example(2)
	fmt.Println(in.Params.Type, in.Account.Dashboard, in.Check().Allowed)
	// Output: account_update none true
}
