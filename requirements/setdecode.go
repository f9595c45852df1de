package requirements

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
// times slower than everything else it does.
//
// versioned reports whether a non-null "version" member was read (that is
// what tells this encoding from the version-less one).
func decodeSetJSON(data []byte, w *setJSON) (versioned bool, err error) {
	_, err = eachMember(data[skipSpace(data, 0):], "set", setJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "version":
			versioned = !(len(v) >= 4 && isNullLiteral(v[:4]))
			return jsonInt(v, &w.Version)
		case "object":
			return jsonField(v, &w.Object)
		case "id":
			return jsonField(v, &w.ID)
		case "capabilities":
			return jsonStringMap(v, &w.Capabilities)
		case "extra":
			return jsonStringMap(v, &w.Extra)
		case "hashes":
			return jsonSlice(v, &w.Hashes, decodeHashJSON)
		}
		return 0, unknownField(name)
	})
	return versioned, err
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

func decodeHashJSON(v []byte, h *hashJSON) (int, error) {
	return eachMember(v, "hash", hashJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "v2":
			return jsonBool(v, &h.V2)
		case "capability":
			return jsonText(v, h.Capability.UnmarshalText)
		case "configuration":
			return jsonField(v, &h.Configuration)
		case "future":
			return jsonBool(v, &h.Future)
		case "deadline":
			return jsonInt64Ptr(v, &h.Deadline)
		case "deadline_text":
			return jsonField(v, &h.DeadlineText)
		case "disabled_reason":
			return jsonField(v, (*string)(&h.DisabledReason))
		case "status":
			return jsonField(v, (*string)(&h.Status))
		case "transition_text":
			return jsonField(v, &h.TransitionText)
		case "summary_status":
			return jsonText(v, h.Summary.UnmarshalText)
		case "entries":
			return jsonSlice(v, &h.Entries, decodeEntryJSON)
		case "errors":
			return jsonSlice(v, &h.Errors, decodeErrJSON)
		case "alternatives":
			return jsonSlice(v, &h.Alternatives, decodeAltJSON)
		case "extra":
			return jsonStringMap(v, &h.Extra)
		case "object_extra":
			return jsonStringMap(v, &h.ObjectExtra)
		case "summary_extra":
			return jsonStringMap(v, &h.SummaryExtra)
		case "minimum_deadline_extra":
			return jsonStringMap(v, &h.MinimumDeadlineExtra)
		}
		return 0, unknownField(name)
	})
}

func decodeEntryJSON(v []byte, e *entryJSON) (int, error) {
	return eachMember(v, "entry", entryJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "field":
			return jsonField(v, &e.Field)
		case "kind":
			return jsonText(v, e.Kind.UnmarshalText)
		case "lists":
			return jsonSlice(v, &e.Lists, func(v []byte, st *Status) (int, error) { return jsonText(v, st.UnmarshalText) })
		case "deadline":
			return jsonInt64Ptr(v, &e.Deadline)
		case "capabilities":
			return jsonSlice(v, &e.Capabilities, func(v []byte, c *Capability) (int, error) { return jsonText(v, c.UnmarshalText) })
		case "requested_reasons":
			return jsonSlice(v, &e.RequestedReasons, decodeReasonJSON)
		case "awaiting_action_from":
			return jsonField(v, &e.Awaiting)
		case "v2_status":
			return jsonText(v, e.V2Status.UnmarshalText)
		case "reference":
			return jsonField(v, &e.Reference)
		case "errors":
			return jsonSlice(v, &e.Errors, decodeErrJSON)
		case "extra":
			return jsonStringMap(v, &e.Extra)
		case "deadline_extra":
			return jsonStringMap(v, &e.DeadlineExtra)
		case "impact_extra":
			return jsonStringMap(v, &e.ImpactExtra)
		}
		return 0, unknownField(name)
	})
}

func decodeErrJSON(v []byte, e *errJSON) (int, error) {
	return eachMember(v, "error", errJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "requirement":
			return jsonField(v, &e.Requirement)
		case "code":
			return jsonField(v, (*string)(&e.Code))
		case "reason":
			return jsonField(v, &e.Reason)
		case "extra":
			return jsonStringMap(v, &e.Extra)
		}
		return 0, unknownField(name)
	})
}

func decodeAltJSON(v []byte, a *altJSON) (int, error) {
	return eachMember(v, "alternative", altJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "alternative_fields_due":
			return jsonSlice(v, &a.AlternativeFieldsDue, jsonField)
		case "original_fields_due":
			return jsonSlice(v, &a.OriginalFieldsDue, jsonField)
		case "extra":
			return jsonStringMap(v, &a.Extra)
		}
		return 0, unknownField(name)
	})
}

func decodeReasonJSON(v []byte, r *reasonJSON) (int, error) {
	return eachMember(v, "requested reason", reasonJSONNames, func(name string, v []byte) (int, error) {
		switch name {
		case "code":
			return jsonField(v, (*string)(&r.Code))
		case "extra":
			return jsonStringMap(v, &r.Extra)
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

// jsonField decodes a JSON string into dst; null leaves it as it is.
func jsonField(v []byte, dst *string) (int, error) {
	x, n, err := value(v)
	if err != nil {
		return 0, err
	}
	if x[0] != '"' && !isNullLiteral(x) {
		return 0, typeError(x, "string")
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

// jsonStringMap decodes a JSON object of strings into *dst, adding to the
// map if there is one; null makes it nil, a null value is "".
func jsonStringMap(v []byte, dst *map[string]string) (int, error) {
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
		n, err := jsonField(v, &s)
		if err != nil {
			return 0, err
		}
		(*dst)[name] = s
		return n, nil
	})
}

// jsonSlice decodes the JSON array at the start of v into *dst, each
// element with elem from its zero value; null makes *dst nil, [] an empty
// slice.
func jsonSlice[T any](v []byte, dst *[]T, elem func([]byte, *T) (int, error)) (int, error) {
	if len(v) >= 4 && isNullLiteral(v[:4]) {
		*dst = nil
		return 4, nil
	}
	if len(v) == 0 || v[0] != '[' {
		return 0, typeError(v, "slice")
	}
	// Count the elements (skipping them), so that out is made once.
	count := 0
	i := skipSpace(v, 1)
	if i < len(v) && v[i] != ']' {
		for {
			j := skipValue(v, i)
			if j < 0 {
				return 0, errMalformed
			}
			count++
			i = skipSpace(v, j)
			if i >= len(v) || v[i] != ',' {
				break
			}
			i = skipSpace(v, i+1)
		}
	}
	if i >= len(v) || v[i] != ']' {
		return 0, errMalformed
	}
	end := i + 1
	out := make([]T, count)
	i = skipSpace(v, 1)
	for k := range out {
		n, err := elem(v[i:], &out[k])
		if err != nil {
			return 0, err
		}
		i = skipSpace(v, i+n)
		if k < count-1 {
			if i >= len(v) || v[i] != ',' {
				return 0, errMalformed
			}
			i = skipSpace(v, i+1)
		}
	}
	*dst = out
	return end, nil
}
