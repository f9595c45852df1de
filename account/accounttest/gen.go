package accounttest

import (
	"fmt"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/requirements/requirementstest"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Bias says whether a generated value must, must not, or may have a
// property; it is requirementstest.Bias, so that the options of every kit
// package take the same values. The zero Bias is Maybe.
type Bias = requirementstest.Bias

// The biases.
const (
	// Maybe leaves the property to chance.
	Maybe = requirementstest.Maybe
	// Always makes every value have the property.
	Always = requirementstest.Always
	// Never makes no value have it.
	Never = requirementstest.Never
)

// Legacy names a legacy account type (A2), to bias Account towards its
// configuration. The zero Legacy is "any configuration".
type Legacy string

// The legacy types of rule A2.
const (
	// Standard: full dashboard, Stripe collects and is liable.
	Standard Legacy = "standard"
	// Express: Express dashboard, Stripe collects, the platform is liable.
	Express Legacy = "express"
	// Custom: no dashboard, the platform collects and is liable.
	Custom Legacy = "custom"
)

// Countries are the countries Account and Platform draw from when the
// options name none; a failing case shrinks towards the first.
func Countries() []string { return append([]string(nil), countries...) }

var countries = []string{"US", "GB", "FR", "DE", "CA", "AU", "JP", "IE"}

// genNow is the instant activity and requirements are drawn around when
// the options give none.
var genNow = requirementstest.DefaultNow()

// AccountOptions bias Account. The zero value draws any valid account: every
// configuration of A1, a representative complete or missing any piece,
// with or without a payout account, removed or not, with requirements
// reached through their lifecycle.
type AccountOptions struct {
	// Now is the instant requirements are advanced to and activity is
	// drawn around; zero means requirementstest.DefaultNow().
	Now time.Time
	// Legacy, when set, fixes dashboard, collector and liability to the
	// legacy type's (A2). It must agree with any of the three set below.
	Legacy Legacy
	// Dashboard, when set, is every account's dashboard access.
	Dashboard account.DashboardAccess
	// Collector, when set, is who collects requirements.
	Collector account.Party
	// Liability, when set, is who is liable for negative balances.
	Liability account.Party
	// Country, when set, is every account's country; otherwise one of
	// Countries.
	Country string
	// OnboardingComponent and BannerComponent bias the embedded
	// components (A1, L9).
	OnboardingComponent, BannerComponent Bias
	// RepresentativeComplete biases the primary representative: Always
	// gives a full name and a valid date of birth (L8), Never leaves at
	// least one of them out, Maybe leaves each piece to chance.
	RepresentativeComplete Bias
	// ExternalAccount biases whether a payout account is on file (L8).
	ExternalAccount Bias
	// OwnerConfirmed biases whether the platform confirmed the account
	// owner, which remediation links need (seed 000, L6).
	OwnerConfirmed Bias
	// Email biases whether the account holder has an email address.
	Email Bias
	// Removed biases whether the account was removed (A6).
	Removed Bias
	// Inactive biases the inactivity hold (A4): Always puts the last
	// activity more than 540 days before Now (or none on record), Never
	// within them. Maybe probes the boundary.
	Inactive Bias
	// Requirements bias the account's requirements.
	Requirements requirementstest.SetOptions
}

// Account returns a generator of valid accounts biased by opts: every
// account passes account.Validate. A failing account shrinks towards the
// first dashboard, party and country, a complete representative, and no
// requirements. It panics when opts contradict each other (a Legacy at
// odds with Dashboard, Collector or Liability; an invalid country), a
// mistake in the test rather than in the code under test. It is safe for
// concurrent use.
func Account(opts AccountOptions) *rapid.Generator[account.Account] {
	checkAccountOptions(opts)
	return rapid.Custom(func(t *rapid.T) account.Account { return DrawAccount(t, "account", opts) })
}

func checkAccountOptions(opts AccountOptions) {
	if opts.Legacy != "" {
		l := legacyAccount(opts.Legacy)
		if opts.Dashboard != "" && opts.Dashboard != l.Dashboard ||
			opts.Collector != "" && opts.Collector != l.RequirementCollection ||
			opts.Liability != "" && opts.Liability != l.NegativeBalanceLiability {
			panic(fmt.Sprintf("accounttest: Legacy %q contradicts Dashboard, Collector or Liability", opts.Legacy))
		}
	}
	if opts.Dashboard != "" && !opts.Dashboard.Valid() || opts.Collector != "" && !opts.Collector.Valid() ||
		opts.Liability != "" && !opts.Liability.Valid() {
		panic("accounttest: AccountOptions name a dashboard or party that A1 does not know")
	}
	if opts.Country != "" && !account.ValidCountry(opts.Country) {
		panic(fmt.Sprintf("accounttest: %q is not a country code", opts.Country))
	}
}

func legacyAccount(l Legacy) account.Account {
	switch l {
	case Standard:
		return account.NewStandard("acct_0", "US")
	case Express:
		return account.NewExpress("acct_0", "US")
	case Custom:
		return account.NewCustom("acct_0", "US")
	}
	panic(fmt.Sprintf("accounttest: unknown Legacy %q", l))
}

// drawBias draws a boolean under b: Always and Never decide it, Maybe
// draws it (shrinking towards false).
func drawBias(t *rapid.T, label string, b Bias) bool {
	switch b {
	case Always:
		return true
	case Never:
		return false
	}
	return rapid.Bool().Draw(t, label)
}

// DrawAccount draws one account as Account does, directly on t, so that a
// failing case prints each choice under label (for example
// "acct.dashboard: \"express\""): Account's own String redacts personal data
// and names only the ID, country and dashboard.
func DrawAccount(t *rapid.T, label string, opts AccountOptions) account.Account {
	checkAccountOptions(opts)
	now := opts.Now
	if now.IsZero() {
		now = genNow
	}
	id := account.ID(fmt.Sprintf("acct_%d", rapid.IntRange(0, 999).Draw(t, label+".id")))
	country := opts.Country
	if country == "" {
		country = rapid.SampledFrom(countries).Draw(t, label+".country")
	}
	var a account.Account
	if opts.Legacy != "" {
		a = legacyAccount(opts.Legacy)
		a.ID, a.Country = id, country
	} else {
		a = account.Account{ID: id, Country: country,
			Dashboard: opts.Dashboard, RequirementCollection: opts.Collector, NegativeBalanceLiability: opts.Liability}
		if a.Dashboard == "" {
			a.Dashboard = rapid.SampledFrom([]account.DashboardAccess{account.DashboardFull, account.DashboardExpress, account.DashboardNone}).Draw(t, label+".dashboard")
		}
		parties := []account.Party{account.PartyStripe, account.PartyApplication}
		if a.RequirementCollection == "" {
			a.RequirementCollection = rapid.SampledFrom(parties).Draw(t, label+".collector")
		}
		if a.NegativeBalanceLiability == "" {
			a.NegativeBalanceLiability = rapid.SampledFrom(parties).Draw(t, label+".liability")
		}
	}
	a.Components.Onboarding = drawBias(t, label+".onboarding_component", opts.OnboardingComponent)
	a.Components.NotificationBanner = drawBias(t, label+".banner_component", opts.BannerComponent)

	// The representative: each piece present or not, as the bias says.
	name, dob := true, true
	switch opts.RepresentativeComplete {
	case Maybe:
		name = !rapid.Bool().Draw(t, label+".representative_name_missing")
		dob = !rapid.Bool().Draw(t, label+".representative_dob_missing")
	case Never:
		switch rapid.SampledFrom([]string{"name", "dob", "both"}).Draw(t, label+".representative_missing") {
		case "name":
			name = false
		case "dob":
			dob = false
		default:
			name, dob = false, false
		}
	}
	var repName, repSSN string
	var repDOB account.Date
	if name {
		repName = rapid.SampledFrom([]string{"Jane Doe", "Li Wei", "María José García", "O'Brien Ó Súilleabháin"}).Draw(t, label+".representative_name")
	}
	if dob {
		repDOB = account.Date{
			Year:  rapid.IntRange(1930, 2007).Draw(t, label+".representative_dob_year"),
			Month: time.Month(rapid.IntRange(1, 12).Draw(t, label+".representative_dob_month")),
			Day:   rapid.IntRange(1, 28).Draw(t, label+".representative_dob_day"),
		}
	}
	if rapid.Bool().Draw(t, label+".representative_ssn_last_4") {
		repSSN = fmt.Sprintf("%04d", rapid.IntRange(0, 9999).Draw(t, label+".ssn_last_4"))
	}
	a.Representative = account.NewRepresentative(repName, repDOB, repSSN)
	a.OwnerConfirmed = drawBias(t, label+".owner_confirmed", opts.OwnerConfirmed)
	a.HasExternalAccount = drawBias(t, label+".external_account", opts.ExternalAccount)
	if drawBias(t, label+".email", opts.Email) {
		a.Email = account.NewEmail(fmt.Sprintf("owner%d@example.com", rapid.IntRange(0, 9).Draw(t, label+".email_user")))
	}
	if rapid.Bool().Draw(t, label+".business_name") {
		a.BusinessName = "Jane's Jams"
	}

	// Activity around the 540-day boundary of A4.
	switch opts.Inactive {
	case Always:
		if rapid.Bool().Draw(t, label+".no_activity_on_record") {
			break
		}
		ago := account.InactivityPeriod + time.Duration(rapid.Int64Range(1, int64(400*24*time.Hour/time.Second)).Draw(t, label+".idle_beyond_540d_seconds"))*time.Second
		a.LastActivity = now.Add(-ago)
	case Never:
		ago := time.Duration(rapid.Int64Range(0, int64(account.InactivityPeriod/time.Second)).Draw(t, label+".idle_seconds")) * time.Second
		a.LastActivity = now.Add(-ago)
	default:
		a.LastActivity = clocktest.DrawInstant(t, label+".last_activity", now, clocktest.InstantOptions{
			Boundaries: []time.Duration{account.SupportCaseWindow, account.InactivityPeriod}, Direction: clocktest.Before, WholeSeconds: true})
	}

	a.PayoutSchedule = drawPayoutSchedule(t, label)
	for _, c := range []requirements.Capability{requirements.CardPayments, requirements.Transfers, requirements.USBankAccountACH} {
		if rapid.Bool().Draw(t, label+".requests_"+string(c)) {
			a.Capabilities = append(a.Capabilities, c)
		}
	}
	if rapid.Bool().Draw(t, label+".has_balance") {
		a.Balance = account.Balances{"usd": decimal.New(rapid.Int64Range(0, 1_000_000).Draw(t, label+".balance_cents"), -2)}
	}
	a.ConnectedToSeveralPlatforms = rapid.Bool().Draw(t, label+".connected_to_several_platforms")
	a.IsPlatform = rapid.Bool().Draw(t, label+".is_platform")
	a.OptedOutOfCaseSharing = rapid.Bool().Draw(t, label+".opted_out_of_case_sharing")
	reqOpts := opts.Requirements
	if reqOpts.Now.IsZero() {
		reqOpts.Now = now
	}
	a.Requirements = requirementstest.DrawSet(t, label+".requirements", reqOpts)
	a.Removed = drawBias(t, label+".removed", opts.Removed)
	if a.Removed {
		// Removal clears the platform-controlled settings for good (A6).
		a.PayoutSchedule = account.PayoutSchedule{}
		a.Components = account.Components{}
		// Who removed it and when (the audit trail); accounts removed
		// before it was recorded have neither.
		if rapid.Bool().Draw(t, label+".removal_recorded") {
			a.RemovedBy = fmt.Sprintf("user_%d", rapid.IntRange(0, 9).Draw(t, label+".removed_by"))
			a.RemovedAt = now.Add(-time.Duration(rapid.Int64Range(0, 1e6).Draw(t, label+".removed_seconds_ago")) * time.Second)
		}
	}
	return a
}

func drawPayoutSchedule(t *rapid.T, label string) account.PayoutSchedule {
	var s account.PayoutSchedule
	s.Interval = rapid.SampledFrom([]account.PayoutInterval{"", account.PayoutManual, account.PayoutDaily, account.PayoutWeekly, account.PayoutMonthly}).Draw(t, label+".payout_interval")
	switch s.Interval {
	case account.PayoutWeekly:
		s.WeeklyAnchor = time.Weekday(rapid.IntRange(0, 6).Draw(t, label+".payout_weekly_anchor"))
	case account.PayoutMonthly:
		s.MonthlyAnchor = rapid.IntRange(1, 31).Draw(t, label+".payout_monthly_anchor")
	}
	if s.Interval != "" && s.Interval != account.PayoutManual {
		s.DelayDays = rapid.IntRange(0, 14).Draw(t, label+".payout_delay_days")
	}
	return s
}

// PlatformOptions bias Platform. The zero value draws any valid platform.
type PlatformOptions struct {
	// Country, when set, is the platform's country; otherwise one of
	// Countries (France included: A3).
	Country string
	// ProfileComplete biases whether the platform profile is complete (A3).
	ProfileComplete Bias
	// BannerPage biases whether the platform configured the page hosting
	// the notification banner (L9).
	BannerPage Bias
	// Live biases live mode (L2, K6).
	Live Bias
}

// Platform returns a generator of valid platforms biased by opts: every one
// passes account.Platform.Validate. It is safe for concurrent use.
func Platform(opts PlatformOptions) *rapid.Generator[account.Platform] {
	if opts.Country != "" && !account.ValidCountry(opts.Country) {
		panic(fmt.Sprintf("accounttest: %q is not a country code", opts.Country))
	}
	return rapid.Custom(func(t *rapid.T) account.Platform { return DrawPlatform(t, "platform", opts) })
}

// DrawPlatform draws one platform as Platform does, directly on t.
func DrawPlatform(t *rapid.T, label string, opts PlatformOptions) account.Platform {
	p := account.Platform{Country: opts.Country}
	if p.Country == "" {
		p.Country = rapid.SampledFrom(countries).Draw(t, label+".country")
	}
	p.ProfileComplete = drawBias(t, label+".profile_complete", opts.ProfileComplete)
	p.Live = drawBias(t, label+".live", opts.Live)
	if drawBias(t, label+".banner_page", opts.BannerPage) {
		p.BannerPageURL = rapid.SampledFrom([]string{"https://platform.example/notifications", "http://localhost:8080/banner"}).Draw(t, label+".banner_page_url")
		if p.Live {
			p.BannerPageURL = "https://platform.example/notifications"
		}
	}
	if rapid.Bool().Draw(t, label+".has_balance") {
		p.Balance = account.Balances{"usd": decimal.New(rapid.Int64Range(0, 100_000_000).Draw(t, label+".balance_cents"), -2)}
	}
	return p
}
