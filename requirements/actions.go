package requirements

import (
	"iter"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Priority is the category an action falls in on the Dashboard's "Actions
// required" list (Q3), in the list's order. The zero Priority is invalid.
type Priority uint8

// The categories of Q3, highest priority first.
const (
	// PriorityInformationRequest is an information request from Stripe.
	PriorityInformationRequest Priority = iota + 1
	// PriorityPastDue is a requirement in past_due.
	PriorityPastDue
	// PriorityCurrentlyDue is a requirement in currently_due.
	PriorityCurrentlyDue
	// PriorityFutureRequirement is an entry of future_requirements.
	PriorityFutureRequirement
	// PriorityEventuallyDue is a requirement in eventually_due.
	PriorityEventuallyDue
)

// Code returns a stable snake_case code.
func (p Priority) Code() string {
	switch p {
	case PriorityInformationRequest:
		return "information_request"
	case PriorityPastDue:
		return "past_due"
	case PriorityCurrentlyDue:
		return "currently_due"
	case PriorityFutureRequirement:
		return "future_requirement"
	case PriorityEventuallyDue:
		return "eventually_due"
	}
	return "priority(" + itoa(int(p)) + ")"
}

// Label returns the Dashboard's issue status for the category: "Various",
// "Past due", "Currently due", "Future requirement", "Due later".
func (p Priority) Label() string {
	switch p {
	case PriorityInformationRequest:
		return "Various"
	case PriorityPastDue:
		return "Past due"
	case PriorityCurrentlyDue:
		return "Currently due"
	case PriorityFutureRequirement:
		return "Future requirement"
	case PriorityEventuallyDue:
		return "Due later"
	}
	return p.Code()
}

// String returns Code.
func (p Priority) String() string { return p.Code() }

// Rule returns "Q3".
func (Priority) Rule() string { return "Q3" }

// Path is a remediation path for an action (Q6). The zero Path is invalid.
type Path uint8

// The remediation paths the Dashboard offers.
const (
	// PathSubmit is submitting the information on the account's behalf.
	PathSubmit Path = iota + 1
	// PathRemediationLink is sending the account a remediation link (the
	// links package decides whether one can be generated, L8).
	PathRemediationLink
	// PathContactSupport is contacting Stripe Support.
	PathContactSupport
)

// Code returns a stable snake_case code.
func (p Path) Code() string {
	switch p {
	case PathSubmit:
		return "submit_information"
	case PathRemediationLink:
		return "send_remediation_link"
	case PathContactSupport:
		return "contact_support"
	}
	return "path(" + itoa(int(p)) + ")"
}

// String returns a sentence describing the path.
func (p Path) String() string {
	switch p {
	case PathSubmit:
		return "submit the information on the account's behalf"
	case PathRemediationLink:
		return "send the account a remediation link"
	case PathContactSupport:
		return "contact Stripe Support"
	}
	return p.Code()
}

// Rule returns "Q6".
func (Path) Rule() string { return "Q6" }

// Paths is a set of remediation paths, as a bitset so that building the
// Actions required list does not allocate per action. The zero Paths is
// empty.
type Paths uint8

// PathsOf returns the set holding ps.
func PathsOf(ps ...Path) Paths {
	var s Paths
	for _, p := range ps {
		s = s.With(p)
	}
	return s
}

// With returns s with p added; an invalid p is ignored.
func (s Paths) With(p Path) Paths {
	if p < PathSubmit || p > PathContactSupport {
		return s
	}
	return s | 1<<(p-1)
}

// Has reports whether s holds p.
func (s Paths) Has(p Path) bool {
	return p >= PathSubmit && p <= PathContactSupport && s&(1<<(p-1)) != 0
}

// Len returns the number of paths in s.
func (s Paths) Len() int { return bits.OnesCount8(uint8(s)) }

// All yields the paths of s in order.
func (s Paths) All() iter.Seq[Path] {
	return func(yield func(Path) bool) {
		for p := PathSubmit; p <= PathContactSupport; p++ {
			if s.Has(p) && !yield(p) {
				return
			}
		}
	}
}

// String lists the codes, comma-separated.
func (s Paths) String() string {
	var b strings.Builder
	for p := range s.All() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.Code())
	}
	return b.String()
}

// ActionOptions is the part of an account's configuration that decides
// remediation paths (Q6) and who must act. The requirements package does not
// import package account; account fills this in. The zero value describes
// an account whose requirements Stripe collects. Safe to copy and share.
type ActionOptions struct {
	// PlatformCollects is true when the platform is responsible for
	// requirement collection (A1 `application`): it may then submit
	// information on the account's behalf (A9), and it is the one who must
	// act on due requirements.
	PlatformCollects bool
}

// Action is one entry of the "Actions required" list (Q3, Q4, Q6). Its
// slices share no memory with the Set (actions of one list share one
// backing array, each with its capacity capped, so appending to one does
// not overwrite another). The zero Action is not a listed action. Safe for
// concurrent reads.
type Action struct {
	// Priority is the list category (Q3).
	Priority Priority
	// Kind is requirement or information request.
	Kind Kind
	// Field is the requirement's field name.
	Field string
	// Status is the entry's status at the instant asked for.
	Status Status
	// Future reports an entry of future_requirements.
	Future bool
	// DueDate is the current deadline of the requirement (Q4); the zero
	// Time means none (eventually due entries have none).
	DueDate time.Time
	// Capabilities are the capabilities the action can affect (Q4).
	Capabilities []Capability
	// Errors are Stripe's errors for the requirement.
	Errors []Error
	// Paths are the remediation paths available (Q6).
	Paths Paths
	// AwaitingActionFrom is who must act.
	AwaitingActionFrom Actor
}

// ActionsRequired is shorthand for ActionsRequiredWith(now, ActionOptions{}),
// for an account whose requirements Stripe collects.
func (s Set) ActionsRequired(now time.Time) []Action {
	return s.ActionsRequiredWith(now, ActionOptions{})
}

// ActionsRequiredWith returns the Dashboard's "Actions required" list for
// the set as Advance(now) would leave it (s itself is not changed): one
// action per field that is due, in Q3's order — information requests, past
// due, currently due, future requirements, eventually due; then earliest
// due date (none last); then field name, then current before future. The
// order is total and deterministic. Entries pending verification are not
// listed. A field due in both hashes is listed once, under its higher
// priority.
//
// Remediation paths (Q6), decided from the entry and opts: an information
// request can be answered by submitting information or by contacting
// support; a requirement can be remediated by a remediation link, by
// submitting on the account's behalf when the platform collects
// requirements, and by contacting support when it carries errors (a failed
// review). Who must act: the platform for information requests and when
// it collects requirements, otherwise the account.
//
// On an advanced set it makes three allocations whatever the number of
// requirements: the result and one backing array each for the actions'
// capabilities and errors. It returns nil when nothing is required.
func (s Set) ActionsRequiredWith(now time.Time, opts ActionOptions) []Action {
	if s.stale(now) {
		t := s.Clone()
		t.Advance(now)
		return t.actions(opts)
	}
	return s.actions(opts)
}

// priority returns the category of e, or 0 if e is not listed.
func priority(e *Entry) Priority {
	switch {
	case !e.Status.Due():
		return 0
	case e.Kind == InformationRequest:
		return PriorityInformationRequest
	case e.Status == PastDue:
		return PriorityPastDue
	case e.Future:
		return PriorityFutureRequirement
	case e.Status == CurrentlyDue:
		return PriorityCurrentlyDue
	}
	return PriorityEventuallyDue
}

// eachListed calls fn for every entry on the Actions required list with its
// priority: the entry is due, and the same field in the other hash is not
// listed with a higher (or, for a future entry, equal) priority. Both hashes
// are sorted by field, so the counterpart is found by a merge walk.
func (s *Set) eachListed(fn func(e *Entry, p Priority)) {
	nMain := 0
	for nMain < len(s.entries) && !s.entries[nMain].Future {
		nMain++
	}
	main, fut := s.entries[:nMain], s.entries[nMain:]
	j := 0
	for i := range main {
		e := &main[i]
		p := priority(e)
		if p == 0 {
			continue
		}
		for j < len(fut) && fut[j].Field < e.Field {
			j++
		}
		if j < len(fut) && fut[j].Field == e.Field {
			if q := priority(&fut[j]); q != 0 && q < p {
				continue
			}
		}
		fn(e, p)
	}
	j = 0
	for i := range fut {
		e := &fut[i]
		p := priority(e)
		if p == 0 {
			continue
		}
		for j < len(main) && main[j].Field < e.Field {
			j++
		}
		if j < len(main) && main[j].Field == e.Field {
			if q := priority(&main[j]); q != 0 && q <= p {
				continue
			}
		}
		fn(e, p)
	}
}

// nBuckets is the number of (priority, due-date rank) buckets: five
// priorities times three due dates at most (the two hash deadlines and none).
const nBuckets = 5 * 3

// actions builds the list with a counting sort into buckets keyed by
// priority and due-date rank, so that it needs no comparison sort unless
// both hashes share a bucket (equal deadlines).
func (s Set) actions(opts ActionOptions) []Action {
	// Due-date ranks: the earlier hash deadline ranks 0, the later 1, none 2.
	rankMain, rankFut := 0, 0
	switch dm, df := s.main.deadline, s.future.deadline; {
	case dm.IsZero() && df.IsZero():
		rankMain, rankFut = 2, 2
	case dm.IsZero():
		rankMain = 2
	case df.IsZero():
		rankFut = 2
	case dm.Before(df):
		rankFut = 1
	case df.Before(dm):
		rankMain = 1
	}
	bucket := func(e *Entry, p Priority) int {
		r := 2
		if e.Status == CurrentlyDue || e.Status == PastDue {
			if r = rankMain; e.Future {
				r = rankFut
			}
		}
		return (int(p)-1)*3 + r
	}

	var count [nBuckets]int
	var mixed [nBuckets]uint8 // bit 0: a current entry, bit 1: a future entry
	n, nCaps, nErrs := 0, 0, 0
	s.eachListed(func(e *Entry, p Priority) {
		b := bucket(e, p)
		count[b]++
		if e.Future {
			mixed[b] |= 2
		} else {
			mixed[b] |= 1
		}
		n++
		nCaps += len(e.Capabilities)
		nErrs += len(e.Errors)
	})
	if n == 0 {
		return nil
	}
	var next [nBuckets]int
	for b, off := 0, 0; b < nBuckets; b++ {
		next[b] = off
		off += count[b]
	}
	start := next
	out := make([]Action, n)
	var caps []Capability
	if nCaps > 0 {
		caps = make([]Capability, 0, nCaps)
	}
	var errs []Error
	if nErrs > 0 {
		errs = make([]Error, 0, nErrs)
	}
	s.eachListed(func(e *Entry, p Priority) {
		b := bucket(e, p)
		a := &out[next[b]]
		next[b]++
		// out is freshly zeroed: set fields one by one.
		a.Priority, a.Kind, a.Field, a.Status, a.Future = p, e.Kind, e.Field, e.Status, e.Future
		if e.Status == CurrentlyDue || e.Status == PastDue {
			a.DueDate = s.hashState(e.Future).deadline
		}
		if len(e.Capabilities) > 0 {
			k := len(caps)
			caps = append(caps, e.Capabilities...)
			a.Capabilities = caps[k:len(caps):len(caps)]
		}
		if len(e.Errors) > 0 {
			k := len(errs)
			errs = append(errs, e.Errors...)
			a.Errors = errs[k:len(errs):len(errs)]
		}
		if e.Kind == InformationRequest {
			a.Paths = PathsOf(PathSubmit, PathContactSupport)
			a.AwaitingActionFrom = ActorPlatform
			return
		}
		a.Paths = a.Paths.With(PathRemediationLink)
		a.AwaitingActionFrom = ActorAccount
		if opts.PlatformCollects {
			a.Paths = a.Paths.With(PathSubmit)
			a.AwaitingActionFrom = ActorPlatform
		}
		if len(e.Errors) > 0 {
			a.Paths = a.Paths.With(PathContactSupport)
		}
	})
	for b := range nBuckets {
		if mixed[b] == 3 {
			slices.SortFunc(out[start[b]:next[b]], compareActions)
		}
	}
	return out
}

// compareActions is Q3's total order.
func compareActions(a, b Action) int {
	if a.Priority != b.Priority {
		return int(a.Priority) - int(b.Priority)
	}
	switch az, bz := a.DueDate.IsZero(), b.DueDate.IsZero(); {
	case az && !bz:
		return 1
	case !az && bz:
		return -1
	case !az && !bz:
		if c := a.DueDate.Compare(b.DueDate); c != 0 {
			return c
		}
	}
	if c := strings.Compare(a.Field, b.Field); c != 0 {
		return c
	}
	return compareKey(a.Future, "", b.Future, "")
}
