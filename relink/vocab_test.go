package relink_test

import (
	"encoding/json"
	"errors"
	"flag"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/internal/golden"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

var update = flag.Bool("update", false, "rewrite testdata/decision.golden.json")

// allReasons lists every declared reason, found by Valid rather than by
// hand, so that a reason added later is covered.
func allReasons() []relink.Reason {
	var rs []relink.Reason
	for r := relink.Reason(1); r.Valid(); r++ {
		rs = append(rs, r)
	}
	return rs
}

func roundTrip(t *testing.T, d relink.Decision) {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("Marshal(%v): %v", d, err)
	}
	var got relink.Decision
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if diff := cmp.Diff(d, got); diff != "" {
		t.Fatalf("decision changed through JSON (-want +got):\n%s\n%s", diff, b)
	}
}

// TestDecision_K3_JSONRoundTripEveryReason: a decision refused on each
// reason alone, on all of them at once, an allowed one, and those CanRequest
// makes (role weighed, Stripe's deadline, time-blocked) all survive
// json.Marshal and json.Unmarshal exactly.
func TestDecision_K3_JSONRoundTripEveryReason(t *testing.T) {
	var all relink.Reasons
	for _, r := range allReasons() {
		all = all.With(r)
		t.Run(r.Code(), func(t *testing.T) {
			roundTrip(t, relink.Decision{Account: "fca_1", Method: relink.MethodAPI, Reasons: relink.ReasonsOf(r)})
		})
	}
	if all.Len() != len(allReasons()) {
		t.Fatalf("set holds %d of %d reasons", all.Len(), len(allReasons()))
	}
	roundTrip(t, relink.Decision{Account: "fca_1", Reasons: all})
	roundTrip(t, relink.Decision{Account: "fca_1", Method: relink.MethodHostedAPI, Allowed: true})
	roundTrip(t, relink.Decision{})

	flagged := inactive()
	flagged.Status, flagged.Inactive = relink.AccountActive, relink.InactiveDetails{}
	flagged.Active = relink.ActiveDetails{Action: relink.ActionRelinkRequired,
		ExpectedDeactivation: relink.TimestampOf(time.Unix(relink.MinUnix, 0).UTC())}
	analyst := dashboardAsk
	analyst.User.Roles = roles.NewSet(roles.Analyst)
	for name, d := range map[string]relink.Decision{
		"allowed with role":        check(inactive(), dashboardAsk, relink.Limit{}, t0),
		"role denied":              check(inactive(), analyst, relink.Limit{Until: t1}, t0),
		"rate limited":             check(inactive(), emailAsk, relink.Limit{Until: t1}, t0),
		"relink required, year 1":  check(flagged, dashboardAsk, relink.Limit{}, t0),
		"TAN not yet within 30 d.": check(activeWithTAN(t0.Add(40*day)), emailAsk, relink.Limit{}, t0),
	} {
		t.Run(name, func(t *testing.T) { roundTrip(t, d) })
	}
}

// TestDecision_K3_GoldenJSON: the JSON of one decision, refused by the
// 48-hour limit alone for a Dashboard user whose roles were weighed, is
// exactly testdata/decision.golden.json (run with -update to rewrite it).
func TestDecision_K3_GoldenJSON(t *testing.T) {
	d := check(inactive(), dashboardAsk, relink.Limit{Until: t0.Add(20 * time.Hour)}, t0)
	golden.JSON(t, "testdata/decision.golden.json", d, *update)
	// An allowed decision lists no reason: [] rather than null, and no
	// next_possible_at; an API decision weighs no role.
	b, _ := json.Marshal(check(inactive(), apiAsk, relink.Limit{}, t0))
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if string(m["reasons"]) != "[]" || m["next_possible_at"] != nil || m["role"] != nil || string(m["action"]) != `"request_relink"` {
		t.Fatalf("allowed API decision: %s", b)
	}
}

// TestDecision_UnmarshalRefusesBadInput: another action, an unknown
// reason or method, and malformed JSON are ErrInvalid and leave the
// decision unchanged.
func TestDecision_UnmarshalRefusesBadInput(t *testing.T) {
	for _, in := range []string{
		`{"allowed":true,"action":"send_funds","reasons":[]}`,
		`{"allowed":false,"action":"request_relink","reasons":[{"code":"made_up"}]}`,
		`{"allowed":false,"action":"request_relink","reasons":[],"method":"carrier_pigeon"}`,
		`{"allowed":false,"action":"request_relink","reasons":[],"account":"fca_\u0000"}`,
		`{"allowed":`,
	} {
		d := relink.Decision{Account: "fca_keep"}
		if err := d.UnmarshalJSON([]byte(in)); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("UnmarshalJSON(%s) = %v, want ErrInvalid", in, err)
		}
		if d.Account != "fca_keep" {
			t.Errorf("Unmarshal(%s) changed the decision: %+v", in, d)
		}
	}
}

// TestDecision_K3_DelayFrom: a decision refused by the 48-hour limit gives
// the delay from any now to NextPossibleAt (a Retry-After); zero once it
// has passed, when allowed, and when some reason does not pass with time.
func TestDecision_K3_DelayFrom(t *testing.T) {
	limited := check(inactive(), emailAsk, relink.Limit{Until: t0.Add(48 * time.Hour)}, t0)
	for _, tc := range []struct {
		at   time.Time
		want time.Duration
	}{
		{t0, 48 * time.Hour},
		{t0.Add(47*time.Hour + 59*time.Minute + 59*time.Second), time.Second},
		{t0.Add(48 * time.Hour), 0},
		{t0.Add(49 * time.Hour), 0},
	} {
		if got := limited.DelayFrom(tc.at); got != tc.want {
			t.Errorf("DelayFrom(%v) = %v, want %v", tc.at, got, tc.want)
		}
	}
	noEmail := inactive()
	noEmail.Holder.Email = ""
	if d := check(noEmail, emailAsk, relink.Limit{Until: t1}, t0); d.DelayFrom(t0) != 0 || !d.Never() {
		t.Errorf("rate limited and no email: DelayFrom = %v, want 0 (%v)", d.DelayFrom(t0), d)
	}
	if d := check(inactive(), emailAsk, relink.Limit{}, t0); d.DelayFrom(t0) != 0 {
		t.Errorf("allowed: DelayFrom = %v", d.DelayFrom(t0))
	}
}

// TestErrors_Kinds: every exported sentinel and error type of the
// package, with the errkind it classifies as; a Decision's error carries
// the role denial's kind when a role denied (K3).
func TestErrors_Kinds(t *testing.T) {
	analyst := dashboardAsk
	analyst.User.Roles = roles.NewSet(roles.Analyst)
	noEmail := inactive()
	noEmail.Holder.Email = ""
	for name, tc := range map[string]struct {
		err  error
		want errkind.Kind
	}{
		"ErrNotEligible":        {relink.ErrNotEligible, errkind.NotEligible},
		"ErrRateLimited":        {relink.ErrRateLimited, errkind.RateLimited},
		"ErrInvalid":            {relink.ErrInvalid, errkind.InvalidInput},
		"ErrNotFound":           {relink.ErrNotFound, errkind.NotFound},
		"ErrExists":             {relink.ErrExists, errkind.Exists},
		"ErrConflict":           {relink.ErrConflict, errkind.Conflict},
		"ErrNotPending":         {relink.ErrNotPending, errkind.AlreadyUsed},
		"ErrWrongAccount":       {relink.ErrWrongAccount, errkind.NotEligible},
		"ErrNoStore":            {relink.ErrNoStore, errkind.InvalidInput},
		"*InvalidError":         {&relink.InvalidError{Field: "status"}, errkind.InvalidInput},
		"*RateLimitedError":     {&relink.RateLimitedError{Account: "fca_1"}, errkind.RateLimited},
		"*WrongAccountError":    {&relink.WrongAccountError{Request: "r", Want: "a", Got: "b"}, errkind.NotEligible},
		"*DecisionError":        {check(noEmail, emailAsk, relink.Limit{}, t0).Err(), errkind.NotEligible},
		"K3 limit only":         {check(inactive(), emailAsk, relink.Limit{Until: t1}, t0).Err(), errkind.RateLimited},
		"K3 role denied":        {check(inactive(), analyst, relink.Limit{Until: t1}, t0).Err(), errkind.Denied},
		"K3 limit and no email": {check(noEmail, emailAsk, relink.Limit{Until: t1}, t0).Err(), errkind.NotEligible},
		"allowed decision nil":  {check(inactive(), apiAsk, relink.Limit{}, t0).Err(), errkind.None},
	} {
		if got := errkind.Of(tc.err); got != tc.want {
			t.Errorf("%s: errkind.Of = %v, want %v", name, got, tc.want)
		}
	}
	var ne *relink.DecisionError
	if err := check(inactive(), analyst, relink.Limit{}, t0).Err(); !errors.As(err, &ne) || !errors.Is(err, roles.ErrDenied) {
		t.Errorf("role denial: %v does not unwrap to *DecisionError and roles.ErrDenied", err)
	}
}

// TestDecision_K3_RateLimitedOnlyWhenTimeAloneBlocks: a decision refused by
// the 48-hour limit alone is RateLimited (and waits DelayFrom); refused by
// the limit and by a reason time does not remove (no holder email, K2) it
// is NotEligible, and does not match ErrRateLimited: waiting would not help.
func TestDecision_K3_RateLimitedOnlyWhenTimeAloneBlocks(t *testing.T) {
	noEmail := inactive()
	noEmail.Holder.Email = ""
	lim := relink.Limit{Until: t1}
	onlyLimit := check(inactive(), emailAsk, lim, t0)
	if err := onlyLimit.Err(); !errors.Is(err, relink.ErrRateLimited) || errkind.Of(err) != errkind.RateLimited || onlyLimit.DelayFrom(t0) <= 0 {
		t.Fatalf("limit alone: %v (kind %v, delay %v), want RateLimited with a delay", err, errkind.Of(err), onlyLimit.DelayFrom(t0))
	}
	both := check(noEmail, emailAsk, lim, t0)
	if !both.Reasons.Has(relink.ReasonRateLimited) || !both.Reasons.Has(relink.ReasonNoEmail) {
		t.Fatalf("reasons %v, want rate_limited and no_email", both.Reasons)
	}
	err := both.Err()
	if errors.Is(err, relink.ErrRateLimited) || errkind.Of(err) != errkind.NotEligible || both.DelayFrom(t0) != 0 {
		t.Fatalf("limit and no email: %v (kind %v, delay %v), want NotEligible, not ErrRateLimited, no delay", err, errkind.Of(err), both.DelayFrom(t0))
	}
	if !errors.Is(err, relink.ErrNotEligible) {
		t.Fatalf("%v does not match ErrNotEligible", err)
	}
}
