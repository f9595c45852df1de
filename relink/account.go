package relink

import (
	"fmt"
	"strings"
	"time"
)

// AccountID identifies a Financial Connections account, such as
// "fca_1MwVK82eZvKYlo2Cjw8CZKc3".
type AccountID string

// Status is a Financial Connections account's status (K1). Wire values are
// Stripe's. An unknown status decides eligibility, so decoding rejects it and
// Check answers ReasonInvalidInput for it. The zero Status is invalid.
type Status string

// The account statuses of rule K1.
const (
	// StatusActive: data access works.
	StatusActive Status = "active"
	// StatusInactive: data access stopped; status_details.inactive says why
	// and whether a relink can repair it.
	StatusInactive Status = "inactive"
	// StatusDisconnected: the account was disconnected from Stripe for good;
	// no relink method can repair it (see the package documentation).
	StatusDisconnected Status = "disconnected"
)

// Valid reports whether s is one of Stripe's account statuses.
func (s Status) Valid() bool {
	return s == StatusActive || s == StatusInactive || s == StatusDisconnected
}

// InactiveAction is status_details.inactive.action: what can be done about
// an inactive account. Unknown values are rejected when decoding because they
// decide eligibility. The zero value means "not reported" and blocks nothing.
type InactiveAction string

// The inactive actions Stripe reports.
const (
	// ActionNone: Stripe says no relink can reactivate the account (for
	// example the bank account was closed).
	ActionNone InactiveAction = "none"
	// ActionRelinkRequired: a relink by the customer reactivates it.
	ActionRelinkRequired InactiveAction = "relink_required"
)

// Valid reports whether a is empty (not reported) or one of Stripe's actions.
func (a InactiveAction) Valid() bool {
	return a == "" || a == ActionNone || a == ActionRelinkRequired
}

// InactiveCause is status_details.inactive.cause. It is informational only,
// and Stripe may add causes, so unknown values are kept as they are.
type InactiveCause string

// The inactive causes Stripe documents: access denied or expired at the
// institution, the bank account closed or unavailable, a new institution
// requirement (such as MFA), or no cause given.
const (
	CauseAccessDenied           InactiveCause = "access_denied"
	CauseAccessExpired          InactiveCause = "access_expired"
	CauseAccountClosed          InactiveCause = "account_closed"
	CauseAccountUnavailable     InactiveCause = "account_unavailable"
	CauseInstitutionRequirement InactiveCause = "institution_requirement"
	CauseUnspecified            InactiveCause = "unspecified"
)

// InactiveDetails is status_details.inactive; it is meaningful only when the
// account's status is inactive. The zero value reports nothing.
type InactiveDetails struct {
	// Action says whether a relink can reactivate the account.
	Action InactiveAction
	// Cause says why the account is inactive.
	Cause InactiveCause
}

// HolderType is account_holder.type: whether the account belongs to a
// Customer or to a connected Account. Hosted relink needs one (K2), so an
// unknown value is rejected when decoding. The zero value means "no holder".
type HolderType string

// The account holder types.
const (
	HolderCustomer HolderType = "customer"
	HolderAccount  HolderType = "account"
)

// Valid reports whether h is empty (no holder) or one of Stripe's types.
func (h HolderType) Valid() bool { return h == "" || h == HolderCustomer || h == HolderAccount }

// Holder is the account holder: a Customer or a connected Account, and the
// email address Stripe writes to for hosted relink (K2). Stripe's Financial
// Connections account does not carry the email: fill Email from the Customer
// or the connected Account. The zero Holder is "no holder, no email".
type Holder struct {
	// Type is customer or account; empty when the account has no holder.
	Type HolderType
	// Customer is the Customer ID ("cus_…") when Type is customer.
	Customer string
	// Account is the connected account ID ("acct_…") when Type is account.
	Account string
	// Email is the holder's email address, empty when none is provided.
	Email string
}

// HasEmail reports whether the holder has an email address that is not
// blank. It does not allocate.
func (h Holder) HasEmail() bool { return strings.TrimSpace(h.Email) != "" }

// Permission is a data permission the customer consented to (K5). Stripe
// may add permissions, so unknown values are kept as they are.
type Permission string

// The permissions Stripe documents.
const (
	PermissionBalances      Permission = "balances"
	PermissionOwnership     Permission = "ownership"
	PermissionPaymentMethod Permission = "payment_method"
	PermissionTransactions  Permission = "transactions"
)

// IdentifierType is account_numbers[].identifier_type. Only tokenized
// account numbers (TANs) matter to relink; unknown values are kept and
// ignored by the TAN ground.
type IdentifierType string

// The identifier types Stripe documents.
const (
	IdentifierAccountNumber   IdentifierType = "account_number"
	IdentifierTokenizedNumber IdentifierType = "tokenized_account_number"
)

// NumberStatus is account_numbers[].status. It decides the TAN ground of
// eligibility, so unknown values are rejected when decoding. The zero value
// is invalid.
type NumberStatus string

// The account number statuses.
const (
	// NumberTransactable: the number can be used for payments and payouts.
	NumberTransactable NumberStatus = "transactable"
	// NumberDeactivated: the number expired or the institution revoked it.
	NumberDeactivated NumberStatus = "deactivated"
)

// Valid reports whether s is one of Stripe's account number statuses.
func (s NumberStatus) Valid() bool { return s == NumberTransactable || s == NumberDeactivated }

// AccountNumber is one entry of account_numbers: an account number or a
// tokenized account number (TAN) with its expected expiry (K1).
type AccountNumber struct {
	// IdentifierType says whether this is a TAN.
	IdentifierType IdentifierType
	// Status says whether the number can still be used.
	Status NumberStatus
	// ExpectedExpiry is when the number is expected to stop working; the
	// zero time means no expiry is known.
	ExpectedExpiry time.Time
}

// IsTAN reports whether n is a tokenized account number.
func (n AccountNumber) IsTAN() bool { return n.IdentifierType == IdentifierTokenizedNumber }

// Account is a Financial Connections account, with what relink decisions
// need (K1). It is a plain value: it is safe for concurrent reads, and a
// caller that mutates one must not share it meanwhile. The zero Account is
// invalid (no ID, no status); Check answers ReasonInvalidInput for it.
type Account struct {
	// ID is the account's ID.
	ID AccountID
	// Livemode is false in a sandbox (test mode), where K6 applies.
	Livemode bool
	// Status is active, inactive or disconnected.
	Status Status
	// Inactive holds status_details.inactive.
	Inactive InactiveDetails
	// Holder is the Customer or connected Account the account belongs to.
	Holder Holder
	// Permissions are the data permissions granted, in Stripe's order.
	Permissions []Permission
	// AccountNumbers are the account's numbers, TANs included.
	AccountNumbers []AccountNumber
}

// Validate returns nil when every field that decides eligibility holds a
// known value, and otherwise an *InvalidError naming the first bad field.
func (a *Account) Validate() error {
	if f, v, ok := a.invalidField(); !ok {
		return &InvalidError{Field: f, Value: v}
	}
	return nil
}

// invalidField is Validate without allocation, for Check.
func (a *Account) invalidField() (field, value string, ok bool) {
	switch {
	case a == nil:
		return "account", "<nil>", false
	case a.ID == "":
		return "id", "", false
	case !a.Status.Valid():
		return "status", string(a.Status), false
	case !a.Inactive.Action.Valid():
		return "status_details.inactive.action", string(a.Inactive.Action), false
	case !a.Holder.Type.Valid():
		return "account_holder.type", string(a.Holder.Type), false
	case a.Holder.Type == "" && a.Holder != (Holder{}):
		// A customer, account or email with no holder type says nothing
		// Stripe's shape can carry: refuse it rather than guess the type.
		return "account_holder.type", "", false
	}
	for i := range a.AccountNumbers {
		if !a.AccountNumbers[i].Status.Valid() {
			return "account_numbers.status", string(a.AccountNumbers[i].Status), false
		}
	}
	return "", "", true
}

// Clone returns a deep copy of a, so that the copy can be changed without
// touching a.
func (a Account) Clone() Account {
	a.Permissions = append([]Permission(nil), a.Permissions...)
	a.AccountNumbers = append([]AccountNumber(nil), a.AccountNumbers...)
	return a
}

// HasPermissions reports whether the account's permissions are exactly ps,
// in any order and ignoring repeats. It does not allocate.
func (a *Account) HasPermissions(ps []Permission) bool {
	return subset(a.Permissions, ps) && subset(ps, a.Permissions)
}

func subset(xs, ys []Permission) bool {
	for _, x := range xs {
		found := false
		for _, y := range ys {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// ExpiryHorizon is how close to its expiry a TAN must be for the account to
// be eligible for hosted relink on the TAN ground (K2): 30 days of 24 hours.
// A TAN expiring exactly ExpiryHorizon from now is within it.
const ExpiryHorizon = 30 * 24 * time.Hour

// TANGround reports whether the account's tokenized account numbers give a
// reason to relink at now (K2, K5): a transactable TAN whose expected expiry
// is at most ExpiryHorizon away (an expiry already passed included), or TANs
// none of which is transactable any more (expired or revoked). from is the
// first instant the ground holds when it depends on time, and the zero time
// when it holds whatever the time; with holds false and from not zero, the
// ground will hold at from if the account does not change.
//
// For a fixed account the ground is monotone in time: once it holds it holds
// at every later instant, until a relink replaces the TAN. It does not
// allocate.
func (a *Account) TANGround(now time.Time) (holds bool, from time.Time) {
	var hasTAN, transactable bool
	var earliest time.Time
	for i := range a.AccountNumbers {
		n := &a.AccountNumbers[i]
		if !n.IsTAN() {
			continue
		}
		hasTAN = true
		if n.Status != NumberTransactable {
			continue
		}
		transactable = true
		if !n.ExpectedExpiry.IsZero() && (earliest.IsZero() || n.ExpectedExpiry.Before(earliest)) {
			earliest = n.ExpectedExpiry
		}
	}
	if hasTAN && !transactable {
		return true, time.Time{}
	}
	if earliest.IsZero() {
		return false, time.Time{}
	}
	from = earliest.Add(-ExpiryHorizon)
	return !now.Before(from), from
}

// InvalidError reports a field that holds a value the package does not
// accept. It matches ErrInvalid.
type InvalidError struct {
	// Field is the wire name of the field, such as "status".
	Field string
	// Value is the value refused.
	Value string
}

// Error implements error.
func (e *InvalidError) Error() string {
	return fmt.Sprintf("relink: invalid %s %q", e.Field, e.Value)
}

// Unwrap returns ErrInvalid.
func (e *InvalidError) Unwrap() error { return ErrInvalid }
