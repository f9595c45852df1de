// Package links makes, redeems and governs the two kinds of link a platform
// sends its connected accounts: account links (rules L1–L5: single use,
// minutes) and remediation links (L6–L12: 90 days, reusable, with a
// verification-failure lockout), plus where a remediation link opens and a
// bulk export.
//
// # Shape
//
// Every rule is a pure function that returns a Decision listing every
// failing Reason (a bitset, each reason with a stable code, its rule ID and
// a sentence): CanCreateAccountLink (L1–L5, A6), CanGenerateRemediationLink
// (L6–L8), ResolveDestination (L9), ShowsBanner (L12), and the methods of
// RemediationLink that decide on and move its lockout state (CanOpen,
// CanReset, CanAcknowledge; RecordFailure, Reset, Acknowledge: L10). Checks
// take the policy first, then who asks, then what, then when. A Decision
// names its Op and renders as connectkit's one decision JSON shape
// ({"allowed", "action", "reasons": [{code, rule, message}], "role",
// "next_possible_at"}). Decision.Err matches the package's sentinels
// (ErrDenied, ErrNotEligible, ErrInvalidURL, …) with errors.Is, and every
// sentinel carries its errkind.Kind, so errkind.Of classifies any links
// error with one call.
//
// Service applies the rules through a Store; each of its methods X that
// reads the clock is shorthand for XAt(…, s.Clock.Now()). Methods acting
// for a user take a roles.User and record its ID on the link (CreatedBy,
// LastChangedBy). The Store's
// writes are conditional, each documented as one SQL statement, so that a
// fleet of replicas over one database cannot hand out one account link
// twice: redemption is a single "consume if unused and unexpired" call that
// reports whether this caller consumed it. MemoryStore is the in-memory
// Store; package linkstest is the conformance suite every Store passes.
//
// # Tokens
//
// A link's secret is a Token: 256 bits from crypto/rand (injectable through
// Service.Rand for tests), base64url behind the "lnk_" prefix. Stores keep
// only its SHA-256 (TokenHash); lookups go by hash and hashes are compared
// in constant time. A Token never prints itself: String, every fmt verb and
// encoding/json show or refuse a redacted form. Token.Reveal is the one way
// to read it, for building the URL.
//
// # From the token alone
//
// Every flow works from what arrives in a request: Redeem, Refresh, Return
// and OpenRemediationLink take a token and read the link's account from
// Service.Accounts (and the platform from Service.Platform). A refused
// redemption's RedirectURL is the link's refresh URL with a refresh key
// (RefreshKeyParam, Token.RefreshKey): the spent link's secret under
// another prefix, which is not a link token, so that the refresh URL's
// handler refreshes the same chain (ParseRefreshKey, then Refresh) without
// any state of its own. Since a refresh key can be derived from a token,
// Refresh refuses a link that is still unused and unexpired
// (ReasonLinkStillValid, L1: redeem it instead), so a key only ever
// refreshes a spent or expired link. The key is still a bearer secret: the
// platform's refresh handler should authenticate the person (with its own
// session) before calling Refresh. Service.AccountLinkURL and
// Service.RemediationLinkURL (URLTemplate) turn issued tokens into the URL
// to send. The package has no HTTP handler: examples/platform is a
// reference server built on these calls.
//
// # Choices where the sources are silent
//
//   - Remediation lockout (L10): see RemediationLink for exactly how the
//     counters move. In short: from the fourth wrong-information failure
//     on, resets are metered; each acknowledgement allows exactly four;
//     failures of any reason consume them.
//   - Refresh bound (L1): a refresh chain (the links made by Refresh from
//     one CreateAccountLink) may make Service.RefreshLimit links (default
//     10) per Service.RefreshWindow (default one hour), a fixed window that
//     starts at the first refresh counted in it.
//   - Generating a remediation link while one is active returns the same
//     link (ID, expiry, lockout state) with a fresh token, since only
//     hashes are stored; earlier tokens keep working until it expires.
//   - L5 applies to account_update links only, as the seed states it.
//   - L9: the notification banner component decides, with or without the
//     embedded onboarding component; see ResolveDestination.
package links
