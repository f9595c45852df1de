package links

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/connectkit/connectkit/internal/reasonset"
	"github.com/connectkit/connectkit/roles"
)

// Op names the links operation a Decision is about. Its wire name (String,
// MarshalText) is the "action" of the decision's JSON.
type Op uint8

// The operations a links decision can be about.
const (
	// OpCreateAccountLink: Service.CreateAccountLink, CanCreateAccountLink.
	OpCreateAccountLink Op = iota + 1
	// OpRedeemAccountLink: Service.Redeem.
	OpRedeemAccountLink
	// OpRefreshAccountLink: Service.Refresh.
	OpRefreshAccountLink
	// OpReturnAccountLink: Service.Return.
	OpReturnAccountLink
	// OpGenerateRemediationLink: Service.GenerateRemediationLink,
	// CanGenerateRemediationLink.
	OpGenerateRemediationLink
	// OpOpenRemediationLink: Service.OpenRemediationLink,
	// RemediationLink.CanOpen.
	OpOpenRemediationLink
	// OpRecordVerificationFailure: Service.RecordVerificationFailure.
	OpRecordVerificationFailure
	// OpResetRemediationLink: Service.ResetRemediationLink,
	// RemediationLink.CanReset.
	OpResetRemediationLink
	// OpAcknowledgeSecurityCheck: Service.AcknowledgeSecurityCheck,
	// RemediationLink.CanAcknowledge.
	OpAcknowledgeSecurityCheck
	// OpRevokeRemediationLink: Service.RevokeRemediationLink.
	OpRevokeRemediationLink
	// OpExportRemediationLinks: Service.ExportRemediationLinks.
	OpExportRemediationLinks

	numOps
)

var opNames = [numOps]string{
	OpCreateAccountLink:         "create_account_link",
	OpRedeemAccountLink:         "redeem_account_link",
	OpRefreshAccountLink:        "refresh_account_link",
	OpReturnAccountLink:         "return_account_link",
	OpGenerateRemediationLink:   "generate_remediation_link",
	OpOpenRemediationLink:       "open_remediation_link",
	OpRecordVerificationFailure: "record_verification_failure",
	OpResetRemediationLink:      "reset_remediation_link",
	OpAcknowledgeSecurityCheck:  "acknowledge_security_check",
	OpRevokeRemediationLink:     "revoke_remediation_link",
	OpExportRemediationLinks:    "export_remediation_links",
}

// AllOps returns every declared operation in declaration order, as a new
// slice.
func AllOps() []Op {
	out := make([]Op, 0, numOps-1)
	for o := Op(1); o < numOps; o++ {
		out = append(out, o)
	}
	return out
}

// Valid reports whether o is a declared operation.
func (o Op) Valid() bool { return o > 0 && o < numOps }

// String returns o's wire name, such as "generate_remediation_link", or
// "Op(N)" for an undeclared value.
func (o Op) String() string {
	if !o.Valid() {
		return fmt.Sprintf("Op(%d)", uint8(o))
	}
	return opNames[o]
}

// MarshalText encodes o as its wire name; an undeclared Op is an error.
func (o Op) MarshalText() ([]byte, error) {
	if !o.Valid() {
		return nil, fmt.Errorf("%w: cannot marshal %s", ErrInvalid, o)
	}
	return []byte(opNames[o]), nil
}

// UnmarshalText decodes a wire name; an unknown one is an error matching
// ErrInvalid and leaves o unchanged.
func (o *Op) UnmarshalText(b []byte) error {
	for x := Op(1); x < numOps; x++ {
		if opNames[x] == string(b) {
			*o = x
			return nil
		}
	}
	return fmt.Errorf("%w: unknown operation %q", ErrInvalid, b)
}

// Decision is the outcome of a links check: whether the operation may go
// ahead and, if not, every reason it may not. It is a plain value; computing
// one does not allocate, and its sentence is built only when asked for. The
// zero Decision allows nothing and gives no reason; checks never return it.
//
// It renders as connectkit's one decision shape (see MarshalJSON).
type Decision struct {
	// Op is the operation decided on.
	Op Op
	// Allowed reports whether the operation may go ahead. It is true
	// exactly when Reasons is empty and, where roles were weighed, Role
	// allows.
	Allowed bool
	// Reasons holds every reason other than the roles' that failed, not
	// only the first. A refusal by the roles is Role's (its code is
	// roles' "role_not_permitted", under the rule of the action, as in
	// every connectkit package).
	Reasons Reasons
	// NextPossibleAt is set only when time alone refuses (a refresh chain
	// that used up its window, ReasonRefreshLimitExceeded): the operation
	// may be allowed at or after it. It is the latest instant the window
	// can end, so waiting until then always suffices. Zero otherwise.
	NextPossibleAt time.Time
	// Role is the permission decision for operations a user's roles gate
	// (generate, export, reset, acknowledge, revoke); zero otherwise.
	Role roles.Decision
}

func decide(op Op, rs Reasons) Decision { return Decision{Op: op, Allowed: rs == 0, Reasons: rs} }

// withRole returns d with the role decision rd, which refuses d when it
// denies.
func (d Decision) withRole(rd roles.Decision) Decision {
	d.Role = rd
	if rd.Action.Valid() && !rd.Allowed {
		d.Allowed = false
	}
	return d
}

// roleDenied reports whether the roles were weighed and refused.
func (d Decision) roleDenied() bool { return d.Role.Action.Valid() && !d.Role.Allowed }

// DelayFrom returns how long after now the operation may be tried again
// when time alone refuses it (NextPossibleAt is set), like
// rate.Reservation.DelayFrom; 0 when d allows, when no wait would help, or
// when NextPossibleAt is not after now.
func (d Decision) DelayFrom(now time.Time) time.Duration {
	if d.Allowed || d.NextPossibleAt.IsZero() || !d.NextPossibleAt.After(now) {
		return 0
	}
	return d.NextPossibleAt.Sub(now)
}

// String returns one line a person can read: "allowed", or every reason's
// sentence (the role denial's first) joined by "; ".
func (d Decision) String() string {
	if d.Allowed {
		return "allowed"
	}
	if d.Reasons == 0 && !d.roleDenied() {
		return "not decided"
	}
	var b strings.Builder
	if d.roleDenied() {
		b.WriteString(d.Role.String())
	}
	for r := range d.Reasons.All() {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r.String())
	}
	return b.String()
}

// Err returns nil when d allows, and otherwise a *DecisionError that
// matches, with errors.Is, the sentinel of every reason in d (ErrDenied,
// ErrNotEligible, ErrInvalidURL …) and, for a role denial, roles.ErrDenied.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DecisionError{Decision: d}
}

// decisionJSON is the decision shape every connectkit package renders.
type decisionJSON struct {
	Allowed        bool             `json:"allowed"`
	Action         Op               `json:"action"`
	Reasons        []reasonset.Item `json:"reasons"`
	NextPossibleAt *time.Time       `json:"next_possible_at,omitempty"`
	Role           *roles.Decision  `json:"role,omitempty"`
}

// maxDecisionJSON bounds the document UnmarshalJSON reads: a decision with
// every reason and a role decision is under 8 KiB.
const maxDecisionJSON = 64 << 10

// MarshalJSON encodes d in connectkit's decision shape:
//
//	{"allowed": false, "action": "generate_remediation_link",
//	 "reasons": [{"code": "owner_not_set", "rule": "L6", "message": "…"}],
//	 "role": {…roles.Decision…}}
//
// "reasons" is [] when allowed; "next_possible_at" (RFC 3339) appears only
// when time alone refuses; "role" only when roles were weighed. An
// undeclared Op is an error.
func (d Decision) MarshalJSON() ([]byte, error) {
	out := decisionJSON{Allowed: d.Allowed, Action: d.Op, Reasons: []reasonset.Item{}}
	if d.roleDenied() && d.Role.Reason != 0 {
		out.Reasons = append(out.Reasons, reasonset.Item{Code: d.Role.Reason.Code(), Rule: d.Role.Rule(), Message: d.Role.String()})
	}
	out.Reasons = append(out.Reasons, d.Reasons.Items()...)
	if !d.NextPossibleAt.IsZero() {
		t := d.NextPossibleAt
		out.NextPossibleAt = &t
	}
	if d.Role.Action.Valid() {
		rd := d.Role
		out.Role = &rd
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes the shape MarshalJSON writes. Each reason is read
// by its code. A document over 64 KiB, without an action, with an unknown
// action or code, or whose "allowed" disagrees with its reasons is an error
// matching ErrInvalid and leaves d unchanged.
func (d *Decision) UnmarshalJSON(b []byte) error {
	if len(b) > maxDecisionJSON {
		return fmt.Errorf("%w: decision of %d bytes, more than %d", ErrInvalid, len(b), maxDecisionJSON)
	}
	var in decisionJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("%w: decision: %w", ErrInvalid, err)
	}
	if !in.Action.Valid() {
		return fmt.Errorf("%w: decision without an action", ErrInvalid)
	}
	out := Decision{Op: in.Action}
	if in.Role != nil {
		out.Role = *in.Role
	}
	if len(in.Reasons) > reasonset.MaxReason+2 {
		return fmt.Errorf("%w: decision with %d reasons", ErrInvalid, len(in.Reasons))
	}
	for i, it := range in.Reasons {
		if i == 0 && out.roleDenied() && it.Code == out.Role.Reason.Code() {
			continue // the role denial, read from "role"
		}
		r, err := reasonset.Parse[Reason](it.Code)
		if err != nil {
			return fmt.Errorf("%w: decision: %w", ErrInvalid, err)
		}
		out.Reasons = out.Reasons.With(r)
	}
	if in.Allowed != (out.Reasons == 0 && !out.roleDenied()) {
		return fmt.Errorf("%w: decision allowed=%v with %d reasons", ErrInvalid, in.Allowed, len(in.Reasons))
	}
	out.Allowed = in.Allowed
	if in.NextPossibleAt != nil {
		out.NextPossibleAt = *in.NextPossibleAt
	}
	*d = out
	return nil
}

// Equal reports whether d and e are the same decision; cmp.Diff uses it.
func (d Decision) Equal(e Decision) bool {
	return d.Op == e.Op && d.Allowed == e.Allowed && d.Reasons == e.Reasons &&
		d.NextPossibleAt.Equal(e.NextPossibleAt) && d.Role.Equal(e.Role)
}

// DecisionError is the error form of a Decision that refuses. Use
// errors.As to read its reasons.
type DecisionError struct {
	Decision Decision // the refusing decision, with every reason
}

// Error implements error.
func (e *DecisionError) Error() string { return "links: " + e.Decision.String() }

// Unwrap returns the distinct sentinels of the decision's reasons, and the
// role decision's error when a role denied, so that errors.Is matches each
// and errkind.Of classifies the error by the most telling of them (a role
// denial is errkind.Denied).
func (e *DecisionError) Unwrap() []error {
	var out []error
	for r := range e.Decision.Reasons.All() {
		if err := r.Err(); !containsErr(out, err) {
			out = append(out, err)
		}
	}
	if e.Decision.roleDenied() {
		out = append(out, ErrDenied, e.Decision.Role.Err())
	} else if e.Decision.Reasons == 0 {
		out = append(out, ErrNotEligible)
	}
	return out
}

func containsErr(errs []error, err error) bool {
	for _, e := range errs {
		if e == err {
			return true
		}
	}
	return false
}
