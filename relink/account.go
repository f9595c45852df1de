package relink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// AccountID identifies a Financial Connections account, such as
// "fca_1MwVK82eZvKYlo2Cjw8CZKc3".
type AccountID string

// AccountStatus is a Financial Connections account's status (K1). Wire values are
// Stripe's. An unknown status decides eligibility, so decoding rejects it and
// CanRequest answers ReasonInvalidInput for it. The zero AccountStatus is invalid.
type AccountStatus string

// The account statuses of rule K1.
const (
	// AccountActive: data access works.
	AccountActive AccountStatus = "active"
	// AccountInactive: data access stopped; status_details.inactive says why
	// and whether a relink can repair it.
	AccountInactive AccountStatus = "inactive"
	// AccountDisconnected: the account was disconnected from Stripe for good;
	// no relink method can repair it (see the package documentation).
	AccountDisconnected AccountStatus = "disconnected"
)

// Valid reports whether s is one of Stripe's account statuses.
func (s AccountStatus) Valid() bool {
	return s == AccountActive || s == AccountInactive || s == AccountDisconnected
}

// Action is the action of status_details.active and status_details
// .inactive: whether the customer must relink. It decides eligibility, so
// unknown values are rejected when decoding. The zero value means "not
// reported" and decides nothing.
type Action string

// The actions Stripe reports (the same two in both branches).
const (
	// ActionNone: on an inactive account, Stripe says no relink can
	// reactivate it (for example the bank account was closed); on an
	// active account, nothing is needed.
	ActionNone Action = "none"
	// ActionRelinkRequired: a relink by the customer reactivates an
	// inactive account, or keeps an active one from being deactivated at
	// its expected deactivation date.
	ActionRelinkRequired Action = "relink_required"
)

// Valid reports whether a is empty (not reported) or one of Stripe's actions.
func (a Action) Valid() bool {
	return a == "" || a == ActionNone || a == ActionRelinkRequired
}

// Cause is the cause of status_details.active or .inactive. It is
// informational only, and Stripe may add causes, so unknown values are
// kept as they are.
type Cause string

// The causes Stripe documents: access denied or expired at the
// institution, the bank account closed or unavailable, a new institution
// requirement (such as MFA), or no cause given. An active account's cause
// is one of access_expired, institution_requirement and unspecified.
const (
	CauseAccessDenied           Cause = "access_denied"
	CauseAccessExpired          Cause = "access_expired"
	CauseAccountClosed          Cause = "account_closed"
	CauseAccountUnavailable     Cause = "account_unavailable"
	CauseInstitutionRequirement Cause = "institution_requirement"
	CauseUnspecified            Cause = "unspecified"
)

// ActiveDetails is status_details.active (GA): Stripe's proactive signal
// that an active account will need relinking by ExpectedDeactivation. It
// is meaningful only when the account's status is active. The zero value
// reports nothing.
type ActiveDetails struct {
	// Action is relink_required when the customer must relink before the
	// account is deactivated.
	Action Action
	// Cause says why.
	Cause Cause
	// ExpectedDeactivation is expected_deactivation_date: when Stripe
	// expects to deactivate the account unless it is relinked.
	ExpectedDeactivation Timestamp
	// Extra holds the members of status_details.active relink does not
	// model, as Account.Extra does at the top level.
	Extra map[string]json.RawMessage
}

func (d ActiveDetails) isZero() bool {
	return d.Action == "" && d.Cause == "" && d.ExpectedDeactivation == (Timestamp{}) && len(d.Extra) == 0
}

// InactiveDetails is status_details.inactive (BETA); it is meaningful only
// when the account's status is inactive. The zero value reports nothing.
type InactiveDetails struct {
	// Action says whether a relink can reactivate the account.
	Action Action
	// Cause says why the account is inactive.
	Cause Cause
	// Extra holds the members of status_details.inactive relink does not
	// model, as Account.Extra does at the top level.
	Extra map[string]json.RawMessage
}

func (d InactiveDetails) isZero() bool {
	return d.Action == "" && d.Cause == "" && len(d.Extra) == 0
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

// Holder is account_holder: a Customer or a connected Account, and the
// email address Stripe writes to for hosted relink (K2). Stripe's Financial
// Connections account does not carry the email: fill Email from the
// Customer or the connected Account (ParseAccount does so from an expanded
// one). The zero Holder is "no holder, no email".
type Holder struct {
	// Type is customer or account; empty when the account has no holder.
	Type HolderType
	// Customer is the Customer ID ("cus_…") when Type is customer; when
	// Stripe sent the Customer expanded, its "id".
	Customer string
	// CustomerObject is the expanded Customer object as Stripe sent it
	// (expand[]=account_holder.customer), in canonical JSON (see
	// Account.Extra); nil when Stripe sent the ID alone. Its "id" must be
	// Customer.
	CustomerObject json.RawMessage
	// CustomerAccount is customer_account: the Accounts v2 ID of the
	// customer, when Type is customer (GA). It is a plain ID, never expanded.
	CustomerAccount string
	// Account is the connected account ID ("acct_…") when Type is account;
	// when Stripe sent the Account expanded, its "id".
	Account string
	// AccountObject is the expanded Account object as Stripe sent it, in
	// canonical JSON; nil when Stripe sent the ID alone. Its "id" must be
	// Account.
	AccountObject json.RawMessage
	// Email is the holder's email address, empty when none is provided.
	Email string
	// Extra holds the members of account_holder relink does not model, as
	// Account.Extra does at the top level.
	Extra map[string]json.RawMessage
}

// HasEmail reports whether the holder has an email address that is not
// blank. It does not allocate.
func (h Holder) HasEmail() bool { return notBlank(h.Email) }

// notBlank reports whether strings.TrimSpace(s) != "", deciding the
// common case (a first byte that is printable ASCII) at once.
func notBlank(s string) bool {
	if s != "" && s[0] > ' ' && s[0] < utf8.RuneSelf {
		return true
	}
	return strings.TrimSpace(s) != ""
}

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

// Network is an entry of account_numbers[].supported_networks. It is
// informational, and Stripe may add networks, so unknown values are kept.
type Network string

// NetworkACH is the one network Stripe documents.
const NetworkACH Network = "ach"

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
	// ExpectedExpiry is when the number is expected to stop working; not
	// Valid when no expiry is known (expected_expiry_date null). A Valid
	// ExpectedExpiry in year 1 is a real, long past instant.
	ExpectedExpiry Timestamp
	// SupportedNetworks are the payment networks the number works on, in
	// Stripe's order; nil when Stripe sent none (the member absent), empty
	// when it sent [].
	SupportedNetworks []Network
	// Extra holds the members of the account_numbers entry relink does not
	// model, as Account.Extra does at the top level.
	Extra map[string]json.RawMessage
	// Unsent names the members expected_expiry_date and identifier_type
	// when Stripe did not send them, in that order, as Account.Unsent does
	// at the top level.
	Unsent []string
}

// IsTAN reports whether n is a tokenized account number.
func (n AccountNumber) IsTAN() bool { return n.IdentifierType == IdentifierTokenizedNumber }

// AuthorizationID identifies a Financial Connections authorization
// ("fcauth_…"): the consent an account was linked under, which a relink
// session renews (relink_options.authorization).
type AuthorizationID string

// Account is a Financial Connections account, with what relink decisions
// need (K1) and every other member Stripe sent, kept in Extra. It is a
// plain value: it is safe for concurrent reads, and a caller that mutates
// one must not share it meanwhile. The zero Account is invalid (no ID, no
// status); CanRequest answers ReasonInvalidInput for it.
type Account struct {
	// ID is the account's ID.
	ID AccountID
	// Livemode is false in a sandbox (test mode), where K6 applies.
	Livemode bool
	// Status is active, inactive or disconnected.
	Status AccountStatus
	// Active holds status_details.active (GA): Stripe's relink_required
	// flag on an active account and its expected deactivation date.
	Active ActiveDetails
	// Inactive holds status_details.inactive (BETA).
	Inactive InactiveDetails
	// StatusDetailsExtra holds the members of status_details other than
	// active and inactive, as Extra does at the top level.
	StatusDetailsExtra map[string]json.RawMessage
	// Authorization is the Financial Connections authorization the account
	// belongs to (BETA; empty when Stripe does not send it).
	Authorization AuthorizationID
	// Holder is the Customer or connected Account the account belongs to.
	Holder Holder
	// Permissions are the data permissions granted, in Stripe's order; nil
	// when Stripe sent null (or nothing), empty when it sent [].
	Permissions []Permission
	// AccountNumbers are the account's numbers, TANs included; nil when
	// Stripe sent null (or nothing), empty when it sent [].
	AccountNumbers []AccountNumber
	// Extra holds the members relink does not model (balance, category,
	// institution_name, …, and any member Stripe adds), and the modelled
	// members Stripe sent present but empty (null, "" or {}) where the
	// field is zero — status_details, authorization; in the nested objects
	// active, inactive, action, cause, expected_deactivation_date,
	// customer, customer_account, account, email, supported_networks — so
	// that they re-encode as sent; by name, each in
	// canonical JSON: compact, with <, >, & and U+2028/U+2029 escaped as
	// json.Marshal writes them. MarshalJSON writes them back, so a decoded
	// account re-encodes everything Stripe sent. The objects relink models
	// keep their own unknown members the same way: StatusDetailsExtra,
	// Active.Extra, Inactive.Extra, Holder.Extra and each
	// AccountNumbers[i].Extra. Every Extra holds at most MaxListLen
	// members. livemode sent null and an entry's identifier_type sent null
	// are kept the same way, and so is account_holder.email sent equal to
	// the expanded object's email (which MarshalJSON would leave out).
	Extra map[string]json.RawMessage
	// Unsent names the modelled members that MarshalJSON writes even when
	// their field is zero — object, livemode, account_holder, permissions,
	// account_numbers, in that order — that Stripe did not send, so that
	// MarshalJSON leaves them out: ParseAccount fills it, and with Extra
	// and AccountNumbers[i].Unsent, MarshalJSON(ParseAccount(x)) is x, as
	// a JSON value, for every x ParseAccount accepts. The other modelled
	// members are written only when their field is not zero or Extra keeps
	// them, so an absent one stays absent without it; id and status are
	// required. nil (an account built in Go) writes them all. A name's
	// field must be zero (false, nil, the zero Holder).
	Unsent []string
}

// Size bounds of an Account, so that hostile input is refused in time
// proportional to its size. Lengths are in bytes.
const (
	// MaxIDLen bounds every ID (account, authorization, customer, request)
	// and every enum value.
	MaxIDLen = 255
	// MaxEmailLen bounds Holder.Email.
	MaxEmailLen = 512
	// MaxListLen bounds Permissions, AccountNumbers, SupportedNetworks and
	// the number of members of each Extra (the account's and each nested
	// object's).
	MaxListLen = 64
	// MaxAccountJSON bounds the JSON ParseAccount reads.
	MaxAccountJSON = 1 << 20
	// MaxJSONDepth bounds how deeply ParseAccount's input nests.
	MaxJSONDepth = 32
)

// Validate returns nil when every field holds a value the package accepts,
// and otherwise an *InvalidError naming the first bad field: an unknown
// value of a field that decides eligibility, an ID or text with NUL,
// invalid UTF-8 or over its length bound, a list over MaxListLen, a
// Timestamp outside years 1–9999, an expanded holder object that is not a
// JSON object with the holder's ID, or a member of any Extra (the
// account's or a nested object's) that is not JSON or names a member relink
// models at that level.
func (a Account) Validate() error {
	if f, v, ok := a.invalidField(); !ok {
		return &InvalidError{Field: f, Value: v}
	}
	if f, v, ok := a.invalidJSON(); !ok {
		return &InvalidError{Field: f, Value: v}
	}
	return nil
}

// validFields reports whether invalidField finds nothing.
func (a *Account) validFields() bool {
	_, _, ok := a.invalidField()
	return ok
}

// invalidField is Validate without allocation, for CanRequest: everything but
// the JSON held in Extra and the expanded holder objects.
func (a *Account) invalidField() (field, value string, ok bool) {
	switch {
	case a.ID == "" || !validText(string(a.ID), MaxIDLen):
		return "id", string(a.ID), false
	case !a.Status.Valid():
		return "status", string(a.Status), false
	case !a.Active.Action.Valid():
		return "status_details.active.action", string(a.Active.Action), false
	case !validText(string(a.Active.Cause), MaxIDLen):
		return "status_details.active.cause", string(a.Active.Cause), false
	case !a.Active.ExpectedDeactivation.inRange():
		return "status_details.active.expected_deactivation_date", a.Active.ExpectedDeactivation.String(), false
	case !a.Inactive.Action.Valid():
		return "status_details.inactive.action", string(a.Inactive.Action), false
	case !validText(string(a.Inactive.Cause), MaxIDLen):
		return "status_details.inactive.cause", string(a.Inactive.Cause), false
	case !validText(string(a.Authorization), MaxIDLen):
		return "authorization", string(a.Authorization), false
	case !a.Holder.Type.Valid():
		return "account_holder.type", string(a.Holder.Type), false
	case a.Holder.Type == "" && !a.Holder.isZero():
		// A customer, account or email with no holder type says nothing
		// Stripe's shape can carry: refuse it rather than guess the type.
		return "account_holder.type", "", false
	case !validText(a.Holder.Customer, MaxIDLen):
		return "account_holder.customer", a.Holder.Customer, false
	case !validText(a.Holder.CustomerAccount, MaxIDLen):
		return "account_holder.customer_account", a.Holder.CustomerAccount, false
	case !validText(a.Holder.Account, MaxIDLen):
		return "account_holder.account", a.Holder.Account, false
	case !validText(a.Holder.Email, MaxEmailLen):
		return "account_holder.email", a.Holder.Email, false
	case len(a.Holder.CustomerObject) > 0 && (a.Holder.CustomerObject[0] != '{' || a.Holder.Customer == ""):
		return "account_holder.customer", string(a.Holder.CustomerObject), false
	case len(a.Holder.AccountObject) > 0 && (a.Holder.AccountObject[0] != '{' || a.Holder.Account == ""):
		return "account_holder.account", string(a.Holder.AccountObject), false
	case len(a.Permissions) > MaxListLen:
		return "permissions", "too many", false
	case len(a.AccountNumbers) > MaxListLen:
		return "account_numbers", "too many", false
	case len(a.Extra) > MaxListLen:
		return "account", "too many members", false
	case len(a.StatusDetailsExtra) > MaxListLen:
		return "status_details", "too many members", false
	case len(a.Active.Extra) > MaxListLen:
		return "status_details.active", "too many members", false
	case len(a.Inactive.Extra) > MaxListLen:
		return "status_details.inactive", "too many members", false
	case len(a.Holder.Extra) > MaxListLen:
		return "account_holder", "too many members", false
	case !validUnsent(a.Unsent, accountDefaults, a.Extra, a.accountOmitted):
		return "account", "unsent members " + strings.Join(a.Unsent, ","), false
	}
	for _, p := range a.Permissions {
		if p == "" || !validText(string(p), MaxIDLen) {
			return "permissions", string(p), false
		}
	}
	for i := range a.AccountNumbers {
		n := &a.AccountNumbers[i]
		switch {
		case !n.Status.Valid():
			return "account_numbers.status", string(n.Status), false
		case !validText(string(n.IdentifierType), MaxIDLen):
			return "account_numbers.identifier_type", string(n.IdentifierType), false
		case !n.ExpectedExpiry.inRange():
			return "account_numbers.expected_expiry_date", n.ExpectedExpiry.String(), false
		case len(n.SupportedNetworks) > MaxListLen:
			return "account_numbers.supported_networks", "too many", false
		case len(n.Extra) > MaxListLen:
			return "account_numbers", "too many members", false
		case !validUnsent(n.Unsent, numberDefaults, n.Extra, n.omitted):
			return "account_numbers", "unsent members " + strings.Join(n.Unsent, ","), false
		}
		for _, nw := range n.SupportedNetworks {
			if nw == "" || !validText(string(nw), MaxIDLen) {
				return "account_numbers.supported_networks", string(nw), false
			}
		}
	}
	return "", "", true
}

// invalidJSON checks the JSON an Account holds: the expanded holder objects
// and Extra.
func (a Account) invalidJSON() (field, value string, ok bool) {
	if o := a.Holder.CustomerObject; o != nil && objectID(o) != a.Holder.Customer {
		return "account_holder.customer", a.Holder.Customer, false
	}
	if o := a.Holder.AccountObject; o != nil && objectID(o) != a.Holder.Account {
		return "account_holder.account", a.Holder.Account, false
	}
	for _, x := range []struct {
		field   string
		extra   map[string]json.RawMessage
		members []string
		empty   map[string][]string
		omitted func(string) bool
	}{
		{"account", a.Extra, accountMembers, accountEmpty, a.accountOmitted},
		{"status_details", a.StatusDetailsExtra, detailsMembers, detailsEmpty, a.detailsOmitted},
		{"status_details.active", a.Active.Extra, activeMembers, activeEmpty, a.Active.omitted},
		{"status_details.inactive", a.Inactive.Extra, inactiveMembers, inactiveEmpty, a.Inactive.omitted},
		{"account_holder", a.Holder.Extra, holderMembers, a.Holder.emptyForms(), a.Holder.omitted},
	} {
		if f, v, ok := invalidExtra(x.field, x.extra, x.members, x.empty, x.omitted); !ok {
			return f, v, false
		}
	}
	for i := range a.AccountNumbers {
		n := &a.AccountNumbers[i]
		if f, v, ok := invalidExtra("account_numbers", n.Extra, numberMembers, numberEmpty, n.omitted); !ok {
			return f, v, false
		}
	}
	return "", "", true
}

// invalidExtra checks the members kept for the object at field: names of
// valid text that the object's modelled members do not include, values
// that are JSON; or a modelled member in one of its empty forms (empty)
// whose field is zero (omitted), as ParseAccount keeps it.
func invalidExtra(field string, extra map[string]json.RawMessage, members []string, empty map[string][]string, omitted func(string) bool) (string, string, bool) {
	for name, v := range extra {
		if !validText(name, MaxIDLen) {
			return field, name, false
		}
		if slices.Contains(members, name) {
			if !slices.Contains(empty[name], string(v)) || !omitted(name) {
				return field, name, false
			}
			continue
		}
		if !json.Valid(v) {
			return field + "." + name, string(v), false
		}
	}
	return "", "", true
}

func (h *Holder) isZero() bool {
	return h.Type == "" && h.Customer == "" && h.CustomerObject == nil && h.CustomerAccount == "" &&
		h.Account == "" && h.AccountObject == nil && h.Email == "" && len(h.Extra) == 0
}

// Clone returns a deep copy of a, so that the copy can be changed without
// touching a.
func (a Account) Clone() Account {
	a.Permissions = slices.Clone(a.Permissions)
	a.AccountNumbers = slices.Clone(a.AccountNumbers)
	for i := range a.AccountNumbers {
		a.AccountNumbers[i].SupportedNetworks = slices.Clone(a.AccountNumbers[i].SupportedNetworks)
		a.AccountNumbers[i].Extra = cloneExtra(a.AccountNumbers[i].Extra)
		a.AccountNumbers[i].Unsent = slices.Clone(a.AccountNumbers[i].Unsent)
	}
	a.Holder.CustomerObject = bytes.Clone(a.Holder.CustomerObject)
	a.Holder.AccountObject = bytes.Clone(a.Holder.AccountObject)
	a.Holder.Extra = cloneExtra(a.Holder.Extra)
	a.Active.Extra = cloneExtra(a.Active.Extra)
	a.Inactive.Extra = cloneExtra(a.Inactive.Extra)
	a.StatusDetailsExtra = cloneExtra(a.StatusDetailsExtra)
	a.Extra = cloneExtra(a.Extra)
	a.Unsent = slices.Clone(a.Unsent)
	return a
}

func cloneExtra(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	x := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		x[k] = bytes.Clone(v)
	}
	return x
}

// HasPermissions reports whether the account's permissions are exactly ps,
// in any order and ignoring repeats. It does not allocate.
func (a Account) HasPermissions(ps []Permission) bool {
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
func (a Account) TANGround(now time.Time) (holds bool, from time.Time) {
	return a.tanGround(now)
}

// tanGround is TANGround without copying the account.
func (a *Account) tanGround(now time.Time) (holds bool, from time.Time) {
	var hasTAN, transactable, known bool
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
		if e := n.ExpectedExpiry; e.Valid && (!known || e.Time.Before(earliest)) {
			earliest, known = e.Time, true
		}
	}
	if hasTAN && !transactable {
		return true, time.Time{}
	}
	if !known {
		return false, time.Time{}
	}
	from = earliest.Add(-ExpiryHorizon)
	if from.IsZero() {
		// The ground holds from the zero instant itself (an expiry 30
		// days into year 1); the zero from means "whatever the time".
		return true, time.Time{}
	}
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

// Error implements error. A long value is shortened.
func (e *InvalidError) Error() string {
	v := e.Value
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	return fmt.Sprintf("relink: invalid %s %q", e.Field, v)
}

// Unwrap returns ErrInvalid.
func (e *InvalidError) Unwrap() error { return ErrInvalid }
