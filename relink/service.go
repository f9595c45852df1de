package relink

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/roles"
)

// ErrNoStore (kind InvalidInput) is returned by a Service that has no
// Store.
var ErrNoStore = errkind.New(errkind.InvalidInput, "relink: service has no store")

// Service asks for relinks: it decides with CanRequest, then makes the
// conditional write to Store, which holds the 48-hour limit even when
// replicas race. Every method that reads the clock has an At form taking
// the instant; X is shorthand for XAt at s.Clock.Now().
//
// A Service is safe for concurrent use if its Store and Rand are. In the
// zero Service, Store is nil (every method returns ErrNoStore), Clock nil
// means clock.System{}, Policy nil means roles.Default(), Rand nil means
// crypto/rand.Reader, and ConfirmedEmails is empty, so every emailed
// sandbox request is refused (K6).
type Service struct {
	// Store keeps the requests and holds the limit across replicas.
	Store Store
	// Clock supplies now to the methods without At; nil means the system
	// clock.
	Clock clock.Clock
	// Policy decides which Dashboard users may request relink
	// (roles.RequestRelink); nil means roles.Default().
	Policy *roles.Policy
	// ConfirmedEmails are the confirmed user emails of the platform's
	// Stripe account, compared without regard to case: in a sandbox,
	// Stripe emails only those (K6).
	ConfirmedEmails []string
	// Rand is the source of request-ID randomness; nil is
	// crypto/rand.Reader. Inject a deterministic reader only in tests.
	Rand io.Reader
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return clock.System{}.Now()
	}
	return s.Clock.Now()
}

func (s *Service) policy() roles.Policy {
	if s.Policy == nil {
		return roles.Default()
	}
	return *s.Policy
}

// Decide is shorthand for DecideAt(ctx, acct, ask, s.Clock.Now()).
func (s *Service) Decide(ctx context.Context, acct Account, ask Ask) (Decision, error) {
	return s.DecideAt(ctx, acct, ask, s.now())
}

// DecideAt returns the decision for ask on acct at now (CanRequest with
// the Service's Policy and ConfirmedEmails), with the limit read from the
// account's stored requests. It writes nothing; the error is for storage
// faults only.
func (s *Service) DecideAt(ctx context.Context, acct Account, ask Ask, now time.Time) (Decision, error) {
	var d Decision
	err := s.decideAt(ctx, &acct, &ask, now, &d, nil)
	return d, err
}

// decided is what decideAt learnt besides the decision, for refusal.
type decided struct {
	// slot is the account's refusal slot, with MemoryStore (see refusal).
	slot *atomic.Pointer[lastRefusal]
	// last is the slot's last refusal when it was decided from the very
	// same inputs and still holds at now (lastRefusal.reuses): the decision
	// is its decision.
	last *lastRefusal
	// lim is the account's limit.
	lim Limit
}

// decideAt is DecideAt writing the decision to d and, when out is not nil,
// what refusal needs to *out.
func (s *Service) decideAt(ctx context.Context, acct *Account, ask *Ask, now time.Time, d *Decision, out *decided) error {
	if s.Store == nil {
		return ErrNoStore
	}
	var lim Limit
	var slot *atomic.Pointer[lastRefusal]
	seen := false
	if m, ok := s.Store.(*MemoryStore); ok && ask.emails() && acct.ID != "" && len(acct.ID) <= MaxIDLen {
		// An ID the store could not hold finds nothing; canRequest then
		// refuses it as invalid input.
		var err error
		if lim, slot, err = m.limitOf(ctx, acct.ID); err != nil {
			return err
		}
		if slot != nil {
			if last := slot.Load(); last != nil && last.seen.matches(acct) {
				if last.reuses(ask, s.Policy, s.ConfirmedEmails, lim, now) {
					*d = last.err.Decision
					if out != nil {
						*out = decided{slot: slot, last: last, lim: lim}
					}
					return nil
				}
				seen = true
			}
		}
	} else if acct.ID.Validate() == nil && ask.emails() {
		reqs, err := s.Store.ListByAccount(ctx, acct.ID)
		if err != nil {
			return err
		}
		lim = LimitOf(reqs)
	}
	canRequest(d, s.Policy, ask, acct, seen, lim, s.ConfirmedEmails, now)
	if out != nil {
		*out = decided{slot: slot, lim: lim}
	}
	return nil
}

// sameRefusal reports whether a == b, for two decisions on the account of
// one refusal slot: the account's ID is the slot's key, so it is compared
// last, after the fields that differ between refusals.
func sameRefusal(a, b *Decision) bool {
	return a.Reasons == b.Reasons && a.NextPossibleAt == b.NextPossibleAt &&
		a.Method == b.Method && a.Allowed == b.Allowed && a.Role == b.Role &&
		a.RelinkRequired == b.RelinkRequired && a.Deadline == b.Deadline &&
		a.Account == b.Account
}

// refusal returns d.Err() for a refusing d, decided from acct, ask and
// lim at now. With a slot, an error equal to the account's last refusal is
// that same error rather than a new one, so that an ask refused again and
// again (a client retrying within the 48 hours) allocates nothing; a new
// refusal is recorded with its inputs (newLastRefusal).
func (s *Service) refusal(d *Decision, slot *atomic.Pointer[lastRefusal], acct *Account, ask *Ask, lim Limit, now time.Time) error {
	if slot == nil {
		return d.Err()
	}
	if last := slot.Load(); last != nil && sameRefusal(&last.err.Decision, d) {
		return &last.err
	}
	last := newLastRefusal(d, acct, ask, s.Policy, s.ConfirmedEmails, lim, now)
	slot.Store(last)
	return &last.err
}

// Request is shorthand for RequestAt(ctx, acct, ask, s.Clock.Now()).
func (s *Service) Request(ctx context.Context, acct Account, ask Ask) (Request, Decision, error) {
	return s.RequestAt(ctx, acct, ask, s.now())
}

// RequestAt decides ask for acct at now and, when allowed, creates the
// request with one conditional write; the request records who asked
// (Request.CreatedBy is ask.User.ID). It returns the created request and
// the decision. A refusal is the decision's error (ErrNotEligible,
// ErrRateLimited, roles.ErrDenied); when another replica won the race
// between decision and write, the Store's *RateLimitedError is returned
// and the decision is updated to say so, with NextPossibleAt.
//
// Identical refusals may share one *DecisionError (with MemoryStore, a
// refusal equal to the account's previous one is the same error, so that
// refusing a retried ask allocates nothing; an ask repeated with the very
// same values is not even decided again): treat the error as read-only.
func (s *Service) RequestAt(ctx context.Context, acct Account, ask Ask, now time.Time) (r Request, d Decision, err error) {
	// Small enough to inline: the caller's own result variables are
	// written in place, and a refusal leaves r zero without copying it.
	err = s.requestAt(ctx, &acct, &ask, now, &r, &d)
	return r, d, err
}

// requestAt is RequestAt writing the request and the decision to *r and
// *d, which are zero.
func (s *Service) requestAt(ctx context.Context, acct *Account, ask *Ask, now time.Time, r *Request, d *Decision) error {
	var dd decided
	if err := s.decideAt(ctx, acct, ask, now, d, &dd); err != nil {
		return err
	}
	if dd.last != nil {
		return &dd.last.err
	}
	if !d.Allowed {
		return s.refusal(d, dd.slot, acct, ask, dd.lim, now)
	}
	id, err := NewRequestID(s.Rand)
	if err != nil {
		return err
	}
	auth := ask.Authorization
	if auth == "" {
		auth = acct.Authorization
	}
	req := NewRequest(id, acct.ID, *ask)
	req.Authorization = auth
	created, err := s.Store.CreateRequest(ctx, req, now)
	var rl *RateLimitedError
	if errors.As(err, &rl) {
		d.Allowed = false
		d.Reasons = d.Reasons.With(ReasonRateLimited)
		d.NextPossibleAt = rl.NextPossibleAt
		return d.Err()
	}
	*r = created
	return err
}

// Complete is shorthand for CompleteAt(ctx, id, relinked, s.Clock.Now()).
func (s *Service) Complete(ctx context.Context, id RequestID, relinked AccountID) (Request, error) {
	return s.CompleteAt(ctx, id, relinked, s.now())
}

// CompleteAt records that the customer completed request id at now by
// relinking account relinked (empty means unknown: the account asked for is recorded
// only where the same account was required, see Request.Close). This
// resets the 48-hour limit (K3). Relinking another account where the same
// one was required is a *WrongAccountError and leaves the request pending
// (K4).
func (s *Service) CompleteAt(ctx context.Context, id RequestID, relinked AccountID, now time.Time) (Request, error) {
	return s.close(ctx, id, Result{Status: RequestSucceeded, Relinked: relinked}, now)
}

// RecordResult is shorthand for RecordResultAt(ctx, id, res, s.Clock.Now()).
func (s *Service) RecordResult(ctx context.Context, id RequestID, res RelinkResult) (Request, error) {
	return s.RecordResultAt(ctx, id, res, s.now())
}

// RecordResultAt records a relink session's relink_result for request id
// at now, as RelinkResult.Result maps it: a success is CompleteAt with
// the relinked account (K4 applies), a failure is FailAt with its reason.
// A result with neither is an *InvalidError and changes nothing.
func (s *Service) RecordResultAt(ctx context.Context, id RequestID, res RelinkResult, now time.Time) (Request, error) {
	o, ok := res.Result()
	if !ok {
		return Request{}, &InvalidError{Field: "relink_result", Value: "neither authorization nor failure_reason"}
	}
	return s.close(ctx, id, o, now)
}

// Fail is shorthand for FailAt(ctx, id, reason, s.Clock.Now()).
func (s *Service) Fail(ctx context.Context, id RequestID, reason FailureReason) (Request, error) {
	return s.FailAt(ctx, id, reason, s.now())
}

// FailAt records that request id failed at now. It does not reset the
// limit.
func (s *Service) FailAt(ctx context.Context, id RequestID, reason FailureReason, now time.Time) (Request, error) {
	return s.close(ctx, id, Result{Status: RequestFailed, FailureReason: reason}, now)
}

// Cancel is shorthand for CancelAt(ctx, id, s.Clock.Now()).
func (s *Service) Cancel(ctx context.Context, id RequestID) (Request, error) {
	return s.CancelAt(ctx, id, s.now())
}

// CancelAt records that the platform cancelled request id at now. It does
// not reset the limit.
func (s *Service) CancelAt(ctx context.Context, id RequestID, now time.Time) (Request, error) {
	return s.close(ctx, id, Result{Status: RequestCancelled}, now)
}

// Expire is shorthand for ExpireAt(ctx, id, s.Clock.Now()).
func (s *Service) Expire(ctx context.Context, id RequestID) (Request, error) {
	return s.ExpireAt(ctx, id, s.now())
}

// ExpireAt records that request id lapsed unanswered at now. It does not
// reset the limit.
func (s *Service) ExpireAt(ctx context.Context, id RequestID, now time.Time) (Request, error) {
	return s.close(ctx, id, Result{Status: RequestExpired}, now)
}

func (s *Service) close(ctx context.Context, id RequestID, o Result, now time.Time) (Request, error) {
	if s.Store == nil {
		return Request{}, ErrNoStore
	}
	return s.Store.Close(ctx, id, o, now)
}
