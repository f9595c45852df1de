package relink

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// RequestID identifies a relink request (a relink session).
type RequestID string

// NewRequestID returns a random request ID, "relreq_" and 32 hex digits
// (128 bits from crypto/rand).
func NewRequestID() (RequestID, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("relink: generating request id: %w", err)
	}
	return RequestID("relreq_" + hex.EncodeToString(b[:])), nil
}

// RequestStatus is a relink request's status. The first four are Stripe's
// relink session statuses; StatusExpired is connectkit's, for a request
// whose link lapsed without an answer. Unknown values are invalid. The zero
// value is invalid.
type RequestStatus string

// The request statuses. Only pending is open; the others are final.
const (
	// StatusPending: sent, waiting for the customer.
	StatusPending RequestStatus = "pending"
	// StatusSucceeded: the customer completed the relink. This, and only
	// this, resets the 48-hour limit (K3).
	StatusSucceeded RequestStatus = "succeeded"
	// StatusFailed: the relink failed (see FailureReason).
	StatusFailed RequestStatus = "failed"
	// StatusCancelled: the platform cancelled the request.
	StatusCancelled RequestStatus = "cancelled"
	// StatusExpired: the request lapsed without an answer (connectkit).
	StatusExpired RequestStatus = "expired"
)

// Valid reports whether s is a declared status.
func (s RequestStatus) Valid() bool {
	switch s {
	case StatusPending, StatusSucceeded, StatusFailed, StatusCancelled, StatusExpired:
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
	// Account is the account asked to be relinked.
	Account AccountID
	// Method and Delivery say how it was asked; Delivery only with
	// MethodHostedAPI.
	Method   Method
	Delivery Delivery
	// Purpose is why it was asked (K5).
	Purpose Purpose
	// SameAccount reports whether the customer must relink exactly
	// Account (K4): always for hosted methods, by choice for API relink.
	SameAccount bool
	// Status is the request's status.
	Status RequestStatus
	// FailureReason is set when Status is failed.
	FailureReason FailureReason
	// Relinked is the account the customer relinked, set on success.
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
	return r.Method == MethodDashboard || (r.Method == MethodHostedAPI && r.Delivery == DeliveryEmail)
}

// NewRequest returns the pending request that ask makes for account, with
// SameAccount set as K4 says. It does not decide eligibility: see
// Policy.Check.
func NewRequest(id RequestID, account AccountID, ask Ask) Request {
	return Request{
		ID:          id,
		Account:     account,
		Method:      ask.Method,
		Delivery:    ask.Delivery,
		Purpose:     ask.Purpose,
		SameAccount: ask.Method.Hosted() || !ask.AllowOtherAccount,
		Status:      StatusPending,
	}
}

// Validate returns nil when r can be stored as a new request: it has an ID
// and an account, a valid method with a delivery that fits it, and a valid
// purpose. Otherwise it returns an *InvalidError.
func (r Request) Validate() error {
	switch {
	case r.ID == "":
		return &InvalidError{Field: "request.id", Value: ""}
	case r.Account == "":
		return &InvalidError{Field: "request.account", Value: ""}
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

// Outcome is how a pending request ends: Status (succeeded, failed,
// cancelled or expired), with Relinked for success and FailureReason for
// failure.
type Outcome struct {
	// Status is the final status: succeeded, failed, cancelled or expired.
	Status RequestStatus
	// Relinked is the account the customer relinked, on success; empty
	// means the account asked for.
	Relinked AccountID
	// FailureReason is why it failed; empty means FailureOther.
	FailureReason FailureReason
}

// Close returns r closed with o at now, or an error that leaves r as it
// was: ErrConflict if r is not pending, ErrInvalid for an outcome that is
// not final, and *WrongAccountError when a success relinked another
// account where the same account was required (K4). Stores use it so that
// every adapter applies the same transitions.
func (r Request) Close(o Outcome, now time.Time) (Request, error) {
	if r.Status != StatusPending {
		return r, fmt.Errorf("%w: request %s is %s", ErrConflict, r.ID, r.Status)
	}
	switch o.Status {
	case StatusSucceeded:
		if o.Relinked == "" {
			o.Relinked = r.Account
		}
		if r.SameAccount && o.Relinked != r.Account {
			return r, &WrongAccountError{Request: r.ID, Want: r.Account, Got: o.Relinked}
		}
		r.Relinked = o.Relinked
	case StatusFailed:
		r.FailureReason = o.FailureReason
		if r.FailureReason == "" {
			r.FailureReason = FailureOther
		}
	case StatusCancelled, StatusExpired:
	default:
		return r, &InvalidError{Field: "request.status", Value: string(o.Status)}
	}
	r.Status = o.Status
	r.ClosedAt = now
	return r, nil
}
