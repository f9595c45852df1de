package requirements

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// member is one unknown JSON member as a Set keeps it: the value compact
// (see canonicalJSON), as a string so that copies of the Set share nothing
// mutable.
type member struct {
	name  string
	value string
}

// canonicalJSON returns v compacted and with <, >, &, U+2028 and U+2029
// escaped inside strings, exactly as json.Marshal writes a json.RawMessage,
// so the value re-encodes to the same bytes. It refuses what cannot be
// stored as text (PostgreSQL refuses NUL and invalid UTF-8 in text and
// jsonb): invalid UTF-8, the escape \u0000, more than MaxMemberBytes.
func canonicalJSON(v []byte) (string, error) {
	if len(v) > MaxMemberBytes {
		return "", invalid("unknown member value", "", "longer than MaxMemberBytes")
	}
	if !utf8.Valid(v) {
		return "", invalid("unknown member value", "", "not valid utf-8")
	}
	if !json.Valid(v) {
		return "", invalid("unknown member value", clip(string(v)), "not one valid JSON value")
	}
	if hasNULEscape(v) {
		return "", invalid("unknown member value", clip(string(v)), "holds NUL (\\u0000)")
	}
	var c, h bytes.Buffer
	if err := json.Compact(&c, v); err != nil {
		return "", invalid("unknown member value", clip(string(v)), "not one valid JSON value")
	}
	json.HTMLEscape(&h, c.Bytes())
	return h.String(), nil
}

// hasNULEscape reports whether JSON text v holds the escape \u0000 (an
// escaped backslash followed by u0000 does not count).
func hasNULEscape(v []byte) bool {
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			continue
		}
		if i+1 < len(v) && v[i+1] == 'u' && i+5 < len(v) && string(v[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character
	}
	return false
}

// validMemberName reports whether an unknown member's name can be kept.
func validMemberName(name string) bool {
	return len(name) <= MaxNameLen && utf8.ValidString(name) && strings.IndexByte(name, 0) < 0
}

// object is one decoded JSON object: its members by name.
type object map[string]json.RawMessage

// parseObject decodes data as one JSON object (null is an empty object
// when nullOK), and returns it with its members not in known, kept in
// canonical form, sorted by name. Member names match exactly (Stripe's
// spelling); any other spelling is an unknown member.
func parseObject(data json.RawMessage, nullOK bool, known ...string) (object, []member, error) {
	if nullOK && isNull(data) {
		return object{}, nil, nil
	}
	o, err := jsonObject(data, known...)
	if err != nil {
		return nil, nil, err
	}
	if o == nil {
		return nil, nil, invalid("object", "null", "want a JSON object")
	}
	var extra []member
	for name, v := range o {
		if slices.Contains(known, name) {
			continue
		}
		if len(extra) >= MaxMembers {
			return nil, nil, invalid("unknown members", "", "more than MaxMembers in one object")
		}
		if !validMemberName(name) {
			return nil, nil, invalid("unknown member name", clip(name), "too long, not valid utf-8 or holds NUL")
		}
		c, err := canonicalJSON(v)
		if err != nil {
			return nil, nil, err
		}
		extra = append(extra, member{name, c})
	}
	slices.SortFunc(extra, func(a, b member) int { return strings.Compare(a.name, b.name) })
	return o, extra, nil
}

// has reports whether o has the member name with a value other than
// null: Stripe never sends a hash as null, so null counts as absent.
func (o object) has(name string) bool {
	v, ok := o[name]
	return ok && !isNull(v)
}

func isNull(v json.RawMessage) bool { return len(v) == 0 || string(bytes.TrimSpace(v)) == "null" }

// extraMap returns a fresh map of the members, or nil if there are none.
func extraMap(ms []member) map[string]json.RawMessage {
	if len(ms) == 0 {
		return nil
	}
	m := make(map[string]json.RawMessage, len(ms))
	for _, x := range ms {
		m[x.name] = json.RawMessage(x.value)
	}
	return m
}

// membersFromMap validates and canonicalizes a map of unknown members
// (from the set encoding), refusing names in known.
func membersFromMap(m map[string]string, known ...string) ([]member, error) {
	if len(m) > MaxMembers {
		return nil, invalid("unknown members", "", "more than MaxMembers in one object")
	}
	var out []member
	for name, v := range m {
		if slices.Contains(known, name) {
			return nil, invalid("unknown member", name, "a known member's name")
		}
		if !validMemberName(name) {
			return nil, invalid("unknown member name", clip(name), "too long, not valid utf-8 or holds NUL")
		}
		c, err := canonicalJSON([]byte(v))
		if err != nil {
			return nil, err
		}
		out = append(out, member{name, c})
	}
	slices.SortFunc(out, func(a, b member) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

func membersToMap(ms []member) map[string]string {
	if len(ms) == 0 {
		return nil
	}
	m := make(map[string]string, len(ms))
	for _, x := range ms {
		m[x.name] = x.value
	}
	return m
}

// objWriter writes a JSON object member by member.
type objWriter struct {
	b   []byte
	err error
}

func (w *objWriter) raw(name string, v []byte) {
	if len(w.b) == 0 {
		w.b = append(w.b, '{')
	} else {
		w.b = append(w.b, ',')
	}
	n, _ := json.Marshal(name)
	w.b = append(w.b, n...)
	w.b = append(w.b, ':')
	w.b = append(w.b, v...)
}

func (w *objWriter) value(name string, v any) {
	if w.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		w.err = err
		return
	}
	w.raw(name, b)
}

func (w *objWriter) members(ms []member) {
	for _, m := range ms {
		w.raw(m.name, []byte(m.value))
	}
}

func (w *objWriter) bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if len(w.b) == 0 {
		return []byte("{}"), nil
	}
	return append(w.b, '}'), nil
}
