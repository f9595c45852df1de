package requirements

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/connectkit/connectkit/internal/jsonexact"
)

// decodeSetJSON decodes data, one valid JSON value (the caller checked it
// with checkJSON: no member twice), into w as a json.Decoder with
// DisallowUnknownFields would, except that member names match a field's
// tag exactly, never ignoring case: an unknown member (another spelling
// included) is an error, null leaves a string, number or bool as it is and makes a slice, map or pointer nil, a
// repeated member decodes again into the same field (maps merge), and
// Status, Kind and Capability go through their UnmarshalText. Errors say
// what was wrong in encoding/json's words; UnmarshalJSON wraps them.
// Written by hand because reflection made decoding a stored Set several
// times slower than everything else it does. arrays are the input's
// arrays as checkJSONArrays listed them, so that each slice is made once
// at its length; nil means "count them".
//
// versioned reports whether a non-null "version" member was read (that is
// what tells this encoding from the version-less one).
func decodeSetJSON(data []byte, arrays []jsonexact.Array, w *setJSON) (versioned bool, err error) {
	d := &setDecoder{data: data, arrays: arrays, text: textArena{max: len(data)}}
	_, err = eachMember(data[skipSpace(data, 0):], "set", setJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "version":
			versioned = !(len(v) >= 4 && isNullLiteral(v[:4]))
			return jsonInt(v, &w.Version)
		case "object":
			return d.field(v, &w.Object)
		case "id":
			return d.field(v, &w.ID)
		case "capabilities":
			return d.stringMap(v, &w.Capabilities)
		case "extra":
			return d.stringMap(v, &w.Extra)
		case "hashes":
			return jsonSlice(d, v, &w.Hashes, (*setDecoder).hash)
		}
		return 0, unknownField(name)
	})
	return versioned, err
}

// setDecoder holds what decoding one stored Set shares: every array's
// length from the validation pass, so that no slice is counted before it
// is made, and the memory the strings and the entries' lists are cut
// from, so that a Set of n entries costs a few allocations rather than
// several per entry.
type setDecoder struct {
	data   []byte            // the whole input: every v below is a suffix of it
	arrays []jsonexact.Array // its arrays, in the order they open
	next   int               // arrays[next:] are those not yet reached
	// text holds the decoded strings; statuses is the tail of a chunk the
	// entries' lists are cut from, never written again where one was cut.
	text     textArena
	statuses []Status
}

// string returns b as a string, cut from d's text arena.
func (d *setDecoder) string(b []byte) string { return d.text.string(b) }

// count returns the number of elements of the array at the start of v,
// from the validation pass's list when it has it, by skipping them
// otherwise; ok is false when v does not hold an array.
func (d *setDecoder) count(v []byte) (n int, ok bool) {
	if off := len(d.data) - len(v); off >= 0 {
		for d.next < len(d.arrays) && d.arrays[d.next].Offset < off {
			d.next++
		}
		if d.next < len(d.arrays) && d.arrays[d.next].Offset == off {
			return d.arrays[d.next].Len, true
		}
	}
	i := skipSpace(v, 1)
	if i < len(v) && v[i] != ']' {
		for {
			j := skipValue(v, i)
			if j < 0 {
				return 0, false
			}
			n++
			i = skipSpace(v, j)
			if i >= len(v) || v[i] != ',' {
				break
			}
			i = skipSpace(v, i+1)
		}
	}
	return n, i < len(v) && v[i] == ']'
}

var (
	setJSONNames  = []string{"version", "object", "id", "capabilities", "extra", "hashes"}
	hashJSONNames = []string{"v2", "capability", "configuration", "future", "deadline", "deadline_text",
		"disabled_reason", "status", "transition_text", "summary_status", "entries", "errors", "alternatives",
		"extra", "object_extra", "summary_extra", "minimum_deadline_extra"}
	entryJSONNames = []string{"field", "kind", "lists", "deadline", "capabilities", "requested_reasons",
		"awaiting_action_from", "v2_status", "reference", "errors", "extra", "deadline_extra", "impact_extra"}
	errJSONNames    = []string{"requirement", "code", "reason", "extra"}
	altJSONNames    = []string{"alternative_fields_due", "original_fields_due", "extra"}
	reasonJSONNames = []string{"code", "extra"}
)

func (d *setDecoder) hash(v []byte, h *hashJSON) (int, error) {
	return eachMember(v, "hash", hashJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "v2":
			return jsonBool(v, &h.V2)
		case "capability":
			return jsonText(v, h.Capability.UnmarshalText)
		case "configuration":
			return d.field(v, &h.Configuration)
		case "future":
			return jsonBool(v, &h.Future)
		case "deadline":
			return jsonInt64Ptr(v, &h.Deadline)
		case "deadline_text":
			return d.field(v, &h.DeadlineText)
		case "disabled_reason":
			return d.field(v, (*string)(&h.DisabledReason))
		case "status":
			return d.field(v, (*string)(&h.Status))
		case "transition_text":
			return d.field(v, &h.TransitionText)
		case "summary_status":
			return jsonText(v, h.Summary.UnmarshalText)
		case "entries":
			return jsonSlice(d, v, &h.Entries, (*setDecoder).entry)
		case "errors":
			return jsonSlice(d, v, &h.Errors, (*setDecoder).err)
		case "alternatives":
			return jsonSlice(d, v, &h.Alternatives, (*setDecoder).alt)
		case "extra":
			return d.stringMap(v, &h.Extra)
		case "object_extra":
			return d.stringMap(v, &h.ObjectExtra)
		case "summary_extra":
			return d.stringMap(v, &h.SummaryExtra)
		case "minimum_deadline_extra":
			return d.stringMap(v, &h.MinimumDeadlineExtra)
		}
		return 0, unknownField(name)
	})
}

func (d *setDecoder) entry(v []byte, e *entryJSON) (int, error) {
	return eachMember(v, "entry", entryJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "field":
			return d.field(v, &e.Field)
		case "kind":
			return jsonText(v, e.Kind.UnmarshalText)
		case "lists":
			return d.lists(v, &e.Lists)
		case "deadline":
			return jsonInt64Ptr(v, &e.Deadline)
		case "capabilities":
			return jsonSlice(d, v, &e.Capabilities, func(_ *setDecoder, v []byte, c *Capability) (int, error) { return jsonText(v, c.UnmarshalText) })
		case "requested_reasons":
			return jsonSlice(d, v, &e.RequestedReasons, (*setDecoder).reason)
		case "awaiting_action_from":
			return d.field(v, &e.Awaiting)
		case "v2_status":
			return jsonText(v, e.V2Status.UnmarshalText)
		case "reference":
			return d.field(v, &e.Reference)
		case "errors":
			return jsonSlice(d, v, &e.Errors, (*setDecoder).err)
		case "extra":
			return d.stringMap(v, &e.Extra)
		case "deadline_extra":
			return d.stringMap(v, &e.DeadlineExtra)
		case "impact_extra":
			return d.stringMap(v, &e.ImpactExtra)
		}
		return 0, unknownField(name)
	})
}

func (d *setDecoder) err(v []byte, e *errJSON) (int, error) {
	return eachMember(v, "error", errJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "requirement":
			return d.field(v, &e.Requirement)
		case "code":
			return d.field(v, (*string)(&e.Code))
		case "reason":
			return d.field(v, &e.Reason)
		case "extra":
			return d.stringMap(v, &e.Extra)
		}
		return 0, unknownField(name)
	})
}

func (d *setDecoder) alt(v []byte, a *altJSON) (int, error) {
	return eachMember(v, "alternative", altJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "alternative_fields_due":
			return jsonSlice(d, v, &a.AlternativeFieldsDue, (*setDecoder).field)
		case "original_fields_due":
			return jsonSlice(d, v, &a.OriginalFieldsDue, (*setDecoder).field)
		case "extra":
			return d.stringMap(v, &a.Extra)
		}
		return 0, unknownField(name)
	})
}

func (d *setDecoder) reason(v []byte, r *reasonJSON) (int, error) {
	return eachMember(v, "requested reason", reasonJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "code":
			return d.field(v, (*string)(&r.Code))
		case "extra":
			return d.stringMap(v, &r.Extra)
		}
		return 0, unknownField(name)
	})
}

func unknownField(name string) error { return fmt.Errorf("json: unknown field %q", name) }

// The decoders below read one value at the start of v (the rest of the
// input follows it) and return how many bytes it took, so that each byte
// is read at its own level once rather than once per enclosing level.

// typeError is encoding/json's complaint about a value of the wrong type.
func typeError(v []byte, into string) error {
	kind := "number"
	switch {
	case len(v) == 0:
		return errors.New("unexpected end of JSON input")
	case v[0] == '"':
		kind = "string"
	case v[0] == '{':
		kind = "object"
	case v[0] == '[':
		kind = "array"
	case v[0] == 't' || v[0] == 'f':
		kind = "bool"
	}
	return fmt.Errorf("json: cannot unmarshal %s into Go value of type %s", kind, into)
}

var errMalformed = errors.New("json: malformed value")

// value returns the value at the start of v.
func value(v []byte) ([]byte, int, error) {
	j := skipValue(v, 0)
	if j <= 0 {
		return nil, 0, errMalformed
	}
	return v[:j], j, nil
}

// eachMember calls fn with each member of the JSON object at the start of
// v (null is an object with no member), its name mapped to the one of
// names it equals exactly (see canonicalName); fn returns how much of its
// value it read.
func eachMember(v []byte, what string, names []string, fn func(name string, v []byte) (int, error)) (int, error) {
	if len(v) >= 4 && isNullLiteral(v[:4]) {
		return 4, nil
	}
	if len(v) == 0 || v[0] != '{' {
		_, n, err := value(v)
		if err != nil {
			return 0, err
		}
		return n, typeError(v, what)
	}
	i := skipSpace(v, 1)
	if i < len(v) && v[i] == '}' {
		return i + 1, nil
	}
	for {
		j := skipString(v, i)
		if i >= len(v) || v[i] != '"' || j < 0 {
			return 0, errMalformed
		}
		var name string
		if b, ok := simpleString(v[i:j]); ok {
			name = canonicalName(b, names)
		} else {
			var err error
			if name, err = unquote(v[i:j]); err != nil {
				return 0, err
			}
			name = canonicalName([]byte(name), names)
		}
		i = skipSpace(v, j)
		if i >= len(v) || v[i] != ':' {
			return 0, errMalformed
		}
		i = skipSpace(v, i+1)
		n, err := fn(name, v[i:])
		if err != nil {
			return 0, err
		}
		i = skipSpace(v, i+n)
		if i >= len(v) {
			return 0, errMalformed
		}
		switch v[i] {
		case ',':
			i = skipSpace(v, i+1)
		case '}':
			return i + 1, nil
		default:
			return 0, errMalformed
		}
	}
}

// unquote decodes the JSON string raw with encoding/json.
func unquote(raw []byte) (string, error) {
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// canonicalName returns the one of names that b spells exactly (without
// allocating), or b itself. Never ignoring case, as encoding/json matches
// struct fields: "Version" or "li\u017fts" is an unknown member.
func canonicalName(b []byte, names []string) string {
	for _, n := range names {
		if string(b) == n {
			return n
		}
	}
	return string(b)
}

// field decodes a JSON string into dst; null leaves it as it is.
func (d *setDecoder) field(v []byte, dst *string) (int, error) {
	x, n, err := value(v)
	if err != nil {
		return 0, err
	}
	if x[0] != '"' && !isNullLiteral(x) {
		return 0, typeError(x, "string")
	}
	if b, ok := simpleString(x); ok {
		*dst = d.string(b)
		return n, nil
	}
	return n, jsonString(x, dst)
}

// jsonText decodes a JSON string through unmarshal (a type's
// UnmarshalText); null calls nothing.
func jsonText(v []byte, unmarshal func([]byte) error) (int, error) {
	x, n, err := value(v)
	if err != nil {
		return 0, err
	}
	if isNullLiteral(x) {
		return n, nil
	}
	if x[0] != '"' {
		return 0, typeError(x, "string")
	}
	if b, ok := simpleString(x); ok {
		return n, unmarshal(b)
	}
	s, err := unquote(x)
	if err != nil {
		return 0, err
	}
	return n, unmarshal([]byte(s))
}

func jsonBool(v []byte, dst *bool) (int, error) {
	x, n, err := value(v)
	if err != nil {
		return 0, err
	}
	switch string(x) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	case "null":
	default:
		return 0, typeError(x, "bool")
	}
	return n, nil
}

func jsonInt(v []byte, dst *int) (int, error) {
	x, n, err := value(v)
	if err != nil {
		return 0, err
	}
	if isNullLiteral(x) {
		return n, nil
	}
	u, err := strconv.ParseInt(string(x), 10, strconv.IntSize)
	if err != nil {
		return 0, typeError(x, "int")
	}
	*dst = int(u)
	return n, nil
}

// jsonInt64Ptr decodes a JSON number into *dst, making it if nil; null
// makes *dst nil.
func jsonInt64Ptr(v []byte, dst **int64) (int, error) {
	x, n, err := value(v)
	if err != nil {
		return 0, err
	}
	if isNullLiteral(x) {
		*dst = nil
		return n, nil
	}
	u, err := strconv.ParseInt(string(x), 10, 64)
	if err != nil {
		return 0, typeError(x, "int64")
	}
	if *dst == nil {
		*dst = new(int64)
	}
	**dst = u
	return n, nil
}

// stringMap decodes a JSON object of strings into *dst, adding to the
// map if there is one; null makes it nil, a null value is "".
func (d *setDecoder) stringMap(v []byte, dst *map[string]string) (int, error) {
	if len(v) >= 4 && isNullLiteral(v[:4]) {
		*dst = nil
		return 4, nil
	}
	if len(v) == 0 || v[0] != '{' {
		return 0, typeError(v, "map[string]string")
	}
	if *dst == nil {
		*dst = map[string]string{}
	}
	return eachMember(v, "map[string]string", nil, func(name string, v []byte) (int, error) {
		var s string
		n, err := d.field(v, &s)
		if err != nil {
			return 0, err
		}
		(*dst)[name] = s
		return n, nil
	})
}

// jsonSlice decodes the JSON array at the start of v into *dst, each
// element with elem from its zero value; null makes *dst nil, [] an empty
// slice. The slice is made once, at the array's length (setDecoder.count).
func jsonSlice[T any](d *setDecoder, v []byte, dst *[]T, elem func(*setDecoder, []byte, *T) (int, error)) (int, error) {
	return decodeArray(d, v, dst, elem, func(n int) []T { return make([]T, n) })
}

// lists decodes an entry's lists, as jsonSlice would, into a slice cut from
// d.statuses.
func (d *setDecoder) lists(v []byte, dst *[]Status) (int, error) {
	return decodeArray(d, v, dst, func(_ *setDecoder, v []byte, st *Status) (int, error) { return jsonText(v, st.UnmarshalText) }, d.statusList)
}

// statusList returns a list of n statuses cut from d.statuses ([] is an
// empty list, not a nil one).
func (d *setDecoder) statusList(n int) []Status {
	if n == 0 {
		return []Status{}
	}
	if cap(d.statuses)-len(d.statuses) < n {
		// Room for this list and, up to 256, as many more as the input
		// could hold (a status takes at least 10 bytes).
		d.statuses = make([]Status, 0, max(n, min(256, len(d.data)/10)))
	}
	start := len(d.statuses)
	d.statuses = d.statuses[:start+n]
	return d.statuses[start : start+n : start+n]
}

// decodeArray is jsonSlice with the slice made by alloc(length).
func decodeArray[T any](d *setDecoder, v []byte, dst *[]T, elem func(*setDecoder, []byte, *T) (int, error), alloc func(int) []T) (int, error) {
	if len(v) >= 4 && isNullLiteral(v[:4]) {
		*dst = nil
		return 4, nil
	}
	if len(v) == 0 || v[0] != '[' {
		return 0, typeError(v, "slice")
	}
	count, ok := d.count(v)
	if !ok {
		return 0, errMalformed
	}
	out := alloc(count)
	n, err := elements(d, v, out, elem)
	if err != nil {
		return 0, err
	}
	*dst = out
	return n, nil
}

// elements decodes the len(out) elements of the JSON array at the start of
// v into out and returns the length of the array.
func elements[T any](d *setDecoder, v []byte, out []T, elem func(*setDecoder, []byte, *T) (int, error)) (int, error) {
	i := skipSpace(v, 1)
	for k := range out {
		n, err := elem(d, v[i:], &out[k])
		if err != nil {
			return 0, err
		}
		i = skipSpace(v, i+n)
		if k < len(out)-1 {
			if i >= len(v) || v[i] != ',' {
				return 0, errMalformed
			}
			i = skipSpace(v, i+1)
		}
	}
	if i >= len(v) || v[i] != ']' {
		return 0, errMalformed
	}
	return i + 1, nil
}
