package requirements

import (
	"slices"
	"strings"
	"time"
)

// maxUnix is the last second of year 9999, the latest deadline accepted.
const maxUnix = 253402300799

// Entry is one requirement (or information request) of one account: the
// field it asks for, where it stands, and what it affects. Entries are
// values; the Set owns its copies, and Set methods return copies.
//
// The zero Entry is invalid (it names no field). An Entry is a plain value:
// safe for concurrent reads; Set methods never retain the caller's slices.
type Entry struct {
	// Field is Stripe's dotted field name, e.g. "individual.dob.day",
	// "external_account", "company.tax_id". For an information request it
	// names the request.
	Field string
	// Kind says whether this is a requirement or an information request
	// from Stripe (Q1).
	Kind Kind
	// Status is where the entry stands (Q1).
	Status Status
	// Future marks an entry of Stripe's `future_requirements` hash: it will
	// be needed after an upcoming change and can be collected early (Q1,
	// Q8). Future is equivalent to RequestedReasons holding
	// ReasonFutureRequirements; Add sets whichever is missing.
	Future bool
	// Deadline is the current deadline of the entry's hash. It applies only
	// to currently due and past due entries; the zero Time means none.
	// Stripe's v1 shape has one deadline per hash, so all currently due and
	// past due entries of a hash share it: Add rejects a different one.
	// Deadlines are whole seconds (Unix timestamps).
	Deadline time.Time
	// Capabilities lists the capabilities the entry affects; they are
	// disabled while it is past due (Q2). Kept sorted, without duplicates.
	Capabilities []Capability
	// Errors are Stripe's errors for the entry, e.g. after a failed
	// verification (Q7).
	Errors []Error
	// Alternatives lists sets of fields that can satisfy the entry instead:
	// providing every field of any one inner set is enough. Each inner set
	// is kept sorted; the outer list is kept sorted.
	Alternatives [][]string
	// RequestedReasons says why Stripe requests the field (Q8). Kept sorted,
	// without duplicates.
	RequestedReasons []RequestedReason
}

// clone returns a deep copy of e.
func (e Entry) clone() Entry {
	e.Capabilities = slices.Clone(e.Capabilities)
	e.Errors = slices.Clone(e.Errors)
	if e.Alternatives != nil {
		alts := make([][]string, len(e.Alternatives))
		for i, a := range e.Alternatives {
			alts[i] = slices.Clone(a)
		}
		e.Alternatives = alts
	}
	e.RequestedReasons = slices.Clone(e.RequestedReasons)
	return e
}

// normalized validates e and returns the canonical copy stored by a Set
// (sorted lists, Future and ReasonFutureRequirements in agreement, deadline
// in UTC). It does not check deadlines against the hash.
func (e Entry) normalized() (Entry, error) {
	if !ValidField(e.Field) {
		return Entry{}, invalid("field", e.Field, "empty, too long or not printable")
	}
	if !e.Kind.Valid() {
		return Entry{}, invalid("kind", e.Kind.String(), "unknown kind")
	}
	if !e.Status.Valid() {
		return Entry{}, invalid("status", string(e.Status), "not a requirement status")
	}
	if !e.Deadline.IsZero() {
		if e.Status != CurrentlyDue && e.Status != PastDue {
			return Entry{}, invalid("deadline", e.Deadline.String(), "only currently due and past due entries have a deadline")
		}
		if err := validDeadline(e.Deadline); err != nil {
			return Entry{}, err
		}
		e.Deadline = e.Deadline.UTC()
	}
	e = e.clone()
	for _, c := range e.Capabilities {
		if !c.Valid() {
			return Entry{}, invalid("capability", string(c), "not a capability name")
		}
	}
	slices.Sort(e.Capabilities)
	e.Capabilities = slices.Compact(e.Capabilities)
	for _, er := range e.Errors {
		if err := er.Validate(); err != nil {
			return Entry{}, err
		}
	}
	for i, a := range e.Alternatives {
		if len(a) == 0 {
			return Entry{}, invalid("alternative", "", "an alternative names no field")
		}
		for _, f := range a {
			if !ValidField(f) {
				return Entry{}, invalid("alternative field", f, "empty, too long or not printable")
			}
		}
		slices.Sort(a)
		e.Alternatives[i] = slices.Compact(a)
	}
	slices.SortFunc(e.Alternatives, slices.Compare)
	e.Alternatives = slices.CompactFunc(e.Alternatives, slices.Equal)
	for _, r := range e.RequestedReasons {
		if !validName(string(r), 128) {
			return Entry{}, invalid("requested reason", string(r), "empty or not printable")
		}
	}
	if slices.Contains(e.RequestedReasons, ReasonFutureRequirements) {
		e.Future = true
	} else if e.Future {
		e.RequestedReasons = append(e.RequestedReasons, ReasonFutureRequirements)
	}
	slices.Sort(e.RequestedReasons)
	e.RequestedReasons = slices.Compact(e.RequestedReasons)
	if len(e.Capabilities) == 0 {
		e.Capabilities = nil
	}
	if len(e.Errors) == 0 {
		e.Errors = nil
	}
	if len(e.Alternatives) == 0 {
		e.Alternatives = nil
	}
	if len(e.RequestedReasons) == 0 {
		e.RequestedReasons = nil
	}
	return e, nil
}

func validDeadline(t time.Time) error {
	if t.Nanosecond() != 0 {
		return invalid("deadline", t.String(), "not a whole second")
	}
	if u := t.Unix(); u <= 0 || u > maxUnix {
		return invalid("deadline", t.String(), "outside 1970-01-01 to 9999-12-31")
	}
	return nil
}

// compareKey orders entries by (Future, Field): current entries first.
func compareKey(aFuture bool, aField string, bFuture bool, bField string) int {
	if aFuture != bFuture {
		if !aFuture {
			return -1
		}
		return 1
	}
	return strings.Compare(aField, bField)
}

func compareEntries(a, b Entry) int { return compareKey(a.Future, a.Field, b.Future, b.Field) }
