package relink

import (
	"fmt"
	"time"

	"github.com/connectkit/connectkit/errkind"
)

// Errors callers branch on with errors.Is. Each carries its errkind.Kind,
// so errkind.Of classifies every error of the package with one call.
var (
	// ErrNotEligible (kind NotEligible) is matched by the error of every
	// Decision that refuses a relink.
	ErrNotEligible = errkind.New(errkind.NotEligible, "relink: not eligible")
	// ErrRateLimited (kind RateLimited) is matched when the 48-hour limit
	// refuses a request (K3): by a Decision's error when ReasonRateLimited
	// is among its reasons and every reason passes with time alone
	// (Decision.Later), and by a Store's *RateLimitedError.
	ErrRateLimited = errkind.New(errkind.RateLimited, "relink: rate limited")
	// ErrInvalid (kind InvalidInput) is matched by errors for input the
	// package does not accept.
	ErrInvalid = errkind.New(errkind.InvalidInput, "relink: invalid input")
	// ErrNotFound (kind NotFound) is matched when a request, or a stored
	// Financial Connections account, does not exist.
	ErrNotFound = errkind.New(errkind.NotFound, "relink: not found")
	// ErrExists (kind Exists) is matched when a request ID is already
	// taken, or a Financial Connections account is created twice
	// (PutFCAccount with expected version 0).
	ErrExists = errkind.New(errkind.Exists, "relink: already exists")
	// ErrNotPending (kind AlreadyUsed) is matched when a request is no
	// longer pending, so it can be neither completed, failed, cancelled nor
	// expired: another close won. Re-read the request (Store.Get) to learn
	// how it ended; retrying the same close cannot succeed.
	ErrNotPending = errkind.New(errkind.AlreadyUsed, "relink: request is not pending")
	// ErrConflict (kind Conflict) is matched when a conditional write of a
	// stored Financial Connections account (PutFCAccount) names a version
	// that is no longer the stored one: another write won. Re-read and
	// decide again.
	ErrConflict = errkind.New(errkind.Conflict, "relink: stale version")
	// ErrWrongAccount (kind NotEligible) is matched when a relink
	// completed onto another account where the same account was required
	// (K4); the request stays pending.
	ErrWrongAccount = errkind.New(errkind.NotEligible, "relink: relinked a different account")
)

// DecisionError is the error form of a refusing Decision. It matches
// ErrNotEligible always, ErrRateLimited when every failing reason passes
// with time alone and the limit is among them (Decision.Later: a
// DelayFrom > 0 before NextPossibleAt; the limit together with, say, a
// missing email is not eligible, not rate limited), and roles.ErrDenied (through Decision.Role's error) when the
// user's roles refuse.
type DecisionError struct {
	// Decision is the refusing decision, with every reason.
	Decision Decision
}

// Error implements error.
func (e *DecisionError) Error() string { return "relink: " + e.Decision.String() }

// The sentinel lists Unwrap shares, so that matching a refusal allocates
// nothing; their capacity is their length, so an append copies.
var (
	unwrapNotEligible = []error{ErrNotEligible}
	unwrapRateLimited = []error{ErrNotEligible, ErrRateLimited}
)

// Is reports whether target is ErrNotEligible, or ErrRateLimited where
// Unwrap lists it, answering the common matches without unwrapping.
func (e *DecisionError) Is(target error) bool {
	switch target { // ErrRateLimited first: a retry loop asks for it
	case ErrRateLimited:
		return e.Decision.Reasons.Has(ReasonRateLimited) && e.Decision.Later()
	case ErrNotEligible:
		return true
	}
	return false
}

// Unwrap returns the sentinels the error matches. The slice may be shared:
// do not modify it.
func (e *DecisionError) Unwrap() []error {
	limited := e.Decision.Reasons.Has(ReasonRateLimited) && e.Decision.Later()
	if !e.Decision.Reasons.Has(ReasonRoleNotPermitted) {
		if limited {
			return unwrapRateLimited[:2:2]
		}
		return unwrapNotEligible[:1:1]
	}
	errs := []error{ErrNotEligible}
	if limited {
		errs = append(errs, ErrRateLimited)
	}
	return append(errs, e.Decision.Role.Err())
}

// RateLimitedError is returned by a Store that refuses a request because of
// the 48-hour limit (K3). It matches ErrRateLimited.
type RateLimitedError struct {
	// Account is the account the request was for.
	Account AccountID
	// NextPossibleAt is the first instant a new limited request may be
	// created, unless the customer completes the open request sooner.
	NextPossibleAt time.Time
}

// Error implements error.
func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("relink: account %s: next relink request possible at %s (K3)", e.Account, e.NextPossibleAt.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrRateLimited.
func (e *RateLimitedError) Unwrap() error { return ErrRateLimited }

// WrongAccountError reports a completion onto another account where the
// same account was required (K4). It matches ErrWrongAccount.
type WrongAccountError struct {
	// Request is the request that stays pending.
	Request RequestID
	// Want is the account that had to be relinked; Got the one that was.
	Want, Got AccountID
}

// Error implements error.
func (e *WrongAccountError) Error() string {
	return fmt.Sprintf("relink: request %s must relink account %s, not %s (K4)", e.Request, e.Want, e.Got)
}

// Unwrap returns ErrWrongAccount.
func (e *WrongAccountError) Unwrap() error { return ErrWrongAccount }
