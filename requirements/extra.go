package requirements

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// v1HashMembers are the members of a v1 requirements hash this package
// knows. Any other member is an unknown member, kept verbatim (see
// V1Hash.Extra).
var v1HashMembers = [...]string{
	"alternatives", "current_deadline", "currently_due", "disabled_reason",
	"errors", "eventually_due", "past_due", "pending_verification",
}

// knownV1Member reports whether encoding/json would decode a member named
// name into a field of V1Hash: it matches field names case-insensitively,
// with the folding of strings.EqualFold.
func knownV1Member(name string) bool {
	for _, k := range v1HashMembers {
		if strings.EqualFold(name, k) {
			return true
		}
	}
	return false
}

// member is one unknown member of a v1 hash, as a Set keeps it: the value
// in canonical form (see canonicalJSON), as a string so that copies of
// the Set share nothing mutable.
type member struct {
	name  string
	value string
}

// canonicalJSON returns v compacted and with <, >, &, U+2028 and U+2029
// escaped inside strings, exactly as json.Marshal writes a json.RawMessage,
// and with invalid UTF-8 (only possible inside strings) replaced by U+FFFD,
// as any JSON decoder reads it; so the value re-encodes to the same bytes,
// also as the contents of a JSON string. It returns false if v is not one
// valid JSON value.
func canonicalJSON(v []byte) (string, bool) {
	if !json.Valid(v) {
		return "", false
	}
	var c, h bytes.Buffer
	if err := json.Compact(&c, v); err != nil {
		return "", false
	}
	json.HTMLEscape(&h, c.Bytes())
	return strings.ToValidUTF8(h.String(), "\uFFFD"), true
}

// extraMembers validates and canonicalizes the unknown members m, sorted
// by name; decErr locates an error.
func extraMembers(m map[string]json.RawMessage, decErr func(member string, err error) error) ([]member, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make([]member, 0, len(m))
	for name, v := range m {
		if knownV1Member(name) {
			return nil, decErr(name, invalid("unknown member", name, "a known member of the hash"))
		}
		if v == nil {
			v = json.RawMessage("null") // as json.Marshal writes a nil RawMessage
		}
		c, ok := canonicalJSON(v)
		if !ok {
			return nil, decErr(name, invalid("unknown member", name, "value is not one valid JSON value"))
		}
		out = append(out, member{name, c})
	}
	slices.SortFunc(out, func(a, b member) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// extraStrings returns a fresh map of the members' JSON text, or nil if
// there are none.
func extraStrings(ms []member) map[string]string {
	if len(ms) == 0 {
		return nil
	}
	m := make(map[string]string, len(ms))
	for _, x := range ms {
		m[x.name] = x.value
	}
	return m
}

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

// v1HashPlain is V1Hash without its methods, for the known members.
type v1HashPlain V1Hash

// UnmarshalJSON decodes a v1 requirements hash as encoding/json decodes
// the struct (member names matched case-insensitively, the last of
// duplicate members wins, wrong types are errors), and keeps every other
// member in Extra, verbatim. Extra is replaced: nil when there is none.
func (h *V1Hash) UnmarshalJSON(data []byte) error {
	if err := json.Unmarshal(data, (*v1HashPlain)(h)); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return err
	}
	h.Extra = nil
	for name, v := range all {
		if knownV1Member(name) {
			continue
		}
		if h.Extra == nil {
			h.Extra = map[string]json.RawMessage{}
		}
		h.Extra[name] = v
	}
	return nil
}

// MarshalJSON encodes the known members, in field order, then the members
// of Extra sorted by name. It returns an error if a name in Extra is a
// known member's (an unknown member never overrides a known one) or a
// value is not valid JSON.
func (h V1Hash) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(v1HashPlain(h))
	if err != nil || len(h.Extra) == 0 {
		return b, err
	}
	for name := range h.Extra {
		if knownV1Member(name) {
			return nil, invalid("unknown member", name, "a known member of the hash")
		}
	}
	x, err := json.Marshal(h.Extra)
	if err != nil {
		return nil, err
	}
	// b is {"alternatives":…} (no known member is omitted); x is
	// {"name":…,…}. Splice x's members in before b's closing brace.
	if len(b) <= 2 {
		return x, nil
	}
	out := make([]byte, 0, len(b)+len(x))
	out = append(out, b[:len(b)-1]...)
	out = append(out, ',')
	return append(out, x[1:]...), nil
}
