package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/roles"
)

// Service applies the platform operations to the accounts in a Store: it
// reads, decides with the pure decision of the operation, and writes back
// with one conditional write against the version it read. It is safe for
// concurrent use when its Store and Clock are, and it starts no
// goroutines.
//
// A write that loses a race returns an error matching ErrConflict and
// changes nothing; the caller retries the whole call, which reads and
// decides again. A refused operation returns its Decision and
// Decision.Err(), matching ErrDenied when the roles refuse and
// ErrNotEligible (and ErrRemoved for a removed account, A6) when a reason
// does. The zero Service has no Store: every method returns an error
// matching ErrNoStore. A nil Clock is the system clock and a nil Policy is
// roles.Default(), the published rules, as in links.Service and
// relink.Service.
type Service struct {
	// Store keeps the accounts and the platform.
	Store Store
	// Clock supplies the instant decisions take; nil is clock.System{}.
	Clock clock.Clock
	// Policy decides which roles may take which action; nil is
	// roles.Default().
	Policy *roles.Policy
}

// policy returns the Service's policy, roles.Default() when none is set.
func (s *Service) policy() roles.Policy {
	if s.Policy == nil {
		return roles.Default()
	}
	return *s.Policy
}

func (s *Service) ready() error {
	if s == nil || s.Store == nil {
		return ErrNoStore
	}
	return nil
}

func (s *Service) now() time.Time {
	if s.Clock == nil {
		return clock.System{}.Now()
	}
	return s.Clock.Now()
}

// Create is shorthand for CreateAt(ctx, user, a, s.Clock.Now()).
func (s *Service) Create(ctx context.Context, user roles.User, a Account) (Account, Decision, error) {
	return s.CreateAt(ctx, user, a, s.now())
}

// CreateAt creates account a in the platform's Dashboard on behalf of user
// (A3; decided by CanCreate with user.Roles). A user that fails
// User.Validate is an error matching roles.ErrInvalidUser. A malformed a, or one holding a
// non-zero balance (a new account starts with none: balances change only
// through SendFunds and PullFunds), is an error matching ErrInvalid; an account already stored under a.ID is ErrExists.
// The stored account starts at Version 1, and its LastActivity is now
// when a has none. The Decision's NeedsOnboardingLink says whether the
// holder must now complete a one-time onboarding link.
func (s *Service) CreateAt(ctx context.Context, user roles.User, a Account, now time.Time) (Account, Decision, error) {
	if err := s.ready(); err != nil {
		return Account{}, Decision{}, err
	}
	if err := user.Validate(); err != nil {
		return Account{}, Decision{}, wrap(err, "create")
	}
	if err := a.Validate(); err != nil {
		return Account{}, Decision{}, wrap(err, "create")
	}
	for c, d := range a.Balance {
		if !d.IsZero() {
			// Balances change only through funds moves (A7, A8): a
			// new account holding money would mint it.
			return Account{}, Decision{}, wrap(&RuleError{Rule: "A7", Field: fmt.Sprintf("Balance[%q]", c), Err: ErrInvalid}, "create")
		}
	}
	p, err := s.Store.GetPlatform(ctx)
	if err != nil {
		return Account{}, Decision{}, wrap(err, "create")
	}
	d := CanCreate(s.policy(), user.Roles, p, a)
	if !d.Allowed {
		return Account{}, d, d.Err()
	}
	if a.LastActivity.IsZero() {
		a.LastActivity = now
	}
	got, err := s.Store.Create(ctx, a)
	if err != nil {
		return Account{}, d, wrap(err, fmt.Sprintf("create %s", a.ID))
	}
	return got, d, nil
}

// change reads the account under id, decides, and on success applies edit
// to it and writes it back against the version read.
func (s *Service) change(ctx context.Context, user roles.User, id ID, decide func(Account) Decision, edit func(*Account)) (Account, Decision, error) {
	if err := s.ready(); err != nil {
		return Account{}, Decision{}, err
	}
	if err := user.Validate(); err != nil {
		return Account{}, Decision{}, wrap(err, "")
	}
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return Account{}, Decision{}, wrap(err, "")
	}
	d := decide(a)
	if !d.Allowed {
		return Account{}, d, d.Err()
	}
	v := a.Version
	edit(&a)
	got, err := s.Store.Update(ctx, a, v)
	if err != nil {
		return Account{}, d, wrap(err, fmt.Sprintf("%v %s", d.Op, id))
	}
	return got, d, nil
}

// Remove is shorthand for RemoveAt(ctx, user, id, s.Clock.Now()).
func (s *Service) Remove(ctx context.Context, user roles.User, id ID) (Account, Decision, error) {
	return s.RemoveAt(ctx, user, id, s.now())
}

// RemoveAt removes the account under id from the platform on behalf of
// user at now (A6; decided by CanRemove with user.Roles). Removal is
// permanent: the account stays in the Store marked Removed, with who
// removed it and when (RemovedBy, user.ID; RemovedAt, now) for the audit
// trail; every later operation on it is refused with ErrRemoved, and its
// platform-controlled settings (payout schedule, embedded components) are
// cleared and not reinstated. A user that fails User.Validate is an error
// matching roles.ErrInvalidUser.
func (s *Service) RemoveAt(ctx context.Context, user roles.User, id ID, now time.Time) (Account, Decision, error) {
	return s.change(ctx, user, id,
		func(a Account) Decision { return CanRemove(s.policy(), user.Roles, a) },
		func(a *Account) {
			a.Removed = true
			a.RemovedBy, a.RemovedAt = user.ID, now
			a.PayoutSchedule = PayoutSchedule{}
			a.Components = Components{}
		})
}

// EditAccountInformation replaces the business name, email and
// representative of the account under id (A9; decided by
// CanEditAccountInformation). Malformed info is an error matching
// ErrInvalid, checked before anything is read.
func (s *Service) EditAccountInformation(ctx context.Context, user roles.User, id ID, info Info) (Account, Decision, error) {
	if err := info.Validate(); err != nil {
		return Account{}, Decision{}, wrap(err, "edit account information")
	}
	return s.change(ctx, user, id,
		func(a Account) Decision { return CanEditAccountInformation(s.policy(), user.Roles, a) },
		func(a *Account) {
			a.BusinessName, a.Email, a.Representative = info.BusinessName, info.Email, info.Representative
		})
}

// EditPayoutSchedule replaces the payout schedule of the account under id
// (A9; decided by CanEditPayoutSchedule with user.Roles). A malformed
// schedule is an error matching ErrInvalid, checked before anything is
// read; a user that fails User.Validate, one matching roles.ErrInvalidUser.
func (s *Service) EditPayoutSchedule(ctx context.Context, user roles.User, id ID, sched PayoutSchedule) (Account, Decision, error) {
	if err := sched.Validate(); err != nil {
		return Account{}, Decision{}, wrap(err, "edit payout schedule")
	}
	return s.change(ctx, user, id,
		func(a Account) Decision { return CanEditPayoutSchedule(s.policy(), user.Roles, a) },
		func(a *Account) { a.PayoutSchedule = sched })
}

// Transfer is the result of a funds move (A7, A8): the decision, and when
// the move was applied — now or by an earlier call with the same key — the
// platform and the account exactly as the move left them.
type Transfer struct {
	// Decision is the operation's decision; for a replay, the role check
	// of the retry.
	Decision Decision
	// Platform is the platform as the move left it; zero when nothing
	// was moved.
	Platform Platform
	// Account is the account as the move left it; zero when nothing was
	// moved.
	Account Account
	// Replayed reports that the move was applied by an earlier call with
	// the same idempotency key, whose result this is.
	Replayed bool
}

// SendFunds is shorthand for SendFundsAt(ctx, user, id, m, to, key,
// s.Clock.Now()).
func (s *Service) SendFunds(ctx context.Context, user roles.User, id ID, m Money, to Destination, key string) (Transfer, error) {
	return s.SendFundsAt(ctx, user, id, m, to, key, s.now())
}

// SendFundsAt moves m from the platform balance to the account under id on
// behalf of user, landing at to (A7; decided by CanSendFunds with
// user.Roles): to its Stripe balance
// (ToBalance), or directly to its bank account or debit card
// (ToExternalAccount), which leaves its Stripe balance unchanged. The
// platform and the account are written in one Store.Transfer against the
// versions read, with the receipt, so a lost race changes neither
// (ErrConflict). The receipt records who moved the funds (Move.CreatedBy,
// user.ID: the audit trail) and when (Move.At, now, for
// Store.PruneReceipts). A user that fails User.Validate is an error
// matching roles.ErrInvalidUser.
//
// key is the caller's idempotency key (1 to MaxKeyLen bytes of printable
// ASCII, such as a UUID), as Stripe's Idempotency-Key: a retry with the
// same key — after an error that left the outcome unknown, from this
// replica or another — moves nothing again and returns the first move's
// result, with Replayed set. The same key with another account, amount,
// currency, destination or operation is an error matching ErrKeyReused. A
// retry still needs roles that permit the operation; the receipt keeps the
// first caller as CreatedBy.
func (s *Service) SendFundsAt(ctx context.Context, user roles.User, id ID, m Money, to Destination, key string, now time.Time) (Transfer, error) {
	mv := Move{Key: key, Op: OpSendFunds, Money: m, To: to, At: now, CreatedBy: user.ID}
	return s.move(ctx, user, id, mv, func(p Platform, a Account) Decision { return CanSendFunds(s.policy(), user.Roles, p, a, m, to) },
		func(p *Platform, a *Account) {
			p.Balance = p.Balance.Add(m.Neg())
			if to == ToBalance {
				a.Balance = a.Balance.Add(m)
			}
		})
}

// PullFunds is shorthand for PullFundsAt(ctx, user, id, m, key,
// s.Clock.Now()).
func (s *Service) PullFunds(ctx context.Context, user roles.User, id ID, m Money, key string) (Transfer, error) {
	return s.PullFundsAt(ctx, user, id, m, key, s.now())
}

// PullFundsAt moves m from the balance of the account under id to the
// platform balance on behalf of user (A8, US preview; decided by
// CanPullFunds with user.Roles), in one Store.Transfer as SendFundsAt does,
// with the same idempotency key rules and the same receipt (CreatedBy,
// At).
func (s *Service) PullFundsAt(ctx context.Context, user roles.User, id ID, m Money, key string, now time.Time) (Transfer, error) {
	mv := Move{Key: key, Op: OpPullFunds, Money: m, At: now, CreatedBy: user.ID}
	return s.move(ctx, user, id, mv, func(p Platform, a Account) Decision { return CanPullFunds(s.policy(), user.Roles, p, a, m) },
		func(p *Platform, a *Account) {
			a.Balance = a.Balance.Add(m.Neg())
			p.Balance = p.Balance.Add(m)
		})
}

func (s *Service) move(ctx context.Context, user roles.User, id ID, mv Move, decide func(Platform, Account) Decision, apply func(*Platform, *Account)) (Transfer, error) {
	op := mv.Op
	if err := s.ready(); err != nil {
		return Transfer{}, err
	}
	if err := user.Validate(); err != nil {
		return Transfer{}, wrap(err, op.String())
	}
	if !validKey(mv.Key) {
		return Transfer{}, wrap(&RuleError{Rule: op.Rule(), Field: "Move.Key", Err: ErrInvalid}, op.String())
	}
	// A key already recorded answers with the first result.
	r, err := s.Store.GetReceipt(ctx, mv.Key)
	if err == nil {
		return s.replay(user.Roles, id, mv, r)
	}
	if !errors.Is(err, ErrNotFound) {
		return Transfer{}, wrap(err, op.String())
	}
	p, err := s.Store.GetPlatform(ctx)
	if err != nil {
		return Transfer{}, wrap(err, "")
	}
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return Transfer{}, wrap(err, "")
	}
	d := decide(p, a)
	if !d.Allowed {
		return Transfer{Decision: d}, d.Err()
	}
	pv, av := p.Version, a.Version
	apply(&p, &a)
	gp, ga, err := s.Store.Transfer(ctx, p, pv, a, av, mv)
	if errors.Is(err, ErrExists) {
		// Another replica recorded the key since GetReceipt: its move
		// is the first result.
		r, rerr := s.Store.GetReceipt(ctx, mv.Key)
		if rerr != nil {
			return Transfer{Decision: d}, wrap(rerr, fmt.Sprintf("%v %s", op, id))
		}
		return s.replay(user.Roles, id, mv, r)
	}
	if err != nil {
		return Transfer{Decision: d}, wrap(err, fmt.Sprintf("%v %s", op, id))
	}
	return Transfer{Decision: d, Platform: gp, Account: ga}, nil
}

// replay answers a retried move from its receipt: the first result when
// the parameters match and the roles still permit the operation.
func (s *Service) replay(held roles.Set, id ID, mv Move, r Receipt) (Transfer, error) {
	d := begin(mv.Op, s.policy(), held, false).done()
	if !d.Allowed {
		return Transfer{Decision: d}, d.Err()
	}
	if !r.matches(mv, id) {
		return Transfer{}, wrap(keyReused(r.Move.Key), fmt.Sprintf("%v %s", mv.Op, id))
	}
	return Transfer{Decision: d, Platform: r.Platform, Account: r.Account, Replayed: true}, nil
}

// SupportCases is shorthand for SupportCasesAt(ctx, user, id, cases,
// s.Clock.Now()).
func (s *Service) SupportCases(ctx context.Context, user roles.User, id ID, cases []SupportCase) ([]SupportCase, Decision, error) {
	return s.SupportCasesAt(ctx, user, id, cases, s.now())
}

// SupportCasesAt returns the cases, among those given, that user may see
// for the account under id at now (A5): VisibleSupportCases(policy,
// user.Roles, account, cases, now) after reading the account. A user that
// fails User.Validate is an error matching roles.ErrInvalidUser.
func (s *Service) SupportCasesAt(ctx context.Context, user roles.User, id ID, cases []SupportCase, now time.Time) ([]SupportCase, Decision, error) {
	if err := s.ready(); err != nil {
		return nil, Decision{}, err
	}
	if err := user.Validate(); err != nil {
		return nil, Decision{}, wrap(err, "support cases")
	}
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, Decision{}, wrap(err, "")
	}
	out, d := VisibleSupportCases(s.policy(), user.Roles, a, cases, now)
	return out, d, d.Err()
}

// ViewAs decides "View Dashboard as" for the account under id on behalf
// of user (A10); it is shorthand for ViewAs(policy, user.Roles, account)
// after reading the account. A user that fails User.Validate is an error
// matching roles.ErrInvalidUser.
func (s *Service) ViewAs(ctx context.Context, user roles.User, id ID) (Decision, error) {
	if err := s.ready(); err != nil {
		return Decision{}, err
	}
	if err := user.Validate(); err != nil {
		return Decision{}, wrap(err, "view as")
	}
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return Decision{}, wrap(err, "")
	}
	d := ViewAs(s.policy(), user.Roles, a)
	return d, d.Err()
}

// InactivityHold is shorthand for InactivityHoldAt(ctx, id,
// s.Clock.Now()).
func (s *Service) InactivityHold(ctx context.Context, id ID) (Inactivity, error) {
	return s.InactivityHoldAt(ctx, id, s.now())
}

// InactivityHoldAt is InactivityHold(account, now) after reading the
// account under id (A4). A removed account is an error matching ErrRemoved.
func (s *Service) InactivityHoldAt(ctx context.Context, id ID, now time.Time) (Inactivity, error) {
	if err := s.ready(); err != nil {
		return Inactivity{}, err
	}
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return Inactivity{}, wrap(err, "")
	}
	if a.Removed {
		return Inactivity{}, wrap(ErrRemoved, fmt.Sprintf("inactivity hold %s", id))
	}
	return InactivityHold(a, now), nil
}

// RecordActivity is shorthand for RecordActivityAt(ctx, id,
// s.Clock.Now()).
func (s *Service) RecordActivity(ctx context.Context, id ID) (Account, error) {
	return s.RecordActivityAt(ctx, id, s.now())
}

// RecordActivityAt sets the LastActivity of the account under id to now,
// which lifts an inactivity hold (A4). It is one conditional update; a
// removed account is an error matching ErrRemoved.
func (s *Service) RecordActivityAt(ctx context.Context, id ID, now time.Time) (Account, error) {
	if err := s.ready(); err != nil {
		return Account{}, err
	}
	a, err := s.Store.Get(ctx, id)
	if err != nil {
		return Account{}, wrap(err, "")
	}
	if a.Removed {
		return Account{}, wrap(ErrRemoved, fmt.Sprintf("record activity %s", id))
	}
	v := a.Version
	a.LastActivity = now
	got, err := s.Store.Update(ctx, a, v)
	if err != nil {
		return Account{}, wrap(err, fmt.Sprintf("record activity %s", id))
	}
	return got, nil
}

// wrap adds what the Service was doing to err, without repeating the
// package prefix that the Store's errors and sentinels already carry.
// errors.Is and errors.As see through it.
func wrap(err error, doing string) error {
	return &serviceError{doing: doing, err: err}
}

type serviceError struct {
	doing string
	err   error
}

func (e *serviceError) Error() string {
	msg := strings.TrimPrefix(e.err.Error(), "account: ")
	if e.doing == "" {
		return "account: " + msg
	}
	return "account: " + e.doing + ": " + msg
}

func (e *serviceError) Unwrap() error { return e.err }
