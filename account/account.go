// Package account is the connected-account aggregate, the platform's
// settings, and the platform operations on connected accounts.
package account

import (
	"time"
)

// ID identifies a connected account, such as "acct_1Nv0FGQ9RKHgCVdK".
type ID string

// DashboardAccess is the Stripe Dashboard a connected account may use (A1).
// Wire values are Stripe's: "full", "express", "none".
type DashboardAccess string

// The dashboard access values of rule A1.
const (
	DashboardFull    DashboardAccess = "full"
	DashboardExpress DashboardAccess = "express"
	DashboardNone    DashboardAccess = "none"
)

// Party names who is responsible for something: Stripe or the platform
// ("application" in Stripe's wire vocabulary) (A1).
type Party string

// The responsible parties of rule A1.
const (
	PartyStripe      Party = "stripe"
	PartyApplication Party = "application"
)

// Components says which Connect embedded components the account uses (A1).
type Components struct {
	// Onboarding is the embedded account-onboarding component.
	Onboarding bool
	// NotificationBanner is the embedded notification-banner component.
	NotificationBanner bool
}

// Date is a calendar date without time zone, as a date of birth is.
// The zero Date means "not provided".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Representative is the account's primary representative. Only what the
// rules need is kept: full name, date of birth and the last four digits of
// the SSN. String and %v redact the date of birth and the SSN digits.
type Representative struct {
	FullName string
	DOB      Date
	SSNLast4 string
}

// Account is a connected account (A1). It is a plain value: copy it with
// Clone before sharing it between goroutines.
type Account struct {
	ID                          ID
	Country                     string // ISO 3166-1 alpha-2, upper case
	Dashboard                   DashboardAccess
	Components                  Components
	RequirementCollection       Party // who collects requirements
	NegativeBalanceLiability    Party // who is liable for negative balances
	Representative              Representative
	HasExternalAccount          bool   // an external payout account is on file
	Email                       string // the account holder's email
	LastActivity                time.Time
	ConnectedToSeveralPlatforms bool   // is or was connected to several platforms (A5)
	IsPlatform                  bool   // is itself a platform account (A5)
	OptedOutOfCaseSharing       bool   // opted out of sharing support cases (A5)
	Removed                     bool   // removed from the platform (A6)
	Version                     uint64 // optimistic-concurrency version, set by the Store
}

// Platform is the platform's own settings, as the operations need them.
type Platform struct {
	Country         string // ISO 3166-1 alpha-2, upper case
	ProfileComplete bool   // the platform profile is completed (A3)
	// BannerPageURL is the platform page that hosts the embedded
	// notification banner (Connect settings, site links); empty when not
	// configured (L9).
	BannerPageURL string
	Live          bool // live mode; false is test mode (L2, K6)
}
