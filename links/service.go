package links

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/roles"
)

// DefaultRefreshLimit is the number of refreshes a refresh chain may make in
// one window when Service.RefreshLimit is zero. A person who lets a link
// expire a few times stays far below it; a refresh handler that loops
// reaches it within milliseconds.
const DefaultRefreshLimit = 10

// DefaultRefreshWindow is the refresh window when Service.RefreshWindow is
// zero.
const DefaultRefreshWindow = time.Hour

// DefaultRefreshChainAge is the maximum age of a refresh chain when
// Service.RefreshChainAge is zero: 24 hours after the chain's first link
// was made, Refresh refuses with ReasonRefreshChainExpired. An account link
// lives five minutes; refreshing exists so that a person who comes back to
// a stale link — later the same day, or the next morning — continues
// without the platform authenticating them again. Past a day, holding an
// old URL should not mint a new link: the platform signs the person in and
// calls CreateAccountLink, which applies every rule afresh. With the
// default refresh limit a chain makes at most 240 links in its life, one
// live at a time.
const DefaultRefreshChainAge = 24 * time.Hour

// AccountSource gives the current state of an account, so that every links
// operation can refuse an account removed from the platform (A6), even
// through a link issued before the removal. account.Store (and so
// *account.MemoryStore) implements it. Implementations must be safe for
// concurrent use.
type AccountSource interface {
	Get(ctx context.Context, id account.ID) (account.Account, error)
}

// AccountsFunc adapts a function to AccountSource.
type AccountsFunc func(ctx context.Context, id account.ID) (account.Account, error)

// Get returns f(ctx, id).
func (f AccountsFunc) Get(ctx context.Context, id account.ID) (account.Account, error) {
	return f(ctx, id)
}

// RequirementsSource gives an account's current requirements, so that
// Redeem can say which fields the flow collects (Q5) and Return whether the
// account is complete (Q9). Implementations must be safe for concurrent use.
type RequirementsSource interface {
	Requirements(ctx context.Context, id account.ID) (requirements.Set, error)
}

// RequirementsFunc adapts a function to RequirementsSource.
type RequirementsFunc func(ctx context.Context, id account.ID) (requirements.Set, error)

// Requirements returns f(ctx, id).
func (f RequirementsFunc) Requirements(ctx context.Context, id account.ID) (requirements.Set, error) {
	return f(ctx, id)
}

// Service applies the link rules through a Store: it makes, redeems,
// refreshes and returns account links, and generates, opens, resets and
// exports remediation links. Its decisions are the pure functions of this
// package evaluated at Clock.Now().
//
// The zero value of every option is safe: a nil Clock is clock.System, a nil
// Policy is roles.Default(), a nil Rand is crypto/rand.Reader, and zero
// durations and limits are the published defaults. A nil Store makes every
// method fail with ErrNoStore; a nil Accounts, or a negative duration or
// limit, with an error matching ErrInvalidOption, rather than guess.
//
// Every method that reads the clock has an XAt form taking the instant
// explicitly; X(ctx, …) is shorthand for XAt(ctx, …, s.Clock.Now()).
// Methods acting for a user take a roles.User, whose ID each link records
// (CreatedBy, LastChangedBy) for the audit trail; an invalid user
// (roles.User.Validate) is an error matching ErrInvalid and
// roles.ErrInvalidUser.
//
// A removed account refuses every operation (A6): each method reads the
// account from Accounts and refuses a removed one with a *DecisionError
// holding ReasonAccountRemoved (Redeem redirects with that reason and does
// not consume the link). The one exception is RevokeRemediationLink, which
// only takes access away. The read and the write are separate steps, so an
// operation racing the removal itself may still complete; none starts
// after it. A Service holds no state of its own:
// it is safe for concurrent use when its Store, Clock, Rand and
// Requirements are (crypto/rand.Reader is).
type Service struct {
	// Store keeps the links. Required.
	Store Store
	// Accounts gives each account's current state, to refuse removed
	// accounts (A6). Required.
	Accounts AccountSource
	// Clock tells the time of every decision; nil is clock.System.
	Clock clock.Clock
	// Policy decides which roles may act on remediation links; nil is
	// roles.Default().
	Policy *roles.Policy
	// Rand is the source of token and link-ID randomness; nil is
	// crypto/rand.Reader. Inject a deterministic reader only in tests.
	Rand io.Reader
	// Requirements, when set, gives the fields to collect on Redeem and
	// completeness on Return. Without it, Redemption.Fields is nil and
	// Returned.Checked is false.
	Requirements RequirementsSource
	// Platform, when set, gives the platform's settings for
	// OpenRemediationLink (L9: its banner page). nil is the zero
	// account.Platform: no banner page configured, so an account with the
	// notification banner component opens hosted onboarding (FellBack).
	Platform PlatformSource
	// AccountLinkURL, when set, turns each issued account link's token
	// into IssuedAccountLink.URL; a template Validate refuses is an error
	// matching ErrInvalidOption, returned before anything is written.
	AccountLinkURL URLTemplate
	// RemediationLinkURL does the same for remediation links
	// (IssuedRemediationLink.URL, ExportRow.URL).
	RemediationLinkURL URLTemplate
	// AccountLinkTTL is an account link's lifetime; zero is
	// DefaultAccountLinkTTL (300 s).
	AccountLinkTTL time.Duration
	// RefreshLimit bounds the refreshes of one chain per window; zero is
	// DefaultRefreshLimit.
	RefreshLimit int
	// RefreshWindow is the refresh window; zero is DefaultRefreshWindow.
	RefreshWindow time.Duration
	// RefreshChainAge is the maximum age of a refresh chain; zero is
	// DefaultRefreshChainAge.
	RefreshChainAge time.Duration
}

func (s *Service) checkAt(now time.Time) error {
	switch {
	case now.IsZero():
		// A zero instant would store a zero UsedAt, which reads as unused:
		// refuse it before any store sees it.
		return fmt.Errorf("%w: the zero time is not an instant", ErrInvalid)
	case s.Store == nil:
		return ErrNoStore
	case s.Accounts == nil:
		return fmt.Errorf("%w: Service.Accounts is nil", ErrInvalidOption)
	case s.RefreshChainAge < 0:
		return fmt.Errorf("%w: negative RefreshChainAge", ErrInvalidOption)
	case s.AccountLinkTTL < 0:
		return fmt.Errorf("%w: negative AccountLinkTTL", ErrInvalidOption)
	case s.RefreshLimit < 0:
		return fmt.Errorf("%w: negative RefreshLimit", ErrInvalidOption)
	case s.RefreshWindow < 0:
		return fmt.Errorf("%w: negative RefreshWindow", ErrInvalidOption)
	}
	return nil
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

func (s *Service) ttl() time.Duration {
	if s.AccountLinkTTL == 0 {
		return DefaultAccountLinkTTL
	}
	return s.AccountLinkTTL
}

func (s *Service) chainAge() time.Duration {
	if s.RefreshChainAge == 0 {
		return DefaultRefreshChainAge
	}
	return s.RefreshChainAge
}

// removed reads account id from Accounts and returns a refusing Decision
// when it was removed (A6), an allowing one otherwise. A failed read is an
// error.
func (s *Service) removed(ctx context.Context, op Op, id account.ID) (Decision, error) {
	a, err := s.Accounts.Get(ctx, id)
	if err != nil {
		return Decision{}, fmt.Errorf("links: account %s: %w", id, err)
	}
	if a.Removed {
		return decide(op, ReasonsOf(ReasonAccountRemoved)), nil
	}
	return decide(op, 0), nil
}

// live is removed as an error: nil when the account may act.
func (s *Service) live(ctx context.Context, op Op, id account.ID) error {
	d, err := s.removed(ctx, op, id)
	if err != nil {
		return err
	}
	return d.Err()
}

func (s *Service) refreshLimit() (int, time.Duration) {
	n, w := s.RefreshLimit, s.RefreshWindow
	if n == 0 {
		n = DefaultRefreshLimit
	}
	if w == 0 {
		w = DefaultRefreshWindow
	}
	return n, w
}

// IssuedAccountLink is a newly made account link: the stored record and the
// token to put in its URL. The token exists only here; the Store keeps its
// hash.
type IssuedAccountLink struct {
	Link  AccountLink // the link as stored (its token's hash, not the token)
	Token Token       // the secret for the URL; Reveal reads it
	// URL is Service.AccountLinkURL built with Token; empty when the
	// Service has no template. It holds the secret: send it, do not log it.
	URL string
}

// CreateAccountLink is shorthand for CreateAccountLinkAt(ctx, u, a, p,
// s.Clock.Now()).
func (s *Service) CreateAccountLink(ctx context.Context, u roles.User, a account.Account, p AccountLinkParams) (IssuedAccountLink, error) {
	return s.CreateAccountLinkAt(ctx, u, a, p, s.now())
}

// CreateAccountLinkAt makes an account link for a with parameters p at now,
// asked for by u (recorded as CreatedBy), after CanCreateAccountLink allows
// it; a refusal is a *DecisionError naming every reason. No role gates
// account links: the platform authenticates the person before calling. The
// link expires AccountLinkTTL after now and starts its own refresh chain.
func (s *Service) CreateAccountLinkAt(ctx context.Context, u roles.User, a account.Account, p AccountLinkParams, now time.Time) (IssuedAccountLink, error) {
	if err := s.checkAt(now); err != nil {
		return IssuedAccountLink{}, err
	}
	if err := validInputs(u, a.ID); err != nil {
		return IssuedAccountLink{}, err
	}
	if d := CanCreateAccountLink(a, p); !d.Allowed {
		return IssuedAccountLink{}, d.Err()
	}
	if err := s.live(ctx, OpCreateAccountLink, a.ID); err != nil {
		return IssuedAccountLink{}, err
	}
	tok, err := NewToken(s.Rand)
	if err != nil {
		return IssuedAccountLink{}, err
	}
	linkURL, err := s.AccountLinkURL.build(tok)
	if err != nil {
		return IssuedAccountLink{}, err
	}
	h := tok.Hash()
	l := AccountLink{Hash: h, Account: a.ID, CreatedBy: u.ID, Params: p, Chain: h, ChainStarted: now, Created: now, ExpiresAt: now.Add(s.ttl())}
	if err := s.Store.CreateAccountLink(ctx, l); err != nil {
		return IssuedAccountLink{}, err
	}
	return IssuedAccountLink{Link: l, Token: tok, URL: linkURL}, nil
}

// Outcome is what a redemption tells the caller to do (L1).
type Outcome uint8

// The outcomes of a redemption.
const (
	// Proceed: this call consumed the link; show the flow.
	Proceed Outcome = iota + 1
	// Redirect: send the user to the refresh URL.
	Redirect
)

// String returns "proceed" or "redirect".
func (o Outcome) String() string {
	switch o {
	case Proceed:
		return "proceed"
	case Redirect:
		return "redirect"
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// Redemption is the answer to a visit of an account link (L1).
type Redemption struct {
	// Outcome is Proceed or Redirect.
	Outcome Outcome
	// Reason says why a Redirect: ReasonLinkUnknown, ReasonLinkExpired or
	// ReasonLinkAlreadyUsed. Zero for Proceed.
	Reason Reason
	// Link is the link as stored; zero when unknown.
	Link AccountLink
	// RedirectURL is where to send the user on a Redirect: the link's
	// refresh URL, with the query parameter RefreshKeyParam set to the
	// link's refresh key (Token.RefreshKey) when the link expired or was
	// already used, so that the refresh URL's handler can refresh the same
	// chain from the URL alone (ParseRefreshKey, then Refresh). A link
	// replaced by a refresh, or of a removed account, gets the bare refresh
	// URL: refreshing it would be refused. Empty when the link is unknown,
	// since then nobody knows it: send the user to a page of your own.
	RedirectURL string
	// Fields are the requirement fields the flow collects on Proceed,
	// computed with requirements.Set.FieldsToCollect from the link's
	// collection options (Q5); nil without a RequirementsSource.
	Fields []string
}

func redirect(r Reason, l AccountLink) Redemption {
	return Redemption{Outcome: Redirect, Reason: r, Link: l, RedirectURL: l.Params.RefreshURL}
}

// redirectRefresh is redirect for a link that its refresh key may
// refresh: expired or already used.
func redirectRefresh(r Reason, l AccountLink, tok Token) Redemption {
	d := redirect(r, l)
	d.RedirectURL = refreshURL(l.Params.RefreshURL, tok)
	return d
}

// RedeemString is shorthand for RedeemStringAt(ctx, tok, s.Clock.Now()).
func (s *Service) RedeemString(ctx context.Context, tok string) (Redemption, error) {
	return s.RedeemStringAt(ctx, tok, s.now())
}

// RedeemStringAt is RedeemAt for the token text taken from a URL: text that
// is not a token redirects as unknown.
func (s *Service) RedeemStringAt(ctx context.Context, tok string, now time.Time) (Redemption, error) {
	t, err := ParseToken(tok)
	if err != nil {
		if err := s.checkAt(now); err != nil {
			return Redemption{}, err
		}
		return redirect(ReasonLinkUnknown, AccountLink{}), nil
	}
	return s.RedeemAt(ctx, t, now)
}

// Redeem is shorthand for RedeemAt(ctx, tok, s.Clock.Now()).
func (s *Service) Redeem(ctx context.Context, tok Token) (Redemption, error) {
	return s.RedeemAt(ctx, tok, s.now())
}

// RedeemAt answers a visit of the account link tok at now: Proceed
// when this call consumed the link, or Redirect, with the reason, when it is
// unknown, expired, already used, replaced by a refresh, or for an account
// removed from the platform (A6; the link is not consumed then) (L1).
// Consumption is one conditional Store call, so however many visits race,
// exactly one proceeds. An error is returned only for storage faults,
// cancellation and a failing AccountSource or RequirementsSource, which are
// consulted before the link is consumed so that a failure there does not
// burn the link.
func (s *Service) RedeemAt(ctx context.Context, tok Token, now time.Time) (Redemption, error) {
	if err := s.checkAt(now); err != nil {
		return Redemption{}, err
	}
	if tok.IsZero() {
		return redirect(ReasonLinkUnknown, AccountLink{}), nil
	}
	h := tok.Hash()
	var reqs requirements.Set
	l, err := s.Store.AccountLink(ctx, h)
	switch {
	case errors.Is(err, ErrNotFound):
		return redirect(ReasonLinkUnknown, AccountLink{}), nil
	case err != nil:
		return Redemption{}, err
	case !l.Hash.Equal(h):
		return redirect(ReasonLinkUnknown, AccountLink{}), nil
	}
	if r := l.RedeemableAt(now); r != 0 {
		if r == ReasonLinkReplaced {
			return redirect(r, l), nil
		}
		return redirectRefresh(r, l, tok), nil
	}
	d, err := s.removed(ctx, OpRedeemAccountLink, l.Account)
	if err != nil {
		return Redemption{}, err
	}
	if !d.Allowed {
		return redirect(ReasonAccountRemoved, l), nil
	}
	if s.Requirements != nil {
		if reqs, err = s.Requirements.Requirements(ctx, l.Account); err != nil {
			return Redemption{}, fmt.Errorf("links: requirements of %s: %w", l.Account, err)
		}
	}
	l, err = s.Store.RedeemAccountLink(ctx, h, now)
	switch {
	case errors.Is(err, ErrNotFound):
		return redirect(ReasonLinkUnknown, AccountLink{}), nil
	case errors.Is(err, ErrAlreadyUsed):
		return redirectRefresh(ReasonLinkAlreadyUsed, l, tok), nil
	case errors.Is(err, ErrSuperseded):
		return redirect(ReasonLinkReplaced, l), nil
	case errors.Is(err, ErrExpired):
		return redirectRefresh(ReasonLinkExpired, l, tok), nil
	case err != nil:
		return Redemption{}, err
	case !l.Hash.Equal(h):
		return Redemption{}, fmt.Errorf("links: store returned a different link than asked for")
	}
	r := Redemption{Outcome: Proceed, Link: l}
	if s.Requirements != nil {
		r.Fields = reqs.FieldsToCollect(l.Params.Collection)
	}
	return r, nil
}

// Refresh is shorthand for RefreshAt(ctx, prev, s.Clock.Now()).
func (s *Service) Refresh(ctx context.Context, prev Token) (IssuedAccountLink, error) {
	return s.RefreshAt(ctx, prev, s.now())
}

// RefreshAt makes, at now, a new account link with the parameters of the
// link prev, for the refresh URL's handler (L1), and retires prev. Only a
// link that can no longer be redeemed is refreshed — already used or
// expired, the cases a refused redemption redirects to the refresh URL
// for: a link still unused and unexpired is refused with
// ReasonLinkStillValid (matching ErrStillValid; redeem it instead), before
// the account is read. The refresh key (Token.RefreshKey) is derived from
// the token, so without this rule anyone holding a live link's URL could
// mint new live links of its chain for RefreshChainAge; even so, a key in
// a spent link's redirect is a bearer secret, and the platform's refresh
// handler should authenticate the person (its own session) before calling
// Refresh. The new link
// replaces it as the latest of its refresh chain, so a chain never has two
// live links. Only the latest link of a chain can be refreshed (an earlier
// one is a *DecisionError with ReasonLinkReplaced, matching ErrSuperseded),
// a chain older than RefreshChainAge cannot be refreshed at all
// (ReasonRefreshChainExpired, matching ErrExpired: make a fresh link with
// CreateAccountLink), and a chain may make at most RefreshLimit refreshes
// per RefreshWindow (a fixed window that starts at the first refresh
// counted in it; one more is ReasonRefreshLimitExceeded, matching
// ErrRefreshLimit, whose Decision has NextPossibleAt now+RefreshWindow, the
// latest the window can end). The new link keeps the chain's CreatedBy.
// It works from the token alone: the link names its account, whose current
// state Accounts gives, and the account is checked again
// (CanCreateAccountLink with the old parameters, which refuses a removed
// account, and future requirements included once Stripe collects the
// account's requirements, L4), since it may have changed. An unknown prev is ErrNotFound. The
// refresh URL's handler gets prev from the redirect a refused redemption
// gave (Redemption.RedirectURL, ParseRefreshKey).
//
// Of refreshes racing on one link, exactly one succeeds: the replacement
// is one conditional Store call (ReplaceAccountLink).
func (s *Service) RefreshAt(ctx context.Context, prev Token, now time.Time) (IssuedAccountLink, error) {
	if err := s.checkAt(now); err != nil {
		return IssuedAccountLink{}, err
	}
	if prev.IsZero() {
		return IssuedAccountLink{}, fmt.Errorf("%w: no account link has the zero token", ErrNotFound)
	}
	l, err := s.Store.AccountLink(ctx, prev.Hash())
	if err != nil {
		return IssuedAccountLink{}, err
	}
	if l.RedeemableAt(now) == 0 {
		// Live: redeem it. Checked before the account is read, so the
		// refusal tells nothing of the account. A link only leaves the
		// live state (used, replaced, expired at a fixed now), so no
		// write can race this check into a second live link.
		return IssuedAccountLink{}, decide(OpRefreshAccountLink, ReasonsOf(ReasonLinkStillValid)).Err()
	}
	a, err := s.Accounts.Get(ctx, l.Account)
	if err != nil {
		return IssuedAccountLink{}, fmt.Errorf("links: account %s: %w", l.Account, err)
	}
	if a.ID != l.Account {
		return IssuedAccountLink{}, fmt.Errorf("links: account source returned another account than asked for")
	}
	if d := CanCreateAccountLink(a, l.Params); !d.Allowed {
		d.Op = OpRefreshAccountLink
		return IssuedAccountLink{}, d.Err()
	}
	started := l.ChainStarted
	var rs Reasons
	if l.Replaced() {
		rs = rs.With(ReasonLinkReplaced)
	}
	if !now.Before(started.Add(s.chainAge())) {
		rs = rs.With(ReasonRefreshChainExpired)
	}
	if rs != 0 {
		return IssuedAccountLink{}, decide(OpRefreshAccountLink, rs).Err()
	}
	limit, window := s.refreshLimit()
	if _, err := s.Store.TakeRefresh(ctx, l.Chain, now, window, limit); err != nil {
		if errors.Is(err, ErrRefreshLimit) {
			d := decide(OpRefreshAccountLink, ReasonsOf(ReasonRefreshLimitExceeded))
			d.NextPossibleAt = now.Add(window)
			return IssuedAccountLink{}, d.Err()
		}
		return IssuedAccountLink{}, err
	}
	tok, err := NewToken(s.Rand)
	if err != nil {
		return IssuedAccountLink{}, err
	}
	linkURL, err := s.AccountLinkURL.build(tok)
	if err != nil {
		return IssuedAccountLink{}, err
	}
	h := tok.Hash()
	next := AccountLink{Hash: h, Account: l.Account, CreatedBy: l.CreatedBy, Params: l.Params, Chain: l.Chain, ChainStarted: started,
		Created: now, ExpiresAt: now.Add(s.ttl())}
	if _, err := s.Store.ReplaceAccountLink(ctx, l.Hash, next, now); err != nil {
		if errors.Is(err, ErrSuperseded) {
			return IssuedAccountLink{}, decide(OpRefreshAccountLink, ReasonsOf(ReasonLinkReplaced)).Err()
		}
		return IssuedAccountLink{}, err
	}
	return IssuedAccountLink{Link: next, Token: tok, URL: linkURL}, nil
}

// Returned is what the return URL's handler learns (L1, Q9).
type Returned struct {
	// Link is the account link, with ReturnedAt set.
	Link AccountLink
	// Checked reports whether requirements were consulted; false without
	// a RequirementsSource.
	Checked bool
	// Complete reports whether the account's requirements say nothing is
	// outstanding (Q9). Coming back to the return URL says nothing about
	// completeness: only this does.
	Complete bool
	// Outstanding are the fields the link's collection options would still
	// collect.
	Outstanding []string
}

// Return is shorthand for ReturnAt(ctx, tok, s.Clock.Now()).
func (s *Service) Return(ctx context.Context, tok Token) (Returned, error) {
	return s.ReturnAt(ctx, tok, s.now())
}

// ReturnAt records, at now, that the user came back to the return URL of link tok and
// says, from the requirements alone, whether the account is complete (Q9).
// Only the first return is recorded. A link never redeemed is ErrNotRedeemed,
// an unknown one ErrNotFound; a removed account's is a *DecisionError with
// ReasonAccountRemoved (A6), and nothing is recorded.
func (s *Service) ReturnAt(ctx context.Context, tok Token, now time.Time) (Returned, error) {
	if err := s.checkAt(now); err != nil {
		return Returned{}, err
	}
	prev, err := s.Store.AccountLink(ctx, tok.Hash())
	if err != nil {
		return Returned{}, err
	}
	if err := s.live(ctx, OpReturnAccountLink, prev.Account); err != nil {
		return Returned{Link: prev}, err
	}
	l, err := s.Store.MarkAccountLinkReturned(ctx, tok.Hash(), now)
	if err != nil {
		return Returned{}, err
	}
	r := Returned{Link: l}
	if s.Requirements != nil {
		reqs, err := s.Requirements.Requirements(ctx, l.Account)
		if err != nil {
			return r, fmt.Errorf("links: requirements of %s: %w", l.Account, err)
		}
		r.Checked = true
		r.Complete = reqs.Complete()
		r.Outstanding = reqs.FieldsToCollect(l.Params.Collection)
	}
	return r, nil
}

// ShowsBanner reports whether the embedded notification banner shows for a:
// only when the account uses the component and its requirements have
// outstanding tasks (L12). It is pure.
func ShowsBanner(a account.Account) bool {
	return a.Components.NotificationBanner && a.Requirements.HasOutstandingTasks()
}

// IssuedRemediationLink is the answer to a generation request: the link and
// a token that opens it. New is false when the account's active link was
// returned: it is the same link (same ID, same 90 days, same lockout state),
// reached through a fresh token, because only token hashes are stored and
// the first token cannot be shown again. The MaxRemediationTokens most
// recent tokens keep working; older ones are retired.
type IssuedRemediationLink struct {
	Link  RemediationLink // the link as stored
	Token Token           // a fresh secret for the URL; Reveal reads it
	New   bool            // false when an active link was returned again
	// URL is Service.RemediationLinkURL built with Token; empty when the
	// Service has no template. It holds the secret: send it, do not log it.
	URL string
}

// GenerateRemediationLink is shorthand for GenerateRemediationLinkAt(ctx,
// u, a, s.Clock.Now()).
func (s *Service) GenerateRemediationLink(ctx context.Context, u roles.User, a account.Account) (IssuedRemediationLink, error) {
	return s.GenerateRemediationLinkAt(ctx, u, a, s.now())
}

// GenerateRemediationLinkAt generates, at now, a remediation link for a on
// behalf of u (recorded as CreatedBy), after CanGenerateRemediationLink
// allows it (L6–L8); a refusal is a *DecisionError naming every missing
// item. While the account has an active link, that link is returned (New
// false); after it expired, a new one is made, active for RemediationTTL
// (L6).
func (s *Service) GenerateRemediationLinkAt(ctx context.Context, u roles.User, a account.Account, now time.Time) (IssuedRemediationLink, error) {
	if err := s.checkAt(now); err != nil {
		return IssuedRemediationLink{}, err
	}
	if err := validInputs(u, a.ID); err != nil {
		return IssuedRemediationLink{}, err
	}
	if d := CanGenerateRemediationLink(s.policy(), u.Roles, a); !d.Allowed {
		return IssuedRemediationLink{}, d.Err()
	}
	if err := s.live(ctx, OpGenerateRemediationLink, a.ID); err != nil {
		return IssuedRemediationLink{}, err
	}
	return s.generate(ctx, u, a.ID, now)
}

// validInputs checks the user and, when given, the account's ID at the
// boundary, so that no Store sees text it cannot keep.
func validInputs(u roles.User, id account.ID) error {
	if err := validActor(u); err != nil {
		return err
	}
	if id != "" {
		return ValidateAccountID(id)
	}
	return nil
}

// validActor checks u with roles.User.Validate: an ID is required, for the
// audit trail.
func validActor(u roles.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

func (s *Service) generate(ctx context.Context, u roles.User, id account.ID, now time.Time) (IssuedRemediationLink, error) {
	cur, err := s.Store.RemediationLinkByAccount(ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return IssuedRemediationLink{}, err
	}
	reuse := err == nil && cur.Active(now)
	// One read gives the token's bytes and, for a new link, its ID's
	// (the same bytes, in the same order, as two reads would).
	var raw [tokenBytes + 12]byte
	n := tokenBytes
	if !reuse {
		n = len(raw)
	}
	if _, err := io.ReadFull(randOrDefault(s.Rand), raw[:n]); err != nil {
		return IssuedRemediationLink{}, fmt.Errorf("%w: %w", ErrRandom, err)
	}
	tok := tokenOf((*[tokenBytes]byte)(raw[:tokenBytes]))
	linkURL, err := s.RemediationLinkURL.build(tok)
	if err != nil {
		return IssuedRemediationLink{}, err
	}
	h := tok.Hash()
	if reuse {
		if err := s.Store.AddRemediationToken(ctx, cur.ID, h, now); err != nil {
			return IssuedRemediationLink{}, err
		}
		return IssuedRemediationLink{Link: cur, Token: tok, URL: linkURL}, nil
	}
	var idText [len("rml_") + 2*12]byte // the ID in one allocation
	copy(idText[:], "rml_")
	hex.Encode(idText[len("rml_"):], raw[tokenBytes:])
	l := RemediationLink{
		ID:        LinkID(idText[:]),
		Account:   id,
		CreatedBy: u.ID,
		Created:   now,
		ExpiresAt: now.Add(RemediationTTL),
	}
	stored, err := s.Store.CreateRemediationLink(ctx, l, h, now)
	if errors.Is(err, ErrExists) && stored.ID != "" {
		// Another generation won the race; share its link.
		if err := s.Store.AddRemediationToken(ctx, stored.ID, h, now); err != nil {
			return IssuedRemediationLink{}, err
		}
		return IssuedRemediationLink{Link: stored, Token: tok, URL: linkURL}, nil
	}
	if err != nil {
		return IssuedRemediationLink{}, err
	}
	return IssuedRemediationLink{Link: stored, Token: tok, New: true, URL: linkURL}, nil
}

// OpenedRemediationLink is where an opened remediation link sends the
// account.
type OpenedRemediationLink struct {
	// Link is the remediation link.
	Link RemediationLink
	// Destination is where it opens (L9).
	Destination Destination
	// BannerShows reports, for DestinationBannerPage, whether the
	// notification banner will show anything (L12); when it does not, the
	// account has no outstanding task to address there.
	BannerShows bool
}

// OpenRemediationLink is shorthand for OpenRemediationLinkAt(ctx, tok,
// s.Clock.Now()).
func (s *Service) OpenRemediationLink(ctx context.Context, tok Token) (OpenedRemediationLink, error) {
	return s.OpenRemediationLinkAt(ctx, tok, s.now())
}

// OpenRemediationLinkAt answers a visit, at now, of the remediation link
// tok, from the token alone: the link names its account, whose current
// state Accounts gives, and Platform gives the platform's settings. The
// link must be active (L6) and not blocked by a failed verification (L10),
// and it opens where ResolveDestination says (L9), with whether the banner
// shows there (L12). Opening does not consume the link. An unknown (or
// retired, or revoked) token is ErrNotFound; a refusal is a
// *DecisionError, with ReasonAccountRemoved for an account removed from
// the platform (A6).
func (s *Service) OpenRemediationLinkAt(ctx context.Context, tok Token, now time.Time) (OpenedRemediationLink, error) {
	if err := s.checkAt(now); err != nil {
		return OpenedRemediationLink{}, err
	}
	if tok.IsZero() {
		return OpenedRemediationLink{}, fmt.Errorf("%w: no remediation link has the zero token", ErrNotFound)
	}
	l, err := s.Store.RemediationLinkByToken(ctx, tok.Hash())
	if err != nil {
		return OpenedRemediationLink{}, err
	}
	a, err := s.Accounts.Get(ctx, l.Account)
	if err != nil {
		return OpenedRemediationLink{Link: l}, fmt.Errorf("links: account %s: %w", l.Account, err)
	}
	if a.ID != l.Account {
		return OpenedRemediationLink{Link: l}, fmt.Errorf("links: account source returned another account than asked for")
	}
	d := l.CanOpen(now)
	if a.Removed {
		d = decide(OpOpenRemediationLink, d.Reasons.With(ReasonAccountRemoved))
	}
	if !d.Allowed {
		return OpenedRemediationLink{Link: l}, d.Err()
	}
	var p account.Platform
	if s.Platform != nil {
		if p, err = s.Platform.GetPlatform(ctx); err != nil {
			return OpenedRemediationLink{Link: l}, fmt.Errorf("links: platform: %w", err)
		}
	}
	dst, err := ResolveDestination(a, p)
	if err != nil {
		return OpenedRemediationLink{Link: l}, err
	}
	return OpenedRemediationLink{Link: l, Destination: dst,
		BannerShows: dst.Kind == DestinationBannerPage && ShowsBanner(a)}, nil
}

// maxConflictRetries bounds how often an update is retried after losing a
// version race.
const maxConflictRetries = 4

// update loads link id, refuses it if its account was removed (A6),
// applies op at now and writes the result if the version did not change,
// retrying a few times on ErrConflict.
func (s *Service) update(ctx context.Context, kind Op, id LinkID, now time.Time, op func(RemediationLink, time.Time) (RemediationLink, Decision, error)) (RemediationLink, error) {
	if err := s.checkAt(now); err != nil {
		return RemediationLink{}, err
	}
	if err := ValidateLinkID(id); err != nil {
		return RemediationLink{}, err
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.Store.RemediationLink(ctx, id)
		if err != nil {
			return RemediationLink{}, err
		}
		if attempt == 0 {
			if err := s.live(ctx, kind, cur.Account); err != nil {
				return cur, err
			}
		}
		next, d, err := op(cur, now)
		if err != nil {
			return cur, err
		}
		if !d.Allowed {
			return cur, d.Err()
		}
		stored, err := s.Store.UpdateRemediationLink(ctx, next)
		if errors.Is(err, ErrConflict) && attempt < maxConflictRetries {
			continue
		}
		if err != nil {
			return cur, err
		}
		return stored, nil
	}
}

// RecordVerificationFailure is shorthand for
// RecordVerificationFailureAt(ctx, id, f, s.Clock.Now()).
func (s *Service) RecordVerificationFailure(ctx context.Context, id LinkID, f FailureReason) (RemediationLink, Remedy, error) {
	return s.RecordVerificationFailureAt(ctx, id, f, s.now())
}

// RecordVerificationFailureAt records that a verification through link id
// failed with reason f at now (L10). The link is blocked until reset; the returned
// Remedy says what the platform must fix first. Recording on an expired or
// already blocked link is a *DecisionError.
func (s *Service) RecordVerificationFailureAt(ctx context.Context, id LinkID, f FailureReason, now time.Time) (RemediationLink, Remedy, error) {
	l, err := s.update(ctx, OpRecordVerificationFailure, id, now, func(l RemediationLink, now time.Time) (RemediationLink, Decision, error) {
		return l.RecordFailure(f, now)
	})
	if err != nil {
		return l, Remedy{}, err
	}
	return l, l.Remedy(), nil
}

// ResetRemediationLink is shorthand for ResetRemediationLinkAt(ctx, u, id,
// s.Clock.Now()).
func (s *Service) ResetRemediationLink(ctx context.Context, u roles.User, id LinkID) (RemediationLink, error) {
	return s.ResetRemediationLinkAt(ctx, u, id, s.now())
}

// ResetRemediationLinkAt resets link id at now after a failed
// verification, on behalf of u (recorded as LastChangedBy) (L10); see RemediationLink for how the lockout counters move.
// A refusal is a *DecisionError: ErrNothingToReset, ErrSecurityCheckRequired,
// ErrDenied, ErrExpired; the link returned with it is the link as stored,
// unchanged.
func (s *Service) ResetRemediationLinkAt(ctx context.Context, u roles.User, id LinkID, now time.Time) (RemediationLink, error) {
	if err := validActor(u); err != nil {
		return RemediationLink{}, err
	}
	return s.update(ctx, OpResetRemediationLink, id, now, func(l RemediationLink, now time.Time) (RemediationLink, Decision, error) {
		next, d := l.Reset(s.policy(), u, now)
		return next, d, nil
	})
}

// AcknowledgeSecurityCheck is shorthand for AcknowledgeSecurityCheckAt(ctx,
// u, id, s.Clock.Now()).
func (s *Service) AcknowledgeSecurityCheck(ctx context.Context, u roles.User, id LinkID) (RemediationLink, error) {
	return s.AcknowledgeSecurityCheckAt(ctx, u, id, s.now())
}

// AcknowledgeSecurityCheckAt records, at now, u's acknowledgement of the
// security check of link id, which allows ResetsPerAcknowledgement more resets
// (L10). A refusal is a *DecisionError: ErrNothingToAcknowledge, ErrDenied,
// ErrExpired; the link returned with it is the link as stored, unchanged.
func (s *Service) AcknowledgeSecurityCheckAt(ctx context.Context, u roles.User, id LinkID, now time.Time) (RemediationLink, error) {
	if err := validActor(u); err != nil {
		return RemediationLink{}, err
	}
	return s.update(ctx, OpAcknowledgeSecurityCheck, id, now, func(l RemediationLink, now time.Time) (RemediationLink, Decision, error) {
		next, d := l.Acknowledge(s.policy(), u, now)
		return next, d, nil
	})
}

// RevokeRemediationLink is shorthand for RevokeRemediationLinkAt(ctx, u,
// id, s.Clock.Now()).
func (s *Service) RevokeRemediationLink(ctx context.Context, u roles.User, id LinkID) (RemediationLink, error) {
	return s.RevokeRemediationLinkAt(ctx, u, id, s.now())
}

// RevokeRemediationLinkAt revokes link id at now on behalf of u (recorded
// as LastChangedBy): from now on none of
// its tokens opens it, every check refuses it with
// ReasonRemediationLinkRevoked, and the next generation for the account
// makes a new link. The roles that may generate remediation links may
// revoke them (L7; roles.GenerateRemediationLink); another user is refused
// with a *DecisionError whose Role denies (code role_not_permitted, rule
// L7), matching ErrDenied and roles.ErrDenied. It is allowed for a removed account, since it only takes
// access away. An unknown link is ErrNotFound; one expired or already
// revoked ErrExpired, with the link as stored. The revocation is one
// conditional Store call.
func (s *Service) RevokeRemediationLinkAt(ctx context.Context, u roles.User, id LinkID, now time.Time) (RemediationLink, error) {
	if err := s.checkAt(now); err != nil {
		return RemediationLink{}, err
	}
	if err := ValidateLinkID(id); err != nil {
		return RemediationLink{}, err
	}
	if err := validActor(u); err != nil {
		return RemediationLink{}, err
	}
	if rd := s.policy().Check(u.Roles, roles.GenerateRemediationLink); !rd.Allowed {
		return RemediationLink{}, decide(OpRevokeRemediationLink, 0).withRole(rd).Err()
	}
	return s.Store.RevokeRemediationLink(ctx, id, u.ID, now)
}
