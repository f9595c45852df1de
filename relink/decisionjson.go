package relink

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/connectkit/connectkit/roles"
)

// DecisionAction is the "action" of every relink Decision in JSON: the
// wire name of roles.RequestRelink.
const DecisionAction = "request_relink"

// wireDecision is the JSON shape of a Decision, the one every connectkit
// Decision shares: allowed, action, reasons, next_possible_at (only when
// time alone blocks), role (only when roles were weighed), then the
// package's own facts.
type wireDecision struct {
	Allowed        bool            `json:"allowed"`
	Action         string          `json:"action"`
	Reasons        Reasons         `json:"reasons"`
	NextPossibleAt *time.Time      `json:"next_possible_at,omitempty"`
	Role           *roles.Decision `json:"role,omitempty"`
	Account        AccountID       `json:"account"`
	Method         *Method         `json:"method,omitempty"`
	RelinkRequired bool            `json:"relink_required"`
	Deadline       *time.Time      `json:"deadline,omitempty"`
}

// MarshalJSON encodes d in connectkit's one decision shape:
//
//	{"allowed": false, "action": "request_relink",
//	 "reasons": [{"code": "rate_limited", "rule": "K3", "message": "…"}],
//	 "next_possible_at": "2026-03-03T09:00:00Z",
//	 "role": {…roles.Decision…},
//	 "account": "fca_…", "method": "hosted_dashboard",
//	 "relink_required": true, "deadline": "2026-03-20T00:00:00Z"}
//
// reasons is [] when allowed; next_possible_at appears only when time
// alone blocks (NextPossibleAt not zero), role only when a Dashboard
// user's roles were weighed, method only when valid, deadline only when
// Stripe gave one. Times are RFC 3339. UnmarshalJSON reads it back equal.
func (d Decision) MarshalJSON() ([]byte, error) {
	w := wireDecision{Allowed: d.Allowed, Action: DecisionAction, Reasons: d.Reasons,
		Account: d.Account, RelinkRequired: d.RelinkRequired}
	if !d.NextPossibleAt.IsZero() {
		w.NextPossibleAt = &d.NextPossibleAt
	}
	if d.Role.Action != 0 {
		w.Role = &d.Role
	}
	if d.Method.Valid() {
		w.Method = &d.Method
	}
	if d.Deadline.Valid {
		w.Deadline = &d.Deadline.Time
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes the shape MarshalJSON writes. An action other than
// "request_relink", an unknown reason code or method, or malformed JSON is
// an error matching ErrInvalid, and leaves d unchanged.
func (d *Decision) UnmarshalJSON(b []byte) error {
	var w wireDecision
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("%w: decoding relink decision: %w", ErrInvalid, err)
	}
	if w.Action != DecisionAction {
		return &InvalidError{Field: "decision.action", Value: w.Action}
	}
	if !validText(string(w.Account), MaxIDLen) {
		return &InvalidError{Field: "decision.account", Value: string(w.Account)}
	}
	out := Decision{Allowed: w.Allowed, Reasons: w.Reasons, Account: w.Account, RelinkRequired: w.RelinkRequired}
	if w.NextPossibleAt != nil {
		out.NextPossibleAt = *w.NextPossibleAt
	}
	if w.Role != nil {
		out.Role = *w.Role
	}
	if w.Method != nil {
		out.Method = *w.Method
	}
	if w.Deadline != nil {
		out.Deadline = TimestampOf(*w.Deadline)
	}
	*d = out
	return nil
}

// DelayFrom returns how long after now the relink becomes possible if
// nothing but time changes: NextPossibleAt - now, for an HTTP Retry-After
// (the 48-hour limit, K3, or a TAN not yet within 30 days of expiry, K2).
// It is 0 when the decision allows, when some reason does not pass with
// time (Never), and when NextPossibleAt is not after now. Like
// rate.Reservation.DelayFrom, it takes now rather than reading a clock.
func (d Decision) DelayFrom(now time.Time) time.Duration {
	if !d.Later() || !d.NextPossibleAt.After(now) {
		return 0
	}
	return d.NextPossibleAt.Sub(now)
}
