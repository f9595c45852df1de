package relink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/snapshot"
)

const sessionObjectName = "financial_connections.session"

// SessionSkew is how much later than a session event's created instant a
// request may have been created and still be the one the event is about:
// the platform's clock and Stripe's may disagree by that much.
const SessionSkew = time.Minute

// SessionID identifies a Financial Connections session ("fcsess_…").
type SessionID string

// SessionStatus is a Financial Connections session's status (BETA). It
// decides whether a session without a relink_result ended the request
// (cancelled, failed), so unknown values are refused. The zero value means
// Stripe sent none (GA sessions have no status).
type SessionStatus string

// The session statuses Stripe documents (BETA).
const (
	SessionPending   SessionStatus = "pending"
	SessionSucceeded SessionStatus = "succeeded"
	SessionFailed    SessionStatus = "failed"
	SessionCancelled SessionStatus = "cancelled"
)

// Valid reports whether s is empty or one of Stripe's session statuses.
func (s SessionStatus) Valid() bool {
	switch s {
	case "", SessionPending, SessionSucceeded, SessionFailed, SessionCancelled:
		return true
	}
	return false
}

// SessionUpdate is what relink reads of a Financial Connections session,
// the data.object of a financial_connections.session.updated event (BETA):
// its ID, mode, status, relink_options and relink_result. Other members
// are not kept. The zero SessionUpdate is invalid (no ID).
type SessionUpdate struct {
	// ID is the session's ID.
	ID SessionID
	// Livemode is false in a sandbox.
	Livemode bool
	// Status is the session's status (BETA); empty when Stripe sent none.
	Status SessionStatus
	// RelinkOptions is relink_options (BETA): the authorization (and
	// maybe account) the session relinks; zero when the session is not a
	// relink.
	RelinkOptions RelinkOptions
	// RelinkResult is relink_result (BETA); zero while there is none.
	RelinkResult RelinkResult
}

// MaxSessionJSON bounds the JSON ParseSession reads.
const MaxSessionJSON = MaxAccountJSON

// Validate returns nil when every field holds a value the package accepts
// (valid text within MaxIDLen, a known status, relink_options with an
// authorization when it names an account), and otherwise an
// *InvalidError.
func (u SessionUpdate) Validate() error {
	switch {
	case u.ID == "" || !validText(string(u.ID), MaxIDLen):
		return &InvalidError{Field: "session.id", Value: string(u.ID)}
	case !u.Status.Valid():
		return &InvalidError{Field: "session.status", Value: string(u.Status)}
	case !validText(string(u.RelinkOptions.Authorization), MaxIDLen):
		return &InvalidError{Field: "relink_options.authorization", Value: string(u.RelinkOptions.Authorization)}
	case !validText(string(u.RelinkOptions.Account), MaxIDLen):
		return &InvalidError{Field: "relink_options.account", Value: string(u.RelinkOptions.Account)}
	case u.RelinkOptions.Account != "" && u.RelinkOptions.Authorization == "":
		return &InvalidError{Field: "relink_options.authorization", Value: ""}
	case !validText(string(u.RelinkResult.Account), MaxIDLen):
		return &InvalidError{Field: "relink_result.account", Value: string(u.RelinkResult.Account)}
	case !validText(string(u.RelinkResult.Authorization), MaxIDLen):
		return &InvalidError{Field: "relink_result.authorization", Value: string(u.RelinkResult.Authorization)}
	case !validText(string(u.RelinkResult.FailureReason), MaxIDLen):
		return &InvalidError{Field: "relink_result.failure_reason", Value: string(u.RelinkResult.FailureReason)}
	}
	return nil
}

// ParseSession decodes a Financial Connections session from Stripe's JSON
// (the data.object of financial_connections.session.updated, BETA) and
// validates it (SessionUpdate.Validate). It reads id, object (which must
// be financial_connections.session when present), livemode, status,
// relink_options {authorization, account} and relink_result {account,
// authorization, failure_reason}, JSON null reading as absent, each by
// its exact member name; other members, including ones whose names differ
// from these only in case ("Status", "Failure_Reason"), are ignored. Input over MaxSessionJSON bytes or nested deeper
// than MaxJSONDepth, malformed JSON, invalid UTF-8, an escaped lone surrogate
// (\ud800), an object with a member twice and members of the wrong type
// are errors matching ErrInvalid. It never panics.
func ParseSession(data []byte) (SessionUpdate, error) {
	if len(data) > MaxSessionJSON {
		return SessionUpdate{}, &InvalidError{Field: "session", Value: fmt.Sprintf("%d bytes, over %d", len(data), MaxSessionJSON)}
	}
	if err := strictText("session", data); err != nil {
		return SessionUpdate{}, err
	}
	// Every level by exact member name: encoding/json's struct decoding
	// would read "Status" or "Failure_Reason" as status or failure_reason.
	top, err := sessionMembers("session", data)
	if err != nil {
		return SessionUpdate{}, err
	}
	if top == nil {
		return SessionUpdate{}, &InvalidError{Field: "session.id", Value: ""}
	}
	var u SessionUpdate
	var object *string
	for _, m := range []struct {
		name string
		v    any
	}{{"id", (*string)(&u.ID)}, {"object", &object}, {"livemode", &u.Livemode}, {"status", (*string)(&u.Status)}} {
		if err := decodeSessionMember("session", top, m.name, m.v); err != nil {
			return SessionUpdate{}, err
		}
	}
	if object != nil && *object != sessionObjectName {
		return SessionUpdate{}, &InvalidError{Field: "session.object", Value: *object}
	}
	opts, err := sessionMembers("relink_options", top["relink_options"])
	if err != nil {
		return SessionUpdate{}, err
	}
	if opts != nil {
		if err := decodeSessionMember("relink_options", opts, "authorization", (*string)(&u.RelinkOptions.Authorization)); err != nil {
			return SessionUpdate{}, err
		}
		if err := decodeSessionMember("relink_options", opts, "account", (*string)(&u.RelinkOptions.Account)); err != nil {
			return SessionUpdate{}, err
		}
		if u.RelinkOptions.Authorization == "" {
			return SessionUpdate{}, &InvalidError{Field: "relink_options.authorization", Value: ""}
		}
	}
	res, err := sessionMembers("relink_result", top["relink_result"])
	if err != nil {
		return SessionUpdate{}, err
	}
	for _, m := range []struct {
		name string
		v    any
	}{{"account", (*string)(&u.RelinkResult.Account)}, {"authorization", (*string)(&u.RelinkResult.Authorization)}, {"failure_reason", &u.RelinkResult.FailureReason}} {
		if err := decodeSessionMember("relink_result", res, m.name, m.v); err != nil {
			return SessionUpdate{}, err
		}
	}
	if err := u.Validate(); err != nil {
		return SessionUpdate{}, err
	}
	return u, nil
}

// sessionMembers decodes raw, a JSON object, null or absent (nil), into
// its members by exact name; nil for null or absent.
func sessionMembers(field string, raw json.RawMessage) (map[string]json.RawMessage, error) {
	if raw == nil {
		return nil, nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, fmt.Errorf("%w: decoding financial connections session %s: %w", ErrInvalid, field, err)
	}
	return all, nil
}

// decodeSessionMember decodes the member name of all, when present, into
// v (JSON null leaves v as it is).
func decodeSessionMember(field string, all map[string]json.RawMessage, name string, v any) error {
	raw, ok := all[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: decoding financial connections session member %s.%s: %w", ErrInvalid, field, name, err)
	}
	return nil
}

// SessionResult says what applying a session update did to relink
// requests. Its text is the wire name.
type SessionResult string

// The session results.
const (
	// SessionCompleted: the matching pending request succeeded (Complete).
	SessionCompleted SessionResult = "completed"
	// SessionFailedRequest: the matching pending request failed (Fail),
	// with relink_result's failure reason (other for a failed session
	// without one).
	SessionFailedRequest SessionResult = "failed"
	// SessionCancelledRequest: the session was cancelled without a
	// relink_result; the matching request is cancelled.
	SessionCancelledRequest SessionResult = "cancelled"
	// SessionNoResult: the session carries no final result yet (pending,
	// or no relink_result and no final status); nothing was written.
	SessionNoResult SessionResult = "no_result"
	// SessionNoMatchingRequest: no request matches the session's
	// relink_options (or it has none); nothing was written.
	SessionNoMatchingRequest SessionResult = "no_matching_request"
)

// SessionApplied reports what ApplySessionResult did. It is a plain value
// and encodes as JSON with snake_case members.
type SessionApplied struct {
	// Session is the session applied.
	Session SessionID `json:"session"`
	// Verdict is snapshot.Newer when this update closed a request (or
	// found nothing to compare with), Duplicate when the matching request
	// was already closed just as this result says (a redelivery), Stale
	// when it was already closed otherwise (the result came too late).
	Verdict snapshot.Verdict `json:"-"`
	// Request is the matching request's ID; empty with
	// SessionNoMatchingRequest and SessionNoResult.
	Request RequestID `json:"request,omitempty"`
	// Result is what was done.
	Result SessionResult `json:"result"`
	// Stored is the matching request as stored afterwards.
	Stored Request `json:"-"`
}

// MarshalJSON encodes a as {"session", "verdict", "request", "result"}.
func (a SessionApplied) MarshalJSON() ([]byte, error) {
	type plain SessionApplied
	return json.Marshal(struct {
		plain
		Verdict string `json:"verdict"`
	}{plain(a), a.Verdict.String()})
}

// result maps the session onto a request Result: relink_result first
// (RelinkResult.Result), then a cancelled or failed status.
func (u SessionUpdate) result() (Result, SessionResult, bool) {
	if o, ok := u.RelinkResult.Result(); ok {
		if o.Status == RequestSucceeded {
			return o, SessionCompleted, true
		}
		return o, SessionFailedRequest, true
	}
	switch u.Status {
	case SessionCancelled:
		return Result{Status: RequestCancelled}, SessionCancelledRequest, true
	case SessionFailed:
		return Result{Status: RequestFailed, FailureReason: FailureOther}, SessionFailedRequest, true
	}
	return Result{}, SessionNoResult, false
}

// matches reports whether r is a request that a session with opts makes:
// the same relink_options, a request that recorded no authorization
// matching any authorization for its account.
func (opts RelinkOptions) matches(r Request) bool {
	ro := r.RelinkOptions()
	return ro.Account == opts.Account && (ro.Authorization == opts.Authorization || ro.Authorization == "")
}

// closedAs reports whether r ended as o says.
func closedAs(r Request, o Result) bool {
	if r.Status != o.Status {
		return false
	}
	switch o.Status {
	case RequestSucceeded:
		return o.Relinked == "" || o.Relinked == r.Relinked
	case RequestFailed:
		return o.FailureReason == r.FailureReason || (o.FailureReason == "" && r.FailureReason == FailureOther)
	}
	return true
}

// candidates returns the requests a session with opts may close, oldest
// first: the account's requests when opts names one, else those of every
// stored account of the authorization (one pass over the AccountStore).
func (s *Service) candidates(ctx context.Context, opts RelinkOptions) ([]Request, error) {
	var accounts []AccountID
	if opts.Account != "" {
		accounts = []AccountID{opts.Account}
	} else {
		var after AccountID
		for {
			page, err := s.Store.FCAccounts(ctx, after, MaxAccountsPage)
			if err != nil {
				return nil, err
			}
			for _, st := range page {
				if st.Account.Authorization == opts.Authorization {
					accounts = append(accounts, st.Account.ID)
				}
			}
			if len(page) < MaxAccountsPage {
				break
			}
			after = page[len(page)-1].Account.ID
		}
	}
	var out []Request
	for _, id := range accounts {
		reqs, err := s.Store.ListByAccount(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, r := range reqs {
			if opts.matches(r) {
				out = append(out, r)
			}
		}
	}
	sortRequests(out)
	return out, nil
}

// ApplySessionResult is shorthand for ApplySessionResultAt(ctx, session,
// mark, s.Clock.Now()).
func (s *Service) ApplySessionResult(ctx context.Context, session SessionUpdate, mark snapshot.Mark) (SessionApplied, error) {
	return s.ApplySessionResultAt(ctx, session, mark, s.now())
}

// ApplySessionResultAt applies a financial_connections.session.updated
// event (BETA; mark is the event's) at now: when the session carries a
// final result — relink_result (RelinkResult.Result: a failure reason
// fails the request, an authorization completes it, with the relinked
// account under K4), else a cancelled or failed status — it closes the
// matching pending request through the Store's conditional Close.
//
// The matching request is the oldest pending one, created no later than
// SessionSkew after the event (so that a redelivered old event cannot
// close a request made since), whose relink_options
// (Request.RelinkOptions) are the session's: with relink_options.account,
// among that account's requests (a request that recorded no authorization
// matches any); without, among the requests of every stored account of
// the authorization (AccountStore), which reads the accounts once. The
// request's pending condition orders results: the first final result
// applied wins, a redelivery is reported Duplicate, a different result
// for a request already closed Stale. When another writer closes the
// request in between (ErrNotPending), it matches again, at most
// MaxApplyAttempts times.
//
// A session or mark the package refuses is an error matching ErrInvalid;
// a completion onto another account where the same one was required is a
// *WrongAccountError (the request stays pending, K4).
func (s *Service) ApplySessionResultAt(ctx context.Context, session SessionUpdate, mark snapshot.Mark, now time.Time) (SessionApplied, error) {
	if s.Store == nil {
		return SessionApplied{}, ErrNoStore
	}
	if err := session.Validate(); err != nil {
		return SessionApplied{}, err
	}
	if err := mark.Validate(); err != nil {
		return SessionApplied{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	res := SessionApplied{Session: session.ID, Verdict: snapshot.Newer}
	o, sr, final := session.result()
	if !final {
		res.Result = SessionNoResult
		return res, nil
	}
	if session.RelinkOptions.Authorization == "" {
		res.Result = SessionNoMatchingRequest
		return res, nil
	}
	for range MaxApplyAttempts {
		reqs, err := s.candidates(ctx, session.RelinkOptions)
		if err != nil {
			return SessionApplied{}, err
		}
		var pending, closedSame, closedOther *Request
		for i := range reqs {
			r := &reqs[i]
			switch {
			case r.CreatedAt.After(mark.Created.Add(SessionSkew)):
				// created after the event: not the request it is about
			case r.Status == RequestPending:
				if pending == nil {
					pending = r
				}
			case closedAs(*r, o):
				closedSame = r
			default:
				closedOther = r
			}
		}
		switch {
		case pending != nil:
			closed, err := s.Store.Close(ctx, pending.ID, o, now)
			if errors.Is(err, ErrNotPending) {
				continue // another writer closed it: match again
			}
			if err != nil {
				return SessionApplied{}, err
			}
			res.Request, res.Result, res.Stored = closed.ID, sr, closed
		case closedSame != nil:
			res.Verdict, res.Request, res.Result, res.Stored = snapshot.Duplicate, closedSame.ID, sr, *closedSame
		case closedOther != nil:
			res.Verdict, res.Request, res.Result, res.Stored = snapshot.Stale, closedOther.ID, SessionNoMatchingRequest, *closedOther
		default:
			res.Result = SessionNoMatchingRequest
		}
		return res, nil
	}
	return SessionApplied{}, fmt.Errorf("%w: relink requests for session %s kept changing while applying event %s", ErrConflict, session.ID, mark.EventID)
}
