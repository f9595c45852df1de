package main

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/roles"
)

// The accounts of the story, one per dashboard type (A1, A2).
const (
	standardID account.ID = "acct_standard_bakery"
	expressID  account.ID = "acct_express_florist"
	customID   account.ID = "acct_custom_plumber"
)

var (
	admin     = roles.NewSet(roles.Admin)
	developer = roles.NewSet(roles.Developer)
	analyst   = roles.NewSet(roles.Analyst)
)

// The platform's users holding them: account.Service records who moved
// funds (Move.CreatedBy) and who removed an account (RemovedBy).
var (
	adminUser     = roles.User{ID: "user_admin", Roles: admin}
	developerUser = roles.User{ID: "user_developer", Roles: developer}
	analystUser   = roles.User{ID: "user_analyst", Roles: analyst}
)

// accountsChapter sets up the platform and creates one account of each
// dashboard type through account.Service.
func accountsChapter(s *story) error {
	ctx := context.Background()
	s.accounts = &account.Service{Store: account.NewMemoryStore(), Clock: s.clock}
	platform := account.Platform{
		Country:         "US",
		ProfileComplete: true,
		Live:            true,
		BannerPageURL:   "https://platform.example/account/notifications",
		Balance:         account.Balances{"usd": decimal.RequireFromString("1000.00")},
	}
	if _, err := s.accounts.Store.CreatePlatform(ctx, platform); err != nil {
		return err
	}
	s.note("A US platform in live mode with a complete profile and $1000.00 in its balance.")

	for _, a := range []account.Account{
		account.NewStandard(standardID, "US"),
		account.NewExpress(expressID, "US"),
		account.NewCustom(customID, "US"),
	} {
		created, d, err := s.accounts.Create(ctx, developerUser, a)
		if err != nil {
			return fmt.Errorf("create %s: %w", a.ID, err)
		}
		link := "created at once"
		if d.NeedsOnboardingLink {
			link = "a one-time onboarding link goes to the account holder"
		}
		s.step(accountTag(d), "Developer creates %s: %s", created, link)
	}

	_, d, _ := s.accounts.Create(ctx, analystUser, account.NewCustom("acct_refused", "US"))
	s.step(accountTag(d), "an Analyst tries to create an account: %s", d)
	france := platform
	france.Country = "FR"
	d = account.CanCreate(roles.Default(), admin, france, account.NewCustom("acct_fr", "FR"))
	s.step(accountTag(d), "a platform in France: %s", d)

	for _, id := range []account.ID{standardID, expressID} {
		d, err := s.accounts.ViewAs(ctx, analystUser, id)
		if err != nil {
			return err
		}
		s.step(accountTag(d), "\"View Dashboard as\" %s: exact view = %v", id, d.Exact)
	}
	_, d, _ = s.accounts.Remove(ctx, adminUser, expressID)
	s.step(accountTag(d), "removing the Express account: %s", d)
	return nil
}

// fundsChapter sends and pulls funds between the platform and the Custom
// account, whose negative balances the platform is liable for.
func fundsChapter(s *story) error {
	ctx := context.Background()
	amount, err := account.ParseMoney("25.00", "usd")
	if err != nil {
		return err
	}
	tr, err := s.accounts.SendFunds(ctx, adminUser, customID, amount, account.ToBalance, "tour_send_custom")
	if err != nil {
		return err
	}
	s.step(accountTag(tr.Decision), "Administrator sends %s to %s: %s; platform now %s, account %s",
		amount, customID, tr.Decision, tr.Platform.Balance.Get("usd"), tr.Account.Balance.Get("usd"))

	tr, _ = s.accounts.SendFunds(ctx, adminUser, standardID, amount, account.ToExternalAccount, "tour_send_standard")
	s.step(accountTag(tr.Decision), "sending straight to the Standard account's bank account: %s", tr.Decision)
	tr, _ = s.accounts.SendFunds(ctx, developerUser, customID, amount, account.ToBalance, "tour_send_developer")
	s.step(accountTag(tr.Decision), "a Developer sends funds: %s", tr.Decision)

	pull, err := account.ParseMoney("10.00", "usd")
	if err != nil {
		return err
	}
	tr, err = s.accounts.PullFunds(ctx, adminUser, customID, pull, "tour_pull")
	if err != nil {
		return err
	}
	s.step(accountTag(tr.Decision), "Administrator pulls %s back: %s; platform now %s, account %s",
		pull, tr.Decision, tr.Platform.Balance.Get("usd"), tr.Account.Balance.Get("usd"))
	tooMuch, err := account.ParseMoney("500.00", "usd")
	if err != nil {
		return err
	}
	tr, _ = s.accounts.PullFunds(ctx, adminUser, customID, tooMuch, "tour_pull_too_much")
	s.step(accountTag(tr.Decision), "pulling %s: %s", tooMuch, tr.Decision)
	return nil
}
