package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/links"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

// linkService returns the links.Service of the story: the fake clock, a
// seeded token source (so the tour prints the same story every run; leave
// Rand nil in production for crypto/rand), and requirements read from the
// account store.
func (s *story) linkService() *links.Service {
	if s.links == nil {
		s.links = &links.Service{
			Store:    links.NewMemoryStore(),
			Accounts: s.accounts.Store,
			Platform: s.accounts.Store,
			Clock:    s.clock,
			Rand:     rand.NewChaCha8([32]byte{'t', 'o', 'u', 'r'}),
			Requirements: links.RequirementsFunc(func(ctx context.Context, id account.ID) (requirements.Set, error) {
				a, err := s.accounts.Store.Get(ctx, id)
				return a.Requirements, err
			}),
		}
	}
	return s.links
}

// onboardingChapter creates an account link for the Custom account, redeems
// it, and shows the second visit sent to the refresh URL.
func onboardingChapter(s *story) error {
	ctx := context.Background()
	svc := s.linkService()
	a, err := s.accounts.Store.Get(ctx, customID)
	if err != nil {
		return err
	}
	params := links.AccountLinkParams{
		Type:       links.TypeOnboarding,
		RefreshURL: "http://platform.example/connect/refresh",
		ReturnURL:  "https://platform.example/connect/return",
		Live:       true,
	}
	ada := roles.User{ID: "ada", Roles: admin}
	_, err = svc.CreateAccountLink(ctx, ada, a, params)
	s.step(linksTag(err), "a live-mode link with a plain-HTTP refresh URL: %v", err)

	std, err := s.accounts.Store.Get(ctx, standardID)
	if err != nil {
		return err
	}
	update := params
	update.Type, update.RefreshURL = links.TypeUpdate, "https://platform.example/connect/refresh"
	_, err = svc.CreateAccountLink(ctx, ada, std, update)
	s.step(linksTag(err), "an account_update link for the Standard account: %v", err)
	future := update
	future.Type, future.Collection.FutureRequirements = links.TypeOnboarding, requirements.FutureInclude
	_, err = svc.CreateAccountLink(ctx, ada, std, future)
	s.step(linksTag(err), "an onboarding link that includes future requirements for the Standard account: %v", err)

	params.RefreshURL = "https://platform.example/connect/refresh"
	issued, err := svc.CreateAccountLink(ctx, ada, a, params)
	if err != nil {
		return err
	}
	s.step("L1", "account link for %s created; expires %s after creation; printed token: %s",
		a.ID, issued.Link.ExpiresAt.Sub(issued.Link.Created), issued.Token)

	r, err := svc.Redeem(ctx, issued.Token)
	if err != nil {
		return err
	}
	s.step("Q5", "first visit: %s, collecting %s", r.Outcome, strings.Join(r.Fields, ", "))
	r, err = svc.Redeem(ctx, issued.Token)
	if err != nil {
		return err
	}
	s.step(r.Reason.Rule(), "second visit (a chat client's preview, say): %s to %s because %s", r.Outcome, r.Link.Params.RefreshURL, r.Reason.Code())

	next, err := svc.Refresh(ctx, issued.Token)
	if err != nil {
		return err
	}
	s.advance(2*time.Minute, "the account fills in the form")
	back, err := svc.Return(ctx, next.Token)
	if errors.Is(err, links.ErrNotRedeemed) {
		if _, err = svc.Redeem(ctx, next.Token); err != nil {
			return err
		}
		back, err = svc.Return(ctx, next.Token)
	}
	if err != nil {
		return err
	}
	s.step("Q9", "back at the return URL; complete: %v, still outstanding: %v", back.Complete, back.Outstanding)
	return nil
}

// remediationChapter generates a remediation link (refused for a role that
// may not and for an account missing its representative's date of birth),
// opens it, locks it after four failures, acknowledges and resets it.
func remediationChapter(s *story) error {
	ctx := context.Background()
	svc := s.linkService()
	p, err := s.accounts.Store.GetPlatform(ctx)
	if err != nil {
		return err
	}
	a, err := s.accounts.Store.Get(ctx, customID)
	if err != nil {
		return err
	}
	ada := roles.User{ID: "ada", Roles: admin}
	sam := roles.User{ID: "sam", Roles: roles.NewSet(roles.SupportSpecialist)}

	_, err = svc.GenerateRemediationLink(ctx, roles.User{ID: "tess", Roles: roles.NewSet(roles.TransferAnalyst)}, a)
	s.step(linksTag(err), "a Transfer Analyst asks for a remediation link: %v", err)
	_, err = svc.GenerateRemediationLink(ctx, sam, a)
	s.step(linksTag(err), "Sam (Support Specialist) asks for %s: %v", a.ID, err)

	a.Representative = a.Representative.WithDOB(account.Date{Year: 1980, Month: 5, Day: 17})
	a.HasExternalAccount, a.OwnerConfirmed = true, true
	if a, err = s.accounts.Store.Update(ctx, a, a.Version); err != nil {
		return err
	}
	s.note("The platform adds the representative's date of birth and a payout account, and confirms the owner.")
	issued, err := svc.GenerateRemediationLink(ctx, sam, a)
	if err != nil {
		return err
	}
	s.step("L6", "Sam generates %s, active until %s", issued.Link.ID, issued.Link.ExpiresAt.Format("2006-01-02"))
	opened, err := svc.OpenRemediationLink(ctx, issued.Token)
	if err != nil {
		return err
	}
	s.step("L9", "it opens: %s (no dashboard, no banner component)", opened.Destination.Kind)
	again, err := svc.GenerateRemediationLink(ctx, sam, a)
	if err != nil {
		return err
	}
	s.step("L6", "asking again while it is active returns the same link: %v", again.Link.ID == issued.Link.ID)

	for i := 1; i <= 4; i++ {
		_, remedy, err := svc.RecordVerificationFailure(ctx, issued.Link.ID, links.FailureWrongInformation)
		if err != nil {
			return err
		}
		_, err = svc.ResetRemediationLink(ctx, sam, issued.Link.ID)
		if err != nil {
			s.step("L10", "wrong information #%d; security check required: %v; reset: %v", i, remedy.SecurityCheck, err)
			break
		}
		s.step("L10", "wrong information #%d; the platform checks the account's information and resets the link", i)
	}
	_, err = svc.AcknowledgeSecurityCheck(ctx, sam, issued.Link.ID)
	s.step(linksTag(err), "Sam tries to acknowledge the security check: %v", err)
	if _, err = svc.AcknowledgeSecurityCheck(ctx, ada, issued.Link.ID); err != nil {
		return err
	}
	l, err := svc.ResetRemediationLink(ctx, sam, issued.Link.ID)
	if err != nil {
		return err
	}
	s.step("L10", "Ada (Administrator) acknowledges it; Sam resets the link; resets left before the next check: %d", l.ResetCredits)

	s.advance(links.RemediationTTL, "90 days")
	_, err = svc.OpenRemediationLink(ctx, issued.Token)
	s.step(linksTag(err), "opening the old link: %v", err)
	fresh, err := svc.GenerateRemediationLink(ctx, sam, a)
	if err != nil {
		return err
	}
	s.step("L6", "a new link is generated: %v", fresh.Link.ID != issued.Link.ID)

	banner, err := s.accounts.Store.Get(ctx, standardID)
	if err != nil {
		return err
	}
	banner.Components.NotificationBanner = true
	d, err := links.ResolveDestination(banner, p)
	if err != nil {
		return err
	}
	s.step("L9", "for %s with the notification banner: opens %s at %s", banner.ID, d.Kind, d.URL)
	p.BannerPageURL = ""
	d, err = links.ResolveDestination(banner, p)
	if err != nil {
		return err
	}
	s.step("L9", "with no banner page configured it falls back to %s", d.Kind)
	return nil
}
