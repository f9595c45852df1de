package account

import (
	"encoding/json"
	"fmt"

	"github.com/connectkit/connectkit/internal/reasonset"
	"github.com/connectkit/connectkit/roles"
)

// decisionJSON is connectkit's one decision shape, with account's facts.
type decisionJSON struct {
	Allowed bool             `json:"allowed"`
	Action  string           `json:"action"`
	Reasons []reasonset.Item `json:"reasons"`
	Role    *roles.Decision  `json:"role,omitempty"`
	// NeedsOnboardingLink is present in create decisions only.
	NeedsOnboardingLink *bool `json:"needs_onboarding_link,omitempty"`
	// Exact is present in view_as decisions only.
	Exact *bool `json:"exact,omitempty"`
}

// MarshalJSON encodes d in connectkit's decision shape:
//
//	{"allowed": false, "action": "send_funds",
//	 "reasons": [{"code": "role_not_permitted", "rule": "A7", "message": "…"},
//	             {"code": "platform_balance_insufficient", "rule": "A7", "message": "…"}],
//	 "role": {…roles.Decision…}}
//
// "action" is the Op's wire name; "reasons" lists the role denial first
// (the roles package's reason, under the operation's rule) and then every
// Reason, and is [] when allowed; "role" is the roles.Decision whenever
// roles were weighed. A create decision adds "needs_onboarding_link", a
// view_as decision "exact". Account decisions are never refused by time
// alone, so there is no "next_possible_at".
func (d Decision) MarshalJSON() ([]byte, error) {
	out := decisionJSON{Allowed: d.Allowed, Reasons: []reasonset.Item{}}
	if d.Op.Valid() {
		out.Action = d.Op.String()
	}
	if d.Role.Action != 0 {
		role := d.Role
		out.Role = &role
		if !role.Allowed && role.Reason() != 0 {
			out.Reasons = append(out.Reasons, reasonset.Item{Code: role.Reason().Code(), Rule: d.Op.Rule(), Message: role.String()})
		}
	}
	out.Reasons = append(out.Reasons, d.Reasons.Items()...)
	switch d.Op {
	case OpCreate:
		out.NeedsOnboardingLink = &d.NeedsOnboardingLink
	case OpViewAs:
		out.Exact = &d.Exact
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes the shape MarshalJSON writes. Reasons are read by
// code (their rule and message follow from it); the role denial's reason is
// read from "role". An unknown action or code, or an "allowed" that
// contradicts the reasons, is an error matching ErrInvalid and leaves d
// unchanged.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var in decisionJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("%w: decision: %v", ErrInvalid, err)
	}
	var out Decision
	if in.Action != "" {
		op, ok := parseOp(in.Action)
		if !ok {
			return fmt.Errorf("%w: decision: unknown action %q", ErrInvalid, in.Action)
		}
		out.Op = op
	}
	if in.Role != nil {
		out.Role = *in.Role
	}
	roleDenied := out.Role.Action != 0 && !out.Role.Allowed
	if len(in.Reasons) > reasonset.MaxReason+1 {
		return fmt.Errorf("%w: decision: %d reasons", ErrInvalid, len(in.Reasons))
	}
	for i, it := range in.Reasons {
		if i == 0 && roleDenied && it.Code == out.Role.Reason().Code() {
			continue
		}
		r, err := reasonset.Parse[Reason](it.Code)
		if err != nil {
			return fmt.Errorf("%w: decision: %v", ErrInvalid, err)
		}
		out.Reasons = out.Reasons.With(r)
	}
	if in.NeedsOnboardingLink != nil {
		out.NeedsOnboardingLink = *in.NeedsOnboardingLink
	}
	if in.Exact != nil {
		out.Exact = *in.Exact
	}
	if in.Allowed != (out.Op.Valid() && out.Reasons.Empty() && out.Role.Allowed) {
		return fmt.Errorf("%w: decision: allowed %v contradicts its reasons and role", ErrInvalid, in.Allowed)
	}
	out.Allowed = in.Allowed
	*d = out
	return nil
}

// parseOp returns the operation whose wire name is s.
func parseOp(s string) (Op, bool) {
	for o := Op(1); o < numOps; o++ {
		if opInfo[o].wire == s {
			return o, true
		}
	}
	return 0, false
}
