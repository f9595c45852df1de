package requirements

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Status is where a requirement stands (Q1). Its values are Stripe's list
// names, so they marshal as Stripe spells them. The zero Status is invalid.
type Status string

// The statuses of Q1.
const (
	// CurrentlyDue must be provided by the hash's current deadline, or the
	// requirement becomes PastDue (Q2).
	CurrentlyDue Status = "currently_due"
	// EventuallyDue will be needed later; it has no deadline yet.
	EventuallyDue Status = "eventually_due"
	// PastDue missed its deadline; the capabilities it affects are
	// disabled until it is provided (Q2).
	PastDue Status = "past_due"
	// PendingVerification has been submitted and awaits Stripe's review
	// (Q7).
	PendingVerification Status = "pending_verification"
)

// Valid reports whether s is one of the four statuses.
func (s Status) Valid() bool {
	switch s {
	case CurrentlyDue, EventuallyDue, PastDue, PendingVerification:
		return true
	}
	return false
}

// Due reports whether s asks someone to provide information: currently
// due, eventually due or past due. PendingVerification is not due.
func (s Status) Due() bool {
	return s == CurrentlyDue || s == EventuallyDue || s == PastDue
}

// String returns the wire name.
func (s Status) String() string { return string(s) }

// MarshalText returns the wire name; it fails for an invalid Status.
func (s Status) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, invalid("status", string(s), "not a requirement status")
	}
	return []byte(s), nil
}

// UnmarshalText parses a wire name; unknown statuses are an error.
func (s *Status) UnmarshalText(b []byte) error {
	for _, v := range allStatuses {
		if string(b) == string(v) { // the constant itself: no copy of b
			*s = v
			return nil
		}
	}
	return invalid("status", string(b), "not a requirement status")
}

// Kind says what kind of action an entry is (Q1): a requirement on a field,
// or an information request from Stripe. The zero Kind is Requirement.
type Kind uint8

// The kinds of entry.
const (
	// Requirement is a field Stripe needs (the zero Kind).
	Requirement Kind = iota
	// InformationRequest is a request for information from Stripe (for
	// example a risk review). It ranks first in Actions required (Q3) and
	// is not part of Stripe's v1 requirements hash.
	InformationRequest
)

// String returns "requirement" or "information_request".
func (k Kind) String() string {
	switch k {
	case Requirement:
		return "requirement"
	case InformationRequest:
		return "information_request"
	}
	return "kind(" + itoa(int(k)) + ")"
}

// Valid reports whether k is a known Kind.
func (k Kind) Valid() bool { return k <= InformationRequest }

// MarshalText returns the wire name.
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, invalid("kind", k.String(), "unknown kind")
	}
	return []byte(k.String()), nil
}

// UnmarshalText parses a wire name.
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "requirement":
		*k = Requirement
	case "information_request":
		*k = InformationRequest
	default:
		return invalid("kind", string(b), "unknown kind")
	}
	return nil
}

// Actor is who must act on an entry: the connected account, the platform,
// or Stripe. The zero Actor is invalid (no one).
type Actor uint8

// The actors.
const (
	// ActorAccount is the connected account (Stripe's v2 "user").
	ActorAccount Actor = iota + 1
	// ActorPlatform is the platform, when it is responsible for
	// requirement collection or Stripe asks it for information.
	ActorPlatform
	// ActorStripe is Stripe, reviewing a submission.
	ActorStripe
)

// String returns "account", "platform" or "stripe".
func (a Actor) String() string {
	switch a {
	case ActorAccount:
		return "account"
	case ActorPlatform:
		return "platform"
	case ActorStripe:
		return "stripe"
	}
	return "actor(" + itoa(int(a)) + ")"
}

// MarshalText returns the wire name.
func (a Actor) MarshalText() ([]byte, error) {
	if a < ActorAccount || a > ActorStripe {
		return nil, invalid("actor", a.String(), "unknown actor")
	}
	return []byte(a.String()), nil
}

// UnmarshalText parses a wire name; Stripe's v2 "user" means ActorAccount.
func (a *Actor) UnmarshalText(b []byte) error {
	switch string(b) {
	case "account", "user":
		*a = ActorAccount
	case "platform":
		*a = ActorPlatform
	case "stripe":
		*a = ActorStripe
	default:
		return invalid("actor", string(b), "unknown actor")
	}
	return nil
}

// Capability is a Stripe capability name such as "card_payments". Names
// Stripe adds later are kept verbatim. The zero Capability is invalid.
type Capability string

// Some of Stripe's capability names; any other valid name is accepted.
const (
	CardPayments     Capability = "card_payments"
	Transfers        Capability = "transfers"
	USBankAccountACH Capability = "us_bank_account_ach_payments"
	SEPADebit        Capability = "sepa_debit_payments"
	Treasury         Capability = "treasury"
	CardIssuing      Capability = "card_issuing"
)

// Valid reports whether c is a plausible capability name: non-empty, at
// most MaxNameLen bytes, printable, without spaces.
func (c Capability) Valid() bool { return validName(string(c), MaxNameLen) }

// MarshalText returns the name; it fails for an invalid name.
func (c Capability) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, invalid("capability", string(c), "not a capability name")
	}
	return []byte(c), nil
}

// UnmarshalText accepts any valid name, known or not.
func (c *Capability) UnmarshalText(b []byte) error {
	v := Capability(b)
	if !v.Valid() {
		return invalid("capability", string(b), "not a capability name")
	}
	*c = v
	return nil
}

// DisabledReason is Stripe's `disabled_reason`, of the account's hashes or
// of a capability's. Unknown values are kept verbatim. The zero
// DisabledReason means "not disabled" (JSON null).
type DisabledReason string

// Stripe's published disabled_reason values.
const (
	ReasonActionRequiredRequestedCapabilities DisabledReason = "action_required.requested_capabilities"
	ReasonListed                              DisabledReason = "listed"
	ReasonOther                               DisabledReason = "other"
	ReasonPlatformPaused                      DisabledReason = "platform_paused"
	ReasonRejectedFraud                       DisabledReason = "rejected.fraud"
	ReasonRejectedIncompleteVerification      DisabledReason = "rejected.incomplete_verification"
	ReasonRejectedListed                      DisabledReason = "rejected.listed"
	ReasonRejectedOther                       DisabledReason = "rejected.other"
	ReasonRejectedPlatformFraud               DisabledReason = "rejected.platform_fraud"
	ReasonRejectedPlatformOther               DisabledReason = "rejected.platform_other"
	ReasonRejectedPlatformTermsOfService      DisabledReason = "rejected.platform_terms_of_service"
	ReasonRejectedTermsOfService              DisabledReason = "rejected.terms_of_service"
	ReasonRequirementsPastDue                 DisabledReason = "requirements.past_due"
	ReasonRequirementsPendingVerification     DisabledReason = "requirements.pending_verification"
	ReasonUnderReview                         DisabledReason = "under_review"
)

// Stripe's published capability disabled_reason values (the capability
// hashes' enum, which Stripe marks extensible). ReasonOther and
// ReasonPlatformPaused are shared with the account's enum.
const (
	ReasonPausedInactivity            DisabledReason = "paused.inactivity"
	ReasonPendingOnboarding           DisabledReason = "pending.onboarding"
	ReasonPendingReview               DisabledReason = "pending.review"
	ReasonPlatformDisabled            DisabledReason = "platform_disabled"
	ReasonRejectedInactivity          DisabledReason = "rejected.inactivity"
	ReasonRejectedUnsupportedBusiness DisabledReason = "rejected.unsupported_business"
	ReasonRequirementsFieldsNeeded    DisabledReason = "requirements.fields_needed"
)

// KnownForCapability reports whether r is one of Stripe's published
// capability disabled_reason values.
func (r DisabledReason) KnownForCapability() bool {
	switch r {
	case ReasonOther, ReasonPausedInactivity, ReasonPendingOnboarding, ReasonPendingReview,
		ReasonPlatformDisabled, ReasonPlatformPaused, ReasonRejectedInactivity,
		ReasonRejectedOther, ReasonRejectedUnsupportedBusiness, ReasonRequirementsFieldsNeeded:
		return true
	}
	return false
}

// Known reports whether r is one of Stripe's published account values.
func (r DisabledReason) Known() bool {
	switch r {
	case ReasonActionRequiredRequestedCapabilities, ReasonListed, ReasonOther,
		ReasonPlatformPaused, ReasonRejectedFraud, ReasonRejectedIncompleteVerification,
		ReasonRejectedListed, ReasonRejectedOther, ReasonRejectedPlatformFraud,
		ReasonRejectedPlatformOther, ReasonRejectedPlatformTermsOfService,
		ReasonRejectedTermsOfService, ReasonRequirementsPastDue,
		ReasonRequirementsPendingVerification, ReasonUnderReview:
		return true
	}
	return false
}

// ErrorCode is a requirement error code from Stripe, such as
// "invalid_dob_age_under_18". Stripe adds codes continually; unknown codes
// are kept verbatim. The known codes are in codes.go. The zero ErrorCode
// is invalid.
type ErrorCode string

// Known reports whether c is one of Stripe's published codes (v1 or v2).
func (c ErrorCode) Known() bool { _, ok := codeRemedy[c]; return ok }

// Remedy returns what fixing an error with this code takes, for the
// Actions required list (Q6, Q7): an expired or unreadable document needs
// a new upload, a mismatch needs corrected information, a website problem
// a business-profile update, and so on. An unknown code returns
// RemedyContactSupport: only Stripe can say what it needs.
func (c ErrorCode) Remedy() Remedy {
	if r, ok := codeRemedy[c]; ok {
		return r
	}
	return RemedyContactSupport
}

// Error is a requirement error: Stripe's code and human reason (v1
// `reason`, v2 `description`). The zero Error is invalid (it has no code).
type Error struct {
	// Code is Stripe's machine-readable code, kept verbatim.
	Code ErrorCode
	// Reason is Stripe's sentence explaining the error.
	Reason string
}

// Validate reports ErrInvalid if the code is empty, too long or not
// printable, or the reason is longer than MaxTextLen bytes, not valid
// UTF-8 or holds a NUL.
func (e Error) Validate() error {
	if !validName(string(e.Code), MaxNameLen) {
		return invalid("error code", string(e.Code), "empty, too long or not printable")
	}
	if !validText(e.Reason) {
		return invalid("error reason", clip(e.Reason), "too long, not valid utf-8 or holds NUL")
	}
	return nil
}

// RequestedReason is why Stripe requests a field (v2 `requested_reasons[].code`).
// Unknown codes are kept verbatim.
type RequestedReason string

// Requested reasons.
const (
	// ReasonFutureRequirements marks a requirement that can be collected
	// early because it will be needed after an upcoming change (Q8).
	ReasonFutureRequirements RequestedReason = "future_requirements"
	// ReasonRoutineOnboarding marks an ordinary onboarding requirement
	// (v2).
	ReasonRoutineOnboarding RequestedReason = "routine_onboarding"
	// ReasonRoutineVerification marks an ordinary verification (v2).
	ReasonRoutineVerification RequestedReason = "routine_verification"
)

// ValidField reports whether name is a plausible Stripe requirement field
// name ("individual.dob.day", "person_1Nx.verification.document"): non-empty,
// at most MaxNameLen bytes of valid UTF-8, no spaces or control characters
// (so no NUL). Names Stripe adds later are accepted: there is no closed
// catalogue of fields.
func ValidField(name string) bool { return validName(name, MaxNameLen) }

// validText reports whether s can be stored as text anywhere (PostgreSQL
// refuses NUL and invalid UTF-8 in text and jsonb): valid UTF-8, no NUL, at
// most MaxTextLen bytes.
func validText(s string) bool {
	return len(s) <= MaxTextLen && utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:64], "") + "…"
	}
	return s
}

func validName(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	// Printable ASCII other than space, the usual case, byte by byte.
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return true
	}
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	neg := i < 0
	if neg {
		i = -i
	}
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	if neg {
		n--
		b[n] = '-'
	}
	return string(b[n:])
}

// ErrorCodes returns every known ErrorCode (codes.go), sorted: the v1 codes
// and the v2-only ones Stripe publishes.
func ErrorCodes() []ErrorCode {
	out := make([]ErrorCode, 0, len(codeRemedy))
	for c := range codeRemedy {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}
