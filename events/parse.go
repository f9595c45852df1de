package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/internal/jsonexact"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/snapshot"
)

// Limits on what Parse reads. Input beyond them is refused with an error
// matching ErrInvalid before any work proportional to it is done.
const (
	// MaxEventBytes bounds one event payload (the v1 envelope with its
	// data.object, or a fetched object given to ApplyFetched).
	MaxEventBytes = requirements.MaxInputBytes
	// MaxDepth bounds the nesting of JSON objects and arrays.
	MaxDepth = 64
	// MaxTypeLen bounds an event type and an object type, in bytes.
	MaxTypeLen = 256
)

// Errors callers branch on with errors.Is; each carries its errkind.Kind.
var (
	// ErrInvalid: the payload is not an event Parse accepts (not JSON,
	// over a limit, NUL or invalid UTF-8, a member of the wrong type, not
	// an event envelope), or an event's object is not what its type
	// says. Kind InvalidInput: retrying the same payload cannot help.
	// (ErrInvalid, as in account, links, relink and requirements; it was
	// ErrMalformed.)
	ErrInvalid = errkind.New(errkind.InvalidInput, "events: invalid input")
	// ErrFetchRequired: a v2 thin event carries no object; fetch its
	// related object and call ApplyFetched. Kind InvalidInput.
	ErrFetchRequired = errkind.New(errkind.InvalidInput, "events: thin event needs its fetched object")
	// ErrNoStore: the Handler has no account.Service (or that Service no
	// Store). Kind InvalidInput.
	ErrNoStore = errkind.New(errkind.InvalidInput, "events: service has no store")
)

// ParseError locates what was wrong in a payload: the JSON member and why.
// It unwraps to ErrInvalid and to the underlying error.
type ParseError struct {
	// Member is the JSON member, such as "created" or "data.object.dob";
	// "" for the payload as a whole.
	Member string
	// Err says what was wrong.
	Err error
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Member == "" {
		return fmt.Sprintf("events: malformed event: %v", e.Err)
	}
	return fmt.Sprintf("events: malformed event: %s: %v", e.Member, e.Err)
}

// Unwrap returns ErrInvalid and the underlying error.
func (e *ParseError) Unwrap() []error { return []error{ErrInvalid, e.Err} }

func malformed(member, format string, args ...any) error {
	return &ParseError{Member: member, Err: fmt.Errorf(format, args...)}
}

// Type is an event type, verbatim ("account.updated",
// "v2.core.account[requirements].updated"). The literal square brackets and
// dots of v2 types are part of the name.
type Type string

// The event types the Handler applies.
const (
	AccountUpdated      Type = "account.updated"
	CapabilityUpdated   Type = "capability.updated"
	AccountDeauthorized Type = "account.application.deauthorized"
	PersonCreated       Type = "person.created"
	PersonUpdated       Type = "person.updated"
	PersonDeleted       Type = "person.deleted"
	FCSessionUpdated    Type = "financial_connections.session.updated"
	// V2AccountClosed is the Accounts v2 thin event that closes an account.
	V2AccountClosed Type = "v2.core.account.closed"
	// V2PersonCreated, V2PersonUpdated and V2PersonDeleted are the Accounts
	// v2 thin events about one person of an account.
	V2PersonCreated       Type = "v2.core.account_person.created"
	V2PersonUpdated       Type = "v2.core.account_person.updated"
	V2PersonDeleted       Type = "v2.core.account_person.deleted"
	fcAccountPrefix            = "financial_connections.account."
	v2AccountPrefix            = "v2.core.account."
	v2AccountBracketStart      = "v2.core.account["
)

// Object names a Stripe object: its "object" value and its ID.
type Object struct {
	// Type is the object's type: "account", "capability", "person",
	// "application", "financial_connections.account", "v2.core.account"…
	Type string `json:"type"`
	// ID is the object's ID ("acct_…", "card_payments", "person_…").
	ID string `json:"id"`
}

// Event is one parsed event: a v1 snapshot event (`"object": "event"`,
// carrying data.object) or a v2 thin event (`"object": "v2.core.event"`,
// carrying only related_object). It is a plain value; Data and
// PreviousAttributes are the payload's own bytes (share nothing with the
// caller's slice).
type Event struct {
	// ID is the event's ID ("evt_…").
	ID string `json:"id"`
	// Type is the event's type.
	Type Type `json:"type"`
	// Created is when Stripe created the event: v1 unix seconds, v2 RFC
	// 3339 with milliseconds. It orders snapshots (snapshot.Mark).
	Created time.Time `json:"created"`
	// Livemode is the event's livemode.
	Livemode bool `json:"livemode"`
	// Account is the connected account the event belongs to: v1
	// `account`, v2 `context`; "" when absent.
	Account string `json:"account,omitempty"`
	// APIVersion is v1 `api_version`; "" for null or v2.
	APIVersion string `json:"api_version,omitempty"`
	// Thin marks a v2 thin event: no Data, fetch Related.
	Thin bool `json:"thin,omitempty"`
	// Object is data.object's type and ID (v1) or related_object's (v2;
	// zero for a type without one).
	Object Object `json:"object"`
	// RelatedURL is v2 related_object.url, the API path to fetch.
	RelatedURL string `json:"related_url,omitempty"`
	// Data is data.object (v1), the resource as it was when the event was
	// created; nil for a thin event.
	Data json.RawMessage `json:"-"`
	// PreviousAttributes is v1 data.previous_attributes; nil when absent.
	PreviousAttributes json.RawMessage `json:"-"`
}

// Mark returns the event's snapshot.Mark: its creation instant and ID.
func (e Event) Mark() snapshot.Mark { return snapshot.Mark{Created: e.Created, EventID: e.ID} }

// Parse reads a v1 event envelope or a v2 thin event. It is linear in
// len(data) and refuses, with an error matching ErrInvalid (a
// *ParseError), a payload over MaxEventBytes or MaxDepth, holding NUL (raw
// or \u0000) or invalid UTF-8, that is not JSON, whose "object" is neither
// "event" nor "v2.core.event", or whose id, type, created, account or
// data.object is missing or of the wrong type, or that holds an object
// with a member twice (at any depth) or an escaped lone UTF-16 surrogate
// (\ud800). Members are read by exact name at every level, never
// case-folded as encoding/json reads a struct: "ID", "Type" or "ſtatus"
// is not id, type or status (principle 8); DecodeAccount, DecodePerson,
// DecodePersonV2 and the Handler read data.object the same way. An event of a type the
// Handler does not apply parses like any other: the Handler reports it
// unhandled.
func Parse(data []byte) (Event, error) {
	if err := scan(data); err != nil {
		return Event{}, err
	}
	var env struct {
		ID, Object, Type, Account, Context, APIVersion *string
		Created                                        json.RawMessage
		Livemode                                       *bool
		Data, RelatedObject                            json.RawMessage
	}
	top, err := jsonexact.Members(data)
	if err == nil && top == nil {
		err = fmt.Errorf("null is not an event")
	}
	if err != nil {
		return Event{}, &ParseError{Err: err}
	}
	if err := getAll("", top, field{"id", &env.ID}, field{"object", &env.Object}, field{"type", &env.Type},
		field{"created", &env.Created}, field{"livemode", &env.Livemode}, field{"account", &env.Account},
		field{"context", &env.Context}, field{"api_version", &env.APIVersion},
		field{"data", &env.Data}, field{"related_object", &env.RelatedObject}); err != nil {
		return Event{}, err
	}
	var ev Event
	switch {
	case env.Object == nil:
		return Event{}, malformed("object", "missing: not an event envelope")
	case *env.Object != "event" && *env.Object != "v2.core.event":
		return Event{}, malformed("object", "%q is not an event", clip(*env.Object))
	case env.ID == nil:
		return Event{}, malformed("id", "missing")
	case env.Type == nil:
		return Event{}, malformed("type", "missing")
	}
	ev.ID, ev.Type = *env.ID, Type(*env.Type)
	if !printable(string(ev.Type), MaxTypeLen) {
		return Event{}, malformed("type", "empty, longer than %d bytes or not printable ASCII", MaxTypeLen)
	}
	if env.Livemode != nil {
		ev.Livemode = *env.Livemode
	}
	ev.Thin = *env.Object == "v2.core.event"
	if ev.Thin {
		var s string
		if err := json.Unmarshal(env.Created, &s); err != nil {
			return Event{}, malformed("created", "want an RFC 3339 string: %v", err)
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || t.Year() < 1970 || t.Year() > 9999 {
			return Event{}, malformed("created", "not an RFC 3339 instant in 1970–9999")
		}
		ev.Created = t.UTC()
		if env.Context != nil {
			ev.Account = *env.Context
		}
		rel, err := members("related_object", env.RelatedObject)
		if err != nil {
			return Event{}, err
		}
		if rel != nil {
			var r struct{ ID, Type, URL string }
			if err := getAll("related_object", rel, field{"id", &r.ID}, field{"type", &r.Type}, field{"url", &r.URL}); err != nil {
				return Event{}, err
			}
			if !printable(r.ID, snapshot.MaxEventIDLen) || !printable(r.Type, MaxTypeLen) || len(r.URL) > 2048 || !utf8.ValidString(r.URL) {
				return Event{}, malformed("related_object", "id, type or url empty, too long or not printable")
			}
			ev.Object, ev.RelatedURL = Object{Type: r.Type, ID: r.ID}, r.URL
		}
	} else {
		var secs int64
		if err := json.Unmarshal(env.Created, &secs); err != nil {
			return Event{}, malformed("created", "want unix seconds: %v", err)
		}
		if secs < 1 || secs > 253402300799 {
			return Event{}, malformed("created", "%d is outside 1970–9999", secs)
		}
		ev.Created = time.Unix(secs, 0).UTC()
		if env.Account != nil {
			ev.Account = *env.Account
		}
		if env.APIVersion != nil {
			ev.APIVersion = *env.APIVersion
			if !printable(ev.APIVersion, MaxTypeLen) {
				return Event{}, malformed("api_version", "empty, too long or not printable")
			}
		}
		d, err := members("data", env.Data)
		if err != nil {
			return Event{}, err
		}
		var obj, prev json.RawMessage
		if err := getAll("data", d, field{"object", &obj}, field{"previous_attributes", &prev}); err != nil {
			return Event{}, err
		}
		if len(obj) == 0 || obj[0] != '{' {
			return Event{}, malformed("data.object", "missing or not an object")
		}
		o, err := members("data.object", obj)
		if err != nil {
			return Event{}, err
		}
		var head struct{ Object, ID string }
		if err := getAll("data.object", o, field{"object", &head.Object}, field{"id", &head.ID}); err != nil {
			return Event{}, malformed("data.object", "object or id: %v", err)
		}
		if len(head.Object) > MaxTypeLen || len(head.ID) > snapshot.MaxEventIDLen {
			return Event{}, malformed("data.object", "object or id too long")
		}
		ev.Object = Object{Type: head.Object, ID: head.ID}
		ev.Data = bytes.Clone(obj)
		if pa := prev; len(pa) > 0 && string(pa) != "null" {
			ev.PreviousAttributes = bytes.Clone(pa)
		}
	}
	if err := ev.Mark().Validate(); err != nil {
		return Event{}, &ParseError{Member: "id", Err: err}
	}
	if ev.Account != "" && !printable(ev.Account, snapshot.MaxEventIDLen) {
		return Event{}, malformed("account", "not printable ASCII of at most %d bytes", snapshot.MaxEventIDLen)
	}
	return ev, nil
}

// scan checks the limits in one pass of jsonexact.Check, which does not
// allocate: size, JSON, nesting depth, NUL (raw or as \u0000), UTF-8, an
// escaped lone surrogate, an object with a member twice.
func scan(data []byte) error {
	if len(data) > MaxEventBytes {
		return malformed("", "%d bytes, more than MaxEventBytes (%d)", len(data), MaxEventBytes)
	}
	var e *jsonexact.Error
	if err := jsonexact.Check(data, jsonexact.Options{RefuseNUL: true, MaxDepth: MaxDepth}); errors.As(err, &e) {
		switch e.Kind {
		case jsonexact.Malformed:
			return nil // the decoder that follows says what is wrong
		case jsonexact.TooDeep:
			return malformed("", "nested deeper than MaxDepth (%d)", MaxDepth)
		}
		return malformed("", "%v", e)
	}
	return nil
}

// printable reports whether s is 1 to max bytes of printable ASCII without
// spaces.
func printable(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
