package relink

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/connectkit/connectkit/internal/jsonexact"
)

// strictText returns an *InvalidError (field: what is being parsed) when
// the JSON data nests deeper than MaxJSONDepth or holds text encoding/json
// would decode lossily or ambiguously: invalid UTF-8 or an escaped lone
// surrogate (\ud800), both of which it rewrites to U+FFFD, or an object
// with a member name twice (the last would silently win, so a round trip
// could not keep both). One pass of jsonexact.Check, which does not
// allocate. Malformed JSON is left to the decoder that follows.
func strictText(field string, data []byte) error {
	var e *jsonexact.Error
	if err := jsonexact.Check(data, jsonexact.Options{MaxDepth: MaxJSONDepth}); !errors.As(err, &e) || e.Kind == jsonexact.Malformed {
		return nil
	}
	switch e.Kind {
	case jsonexact.TooDeep:
		return &InvalidError{Field: field, Value: fmt.Sprintf("nested over %d deep", MaxJSONDepth)}
	case jsonexact.Duplicate:
		return &InvalidError{Field: field, Value: "member " + jsonexact.Clip(e.Name) + " sent twice"}
	}
	return &InvalidError{Field: field, Value: e.Kind.String()}
}

// objectMembers decodes raw, a JSON object or null, into its members by
// exact name: nil for null, an error matching ErrInvalid for anything
// else. relink never decodes Stripe's objects into Go structs, because
// encoding/json matches a struct's fields to member names ignoring case
// (and folding "ſ" to "s", "K" to "k"), so that "Status" would be read as
// status and kept as an unknown member as well.
func objectMembers(field string, raw json.RawMessage) (map[string]json.RawMessage, error) {
	all, err := jsonexact.Members(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: decoding financial connections account member %s: %w", ErrInvalid, field, err)
	}
	return all, nil
}
