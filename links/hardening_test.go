package links_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/roles"
)

// TestService_A6_RemovedAccountRefusesEveryLinksOperation: after
// account.Service.Remove, a link issued before neither redeems nor
// refreshes nor returns, and a remediation link neither opens nor resets
// (issue 18, item 3).
func TestService_A6_RemovedAccountRefusesEveryLinksOperation(t *testing.T) {
	c := clocktest.New(t0)
	accts := &account.MemoryStore{}
	std := standard()
	std.ID = "acct_removed"
	if _, err := accts.Create(ctx, std); err != nil {
		t.Fatal(err)
	}
	s := &links.Service{Store: links.NewMemoryStore(), Accounts: accts, Clock: c, Rand: seeded(1)}
	al, err := s.CreateAccountLink(ctx, owner, std, onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	used, err := s.CreateAccountLink(ctx, owner, std, onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Redeem(ctx, used.Token); err != nil || r.Outcome != links.Proceed {
		t.Fatalf("redeem before removal: %+v, %v", r, err)
	}
	rl, err := s.GenerateRemediationLink(ctx, admin, std)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.RecordVerificationFailure(ctx, rl.Link.ID, links.FailureNotRepresentative); err != nil {
		t.Fatal(err)
	}

	asvc := &account.Service{Store: accts, Clock: c}
	if _, d, err := asvc.Remove(ctx, roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}, std.ID); err != nil || !d.Allowed {
		t.Fatalf("Remove: %v, %v", d, err)
	}
	stale := std // the caller's copy, from before the removal
	wantRemoved := func(what string, err error) {
		t.Helper()
		var de *links.DecisionError
		if !errors.As(err, &de) || !de.Decision.Reasons.Has(links.ReasonAccountRemoved) || !errors.Is(err, links.ErrNotEligible) {
			t.Errorf("%s on a removed account: %v, want a refusal with ReasonAccountRemoved (A6)", what, err)
		}
	}
	r, err := s.Redeem(ctx, al.Token)
	if err != nil || r.Outcome != links.Redirect || r.Reason != links.ReasonAccountRemoved {
		t.Errorf("Redeem after removal = %v (%v), %v; want redirect for account_removed", r.Outcome, r.Reason, err)
	}
	if l, _ := s.Store.AccountLink(ctx, al.Token.Hash()); l.Used() {
		t.Error("a refused redemption consumed the link")
	}
	_, err = s.Refresh(ctx, used.Token) // spent, so only the removal refuses it
	wantRemoved("Refresh", err)
	_, err = s.Return(ctx, used.Token)
	wantRemoved("Return", err)
	_, err = s.CreateAccountLink(ctx, owner, stale, onboarding(true))
	wantRemoved("CreateAccountLink with a stale copy", err)
	_, err = s.OpenRemediationLink(ctx, rl.Token)
	wantRemoved("OpenRemediationLink", err)
	_, err = s.ResetRemediationLink(ctx, admin, rl.Link.ID)
	wantRemoved("ResetRemediationLink", err)
	_, err = s.GenerateRemediationLink(ctx, admin, stale)
	wantRemoved("GenerateRemediationLink with a stale copy", err)
	if l, _ := s.Store.RemediationLink(ctx, rl.Link.ID); l.Pending == 0 || l.Resets != 0 {
		t.Errorf("the remediation link was reset after removal: %+v", l)
	}
	// Revocation only takes access away: allowed.
	if _, err := s.RevokeRemediationLink(ctx, admin, rl.Link.ID); err != nil {
		t.Errorf("revoking a removed account's link: %v", err)
	}
}

// TestRefresh_L1_YearOldConsumedTokenRefusedForever replays the issue's
// scenario: a consumed token a year old, refreshed every six minutes for a
// day, made 240 live links. Now the chain is too old to refresh at all.
func TestRefresh_L1_YearOldConsumedTokenRefusedForever(t *testing.T) {
	s, c := newService(t)
	a := custom()
	got, err := s.CreateAccountLink(ctx, owner, a, onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redeem(ctx, got.Token); err != nil {
		t.Fatal(err)
	}
	c.Advance(365 * 24 * time.Hour)
	made := 0
	for range 240 {
		c.Advance(6 * time.Minute)
		if _, err := s.Refresh(ctx, got.Token); err == nil {
			made++
		} else if !errors.Is(err, links.ErrExpired) {
			t.Fatalf("refresh of a year-old chain: %v, want ErrExpired (chain too old)", err)
		}
	}
	if made != 0 {
		t.Fatalf("a year-old consumed token refreshed into %d links", made)
	}
}

// TestRefresh_L1_ChainMaxAge: a chain refreshes up to
// DefaultRefreshChainAge after its first link, and not at it.
func TestRefresh_L1_ChainMaxAge(t *testing.T) {
	s, c := newService(t)
	a := custom()
	got, err := s.CreateAccountLink(ctx, owner, a, onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	tok := got.Token
	c.Set(t0.Add(links.DefaultRefreshChainAge - time.Nanosecond))
	next, err := s.Refresh(ctx, tok)
	if err != nil {
		t.Fatalf("refresh just inside the chain's age: %v", err)
	}
	if !next.Link.ChainStarted.Equal(t0) {
		t.Fatalf("the refreshed link's chain started %v, want %v", next.Link.ChainStarted, t0)
	}
	spend(t, s, next.Token)
	c.Set(t0.Add(links.DefaultRefreshChainAge))
	_, err = s.Refresh(ctx, next.Token)
	var de *links.DecisionError
	if !errors.As(err, &de) || !de.Decision.Reasons.Has(links.ReasonRefreshChainExpired) {
		t.Fatalf("refresh at the chain's maximum age: %v, want refresh_chain_expired", err)
	}
}

// TestRefresh_L1_RetiresTheReplacedLink: refreshing an expired link
// retires it, so a chain never has two live links; only the latest link of
// a chain can be refreshed.
func TestRefresh_L1_RetiresTheReplacedLink(t *testing.T) {
	s, c := newService(t)
	a := custom()
	first, err := s.CreateAccountLink(ctx, owner, a, onboarding(true))
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(links.DefaultAccountLinkTTL) // first expired
	second, err := s.Refresh(ctx, first.Token)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Redeem(ctx, first.Token); err != nil || r.Outcome != links.Redirect || r.Reason != links.ReasonLinkReplaced {
		t.Fatalf("redeem of the replaced link = %v (%v), %v; want redirect, link_replaced", r.Outcome, r.Reason, err)
	}
	_, err = s.Refresh(ctx, first.Token)
	if !errors.Is(err, links.ErrSuperseded) {
		t.Fatalf("refresh of a replaced link: %v, want ErrSuperseded", err)
	}
	if r, err := s.Redeem(ctx, second.Token); err != nil || r.Outcome != links.Proceed {
		t.Fatalf("redeem of the latest link = %+v, %v", r, err)
	}
	// Used, the latest link still refreshes (L1: an already visited link
	// sends the user to the refresh URL).
	if _, err := s.Refresh(ctx, second.Token); err != nil {
		t.Fatalf("refresh of the used latest link: %v", err)
	}
}

// TestRemediationLink_L6_TokensCappedAndRevocable: 10,000 regenerations
// leave MaxRemediationTokens tokens, the newest; revocation retires all.
func TestRemediationLink_L6_TokensCappedAndRevocable(t *testing.T) {
	s, _ := newService(t)
	a := custom()
	var toks []links.Token
	for range 10_000 {
		got, err := s.GenerateRemediationLink(ctx, admin, a)
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, got.Token)
	}
	valid := 0
	for i, tok := range toks {
		_, err := s.OpenRemediationLink(ctx, tok)
		switch {
		case err == nil:
			valid++
			if i < len(toks)-links.MaxRemediationTokens {
				t.Fatalf("token %d of %d still opens the link", i, len(toks))
			}
		case !errors.Is(err, links.ErrNotFound):
			t.Fatalf("token %d: %v", i, err)
		}
	}
	if valid != links.MaxRemediationTokens {
		t.Fatalf("%d valid tokens after 10,000 regenerations, want %d", valid, links.MaxRemediationTokens)
	}
	id := func() links.LinkID { l, _ := s.Store.RemediationLinkByAccount(ctx, a.ID); return l.ID }()
	if _, err := s.RevokeRemediationLink(ctx, viewer, id); !errors.Is(err, links.ErrDenied) {
		t.Fatalf("View Only revokes: %v, want ErrDenied (L7)", err)
	}
	rev, err := s.RevokeRemediationLink(ctx, analyst, id)
	if err != nil || rev.RevokedAt.IsZero() || rev.LastChangedBy != analyst.ID {
		t.Fatalf("revoke by a Connect Onboarding Analyst: %+v, %v", rev, err)
	}
	if _, err := s.OpenRemediationLink(ctx, toks[len(toks)-1]); !errors.Is(err, links.ErrNotFound) {
		t.Fatalf("newest token after revocation: %v, want ErrNotFound", err)
	}
	if _, err := s.ResetRemediationLink(ctx, admin, id); !errors.Is(err, links.ErrExpired) {
		t.Fatalf("reset of a revoked link: %v, want ErrExpired", err)
	}
	next, err := s.GenerateRemediationLink(ctx, admin, a)
	if err != nil || !next.New || next.Link.ID == id {
		t.Fatalf("generation after revocation: %+v, %v; want a new link", next.Link, err)
	}
}

// TestService_BadInputRefusedAtTheBoundary: IDs with NUL, invalid UTF-8 or
// 12,000 characters are refused with ErrInvalid before any Store
// sees them (issue 18, item 7).
func TestService_BadInputRefusedAtTheBoundary(t *testing.T) {
	s, _ := newService(t)
	for name, bad := range map[string]string{
		"NUL": "acct_\x00", "invalid UTF8": "acct_\xff", "12000 chars": strings.Repeat("a", 12_000),
	} {
		a := custom()
		a.ID = account.ID(bad)
		if _, err := s.CreateAccountLink(ctx, owner, a, onboarding(true)); !errors.Is(err, links.ErrInvalid) {
			t.Errorf("%s account ID: CreateAccountLink: %v", name, err)
		}
		if _, err := s.GenerateRemediationLink(ctx, admin, a); !errors.Is(err, links.ErrInvalid) {
			t.Errorf("%s account ID: GenerateRemediationLink: %v", name, err)
		}
		u := admin
		u.ID = bad
		if _, err := s.GenerateRemediationLink(ctx, u, custom()); !errors.Is(err, links.ErrInvalid) {
			t.Errorf("%s user ID: GenerateRemediationLink: %v", name, err)
		}
		if _, err := s.ResetRemediationLink(ctx, admin, links.LinkID(bad)); !errors.Is(err, links.ErrInvalid) {
			t.Errorf("%s link ID: ResetRemediationLink: %v", name, err)
		}
		p := onboarding(true)
		p.ReturnURL = "https://platform.example/" + bad
		if _, err := s.CreateAccountLink(ctx, owner, custom(), p); !errors.Is(err, links.ErrInvalidURL) {
			t.Errorf("%s in the return URL: %v", name, err)
		}
	}
}
