package requirements

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Impact says which capabilities each field of the account's v1 hashes
// affects. Stripe's v1 account hashes do not carry it (each capability has
// its own hash: decode the capabilities and Merge them for Stripe's word),
// so a caller may supply it when decoding; Set.Impact returns it. A nil
// Impact means none. Safe for concurrent reads.
type Impact map[string][]Capability

// v1HashMembers are the members of a v1 requirements hash.
var v1HashMembers = []string{
	"alternatives", "current_deadline", "currently_due", "disabled_reason",
	"errors", "eventually_due", "past_due", "pending_verification",
}

// DecodeV1 decodes a Stripe v1 object into a Set, keeping what Stripe said
// losslessly (see Set):
//
//   - an `account` object: its `requirements` and `future_requirements`
//     hashes and its `capabilities` map (other members of the account —
//     business_profile, email, settings — belong to package account and
//     are not kept);
//   - a bare `{"requirements": …, "future_requirements": …}` (no
//     "object" member), read as an account's hashes;
//   - a `capability` object (`capability.updated`'s data.object): both its
//     hashes, its status, and its other members (account, requested,
//     requested_at) verbatim;
//   - a `list` of capability objects (GET /v1/accounts/{id}/capabilities).
//
// A hash sent as null counts as absent (Stripe never sends one null): an
// account or bare object with no hash but null ones is a wrong object,
// never an empty complete set.
//
// Every list membership is kept (a field may be currently due and pending
// verification at once), each hash's current_deadline and disabled_reason
// verbatim, every `errors` and `alternatives` item with its unknown
// members (a field named only there is accepted), and the unknown members
// of every hash. Member names match exactly as Stripe spells them; another
// spelling is an unknown member. A null or missing list is an empty list.
// impact gives capabilities to the account-level fields.
//
// Anything else is a *WrongObjectError saying what was seen (an event
// envelope, "object": "customer", an Accounts v2 account, an empty
// object): never an empty, complete Set. Malformed input (wrong JSON types,
// a deadline outside 1970–9999, a name that is empty, too long, not
// printable or holds NUL, a reason with NUL or invalid UTF-8, a value over
// a limit of model.go) is a *DecodeError wrapping ErrMalformed. Decoding
// is linear in the input (entries are sorted once per hash).
func DecodeV1(data []byte, impact Impact) (Set, error) {
	if len(data) > MaxInputBytes {
		return Set{}, &DecodeError{Encoding: "v1", Err: invalid("input", itoa(len(data))+" bytes", "larger than MaxInputBytes")}
	}
	top, err := jsonTop(data)
	if err != nil {
		return Set{}, &DecodeError{Encoding: "v1", Err: err}
	}
	if top == nil {
		return Set{}, &WrongObjectError{Decoder: "v1", Want: "an account, a capability or a list of capabilities", Seen: "null"}
	}
	obj, err := objectName(top)
	if err != nil {
		return Set{}, &DecodeError{Encoding: "v1", Member: "object", Err: err}
	}
	var s Set
	switch obj {
	case "account", "":
		if !top.has("requirements") && !top.has("future_requirements") {
			return Set{}, wrongV1(obj, top)
		}
		s.object = obj
		if err := s.decodeV1Account(top, impact); err != nil {
			return Set{}, err
		}
	case "capability":
		s.object = obj
		if _, err := s.decodeV1Capability(data, ""); err != nil {
			return Set{}, err
		}
		s.id = string(s.sources[0].key.Capability)
	case "list":
		s.object = obj
		if err := s.decodeV1List(data); err != nil {
			return Set{}, err
		}
	default:
		return Set{}, wrongV1(obj, top)
	}
	return s, nil
}

// objectName returns the "object" member ("" when absent).
func objectName(top object) (string, error) {
	raw, ok := top["object"]
	if !ok {
		return "", nil
	}
	var obj string
	if err := jsonString(raw, &obj); err != nil {
		return "", err
	}
	if obj == "" {
		return "", invalid("object", "", "empty")
	}
	return obj, nil
}

func wrongV1(obj string, top object) error {
	w := &WrongObjectError{Decoder: "v1", Want: "an account, a capability or a list of capabilities", Seen: seen(obj, top)}
	switch {
	case obj == "event" || strings.HasSuffix(obj, ".event") || strings.Contains(obj, "event_notification"):
		w.Hint = "an event envelope: decode its data.object"
	case strings.HasPrefix(obj, "v2."):
		w.Hint = "an Accounts v2 object: use DecodeV2"
	case obj == "account":
		w.Seen = "an account without requirements or future_requirements"
	}
	return w
}

// seen describes an object for an error message.
func seen(obj string, top object) string {
	if obj != "" {
		return "object " + strconv.Quote(clip(obj))
	}
	if len(top) == 0 {
		return "an empty object"
	}
	names := make([]string, 0, len(top))
	for n := range top {
		names = append(names, strconv.Quote(clip(n)))
	}
	slices.Sort(names)
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	return "an object with members " + strings.Join(names, ", ") + " and no \"object\""
}

func (s *Set) decodeV1Account(top object, impact Impact) error {
	if raw, ok := top["id"]; ok && !isNull(raw) {
		if err := jsonString(raw, &s.id); err != nil || !validName(s.id, MaxNameLen) {
			return &DecodeError{Encoding: "v1", Member: "id", Err: orInvalid(err, "id", s.id)}
		}
	}
	if raw, ok := top["capabilities"]; ok && !isNull(raw) {
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return &DecodeError{Encoding: "v1", Member: "capabilities", Err: err}
		}
		if len(m) > MaxSources {
			return &DecodeError{Encoding: "v1", Member: "capabilities", Err: invalid("capabilities", itoa(len(m)), "more than MaxSources")}
		}
		s.accountCaps = make([]capState, 0, len(m))
		for c, st := range m {
			if !Capability(c).Valid() || !validName(st, MaxNameLen) {
				return &DecodeError{Encoding: "v1", Member: "capabilities", Err: invalid("capability status", clip(c)+": "+clip(st), "empty, too long or not printable")}
			}
			s.accountCaps = append(s.accountCaps, capState{Capability(c), CapabilityStatus(st)})
		}
		slices.SortFunc(s.accountCaps, func(a, b capState) int { return strings.Compare(string(a.capability), string(b.capability)) })
	}
	for _, future := range [2]bool{false, true} {
		name := "requirements"
		if future {
			name = "future_requirements"
		}
		raw, ok := top[name]
		if !ok || isNull(raw) {
			continue // Stripe never sends a null hash: absent
		}
		h, err := decodeV1Hash(raw, Source{Future: future}, impact, s.Len())
		if err != nil {
			return err
		}
		s.sources = append(s.sources, h)
	}
	return nil
}

var v1CapabilityMembers = []string{"id", "object", "requirements", "future_requirements", "status"}

// decodeV1Capability decodes one capability object and adds its hashes;
// it returns the capability's name. where locates it in a list.
func (s *Set) decodeV1Capability(data json.RawMessage, where string) (Capability, error) {
	o, extra, err := parseObject(data, false, v1CapabilityMembers...)
	if err != nil {
		return "", &DecodeError{Encoding: "v1", Member: where, Err: err}
	}
	obj, err := objectName(o)
	if err != nil || obj != "capability" {
		return "", &WrongObjectError{Decoder: "v1", Want: "a capability at " + where, Seen: seen(obj, o)}
	}
	var id, status string
	if err := jsonString(o["id"], &id); err != nil || !Capability(id).Valid() {
		return "", &DecodeError{Encoding: "v1", Member: where + "id", Err: orInvalid(err, "capability id", id)}
	}
	if raw, ok := o["status"]; ok && !isNull(raw) {
		if err := jsonString(raw, &status); err != nil || !validName(status, MaxNameLen) {
			return "", &DecodeError{Encoding: "v1", Member: where + "status", Err: orInvalid(err, "capability status", status)}
		}
	}
	c := Capability(id)
	if s.source(Source{Capability: c}) != nil || s.source(Source{Capability: c, Future: true}) != nil {
		return "", &DecodeError{Encoding: "v1", Member: where + "id", Err: invalid("capability", id, "listed twice")}
	}
	if len(s.sources)+2 > MaxSources {
		return "", &DecodeError{Encoding: "v1", Member: where, Err: invalid("capabilities", "", "more than MaxSources hashes")}
	}
	cur := source{key: Source{Capability: c}, status: CapabilityStatus(status), objExtra: extra}
	if raw, ok := o["requirements"]; ok && !isNull(raw) {
		h, err := decodeV1Hash(raw, cur.key, nil, s.Len())
		if err != nil {
			return "", err
		}
		h.status, h.objExtra = cur.status, cur.objExtra
		cur = h
	}
	s.sources = append(s.sources, cur)
	if raw, ok := o["future_requirements"]; ok && !isNull(raw) {
		h, err := decodeV1Hash(raw, Source{Capability: c, Future: true}, nil, s.Len())
		if err != nil {
			return "", err
		}
		s.sources = append(s.sources, h)
	}
	slices.SortFunc(s.sources, func(a, b source) int { return compareSources(a.key, b.key) })
	return c, nil
}

func (s *Set) decodeV1List(data []byte) error {
	o, extra, err := parseObject(data, false, "object", "data")
	if err != nil {
		return &DecodeError{Encoding: "v1", Err: err}
	}
	s.extra = extra
	var items []json.RawMessage
	if err := jsonArrayInto(o["data"], &items); err != nil {
		return &DecodeError{Encoding: "v1", Member: "data", Err: err}
	}
	if items == nil {
		return &WrongObjectError{Decoder: "v1", Want: "a list of capabilities", Seen: "a list without data"}
	}
	for i, it := range items {
		if _, err := s.decodeV1Capability(it, "data["+itoa(i)+"]."); err != nil {
			return err
		}
	}
	return nil
}

func orInvalid(err error, what, v string) error {
	if err != nil {
		return err
	}
	return invalid(what, clip(v), "empty, too long or not printable")
}

// decodeV1Hash decodes one v1 requirements hash; have is the number of
// entries already decoded (for MaxEntries).
func decodeV1Hash(raw json.RawMessage, key Source, impact Impact, have int) (source, error) {
	h := source{key: key}
	fail := func(member string, err error) (source, error) {
		return source{}, &DecodeError{Encoding: "v1", Hash: key.String(), Member: member, Err: err}
	}
	o, extra, err := parseObject(raw, true, v1HashMembers...)
	if err != nil {
		return fail("", err)
	}
	h.extra = extra
	if v := o["current_deadline"]; !isNull(v) {
		var u int64
		if err := jsonInt64(v, &u); err != nil {
			return fail("current_deadline", err)
		}
		if u <= 0 || u > maxUnix {
			return fail("current_deadline", invalid("timestamp", strconv.FormatInt(u, 10), "outside 1970-01-01 to 9999-12-31"))
		}
		h.deadline = time.Unix(u, 0).UTC()
	}
	if v := o["disabled_reason"]; !isNull(v) {
		var r string
		if err := jsonString(v, &r); err != nil {
			return fail("disabled_reason", err)
		}
		if !validName(r, MaxNameLen) {
			return fail("disabled_reason", invalid("disabled reason", clip(r), "empty, too long or not printable"))
		}
		h.reason = DisabledReason(r)
	}
	// The lists name the same fields again and again (currently due ones
	// are eventually due too): a field is looked up by its bytes and made
	// a string once, cut from text. Lists of plain strings (the usual
	// case) are read in place; others through encoding/json.
	var lists [len(allStatuses)]json.RawMessage
	var plain [len(allStatuses)]bool
	most := 0
	for k, st := range allStatuses {
		if v := o[string(st)]; !isNull(v) {
			n, ok := plainStrings(v)
			lists[k], plain[k], most = v, ok, max(most, n)
		}
	}
	// Sized for the longest list, but no more than the hash's bytes could
	// hold in distinct fields (a list may repeat one name), and trimmed
	// below if duplicates left most of it empty.
	most = max(0, min(most, MaxEntries-have, len(raw)/32))
	index := make(map[string]int, most)
	h.entries = make([]entry, 0, most)
	text := textArena{max: len(raw)}
	add := func(member string, st Status, f []byte) error {
		i, ok := index[string(f)]
		if !ok {
			if !ValidField(unsafeString(f)) {
				return invalid("field", clip(string(f)), "empty, too long or not printable")
			}
			if have+len(h.entries) >= MaxEntries {
				return invalid("entries", "", "more than MaxEntries")
			}
			name := text.string(f)
			i = len(h.entries)
			index[name] = i
			h.entries = append(h.entries, entry{field: name})
		}
		h.entries[i].lists |= listBit(st)
		return nil
	}
	for k, st := range allStatuses {
		member := string(st)
		if lists[k] == nil {
			continue
		}
		var err error
		if plain[k] {
			eachElement(lists[k], func(v []byte) bool {
				err = add(member, st, v[1:len(v)-1])
				return err == nil
			})
		} else {
			var list []string
			if err = jsonStrings(lists[k], &list); err != nil {
				return fail(member, err)
			}
			for _, f := range list {
				if err = add(member, st, []byte(f)); err != nil {
					break
				}
			}
		}
		if err != nil {
			return fail(member, err)
		}
	}
	if key.Capability == "" {
		for i := range h.entries {
			e := &h.entries[i]
			for _, c := range impact[e.field] {
				if !c.Valid() {
					return fail("", invalid("impact capability", clip(string(c)), "not a capability name"))
				}
				e.caps = append(e.caps, c)
			}
			slices.Sort(e.caps)
			e.caps = slices.Compact(e.caps)
		}
	}
	if cap(h.entries) > 2*len(h.entries)+8 { // the Set keeps entries: no room left empty
		h.entries = slices.Clip(slices.Clone(h.entries))
	}
	slices.SortFunc(h.entries, func(a, b entry) int { return strings.Compare(a.field, b.field) })
	if v := o["errors"]; !isNull(v) {
		var items []json.RawMessage
		if err := jsonArrayInto(v, &items); err != nil {
			return fail("errors", err)
		}
		if len(items) > MaxItems {
			return fail("errors", invalid("errors", itoa(len(items)), "more than MaxItems"))
		}
		for i, it := range items {
			er, err := decodeErrItem(it, "requirement", "reason")
			if err != nil {
				return fail("errors["+itoa(i)+"]", err)
			}
			h.errors = append(h.errors, er)
		}
	}
	if v := o["alternatives"]; !isNull(v) {
		var items []json.RawMessage
		if err := jsonArrayInto(v, &items); err != nil {
			return fail("alternatives", err)
		}
		if len(items) > MaxItems {
			return fail("alternatives", invalid("alternatives", itoa(len(items)), "more than MaxItems"))
		}
		for i, it := range items {
			a, err := decodeAltItem(it)
			if err != nil {
				return fail("alternatives["+itoa(i)+"]", err)
			}
			h.alts = append(h.alts, a)
		}
	}
	return h, nil
}

// decodeErrItem decodes an errors item: v1 {code, reason, requirement},
// v2 {code, description} (req == "").
func decodeErrItem(raw json.RawMessage, req, text string) (errItem, error) {
	known := []string{"code", text}
	if req != "" {
		known = append(known, req)
	}
	o, extra, err := parseObject(raw, false, known...)
	if err != nil {
		return errItem{}, err
	}
	var er errItem
	er.extra = extra
	var code string
	if err := jsonString(o["code"], &code); err != nil {
		return errItem{}, err
	}
	er.code = ErrorCode(code)
	if v := o[text]; !isNull(v) {
		if err := jsonString(v, &er.reason); err != nil {
			return errItem{}, err
		}
	}
	if err := (Error{Code: er.code, Reason: er.reason}).Validate(); err != nil {
		return errItem{}, err
	}
	if req != "" {
		if err := jsonString(o[req], &er.requirement); err != nil {
			return errItem{}, err
		}
		if !ValidField(er.requirement) {
			return errItem{}, invalid("error requirement", clip(er.requirement), "empty, too long or not printable")
		}
	}
	return er, nil
}

func decodeAltItem(raw json.RawMessage) (altItem, error) {
	o, extra, err := parseObject(raw, false, "alternative_fields_due", "original_fields_due")
	if err != nil {
		return altItem{}, err
	}
	a := altItem{extra: extra}
	for _, m := range [2]struct {
		name string
		dst  *[]string
	}{{"alternative_fields_due", &a.alternative}, {"original_fields_due", &a.original}} {
		if v := o[m.name]; !isNull(v) {
			if err := jsonStrings(v, m.dst); err != nil {
				return altItem{}, err
			}
		}
		if len(*m.dst) > MaxItems {
			return altItem{}, invalid(m.name, itoa(len(*m.dst)), "more than MaxItems fields")
		}
		for _, f := range *m.dst {
			if !ValidField(f) {
				return altItem{}, invalid(m.name, clip(f), "empty, too long or not printable")
			}
		}
	}
	return a, nil
}

// EncodeV1 encodes s in Stripe's v1 shape, the shape it was decoded from:
// a capability object or a list of them for a set decoded from one (see
// EncodeV1Capabilities), otherwise an account object (with "object" and
// "id" when the set has them) holding both hashes, always present. For
// every payload p DecodeV1 accepts, EncodeV1(DecodeV1(p)) equals p up to
// the order of list elements and object members, with these normalised:
// a null or missing list is written [], a missing current_deadline or
// disabled_reason null, a missing hash all empty; members of an account
// object other than object, id, capabilities and the two hashes are not
// kept. Unknown members are written after the known ones, by name. What v1
// cannot carry is left out: information requests, v2 hashes, entries' own
// deadlines (the hash's is written), Impact (see Set.Impact), requested
// reasons.
func EncodeV1(s Set) ([]byte, error) {
	switch s.object {
	case "capability":
		caps := s.v1Capabilities()
		if len(caps) != 1 {
			return nil, invalid("capability", itoa(len(caps)), "a capability set holds one v1 capability")
		}
		return s.encodeV1Capability(caps[0])
	case "list":
		return EncodeV1Capabilities(s)
	}
	var w objWriter
	if s.object != "" {
		w.value("object", s.object)
	}
	if s.id != "" {
		w.value("id", s.id)
	}
	if s.accountCaps != nil {
		m := make(map[string]string, len(s.accountCaps))
		for _, c := range s.accountCaps {
			m[string(c.capability)] = string(c.status)
		}
		w.value("capabilities", m)
	}
	for _, future := range [2]bool{false, true} {
		name := "requirements"
		if future {
			name = "future_requirements"
		}
		b, err := s.encodeV1Hash(s.source(Source{Future: future}))
		if err != nil {
			return nil, err
		}
		w.raw(name, b)
	}
	return w.bytes()
}

// EncodeV1Capabilities encodes the v1 capabilities' hashes of s as a v1
// list object (`{"object": "list", "data": [capability, …]}`), by name.
func EncodeV1Capabilities(s Set) ([]byte, error) {
	var w objWriter
	w.value("object", "list")
	data := []byte{'['}
	for i, c := range s.v1Capabilities() {
		b, err := s.encodeV1Capability(c)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			data = append(data, ',')
		}
		data = append(data, b...)
	}
	w.raw("data", append(data, ']'))
	w.members(s.extra)
	return w.bytes()
}

// v1Capabilities lists the capabilities with a v1 hash, by name.
func (s Set) v1Capabilities() []Capability {
	var out []Capability
	for _, h := range s.sources {
		if !h.key.V2 && h.key.Capability != "" && (len(out) == 0 || out[len(out)-1] != h.key.Capability) {
			out = append(out, h.key.Capability)
		}
	}
	return out
}

func (s Set) encodeV1Capability(c Capability) ([]byte, error) {
	cur := s.source(Source{Capability: c})
	var w objWriter
	w.value("id", string(c))
	w.value("object", "capability")
	for _, future := range [2]bool{false, true} {
		name := "requirements"
		if future {
			name = "future_requirements"
		}
		b, err := s.encodeV1Hash(s.source(Source{Capability: c, Future: future}))
		if err != nil {
			return nil, err
		}
		w.raw(name, b)
	}
	if cur != nil {
		if cur.status != "" {
			w.value("status", string(cur.status))
		}
		w.members(cur.objExtra)
	}
	return w.bytes()
}

type v1AltJSON struct {
	AlternativeFieldsDue []string `json:"alternative_fields_due"`
	OriginalFieldsDue    []string `json:"original_fields_due"`
}

type v1ErrJSON struct {
	Code        ErrorCode `json:"code"`
	Reason      string    `json:"reason"`
	Requirement string    `json:"requirement"`
}

func (s Set) encodeV1Hash(h *source) ([]byte, error) {
	lists := [4][]string{{}, {}, {}, {}}
	var w objWriter
	if h == nil {
		h = &source{}
	}
	alts := []byte{'['}
	for i, a := range h.alts {
		b, err := withMembers(v1AltJSON{nonNil(a.alternative), nonNil(a.original)}, a.extra)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			alts = append(alts, ',')
		}
		alts = append(alts, b...)
	}
	w.raw("alternatives", append(alts, ']'))
	if h.deadline.IsZero() {
		w.raw("current_deadline", []byte("null"))
	} else {
		w.value("current_deadline", h.deadline.Unix())
	}
	for _, e := range h.entries {
		if e.kind != Requirement {
			continue
		}
		for k, st := range allStatuses {
			if e.lists.Has(st) {
				lists[k] = append(lists[k], e.field)
			}
		}
	}
	w.value("currently_due", lists[0])
	if h.reason == "" {
		w.raw("disabled_reason", []byte("null"))
	} else {
		w.value("disabled_reason", string(h.reason))
	}
	errs := []byte{'['}
	for i, er := range h.errors {
		b, err := withMembers(v1ErrJSON{er.code, er.reason, er.requirement}, er.extra)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			errs = append(errs, ',')
		}
		errs = append(errs, b...)
	}
	w.raw("errors", append(errs, ']'))
	w.value("eventually_due", lists[1])
	w.value("past_due", lists[2])
	w.value("pending_verification", lists[3])
	w.members(h.extra)
	return w.bytes()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// withMembers marshals v (a struct encoding to an object) and appends the
// unknown members.
func withMembers(v any, extra []member) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var w objWriter
	w.members(extra)
	x, _ := w.bytes()
	if len(b) == 2 {
		return x, nil
	}
	out := append(b[:len(b)-1:len(b)-1], ',')
	return append(out, x[1:]...), nil
}
