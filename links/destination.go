package links

import (
	"fmt"

	"github.com/connectkit/connectkit/account"
)

// DestinationKind is where a remediation link opens (L9).
type DestinationKind uint8

// The destinations of rule L9.
const (
	// DestinationBannerPage is the platform's page that hosts the embedded
	// notification banner (Platform.BannerPageURL).
	DestinationBannerPage DestinationKind = iota + 1
	// DestinationAccountStatus is the Account Status page in the full
	// Stripe Dashboard.
	DestinationAccountStatus
	// DestinationExpressOnboarding is the Stripe Express onboarding flow.
	DestinationExpressOnboarding
	// DestinationHostedOnboarding is Stripe-hosted onboarding, where the
	// account holder verifies themselves as the primary owner or
	// representative.
	DestinationHostedOnboarding
)

// String returns the destination's snake_case code, such as
// "platform_banner_page".
func (k DestinationKind) String() string {
	switch k {
	case DestinationBannerPage:
		return "platform_banner_page"
	case DestinationAccountStatus:
		return "account_status_page"
	case DestinationExpressOnboarding:
		return "express_onboarding"
	case DestinationHostedOnboarding:
		return "hosted_onboarding"
	}
	return fmt.Sprintf("DestinationKind(%d)", uint8(k))
}

// Destination is where a remediation link opens, and why (L9). The zero
// Destination is no destination; ResolveDestination never returns it
// without an error.
type Destination struct {
	// Kind is the page the link opens.
	Kind DestinationKind
	// URL is the platform's banner page, for DestinationBannerPage only.
	URL string
	// FellBack reports that the account has the notification banner
	// component but the platform configured no banner page, so the link
	// opens hosted onboarding instead (the seed's note under L9).
	FellBack bool
}

// ResolveDestination says where a remediation link for a opens, given the
// platform's settings (L9). It is pure and does not allocate.
//
// The seed's table puts "a Stripe embedded onboarding component and embedded
// notification banner" first, but its narrative sends accounts that "used
// hosted onboarding and have access to the Notification banner embedded
// component" to the banner page too. The two agree only if the notification
// banner component is what decides, so that is the rule here:
//
//  1. the account uses the notification banner component → the platform's
//     banner page; when the platform has not configured one, hosted
//     onboarding (FellBack is set), whatever the dashboard;
//  2. otherwise, full dashboard → the Account Status page;
//  3. Express dashboard → Express onboarding;
//  4. no dashboard → hosted onboarding.
//
// The embedded onboarding component alone changes nothing. An account whose
// Dashboard is not one of A1's values is an error matching ErrNotEligible
// (reason account_misconfigured); a configured banner page that CheckURL
// refuses in the platform's mode is a *URLError matching ErrInvalidURL.
func ResolveDestination(a account.Account, p account.Platform) (Destination, error) {
	switch a.Dashboard {
	case account.DashboardFull, account.DashboardExpress, account.DashboardNone:
	default:
		return Destination{}, decide(OpOpenRemediationLink, ReasonsOf(ReasonAccountMisconfigured)).Err()
	}
	if a.Components.NotificationBanner {
		if p.BannerPageURL == "" {
			return Destination{Kind: DestinationHostedOnboarding, FellBack: true}, nil
		}
		if pr := CheckURL(p.BannerPageURL, p.Live); pr != 0 {
			return Destination{}, &URLError{Field: BannerPageURL, Problem: pr}
		}
		return Destination{Kind: DestinationBannerPage, URL: p.BannerPageURL}, nil
	}
	switch a.Dashboard {
	case account.DashboardFull:
		return Destination{Kind: DestinationAccountStatus}, nil
	case account.DashboardExpress:
		return Destination{Kind: DestinationExpressOnboarding}, nil
	}
	return Destination{Kind: DestinationHostedOnboarding}, nil
}
