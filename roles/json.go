package roles

import (
	"encoding/json"
	"fmt"

	"github.com/connectkit/connectkit/internal/reasonset"
)

// maxSetNames bounds the array Set.UnmarshalJSON reads: one name per role,
// each at most once more.
const maxSetNames = 2 * int(numRoles)

// MarshalJSON encodes s as an array of wire names in catalogue order, such
// as ["admin","developer"]; the empty set is [].
func (s Set) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, s.Len())
	for r := range s.All() {
		names = append(names, r.String())
	}
	return json.Marshal(names)
}

// UnmarshalJSON decodes an array of wire names; an unknown name is an
// *UnknownRoleError and leaves s unchanged.
func (s *Set) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return fmt.Errorf("%w: set: %w", ErrMalformed, err)
	}
	if len(names) > maxSetNames {
		return fmt.Errorf("%w: %d names in a set", ErrInvalidPolicy, len(names))
	}
	set, err := ParseSet(names...)
	if err != nil {
		return err
	}
	*s = set
	return nil
}

// Rule returns the catalogue rule a reason stands for in action a's
// decision: the action's own rule when roles were weighed, P3 (default
// deny) when there was nothing to weigh.
func (r Reason) rule(a Action) string {
	switch r {
	case ReasonPermitted, ReasonNotPermitted:
		return a.Rule()
	case ReasonNoRoles, ReasonUnknownAction:
		return "P3"
	}
	return ""
}

// decisionJSON is the one decision shape every connectkit package renders:
// allowed, the action, and every failing reason with its rule and
// sentence.
type decisionJSON struct {
	Allowed   bool             `json:"allowed"`
	Action    string           `json:"action"`
	Rule      string           `json:"rule,omitempty"`
	Reasons   []reasonset.Item `json:"reasons"`
	Held      Set              `json:"held"`
	Permitted Set              `json:"permitted"`
	By        *Role            `json:"by,omitempty"`
}

// MarshalJSON encodes d in connectkit's decision shape:
//
//	{"allowed": false, "action": "send_funds", "rule": "A7",
//	 "reasons": [{"code": "role_not_permitted", "rule": "A7", "message": "…"}],
//	 "held": ["developer"], "permitted": ["owner", "super_admin", "admin"]}
//
// An allowed decision has no reasons and names the granting role in "by".
// The zero Decision encodes as refused with no_decision.
func (d Decision) MarshalJSON() ([]byte, error) {
	out := decisionJSON{
		Allowed:   d.Allowed,
		Action:    d.Action.String(),
		Rule:      d.Rule(),
		Reasons:   []reasonset.Item{},
		Held:      d.Held,
		Permitted: d.Permitted(),
	}
	if d.Allowed {
		if by := d.By(); by.Valid() {
			out.By = &by
		}
	} else if r := d.Reason(); r != 0 {
		out.Reasons = append(out.Reasons, reasonset.Item{Code: r.Code(), Rule: r.rule(d.Action), Message: d.String()})
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes the shape MarshalJSON writes. The reason's code is
// read; its rule and sentence follow from the rest. Unknown actions, roles
// or codes are errors and leave d unchanged, and so is a decision no policy
// could make: its reason and granting role ("by") must be the ones that
// follow from allowed, held and permitted.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var in struct {
		decisionJSON
		Action *Action `json:"action"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return fmt.Errorf("%w: decision: %w", ErrMalformed, err)
	}
	if in.Action == nil {
		return fmt.Errorf("%w: decision without an action", ErrUnknownAction)
	}
	out := Decision{Action: *in.Action, Held: in.Held, Allowed: in.Allowed, permitted: in.Permitted | decided}
	if out.Held == 0 {
		// Check weighs no grants for a user with no role.
		out.permitted = decided
		if in.Permitted != 0 {
			return fmt.Errorf("%w: decision: no role held, yet permitted %v", ErrMalformed, in.Permitted)
		}
	}
	if out.Allowed != (out.Held&out.permitted != 0) {
		return fmt.Errorf("%w: decision: allowed %v for held %v and permitted %v", ErrMalformed, in.Allowed, in.Held, in.Permitted)
	}
	switch {
	case in.Allowed && len(in.Reasons) == 0:
		if in.By != nil && *in.By != out.By() {
			return fmt.Errorf("%w: decision: by %v, but the first granting role held is %v", ErrMalformed, *in.By, out.By())
		}
	case !in.Allowed && len(in.Reasons) == 1:
		if r := parseReason(in.Reasons[0].Code); r != out.Reason() {
			return fmt.Errorf("%w: decision: reason %q, but held and permitted give %q", ErrMalformed, in.Reasons[0].Code, out.Reason().Code())
		}
	default:
		return fmt.Errorf("%w: decision: allowed %v with %d reasons", ErrMalformed, in.Allowed, len(in.Reasons))
	}
	*d = out
	return nil
}

// Equal reports whether d and e are the same decision, including the roles
// the policy permitted; cmp.Diff uses it.
func (d Decision) Equal(e Decision) bool { return d == e }

// parseReason returns the reason whose code is code, or zero.
func parseReason(code string) Reason {
	for r := Reason(1); int(r) < len(reasonCodes); r++ {
		if reasonCodes[r] == code {
			return r
		}
	}
	return 0
}
