package links

import "github.com/connectkit/connectkit/errkind"

// Sentinel errors callers branch on with errors.Is. A *DecisionError matches
// the sentinel of each of its reasons; store errors match ErrNotFound,
// ErrExists, ErrConflict, ErrAlreadyUsed or ErrExpired. Each carries its
// errkind.Kind, so errkind.Of classifies any links error with one call:
// ErrExpired, ErrNotRedeemed and the L10 lockout errors are NotEligible
// (waiting or retrying does not help), ErrSuperseded is AlreadyUsed (a
// refresh used the link up), ErrRefreshLimit is RateLimited, ErrRandom is
// OutcomeUnknown (a fault of the environment; nothing was written).
var (
	// ErrDenied: the user's roles do not allow the operation (L7, L10,
	// L11). A DecisionError matching it also matches roles.ErrDenied.
	ErrDenied = errkind.New(errkind.Denied, "links: permission denied")
	// ErrNotEligible: the account does not meet a rule's conditions (A6,
	// L3, L5, L6, L8).
	ErrNotEligible = errkind.New(errkind.NotEligible, "links: not eligible")
	// ErrInvalidURL: a refresh or return URL is missing, malformed, or
	// plain http in live mode (L2).
	ErrInvalidURL = errkind.New(errkind.InvalidInput, "links: invalid url")
	// ErrInvalid: a parameter holds a value the rules do not know
	// (link type, collection options, missing account ID), or a value no
	// Store can keep faithfully: an ID or text that is not valid UTF-8,
	// holds a NUL or is longer than its bound (MaxIDLen, MaxURLLen),
	// or a record out of range (see AccountLink.Validate and
	// RemediationLink.Validate). It is the links package's invalid-input
	// error: every Store refuses the same inputs with it.
	ErrInvalid = errkind.New(errkind.InvalidInput, "links: invalid input")
	// ErrRefreshLimit: a refresh chain made too many links in its window.
	ErrRefreshLimit = errkind.New(errkind.RateLimited, "links: refresh limit exceeded")
	// ErrNotFound: no link has this token, or the account has no
	// remediation link.
	ErrNotFound = errkind.New(errkind.NotFound, "links: not found")
	// ErrExists: a link with this token hash exists already, or the account
	// already has an active remediation link.
	ErrExists = errkind.New(errkind.Exists, "links: already exists")
	// ErrConflict: a conditional write lost a race (the version changed).
	// Reload and retry.
	ErrConflict = errkind.New(errkind.Conflict, "links: version conflict")
	// ErrAlreadyUsed: the account link was already redeemed.
	ErrAlreadyUsed = errkind.New(errkind.AlreadyUsed, "links: link already used")
	// ErrExpired: the link's lifetime is over (for a remediation link, also
	// when it was revoked), or a refresh chain is older than its maximum
	// age.
	ErrExpired = errkind.New(errkind.NotEligible, "links: link expired")
	// ErrSuperseded: the account link was replaced by a refresh; only the
	// latest link of a refresh chain can be redeemed or refreshed (L1).
	ErrSuperseded = errkind.New(errkind.AlreadyUsed, "links: link superseded by a refresh")
	// ErrStillValid: Refresh was asked for an account link that can still
	// be redeemed (L1): only a spent or expired link is refreshed.
	ErrStillValid = errkind.New(errkind.NotEligible, "links: link still valid; redeem it")
	// ErrNotRedeemed: a return was recorded for an account link nobody
	// redeemed.
	ErrNotRedeemed = errkind.New(errkind.NotEligible, "links: link was never redeemed")
	// ErrAwaitingReset: the remediation link is blocked by a failed
	// verification until the platform resets it (L10).
	ErrAwaitingReset = errkind.New(errkind.NotEligible, "links: remediation link awaits a reset")
	// ErrNothingToReset: a reset was asked for a remediation link with no
	// failed verification (L10).
	ErrNothingToReset = errkind.New(errkind.NotEligible, "links: nothing to reset")
	// ErrSecurityCheckRequired: a reset needs a security-check
	// acknowledgement first (L10).
	ErrSecurityCheckRequired = errkind.New(errkind.NotEligible, "links: security check must be acknowledged")
	// ErrNothingToAcknowledge: an acknowledgement was given with no security
	// check pending (L10).
	ErrNothingToAcknowledge = errkind.New(errkind.NotEligible, "links: nothing to acknowledge")
	// ErrMalformedToken: a string is not a link token.
	ErrMalformedToken = errkind.New(errkind.InvalidInput, "links: malformed token")
	// ErrRandom: the random source failed.
	ErrRandom = errkind.New(errkind.OutcomeUnknown, "links: random source failed")
	// ErrInvalidOption: a Service option is out of range (a negative TTL or
	// refresh limit) or Service.Accounts is nil.
	ErrInvalidOption = errkind.New(errkind.InvalidInput, "links: invalid option")
	// ErrNoStore: the Service has no Store.
	ErrNoStore = errkind.New(errkind.InvalidInput, "links: service has no store")
)
