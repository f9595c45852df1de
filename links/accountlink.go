package links

import (
	"fmt"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
)

// DefaultAccountLinkTTL is how long an account link lives when
// Service.AccountLinkTTL is zero: 300 seconds, as in Stripe's published
// example (L1).
const DefaultAccountLinkTTL = 300 * time.Second

// LinkType is an account link's type (L3). Wire values are Stripe's.
type LinkType string

// The account link types of rule L3.
const (
	// TypeOnboarding collects outstanding requirements.
	TypeOnboarding LinkType = "account_onboarding"
	// TypeUpdate lets the account edit information it already gave; only
	// for accounts whose requirements the platform collects and that have
	// no Stripe-hosted dashboard.
	TypeUpdate LinkType = "account_update"
)

// Valid reports whether t is one of the types of L3.
func (t LinkType) Valid() bool { return t == TypeOnboarding || t == TypeUpdate }

// AccountLinkParams are the parameters of an account link (L1–L4), kept
// with the link so that a refresh makes a new link with the same ones. The
// zero Collection means Stripe's defaults (currently_due, omit).
type AccountLinkParams struct {
	// Type is account_onboarding or account_update (L3).
	Type LinkType
	// RefreshURL is where an expired, visited or invalid link sends the
	// user; its handler makes a new link (L1, L2).
	RefreshURL string
	// ReturnURL is where the user goes on completion or "save for later"
	// (L1, L2).
	ReturnURL string
	// Collection says which requirements the flow collects (L4, Q5).
	Collection requirements.Collection
	// Live is live mode; false is test mode, which also accepts http URLs
	// (L2).
	Live bool
}

// CanCreateAccountLink decides whether an account link with parameters p may be
// made for a (L1–L5, A6), and gives every reason it may not: a missing
// account ID; a removed account; an account whose configuration is not one
// of A1's values; an unknown type; each URL missing, malformed or plain http
// in live mode; unknown collection options; future requirements included
// for an account whose requirements Stripe collects (L4: omit is allowed
// for every account); and, for account_update, the platform not
// collecting requirements, a Stripe-hosted dashboard, and an account that
// must use embedded components.
//
// Rule L5 ("must use embedded components") is applied to account_update
// links only: the seed states it in its "Account Link type restriction"
// section, about letting accounts update their own information, and the
// catalogue says "for updates". It is pure and does not allocate.
func CanCreateAccountLink(a account.Account, p AccountLinkParams) Decision {
	var rs Reasons
	if a.ID == "" {
		rs = rs.With(ReasonAccountMissing)
	}
	if a.Removed {
		rs = rs.With(ReasonAccountRemoved)
	}
	if !knownConfig(a) {
		rs = rs.With(ReasonAccountMisconfigured)
	}
	if !p.Type.Valid() {
		rs = rs.With(ReasonUnknownLinkType)
	}
	rs |= urlReasons(p.RefreshURL, p.Live, ReasonRefreshURLMissing)
	rs |= urlReasons(p.ReturnURL, p.Live, ReasonReturnURLMissing)
	if p.Collection.Validate() != nil {
		rs = rs.With(ReasonInvalidCollectionOptions)
	}
	if p.Collection.FutureRequirements == requirements.FutureInclude && a.RequirementCollection == account.PartyStripe {
		// L4: the seed offers include only "for connected accounts where
		// you're responsible for requirement collection".
		rs = rs.With(ReasonFutureRequirementsNotCollectedByPlatform)
	}
	if p.Type == TypeUpdate {
		if a.RequirementCollection != account.PartyApplication {
			rs = rs.With(ReasonUpdateNotCollectedByPlatform)
		}
		if a.Dashboard == account.DashboardFull || a.Dashboard == account.DashboardExpress {
			rs = rs.With(ReasonUpdateStripeHostedDashboard)
		}
		if a.Dashboard == account.DashboardNone && a.NegativeBalanceLiability == account.PartyStripe {
			rs = rs.With(ReasonEmbeddedComponentsRequired)
		}
	}
	return decide(OpCreateAccountLink, rs)
}

// urlReasons maps CheckURL's answer onto the three reasons that follow
// missing in declaration order (missing, malformed, insecure).
func urlReasons(raw string, live bool, missing Reason) Reasons {
	switch CheckURL(raw, live) {
	case URLMissing:
		return ReasonsOf(missing)
	case URLMalformed:
		return ReasonsOf(missing + 1)
	case URLInsecure:
		return ReasonsOf(missing + 2)
	}
	return 0
}

func knownConfig(a account.Account) bool {
	switch a.Dashboard {
	case account.DashboardFull, account.DashboardExpress, account.DashboardNone:
	default:
		return false
	}
	party := func(p account.Party) bool { return p == account.PartyStripe || p == account.PartyApplication }
	return party(a.RequirementCollection) && party(a.NegativeBalanceLiability)
}

// AccountLink is the stored record of an account link (L1): single use,
// short-lived. It holds the hash of its token, never the token. It is a
// plain value.
type AccountLink struct {
	// Hash is the SHA-256 of the link's token, the Store's key.
	Hash TokenHash
	// Account is the connected account the link is for.
	Account account.ID
	// CreatedBy is the ID of the user who asked for the link, for the
	// audit trail; a refresh keeps the chain's first link's.
	CreatedBy string
	// Params are the parameters the link was made with.
	Params AccountLinkParams
	// Chain identifies the refresh chain: the Hash of the link the chain
	// started from. A link made by Create starts its own chain.
	Chain TokenHash
	// ChainStarted is when the chain's first link was made; a chain older
	// than Service.RefreshChainAge cannot be refreshed.
	ChainStarted time.Time
	// Created is when the link was made.
	Created time.Time
	// ExpiresAt is when the link stops working; it is usable strictly
	// before ExpiresAt.
	ExpiresAt time.Time
	// UsedAt is when the link was redeemed; zero while unused.
	UsedAt time.Time
	// ReturnedAt is when the user came back to the return URL; zero until
	// then.
	ReturnedAt time.Time
	// ReplacedAt is when a refresh replaced the link with the next link of
	// its chain; zero while it is the chain's latest. A replaced link can
	// be neither redeemed nor refreshed, so a chain never has two live
	// links.
	ReplacedAt time.Time
}

// Replaced reports whether a refresh replaced the link.
func (l AccountLink) Replaced() bool { return !l.ReplacedAt.IsZero() }

// Used reports whether the link has been redeemed.
func (l AccountLink) Used() bool { return !l.UsedAt.IsZero() }

// RedeemableAt returns why l cannot be redeemed at now (ReasonLinkAlreadyUsed
// takes precedence over ReasonLinkReplaced, which takes precedence over
// ReasonLinkExpired), or zero when it can.
func (l AccountLink) RedeemableAt(now time.Time) Reason {
	switch {
	case l.Used():
		return ReasonLinkAlreadyUsed
	case l.Replaced():
		return ReasonLinkReplaced
	case !now.Before(l.ExpiresAt):
		return ReasonLinkExpired
	}
	return 0
}

// String describes the link without any secret.
func (l AccountLink) String() string {
	state := "unused"
	if l.Used() {
		state = "used"
	}
	return fmt.Sprintf("account link %v for %s (%s, expires %s, %s)", l.Hash, l.Account, l.Params.Type, l.ExpiresAt.UTC().Format(time.RFC3339), state)
}
