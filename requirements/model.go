package requirements

import (
	"iter"
	"math/bits"
	"strings"
)

// Limits on what a Set holds and what the decoders read. Input beyond them
// is refused with an error matching ErrInvalid (and ErrMalformed from a
// decoder) before any work proportional to it is done; every decoder is
// linear in its input below them.
const (
	// MaxInputBytes bounds one payload given to DecodeV1, DecodeV2 or
	// Set.UnmarshalJSON.
	MaxInputBytes = 32 << 20
	// MaxEntries bounds the entries of a Set, over all its sources (one
	// entry per field per hash).
	MaxEntries = 100_000
	// MaxSources bounds the hashes a Set holds (the account's two, and two
	// per capability).
	MaxSources = 4096
	// MaxItems bounds the errors and alternatives items of one hash, and
	// the fields of one alternatives item.
	MaxItems = 100_000
	// MaxNameLen bounds field names, capability names, error codes,
	// reasons' codes, statuses and unknown members' names, in bytes.
	MaxNameLen = 256
	// MaxTextLen bounds an error's reason (v1 `reason`, v2 `description`)
	// in bytes.
	MaxTextLen = 8192
	// MaxMembers bounds the unknown members kept for one JSON object.
	MaxMembers = 256
	// MaxMemberBytes bounds one unknown member's value, in bytes.
	MaxMemberBytes = 64 << 10
)

// Lists is the set of Stripe's lists a field is in, within one hash:
// currently_due, eventually_due, past_due, pending_verification. Stripe's
// lists overlap (a past due field is also currently and eventually due; a
// field can be due and pending verification at once), so a field has a set
// of lists, never one status. The zero Lists is no list.
type Lists uint8

// listBit is the bit of a status in Lists.
func listBit(st Status) Lists {
	switch st {
	case CurrentlyDue:
		return bitCurrentlyDue
	case EventuallyDue:
		return bitEventuallyDue
	case PastDue:
		return bitPastDue
	case PendingVerification:
		return bitPendingVerification
	}
	return 0
}

// The bit of each list in Lists.
const (
	bitCurrentlyDue Lists = 1 << iota
	bitEventuallyDue
	bitPastDue
	bitPendingVerification
)

// allStatuses is the order Lists are written in.
var allStatuses = [4]Status{CurrentlyDue, EventuallyDue, PastDue, PendingVerification}

// ListsOf returns the set holding sts; invalid statuses are ignored.
func ListsOf(sts ...Status) Lists {
	var l Lists
	for _, st := range sts {
		l |= listBit(st)
	}
	return l
}

// StripeLists returns the lists Stripe writes a field of status st in: a
// past due field is also currently and eventually due, a currently due one
// also eventually due.
func StripeLists(st Status) Lists {
	switch st {
	case PastDue:
		return ListsOf(PastDue, CurrentlyDue, EventuallyDue)
	case CurrentlyDue:
		return ListsOf(CurrentlyDue, EventuallyDue)
	}
	return listBit(st)
}

// Has reports whether l holds st.
func (l Lists) Has(st Status) bool { b := listBit(st); return b != 0 && l&b != 0 }

// With returns l with st added.
func (l Lists) With(st Status) Lists { return l | listBit(st) }

// Without returns l with st removed.
func (l Lists) Without(st Status) Lists { return l &^ listBit(st) }

// Due reports whether l holds a due list (currently, eventually or past due).
func (l Lists) Due() bool { return l&7 != 0 }

// Len returns the number of lists in l.
func (l Lists) Len() int { return bits.OnesCount8(uint8(l & 15)) }

// All yields the statuses of l in the order currently_due, eventually_due,
// past_due, pending_verification.
func (l Lists) All() iter.Seq[Status] {
	return func(yield func(Status) bool) {
		for _, st := range allStatuses {
			if l.Has(st) && !yield(st) {
				return
			}
		}
	}
}

// Primary returns the one status that sums l up, the most pressing: past
// due, then currently due, then pending verification, then eventually due
// (a field under review and also due later is waiting on Stripe). It
// returns "" for no list. Primary is a summary for display; the lists are
// what Stripe said.
func (l Lists) Primary() Status {
	switch {
	case l.Has(PastDue):
		return PastDue
	case l.Has(CurrentlyDue):
		return CurrentlyDue
	case l.Has(PendingVerification):
		return PendingVerification
	case l.Has(EventuallyDue):
		return EventuallyDue
	}
	return ""
}

// String lists the wire names, comma-separated.
func (l Lists) String() string {
	var b strings.Builder
	for st := range l.All() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(st))
	}
	return b.String()
}

// Source names the hash a requirement came from: the account's own
// `requirements` (the zero Source) or `future_requirements`, or a
// capability's; from Stripe's v1 objects or an Accounts v2 account. Every
// hash keeps its own deadline and disabled reason, so entries from several
// hashes never conflict. A plain comparable value.
type Source struct {
	// V2 marks a hash of an Accounts v2 account. In v2 a capability's
	// hash is the account's entries that list the capability in
	// `impact.restricts_capabilities`.
	V2 bool
	// Capability is the capability whose hash this is; "" for the
	// account's own.
	Capability Capability
	// Configuration is the v2 configuration of the capability
	// ("merchant", "recipient", …); "" in v1.
	Configuration string
	// Future marks a `future_requirements` hash.
	Future bool
}

// String describes s, e.g. "requirements", "capability card_payments
// future_requirements", "v2 merchant/card_payments requirements".
func (s Source) String() string {
	var b strings.Builder
	if s.V2 {
		b.WriteString("v2 ")
	}
	if s.Capability != "" {
		b.WriteString("capability ")
		if s.Configuration != "" {
			b.WriteString(s.Configuration + "/")
		}
		b.WriteString(string(s.Capability) + " ")
	}
	if s.Future {
		b.WriteString("future_requirements")
	} else {
		b.WriteString("requirements")
	}
	return b.String()
}

func (s Source) validate() error {
	if s.Capability != "" && !s.Capability.Valid() {
		return invalid("source capability", string(s.Capability), "not a capability name")
	}
	if s.Configuration != "" && (!s.V2 || s.Capability == "" || !validName(s.Configuration, MaxNameLen)) {
		return invalid("source configuration", s.Configuration, "only a v2 capability has a configuration, a printable name")
	}
	return nil
}

func compareSources(a, b Source) int {
	if a.V2 != b.V2 {
		if !a.V2 {
			return -1
		}
		return 1
	}
	if c := strings.Compare(string(a.Capability), string(b.Capability)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Configuration, b.Configuration); c != 0 {
		return c
	}
	if a.Future != b.Future {
		if !a.Future {
			return -1
		}
		return 1
	}
	return 0
}

// CapabilityStatus is Stripe's status of a capability: v1 `capability.status`
// (`active`, `inactive`, `pending`, `unrequested`, `disabled`) or the value
// in an account's `capabilities` map. Unknown values are kept verbatim. The
// zero CapabilityStatus means Stripe said nothing.
type CapabilityStatus string

// The capability statuses of Stripe's current enum (capability.status;
// an account's capabilities map uses the first three).
const (
	CapabilityActive      CapabilityStatus = "active"
	CapabilityInactive    CapabilityStatus = "inactive"
	CapabilityPending     CapabilityStatus = "pending"
	CapabilityUnrequested CapabilityStatus = "unrequested"
	// CapabilityDisabled is the value older API versions sent; it is not in
	// the 2026-07-29 enum, and is read as disabled when it comes.
	CapabilityDisabled CapabilityStatus = "disabled"
)

// Remedy is what fixing a requirement error takes (derived from its
// ErrorCode, see ErrorCode.Remedy). The zero Remedy is none.
type Remedy uint8

// The remedies.
const (
	// RemedyUploadDocument: upload a new document (expired, unreadable,
	// incomplete, wrong type, …).
	RemedyUploadDocument Remedy = iota + 1
	// RemedyCorrectInformation: correct the information so that it
	// matches records or the document (name, date of birth, address, tax
	// ID, …).
	RemedyCorrectInformation
	// RemedyUpdateBusinessProfile: fix the website, product description,
	// business name or statement descriptor.
	RemedyUpdateBusinessProfile
	// RemedyUpdatePersons: add, remove or correct directors, owners,
	// executives or the representative.
	RemedyUpdatePersons
	// RemedyAcceptTerms: accept the terms of service again.
	RemedyAcceptTerms
	// RemedyProvideInformation: provide the missing information.
	RemedyProvideInformation
	// RemedyContactSupport: only Stripe Support can resolve it (fraud,
	// unsupported business, an unknown code).
	RemedyContactSupport
)

// Code returns a stable snake_case code.
func (r Remedy) Code() string {
	switch r {
	case RemedyUploadDocument:
		return "upload_document"
	case RemedyCorrectInformation:
		return "correct_information"
	case RemedyUpdateBusinessProfile:
		return "update_business_profile"
	case RemedyUpdatePersons:
		return "update_persons"
	case RemedyAcceptTerms:
		return "accept_terms"
	case RemedyProvideInformation:
		return "provide_information"
	case RemedyContactSupport:
		return "contact_support"
	}
	return "remedy(" + itoa(int(r)) + ")"
}

// String returns a sentence.
func (r Remedy) String() string {
	switch r {
	case RemedyUploadDocument:
		return "upload a new document"
	case RemedyCorrectInformation:
		return "correct the information"
	case RemedyUpdateBusinessProfile:
		return "update the business profile"
	case RemedyUpdatePersons:
		return "update the account's persons"
	case RemedyAcceptTerms:
		return "accept the terms of service"
	case RemedyProvideInformation:
		return "provide the missing information"
	case RemedyContactSupport:
		return "contact Stripe Support"
	}
	return r.Code()
}

// Remedies is a set of remedies, as a bitset. The zero Remedies is empty.
type Remedies uint8

// With returns s with r added; an invalid r is ignored.
func (s Remedies) With(r Remedy) Remedies {
	if r < RemedyUploadDocument || r > RemedyContactSupport {
		return s
	}
	return s | 1<<(r-1)
}

// Has reports whether s holds r.
func (s Remedies) Has(r Remedy) bool {
	return r >= RemedyUploadDocument && r <= RemedyContactSupport && s&(1<<(r-1)) != 0
}

// Len returns the number of remedies in s.
func (s Remedies) Len() int { return bits.OnesCount8(uint8(s)) }

// All yields the remedies of s in order.
func (s Remedies) All() iter.Seq[Remedy] {
	return func(yield func(Remedy) bool) {
		for r := RemedyUploadDocument; r <= RemedyContactSupport; r++ {
			if s.Has(r) && !yield(r) {
				return
			}
		}
	}
}

// String lists the codes, comma-separated.
func (s Remedies) String() string {
	var b strings.Builder
	for r := range s.All() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r.Code())
	}
	return b.String()
}
