package requirements

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// v2TimeLayout is how Accounts v2 writes times: RFC 3339, UTC, milliseconds.
const v2TimeLayout = "2006-01-02T15:04:05.000Z07:00"

var (
	v2HashMembers    = []string{"entries", "summary", "minimum_transition_date"}
	v2EntryMembers   = []string{"awaiting_action_from", "description", "errors", "impact", "minimum_deadline", "reference", "requested_reasons"}
	v2RestrictMember = []string{"capability", "configuration", "deadline"}
)

// v2StatusOf is the v2 deadline status the lists say: the most pressing
// due list, or "".
func v2StatusOf(l Lists) Status {
	switch {
	case l.Has(PastDue):
		return PastDue
	case l.Has(CurrentlyDue):
		return CurrentlyDue
	case l.Has(EventuallyDue):
		return EventuallyDue
	}
	return ""
}

// DecodeV2 decodes an Accounts v2 account (`"object": "v2.core.account"`,
// retrieved with include requirements and/or future_requirements) into a
// Set, keeping what Stripe said losslessly:
//
//   - each entry of `requirements.entries` and `future_requirements.entries`
//     becomes an entry of the account's v2 hash (Source{V2: true}), field
//     = its `description`, in the list its `minimum_deadline.status` names;
//     `awaiting_action_from: "stripe"`, the v2 form of "under review", also
//     puts it in pending_verification (Lists); its errors, reference,
//     requested reasons and unknown members are kept;
//   - each `impact.restricts_capabilities[]` item puts the field in the
//     hash of that capability and configuration (Source{V2: true,
//     Capability, Configuration}), in the list its `deadline.status` names;
//   - `summary.minimum_deadline` ({status, time}) is the hash's deadline,
//     the due date of its currently and past due entries; and
//     `minimum_transition_date` is kept.
//
// A hash sent as null counts as absent. Times are RFC 3339 and kept as
// written. Other members of the account
// (configuration, identity, defaults) belong to package account and are
// not kept. Anything but a v2 account holding a requirements hash — a v1
// object, an event, an empty object — is a *WrongObjectError saying what
// was seen; malformed input is a *DecodeError wrapping ErrMalformed (an
// unknown minimum_deadline status included: it decides urgency). Decoding
// is linear in the input.
func DecodeV2(data []byte) (Set, error) {
	if len(data) > MaxInputBytes {
		return Set{}, &DecodeError{Encoding: "v2", Err: invalid("input", itoa(len(data))+" bytes", "larger than MaxInputBytes")}
	}
	top, err := jsonTop(data)
	if err != nil {
		return Set{}, &DecodeError{Encoding: "v2", Err: err}
	}
	want := "an Accounts v2 account (object \"v2.core.account\") with requirements or future_requirements"
	if top == nil {
		return Set{}, &WrongObjectError{Decoder: "v2", Want: want, Seen: "null"}
	}
	obj, err := objectName(top)
	if err != nil {
		return Set{}, &DecodeError{Encoding: "v2", Member: "object", Err: err}
	}
	if obj != "v2.core.account" || (!top.has("requirements") && !top.has("future_requirements")) {
		w := &WrongObjectError{Decoder: "v2", Want: want, Seen: seen(obj, top)}
		switch {
		case obj == "v2.core.account":
			w.Seen, w.Hint = "a v2 account without requirements", "retrieve it with include=requirements"
		case obj == "account" || obj == "capability" || obj == "list":
			w.Hint = "a v1 object: use DecodeV1"
		case strings.Contains(obj, "event"):
			w.Hint = "an event: fetch the account it names"
		}
		return Set{}, w
	}
	s := Set{object: obj}
	if raw, ok := top["id"]; ok && !isNull(raw) {
		if err := jsonString(raw, &s.id); err != nil || !validName(s.id, MaxNameLen) {
			return Set{}, &DecodeError{Encoding: "v2", Member: "id", Err: orInvalid(err, "id", s.id)}
		}
	}
	for _, future := range [2]bool{false, true} {
		name := "requirements"
		if future {
			name = "future_requirements"
		}
		raw, ok := top[name]
		if !ok || isNull(raw) {
			continue // null is absent, as in DecodeV1
		}
		if err := s.decodeV2Hash(raw, future); err != nil {
			return Set{}, err
		}
	}
	slices.SortFunc(s.sources, func(a, b source) int { return compareSources(a.key, b.key) })
	return s, nil
}

func parseV2Time(raw json.RawMessage) (time.Time, string, error) {
	var txt string
	if err := jsonString(raw, &txt); err != nil {
		return time.Time{}, "", err
	}
	t, err := time.Parse(time.RFC3339Nano, txt)
	if err != nil || len(txt) > MaxNameLen {
		return time.Time{}, "", invalid("time", clip(txt), "not an RFC 3339 time")
	}
	if u := t.Unix(); u <= 0 || u > maxUnix {
		return time.Time{}, "", invalid("time", txt, "outside 1970-01-01 to 9999-12-31")
	}
	return t.UTC(), txt, nil
}

func parseV2Status(raw json.RawMessage) (Status, error) {
	var st Status
	if err := jsonString(raw, (*string)(&st)); err != nil {
		return "", err
	}
	if st != CurrentlyDue && st != EventuallyDue && st != PastDue {
		return "", invalid("deadline status", clip(string(st)), "want currently_due, eventually_due or past_due")
	}
	return st, nil
}

func (s *Set) decodeV2Hash(raw json.RawMessage, future bool) error {
	key := Source{V2: true, Future: future}
	fail := func(member string, err error) error {
		return &DecodeError{Encoding: "v2", Hash: key.String(), Member: member, Err: err}
	}
	o, extra, err := parseObject(raw, true, v2HashMembers...)
	if err != nil {
		return fail("", err)
	}
	h := source{key: key, extra: extra}
	if v, ok := o["minimum_transition_date"]; ok && !isNull(v) {
		if h.transition, h.transitionText, err = parseV2Time(v); err != nil {
			return fail("minimum_transition_date", err)
		}
	}
	if v, ok := o["summary"]; ok && !isNull(v) {
		so, sx, err := parseObject(v, false, "minimum_deadline")
		if err != nil {
			return fail("summary", err)
		}
		h.summaryExtra = sx
		if md, ok := so["minimum_deadline"]; ok && !isNull(md) {
			mo, mx, err := parseObject(md, false, "status", "time")
			if err != nil {
				return fail("summary.minimum_deadline", err)
			}
			h.minExtra = mx
			if h.summary, err = parseV2Status(mo["status"]); err != nil {
				return fail("summary.minimum_deadline.status", err)
			}
			if tv, ok := mo["time"]; ok && !isNull(tv) {
				if h.deadline, h.deadlineText, err = parseV2Time(tv); err != nil {
					return fail("summary.minimum_deadline.time", err)
				}
			}
		}
	}
	var items []json.RawMessage
	if v := o["entries"]; !isNull(v) {
		if err := jsonArrayInto(v, &items); err != nil {
			return fail("entries", err)
		}
	}
	if s.Len()+len(items) > MaxEntries {
		return fail("entries", invalid("entries", itoa(len(items)), "more than MaxEntries"))
	}
	caps := map[Source]*source{}
	var capOrder []*source
	for i, it := range items {
		where := "entries[" + itoa(i) + "]"
		e, restricts, err := decodeV2Entry(it)
		if err != nil {
			return fail(where, err)
		}
		h.entries = append(h.entries, e)
		for _, r := range restricts {
			k := Source{V2: true, Capability: r.capability, Configuration: r.configuration, Future: future}
			c := caps[k]
			if c == nil {
				if len(s.sources)+len(caps)+2 > MaxSources {
					return fail(where, invalid("capabilities", "", "more than MaxSources hashes"))
				}
				c = &source{key: k}
				caps[k] = c
				capOrder = append(capOrder, c)
			}
			r.e.field, r.e.ref = e.field, e.ref
			c.entries = append(c.entries, r.e)
		}
	}
	byKey := func(a, b entry) int { return compareEntryKey(a.field, a.kind, a.ref, b.field, b.kind, b.ref) }
	slices.SortFunc(h.entries, byKey)
	for i := 1; i < len(h.entries); i++ {
		if byKey(h.entries[i-1], h.entries[i]) == 0 {
			return fail("entries", invalid("entry", h.entries[i].field, "listed twice with the same reference"))
		}
	}
	s.sources = append(s.sources, h)
	for _, c := range capOrder {
		slices.SortFunc(c.entries, byKey)
		for i := 1; i < len(c.entries); i++ {
			if byKey(c.entries[i-1], c.entries[i]) == 0 {
				return fail("entries", invalid("restricts_capabilities", string(c.key.Capability), "listed twice for one entry"))
			}
		}
		s.sources = append(s.sources, *c)
	}
	return nil
}

type restrict struct {
	capability    Capability
	configuration string
	e             entry
}

func decodeV2Entry(raw json.RawMessage) (entry, []restrict, error) {
	o, extra, err := parseObject(raw, false, v2EntryMembers...)
	if err != nil {
		return entry{}, nil, err
	}
	e := entry{extra: extra}
	if err := jsonString(o["description"], &e.field); err != nil {
		return entry{}, nil, err
	}
	if !ValidField(e.field) {
		return entry{}, nil, invalid("description", clip(e.field), "empty, too long or not printable")
	}
	if err := jsonString(o["awaiting_action_from"], &e.awaiting); err != nil {
		return entry{}, nil, err
	}
	if !validName(e.awaiting, MaxNameLen) {
		return entry{}, nil, invalid("awaiting_action_from", clip(e.awaiting), "empty, too long or not printable")
	}
	mo, mx, err := parseObject(o["minimum_deadline"], false, "status")
	if err != nil {
		return entry{}, nil, err
	}
	e.dlExtra = mx
	if e.v2status, err = parseV2Status(mo["status"]); err != nil {
		return entry{}, nil, err
	}
	e.lists = listBit(e.v2status)
	if e.awaiting == "stripe" {
		e.lists |= listBit(PendingVerification)
	}
	if v, ok := o["reference"]; ok {
		if e.ref, err = canonicalJSON(v); err != nil {
			return entry{}, nil, err
		}
	}
	if v := o["errors"]; !isNull(v) {
		var items []json.RawMessage
		if err := jsonArrayInto(v, &items); err != nil {
			return entry{}, nil, err
		}
		if len(items) > MaxItems {
			return entry{}, nil, invalid("errors", itoa(len(items)), "more than MaxItems")
		}
		for _, it := range items {
			er, err := decodeErrItem(it, "", "description")
			if err != nil {
				return entry{}, nil, err
			}
			e.errs = append(e.errs, er)
		}
	}
	if v := o["requested_reasons"]; !isNull(v) {
		var items []json.RawMessage
		if err := jsonArrayInto(v, &items); err != nil {
			return entry{}, nil, err
		}
		if len(items) > MaxItems {
			return entry{}, nil, invalid("requested_reasons", itoa(len(items)), "more than MaxItems")
		}
		for _, it := range items {
			ro, rx, err := parseObject(it, false, "code")
			if err != nil {
				return entry{}, nil, err
			}
			var code string
			if err := jsonString(ro["code"], &code); err != nil {
				return entry{}, nil, err
			}
			if !validName(code, MaxNameLen) {
				return entry{}, nil, invalid("requested reason", clip(code), "empty, too long or not printable")
			}
			e.reasons = append(e.reasons, reasonItem{RequestedReason(code), rx})
		}
	}
	var rs []restrict
	if v := o["impact"]; !isNull(v) {
		io, ix, err := parseObject(v, false, "restricts_capabilities")
		if err != nil {
			return entry{}, nil, err
		}
		e.impactExtra = ix
		var items []json.RawMessage
		if rv := io["restricts_capabilities"]; !isNull(rv) {
			if err := jsonArrayInto(rv, &items); err != nil {
				return entry{}, nil, err
			}
		}
		if len(items) > MaxSources {
			return entry{}, nil, invalid("restricts_capabilities", itoa(len(items)), "more than MaxSources")
		}
		for _, it := range items {
			ro, rx, err := parseObject(it, false, v2RestrictMember...)
			if err != nil {
				return entry{}, nil, err
			}
			var r restrict
			var c string
			if err := jsonString(ro["capability"], &c); err != nil {
				return entry{}, nil, err
			}
			if err := jsonString(ro["configuration"], &r.configuration); err != nil {
				return entry{}, nil, err
			}
			r.capability = Capability(c)
			if !r.capability.Valid() || !validName(r.configuration, MaxNameLen) {
				return entry{}, nil, invalid("restricts_capabilities", clip(c)+"/"+clip(r.configuration), "empty, too long or not printable")
			}
			do, dx, err := parseObject(ro["deadline"], false, "status")
			if err != nil {
				return entry{}, nil, err
			}
			if r.e.v2status, err = parseV2Status(do["status"]); err != nil {
				return entry{}, nil, err
			}
			r.e.lists = listBit(r.e.v2status)
			r.e.extra, r.e.dlExtra = rx, dx
			rs = append(rs, r)
		}
	}
	return e, rs, nil
}

type v2ErrJSON struct {
	Code        ErrorCode `json:"code"`
	Description string    `json:"description"`
}

// EncodeV2 encodes the v2 hashes of s as an Accounts v2 account
// (`"object": "v2.core.account"`, with "id" when the set has one, and the
// requirements and future_requirements it holds). For every payload p
// DecodeV2 accepts, EncodeV2(DecodeV2(p)) equals p up to the order of list
// elements and object members, with null, [] and {} members treated as
// absent (a missing `restricts_capabilities` is written [], an entry's
// missing errors or requested_reasons []); other members of the account
// are not kept. It returns an *InvalidError for a set holding no v2 hash.
func EncodeV2(s Set) ([]byte, error) {
	var w objWriter
	w.value("object", "v2.core.account")
	if s.id != "" {
		w.value("id", s.id)
	}
	any := false
	for _, future := range [2]bool{false, true} {
		h := s.source(Source{V2: true, Future: future})
		if h == nil {
			continue
		}
		any = true
		name := "requirements"
		if future {
			name = "future_requirements"
		}
		b, err := s.encodeV2Hash(h)
		if err != nil {
			return nil, err
		}
		w.raw(name, b)
	}
	if !any {
		return nil, invalid("set", "", "holds no Accounts v2 hash")
	}
	return w.bytes()
}

func (s Set) encodeV2Hash(h *source) ([]byte, error) {
	type ref struct {
		h *source
		i int
	}
	type key struct{ field, ref string }
	restricts := map[key][]ref{}
	for k := range s.sources {
		c := &s.sources[k]
		if !c.key.V2 || c.key.Capability == "" || c.key.Future != h.key.Future {
			continue
		}
		for i, e := range c.entries {
			restricts[key{e.field, e.ref}] = append(restricts[key{e.field, e.ref}], ref{c, i})
		}
	}
	var w objWriter
	entries := []byte{'['}
	for i := range h.entries {
		e := &h.entries[i]
		var ew objWriter
		aw := e.awaiting
		if aw == "" {
			aw = "user"
			if e.lists.Has(PendingVerification) && !e.lists.Due() {
				aw = "stripe"
			}
		}
		ew.value("awaiting_action_from", aw)
		ew.value("description", e.field)
		errs := []byte{'['}
		for k, er := range e.errs {
			b, err := withMembers(v2ErrJSON{er.code, er.reason}, er.extra)
			if err != nil {
				return nil, err
			}
			if k > 0 {
				errs = append(errs, ',')
			}
			errs = append(errs, b...)
		}
		ew.raw("errors", append(errs, ']'))
		var iw objWriter
		rl := []byte{'['}
		for k, r := range restricts[key{e.field, e.ref}] {
			ce := &r.h.entries[r.i]
			var rw objWriter
			rw.value("capability", string(r.h.key.Capability))
			rw.value("configuration", r.h.key.Configuration)
			var dw objWriter
			dw.value("status", statusOr(ce))
			dw.members(ce.dlExtra)
			d, _ := dw.bytes()
			rw.raw("deadline", d)
			rw.members(ce.extra)
			b, err := rw.bytes()
			if err != nil {
				return nil, err
			}
			if k > 0 {
				rl = append(rl, ',')
			}
			rl = append(rl, b...)
		}
		iw.raw("restricts_capabilities", append(rl, ']'))
		iw.members(e.impactExtra)
		ib, _ := iw.bytes()
		ew.raw("impact", ib)
		var mw objWriter
		mw.value("status", statusOr(e))
		mw.members(e.dlExtra)
		mb, _ := mw.bytes()
		ew.raw("minimum_deadline", mb)
		if e.ref != "" {
			ew.raw("reference", []byte(e.ref))
		}
		rr := []byte{'['}
		for k, r := range e.reasons {
			var rw objWriter
			rw.value("code", string(r.code))
			rw.members(r.extra)
			b, _ := rw.bytes()
			if k > 0 {
				rr = append(rr, ',')
			}
			rr = append(rr, b...)
		}
		ew.raw("requested_reasons", append(rr, ']'))
		ew.members(e.extra)
		b, err := ew.bytes()
		if err != nil {
			return nil, err
		}
		if i > 0 {
			entries = append(entries, ',')
		}
		entries = append(entries, b...)
	}
	w.raw("entries", append(entries, ']'))
	if h.transitionText != "" {
		w.value("minimum_transition_date", h.transitionText)
	}
	if h.summary != "" || h.deadlineText != "" || len(h.minExtra) > 0 || len(h.summaryExtra) > 0 {
		var sw objWriter
		if h.summary != "" || h.deadlineText != "" || len(h.minExtra) > 0 {
			var mw objWriter
			st := h.summary
			if st == "" {
				st = EventuallyDue
			}
			mw.value("status", string(st))
			if h.deadlineText != "" {
				mw.value("time", h.deadlineText)
			}
			mw.members(h.minExtra)
			mb, _ := mw.bytes()
			sw.raw("minimum_deadline", mb)
		}
		sw.members(h.summaryExtra)
		sb, _ := sw.bytes()
		w.raw("summary", sb)
	}
	w.members(h.extra)
	return w.bytes()
}

// statusOr is the v2 status to write for e.
func statusOr(e *entry) string {
	if st := v2StatusOf(e.lists); st != "" {
		return string(st)
	}
	if e.v2status != "" {
		return string(e.v2status)
	}
	return string(EventuallyDue)
}
