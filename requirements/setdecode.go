package requirements

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// decodeSetJSON decodes data, one valid JSON value (the caller checked it
// with json.Valid), into w exactly as a json.Decoder with
// DisallowUnknownFields would: member names match a field's tag exactly or
// else case-insensitively, an unknown member is an error, null leaves a
// string, number or bool as it is and makes a slice, map or pointer nil, a
// repeated member decodes again into the same field (maps merge), and
// Status, Kind and Capability go through their UnmarshalText. Errors say
// what was wrong in encoding/json's words; UnmarshalJSON wraps them.
// Written by hand because reflection made decoding a stored Set several
// times slower than everything else it does.
//
// versioned reports whether a non-null "version" member was read (that is
// what tells this encoding from the version-less one).
func decodeSetJSON(data []byte, w *setJSON) (versioned bool, err error) {
	err = eachMember(data, "set", setJSONNames, func(name string, v []byte) error {
		switch name {
		case "version":
			versioned = !isNullLiteral(v)
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
		return unknownField(name)
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

func decodeHashJSON(v []byte, h *hashJSON) error {
	return eachMember(v, "hash", hashJSONNames, func(name string, v []byte) error {
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
		return unknownField(name)
	})
}

func decodeEntryJSON(v []byte, e *entryJSON) error {
	return eachMember(v, "entry", entryJSONNames, func(name string, v []byte) error {
		switch name {
		case "field":
			return jsonField(v, &e.Field)
		case "kind":
			return jsonText(v, e.Kind.UnmarshalText)
		case "lists":
			return jsonSlice(v, &e.Lists, func(v []byte, st *Status) error { return jsonText(v, st.UnmarshalText) })
		case "deadline":
			return jsonInt64Ptr(v, &e.Deadline)
		case "capabilities":
			return jsonSlice(v, &e.Capabilities, func(v []byte, c *Capability) error { return jsonText(v, c.UnmarshalText) })
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
		return unknownField(name)
	})
}

func decodeErrJSON(v []byte, e *errJSON) error {
	return eachMember(v, "error", errJSONNames, func(name string, v []byte) error {
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
		return unknownField(name)
	})
}

func decodeAltJSON(v []byte, a *altJSON) error {
	return eachMember(v, "alternative", altJSONNames, func(name string, v []byte) error {
		switch name {
		case "alternative_fields_due":
			return jsonSlice(v, &a.AlternativeFieldsDue, jsonField)
		case "original_fields_due":
			return jsonSlice(v, &a.OriginalFieldsDue, jsonField)
		case "extra":
			return jsonStringMap(v, &a.Extra)
		}
		return unknownField(name)
	})
}

func decodeReasonJSON(v []byte, r *reasonJSON) error {
	return eachMember(v, "requested reason", reasonJSONNames, func(name string, v []byte) error {
		switch name {
		case "code":
			return jsonField(v, (*string)(&r.Code))
		case "extra":
			return jsonStringMap(v, &r.Extra)
		}
		return unknownField(name)
	})
}

func unknownField(name string) error { return fmt.Errorf("json: unknown field %q", name) }

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

// eachMember calls fn with each member of the JSON object v (null is an
// object with no member), its name mapped to the first of names it equals
// exactly or, failing that, case-insensitively, as encoding/json matches
// struct fields.
func eachMember(v []byte, what string, names []string, fn func(name string, v []byte) error) error {
	if isNullLiteral(v) {
		return nil
	}
	i := skipSpace(v, 0)
	if i >= len(v) || v[i] != '{' {
		return typeError(v, what)
	}
	i = skipSpace(v, i+1)
	if i < len(v) && v[i] == '}' {
		return nil
	}
	for {
		j := skipString(v, i)
		if i >= len(v) || v[i] != '"' || j < 0 {
			return errors.New("json: malformed object")
		}
		var name string
		if b, ok := simpleString(v[i:j]); ok {
			name = canonicalName(b, names)
		} else {
			var err error
			if name, err = unquote(v[i:j]); err != nil {
				return err
			}
			name = canonicalName([]byte(name), names)
		}
		i = skipSpace(v, j)
		if i >= len(v) || v[i] != ':' {
			return errors.New("json: malformed object")
		}
		i = skipSpace(v, i+1)
		j = skipValue(v, i)
		if j < 0 {
			return errors.New("json: malformed object")
		}
		if err := fn(name, v[i:j]); err != nil {
			return err
		}
		i = skipSpace(v, j)
		if i >= len(v) {
			return errors.New("json: malformed object")
		}
		switch v[i] {
		case ',':
			i = skipSpace(v, i+1)
		case '}':
			return nil
		default:
			return errors.New("json: malformed object")
		}
	}
}

// unquote decodes the JSON string raw with encoding/json.
func unquote(raw []byte) (string, error) {
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// canonicalName returns the one of names that b spells, exactly or else
// ignoring case, or b itself.
func canonicalName(b []byte, names []string) string {
	for _, n := range names {
		if string(b) == n {
			return n
		}
	}
	for _, n := range names {
		if strings.EqualFold(string(b), n) {
			return n
		}
	}
	return string(b)
}

// jsonField decodes a JSON string into dst; null leaves it as it is.
func jsonField(v []byte, dst *string) error {
	if len(v) == 0 || v[0] != '"' && !isNullLiteral(v) {
		return typeError(v, "string")
	}
	return jsonString(v, dst)
}

// jsonText decodes a JSON string through unmarshal (a type's
// UnmarshalText); null calls nothing.
func jsonText(v []byte, unmarshal func([]byte) error) error {
	if isNullLiteral(v) {
		return nil
	}
	if len(v) == 0 || v[0] != '"' {
		return typeError(v, "string")
	}
	if b, ok := simpleString(v); ok {
		return unmarshal(b)
	}
	s, err := unquote(v)
	if err != nil {
		return err
	}
	return unmarshal([]byte(s))
}

func jsonBool(v []byte, dst *bool) error {
	switch string(v) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	case "null":
	default:
		return typeError(v, "bool")
	}
	return nil
}

func jsonInt(v []byte, dst *int) error {
	if isNullLiteral(v) {
		return nil
	}
	n, err := strconv.ParseInt(string(v), 10, strconv.IntSize)
	if err != nil {
		return typeError(v, "int")
	}
	*dst = int(n)
	return nil
}

// jsonInt64Ptr decodes a JSON number into *dst, making it if nil; null
// makes *dst nil.
func jsonInt64Ptr(v []byte, dst **int64) error {
	if isNullLiteral(v) {
		*dst = nil
		return nil
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return typeError(v, "int64")
	}
	if *dst == nil {
		*dst = new(int64)
	}
	**dst = n
	return nil
}

// jsonStringMap decodes a JSON object of strings into *dst, adding to the
// map if there is one; null makes it nil, a null value is "".
func jsonStringMap(v []byte, dst *map[string]string) error {
	if isNullLiteral(v) {
		*dst = nil
		return nil
	}
	if i := skipSpace(v, 0); i >= len(v) || v[i] != '{' {
		return typeError(v, "map[string]string")
	}
	if *dst == nil {
		*dst = map[string]string{}
	}
	return eachMember(v, "map[string]string", nil, func(name string, v []byte) error {
		var s string
		if err := jsonField(v, &s); err != nil {
			return err
		}
		(*dst)[name] = s
		return nil
	})
}

// jsonSlice decodes a JSON array into *dst, each element with elem from
// its zero value; null makes *dst nil, [] an empty slice.
func jsonSlice[T any](v []byte, dst *[]T, elem func([]byte, *T) error) error {
	if isNullLiteral(v) {
		*dst = nil
		return nil
	}
	i := skipSpace(v, 0)
	if i >= len(v) || v[i] != '[' {
		return typeError(v, "slice")
	}
	// One scan finds the elements; then out is made at its size.
	spans := make([][2]int, 0, 16)
	ok, _ := splitArray(v, i, func(e []byte) bool {
		start := cap(v) - cap(e) // e is v[start:…]
		spans = append(spans, [2]int{start, start + len(e)})
		return true
	})
	if !ok {
		return errors.New("json: malformed array")
	}
	out := make([]T, len(spans))
	for k, sp := range spans {
		if err := elem(v[sp[0]:sp[1]], &out[k]); err != nil {
			return err
		}
	}
	*dst = out
	return nil
}
