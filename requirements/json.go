package requirements

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"
)

// setJSON is the lossless JSON shape of a Set; see Set.MarshalJSON.
type setJSON struct {
	CurrentDeadline      *int64            `json:"current_deadline,omitempty"`
	DisabledReason       DisabledReason    `json:"disabled_reason,omitempty"`
	FutureDeadline       *int64            `json:"future_current_deadline,omitempty"`
	FutureDisabledReason DisabledReason    `json:"future_disabled_reason,omitempty"`
	V1Extra              map[string]string `json:"v1_extra,omitempty"`
	FutureV1Extra        map[string]string `json:"future_v1_extra,omitempty"`
	Entries              []entryJSON       `json:"entries"`
}

// entryJSON is one Entry in the lossless shape. The hash deadline is not
// repeated per entry: the Set carries it.
type entryJSON struct {
	Field            string            `json:"field"`
	Kind             Kind              `json:"kind"`
	Status           Status            `json:"status"`
	Future           bool              `json:"future,omitempty"`
	Capabilities     []Capability      `json:"capabilities,omitempty"`
	Errors           []errorJSON       `json:"errors,omitempty"`
	Alternatives     []alternativeJSON `json:"alternatives,omitempty"`
	RequestedReasons []reasonJSON      `json:"requested_reasons,omitempty"`
}

// errorJSON is an Error as in Stripe's v1 `errors` list, without the
// requirement member (the entry is the requirement).
type errorJSON struct {
	Code   ErrorCode `json:"code"`
	Reason string    `json:"reason"`
}

// alternativeJSON is one alternative as in Stripe's v1 `alternatives`,
// without original_fields_due (the entry is the original field).
type alternativeJSON struct {
	AlternativeFieldsDue []string `json:"alternative_fields_due"`
}

// reasonJSON is one requested reason as in Stripe's v2
// `requested_reasons[]`.
type reasonJSON struct {
	Code RequestedReason `json:"code"`
}

// MarshalJSON encodes the whole state of s, losslessly, in connectkit's own
// JSON shape (not Stripe's: use EncodeV1 for that):
//
//	{
//	  "current_deadline": 1735776000,          // Unix seconds; omitted if none
//	  "disabled_reason": "under_review",       // stored reason; omitted if none
//	  "future_current_deadline": 1767225600,   // the future hash's deadline
//	  "future_disabled_reason": "…",           // the future hash's reason
//	  "v1_extra": {"minimum_deadline": "{\"at\":1735776000}"},
//	  "future_v1_extra": {…},                  // unknown v1 members; omitted if none
//	  "entries": [                             // always present, sorted
//	    {"field": "individual.dob.day", "kind": "requirement",
//	     "status": "currently_due", "future": true,
//	     "capabilities": ["card_payments"],
//	     "errors": [{"code": "invalid_dob_age_under_18", "reason": "…"}],
//	     "alternatives": [{"alternative_fields_due": ["…"]}],
//	     "requested_reasons": [{"code": "future_requirements"}]}
//	  ]
//	}
//
// Entry members use Stripe's wire names and values; empty lists and a false
// "future" are omitted. Entries carry no deadline: the currently due and
// past due entries of a hash share its deadline. The disabled reasons are
// the ones Stripe gave, as the set keeps them, not the derived
// DisabledReason. "v1_extra" and "future_v1_extra" hold the unknown members
// of the two v1 hashes (see DecodeV1), by name, each value's JSON text as a
// JSON string: a store that normalizes JSON (PostgreSQL's jsonb reorders
// object members and rewrites numbers) keeps a string's contents as they
// are, so the set still reads back Equal.
// UnmarshalJSON decodes it back to a Set that is Equal to s.
// Encoding is deterministic: equal sets encode to the same bytes.
func (s Set) MarshalJSON() ([]byte, error) {
	w := setJSON{
		DisabledReason:       s.main.reason,
		FutureDisabledReason: s.future.reason,
		V1Extra:              extraStrings(s.main.extra),
		FutureV1Extra:        extraStrings(s.future.extra),
		Entries:              make([]entryJSON, len(s.entries)),
	}
	if !s.main.deadline.IsZero() {
		u := s.main.deadline.Unix()
		w.CurrentDeadline = &u
	}
	if !s.future.deadline.IsZero() {
		u := s.future.deadline.Unix()
		w.FutureDeadline = &u
	}
	for i, e := range s.entries {
		j := entryJSON{
			Field:        e.Field,
			Kind:         e.Kind,
			Status:       e.Status,
			Future:       e.Future,
			Capabilities: e.Capabilities,
		}
		if len(e.Errors) > 0 {
			j.Errors = make([]errorJSON, len(e.Errors))
			for k, er := range e.Errors {
				j.Errors[k] = errorJSON(er)
			}
		}
		if len(e.Alternatives) > 0 {
			j.Alternatives = make([]alternativeJSON, len(e.Alternatives))
			for k, a := range e.Alternatives {
				j.Alternatives[k] = alternativeJSON{AlternativeFieldsDue: a}
			}
		}
		if len(e.RequestedReasons) > 0 {
			j.RequestedReasons = make([]reasonJSON, len(e.RequestedReasons))
			for k, r := range e.RequestedReasons {
				j.RequestedReasons[k] = reasonJSON{Code: r}
			}
		}
		w.Entries[i] = j
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// UnmarshalJSON decodes the shape MarshalJSON writes and replaces s with
// it. The input is validated as NewSet, Add and SetDeadline validate it:
// each entry goes through Add (so a field held twice in one hash, an
// invalid name or status, or an empty alternative is refused), each
// deadline through SetDeadline, a disabled reason must be a printable
// name, and an unknown v1 member's value must be valid JSON text and its
// name must not be a known member's of a v1 hash (compared
// case-insensitively); the entries may come in any order. Unknown members, wrong JSON
// types and trailing data are refused too. Any refusal is a *DecodeError
// that matches ErrMalformed (and ErrInvalid when a value, rather than the
// JSON, is at fault), and leaves s unchanged. As encoding/json does for
// other values, the JSON literal null leaves s unchanged.
func (s *Set) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var w setJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return setErr("", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return setErr("", errors.New("trailing data after the set"))
	}
	var t Set
	for _, d := range [2]struct {
		future bool
		member string
		unix   *int64
	}{{false, "current_deadline", w.CurrentDeadline}, {true, "future_current_deadline", w.FutureDeadline}} {
		if d.unix == nil {
			continue
		}
		u := *d.unix
		if u <= 0 || u > maxUnix {
			return setErr(d.member, invalid("timestamp", strconv.FormatInt(u, 10), "outside 1970-01-01 to 9999-12-31"))
		}
		if err := t.SetDeadline(d.future, time.Unix(u, 0)); err != nil {
			return setErr(d.member, err)
		}
	}
	for i, j := range w.Entries {
		e := Entry{
			Field:        j.Field,
			Kind:         j.Kind,
			Status:       j.Status,
			Future:       j.Future,
			Capabilities: j.Capabilities,
		}
		for _, er := range j.Errors {
			e.Errors = append(e.Errors, Error(er))
		}
		for _, a := range j.Alternatives {
			e.Alternatives = append(e.Alternatives, a.AlternativeFieldsDue)
		}
		for _, r := range j.RequestedReasons {
			e.RequestedReasons = append(e.RequestedReasons, r.Code)
		}
		if err := t.Add(e); err != nil {
			return setErr("entries["+strconv.Itoa(i)+"]", err)
		}
	}
	for _, r := range [2]struct {
		future bool
		member string
		reason DisabledReason
	}{{false, "disabled_reason", w.DisabledReason}, {true, "future_disabled_reason", w.FutureDisabledReason}} {
		if r.reason == "" {
			continue
		}
		if !validName(string(r.reason), 256) {
			return setErr(r.member, invalid("disabled reason", string(r.reason), "empty, too long or not printable"))
		}
		t.hashOf(r.future).reason = r.reason
	}
	for _, x := range [2]struct {
		future bool
		member string
		extra  map[string]string
	}{{false, "v1_extra", w.V1Extra}, {true, "future_v1_extra", w.FutureV1Extra}} {
		var raw map[string]json.RawMessage
		for name, v := range x.extra {
			if raw == nil {
				raw = make(map[string]json.RawMessage, len(x.extra))
			}
			raw[name] = json.RawMessage(v)
		}
		ms, err := extraMembers(raw, func(name string, err error) error {
			return setErr(x.member+"."+name, err)
		})
		if err != nil {
			return err
		}
		t.hashOf(x.future).extra = ms
	}
	t.normalize()
	*s = t
	return nil
}

func setErr(member string, err error) error {
	return &DecodeError{Encoding: "set", Member: member, Err: err}
}
