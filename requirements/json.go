package requirements

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connectkit/connectkit/internal/jsonexact"
)

// setVersion is the version of the lossless encoding.
const setVersion = 2

// setJSON is the lossless JSON shape of a Set; see Set.MarshalJSON.
type setJSON struct {
	Version      int               `json:"version"`
	Object       string            `json:"object,omitempty"`
	ID           string            `json:"id,omitempty"`
	Capabilities map[string]string `json:"capabilities,omitempty"`
	Extra        map[string]string `json:"extra,omitempty"`
	Hashes       []hashJSON        `json:"hashes"`
}

type hashJSON struct {
	V2                   bool              `json:"v2,omitempty"`
	Capability           Capability        `json:"capability,omitempty"`
	Configuration        string            `json:"configuration,omitempty"`
	Future               bool              `json:"future,omitempty"`
	Deadline             *int64            `json:"deadline,omitempty"`
	DeadlineText         string            `json:"deadline_text,omitempty"`
	DisabledReason       DisabledReason    `json:"disabled_reason,omitempty"`
	Status               CapabilityStatus  `json:"status,omitempty"`
	TransitionText       string            `json:"transition_text,omitempty"`
	Summary              Status            `json:"summary_status,omitempty"`
	Entries              []entryJSON       `json:"entries"`
	Errors               []errJSON         `json:"errors,omitempty"`
	Alternatives         []altJSON         `json:"alternatives,omitempty"`
	Extra                map[string]string `json:"extra,omitempty"`
	ObjectExtra          map[string]string `json:"object_extra,omitempty"`
	SummaryExtra         map[string]string `json:"summary_extra,omitempty"`
	MinimumDeadlineExtra map[string]string `json:"minimum_deadline_extra,omitempty"`
}

type entryJSON struct {
	Field            string            `json:"field"`
	Kind             Kind              `json:"kind"`
	Lists            []Status          `json:"lists"`
	Deadline         *int64            `json:"deadline,omitempty"`
	Capabilities     []Capability      `json:"capabilities,omitempty"`
	RequestedReasons []reasonJSON      `json:"requested_reasons,omitempty"`
	Awaiting         string            `json:"awaiting_action_from,omitempty"`
	V2Status         Status            `json:"v2_status,omitempty"`
	Reference        string            `json:"reference,omitempty"`
	Errors           []errJSON         `json:"errors,omitempty"`
	Extra            map[string]string `json:"extra,omitempty"`
	DeadlineExtra    map[string]string `json:"deadline_extra,omitempty"`
	ImpactExtra      map[string]string `json:"impact_extra,omitempty"`
}

type errJSON struct {
	Requirement string            `json:"requirement,omitempty"`
	Code        ErrorCode         `json:"code"`
	Reason      string            `json:"reason"`
	Extra       map[string]string `json:"extra,omitempty"`
}

type altJSON struct {
	AlternativeFieldsDue []string          `json:"alternative_fields_due"`
	OriginalFieldsDue    []string          `json:"original_fields_due"`
	Extra                map[string]string `json:"extra,omitempty"`
}

type reasonJSON struct {
	Code  RequestedReason   `json:"code"`
	Extra map[string]string `json:"extra,omitempty"`
}

// MarshalJSON encodes the whole state of s, losslessly, in connectkit's own
// JSON shape (not Stripe's: use EncodeV1 or EncodeV2 for that), for storing
// a Set:
//
//	{"version": 2, "object": "account", "id": "acct_…",
//	 "capabilities": {"card_payments": "active"},
//	 "hashes": [
//	   {"capability": "card_payments", "future": true,   // the hash's Source
//	    "deadline": 1735776000, "disabled_reason": "…", "status": "…",
//	    "entries": [{"field": "individual.dob.day", "kind": "requirement",
//	                 "lists": ["currently_due", "pending_verification"],
//	                 "deadline": 1735776000, "capabilities": [...], …}],
//	    "errors": [{"requirement": "…", "code": "…", "reason": "…"}],
//	    "alternatives": [{"alternative_fields_due": […], "original_fields_due": […]}],
//	    "extra": {"minimum_deadline": "{\"at\":1735776000}"}}]}
//
// Every hash keeps its lists per field, deadlines, Stripe's reasons and
// statuses, items and unknown members; v2 hashes also their entries'
// references, awaiting_action_from, requested reasons and times as Stripe
// wrote them. Unknown members are kept by name, each value's JSON text as
// a JSON string: a store that normalizes JSON (PostgreSQL's jsonb reorders
// members and rewrites numbers) keeps a string as it is, so the set reads
// back Equal. Nothing in it holds NUL or invalid UTF-8 (the decoders and
// Add refuse them), so PostgreSQL text and jsonb accept it.
// UnmarshalJSON decodes it back to a Set Equal to s. Encoding is
// deterministic: equal sets encode to the same bytes.
func (s Set) MarshalJSON() ([]byte, error) {
	w := setJSON{Version: setVersion, Object: s.object, ID: s.id, Extra: membersToMap(s.extra), Hashes: make([]hashJSON, len(s.sources))}
	if len(s.accountCaps) > 0 {
		w.Capabilities = make(map[string]string, len(s.accountCaps))
		for _, c := range s.accountCaps {
			w.Capabilities[string(c.capability)] = string(c.status)
		}
	}
	for i := range s.sources {
		h := &s.sources[i]
		j := hashJSON{
			V2: h.key.V2, Capability: h.key.Capability, Configuration: h.key.Configuration, Future: h.key.Future,
			DisabledReason: h.reason, Status: h.status, TransitionText: h.transitionText, Summary: h.summary,
			Entries: make([]entryJSON, len(h.entries)), Extra: membersToMap(h.extra), ObjectExtra: membersToMap(h.objExtra),
			SummaryExtra: membersToMap(h.summaryExtra), MinimumDeadlineExtra: membersToMap(h.minExtra),
		}
		if h.deadlineText != "" {
			j.DeadlineText = h.deadlineText
		} else if !h.deadline.IsZero() {
			u := h.deadline.Unix()
			j.Deadline = &u
		}
		for k, e := range h.entries {
			ej := entryJSON{Field: e.field, Kind: e.kind, Lists: []Status{}, Capabilities: e.caps, Awaiting: e.awaiting,
				V2Status: e.v2status, Reference: e.ref, Extra: membersToMap(e.extra), DeadlineExtra: membersToMap(e.dlExtra),
				ImpactExtra: membersToMap(e.impactExtra)}
			for st := range e.lists.All() {
				ej.Lists = append(ej.Lists, st)
			}
			if !e.deadline.IsZero() {
				u := e.deadline.Unix()
				ej.Deadline = &u
			}
			for _, r := range e.reasons {
				ej.RequestedReasons = append(ej.RequestedReasons, reasonJSON{r.code, membersToMap(r.extra)})
			}
			for _, er := range e.errs {
				ej.Errors = append(ej.Errors, errJSON{Code: er.code, Reason: er.reason, Extra: membersToMap(er.extra)})
			}
			j.Entries[k] = ej
		}
		for _, er := range h.errors {
			j.Errors = append(j.Errors, errJSON{er.requirement, er.code, er.reason, membersToMap(er.extra)})
		}
		for _, a := range h.alts {
			j.Alternatives = append(j.Alternatives, altJSON{nonNil(a.alternative), nonNil(a.original), membersToMap(a.extra)})
		}
		w.Hashes[i] = j
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes the shape MarshalJSON writes and replaces s with
// it. It also reads the version-less shape connectkit wrote before (one
// status per field, one deadline per hash), so stored sets stay readable:
// each entry's status becomes the lists Stripe writes it in. The input is validated as the decoders and Add validate theirs:
// names printable and within MaxNameLen, texts valid UTF-8 without NUL,
// deadlines in 1970–9999, lists known and non-empty, no hash or entry
// twice, unknown members valid JSON not named like a known member, every
// limit of model.go; entries and hashes may come in any order (sorted
// once). Unknown members of the encoding itself, wrong JSON types, another
// version and trailing data are refused too. Any refusal is a *DecodeError
// that matches ErrMalformed (and ErrInvalid when a value, rather than the
// JSON, is at fault), and leaves s unchanged. As encoding/json does for
// other values, the JSON literal null leaves s unchanged.
func (s *Set) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	if len(data) > MaxInputBytes {
		return setErr("", invalid("input", itoa(len(data))+" bytes", "larger than MaxInputBytes"))
	}
	// One validation of the whole input; below, it is split, not parsed
	// again (see scan.go and setdecode.go).
	var arrays []jsonexact.Array
	if err := checkJSONArrays(data, &arrays); err != nil {
		return setErr("", err)
	}
	// The version-less shape has no "version" member (or a null one).
	var w setJSON
	versioned, err := decodeSetJSON(data, arrays, &w)
	if err != nil && !versioned {
		// Stopped before any "version": look for one further on.
		if _, err := eachMember(data[skipSpace(data, 0):], "set", []string{"version"}, func(name string, v []byte) (int, error) {
			x, n, err := value(v)
			if name == "version" {
				versioned = !isNullLiteral(x)
			}
			return n, err
		}); err != nil {
			return setErr("", err)
		}
	}
	if !versioned {
		t, err := fromLegacyJSON(data)
		if err != nil {
			return err
		}
		*s = t
		return nil
	}
	if err != nil {
		return setErr("", err)
	}
	t, err := fromJSON(w)
	if err != nil {
		return err
	}
	*s = t
	return nil
}

func fromJSON(w setJSON) (Set, error) {
	var t Set
	if w.Version != setVersion {
		return Set{}, setErr("version", invalid("version", strconv.Itoa(w.Version), "want "+strconv.Itoa(setVersion)))
	}
	switch w.Object {
	case "", "account", "capability", "list", "v2.core.account":
	default:
		return Set{}, setErr("object", invalid("object", clip(w.Object), "not an object a decoder reads"))
	}
	if w.ID != "" && !validName(w.ID, MaxNameLen) {
		return Set{}, setErr("id", invalid("id", clip(w.ID), "empty, too long or not printable"))
	}
	t.object, t.id = w.Object, w.ID
	if len(w.Capabilities) > MaxSources {
		return Set{}, setErr("capabilities", invalid("capabilities", itoa(len(w.Capabilities)), "more than MaxSources"))
	}
	for c, st := range w.Capabilities {
		if !Capability(c).Valid() || !validName(st, MaxNameLen) {
			return Set{}, setErr("capabilities", invalid("capability status", clip(c)+": "+clip(st), "empty, too long or not printable"))
		}
		t.accountCaps = append(t.accountCaps, capState{Capability(c), CapabilityStatus(st)})
	}
	slices.SortFunc(t.accountCaps, func(a, b capState) int { return strings.Compare(string(a.capability), string(b.capability)) })
	var err error
	if t.extra, err = membersFromMap(w.Extra, "object", "data"); err != nil {
		return Set{}, setErr("extra", err)
	}
	if len(w.Hashes) > MaxSources {
		return Set{}, setErr("hashes", invalid("hashes", itoa(len(w.Hashes)), "more than MaxSources"))
	}
	n := 0
	if len(w.Hashes) > 0 {
		t.sources = make([]source, 0, len(w.Hashes))
	}
	for i, hj := range w.Hashes {
		where := "hashes[" + itoa(i) + "]"
		n += len(hj.Entries)
		if n > MaxEntries {
			return Set{}, setErr(where, invalid("entries", itoa(n), "more than MaxEntries"))
		}
		h, err := hashFromJSON(hj)
		if err != nil {
			return Set{}, setErr(where, err)
		}
		t.sources = append(t.sources, h)
	}
	slices.SortFunc(t.sources, func(a, b source) int { return compareSources(a.key, b.key) })
	for i := 1; i < len(t.sources); i++ {
		if compareSources(t.sources[i-1].key, t.sources[i].key) == 0 {
			return Set{}, setErr("hashes", invalid("hash", t.sources[i].key.String(), "listed twice"))
		}
	}
	return t, nil
}

func hashFromJSON(hj hashJSON) (source, error) {
	key := Source{V2: hj.V2, Capability: hj.Capability, Configuration: hj.Configuration, Future: hj.Future}
	if err := key.validate(); err != nil {
		return source{}, err
	}
	if key.V2 && key.Capability != "" && key.Configuration == "" {
		return source{}, invalid("source", key.String(), "a v2 capability hash has a configuration")
	}
	h := source{key: key, reason: hj.DisabledReason, status: hj.Status, summary: hj.Summary}
	if hj.Deadline != nil {
		if key.V2 {
			return source{}, invalid("deadline", "", "a v2 hash's deadline is deadline_text")
		}
		u := *hj.Deadline
		if u <= 0 || u > maxUnix {
			return source{}, invalid("deadline", strconv.FormatInt(u, 10), "outside 1970-01-01 to 9999-12-31")
		}
		h.deadline = time.Unix(u, 0).UTC()
	}
	for _, tt := range [2]struct {
		text string
		t    *time.Time
		dst  *string
	}{{hj.DeadlineText, &h.deadline, &h.deadlineText}, {hj.TransitionText, &h.transition, &h.transitionText}} {
		if tt.text == "" {
			continue
		}
		if !key.V2 {
			return source{}, invalid("time", clip(tt.text), "only a v2 hash has RFC 3339 times")
		}
		raw, _ := json.Marshal(tt.text)
		t, txt, err := parseV2Time(raw)
		if err != nil {
			return source{}, err
		}
		*tt.t, *tt.dst = t, txt
	}
	if h.reason != "" && (key.V2 || !validName(string(h.reason), MaxNameLen)) {
		return source{}, invalid("disabled reason", clip(string(h.reason)), "empty, too long, not printable, or in a v2 hash")
	}
	if h.status != "" && (key.V2 || key.Capability == "" || key.Future || !validName(string(h.status), MaxNameLen)) {
		return source{}, invalid("status", clip(string(h.status)), "only a v1 capability's current hash has a printable status")
	}
	if h.summary != "" && (!key.V2 || v2StatusOf(listBit(h.summary)) == "") {
		return source{}, invalid("summary status", clip(string(h.summary)), "only a v2 hash has one, a deadline status")
	}
	var err error
	known := v1HashMembers
	if key.V2 {
		known = v2HashMembers
	}
	if h.extra, err = membersFromMap(hj.Extra, known...); err != nil {
		return source{}, err
	}
	if h.objExtra, err = membersFromMap(hj.ObjectExtra, v1CapabilityMembers...); err != nil {
		return source{}, err
	}
	if h.summaryExtra, err = membersFromMap(hj.SummaryExtra, "minimum_deadline"); err != nil {
		return source{}, err
	}
	if h.minExtra, err = membersFromMap(hj.MinimumDeadlineExtra, "status", "time"); err != nil {
		return source{}, err
	}
	if (len(h.objExtra) > 0 && (key.V2 || key.Capability == "" || key.Future)) ||
		((len(h.summaryExtra) > 0 || len(h.minExtra) > 0) && !key.V2) {
		return source{}, invalid("unknown members", key.String(), "kept for an object this hash does not have")
	}
	if len(hj.Errors) > MaxItems || len(hj.Alternatives) > MaxItems {
		return source{}, invalid("items", key.String(), "more than MaxItems")
	}
	if key.V2 && (len(hj.Errors) > 0 || len(hj.Alternatives) > 0) {
		return source{}, invalid("items", key.String(), "a v2 hash keeps errors per entry and has no alternatives")
	}
	// Each slice made once, at its size: an entry is large, and growing
	// the slice by appending copied each one again and again.
	if len(hj.Errors) > 0 {
		h.errors = make([]errItem, 0, len(hj.Errors))
	}
	if len(hj.Alternatives) > 0 {
		h.alts = make([]altItem, 0, len(hj.Alternatives))
	}
	if len(hj.Entries) > 0 {
		h.entries = make([]entry, 0, len(hj.Entries))
	}
	for _, ej := range hj.Errors {
		er, err := errFromJSON(ej, true)
		if err != nil {
			return source{}, err
		}
		h.errors = append(h.errors, er)
	}
	for _, aj := range hj.Alternatives {
		a := altItem{alternative: aj.AlternativeFieldsDue, original: aj.OriginalFieldsDue}
		for _, l := range [2][]string{a.alternative, a.original} {
			if len(l) > MaxItems {
				return source{}, invalid("alternative", "", "more than MaxItems fields")
			}
			for _, f := range l {
				if !ValidField(f) {
					return source{}, invalid("alternative field", clip(f), "empty, too long or not printable")
				}
			}
		}
		if a.extra, err = membersFromMap(aj.Extra, "alternative_fields_due", "original_fields_due"); err != nil {
			return source{}, err
		}
		h.alts = append(h.alts, a)
	}
	for i := range hj.Entries {
		e, err := entryFromJSON(&hj.Entries[i], key)
		if err != nil {
			return source{}, err
		}
		h.entries = append(h.entries, e)
	}
	byKey := func(a, b entry) int { return compareEntryKey(a.field, a.kind, a.ref, b.field, b.kind, b.ref) }
	if !slices.IsSortedFunc(h.entries, byKey) { // the encoding's own order
		slices.SortFunc(h.entries, byKey)
	}
	for i := 1; i < len(h.entries); i++ {
		if byKey(h.entries[i-1], h.entries[i]) == 0 {
			return source{}, invalid("entry", h.entries[i].field, "field already held in this hash")
		}
	}
	return h, nil
}

func errFromJSON(ej errJSON, v1 bool) (errItem, error) {
	er := errItem{requirement: ej.Requirement, code: ej.Code, reason: ej.Reason}
	if err := (Error{Code: er.code, Reason: er.reason}).Validate(); err != nil {
		return errItem{}, err
	}
	if v1 != (er.requirement != "") {
		return errItem{}, invalid("error requirement", clip(er.requirement), "a v1 error names its requirement, a v2 entry's does not")
	}
	if v1 && !ValidField(er.requirement) {
		return errItem{}, invalid("error requirement", clip(er.requirement), "empty, too long or not printable")
	}
	known := []string{"code", "description"}
	if v1 {
		known = []string{"code", "reason", "requirement"}
	}
	var err error
	if er.extra, err = membersFromMap(ej.Extra, known...); err != nil {
		return errItem{}, err
	}
	return er, nil
}

func entryFromJSON(ej *entryJSON, key Source) (entry, error) {
	e := entry{field: ej.Field, kind: ej.Kind, awaiting: ej.Awaiting, v2status: ej.V2Status, ref: ej.Reference}
	if !ValidField(e.field) {
		return entry{}, invalid("field", clip(e.field), "empty, too long or not printable")
	}
	if !e.kind.Valid() {
		return entry{}, invalid("kind", e.kind.String(), "unknown kind")
	}
	for _, st := range ej.Lists {
		if !st.Valid() {
			return entry{}, invalid("list", string(st), "not a requirement list")
		}
		e.lists |= listBit(st)
	}
	if e.lists == 0 {
		return entry{}, invalid("lists", e.field, "an entry is in at least one list")
	}
	if ej.Deadline != nil {
		u := *ej.Deadline
		if u <= 0 || u > maxUnix {
			return entry{}, invalid("deadline", strconv.FormatInt(u, 10), "outside 1970-01-01 to 9999-12-31")
		}
		if !e.lists.Has(CurrentlyDue) && !e.lists.Has(PastDue) {
			return entry{}, invalid("deadline", e.field, "only currently due and past due entries have a deadline")
		}
		e.deadline = time.Unix(u, 0).UTC()
	}
	for _, c := range ej.Capabilities {
		if !c.Valid() {
			return entry{}, invalid("capability", clip(string(c)), "not a capability name")
		}
	}
	e.caps = slices.Clone(ej.Capabilities)
	slices.Sort(e.caps)
	e.caps = slices.Compact(e.caps)
	if len(ej.RequestedReasons) > MaxItems || len(ej.Errors) > MaxItems {
		return entry{}, invalid("items", e.field, "more than MaxItems")
	}
	var err error
	for _, r := range ej.RequestedReasons {
		if !validName(string(r.Code), MaxNameLen) {
			return entry{}, invalid("requested reason", clip(string(r.Code)), "empty or not printable")
		}
		ri := reasonItem{code: r.Code}
		if ri.extra, err = membersFromMap(r.Extra, "code"); err != nil {
			return entry{}, err
		}
		e.reasons = append(e.reasons, ri)
	}
	if e.awaiting != "" && !validName(e.awaiting, MaxNameLen) {
		return entry{}, invalid("awaiting_action_from", clip(e.awaiting), "not printable")
	}
	if e.v2status != "" && v2StatusOf(listBit(e.v2status)) == "" {
		return entry{}, invalid("v2 status", clip(string(e.v2status)), "not a deadline status")
	}
	if e.ref != "" {
		c, err := canonicalJSON([]byte(e.ref))
		if err != nil || c != e.ref {
			return entry{}, invalid("reference", clip(e.ref), "not compact JSON text")
		}
	}
	if !key.V2 && (e.awaiting != "" || e.v2status != "" || e.ref != "" || len(ej.Errors) > 0 || len(ej.Extra) > 0 || len(ej.DeadlineExtra) > 0 || len(ej.ImpactExtra) > 0) {
		return entry{}, invalid("entry", e.field, "holds v2 members in a v1 hash")
	}
	for _, x := range ej.Errors {
		er, err := errFromJSON(x, false)
		if err != nil {
			return entry{}, err
		}
		e.errs = append(e.errs, er)
	}
	known, dlKnown := v2EntryMembers, []string{"status"}
	if key.Capability != "" {
		known = v2RestrictMember
	}
	if e.extra, err = membersFromMap(ej.Extra, known...); err != nil {
		return entry{}, err
	}
	if e.dlExtra, err = membersFromMap(ej.DeadlineExtra, dlKnown...); err != nil {
		return entry{}, err
	}
	if e.impactExtra, err = membersFromMap(ej.ImpactExtra, "restricts_capabilities"); err != nil {
		return entry{}, err
	}
	return e, nil
}

func setErr(member string, err error) error {
	return &DecodeError{Encoding: "set", Member: member, Err: err}
}

// legacySetJSON is the version-less encoding of connectkit before the
// lossless model.
type legacySetJSON struct {
	CurrentDeadline      *int64            `json:"current_deadline,omitempty"`
	DisabledReason       DisabledReason    `json:"disabled_reason,omitempty"`
	FutureDeadline       *int64            `json:"future_current_deadline,omitempty"`
	FutureDisabledReason DisabledReason    `json:"future_disabled_reason,omitempty"`
	V1Extra              map[string]string `json:"v1_extra,omitempty"`
	FutureV1Extra        map[string]string `json:"future_v1_extra,omitempty"`
	Entries              []struct {
		Field        string       `json:"field"`
		Kind         Kind         `json:"kind"`
		Status       Status       `json:"status"`
		Future       bool         `json:"future,omitempty"`
		Capabilities []Capability `json:"capabilities,omitempty"`
		Errors       []struct {
			Code   ErrorCode `json:"code"`
			Reason string    `json:"reason"`
		} `json:"errors,omitempty"`
		Alternatives []struct {
			AlternativeFieldsDue []string `json:"alternative_fields_due"`
		} `json:"alternatives,omitempty"`
		RequestedReasons []struct {
			Code RequestedReason `json:"code"`
		} `json:"requested_reasons,omitempty"`
	} `json:"entries"`
}

func fromLegacyJSON(data []byte) (Set, error) {
	// encoding/json matches struct fields ignoring case: check first that
	// every member name is a field's tag exactly.
	var raw any
	if err := json.Unmarshal(data, &raw); err != nil {
		return Set{}, setErr("", err)
	}
	if err := exactNames(raw, reflect.TypeFor[legacySetJSON]()); err != nil {
		return Set{}, setErr("", err)
	}
	var w legacySetJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Set{}, setErr("", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Set{}, setErr("", errors.New("trailing data after the set"))
	}
	if len(w.Entries) > MaxEntries {
		return Set{}, setErr("entries", invalid("entries", itoa(len(w.Entries)), "more than MaxEntries"))
	}
	entries := make([]Entry, 0, len(w.Entries))
	for _, j := range w.Entries {
		e := Entry{Field: j.Field, Kind: j.Kind, Status: j.Status, Future: j.Future, Capabilities: j.Capabilities}
		for _, er := range j.Errors {
			e.Errors = append(e.Errors, Error{Code: er.Code, Reason: er.Reason})
		}
		for _, a := range j.Alternatives {
			e.Alternatives = append(e.Alternatives, a.AlternativeFieldsDue)
		}
		for _, r := range j.RequestedReasons {
			e.RequestedReasons = append(e.RequestedReasons, r.Code)
		}
		entries = append(entries, e)
	}
	t, err := NewSet(entries...)
	if err != nil {
		return Set{}, setErr("entries", err)
	}
	for _, h := range [2]struct {
		future   bool
		deadline *int64
		reason   DisabledReason
		extra    map[string]string
	}{{false, w.CurrentDeadline, w.DisabledReason, w.V1Extra}, {true, w.FutureDeadline, w.FutureDisabledReason, w.FutureV1Extra}} {
		if h.deadline != nil {
			u := *h.deadline
			if u <= 0 || u > maxUnix {
				return Set{}, setErr("current_deadline", invalid("timestamp", strconv.FormatInt(u, 10), "outside 1970-01-01 to 9999-12-31"))
			}
			if err := t.SetDeadline(h.future, time.Unix(u, 0)); err != nil {
				return Set{}, setErr("current_deadline", err)
			}
		}
		if h.reason != "" {
			if err := t.SetDisabledReason(Source{Future: h.future}, h.reason); err != nil {
				return Set{}, setErr("disabled_reason", err)
			}
		}
		if len(h.extra) > 0 {
			ms, err := membersFromMap(h.extra, v1HashMembers...)
			if err != nil {
				return Set{}, setErr("v1_extra", err)
			}
			t.sourceFor(Source{Future: h.future}).extra = ms
		}
	}
	return t, nil
}

// exactNames reports the first member of v (decoded JSON) whose name is
// not exactly the json tag of a field of t, at any depth: the names
// encoding/json would match to a field only by ignoring case, or not at
// all.
func exactNames(v any, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case []any:
		if t.Kind() == reflect.Slice {
			for _, e := range x {
				if err := exactNames(e, t.Elem()); err != nil {
					return err
				}
			}
		}
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return nil // a map keeps every name as it is
		}
		for name, e := range x {
			f, ok := fieldByTag(t, name)
			if !ok {
				return unknownField(name)
			}
			if err := exactNames(e, f.Type); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldByTag returns the field of struct type t whose json tag names
// name exactly.
func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "" {
			tag = f.Name
		}
		if tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
