// Package requirementstest holds rapid generators of requirement entries
// and sets, for property tests of policies built on package requirements.
//
// A generated Set is always one the library could reach: it is built by
// driving the package's own API — NewSet and Add for the entries Stripe
// asks for, SetDeadline, Submit, VerificationFailed and
// VerificationSucceeded (Q7) — never by assembling state, so every
// invariant of package requirements holds by construction.
//
// Stripe-shaped payloads come from V1Payload and V2Payload (payloads.go):
// JSON as Stripe sends it, with overlapping lists, fields pending and due
// at once, fields named only in alternatives or only in errors, a deadline
// per capability, unknown members everywhere; NormalizeJSON compares two
// payloads up to what the encoders normalise.
//
// Generators come in pairs: Set returns a *rapid.Generator, and DrawSet draws
// directly on a *rapid.T under a label, so that a failing case prints every
// choice by name. Options bias by construction, never by filtering.
//
// rapid is a test dependency: import this package from _test files only.
package requirementstest

import (
	"fmt"
	"slices"
	"time"

	"github.com/connectkit/connectkit/requirements"
	"pgregory.net/rapid"
)

// DefaultNow is the instant generated sets are advanced to when the
// options give none: 2026-03-01 09:00:00 UTC.
func DefaultNow() time.Time { return defaultNow }

var defaultNow = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// Bias says whether a generated value must, must not, or may have a
// property. The zero Bias is Maybe.
type Bias uint8

// The biases.
const (
	// Maybe leaves the property to chance.
	Maybe Bias = iota
	// Always makes every value have the property.
	Always
	// Never makes no value have it.
	Never
)

// Deadline biases the current deadline of a generated Set (the
// `requirements.current_deadline`). The zero Deadline is DeadlineAny.
type Deadline uint8

// The deadline biases.
const (
	// DeadlineAny draws no deadline, a passed one or an upcoming one.
	DeadlineAny Deadline = iota
	// DeadlineNone: the current hash has no deadline.
	DeadlineNone
	// DeadlinePassed: the deadline has arrived (deadline ≤ Now) and at
	// least one requirement is still currently due, so it is past due at
	// Now by prediction (Q2, Entry.StatusAt).
	DeadlinePassed
	// DeadlineUpcoming: the deadline lies in (Now, Now+Within] and at
	// least one requirement is currently due by it.
	DeadlineUpcoming
)

// Fields are the requirement field names Set and Entry draw from when the
// options name none; a failing case shrinks towards the first.
func Fields() []string { return append([]string(nil), fieldPool...) }

var fieldPool = []string{
	"external_account",
	"individual.dob.day",
	"individual.first_name",
	"individual.last_name",
	"individual.ssn_last_4",
	"individual.verification.document",
	"business_profile.url",
	"company.tax_id",
	"tos_acceptance.date",
	"representative.address.line1",
}

// capabilities are the capabilities entries may affect.
var capabilities = []requirements.Capability{
	requirements.CardPayments, requirements.Transfers, requirements.USBankAccountACH,
	requirements.SEPADebit, requirements.Treasury, requirements.CardIssuing,
}

// errorCodes are the verification failure codes drawn, one of them
// unknown to the library, which must keep it.
var errorCodes = []requirements.ErrorCode{
	requirements.CodeVerificationFailedOther, requirements.CodeInvalidDOBAgeUnder18,
	requirements.CodeVerificationDocumentExpired, requirements.CodeVerificationDocumentNameMismatch,
	requirements.CodeInvalidAddressPrivateMailbox, "verification_code_stripe_adds_later",
}

// SetOptions bias Set. The zero value draws any reachable set of up to five
// entries, advanced to DefaultNow.
type SetOptions struct {
	// Now is the instant deadlines are drawn around; zero means
	// DefaultNow. It is truncated to whole seconds.
	Now time.Time
	// Fields are the field names drawn from; nil means Fields. A field
	// appears at most once in a set.
	Fields []string
	// MaxEntries bounds the number of entries; zero means 5. It must not
	// exceed len(Fields).
	MaxEntries int
	// Deadline biases the current deadline; the zero value is DeadlineAny.
	Deadline Deadline
	// Within is how far ahead an upcoming deadline may lie; zero means 30
	// days. Within: time.Hour gives "a deadline within the next hour".
	Within time.Duration
	// Complete biases Set.Complete (Q9): Always means nothing in the
	// current hash is due, Never that something is.
	Complete Bias
	// Future biases whether the set holds future requirements.
	Future Bias
	// InformationRequests biases whether the set holds information
	// requests from Stripe.
	InformationRequests Bias
}

// The lifecycle steps (Q7) a generated entry may have gone through, by the
// names a failing case prints.
const (
	stepAsked     = "asked"     // still as Stripe asked for it (due)
	stepSubmitted = "submitted" // submitted, pending verification
	stepFailed    = "failed"    // submitted, verification failed: due again with an error
	stepVerified  = "verified"  // submitted and verified: cleared
)

// Set returns a generator of requirement sets biased by opts, each reached
// through the requirements package's own transitions. A failing set shrinks
// towards fewer entries, the first field names, no deadline and no
// transition. It panics when opts contradict each other (Complete: Always
// with DeadlinePassed or DeadlineUpcoming, more entries than fields), a
// mistake in the test rather than in the code under test. It is safe for
// concurrent use.
func Set(opts SetOptions) *rapid.Generator[requirements.Set] {
	checkSetOptions(opts)
	return rapid.Custom(func(t *rapid.T) requirements.Set { return DrawSet(t, "requirements", opts) })
}

func checkSetOptions(opts SetOptions) {
	fields := opts.Fields
	if fields == nil {
		fields = fieldPool
	}
	if opts.MaxEntries > len(fields) {
		panic(fmt.Sprintf("requirementstest: MaxEntries %d exceeds the %d fields", opts.MaxEntries, len(fields)))
	}
	if opts.Complete == Always && (opts.Deadline == DeadlinePassed || opts.Deadline == DeadlineUpcoming) {
		panic("requirementstest: Complete: Always contradicts a deadline that something is due by")
	}
	maxEntries := opts.MaxEntries
	if maxEntries == 0 {
		maxEntries = min(5, len(fields))
	}
	if need := neededEntries(opts); need > maxEntries {
		panic(fmt.Sprintf("requirementstest: the options need %d entries, at most %d may be drawn", need, maxEntries))
	}
}

// mustDue reports whether opts ask for an entry due in the current hash.
func mustDue(opts SetOptions) bool {
	return opts.Complete == Never || opts.Deadline == DeadlinePassed || opts.Deadline == DeadlineUpcoming
}

// neededEntries is the fewest entries that satisfy opts.
func neededEntries(opts SetOptions) int {
	n := 0
	for _, b := range []bool{mustDue(opts), opts.Future == Always, opts.InformationRequests == Always} {
		if b {
			n++
		}
	}
	return n
}

// DrawSet draws one set as Set does, directly on t, so that a failing case
// prints each choice under label (for example "reqs.entry_0.status:
// \"currently_due\"").
func DrawSet(t *rapid.T, label string, opts SetOptions) requirements.Set {
	checkSetOptions(opts)
	now := opts.Now
	if now.IsZero() {
		now = defaultNow
	}
	now = now.Truncate(time.Second)
	fields := opts.Fields
	if fields == nil {
		fields = fieldPool
	}
	maxEntries := opts.MaxEntries
	if maxEntries == 0 {
		maxEntries = min(5, len(fields))
	}
	within := opts.Within
	if within <= 0 {
		within = 30 * 24 * time.Hour
	}

	// The current deadline.
	dl := opts.Deadline
	if dl == DeadlineAny {
		byName := map[string]Deadline{"none": DeadlineNone, "passed": DeadlinePassed, "upcoming": DeadlineUpcoming}
		dl = byName[rapid.SampledFrom([]string{"none", "passed", "upcoming"}).Draw(t, label+".deadline")]
	}
	var deadline time.Time
	switch dl {
	case DeadlinePassed:
		ago := rapid.Int64Range(0, int64(90*24*time.Hour/time.Second)).Draw(t, label+".deadline_seconds_ago")
		deadline = now.Add(-time.Duration(ago) * time.Second)
	case DeadlineUpcoming:
		ahead := rapid.Int64Range(1, max(1, int64(within/time.Second))).Draw(t, label+".deadline_seconds_ahead")
		deadline = now.Add(time.Duration(ahead) * time.Second)
	}
	// The future deadline: none, upcoming, or passed (the future entries
	// currently due are then overdue by prediction).
	var futureDeadline time.Time
	futureAllowed := opts.Future != Never
	if futureAllowed {
		choices := 2
		if opts.Future == Always || dl == DeadlineNone {
			// A passed future deadline would move every future entry
			// into the current hash, giving it that deadline.
			choices = 1
		}
		switch rapid.IntRange(0, choices).Draw(t, label+".future_deadline") {
		case 1:
			futureDeadline = now.Add(time.Duration(rapid.Int64Range(1, 365*24*3600).Draw(t, label+".future_deadline_seconds_ahead")) * time.Second)
		case 2:
			futureDeadline = now.Add(-time.Duration(rapid.Int64Range(0, 30*24*3600).Draw(t, label+".future_deadline_seconds_ago")) * time.Second)
		}
	}

	// One entry must stay due in the current hash when the options ask for
	// something due by the deadline, or for an incomplete set.
	due := mustDue(opts) || opts.Complete != Always && (dl == DeadlinePassed || dl == DeadlineUpcoming)
	need := neededEntries(opts)
	if due && !mustDue(opts) {
		need++
	}
	n := rapid.IntRange(min(need, maxEntries), maxEntries).Draw(t, label+".entries")
	// The last entries are reserved for what the options require.
	infoSlot, futureSlot, k := -1, -1, n-1
	if opts.InformationRequests == Always {
		infoSlot, k = k, k-1
	}
	if opts.Future == Always {
		futureSlot = k
	}

	var s requirements.Set
	if err := s.SetDeadline(false, deadline); err != nil {
		t.Fatalf("requirementstest: SetDeadline: %v", err)
	}
	if futureAllowed {
		if err := s.SetDeadline(true, futureDeadline); err != nil {
			t.Fatalf("requirementstest: SetDeadline(future): %v", err)
		}
	}
	// Field names are drawn without replacement, so a field is held once.
	pool := append([]string(nil), fields...)
	type planned struct {
		field string
		step  string
	}
	var plan []planned
	for i := range n {
		el := fmt.Sprintf("%s.entry_%d", label, i)
		j := rapid.IntRange(0, len(pool)-1).Draw(t, el+".field_index")
		e := requirements.Entry{Field: pool[j]}
		pool = append(pool[:j], pool[j+1:]...)
		first := i == 0 && due

		// Which hash, which kind.
		switch {
		case first || i == infoSlot:
		case i == futureSlot:
			e.Future = true
		case futureAllowed:
			e.Future = rapid.Bool().Draw(t, el+".future")
		}
		switch {
		case i == infoSlot:
			e.Kind = requirements.InformationRequest
		case first || e.Future:
		case opts.InformationRequests != Never:
			if rapid.IntRange(0, 3).Draw(t, el+".information_request") == 3 {
				e.Kind = requirements.InformationRequest
			}
		}

		// The status Stripe asked with: currently due (by the hash's
		// deadline, if any) or eventually due.
		e.Status = requirements.CurrentlyDue
		if !first && rapid.Bool().Draw(t, el+".eventually") {
			e.Status = requirements.EventuallyDue
		}
		for k, c := range capabilities {
			if rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("%s.affects_%d", el, k)) == 2 {
				e.Capabilities = append(e.Capabilities, c)
			}
		}
		if !e.Future && rapid.IntRange(0, 3).Draw(t, el+".routine") == 3 {
			e.RequestedReasons = []requirements.RequestedReason{requirements.ReasonRoutineOnboarding}
		}
		if err := s.Add(e); err != nil {
			t.Fatalf("requirementstest: Add(%q): %v", e.Field, err)
		}

		// How far along its lifecycle the entry has come.
		steps := []string{stepAsked, stepSubmitted, stepFailed, stepVerified}
		inCurrentAtNow := !e.Future
		switch {
		case e.Kind == requirements.InformationRequest && opts.Complete != Always:
			steps = steps[:1] // answered outside the requirements lifecycle
		case first:
			steps = []string{stepAsked, stepFailed}
		case opts.Complete == Always && inCurrentAtNow:
			steps = []string{stepSubmitted, stepVerified}
		}
		if i == infoSlot || i == futureSlot {
			steps = slices.DeleteFunc(slices.Clone(steps), func(s string) bool { return s == stepVerified })
		}
		st := steps[0]
		if len(steps) > 1 {
			st = rapid.SampledFrom(steps).Draw(t, el+".step")
		}
		plan = append(plan, planned{field: e.Field, step: st})
	}

	// Apply the lifecycle (Q7).
	for i, p := range plan {
		if p.step == stepAsked {
			continue
		}
		if err := s.Submit(p.field); err != nil {
			t.Fatalf("requirementstest: Submit(%q): %v", p.field, err)
		}
		switch p.step {
		case stepFailed:
			code := rapid.SampledFrom(errorCodes).Draw(t, fmt.Sprintf("%s.entry_%d.error_code", label, i))
			if err := s.VerificationFailed(p.field, requirements.Error{Code: code, Reason: "The information could not be verified."}); err != nil {
				t.Fatalf("requirementstest: VerificationFailed(%q): %v", p.field, err)
			}
		case stepVerified:
			if err := s.VerificationSucceeded(p.field); err != nil {
				t.Fatalf("requirementstest: VerificationSucceeded(%q): %v", p.field, err)
			}
		}
	}
	return s
}

// EntryOptions bias Entry. The zero value draws any valid entry.
type EntryOptions struct {
	// Now anchors deadlines; zero means DefaultNow.
	Now time.Time
	// Status, when not empty, is the status of every entry.
	Status requirements.Status
	// Future biases whether the entry belongs to future_requirements.
	Future Bias
	// InformationRequest biases the kind: Always draws information
	// requests only, Never requirements only.
	InformationRequest Bias
}

// Entry returns a generator of single entries that requirements.NewSet
// accepts: a field from Fields, a status, capabilities, errors and, for
// currently due and past due entries, a whole-second deadline — after Now
// for currently due entries and at or before it for past due ones, as
// Advance would leave them. Build whole sets with Set, which reaches them
// through the lifecycle. It is safe for concurrent use.
func Entry(opts EntryOptions) *rapid.Generator[requirements.Entry] {
	return rapid.Custom(func(t *rapid.T) requirements.Entry { return DrawEntry(t, "entry", opts) })
}

// DrawEntry draws one entry as Entry does, directly on t.
func DrawEntry(t *rapid.T, label string, opts EntryOptions) requirements.Entry {
	now := opts.Now
	if now.IsZero() {
		now = defaultNow
	}
	now = now.Truncate(time.Second)
	e := requirements.Entry{Field: rapid.SampledFrom(fieldPool).Draw(t, label+".field")}
	e.Status = opts.Status
	if e.Status == "" {
		e.Status = rapid.SampledFrom([]requirements.Status{requirements.CurrentlyDue, requirements.EventuallyDue,
			requirements.PastDue, requirements.PendingVerification}).Draw(t, label+".status")
	}
	switch opts.Future {
	case Always:
		e.Future = true
	case Maybe:
		e.Future = rapid.Bool().Draw(t, label+".future")
	}
	switch opts.InformationRequest {
	case Always:
		e.Kind = requirements.InformationRequest
	case Maybe:
		if rapid.Bool().Draw(t, label+".information_request") {
			e.Kind = requirements.InformationRequest
		}
	}
	secs := rapid.Int64Range(1, 90*24*3600).Draw(t, label+".deadline_seconds")
	switch e.Status {
	case requirements.CurrentlyDue:
		e.Deadline = now.Add(time.Duration(secs) * time.Second)
	case requirements.PastDue:
		e.Deadline = now.Add(-time.Duration(secs-1) * time.Second)
	}
	for k, c := range capabilities {
		if rapid.Bool().Draw(t, fmt.Sprintf("%s.affects_%d", label, k)) {
			e.Capabilities = append(e.Capabilities, c)
		}
	}
	if e.Status.Due() && rapid.IntRange(0, 3).Draw(t, label+".has_error") == 3 {
		e.Errors = []requirements.Error{{Code: rapid.SampledFrom(errorCodes).Draw(t, label+".error_code"), Reason: "The information could not be verified."}}
	}
	return e
}
