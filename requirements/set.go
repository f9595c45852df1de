package requirements

import (
	"encoding/json"
	"iter"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Set is what Stripe last said an account owes, hash by hash, and the
// lifecycle transitions of Q7 applied to it.
//
// It keeps, losslessly, every hash it was given (the account's
// `requirements` and `future_requirements`, each capability's, an Accounts
// v2 account's): each field's membership in every list of the hash, the
// hash's current deadline and disabled_reason verbatim, a capability's
// status, the `errors` and `alternatives` items (unknown members
// included), and the unknown members of every object. That is Stripe's
// word. What follows from it at an instant — a deadline that has passed
// since the snapshot (Q2) — is computed by the views that take `now`
// (Entry.StatusAt, DisabledAt, CapabilitiesAt, ActionsRequired), never
// written back into the lists (DESIGN principle 8).
//
// The zero Set is empty and valid: no requirements, onboarding complete.
// A Set is a value that owns slices: copy it with Clone, which shares no
// mutable memory. Methods with a pointer receiver mutate; a Set is not safe
// for concurrent use while it is being mutated, and safe for concurrent
// reads otherwise.
type Set struct {
	// object is the Stripe object the set was decoded from: "account",
	// "capability", "list", "v2.core.account", or "" (bare hashes or
	// built by hand).
	object string
	// id is the object's id (an account id; for a capability, its name).
	id string
	// accountCaps is a v1 account's `capabilities` map, sorted.
	accountCaps []capState
	// extra are the unknown members of a v1 list object (has_more, url).
	extra []member
	// sources are the hashes, sorted by compareSources.
	sources []source
}

type capState struct {
	capability Capability
	status     CapabilityStatus
}

// source is one hash, as Stripe sent it.
type source struct {
	key Source
	// deadline is v1 current_deadline or v2 summary.minimum_deadline.time.
	deadline time.Time
	// deadlineText is the v2 time as Stripe wrote it.
	deadlineText string
	// reason is the v1 disabled_reason, verbatim.
	reason DisabledReason
	// status is a v1 capability object's status (current capability hash).
	status CapabilityStatus
	// transition is v2 future_requirements.minimum_transition_date.
	transition     time.Time
	transitionText string
	// summary is v2 summary.minimum_deadline.status.
	summary Status
	// entries, sorted by compareEntryKey, one per field (and reference).
	entries []entry
	// errors and alts are the v1 items.
	errors []errItem
	alts   []altItem
	// extra are the unknown members of the hash; objExtra those of a v1
	// capability object; summaryExtra and minExtra those of v2 summary and
	// summary.minimum_deadline.
	extra, objExtra, summaryExtra, minExtra []member
}

type entry struct {
	field string
	kind  Kind
	// ref is a v2 entry's `reference`, compact JSON text; "" none.
	ref   string
	lists Lists
	// deadline is the entry's own deadline; zero means its hash's while
	// it is currently or past due.
	deadline time.Time
	// caps are capabilities given by Impact or to Add.
	caps    []Capability
	reasons []reasonItem
	// awaiting is v2 awaiting_action_from, verbatim.
	awaiting string
	// v2status is v2 minimum_deadline.status (or, in a capability hash,
	// restricts_capabilities[].deadline.status) as sent.
	v2status Status
	// errs are a v2 entry's errors.
	errs []errItem
	// extra: unknown members of a v2 entry (or restricts_capabilities
	// item); dlExtra of its minimum_deadline (or deadline); impactExtra of
	// its impact.
	extra, dlExtra, impactExtra []member
}

type errItem struct {
	requirement string
	code        ErrorCode
	reason      string
	extra       []member
}

type altItem struct {
	alternative, original []string
	extra                 []member
}

type reasonItem struct {
	code  RequestedReason
	extra []member
}

// NewSet returns a Set holding entries, validated as by Add, in any order
// (it sorts once: n log n, never quadratic). On error it returns the zero
// Set.
func NewSet(entries ...Entry) (Set, error) {
	var s Set
	if len(entries) > MaxEntries {
		return Set{}, invalid("entries", itoa(len(entries)), "more than MaxEntries")
	}
	type pending struct {
		src Source
		e   entry
		in  Entry
	}
	ps := make([]pending, 0, len(entries))
	for _, in := range entries {
		src, e, err := normalizeEntry(in)
		if err != nil {
			return Set{}, err
		}
		ps = append(ps, pending{src, e, in})
	}
	slices.SortStableFunc(ps, func(a, b pending) int {
		if c := compareSources(a.src, b.src); c != 0 {
			return c
		}
		return compareEntryKey(a.e.field, a.e.kind, a.e.ref, b.e.field, b.e.kind, b.e.ref)
	})
	for i, p := range ps {
		if i > 0 && compareSources(ps[i-1].src, p.src) == 0 && ps[i-1].e.field == p.e.field && ps[i-1].e.kind == p.e.kind {
			return Set{}, invalid("entry", p.e.field, "field already held in this hash")
		}
		h := s.sourceFor(p.src)
		if h == nil {
			return Set{}, invalid("source", p.src.String(), "more than MaxSources hashes")
		}
		h.entries = append(h.entries, p.e)
		attachItems(h, p.in)
	}
	return s, nil
}

// normalizeEntry validates in and returns its source and stored entry.
func normalizeEntry(in Entry) (Source, entry, error) {
	src := in.Source
	src.Future = src.Future || in.Future || slices.Contains(in.RequestedReasons, ReasonFutureRequirements)
	if err := src.validate(); err != nil {
		return src, entry{}, err
	}
	if !ValidField(in.Field) {
		return src, entry{}, invalid("field", clip(in.Field), "empty, too long or not printable")
	}
	if !in.Kind.Valid() {
		return src, entry{}, invalid("kind", in.Kind.String(), "unknown kind")
	}
	lists := in.Lists & 15
	if in.Lists != lists {
		return src, entry{}, invalid("lists", itoa(int(in.Lists)), "unknown list bits")
	}
	if lists == 0 {
		if !in.Status.Valid() {
			return src, entry{}, invalid("status", string(in.Status), "not a requirement status")
		}
		lists = StripeLists(in.Status)
	} else if in.Status != "" && in.Status != lists.Primary() {
		return src, entry{}, invalid("status", string(in.Status), "differs from the lists' primary status "+string(lists.Primary()))
	}
	e := entry{field: in.Field, kind: in.Kind, lists: lists}
	if !in.Deadline.IsZero() {
		if !lists.Has(CurrentlyDue) && !lists.Has(PastDue) {
			return src, entry{}, invalid("deadline", in.Deadline.String(), "only currently due and past due entries have a deadline")
		}
		if err := validDeadline(in.Deadline); err != nil {
			return src, entry{}, err
		}
		e.deadline = time.Unix(in.Deadline.Unix(), 0).UTC()
	}
	for _, c := range in.Capabilities {
		if !c.Valid() {
			return src, entry{}, invalid("capability", clip(string(c)), "not a capability name")
		}
		if c != src.Capability {
			e.caps = append(e.caps, c)
		}
	}
	slices.Sort(e.caps)
	e.caps = slices.Compact(e.caps)
	for _, er := range in.Errors {
		if err := er.Validate(); err != nil {
			return src, entry{}, err
		}
	}
	if len(in.Alternatives) > 0 && src.V2 {
		return src, entry{}, invalid("alternatives", in.Field, "Accounts v2 has no alternatives")
	}
	for _, a := range in.Alternatives {
		if len(a) == 0 {
			return src, entry{}, invalid("alternative", "", "an alternative names no field")
		}
		for _, f := range a {
			if !ValidField(f) {
				return src, entry{}, invalid("alternative field", clip(f), "empty, too long or not printable")
			}
		}
	}
	var reasons []RequestedReason
	for _, r := range in.RequestedReasons {
		if !validName(string(r), MaxNameLen) {
			return src, entry{}, invalid("requested reason", clip(string(r)), "empty or not printable")
		}
		if r == ReasonFutureRequirements {
			continue // Q8: it is what Future says; the view adds it back
		}
		reasons = append(reasons, r)
	}
	slices.Sort(reasons)
	for _, r := range slices.Compact(reasons) {
		e.reasons = append(e.reasons, reasonItem{code: r})
	}
	switch in.AwaitingActionFrom {
	case 0:
	case ActorAccount:
		e.awaiting = "user"
	case ActorStripe:
		e.awaiting = "stripe"
	default:
		return src, entry{}, invalid("awaiting_action_from", in.AwaitingActionFrom.String(), "Stripe says user or stripe")
	}
	if src.V2 {
		e.v2status = v2StatusOf(lists)
	}
	return src, e, nil
}

// attachItems stores in's errors and alternatives with its hash.
func attachItems(h *source, in Entry) {
	for _, er := range in.Errors {
		if h.key.V2 {
			i := h.find(in.Field, in.Kind, "")
			h.entries[i].errs = append(h.entries[i].errs, errItem{code: er.Code, reason: er.Reason})
			continue
		}
		h.errors = append(h.errors, errItem{requirement: in.Field, code: er.Code, reason: er.Reason})
	}
	for _, a := range in.Alternatives {
		h.alts = append(h.alts, altItem{alternative: slices.Clone(a), original: []string{in.Field}})
	}
}

// Add validates e and adds a copy of it to the hash e.Source (with
// e.Future). It returns an *InvalidError (ErrInvalid) if e is invalid or
// the hash already holds e.Field. Entries of different hashes never
// conflict: each has its own deadline. On error the set is unchanged.
func (s *Set) Add(e Entry) error {
	src, n, err := normalizeEntry(e)
	if err != nil {
		return err
	}
	if s.Len() >= MaxEntries {
		return invalid("entries", itoa(s.Len()+1), "more than MaxEntries")
	}
	if h := s.source(src); h != nil {
		if i, ok := h.search(n.field, n.kind, n.ref); ok || (i < len(h.entries) && h.entries[i].field == n.field && h.entries[i].kind == n.kind) {
			return invalid("entry", n.field, "field already held in this hash")
		}
	}
	h := s.sourceFor(src)
	if h == nil {
		return invalid("source", src.String(), "more than MaxSources hashes")
	}
	i, _ := h.search(n.field, n.kind, n.ref)
	h.entries = slices.Insert(h.entries, i, n)
	attachItems(h, e)
	return nil
}

// source returns the hash with key k, or nil.
func (s *Set) source(k Source) *source {
	i, ok := slices.BinarySearchFunc(s.sources, k, func(h source, k Source) int { return compareSources(h.key, k) })
	if !ok {
		return nil
	}
	return &s.sources[i]
}

// sourceFor returns the hash with key k, creating it; nil if the set
// already holds MaxSources hashes.
func (s *Set) sourceFor(k Source) *source {
	i, ok := slices.BinarySearchFunc(s.sources, k, func(h source, k Source) int { return compareSources(h.key, k) })
	if ok {
		return &s.sources[i]
	}
	if len(s.sources) >= MaxSources {
		return nil
	}
	s.sources = slices.Insert(s.sources, i, source{key: k})
	return &s.sources[i]
}

func (h *source) search(field string, kind Kind, ref string) (int, bool) {
	return slices.BinarySearchFunc(h.entries, field, func(e entry, f string) int {
		return compareEntryKey(e.field, e.kind, e.ref, f, kind, ref)
	})
}

// find returns the index of the first entry for (field, kind), or -1.
func (h *source) find(field string, kind Kind, ref string) int {
	i, _ := h.search(field, kind, ref)
	if i < len(h.entries) && h.entries[i].field == field && h.entries[i].kind == kind {
		return i
	}
	return -1
}

// Clone returns a deep copy of s that shares no mutable memory with it.
func (s Set) Clone() Set {
	c := s
	c.accountCaps = slices.Clone(s.accountCaps)
	c.extra = slices.Clone(s.extra)
	if s.sources != nil {
		c.sources = make([]source, len(s.sources))
		for i, h := range s.sources {
			c.sources[i] = h.clone()
		}
	}
	return c
}

func (h source) clone() source {
	c := h
	c.entries = make([]entry, len(h.entries))
	for i, e := range h.entries {
		e.caps = slices.Clone(e.caps)
		e.reasons = slices.Clone(e.reasons)
		e.errs = slices.Clone(e.errs)
		c.entries[i] = e
	}
	if len(h.entries) == 0 {
		c.entries = nil
	}
	c.errors = slices.Clone(h.errors)
	c.alts = make([]altItem, len(h.alts))
	for i, a := range h.alts {
		c.alts[i] = altItem{slices.Clone(a.alternative), slices.Clone(a.original), a.extra}
	}
	if len(h.alts) == 0 {
		c.alts = nil
	}
	// member slices are never changed in place: sharing them is safe.
	return c
}

// Len returns the number of entries, over all hashes.
func (s Set) Len() int {
	n := 0
	for i := range s.sources {
		n += len(s.sources[i].entries)
	}
	return n
}

// Sources returns the hashes the set holds, in order: v1 before v2, the
// account's own before capabilities' (by name), current before future.
func (s Set) Sources() []Source {
	if len(s.sources) == 0 {
		return nil
	}
	out := make([]Source, len(s.sources))
	for i, h := range s.sources {
		out[i] = h.key
	}
	return out
}

// Hash is what Stripe said about one hash besides its lists: Stripe's word,
// verbatim. A plain value.
type Hash struct {
	// Source names the hash.
	Source Source
	// Deadline is the v1 `current_deadline` or the v2
	// `summary.minimum_deadline.time`; zero when Stripe gave none.
	Deadline time.Time
	// DisabledReason is the v1 `disabled_reason` verbatim; "" for null.
	DisabledReason DisabledReason
	// Status is a v1 capability's `status` (current hash only); "" when
	// not given.
	Status CapabilityStatus
	// TransitionDate is v2 `future_requirements.minimum_transition_date`.
	TransitionDate time.Time
	// MinimumStatus is v2 `summary.minimum_deadline.status`.
	MinimumStatus Status
}

// Hash returns Stripe's word on the hash src, and whether the set holds it.
func (s Set) Hash(src Source) (Hash, bool) {
	h := s.source(src)
	if h == nil {
		return Hash{}, false
	}
	return Hash{Source: h.key, Deadline: h.deadline, DisabledReason: h.reason, Status: h.status,
		TransitionDate: h.transition, MinimumStatus: h.summary}, true
}

// ID returns the id of the Stripe object the set was decoded from (an
// account id, or a capability's name), or "".
func (s Set) ID() string { return s.id }

// Entries returns copies of all entries, hash by hash in Sources order,
// each hash's sorted by field. It is linear in the size of the set: an
// `alternatives` item is copied once per call, and the entries of one
// result whose field it lists share that copy (its capacity capped, so an
// append never writes into another entry's); the Set shares no memory
// with the result.
func (s Set) Entries() []Entry {
	n := s.Len()
	if n == 0 {
		return nil
	}
	out := make([]Entry, 0, n)
	x := s.index()
	for i := range s.sources {
		h := &s.sources[i]
		ix := h.itemIndex()
		alts := h.altCopies()
		for j := range h.entries {
			out = append(out, s.view(h, j, ix, x, alts))
		}
	}
	return out
}

// altCopies returns a copy of each alternatives item's alternative fields,
// in one allocation, each slice with its capacity capped.
func (h *source) altCopies() [][]string {
	if len(h.alts) == 0 {
		return nil
	}
	total := 0
	for _, a := range h.alts {
		total += len(a.alternative)
	}
	flat := make([]string, 0, total)
	out := make([][]string, len(h.alts))
	for k, a := range h.alts {
		if a.alternative == nil {
			continue // as slices.Clone copies nil
		}
		from := len(flat)
		flat = append(flat, a.alternative...)
		out[k] = flat[from:len(flat):len(flat)]
	}
	return out
}

// Lookup returns a copy of the account's entry for field in its
// `requirements` hash: the v1 hash if the set holds one, otherwise the v2
// hash. LookupFuture reads `future_requirements`; LookupIn any hash.
func (s Set) Lookup(field string) (Entry, bool) { return s.lookup(field, false) }

// LookupFuture returns a copy of the account's entry for field in its
// `future_requirements` hash: the v1 hash if the set holds one, otherwise
// the v2 hash.
func (s Set) LookupFuture(field string) (Entry, bool) { return s.lookup(field, true) }

func (s Set) lookup(field string, future bool) (Entry, bool) {
	for _, v2 := range [2]bool{false, true} {
		if e, ok := s.LookupIn(Source{V2: v2, Future: future}, field); ok {
			return e, true
		}
	}
	return Entry{}, false
}

// LookupIn returns a copy of the entry for field in the hash src.
func (s Set) LookupIn(src Source, field string) (Entry, bool) {
	h := s.source(src)
	if h == nil {
		return Entry{}, false
	}
	j := h.find(field, Requirement, "")
	if j < 0 {
		j = h.find(field, InformationRequest, "")
	}
	if j < 0 {
		return Entry{}, false
	}
	return s.view(h, j, h.itemIndex(), s.index(), nil), true
}

// capIndex maps a field to the capabilities whose hashes list it.
type capIndex map[string][]Capability

// index returns which capabilities' hashes hold each field (for the
// account-level entries' Capabilities), or nil if there are none.
func (s Set) index() capIndex {
	var x capIndex
	for i := range s.sources {
		h := &s.sources[i]
		if h.key.Capability == "" {
			continue
		}
		if x == nil {
			x = capIndex{}
		}
		for _, e := range h.entries {
			if cs := x[e.field]; len(cs) == 0 || cs[len(cs)-1] != h.key.Capability {
				x[e.field] = append(cs, h.key.Capability)
			}
		}
	}
	return x
}

// items indexes a v1 hash's errors and alternatives by field.
type items struct {
	errs, alts chains
}

// chains lists, for each field, indices in ascending order: a map from the
// field to its first link, and the links. Building it costs two
// allocations however many fields and items there are.
type chains struct {
	head  map[string]int32 // field → 1 + index in links of its first link
	links []link
}

type link struct{ item, next int32 } // next: 1 + index of the next link, 0 at the end

// of iterates over the item indices listed for field.
func (c chains) of(field string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for n := c.head[field]; n != 0; n = c.links[n-1].next {
			if !yield(int(c.links[n-1].item)) {
				return
			}
		}
	}
}

// add lists item i for field; items are added in descending order, each
// once per field.
func (c *chains) add(field string, i int) {
	if c.head == nil {
		c.head = map[string]int32{}
	}
	n := c.head[field]
	if n != 0 && c.links[n-1].item == int32(i) {
		return
	}
	c.links = append(c.links, link{int32(i), n})
	c.head[field] = int32(len(c.links))
}

func (h *source) itemIndex() items {
	var ix items
	if len(h.errors) > 0 {
		ix.errs.links = make([]link, 0, len(h.errors))
	}
	for i := len(h.errors) - 1; i >= 0; i-- {
		ix.errs.add(h.errors[i].requirement, i)
	}
	for i := len(h.alts) - 1; i >= 0; i-- {
		for _, f := range h.alts[i].original {
			ix.alts.add(f, i)
		}
	}
	return ix
}

// deadlineOf is the entry's own due date.
func (h *source) deadlineOf(e *entry) time.Time {
	if !e.lists.Has(CurrentlyDue) && !e.lists.Has(PastDue) {
		return time.Time{}
	}
	if !e.deadline.IsZero() {
		return e.deadline
	}
	return h.deadline
}

// view builds the Entry for h.entries[j]; alts are copies of the hash's
// alternatives to share (altCopies), or nil to copy those it lists.
func (s Set) view(h *source, j int, ix items, x capIndex, alts [][]string) Entry {
	e := &h.entries[j]
	out := Entry{
		Field: e.field, Kind: e.kind, Source: h.key, Lists: e.lists, Status: e.lists.Primary(),
		Future: h.key.Future, Deadline: s.dueDate(h, e),
	}
	caps := slices.Clone(e.caps)
	if h.key.Capability != "" {
		caps = append(caps, h.key.Capability)
	} else {
		caps = append(caps, x[e.field]...)
	}
	if len(caps) > 0 {
		slices.Sort(caps)
		out.Capabilities = slices.Compact(caps)
	}
	for k := range ix.errs.of(e.field) {
		er := h.errors[k]
		out.Errors = append(out.Errors, Error{Code: er.code, Reason: er.reason})
	}
	for _, er := range e.errs {
		out.Errors = append(out.Errors, Error{Code: er.code, Reason: er.reason})
	}
	for k := range ix.alts.of(e.field) {
		if alts != nil {
			out.Alternatives = append(out.Alternatives, alts[k])
		} else {
			out.Alternatives = append(out.Alternatives, slices.Clone(h.alts[k].alternative))
		}
	}
	for _, r := range e.reasons {
		out.RequestedReasons = append(out.RequestedReasons, r.code)
	}
	if h.key.Future {
		out.RequestedReasons = append(out.RequestedReasons, ReasonFutureRequirements)
	}
	if len(out.RequestedReasons) > 1 {
		slices.Sort(out.RequestedReasons)
		out.RequestedReasons = slices.Compact(out.RequestedReasons)
	}
	switch e.awaiting {
	case "user":
		out.AwaitingActionFrom = ActorAccount
	case "stripe":
		out.AwaitingActionFrom = ActorStripe
	}
	return out
}

// CurrentDeadline returns the account's v1 `requirements.current_deadline`,
// or the zero Time if there is none.
func (s Set) CurrentDeadline() time.Time { return s.hashDeadline(Source{}) }

// FutureDeadline returns the account's v1
// `future_requirements.current_deadline`, or the zero Time.
func (s Set) FutureDeadline() time.Time { return s.hashDeadline(Source{Future: true}) }

func (s Set) hashDeadline(k Source) time.Time {
	if h := s.source(k); h != nil {
		return h.deadline
	}
	return time.Time{}
}

// SetDeadline sets the current deadline of the account's v1
// `requirements` hash, or of `future_requirements` when future is true,
// as Stripe does when it changes `current_deadline`; see SetHashDeadline.
func (s *Set) SetDeadline(future bool, t time.Time) error {
	return s.SetHashDeadline(Source{Future: future}, t)
}

// SetHashDeadline sets the deadline of the hash src (creating the hash),
// which becomes the due date of its currently and past due entries that
// have none of their own. The zero Time removes it. It returns an
// *InvalidError for a deadline that is not a whole second in 1970–9999.
func (s *Set) SetHashDeadline(src Source, t time.Time) error {
	if err := src.validate(); err != nil {
		return err
	}
	if !t.IsZero() {
		if err := validDeadline(t); err != nil {
			return err
		}
		t = time.Unix(t.Unix(), 0).UTC()
	}
	h := s.sourceFor(src)
	if h == nil {
		return invalid("source", src.String(), "more than MaxSources hashes")
	}
	h.deadline = t
	h.deadlineText = ""
	if src.V2 && !t.IsZero() {
		h.deadlineText = t.Format(v2TimeLayout)
	}
	return nil
}

// SetDisabledReason records Stripe's disabled_reason for the v1 hash src
// (creating it), as a webhook would; "" means null. It returns an
// *InvalidError for an unprintable or too long reason, or a v2 hash (v2
// has no disabled_reason).
func (s *Set) SetDisabledReason(src Source, r DisabledReason) error {
	if err := src.validate(); err != nil {
		return err
	}
	if src.V2 {
		return invalid("disabled reason", string(r), "Accounts v2 has no disabled_reason")
	}
	if r != "" && !validName(string(r), MaxNameLen) {
		return invalid("disabled reason", clip(string(r)), "empty, too long or not printable")
	}
	h := s.sourceFor(src)
	if h == nil {
		return invalid("source", src.String(), "more than MaxSources hashes")
	}
	h.reason = r
	return nil
}

// Merge adds o's hashes to s, replacing the hashes s holds for the same
// Source (a newer snapshot of a hash replaces the older: capability.updated
// after account.updated). It never fails for differing deadlines: each hash
// keeps its own. A v1 account's `capabilities` map in o replaces s's. It
// returns an *InvalidError, leaving s unchanged, if the result would exceed
// MaxEntries or MaxSources, or if o is another account's: its id (an
// account, v1 or v2) or a capability object's `account` member (an ID or an
// expanded account) differs from the account s describes.
func (s *Set) Merge(o Set) error {
	want := s.accountID()
	for _, got := range o.accountIDs() {
		if want == "" {
			want = got
		} else if got != want {
			return invalid("account", clip(got), "merging into the set of account "+clip(want))
		}
	}
	t := s.Clone()
	for _, h := range o.sources {
		p := t.sourceFor(h.key)
		if p == nil {
			return invalid("source", h.key.String(), "more than MaxSources hashes")
		}
		*p = h.clone()
	}
	if t.Len() > MaxEntries {
		return invalid("entries", itoa(t.Len()), "more than MaxEntries")
	}
	if o.accountCaps != nil {
		t.accountCaps = slices.Clone(o.accountCaps)
	}
	if t.object == "" {
		t.object, t.id, t.extra = o.object, o.id, slices.Clone(o.extra)
	}
	*s = t
	return nil
}

// accountID returns the id of the account s describes, or "" when it
// does not say: the first of accountIDs.
func (s Set) accountID() string {
	for _, id := range s.accountIDs() {
		return id
	}
	return ""
}

// accountIDs returns the account ids s names: the id of an account (v1 or
// v2), then the `account` member of each capability object.
func (s Set) accountIDs() []string {
	var ids []string
	if (s.object == "account" || s.object == "v2.core.account") && s.id != "" {
		ids = append(ids, s.id)
	}
	for i := range s.sources {
		for _, m := range s.sources[i].objExtra {
			if m.name == "account" {
				if id := accountRef(m.value); id != "" {
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}

// accountRef reads a capability's `account` member, compact JSON: an
// account ID, or an expanded account with an "id"; "" for anything else.
func accountRef(v string) string {
	var id string
	if len(v) > 0 && v[0] == '{' {
		o, err := jsonObject([]byte(v), "id")
		if err != nil || o == nil {
			return ""
		}
		_ = jsonString(o["id"], &id)
		return id
	}
	_ = jsonString([]byte(v), &id)
	return id
}

// Submit records that field has been provided (Q7): in every hash where it
// is due, it leaves the due lists for pending_verification, and loses its
// errors there (v2: Stripe is now the one awaited). It returns a
// *TransitionError wrapping ErrUnknownField if no hash holds field, or
// ErrIllegalTransition if it is due in none. On error the set is unchanged.
func (s *Set) Submit(field string) error {
	return s.transition("submit", field, Lists.Due, func(h *source, e *entry) bool {
		e.lists = e.lists&^ListsOf(CurrentlyDue, EventuallyDue, PastDue) | listBit(PendingVerification)
		e.errs = nil
		if e.awaiting != "" {
			e.awaiting = "stripe"
		}
		h.dropErrors(e.field)
		return true
	})
}

// VerificationSucceeded records that Stripe verified field (Q7): it leaves
// pending_verification in every hash where it is pending, and an entry in
// no list any more is cleared. It is illegal unless the field is pending
// verification somewhere; errors are as for Submit.
func (s *Set) VerificationSucceeded(field string) error {
	return s.transition("verification_succeeded", field, isPending, func(h *source, e *entry) bool {
		e.lists = e.lists.Without(PendingVerification)
		return e.lists != 0
	})
}

// VerificationFailed records that Stripe's review of field failed (Q7): in
// every hash where it is pending, it is currently (and eventually) due
// again, with e as its only error. Whether it is then past due is the view
// at now (Entry.StatusAt: its deadline may have passed). It returns an
// *InvalidError if e is invalid; otherwise errors are as for
// VerificationSucceeded. On error the set is unchanged.
func (s *Set) VerificationFailed(field string, e Error) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.transition("verification_failed", field, isPending, func(h *source, en *entry) bool {
		en.lists = en.lists.Without(PendingVerification) | ListsOf(CurrentlyDue, EventuallyDue)
		if en.awaiting != "" {
			en.awaiting = "user"
		}
		if h.key.V2 {
			en.errs = []errItem{{code: e.Code, reason: e.Reason}}
			return true
		}
		h.dropErrors(en.field)
		h.errors = append(h.errors, errItem{requirement: en.field, code: e.Code, reason: e.Reason})
		return true
	})
}

func isPending(l Lists) bool { return l.Has(PendingVerification) }

// dropErrors removes the v1 errors items about field.
func (h *source) dropErrors(field string) {
	h.errors = slices.DeleteFunc(h.errors, func(er errItem) bool { return er.requirement == field })
	if len(h.errors) == 0 {
		h.errors = nil
	}
}

// transition applies op to every entry for field (in any hash) whose lists
// are legal; apply returns false to remove the entry.
func (s *Set) transition(op, field string, legal func(Lists) bool, apply func(*source, *entry) bool) error {
	if !ValidField(field) {
		return invalid("field", clip(field), "empty, too long or not printable")
	}
	t := s.Clone()
	found, hit := false, false
	var from Status
	for i := range t.sources {
		h := &t.sources[i]
		j, _ := slices.BinarySearchFunc(h.entries, field, func(e entry, f string) int { return strings.Compare(e.field, f) })
		for j < len(h.entries) && h.entries[j].field == field {
			e := &h.entries[j]
			if !found {
				found, from = true, e.lists.Primary()
			}
			if !legal(e.lists) {
				j++
				continue
			}
			hit = true
			if !apply(h, e) {
				h.entries = slices.Delete(h.entries, j, j+1)
				continue
			}
			j++
		}
		if len(h.entries) == 0 {
			h.entries = nil
		}
	}
	if !found {
		return &TransitionError{Op: op, Rule: "Q7", Field: field, Err: ErrUnknownField}
	}
	if !hit {
		return &TransitionError{Op: op, Rule: "Q7", Field: field, From: from, Err: ErrIllegalTransition}
	}
	*s = t
	return nil
}

// Impact returns which capabilities each field of the account's v1 hashes
// affects by Impact (the part Stripe's v1 account hashes do not carry), so
// that DecodeV1(EncodeV1(s), s.Impact()) gives s back.
func (s Set) Impact() Impact {
	var m Impact
	for i := range s.sources {
		h := &s.sources[i]
		for _, e := range h.entries {
			if len(e.caps) == 0 {
				continue
			}
			if m == nil {
				m = Impact{}
			}
			c := append(m[e.field], e.caps...)
			slices.Sort(c)
			m[e.field] = slices.Compact(c)
		}
	}
	return m
}

// V1Extra returns the unknown members of the account's v1 `requirements`
// hash, or of `future_requirements` when future is true: a fresh map of
// name to compact JSON value, or nil if there are none.
func (s Set) V1Extra(future bool) map[string]json.RawMessage {
	h := s.source(Source{Future: future})
	if h == nil {
		return nil
	}
	return extraMap(h.extra)
}

// Equal reports whether s and o hold the same state: the same hashes with
// the same lists, deadlines, reasons, items and unknown members (a hash
// that says nothing counts as absent).
func (s Set) Equal(o Set) bool {
	return reflect.DeepEqual(s.canon(), o.canon())
}

// canon returns s with empty slices as nil, for Equal.
func (s Set) canon() Set {
	c := s.Clone()
	if len(c.accountCaps) == 0 {
		c.accountCaps = nil
	}
	if len(c.extra) == 0 {
		c.extra = nil
	}
	c.sources = slices.DeleteFunc(c.sources, func(h source) bool { return h.empty() })
	if len(c.sources) == 0 {
		c.sources = nil
	}
	for i := range c.sources {
		h := &c.sources[i]
		h.extra, h.objExtra, h.summaryExtra, h.minExtra = nilIfEmpty(h.extra), nilIfEmpty(h.objExtra), nilIfEmpty(h.summaryExtra), nilIfEmpty(h.minExtra)
		if len(h.errors) == 0 {
			h.errors = nil
		}
		for k := range h.errors {
			h.errors[k].extra = nilIfEmpty(h.errors[k].extra)
		}
		for k := range h.alts {
			h.alts[k].extra = nilIfEmpty(h.alts[k].extra)
			if len(h.alts[k].alternative) == 0 {
				h.alts[k].alternative = nil
			}
			if len(h.alts[k].original) == 0 {
				h.alts[k].original = nil
			}
		}
		for k := range h.entries {
			e := &h.entries[k]
			if len(e.caps) == 0 {
				e.caps = nil
			}
			if len(e.reasons) == 0 {
				e.reasons = nil
			}
			for r := range e.reasons {
				e.reasons[r].extra = nilIfEmpty(e.reasons[r].extra)
			}
			if len(e.errs) == 0 {
				e.errs = nil
			}
			for r := range e.errs {
				e.errs[r].extra = nilIfEmpty(e.errs[r].extra)
			}
			e.extra, e.dlExtra, e.impactExtra = nilIfEmpty(e.extra), nilIfEmpty(e.dlExtra), nilIfEmpty(e.impactExtra)
		}
	}
	return c
}

// empty reports whether h says nothing: an absent hash and an empty one
// are the same to Equal (encoders write both account hashes always).
func (h *source) empty() bool {
	return len(h.entries) == 0 && h.deadline.IsZero() && h.deadlineText == "" && h.reason == "" && h.status == "" &&
		h.transitionText == "" && h.summary == "" && len(h.errors) == 0 && len(h.alts) == 0 &&
		len(h.extra) == 0 && len(h.objExtra) == 0 && len(h.summaryExtra) == 0 && len(h.minExtra) == 0
}

func nilIfEmpty(m []member) []member {
	if len(m) == 0 {
		return nil
	}
	return m
}
