package requirements

import (
	"strings"
	"time"
)

// maxUnix is the last second of year 9999, the latest deadline accepted.
const maxUnix = 253402300799

// Entry is one requirement (or information request) of one hash: the field
// it asks for, every list of the hash it is in, its own due date, and what
// it affects. Set methods return Entries as copies; Add takes one.
//
// The zero Entry is invalid (it names no field). An Entry is a plain value:
// safe for concurrent reads; Set methods never retain the caller's slices.
type Entry struct {
	// Field is Stripe's dotted field name, e.g. "individual.dob.day",
	// "external_account", "company.tax_id" (v2: the entry's
	// `description`). For an information request it names the request.
	Field string
	// Kind says whether this is a requirement or an information request
	// from Stripe (Q1).
	Kind Kind
	// Source is the hash the entry is in. Add uses Source.Future or
	// Future, whichever is set.
	Source Source
	// Lists are every list of the hash the field is in, as Stripe sent
	// them (Q1). Given to Add, zero Lists means StripeLists(Status).
	Lists Lists
	// Status sums Lists up (Lists.Primary) in what Set methods return.
	// Given to Add, it is used only when Lists is zero, and must otherwise
	// be "" or Lists.Primary().
	Status Status
	// Future marks an entry of a `future_requirements` hash: it will be
	// needed after an upcoming change and can be collected early (Q1,
	// Q8). It equals Source.Future.
	Future bool
	// Deadline is the entry's own due date (Q4): the current deadline of
	// its hash (v2: the summary's minimum deadline) while it is currently
	// due or past due, or the one given to Add. The zero Time means none.
	// Only currently due and past due entries have one.
	Deadline time.Time
	// Capabilities lists the capabilities the entry affects (Q2): its
	// source's capability, the capabilities given by Impact or to Add, and
	// in a Set's account-level entries the capabilities whose hashes list
	// the same field. Sorted, without duplicates.
	Capabilities []Capability
	// Errors are Stripe's errors for the field in this hash (v1 `errors`
	// items whose requirement is the field; v2 the entry's `errors`).
	Errors []Error
	// Alternatives lists sets of fields that can satisfy the entry
	// instead: providing every field of any one set is enough (the
	// `alternative_fields_due` of each `alternatives` item whose
	// `original_fields_due` holds the field). The entries of one
	// Set.Entries result share each item's slice (capacity capped): treat
	// them as read-only, or copy before changing one.
	Alternatives [][]string
	// RequestedReasons says why Stripe requests the field (Q8): the v2
	// `requested_reasons` codes, and ReasonFutureRequirements for a future
	// entry. Sorted, without duplicates.
	RequestedReasons []RequestedReason
	// AwaitingActionFrom is who Stripe says must act (v2
	// `awaiting_action_from`: "user" is ActorAccount, "stripe" is
	// ActorStripe, the v2 form of "under review"); zero when Stripe did not
	// say (v1).
	AwaitingActionFrom Actor
}

// StatusAt returns where the entry stands at now, connectkit's prediction
// from Stripe's lists (Q2): past due if Stripe lists it past due, or if it
// is currently due and its deadline has arrived (deadline ≤ now); otherwise
// Lists.Primary(). It is a view: the lists stay what Stripe said.
func (e Entry) StatusAt(now time.Time) Status {
	if e.Lists.Has(CurrentlyDue) && !e.Lists.Has(PastDue) && arrived(e.Deadline, now) {
		return PastDue
	}
	return e.Lists.Primary()
}

// Overdue reports whether the entry is past due at now only by connectkit's
// prediction: currently due, not listed past due, deadline arrived.
func (e Entry) Overdue(now time.Time) bool {
	return e.Lists.Has(CurrentlyDue) && !e.Lists.Has(PastDue) && arrived(e.Deadline, now)
}

func arrived(deadline, now time.Time) bool { return !deadline.IsZero() && !now.Before(deadline) }

func validDeadline(t time.Time) error {
	if t.Nanosecond() != 0 {
		return invalid("deadline", t.String(), "not a whole second")
	}
	if u := t.Unix(); u <= 0 || u > maxUnix {
		return invalid("deadline", t.String(), "outside 1970-01-01 to 9999-12-31")
	}
	return nil
}

// compareEntryKey orders entries of one hash: by field, then kind, then
// v2 reference.
func compareEntryKey(aField string, aKind Kind, aRef string, bField string, bKind Kind, bRef string) int {
	if c := strings.Compare(aField, bField); c != 0 {
		return c
	}
	if aKind != bKind {
		return int(aKind) - int(bKind)
	}
	return strings.Compare(aRef, bRef)
}
