package relink

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// RequestID identifies a relink request (a relink session).
type RequestID string

// NewRequestID returns a random request ID, "relreq_" and 32 hex digits
// (128 bits read from r; nil r is crypto/rand.Reader).
func NewRequestID(r io.Reader) (RequestID, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("relink: generating request id: %w", err)
	}
	return RequestID("relreq_" + hex.EncodeToString(b[:])), nil
}

// RequestStatus is a relink request's status. The first four are Stripe's
// relink session statuses; RequestExpired is connectkit's, for a request
// whose link lapsed without an answer. Unknown values are invalid. The zero
// value is invalid.
type RequestStatus string

// The request statuses. Only pending is open; the others are final.
const (
	// RequestPending: sent, waiting for the customer.
	RequestPending RequestStatus = "pending"
	// RequestSucceeded: the customer completed the relink. This, and only
	// this, resets the 48-hour limit (K3).
	RequestSucceeded RequestStatus = "succeeded"
	// RequestFailed: the relink failed (see FailureReason).
	RequestFailed RequestStatus = "failed"
	// RequestCancelled: the platform cancelled the request.
	RequestCancelled RequestStatus = "cancelled"
	// RequestExpired: the request lapsed without an answer (connectkit).
	RequestExpired RequestStatus = "expired"
)

// Valid reports whether s is a declared status.
func (s RequestStatus) Valid() bool {
	switch s {
	case RequestPending, RequestSucceeded, RequestFailed, RequestCancelled, RequestExpired:
		return true
	}
	return false
}

// FailureReason is relink_result.failure_reason. Stripe may add reasons, so
// unknown values are kept as they are.
type FailureReason string

// The failure reasons Stripe documents.
const (
	// FailureNoAccount: the customer did not link the account asked for.
	FailureNoAccount FailureReason = "no_account"
	// FailureNoAuthorization: the customer did not authorize.
	FailureNoAuthorization FailureReason = "no_authorization"
	// FailureOther: any other failure.
	FailureOther FailureReason = "other"
)

// Request is one relink request for one account (K3, K4). It is a plain
// value; Stores hand out copies.
type Request struct {
	// ID identifies the request.
	ID RequestID
	// Account is the account asked to be relinked; the 48-hour limit (K3)
	// and the same-account rule (K4) apply to it.
	Account AccountID
	// Authorization is the Financial Connections authorization the request
	// relinks (relink_options.authorization); empty when unknown (an
	// account decoded from GA JSON carries none).
	Authorization AuthorizationID
	// Method and Delivery say how it was asked; Delivery only with
	// MethodHostedAPI.
	Method   Method
	Delivery Delivery
	// Purpose is why it was asked (K5).
	Purpose Purpose
	// CreatedBy is the ID of the user who asked (Ask.User.ID), for the
	// audit trail; empty when an API call named no user.
	CreatedBy string
	// SameAccount reports whether the customer must relink exactly
	// Account (K4): always for hosted methods, by choice for API relink.
	SameAccount bool
	// Status is the request's status.
	Status RequestStatus
	// FailureReason is set when Status is failed.
	FailureReason FailureReason
	// Relinked is the account the customer relinked, set on success when
	// known: Stripe's relink_result.account, or Account where SameAccount;
	// empty when another account was allowed and the result did not say.
	Relinked AccountID
	// CreatedAt is when the request was created; the 48-hour limit runs
	// from it.
	CreatedAt time.Time
	// ClosedAt is when the request left pending; zero while pending.
	ClosedAt time.Time
}

// Limited reports whether the request counts toward the 48-hour limit: it
// was made from the Dashboard, or through the hosted API with Stripe
// emailing the customer (K3).
func (r Request) Limited() bool {
	return r.Method == MethodHostedDashboard || (r.Method == MethodHostedAPI && r.Delivery == DeliveryEmail)
}

// NewRequest returns the pending request that ask makes for account, with
// SameAccount set as K4 says. It does not decide eligibility: see
// CanRequest.
func NewRequest(id RequestID, account AccountID, ask Ask) Request {
	return Request{
		ID:            id,
		Account:       account,
		Authorization: ask.Authorization,
		Method:        ask.Method,
		Delivery:      ask.Delivery,
		Purpose:       ask.Purpose,
		CreatedBy:     ask.User.ID,
		SameAccount:   ask.Method.Hosted() || !ask.AllowOtherAccount,
		Status:        RequestPending,
	}
}

// Validate returns nil when r can be stored as a new request: it has a
// valid ID and account (see RequestID.Validate), an authorization and a
// CreatedBy that are empty or valid text (CreatedBy as roles.User.Validate
// accepts an ID), a valid method with a delivery that fits it, and a valid
// purpose. Otherwise it returns an *InvalidError.
func (r Request) Validate() error {
	if err := r.ID.Validate(); err != nil {
		return err
	}
	if err := r.Account.Validate(); err != nil {
		return err
	}
	switch {
	case !validText(string(r.Authorization), MaxIDLen):
		return &InvalidError{Field: "request.authorization", Value: string(r.Authorization)}
	case r.CreatedBy != "" && !validUserID(r.CreatedBy):
		return &InvalidError{Field: "request.created_by", Value: r.CreatedBy}
	case !r.Method.Valid():
		return &InvalidError{Field: "request.method", Value: r.Method.String()}
	case r.Method == MethodHostedAPI && r.Delivery != DeliveryEmail && r.Delivery != DeliveryURL,
		r.Method != MethodHostedAPI && r.Delivery != "":
		return &InvalidError{Field: "hosted.delivery_method", Value: string(r.Delivery)}
	case !r.Purpose.Valid():
		return &InvalidError{Field: "request.purpose", Value: r.Purpose.String()}
	case r.Method.Hosted() && !r.SameAccount:
		return &InvalidError{Field: "relink_options.account", Value: "any"}
	}
	return nil
}

// Result is how a pending request ends: Status (succeeded, failed,
// cancelled or expired), with Relinked for success and FailureReason for
// failure.
type Result struct {
	// Status is the final status: succeeded, failed, cancelled or expired.
	Status RequestStatus
	// Relinked is the account the customer relinked, on success; empty
	// means unknown (Request.Close records the account asked for only
	// where exactly that one was required, K4).
	Relinked AccountID
	// Authorization is relink_result.authorization, on success: the
	// authorization Stripe says was relinked; empty when not known.
	// Request.Close refuses one other than the request's.
	Authorization AuthorizationID
	// FailureReason is why it failed; empty means FailureOther.
	FailureReason FailureReason
}

// Validate returns nil when o can be applied to a request: a final status,
// and a relinked account and failure reason that are empty or valid text
// (no NUL, valid UTF-8, at most MaxIDLen bytes). Otherwise it returns an
// *InvalidError.
func (o Result) Validate() error {
	switch {
	case o.Status != RequestSucceeded && o.Status != RequestFailed && o.Status != RequestCancelled && o.Status != RequestExpired:
		return &InvalidError{Field: "request.status", Value: string(o.Status)}
	case !validText(string(o.Relinked), MaxIDLen):
		return &InvalidError{Field: "relink_result.account", Value: string(o.Relinked)}
	case !validText(string(o.FailureReason), MaxIDLen):
		return &InvalidError{Field: "relink_result.failure_reason", Value: string(o.FailureReason)}
	case !validText(string(o.Authorization), MaxIDLen):
		return &InvalidError{Field: "relink_result.authorization", Value: string(o.Authorization)}
	}
	return nil
}

// Validate returns nil when id can name a stored request: not empty, valid
// UTF-8 without NUL, at most MaxIDLen bytes. Otherwise an *InvalidError.
func (id RequestID) Validate() error {
	if id == "" || !validText(string(id), MaxIDLen) {
		return &InvalidError{Field: "request.id", Value: string(id)}
	}
	return nil
}

// Validate returns nil when id can name an account in a Store: not empty,
// valid UTF-8 without NUL, at most MaxIDLen bytes. Otherwise an
// *InvalidError.
func (id AccountID) Validate() error {
	if id == "" || !validText(string(id), MaxIDLen) {
		return &InvalidError{Field: "request.account", Value: string(id)}
	}
	return nil
}

// RelinkOptions is a relink session's relink_options (BETA): the
// authorization to relink and, when the customer must relink exactly one
// account (K4), that account.
type RelinkOptions struct {
	// Authorization is relink_options.authorization.
	Authorization AuthorizationID `json:"authorization"`
	// Account is relink_options.account; empty when any account of the
	// authorization may be relinked.
	Account AccountID `json:"account,omitempty"`
}

// RelinkOptions returns the relink_options of the session that makes r:
// its authorization, and its account when SameAccount.
func (r Request) RelinkOptions() RelinkOptions {
	o := RelinkOptions{Authorization: r.Authorization}
	if r.SameAccount {
		o.Account = r.Account
	}
	return o
}

// RelinkResult is a relink session's relink_result (BETA), as Stripe
// sends it: the relinked account (only when relink_options.account was
// given and the relink worked), the authorization (only when it worked),
// and the failure reason otherwise. JSON null reads as empty. The zero
// RelinkResult is no result yet.
type RelinkResult struct {
	// Account is relink_result.account.
	Account AccountID `json:"account"`
	// Authorization is relink_result.authorization.
	Authorization AuthorizationID `json:"authorization"`
	// FailureReason is relink_result.failure_reason.
	FailureReason FailureReason `json:"failure_reason"`
}

// Result maps the session result onto a request Result: a failure reason is a
// failed request (Service.Fail), an authorization without one is a
// succeeded request that relinked Account, of that Authorization (empty
// Account is unknown: see Request.Close). ok is false when the result
// holds neither, which is no final result.
func (r RelinkResult) Result() (o Result, ok bool) {
	switch {
	case r.FailureReason != "":
		return Result{Status: RequestFailed, FailureReason: r.FailureReason}, true
	case r.Authorization != "":
		return Result{Status: RequestSucceeded, Relinked: r.Account, Authorization: r.Authorization}, true
	}
	return Result{}, false
}

// Close returns r closed with o at now, or an error that leaves r as it
// was: ErrInvalid for an outcome Result.Validate refuses (checked first),
// ErrNotPending if r is not pending, an *InvalidError (ErrInvalid) when a
// success names an authorization other than the one r relinks (r
// recording none accepts any), and *WrongAccountError when a success
// relinked another account where the same account was required (K4). A
// success that does not name the relinked account records r.Account
// where r.SameAccount (the only account the customer could relink) and
// leaves Relinked empty otherwise: connectkit does not invent which
// account of the authorization was relinked. Stores use it so that every
// adapter applies the same transitions.
func (r Request) Close(o Result, now time.Time) (Request, error) {
	if err := o.Validate(); err != nil {
		return r, err
	}
	if r.Status != RequestPending {
		return r, fmt.Errorf("%w: request %s is %s", ErrNotPending, r.ID, r.Status)
	}
	switch o.Status {
	case RequestSucceeded:
		if o.Authorization != "" && r.Authorization != "" && o.Authorization != r.Authorization {
			return r, &InvalidError{Field: "relink_result.authorization",
				Value: fmt.Sprintf("%s, but request %s relinks %s", o.Authorization, r.ID, r.Authorization)}
		}
		if o.Relinked == "" && r.SameAccount {
			o.Relinked = r.Account // the only account the customer could relink (K4)
		}
		if r.SameAccount && o.Relinked != r.Account {
			return r, &WrongAccountError{Request: r.ID, Want: r.Account, Got: o.Relinked}
		}
		r.Relinked = o.Relinked
	case RequestFailed:
		r.FailureReason = o.FailureReason
		if r.FailureReason == "" {
			r.FailureReason = FailureOther
		}
	}
	r.Status = o.Status
	r.ClosedAt = now
	return r, nil
}
