package requirements

import (
	"slices"
	"strings"
	"time"
)

// Complete reports whether onboarding is complete (Q9), by Stripe's lists:
// no current (not future) hash — the account's or a capability's — lists a
// field or information request as currently due, eventually due or past
// due. Returning to an account link's return URL says nothing about
// completeness; only this does.
//
// A field only pending verification does not make onboarding incomplete:
// the account has provided everything asked of it and is waiting on Stripe.
// Future requirements do not either: they are not due yet. The zero Set is
// complete.
func (s Set) Complete() bool {
	for i := range s.sources {
		h := &s.sources[i]
		if h.key.Future {
			continue
		}
		for _, e := range h.entries {
			if e.lists.Due() {
				return false
			}
		}
	}
	return true
}

// HasOutstandingTasks reports whether someone other than Stripe has
// something to do: any entry, in any hash, current or future, requirement
// or information request, that is in a due list. It is the condition for
// showing the notification banner (L12). A field only pending verification
// is Stripe's task, not an outstanding one.
func (s Set) HasOutstandingTasks() bool {
	for i := range s.sources {
		for _, e := range s.sources[i].entries {
			if e.lists.Due() {
				return true
			}
		}
	}
	return false
}

// DisabledReason returns Stripe's word: the `disabled_reason` of the
// account's v1 `requirements` hash, verbatim ("requirements.past_due" even
// when past_due is empty, "under_review", a value Stripe adds later), or ""
// for null. It is never derived from the lists; DisabledAt adds the
// prediction.
func (s Set) DisabledReason() DisabledReason {
	if h := s.source(Source{}); h != nil {
		return h.reason
	}
	return ""
}

// Standing is whether the account, or one capability, is disabled at an
// instant, with Stripe's word and connectkit's prediction side by side. A
// plain value.
//
// The rule (Q2, DESIGN principle 8): it is disabled when Stripe says so —
// a disabled_reason, a capability status inactive or disabled, or a field
// in a past_due list — or when a deadline has passed since the snapshot: a
// field Stripe lists as currently due whose own due date is ≤ now. A
// snapshot that says "not disabled" stays Stripe's word; the prediction is
// reported apart in Overdue.
type Standing struct {
	// Capability is the capability; "" for the account.
	Capability Capability
	// Status is Stripe's capability status (from the capability object,
	// else from the account's capabilities map); "" when not given.
	Status CapabilityStatus
	// StripeReason is Stripe's disabled_reason, verbatim; "" for null.
	StripeReason DisabledReason
	// PastDue lists the fields Stripe lists as past due (for a capability:
	// in its hashes, or in the account's with the capability in their
	// Impact), sorted.
	PastDue []string
	// Overdue lists the fields that are past due only by prediction:
	// currently due, not listed past due, due date ≤ now. Sorted.
	Overdue []string
	// DueDate is the earliest due date among PastDue and Overdue fields.
	DueDate time.Time
}

// StripeSays reports whether the snapshot itself says disabled: a reason,
// a status inactive or disabled, or a past due field.
func (st Standing) StripeSays() bool {
	return st.StripeReason != "" || st.Status == CapabilityInactive || st.Status == CapabilityDisabled || len(st.PastDue) > 0
}

// Disabled reports whether Stripe says so or a deadline has since passed.
func (st Standing) Disabled() bool { return st.StripeSays() || len(st.Overdue) > 0 }

// Predicted reports whether it is disabled only by connectkit's
// prediction: the snapshot says nothing, a deadline has since passed.
func (st Standing) Predicted() bool { return !st.StripeSays() && len(st.Overdue) > 0 }

// Reason returns StripeReason if Stripe gave one; otherwise, if a field is
// past due or overdue, "requirements.past_due" for the account and
// "requirements.fields_needed" for a capability (Stripe's values for it);
// otherwise "".
func (st Standing) Reason() DisabledReason {
	switch {
	case st.StripeReason != "":
		return st.StripeReason
	case len(st.PastDue) == 0 && len(st.Overdue) == 0:
		return ""
	case st.Capability == "":
		return ReasonRequirementsPastDue
	}
	return ReasonRequirementsFieldsNeeded
}

// Fields returns PastDue and Overdue together, sorted.
func (st Standing) Fields() []string {
	out := append(slices.Clone(st.PastDue), st.Overdue...)
	slices.Sort(out)
	return slices.Compact(out)
}

func (st *Standing) add(field string, pastDue bool, due time.Time) {
	if pastDue {
		st.PastDue = append(st.PastDue, field)
	} else {
		st.Overdue = append(st.Overdue, field)
	}
	if !due.IsZero() && (st.DueDate.IsZero() || due.Before(st.DueDate)) {
		st.DueDate = due
	}
}

func (st *Standing) tidy() {
	slices.Sort(st.PastDue)
	st.PastDue = slices.Compact(st.PastDue)
	slices.Sort(st.Overdue)
	st.Overdue = slices.Compact(st.Overdue)
	// a field Stripe lists past due in one hash is not "overdue by
	// prediction" in another
	st.Overdue = slices.DeleteFunc(st.Overdue, func(f string) bool {
		_, ok := slices.BinarySearch(st.PastDue, f)
		return ok
	})
	if len(st.PastDue) == 0 {
		st.PastDue = nil
	}
	if len(st.Overdue) == 0 {
		st.Overdue = nil
	}
}

// dueDate is the entry's own due date; a v2 capability hash has none of
// its own and takes the account's v2 hash's.
func (s Set) dueDate(h *source, e *entry) time.Time {
	d := h.deadlineOf(e)
	if d.IsZero() && h.key.V2 && h.key.Capability != "" && (e.lists.Has(CurrentlyDue) || e.lists.Has(PastDue)) {
		if a := s.source(Source{V2: true, Future: h.key.Future}); a != nil {
			d = a.deadline
		}
	}
	return d
}

// pressing reports whether e counts against its hash at now: listed past
// due (current hashes only), or overdue by prediction (any hash: a future
// hash's currently due field whose deadline has arrived is due now).
func (s Set) pressing(h *source, e *entry, now time.Time) (pastDue, overdue bool, due time.Time) {
	due = s.dueDate(h, e)
	pastDue = e.lists.Has(PastDue) && !h.key.Future
	overdue = !e.lists.Has(PastDue) && e.lists.Has(CurrentlyDue) && arrived(due, now)
	return pastDue, overdue, due
}

// DisabledAt returns the account's Standing at now: Stripe's
// disabled_reason for the account, the fields its own hashes (v1 and v2)
// list as past due, and the fields overdue by prediction. It is linear in
// the set and does not change it.
func (s Set) DisabledAt(now time.Time) Standing {
	st := Standing{StripeReason: s.DisabledReason()}
	for i := range s.sources {
		h := &s.sources[i]
		if h.key.Capability != "" {
			continue
		}
		for j := range h.entries {
			e := &h.entries[j]
			if p, o, due := s.pressing(h, e, now); p || o {
				st.add(e.field, p, due)
			}
		}
	}
	st.tidy()
	return st
}

// CapabilitiesAt returns the Standing at now of every capability the set
// knows of (a capability hash, the account's capabilities map, an Impact),
// sorted by name. A capability is disabled when Stripe says so (its
// disabled_reason or status, a past due field of its hashes or of the
// account's with the capability in its Impact) or when such a field's
// deadline has since passed. It returns nil when the set knows of no
// capability.
func (s Set) CapabilitiesAt(now time.Time) []Standing {
	m := map[Capability]*Standing{}
	get := func(c Capability) *Standing {
		st := m[c]
		if st == nil {
			st = &Standing{Capability: c}
			m[c] = st
		}
		return st
	}
	for _, c := range s.accountCaps {
		get(c.capability).Status = c.status
	}
	for i := range s.sources {
		h := &s.sources[i]
		if c := h.key.Capability; c != "" {
			st := get(c)
			if !h.key.V2 && !h.key.Future {
				if h.status != "" {
					st.Status = h.status
				}
				st.StripeReason = h.reason
			}
		}
		for j := range h.entries {
			e := &h.entries[j]
			p, o, due := s.pressing(h, e, now)
			if h.key.Capability != "" {
				if p || o {
					get(h.key.Capability).add(e.field, p, due)
				}
				continue
			}
			for _, c := range e.caps {
				st := get(c)
				if p || o {
					st.add(e.field, p, due)
				}
			}
		}
	}
	if len(m) == 0 {
		return nil
	}
	out := make([]Standing, 0, len(m))
	for _, st := range m {
		st.tidy()
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b Standing) int { return strings.Compare(string(a.Capability), string(b.Capability)) })
	return out
}

// DisabledCapabilitiesAt returns the capabilities of CapabilitiesAt(now)
// that are disabled, or nil.
func (s Set) DisabledCapabilitiesAt(now time.Time) []Standing {
	all := s.CapabilitiesAt(now)
	out := slices.DeleteFunc(all, func(st Standing) bool { return !st.Disabled() })
	if len(out) == 0 {
		return nil
	}
	return out
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
// gathers (Q5), by Stripe's lists in every hash (the account's and its
// capabilities'), sorted and without duplicates: with CollectCurrentlyDue
// the fields listed currently due or past due; with CollectEventuallyDue
// also those listed eventually due; with FutureInclude the future hashes'
// too. A field only pending verification and information requests are not
// collected by onboarding. It returns nil when there is nothing to collect,
// and nil for an invalid c (check c.Validate first).
func (s Set) FieldsToCollect(c Collection) []string {
	if c.Validate() != nil {
		return nil
	}
	want := ListsOf(CurrentlyDue, PastDue)
	if c.Fields == CollectEventuallyDue {
		want = want.With(EventuallyDue)
	}
	var out []string
	for i := range s.sources {
		h := &s.sources[i]
		if h.key.Future && c.FutureRequirements != FutureInclude {
			continue
		}
		for _, e := range h.entries {
			if e.kind == Requirement && e.lists&want != 0 {
				out = append(out, e.field)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
