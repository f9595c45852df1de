package relink

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connectkit/connectkit/roles"
)

// Window is the 48-hour limit of rule K3: after a limited request at t, the
// next one is possible at t+Window exactly, unless the customer completed
// the request before.
const Window = 48 * time.Hour

// Ask is what a platform asks for: a method, its delivery, a purpose and
// account selection. It is a plain value. The zero Ask is invalid (no
// method).
type Ask struct {
	// Method is how the relink is asked for (K3).
	Method Method
	// Delivery is hosted.delivery_method, required with MethodHostedAPI and
	// empty otherwise.
	Delivery Delivery
	// Purpose is why (K5); the zero value adds no criterion.
	Purpose Purpose
	// Permissions are the permissions asked for with
	// PurposeChangePermissions; ignored otherwise.
	Permissions []Permission
	// AllowOtherAccount lets the customer relink another account than this
	// one (K4). Only API relink may set it; the zero value requires exactly
	// the same account, which is what hosted relink always does. On the
	// wire it is a session whose relink_options name the authorization
	// alone; the zero value names the account too (relink_options.account).
	AllowOtherAccount bool
	// Authorization is relink_options.authorization: the Financial
	// Connections authorization to relink (BETA). Empty means the
	// account's own (Account.Authorization). When both are known they must
	// be the same (K4); a request records it (Request.Authorization).
	Authorization AuthorizationID
	// User is who asks: their ID is recorded on the request
	// (Request.CreatedBy) for the audit trail, and their roles are checked
	// with MethodHostedDashboard only (the other methods are server calls
	// made with the platform's API key). MethodHostedDashboard needs a
	// User with an ID (roles.User.Validate); the other methods accept an
	// empty ID, and a non-empty one must be valid.
	User roles.User
}

// Emails reports whether Stripe emails the customer for this ask: the
// Dashboard, or hosted API with email delivery. Those need a holder email
// (K2) and, in a sandbox, a confirmed one (K6).
func (a Ask) Emails() bool { return a.emails() }

// emails is Emails without copying the ask.
func (a *Ask) emails() bool {
	return a.Method == MethodHostedDashboard || (a.Method == MethodHostedAPI && a.Delivery == DeliveryEmail)
}

// validUserID reports whether id passes roles.User.Validate, without
// allocating: not empty, at most roles.MaxUserIDLen bytes of valid UTF-8,
// no control character.
func validUserID(id string) bool {
	if id == "" || len(id) > roles.MaxUserIDLen || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// Limited reports whether the 48-hour limit applies to this ask (K3):
// exactly when Stripe emails the customer.
func (a Ask) Limited() bool { return a.Emails() }

func (a *Ask) valid() bool {
	if !a.Method.Valid() || !a.Purpose.Valid() || !validText(string(a.Authorization), MaxIDLen) {
		return false
	}
	if (a.User.ID != "" || a.Method == MethodHostedDashboard) && !validUserID(a.User.ID) {
		return false
	}
	if a.Method == MethodHostedAPI {
		if a.Delivery != DeliveryEmail && a.Delivery != DeliveryURL {
			return false
		}
	} else if a.Delivery != "" {
		return false
	}
	if a.Purpose == PurposeChangePermissions && len(a.Permissions) == 0 {
		return false
	}
	return true
}

// Limit is what the 48-hour limit needs to know of an account's past
// requests: the instant until which a limited request is blocked. The zero
// Limit blocks nothing. Compute it with LimitOf.
type Limit struct {
	// Until is the first instant a new limited request is possible.
	Until time.Time
}

// Blocks reports whether a limited request is refused at now: now is
// before Until. At Until exactly the request is allowed.
func (l Limit) Blocks(now time.Time) bool { return now.Before(l.Until) }

// LimitOf returns the limit that past requests for one account impose: the
// latest CreatedAt+Window over the limited requests that the customer has
// not completed. Pending, failed, cancelled and expired requests all count;
// only a succeeded one resets the limit (see the package documentation).
// Unlimited requests (URL delivery, API relink) never count.
func LimitOf(reqs []Request) Limit {
	var l Limit
	for i := range reqs {
		r := &reqs[i]
		if !r.Limited() || r.Status == RequestSucceeded {
			continue
		}
		if u := r.CreatedAt.Add(Window); u.After(l.Until) {
			l.Until = u
		}
	}
	return l
}

// confirmed reports whether email is one of the confirmed emails, compared
// without regard to case or surrounding space (K6).
func confirmed(emails []string, email string) bool {
	email = strings.TrimSpace(email)
	for _, c := range emails {
		if strings.EqualFold(strings.TrimSpace(c), email) {
			return true
		}
	}
	return false
}

// CanRequest decides whether ask may be made for acct at now, given the
// roles policy pol (for a Dashboard user), the limit past requests impose
// and confirmedEmails, the confirmed user emails of the platform's Stripe
// account (K6; compared without regard to case). It evaluates every rule
// and returns every failing reason. It is pure, reads no clock and does
// not allocate.
//
// The rules: a disconnected account, or an inactive one Stripe marks not
// repairable, is never eligible (K1). Hosted methods need a ground (K2):
// the account inactive, or active with status_details.active.action
// relink_required (Stripe's own signal; the decision reports its expected
// deactivation date as Deadline), or the TAN ground (Account.TANGround);
// they need a Customer or connected Account as holder (K2), and the same
// account (K4). An ask naming another authorization than the account's is
// refused (K4). Where Stripe
// emails (Dashboard, hosted API by email) the holder needs an email (K2),
// a confirmed one in a sandbox (K6), and the 48-hour limit applies (K3). A
// Dashboard user needs roles allowing roles.RequestRelink under pol (K3).
// The purpose adds its own criterion (K5).
func CanRequest(pol roles.Policy, ask Ask, acct Account, lim Limit, confirmedEmails []string, now time.Time) Decision {
	var d Decision
	canRequest(&d, &pol, &ask, &acct, false, lim, confirmedEmails, now)
	return d
}

// canRequest is CanRequest writing the decision to the zero Decision d,
// without copying its large arguments; a nil pol is roles.Default(). With
// seen, acct is known to pass invalidField (seenAccount.matches).
func canRequest(d *Decision, pol *roles.Policy, ask *Ask, acct *Account, seen bool, lim Limit, confirmedEmails []string, now time.Time) {
	d.Account = acct.ID
	if ask.Method.Valid() {
		d.Method = ask.Method
	}
	if !ask.valid() || !seen && !acct.validFields() {
		d.Reasons = d.Reasons.With(ReasonInvalidInput)
		return
	}
	var from time.Time // when time-bound grounds will hold
	switch {
	case acct.Status == AccountDisconnected:
		d.Reasons = d.Reasons.With(ReasonDisconnected)
	case acct.Status == AccountInactive && acct.Inactive.Action == ActionNone:
		d.Reasons = d.Reasons.With(ReasonNotRepairable)
	}
	if acct.Status == AccountActive && acct.Active.Action == ActionRelinkRequired {
		d.RelinkRequired = true
		d.Deadline = acct.Active.ExpectedDeactivation
	}
	if ask.Authorization != "" && acct.Authorization != "" && ask.Authorization != acct.Authorization {
		d.Reasons = d.Reasons.With(ReasonOtherAuthorization)
	}
	tan, tanFrom := acct.tanGround(now)
	if ask.Method.Hosted() {
		if acct.Status != AccountInactive && !d.RelinkRequired && !tan {
			d.Reasons = d.Reasons.With(ReasonNoRelinkGround)
			from = tanFrom
		}
		if acct.Holder.Type == "" {
			d.Reasons = d.Reasons.With(ReasonNoHolder)
		}
		if ask.AllowOtherAccount {
			d.Reasons = d.Reasons.With(ReasonSameAccountRequired)
		}
	}
	if ask.emails() {
		switch {
		case !notBlank(acct.Holder.Email): // Holder.HasEmail
			d.Reasons = d.Reasons.With(ReasonNoEmail)
		case !acct.Livemode && !confirmed(confirmedEmails, acct.Holder.Email):
			d.Reasons = d.Reasons.With(ReasonSandboxEmailUnconfirmed)
		}
	}
	if ask.emails() && lim.Blocks(now) { // Limited: exactly when Stripe emails (K3)
		d.Reasons = d.Reasons.With(ReasonRateLimited)
	}
	if ask.Method == MethodHostedDashboard {
		if pol == nil {
			d.Role = roles.Default().CheckUser(ask.User, roles.RequestRelink)
		} else {
			d.Role = pol.CheckUser(ask.User, roles.RequestRelink)
		}
		if !d.Role.Allowed {
			d.Reasons = d.Reasons.With(ReasonRoleNotPermitted)
		}
	}
	switch ask.Purpose {
	case PurposeReactivate:
		if acct.Status != AccountInactive {
			d.Reasons = d.Reasons.With(ReasonNotInactive)
		}
	case PurposeRefreshTAN:
		if !tan {
			d.Reasons = d.Reasons.With(ReasonNoTANToRefresh)
			from = tanFrom
		}
	case PurposeChangePermissions:
		if ask.Method != MethodAPI {
			d.Reasons = d.Reasons.With(ReasonPermissionsNeedAPIRelink)
		}
		if acct.HasPermissions(ask.Permissions) {
			d.Reasons = d.Reasons.With(ReasonPermissionsUnchanged)
		}
	}
	if d.Reasons == 0 {
		d.Allowed = true
		return
	}
	if d.Reasons&^timeBound != 0 {
		return
	}
	if d.Reasons.Has(ReasonNoRelinkGround) || d.Reasons.Has(ReasonNoTANToRefresh) {
		if from.IsZero() {
			return // no TAN will ever expire into the window
		}
		d.NextPossibleAt = from
	}
	if d.Reasons.Has(ReasonRateLimited) && lim.Until.After(d.NextPossibleAt) {
		d.NextPossibleAt = lim.Until
	}
}

// Decision is the outcome of CanRequest: whether a relink may be asked for an
// account, every reason it may not, and when it will be possible if only
// time stands in the way. It is a comparable value. The zero Decision
// allows nothing.
type Decision struct {
	// Account is the account decided on.
	Account AccountID
	// Method is the method asked for.
	Method Method
	// Allowed reports whether the relink may be asked now.
	Allowed bool
	// Reasons holds every failing reason; empty when Allowed.
	Reasons Reasons
	// NextPossibleAt is set when every failing reason passes with time
	// alone (the 48-hour limit, a TAN not yet within 30 days of expiry):
	// the first instant the relink becomes possible if nothing else
	// changes. It is zero when allowed or when some reason does not pass
	// with time.
	NextPossibleAt time.Time
	// Role is the roles decision for a Dashboard user; zero for the other
	// methods.
	Role roles.Decision
	// RelinkRequired reports that Stripe flagged the active account
	// relink_required (status_details.active.action), whatever the
	// decision.
	RelinkRequired bool
	// Deadline is the account's expected_deactivation_date when
	// RelinkRequired: the instant by which the customer must relink. Not
	// Valid otherwise, or when Stripe gave no date.
	Deadline Timestamp
}

// Later reports whether the relink is refused now but becomes possible at
// NextPossibleAt.
func (d Decision) Later() bool { return !d.Allowed && !d.NextPossibleAt.IsZero() }

// Never reports whether the relink is refused on a ground time alone does
// not remove.
func (d Decision) Never() bool { return !d.Allowed && d.NextPossibleAt.IsZero() }

// String returns one sentence a person can read.
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(d.Method.String())
	b.WriteString(" relink of ")
	b.WriteString(string(d.Account))
	if d.RelinkRequired {
		b.WriteString(" (Stripe: relink required")
		if d.Deadline.Valid {
			b.WriteString(" before deactivation at ")
			b.WriteString(d.Deadline.String())
		}
		b.WriteString(")")
	}
	if d.Allowed {
		b.WriteString(" is allowed")
		return b.String()
	}
	b.WriteString(" is refused: ")
	first := true
	for r := range d.Reasons.All() {
		if !first {
			b.WriteString("; ")
		}
		first = false
		if r == ReasonRoleNotPermitted {
			b.WriteString(d.Role.String())
			continue
		}
		b.WriteString(r.String())
	}
	if first {
		b.WriteString("no decision was made")
	}
	if !d.NextPossibleAt.IsZero() {
		b.WriteString("; possible from ")
		b.WriteString(d.NextPossibleAt.UTC().Format(time.RFC3339))
	}
	return b.String()
}

// Err returns nil when the decision allows the relink, and otherwise a
// *DecisionError matching ErrNotEligible (and ErrRateLimited or
// roles.ErrDenied as its reasons say).
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DecisionError{Decision: d}
}
