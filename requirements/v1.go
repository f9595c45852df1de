package requirements

import (
	"encoding/json"
	"errors"
	"slices"
	"time"
)

// V1 is the part of a Stripe v1 Account (or Capability) object this package
// reads and writes: the `requirements` and `future_requirements` hashes.
// Decode a webhook's `data.object` into it, or use DecodeV1. Other members
// of the object are ignored. The zero V1 is an empty account.
type V1 struct {
	// Object is "account" or "capability" when present. When it is
	// "capability", every entry affects the capability named by ID.
	Object string `json:"object,omitempty"`
	// ID is the object's id; for a capability, its name.
	ID string `json:"id,omitempty"`
	// Requirements is the `requirements` hash.
	Requirements *V1Hash `json:"requirements,omitempty"`
	// FutureRequirements is the `future_requirements` hash.
	FutureRequirements *V1Hash `json:"future_requirements,omitempty"`
}

// V1Hash is Stripe's v1 requirements hash, shared by `requirements` and
// `future_requirements`. The lists overlap as Stripe documents:
// eventually_due holds every currently_due field, and currently_due holds
// every past_due field.
//
// The zero V1Hash is an empty hash. It is a plain value: safe for
// concurrent reads, not for concurrent writes.
type V1Hash struct {
	// Alternatives lists fields that can be provided instead of due ones.
	Alternatives []V1Alternative `json:"alternatives"`
	// CurrentDeadline is the hash's deadline in Unix seconds; nil is none.
	CurrentDeadline *int64 `json:"current_deadline"`
	// CurrentlyDue lists the fields due by CurrentDeadline (past due ones
	// included).
	CurrentlyDue []string `json:"currently_due"`
	// DisabledReason is Stripe's disabled_reason; nil is not disabled.
	DisabledReason *DisabledReason `json:"disabled_reason"`
	// Errors lists requirement errors, each naming a held field.
	Errors []V1Error `json:"errors"`
	// EventuallyDue lists every field due now or later.
	EventuallyDue []string `json:"eventually_due"`
	// PastDue lists the fields not provided by the deadline.
	PastDue []string `json:"past_due"`
	// PendingVerification lists the fields Stripe is reviewing.
	PendingVerification []string `json:"pending_verification"`
	// Extra holds the members of the hash that are none of the above
	// (members Stripe adds later), by name, each value verbatim. Names are
	// matched as encoding/json matches them, case-insensitively, so a
	// name in Extra never differs from a known member's by case alone.
	// UnmarshalJSON fills it (nil when there are none); MarshalJSON writes
	// its members after the known ones, sorted by name.
	Extra map[string]json.RawMessage `json:"-"`
}

// V1Alternative is one entry of `alternatives`: providing every field of
// AlternativeFieldsDue satisfies every field of OriginalFieldsDue.
type V1Alternative struct {
	// AlternativeFieldsDue are the fields that can be provided instead.
	AlternativeFieldsDue []string `json:"alternative_fields_due"`
	// OriginalFieldsDue are the due fields they replace.
	OriginalFieldsDue []string `json:"original_fields_due"`
}

// V1Error is one entry of `errors`.
type V1Error struct {
	// Code is Stripe's error code, kept verbatim.
	Code ErrorCode `json:"code"`
	// Reason is Stripe's sentence.
	Reason string `json:"reason"`
	// Requirement is the field the error is about.
	Requirement string `json:"requirement"`
}

// Impact says which capabilities each field affects. Stripe's v1 account
// hashes do not carry it (each Capability object has its own requirements
// hash), so the caller supplies it when decoding; Set.Impact returns it.
// A nil Impact means no field affects a capability. Safe for concurrent
// reads.
type Impact map[string][]Capability

// DecodeV1 decodes a Stripe v1 Account or Capability object (or any JSON
// object with `requirements` and `future_requirements` members) into a Set.
// Each field takes its most severe status across the overlapping lists;
// entries of `future_requirements` are future entries (Future, requested
// reason future_requirements). Capabilities come from impact and, for a
// Capability object, from its id.
//
// Unknown values are kept verbatim: field names, error codes and disabled
// reasons. So are unknown members of each of the two hashes (a member
// Stripe adds later, such as "minimum_deadline"): every member of a hash
// whose name is not one of V1Hash's, compared case-insensitively as
// encoding/json compares them, is kept by name with its value, per hash,
// in the Set; the last of duplicate members wins. A value is kept as
// json.Marshal writes a json.RawMessage (compacted, <, > and & escaped
// inside strings), with invalid UTF-8 read as U+FFFD. EncodeV1 writes them back and Set.V1Extra
// returns them; no transition changes them. Unknown members of the object
// itself and of the `errors` and `alternatives` items are not kept.
//
// Known members are decoded strictly. Malformed input — wrong JSON types,
// a deadline not in (0, 9999-12-31], an invalid field name, an error or
// alternative naming a field no list of its hash holds — is a
// *DecodeError wrapping ErrMalformed.
func DecodeV1(data []byte, impact Impact) (Set, error) {
	var v V1
	if err := json.Unmarshal(data, &v); err != nil {
		return Set{}, &DecodeError{Err: err}
	}
	return v.Set(impact)
}

// Set converts v into a Set; see DecodeV1.
func (v V1) Set(impact Impact) (Set, error) {
	var extra Capability
	if v.Object == "capability" {
		extra = Capability(v.ID)
		if !extra.Valid() {
			return Set{}, &DecodeError{Member: "id", Err: invalid("capability", v.ID, "not a capability name")}
		}
	}
	var s Set
	for _, future := range [2]bool{false, true} {
		h, name := v.Requirements, "requirements"
		if future {
			h, name = v.FutureRequirements, "future_requirements"
		}
		if h == nil {
			continue
		}
		ms, err := extraMembers(h.Extra, func(member string, err error) error {
			return &DecodeError{Hash: name, Member: member, Err: err}
		})
		if err != nil {
			return Set{}, err
		}
		s.hashOf(future).extra = ms
		if err := s.decodeHash(h, future, impact, extra); err != nil {
			var de *DecodeError
			if errors.As(err, &de) {
				de.Hash = name
			}
			return Set{}, err
		}
	}
	slices.SortFunc(s.entries, compareEntries)
	s.normalize()
	return s, nil
}

func (s *Set) decodeHash(h *V1Hash, future bool, impact Impact, extra Capability) error {
	hs := s.hashOf(future)
	if h.CurrentDeadline != nil {
		u := *h.CurrentDeadline
		if u <= 0 || u > maxUnix {
			return &DecodeError{Member: "current_deadline", Err: invalid("timestamp", itoa(int(u)), "outside 1970-01-01 to 9999-12-31")}
		}
		hs.deadline = time.Unix(u, 0).UTC()
	}
	if h.DisabledReason != nil && *h.DisabledReason != "" {
		if !validName(string(*h.DisabledReason), 256) {
			return &DecodeError{Member: "disabled_reason", Err: invalid("disabled reason", string(*h.DisabledReason), "empty or not printable")}
		}
		hs.reason = *h.DisabledReason
	}
	status := map[string]Status{}
	var order []string
	for _, l := range [...]struct {
		member string
		list   []string
		st     Status
	}{
		{"eventually_due", h.EventuallyDue, EventuallyDue},
		{"pending_verification", h.PendingVerification, PendingVerification},
		{"currently_due", h.CurrentlyDue, CurrentlyDue},
		{"past_due", h.PastDue, PastDue},
	} {
		for _, f := range l.list {
			if !ValidField(f) {
				return &DecodeError{Member: l.member, Err: invalid("field", f, "empty, too long or not printable")}
			}
			old, ok := status[f]
			if !ok {
				order = append(order, f)
			}
			if l.st.severity() > old.severity() {
				status[f] = l.st
			}
		}
	}
	slices.Sort(order)
	base := len(s.entries)
	for _, f := range order {
		e := Entry{Field: f, Status: status[f], Future: future}
		e.Capabilities = append(e.Capabilities, impact[f]...)
		if extra != "" {
			e.Capabilities = append(e.Capabilities, extra)
		}
		s.entries = append(s.entries, e)
	}
	held := s.entries[base:]
	find := func(f string) *Entry {
		i, ok := slices.BinarySearchFunc(held, f, func(e Entry, f string) int { return compareKey(false, e.Field, false, f) })
		if !ok {
			return nil
		}
		return &held[i]
	}
	for _, er := range h.Errors {
		e := find(er.Requirement)
		if e == nil {
			return &DecodeError{Member: "errors", Err: invalid("error requirement", er.Requirement, "no list of the hash holds it")}
		}
		x := Error{Code: er.Code, Reason: er.Reason}
		if err := x.Validate(); err != nil {
			return &DecodeError{Member: "errors", Err: err}
		}
		e.Errors = append(e.Errors, x)
	}
	for _, a := range h.Alternatives {
		if len(a.OriginalFieldsDue) == 0 || len(a.AlternativeFieldsDue) == 0 {
			return &DecodeError{Member: "alternatives", Err: invalid("alternative", "", "original_fields_due and alternative_fields_due must be non-empty")}
		}
		for _, f := range a.AlternativeFieldsDue {
			if !ValidField(f) {
				return &DecodeError{Member: "alternatives", Err: invalid("field", f, "empty, too long or not printable")}
			}
		}
		for _, f := range a.OriginalFieldsDue {
			e := find(f)
			if e == nil {
				return &DecodeError{Member: "alternatives", Err: invalid("original field", f, "no list of the hash holds it")}
			}
			e.Alternatives = append(e.Alternatives, slices.Clone(a.AlternativeFieldsDue))
		}
	}
	for i := range held {
		n, err := held[i].normalized()
		if err != nil {
			return &DecodeError{Err: err}
		}
		held[i] = n
	}
	return nil
}

// EncodeV1 encodes s as a JSON object with Stripe's v1 `requirements` and
// `future_requirements` hashes; see Set.V1. Each hash has its known
// members, then the unknown members DecodeV1 kept for it, sorted by name,
// so that for any payload p DecodeV1 accepts, EncodeV1(DecodeV1(p)) holds
// every unknown member of p's hashes with the same value (compacted).
func EncodeV1(s Set) ([]byte, error) {
	return json.Marshal(s.V1())
}

// V1 returns s in Stripe's v1 shape, writing the overlapping lists as Stripe
// does: a past due field is also in currently_due, and every currently due
// field is also in eventually_due. Lists are sorted and never null. What v1
// cannot carry is left out: information requests, which capabilities a
// field affects (see Impact), and requested reasons other than
// future_requirements. Both hashes are always present; each hash's Extra
// holds the unknown members the set kept for it (see DecodeV1), as a
// fresh map.
func (s Set) V1() V1 {
	return V1{Requirements: s.v1Hash(false), FutureRequirements: s.v1Hash(true)}
}

func (s Set) v1Hash(future bool) *V1Hash {
	h := &V1Hash{
		Alternatives:        []V1Alternative{},
		CurrentlyDue:        []string{},
		Errors:              []V1Error{},
		EventuallyDue:       []string{},
		PastDue:             []string{},
		PendingVerification: []string{},
	}
	hs := s.hashState(future)
	if !hs.deadline.IsZero() {
		u := hs.deadline.Unix()
		h.CurrentDeadline = &u
	}
	if r := s.hashReason(future); r != "" {
		h.DisabledReason = &r
	}
	h.Extra = extraMap(hs.extra)
	type alt struct {
		fields []string
		orig   string
	}
	var alts []alt
	for _, e := range s.entries {
		if e.Future != future || e.Kind != Requirement {
			continue
		}
		switch e.Status {
		case PastDue:
			h.PastDue = append(h.PastDue, e.Field)
			h.CurrentlyDue = append(h.CurrentlyDue, e.Field)
			h.EventuallyDue = append(h.EventuallyDue, e.Field)
		case CurrentlyDue:
			h.CurrentlyDue = append(h.CurrentlyDue, e.Field)
			h.EventuallyDue = append(h.EventuallyDue, e.Field)
		case EventuallyDue:
			h.EventuallyDue = append(h.EventuallyDue, e.Field)
		case PendingVerification:
			h.PendingVerification = append(h.PendingVerification, e.Field)
		}
		for _, er := range e.Errors {
			h.Errors = append(h.Errors, V1Error{Code: er.Code, Reason: er.Reason, Requirement: e.Field})
		}
		for _, a := range e.Alternatives {
			alts = append(alts, alt{a, e.Field})
		}
	}
	slices.SortStableFunc(alts, func(a, b alt) int { return slices.Compare(a.fields, b.fields) })
	for i := 0; i < len(alts); {
		j := i
		va := V1Alternative{AlternativeFieldsDue: slices.Clone(alts[i].fields)}
		for ; j < len(alts) && slices.Equal(alts[j].fields, alts[i].fields); j++ {
			va.OriginalFieldsDue = append(va.OriginalFieldsDue, alts[j].orig)
		}
		h.Alternatives = append(h.Alternatives, va)
		i = j
	}
	return h
}

// Impact returns which capabilities each requirement field affects, the
// part of the set Stripe's v1 account hashes do not carry, so that
// DecodeV1(EncodeV1(s), s.Impact()) gives s back. A field held in both
// hashes maps to the union of both entries' capabilities.
func (s Set) Impact() Impact {
	var m Impact
	for _, e := range s.entries {
		if len(e.Capabilities) == 0 {
			continue
		}
		if m == nil {
			m = Impact{}
		}
		c := append(m[e.Field], e.Capabilities...)
		slices.Sort(c)
		m[e.Field] = slices.Compact(c)
	}
	return m
}

// V1Extra returns the unknown members of the `requirements` hash, or of
// the `future_requirements` hash when future is true, that DecodeV1 (or
// Set.UnmarshalJSON) kept: a fresh map of name to value, each value
// compacted JSON (as json.Marshal writes it), or nil if there are none.
func (s Set) V1Extra(future bool) map[string]json.RawMessage {
	return extraMap(s.hashState(future).extra)
}

// Equal reports whether s and o hold the same entries, deadlines, stored
// disabled reasons and unknown v1 members (the same names, with values
// byte-equal after compaction).
func (s Set) Equal(o Set) bool {
	if !s.main.deadline.Equal(o.main.deadline) || !s.future.deadline.Equal(o.future.deadline) ||
		s.main.reason != o.main.reason || s.future.reason != o.future.reason ||
		!slices.Equal(s.main.extra, o.main.extra) || !slices.Equal(s.future.extra, o.future.extra) {
		return false
	}
	return slices.EqualFunc(s.entries, o.entries, func(a, b Entry) bool {
		return a.Field == b.Field && a.Kind == b.Kind && a.Status == b.Status && a.Future == b.Future &&
			a.Deadline.Equal(b.Deadline) &&
			slices.Equal(a.Capabilities, b.Capabilities) && slices.Equal(a.Errors, b.Errors) &&
			slices.EqualFunc(a.Alternatives, b.Alternatives, slices.Equal) &&
			slices.Equal(a.RequestedReasons, b.RequestedReasons)
	})
}
