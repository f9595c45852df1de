package links

import (
	"fmt"
	"strings"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/roles"
)

// RemediationTTL is how long a remediation link stays active (L6): 90 days,
// during which it may be opened any number of times.
const RemediationTTL = 90 * 24 * time.Hour

// WrongInformationLimit is the number of wrong-information verification
// failures after which resets need a security-check acknowledgement (L10).
const WrongInformationLimit = 4

// MaxRemediationTokens is the number of tokens that open one remediation
// link at a time. Generating a link while it is active hands out a fresh
// token (only hashes are stored, so an earlier token cannot be shown
// again); a Store keeps the MaxRemediationTokens most recent and retires
// the oldest when one more is added. Ten covers a link re-sent a few times
// (a Dashboard view, an email, an export) while bounding the live secrets
// of one link: 10,000 regenerations leave ten tokens, not 10,000.
const MaxRemediationTokens = 10

// ResetsPerAcknowledgement is the number of resets one security-check
// acknowledgement allows (L10: "Acknowledging the check allows you to reset
// the link four more times").
const ResetsPerAcknowledgement = 4

// LinkID identifies a remediation link. It is not secret: it names the link
// in the Dashboard and in the Store, but opening the link needs its Token.
type LinkID string

// FailureReason is why an identity verification through a remediation link
// failed (L10). Wire values are snake_case. The zero FailureReason is no
// failure.
type FailureReason uint8

// The failure reasons of the seed's table (L10).
const (
	// FailureWrongInformation: the owner or representative entered wrong
	// information.
	FailureWrongInformation FailureReason = iota + 1
	// FailureNotRepresentative: a person who is not the listed
	// representative is trying to enter the account's information.
	FailureNotRepresentative
	// FailureInsufficientInformation: Stripe does not have enough of the
	// account's information (such as the bank account number or the last
	// four digits of the SSN) to verify.
	FailureInsufficientInformation
)

// Valid reports whether f is a declared failure reason.
func (f FailureReason) Valid() bool {
	return f >= FailureWrongInformation && f <= FailureInsufficientInformation
}

// String returns the wire name: "wrong_information", "not_representative"
// or "insufficient_information"; "none" for zero.
func (f FailureReason) String() string {
	switch f {
	case 0:
		return "none"
	case FailureWrongInformation:
		return "wrong_information"
	case FailureNotRepresentative:
		return "not_representative"
	case FailureInsufficientInformation:
		return "insufficient_information"
	}
	return fmt.Sprintf("FailureReason(%d)", uint8(f))
}

// RepresentativeField is a detail of the representative a Remedy asks the
// platform to update or add. Values are Stripe-style snake_case names.
type RepresentativeField string

// The representative details the L10 remedies name.
const (
	FieldFullName RepresentativeField = "full_name"
	FieldDOB      RepresentativeField = "dob"
	FieldSSNLast4 RepresentativeField = "ssn_last_4"
)

// Remedy is what the platform must do after a failed verification before it
// resets the link (L10). It is derived from the failure reason and the
// link's lockout state; the zero Remedy asks for nothing.
type Remedy struct {
	// Reason is the failure the remedy answers.
	Reason FailureReason
	// CheckInformation asks the platform to verify that the account's
	// information is correct and complete (every failure).
	CheckInformation bool
	// UpdateRepresentative names the representative's details to correct
	// (not the listed representative: name, date of birth, SSN last 4).
	UpdateRepresentative []RepresentativeField
	// AddDetails names details to add (not enough information: date of
	// birth and SSN last 4, and more account details).
	AddDetails []RepresentativeField
	// AccountLinkAlternative says that, instead of fixing the details
	// itself, the platform may let the representative update them directly
	// through an account link (L1) created with the API.
	AccountLinkAlternative bool
	// SecurityCheck says a security check must be acknowledged before the
	// reset (wrong information entered four times and no resets left).
	SecurityCheck bool
}

// RemedyFor returns the remedy the seed's table gives for reason f, without
// the lockout state (SecurityCheck is false; RemediationLink.Remedy sets
// it). An undeclared f gets the zero Remedy.
func RemedyFor(f FailureReason) Remedy {
	switch f {
	case FailureWrongInformation:
		return Remedy{Reason: f, CheckInformation: true}
	case FailureNotRepresentative:
		return Remedy{Reason: f, CheckInformation: true,
			UpdateRepresentative:   []RepresentativeField{FieldFullName, FieldDOB, FieldSSNLast4},
			AccountLinkAlternative: true}
	case FailureInsufficientInformation:
		return Remedy{Reason: f, CheckInformation: true,
			AddDetails:             []RepresentativeField{FieldDOB, FieldSSNLast4},
			AccountLinkAlternative: true}
	}
	return Remedy{}
}

// String returns the remedy as instructions a platform operator can follow.
func (r Remedy) String() string {
	if !r.Reason.Valid() {
		return "nothing to remedy"
	}
	var parts []string
	if r.CheckInformation {
		parts = append(parts, "check that the account information is correct and complete")
	}
	if len(r.UpdateRepresentative) > 0 {
		parts = append(parts, "update the representative's "+joinFields(r.UpdateRepresentative))
	}
	if len(r.AddDetails) > 0 {
		parts = append(parts, "add account details including "+joinFields(r.AddDetails))
	}
	if r.SecurityCheck {
		parts = append(parts, "acknowledge the security check")
	}
	parts = append(parts, "reset the link and ask the account to try again")
	s := strings.Join(parts, ", then ")
	if r.AccountLinkAlternative {
		s += "; or use an account link instead so the representative updates the information directly"
	}
	return r.Reason.String() + ": " + s + " (L10)"
}

func joinFields(fs []RepresentativeField) string {
	ss := make([]string, len(fs))
	for i, f := range fs {
		ss[i] = string(f)
	}
	return strings.Join(ss, ", ")
}

// RemediationLink is a reusable link that sends a connected account to
// where it can give Stripe updated verification information (L6–L10). It
// is a plain value, the record a Store keeps; its tokens are kept apart, as
// hashes.
//
// # Lockout (L10)
//
// The counters move exactly like this:
//
//   - RecordFailure sets Pending to the failure reason (the link is blocked
//     until a reset) and increments Failures; a wrong-information failure
//     also increments WrongInformation.
//   - While WrongInformation < WrongInformationLimit (4), Reset needs only a
//     pending failure: it clears Pending and increments Resets.
//   - From the fourth wrong-information failure on, the gate is closed for
//     good: every Reset consumes one ResetCredits, and with none left it is
//     refused with ReasonSecurityCheckRequired.
//   - Acknowledge is accepted only when that refusal would happen (a pending
//     failure, the gate closed, no credits); it sets ResetCredits to
//     ResetsPerAcknowledgement (4) and increments Acknowledgements.
//
// So the fourth wrong-information failure needs an acknowledgement before
// its reset, each acknowledgement allows exactly four resets (whatever the
// reasons of the failures they clear), and the fifth needs another. A
// refused operation returns the link unchanged.
//
// The zero RemediationLink is not a link; the Service builds them.
type RemediationLink struct {
	// ID names the link; it is not secret.
	ID LinkID
	// Account is the connected account the link is for.
	Account account.ID
	// CreatedBy is the ID of the user who generated the link.
	CreatedBy string
	// Created is when the link was generated.
	Created time.Time
	// ExpiresAt is Created + RemediationTTL; the link is active strictly
	// before it (L6).
	ExpiresAt time.Time

	// Pending is the failure waiting for a reset; zero when none.
	Pending FailureReason
	// Failures counts every failed verification recorded.
	Failures int
	// WrongInformation counts wrong-information failures.
	WrongInformation int
	// Resets counts resets made.
	Resets int
	// Acknowledgements counts security checks acknowledged.
	Acknowledgements int
	// ResetCredits is the number of resets left from acknowledgements;
	// meaningful once WrongInformation reaches WrongInformationLimit.
	ResetCredits int
	// LastChangedBy is the ID of the user who last reset, acknowledged or
	// revoked.
	LastChangedBy string
	// RevokedAt is when the platform revoked the link; zero unless
	// revoked. A revoked link is no longer active and none of its tokens
	// opens it.
	RevokedAt time.Time

	// Version is the optimistic-concurrency version, set by the Store: 1
	// on create, incremented by every update.
	Version uint64
}

// Active reports whether l is inside its 90 days at now and not revoked
// (L6).
func (l RemediationLink) Active(now time.Time) bool {
	return l.RevokedAt.IsZero() && now.Before(l.ExpiresAt)
}

// inactive returns why l is not active at now: revoked, or its 90 days
// are over.
func (l RemediationLink) inactive(now time.Time) Reasons {
	switch {
	case !l.RevokedAt.IsZero():
		return ReasonsOf(ReasonRemediationLinkRevoked)
	case !now.Before(l.ExpiresAt):
		return ReasonsOf(ReasonRemediationLinkExpired)
	}
	return 0
}

// gateClosed reports whether resets are metered by acknowledgements.
func (l RemediationLink) gateClosed() bool { return l.WrongInformation >= WrongInformationLimit }

// SecurityCheckPending reports whether a reset would be refused until a
// security check is acknowledged (L10).
func (l RemediationLink) SecurityCheckPending() bool {
	return l.Pending != 0 && l.gateClosed() && l.ResetCredits <= 0
}

// CanOpen decides whether the link may be opened at now: it must be
// active (L6) and not blocked by a failed verification (L10).
func (l RemediationLink) CanOpen(now time.Time) Decision {
	rs := l.inactive(now)
	if l.Pending != 0 {
		rs = rs.With(ReasonAwaitingReset)
	}
	return decide(OpOpenRemediationLink, rs)
}

// Remedy returns what the platform must do about the pending failure, with
// SecurityCheck set when an acknowledgement is needed first; the zero Remedy
// when nothing is pending.
func (l RemediationLink) Remedy() Remedy {
	r := RemedyFor(l.Pending)
	r.SecurityCheck = l.SecurityCheckPending()
	return r
}

// RecordFailure records a failed verification with reason f at now and
// returns the updated link and the remedy. It is refused (link unchanged)
// when the link has expired or already awaits a reset, since the account
// cannot verify through it then. An undeclared f is an error matching
// ErrInvalid.
func (l RemediationLink) RecordFailure(f FailureReason, now time.Time) (RemediationLink, Decision, error) {
	if !f.Valid() {
		return l, Decision{}, fmt.Errorf("%w: failure reason %v", ErrInvalid, f)
	}
	d := l.CanOpen(now)
	d.Op = OpRecordVerificationFailure
	if !d.Allowed {
		return l, d, nil
	}
	l.Pending = f
	l.Failures++
	if f == FailureWrongInformation {
		l.WrongInformation++
	}
	return l, d, nil
}

// CanReset decides whether a user holding held may reset l at now under
// policy pol (L10): the roles must allow roles.ResetRemediationLink, the link
// must be active, a failure must be pending, and, once the gate is closed,
// a reset credit must be left. Every failing reason is reported.
func (l RemediationLink) CanReset(pol roles.Policy, held roles.Set, now time.Time) Decision {
	var rs Reasons
	rd := pol.Check(held, roles.ResetRemediationLink)
	rs |= l.inactive(now)
	switch {
	case l.Pending == 0:
		rs = rs.With(ReasonNothingToReset)
	case l.SecurityCheckPending():
		rs = rs.With(ReasonSecurityCheckRequired)
	}
	return decide(OpResetRemediationLink, rs).withRole(rd)
}

// Reset applies CanReset for u under pol and, when allowed, clears the pending failure,
// consumes a credit if the gate is closed, records u.ID as LastChangedBy,
// and returns the updated link.
// When refused, l is returned unchanged.
func (l RemediationLink) Reset(pol roles.Policy, u roles.User, now time.Time) (RemediationLink, Decision) {
	d := l.CanReset(pol, u.Roles, now)
	if !d.Allowed {
		return l, d
	}
	if l.gateClosed() {
		l.ResetCredits--
	}
	l.Pending = 0
	l.Resets++
	l.LastChangedBy = u.ID
	return l, d
}

// CanAcknowledge decides whether a user holding held may acknowledge the
// security check of l at now under policy pol (L10): the roles must allow
// roles.AcknowledgeSecurityCheck, the link must be active, and a security
// check must be pending.
func (l RemediationLink) CanAcknowledge(pol roles.Policy, held roles.Set, now time.Time) Decision {
	var rs Reasons
	rd := pol.Check(held, roles.AcknowledgeSecurityCheck)
	rs |= l.inactive(now)
	if !l.SecurityCheckPending() {
		rs = rs.With(ReasonNothingToAcknowledge)
	}
	return decide(OpAcknowledgeSecurityCheck, rs).withRole(rd)
}

// Acknowledge applies CanAcknowledge for u under pol and, when allowed,
// grants ResetsPerAcknowledgement resets and records u.ID as LastChangedBy. When refused, l is returned unchanged.
func (l RemediationLink) Acknowledge(pol roles.Policy, u roles.User, now time.Time) (RemediationLink, Decision) {
	d := l.CanAcknowledge(pol, u.Roles, now)
	if !d.Allowed {
		return l, d
	}
	l.ResetCredits = ResetsPerAcknowledgement
	l.Acknowledgements++
	l.LastChangedBy = u.ID
	return l, d
}

// CanGenerateRemediationLink decides whether a user holding held may
// generate a remediation link for a under policy pol: the roles must allow
// roles.GenerateRemediationLink (L7); the account must not be removed (A6);
// its owner must be confirmed (L6); it must have a primary representative
// with a full name and a valid date of birth, and an external payout account
// (L8). Every missing item is a reason of its own. It is pure and does not
// allocate.
func CanGenerateRemediationLink(pol roles.Policy, held roles.Set, a account.Account) Decision {
	var rs Reasons
	rd := pol.Check(held, roles.GenerateRemediationLink)
	if a.ID == "" {
		rs = rs.With(ReasonAccountMissing)
	}
	if a.Removed {
		rs = rs.With(ReasonAccountRemoved)
	}
	if !ownerConfirmed(a) {
		rs = rs.With(ReasonOwnerNotSet)
	}
	if strings.TrimSpace(a.Representative.FullName()) == "" {
		rs = rs.With(ReasonRepresentativeNameMissing)
	}
	if !a.Representative.DOB().Valid() {
		rs = rs.With(ReasonRepresentativeDOBMissing)
	}
	if !a.HasExternalAccount {
		rs = rs.With(ReasonExternalAccountMissing)
	}
	return decide(OpGenerateRemediationLink, rs).withRole(rd)
}
