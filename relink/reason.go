package relink

import "github.com/connectkit/connectkit/internal/reasonset"

// Reason is one stable, machine-readable ground on which a relink is
// refused. Each has a snake_case Code, the rule it enforces (Rule) and a
// sentence (String). The zero Reason is not a reason.
type Reason uint8

// The reasons a Decision gives. Their values are stable: they are bit
// positions in Reasons.
const (
	// ReasonInvalidInput: the account or the ask holds a value the package
	// does not accept (an unknown status, method, delivery, purpose, or no
	// account ID, a Dashboard ask without a user ID). CanRequest denies by
	// default rather than guess.
	ReasonInvalidInput Reason = iota + 1
	// ReasonDisconnected: the account is disconnected; no method relinks it.
	ReasonDisconnected
	// ReasonNotRepairable: the account is inactive and Stripe reports
	// status_details.inactive.action "none": a relink cannot repair it.
	ReasonNotRepairable
	// ReasonNoRelinkGround: hosted relink needs the account inactive or a
	// TAN expiring within 30 days (K2).
	ReasonNoRelinkGround
	// ReasonNoHolder: hosted relink needs the account to belong to a
	// Customer or a connected Account (K2).
	ReasonNoHolder
	// ReasonNoEmail: Stripe is to email the holder, who has no email
	// address (K2).
	ReasonNoEmail
	// ReasonSandboxEmailUnconfirmed: in a sandbox the holder's email must
	// be a confirmed user email of the platform (K6).
	ReasonSandboxEmailUnconfirmed
	// ReasonRateLimited: a limited request for the account was made less
	// than 48 hours ago and not completed by the customer (K3).
	ReasonRateLimited
	// ReasonRoleNotPermitted: the Dashboard user's roles do not allow
	// roles.RequestRelink (K3, P1–P3). Its code is roles' "role_not_permitted", as in every package, under K3, the rule of
	// roles.RequestRelink.
	ReasonRoleNotPermitted
	// ReasonSameAccountRequired: hosted relink always relinks exactly the
	// same account; another account may be allowed only with API relink
	// (K4).
	ReasonSameAccountRequired
	// ReasonNotInactive: reactivation was asked for an account that is not
	// inactive (K5).
	ReasonNotInactive
	// ReasonNoTANToRefresh: a TAN refresh was asked but no TAN is expiring
	// within 30 days, expired or revoked (K5).
	ReasonNoTANToRefresh
	// ReasonPermissionsNeedAPIRelink: new permissions can be asked only
	// through API relink (K5; see the package documentation).
	ReasonPermissionsNeedAPIRelink
	// ReasonPermissionsUnchanged: the permissions asked for are those
	// already granted (K5).
	ReasonPermissionsUnchanged
	// ReasonDuplicate: the account appears earlier in the same campaign,
	// and one request per account is all the limit allows (K3).
	ReasonDuplicate
	// ReasonOtherAuthorization: the ask names another Financial
	// Connections authorization than the one the account belongs to (K4).
	ReasonOtherAuthorization

	numReasons
)

var reasonInfo = [numReasons]struct{ code, rule, text string }{
	ReasonInvalidInput:             {"invalid_input", "K1", "the account or the request holds an invalid value"},
	ReasonDisconnected:             {"disconnected", "K1", "the account is disconnected and cannot be relinked"},
	ReasonNotRepairable:            {"inactive_not_repairable", "K1", "the account is inactive and Stripe reports that no relink can repair it"},
	ReasonNoRelinkGround:           {"not_inactive_or_expiring", "K2", "hosted relink needs an inactive account or a TAN expiring within 30 days"},
	ReasonNoHolder:                 {"no_account_holder", "K2", "hosted relink needs an account held by a Customer or a connected Account"},
	ReasonNoEmail:                  {"holder_email_missing", "K2", "the account holder has no email address for Stripe to write to"},
	ReasonSandboxEmailUnconfirmed:  {"sandbox_email_unconfirmed", "K6", "in a sandbox the holder's email must be a confirmed user email of the platform"},
	ReasonRateLimited:              {"rate_limited", "K3", "a relink request was sent for the account less than 48 hours ago and not completed"},
	ReasonRoleNotPermitted:         {"role_not_permitted", "K3", "the user's roles do not allow requesting a relink"},
	ReasonSameAccountRequired:      {"same_account_required", "K4", "hosted relink must relink exactly the same account"},
	ReasonNotInactive:              {"not_inactive", "K5", "reactivation needs an inactive account"},
	ReasonNoTANToRefresh:           {"no_tan_to_refresh", "K5", "no TAN is expiring within 30 days, expired or revoked"},
	ReasonPermissionsNeedAPIRelink: {"permissions_need_api_relink", "K5", "new data permissions can be asked only through API relink"},
	ReasonPermissionsUnchanged:     {"permissions_unchanged", "K5", "the permissions asked for are those already granted"},
	ReasonDuplicate:                {"duplicate_in_campaign", "K3", "the account appears earlier in the same campaign"},
	ReasonOtherAuthorization:       {"other_authorization", "K4", "the account does not belong to the authorization asked for"},
}

// reasons answers Reason's methods from reasonInfo (internal/reasonset).
var reasons = reasonset.NewTable(numReasons,
	func(r Reason) (code, rule, text string) { i := reasonInfo[r]; return i.code, i.rule, i.text },
	func(code string) error { return &InvalidError{Field: "reason", Value: code} })

// Valid reports whether r is a declared reason.
func (r Reason) Valid() bool { return r > 0 && r < numReasons }

// Code returns the stable snake_case code, such as "rate_limited"; "none"
// for the zero Reason, or "Reason(N)" for an undeclared value.
func (r Reason) Code() string { return reasons.Code(r) }

// Rule returns the ID of the rule the reason enforces, such as "K3".
func (r Reason) Rule() string { return reasons.Rule(r) }

// String returns a sentence a person can read, ending with the rule ID.
func (r Reason) String() string { return reasons.String(r) }

// Reasons is a set of Reason, as a bitset so that decisions do not
// allocate: the shared reason set of every connectkit package, which
// encodes in JSON as [{code, rule, message}, …]. The zero Reasons is empty.
type Reasons = reasonset.Set[Reason]

// ReasonsOf returns the set of the given reasons; undeclared ones are
// dropped.
func ReasonsOf(rs ...Reason) Reasons { return reasonset.Of(rs...) }

// timeBound are the reasons that pass with time alone, when the account
// does not change.
const timeBound = Reasons(1<<ReasonRateLimited | 1<<ReasonNoRelinkGround | 1<<ReasonNoTANToRefresh)
