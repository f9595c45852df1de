package events

import (
	"encoding/json"

	"github.com/connectkit/connectkit/internal/jsonexact"
)

// Stripe's JSON is read by exact member name at every level, never into
// Go structs: encoding/json matches a struct's fields to member names
// ignoring case (and folding "ſ" to "s", "K" to "k"), so that "ID",
// "Type" or "ſtatus" would be read as the modelled member (principle 8).
// scan refuses, before, what would make an exact reading ambiguous: a
// member sent twice, invalid UTF-8 and escaped lone surrogates.

// members decodes raw, a JSON object or null, into its members by exact
// name: nil for null or when raw is empty (the member was not sent). The
// error, for anything else, is a *ParseError on member.
func members(member string, raw json.RawMessage) (map[string]json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	all, err := jsonexact.Members(raw)
	if err != nil {
		return nil, &ParseError{Member: member, Err: err}
	}
	return all, nil
}

// get decodes the member name of all, when present, into v (JSON null
// leaves v as it is, or sets a pointer v points to nil). member names
// all, for errors.
func get(member string, all map[string]json.RawMessage, name string, v any) error {
	raw, ok := all[name]
	if !ok {
		return nil
	}
	if p, ok := v.(*json.RawMessage); ok {
		*p = raw // checked by members (jsonexact.Members); aliases the input
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		if member != "" {
			name = member + "." + name
		}
		return &ParseError{Member: name, Err: err}
	}
	return nil
}

// field is one member to decode: its exact name and where to.
type field struct {
	name string
	v    any
}

// getAll decodes each of fields from all in order (see get); the error is
// the first.
func getAll(member string, all map[string]json.RawMessage, fields ...field) error {
	for _, f := range fields {
		if err := get(member, all, f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}
