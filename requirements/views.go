package requirements

import (
	"slices"
	"strings"
)

// Complete reports whether onboarding is complete (Q9): nothing in the
// current hash is due — no entry currently due, eventually due or past due,
// requirement or information request. Returning to an account link's
// return URL says nothing about completeness; only this does.
//
// Entries pending verification do not make onboarding incomplete: the
// account has provided everything asked of it and is waiting on Stripe (if
// the review fails, VerificationFailed makes the field due again and the
// set incomplete). Future requirements do not either: they are not due yet.
// The zero Set is complete.
func (s Set) Complete() bool {
	for _, e := range s.entries {
		if !e.Future && e.Status.Due() {
			return false
		}
	}
	return true
}

// HasOutstandingTasks reports whether someone other than Stripe has
// something to do: any entry, current or future, requirement or
// information request, that is due. It is the condition for showing the
// notification banner (L12). Entries pending verification are Stripe's
// task, not an outstanding one.
func (s Set) HasOutstandingTasks() bool {
	for _, e := range s.entries {
		if e.Status.Due() {
			return true
		}
	}
	return false
}

// DisabledCapability is a capability disabled by past-due requirements (Q2),
// with Stripe's reason and the fields that disable it. A plain value.
type DisabledCapability struct {
	// Capability is the disabled capability.
	Capability Capability
	// Reason is always ReasonRequirementsPastDue.
	Reason DisabledReason
	// Fields lists the past-due fields affecting it, sorted.
	Fields []string
}

// DisabledCapabilities returns the capabilities disabled as of the last
// Advance (Q2): exactly those that a past-due entry affects, sorted by
// name. Call Advance first so deadlines that have arrived count. It
// returns nil when nothing is disabled.
func (s Set) DisabledCapabilities() []DisabledCapability {
	var out []DisabledCapability
	for _, e := range s.entries {
		if e.Status != PastDue {
			continue
		}
		for _, c := range e.Capabilities {
			i, ok := slices.BinarySearchFunc(out, c, func(d DisabledCapability, c Capability) int {
				return strings.Compare(string(d.Capability), string(c))
			})
			if !ok {
				out = slices.Insert(out, i, DisabledCapability{Capability: c, Reason: ReasonRequirementsPastDue})
			}
			if !slices.Contains(out[i].Fields, e.Field) {
				out[i].Fields = append(out[i].Fields, e.Field)
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].Fields)
	}
	return out
}

// DisabledReason returns the account's `disabled_reason` as of the last
// Advance: a reason Stripe gave that does not derive from requirements
// (for example "rejected.fraud", "under_review" or one Stripe added later,
// kept verbatim) comes first; then "requirements.past_due" if any entry is
// past due; then "requirements.pending_verification" if Stripe gave it and
// entries are still pending verification; otherwise "" (not disabled).
func (s Set) DisabledReason() DisabledReason {
	r := s.hashReason(false)
	if r == "" && s.count(true, PastDue) > 0 {
		return ReasonRequirementsPastDue
	}
	return r
}

// hashReason is the disabled_reason of one hash.
func (s Set) hashReason(future bool) DisabledReason {
	h := s.hashState(future)
	if h.reason != "" && h.reason != ReasonRequirementsPendingVerification {
		return h.reason
	}
	if s.count(future, PastDue) > 0 {
		return ReasonRequirementsPastDue
	}
	return h.reason
}

// hashState returns a copy of one hash's state.
func (s Set) hashState(future bool) hash {
	if future {
		return s.future
	}
	return s.main
}

// CollectionFields is the collection scope of an account link
// (`collection_options.fields`, Q5, L4). The zero value means
// CollectCurrentlyDue, Stripe's default.
type CollectionFields string

// The collection scopes.
const (
	// CollectCurrentlyDue is incremental onboarding: the currently due
	// fields, past due ones included.
	CollectCurrentlyDue CollectionFields = "currently_due"
	// CollectEventuallyDue is up-front onboarding: the eventually due
	// fields, a superset of the currently due ones.
	CollectEventuallyDue CollectionFields = "eventually_due"
)

// FutureRequirements says whether an account link also collects future
// requirements (`collection_options.future_requirements`, Q5, L4). The zero
// value means FutureOmit, Stripe's default.
type FutureRequirements string

// The future-requirements options.
const (
	// FutureOmit leaves future requirements out.
	FutureOmit FutureRequirements = "omit"
	// FutureInclude collects future requirements in the same scope too.
	FutureInclude FutureRequirements = "include"
)

// Collection is an account link's collection options (Q5). The zero value
// means the defaults: currently due, future requirements omitted. It is a
// plain value, safe to copy and share.
type Collection struct {
	// Fields is the scope; "" means CollectCurrentlyDue.
	Fields CollectionFields
	// FutureRequirements is include or omit; "" means FutureOmit.
	FutureRequirements FutureRequirements
}

// Validate reports an *InvalidError (ErrInvalid) for an unknown Fields or
// FutureRequirements value. The empty strings are valid (the defaults).
func (c Collection) Validate() error {
	switch c.Fields {
	case "", CollectCurrentlyDue, CollectEventuallyDue:
	default:
		return invalid("collection.fields", string(c.Fields), "want currently_due or eventually_due")
	}
	switch c.FutureRequirements {
	case "", FutureOmit, FutureInclude:
	default:
		return invalid("collection.future_requirements", string(c.FutureRequirements), "want include or omit")
	}
	return nil
}

// FieldsToCollect returns the fields an account link with collection c
// gathers (Q5), sorted and without duplicates: with CollectCurrentlyDue the
// currently due and past due requirements; with CollectEventuallyDue also
// the eventually due ones; with FutureInclude the future requirements of
// the same statuses as well. Entries pending verification and information
// requests are not collected by onboarding. It returns nil when there is
// nothing to collect, and nil for an invalid c (check c.Validate first).
func (s Set) FieldsToCollect(c Collection) []string {
	if c.Validate() != nil {
		return nil
	}
	var out []string
	for _, e := range s.entries {
		if e.Kind != Requirement || (e.Future && c.FutureRequirements != FutureInclude) {
			continue
		}
		switch e.Status {
		case CurrentlyDue, PastDue:
		case EventuallyDue:
			if c.Fields != CollectEventuallyDue {
				continue
			}
		default:
			continue
		}
		out = append(out, e.Field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
