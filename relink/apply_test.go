package relink_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/errkind"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/snapshot"
)

func evt(sec int, id string) snapshot.Mark {
	return snapshot.Mark{Created: t0.Add(time.Duration(sec) * time.Second), EventID: id}
}

func activeFlagged(deactivation time.Time) relink.Account {
	a := inactive()
	a.Status, a.Inactive = relink.AccountActive, relink.InactiveDetails{}
	a.Active = relink.ActiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired,
		ExpectedDeactivation: relink.TimestampOf(deactivation)}
	return a
}

func activePlain() relink.Account {
	a := inactive()
	a.Status, a.Inactive = relink.AccountActive, relink.InactiveDetails{}
	return a
}

// TestApplyAccountSnapshot_K2_ReportsEligibilityAndDeadline: a sequence of
// snapshots of one account, each reported with the eligibility before and
// after at now: active (not eligible) → Stripe flags relink_required with
// an expected deactivation date (newly eligible, that date the deadline) →
// a stale older snapshot (skipped, nothing changes) → the same event again
// (duplicate) → inactive (eligible, no deadline) → active with a TAN 31
// days from expiry, not eligible at t0 but eligible a day later with the
// TAN's expiry as deadline (K2's 30 days, judged at now).
func TestApplyAccountSnapshot_K2_ReportsEligibilityAndDeadline(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	deact := t0.Add(20 * day)
	tanExpiry := t0.Add(31 * day)
	type want struct {
		verdict               snapshot.Verdict
		created               bool
		before, after         relink.AccountStatus
		eligBefore, eligAfter bool
		deadline              time.Time
		relinkRequired        bool
		version               uint64
	}
	steps := []struct {
		name string
		acct relink.Account
		mark snapshot.Mark
		now  time.Time
		want want
	}{
		{"created active", activePlain(), evt(10, "evt_a"), t0, want{snapshot.Newer, true, "", relink.AccountActive, false, false, time.Time{}, false, 1}},
		{"flagged relink_required", activeFlagged(deact), evt(20, "evt_b"), t0, want{snapshot.Newer, false, relink.AccountActive, relink.AccountActive, false, true, deact, true, 2}},
		{"stale older event", inactive(), evt(15, "evt_z"), t0, want{snapshot.Stale, false, relink.AccountActive, relink.AccountActive, true, true, deact, true, 2}},
		{"duplicate", activeFlagged(deact), evt(20, "evt_b"), t0, want{snapshot.Duplicate, false, relink.AccountActive, relink.AccountActive, true, true, deact, true, 2}},
		{"deactivated", inactive(), evt(30, "evt_c"), t0, want{snapshot.Newer, false, relink.AccountActive, relink.AccountInactive, true, true, time.Time{}, false, 3}},
		{"TAN 31 days out", activeWithTAN(tanExpiry), evt(40, "evt_d"), t0, want{snapshot.Newer, false, relink.AccountInactive, relink.AccountActive, true, false, time.Time{}, false, 4}},
		{"same TAN a day later", activeWithTAN(tanExpiry), evt(50, "evt_e"), t0.Add(day), want{snapshot.Newer, false, relink.AccountActive, relink.AccountActive, true, true, tanExpiry, false, 5}},
	}
	for _, st := range steps {
		got, err := s.ApplyAccountSnapshotAt(ctx, st.acct, st.mark, st.now)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		g := want{got.Verdict, got.Created, got.StatusBefore, got.StatusAfter, got.EligibleBefore, got.EligibleAfter, got.Deadline, got.RelinkRequired, got.Stored.Version}
		if d := cmp.Diff(st.want, g, cmp.AllowUnexported(want{})); d != "" {
			t.Fatalf("%s (-want +got):\n%s", st.name, d)
		}
	}
	stored, err := s.Store.FCAccount(ctx, "fca_1")
	if err != nil || stored.Mark != evt(50, "evt_e") {
		t.Fatalf("stored %+v, %v", stored.Mark, err)
	}
}

// TestApplyAccountSnapshot_K1_SameSecondGreaterEventIDWins: two events in
// the same second, delivered in either order, end on the one with the
// greater event ID.
func TestApplyAccountSnapshot_K1_SameSecondGreaterEventIDWins(t *testing.T) {
	ctx := context.Background()
	a, b := evt(5, "evt_A"), evt(5, "evt_B")
	for _, order := range [][]snapshot.Mark{{a, b}, {b, a}} {
		s, _ := newService(t0)
		for _, m := range order {
			acct := inactive()
			acct.Extra = map[string]json.RawMessage{"event": json.RawMessage(`"` + m.EventID + `"`)}
			if _, err := s.ApplyAccountSnapshotAt(ctx, acct, m, t0); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := s.Store.FCAccount(ctx, "fca_1")
		if got.Mark != b || string(got.Account.Extra["event"]) != `"evt_B"` {
			t.Fatalf("order %v ended on %v", order, got.Mark)
		}
	}
}

// TestApplyAccountSnapshot_K1_BadInputRefusedNothingWritten: an invalid
// account or mark is ErrInvalid and writes nothing; a Service without a
// Store is ErrNoStore.
func TestApplyAccountSnapshot_K1_BadInputRefusedNothingWritten(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	bad := inactive()
	bad.Status = "frozen"
	for name, tc := range map[string]struct {
		acct relink.Account
		mark snapshot.Mark
	}{
		"unknown status":    {bad, evt(1, "evt_1")},
		"zero mark":         {inactive(), snapshot.Mark{}},
		"NUL in event id":   {inactive(), evt(1, "evt_\x00")},
		"event id too long": {inactive(), evt(1, strings.Repeat("e", 300))},
	} {
		if _, err := s.ApplyAccountSnapshotAt(ctx, tc.acct, tc.mark, t0); !errors.Is(err, relink.ErrInvalid) || errkind.Of(err) != errkind.InvalidInput {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := s.Store.FCAccount(ctx, "fca_1"); !errors.Is(err, relink.ErrNotFound) {
		t.Fatalf("after refused snapshots: %v, want ErrNotFound", err)
	}
	var none relink.Service
	if _, err := none.ApplyAccountSnapshotAt(ctx, inactive(), evt(1, "evt_1"), t0); !errors.Is(err, relink.ErrNoStore) {
		t.Fatalf("no store: %v", err)
	}
	if _, err := none.ApplySessionResultAt(ctx, relink.SessionUpdate{ID: "fcsess_1"}, evt(1, "evt_1"), t0); !errors.Is(err, relink.ErrNoStore) {
		t.Fatalf("no store: %v", err)
	}
	if _, err := none.CampaignAt(ctx, apiAsk, t0); !errors.Is(err, relink.ErrNoStore) {
		t.Fatalf("no store: %v", err)
	}
}

// TestCampaign_K2_RunsFromTheStore: a campaign over the stored accounts puts
// Stripe-flagged accounts first (soonest deactivation first), then other
// eligible ones; the 48-hour limit (K3) read from each account's requests
// sends a recently asked account to Later; a disconnected one to Never.
func TestCampaign_K2_RunsFromTheStore(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	put := func(id relink.AccountID, a relink.Account) {
		a.ID = id
		if _, err := s.ApplyAccountSnapshotAt(ctx, a, evt(0, "evt_"+string(id)), t0); err != nil {
			t.Fatal(err)
		}
	}
	put("fca_a", inactive())
	put("fca_b", activeFlagged(t0.Add(20*day)))
	put("fca_c", activeFlagged(t0.Add(10*day)))
	limited := inactive()
	limited.ID = "fca_d"
	put("fca_d", limited)
	gone := inactive()
	gone.Status, gone.Inactive = relink.AccountDisconnected, relink.InactiveDetails{}
	put("fca_e", gone)
	if _, _, err := s.RequestAt(ctx, limited, dashboardAsk, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	c, err := s.CampaignAt(ctx, dashboardAsk, t0)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ds []relink.Decision) (out []relink.AccountID) {
		for _, d := range ds {
			out = append(out, d.Account)
		}
		return out
	}
	if d := cmp.Diff([]relink.AccountID{"fca_c", "fca_b", "fca_a"}, ids(c.Eligible)); d != "" {
		t.Errorf("eligible (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]relink.AccountID{"fca_d"}, ids(c.Later)); d != "" || !c.Later[0].NextPossibleAt.Equal(t0.Add(47*time.Hour)) {
		t.Errorf("later (-want +got):\n%s %v", d, c.Later)
	}
	if d := cmp.Diff([]relink.AccountID{"fca_e"}, ids(c.Never)); d != "" {
		t.Errorf("never (-want +got):\n%s", d)
	}
}

// TestParseSession_K4_RelinkOptionsAndResult: the session of a relink
// (BETA) decodes relink_options, relink_result and status, nulls as
// absent; the GA fixture (no relink members) decodes with none; bad input
// is ErrInvalid.
func TestParseSession_K4_RelinkOptionsAndResult(t *testing.T) {
	ga, err := os.ReadFile("testdata/fc_session_fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		in   string
		want relink.SessionUpdate
	}{
		"GA fixture": {string(ga), relink.SessionUpdate{ID: "fcsess_1Pgc76B7WZ01zgkWnYmFk7mZ"}},
		"succeeded for an account": {`{"id":"fcsess_1","object":"financial_connections.session","livemode":true,"status":"succeeded",
			"relink_options":{"authorization":"fcauth_1","account":"fca_1"},
			"relink_result":{"account":"fca_1","authorization":"fcauth_1","failure_reason":null}}`,
			relink.SessionUpdate{ID: "fcsess_1", Livemode: true, Status: relink.SessionSucceeded,
				RelinkOptions: relink.RelinkOptions{Authorization: "fcauth_1", Account: "fca_1"},
				RelinkResult:  relink.RelinkResult{Account: "fca_1", Authorization: "fcauth_1"}}},
		"failed, authorization only": {`{"id":"fcsess_2","status":"failed","relink_options":{"authorization":"fcauth_1","account":null},
			"relink_result":{"account":null,"authorization":null,"failure_reason":"no_authorization"}}`,
			relink.SessionUpdate{ID: "fcsess_2", Status: relink.SessionFailed,
				RelinkOptions: relink.RelinkOptions{Authorization: "fcauth_1"},
				RelinkResult:  relink.RelinkResult{FailureReason: relink.FailureNoAuthorization}}},
		"unknown failure reason kept": {`{"id":"fcsess_3","relink_options":{"authorization":"fcauth_1"},"relink_result":{"failure_reason":"reason_stripe_adds"}}`,
			relink.SessionUpdate{ID: "fcsess_3", RelinkOptions: relink.RelinkOptions{Authorization: "fcauth_1"},
				RelinkResult: relink.RelinkResult{FailureReason: "reason_stripe_adds"}}},
	} {
		got, err := relink.ParseSession([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
	for name, in := range map[string]string{
		"not JSON":                 `{`,
		"no id":                    `{"object":"financial_connections.session"}`,
		"another object":           `{"id":"fca_1","object":"financial_connections.account"}`,
		"unknown status":           `{"id":"fcsess_1","status":"paused"}`,
		"options without auth":     `{"id":"fcsess_1","relink_options":{"account":"fca_1"}}`,
		"NUL in id":                `{"id":"fcsess_\u0000"}`,
		"number as authorization":  `{"id":"fcsess_1","relink_options":{"authorization":7}}`,
		"too deep":                 `{"id":"fcsess_1","x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`,
		"over the size bound":      `{"id":"fcsess_1","x":"` + strings.Repeat("a", relink.MaxSessionJSON) + `"}`,
		"failure reason too long":  `{"id":"fcsess_1","relink_result":{"failure_reason":"` + strings.Repeat("r", 300) + `"}}`,
		"invalid UTF-8 in account": "{\"id\":\"fcsess_1\",\"relink_options\":{\"authorization\":\"fcauth_1\",\"account\":\"fca_\xff\"}}",
	} {
		if _, err := relink.ParseSession([]byte(in)); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// FuzzParseSession: ParseSession never panics, refuses with ErrInvalid
// only, and what it accepts is valid.
func FuzzParseSession(f *testing.F) {
	f.Add([]byte(`{"id":"fcsess_1","status":"succeeded","relink_options":{"authorization":"fcauth_1","account":"fca_1"},"relink_result":{"account":"fca_1","authorization":"fcauth_1"}}`))
	f.Add([]byte(`{"id":"fcsess_2","relink_result":null,"relink_options":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := relink.ParseSession(data)
		if err != nil {
			if !errors.Is(err, relink.ErrInvalid) {
				t.Fatalf("error %v does not match ErrInvalid", err)
			}
			return
		}
		if err := u.Validate(); err != nil {
			t.Fatalf("accepted an invalid session: %v", err)
		}
	})
}

// TestApplySessionResult_K3_CancelledAndPendingSessions: a cancelled
// session without a relink_result cancels the matching request (the limit
// stays, K3); a pending one writes nothing; JSON reports the outcome.
func TestApplySessionResult_K3_CancelledAndPendingSessions(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	acct := inactive()
	acct.Authorization = "fcauth_1"
	if _, err := s.ApplyAccountSnapshotAt(ctx, acct, evt(0, "evt_0"), t0); err != nil {
		t.Fatal(err)
	}
	req, _, err := s.RequestAt(ctx, acct, dashboardAsk, t0)
	if err != nil || req.Authorization != "fcauth_1" {
		t.Fatalf("request %+v, %v", req, err)
	}
	opts := relink.RelinkOptions{Authorization: "fcauth_1", Account: "fca_1"}
	pending := relink.SessionUpdate{ID: "fcsess_1", Status: relink.SessionPending, RelinkOptions: opts}
	if r, err := s.ApplySessionResultAt(ctx, pending, evt(10, "evt_1"), t0); err != nil || r.Result != relink.SessionNoResult {
		t.Fatalf("pending session: %+v, %v", r, err)
	}
	cancelled := pending
	cancelled.Status = relink.SessionCancelled
	r, err := s.ApplySessionResultAt(ctx, cancelled, evt(20, "evt_2"), t0)
	if err != nil || r.Result != relink.SessionCancelledRequest || r.Stored.Status != relink.RequestCancelled {
		t.Fatalf("cancelled session: %+v, %v", r, err)
	}
	b, err := json.Marshal(r)
	if err != nil || string(b) != `{"session":"fcsess_1","request":"`+string(req.ID)+`","result":"cancelled","verdict":"newer"}` {
		t.Fatalf("JSON %s, %v", b, err)
	}
	if _, d, err := s.RequestAt(ctx, acct, dashboardAsk, t0.Add(time.Hour)); !errors.Is(err, relink.ErrRateLimited) {
		t.Fatalf("after a cancelled request the limit still holds: %v, %v", d, err)
	}
	// A late success for the cancelled request is stale: nothing changes.
	late := relink.SessionUpdate{ID: "fcsess_1", Status: relink.SessionSucceeded, RelinkOptions: opts,
		RelinkResult: relink.RelinkResult{Account: "fca_1", Authorization: "fcauth_1"}}
	if r, err := s.ApplySessionResultAt(ctx, late, evt(30, "evt_3"), t0); err != nil || r.Verdict != snapshot.Stale || r.Stored.Status != relink.RequestCancelled {
		t.Fatalf("late success: %+v, %v", r, err)
	}
}

// TestAccountApplied_JSON: the report of an applied snapshot encodes in
// snake_case, with the deadline when known.
func TestAccountApplied_JSON(t *testing.T) {
	s, _ := newService(t0)
	r, err := s.ApplyAccountSnapshotAt(context.Background(), activeFlagged(t0.Add(20*day)), evt(1, "evt_1"), t0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	want := `{"account":"fca_1","verdict":"newer","version":1,"created":true,"status_before":"","status_after":"active",` +
		`"eligible_before":false,"eligible_after":true,"newly_eligible":true,"relink_required":true,"deadline":"2026-03-21T09:00:00Z"}`
	if err != nil || string(b) != want {
		t.Fatalf("JSON\n%s\nwant\n%s (%v)", b, want, err)
	}
}

// TestRecordResult_K4_FactsNotFilledIn: a relink_result with account null
// records no relinked account when another account was allowed, and a
// relink_result.authorization other than the request's is refused with
// ErrInvalid, the request left pending, through RecordResult and through
// a session event alike.
func TestRecordResult_K4_FactsNotFilledIn(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	acct := inactive()
	acct.Authorization = "fcauth_1"
	if _, err := s.ApplyAccountSnapshotAt(ctx, acct, evt(0, "evt_0"), t0); err != nil {
		t.Fatal(err)
	}
	anyAsk := relink.Ask{Method: relink.MethodAPI, AllowOtherAccount: true}
	req, _, err := s.RequestAt(ctx, acct, anyAsk, t0)
	if err != nil || req.Authorization != "fcauth_1" || req.SameAccount {
		t.Fatalf("RequestAt = %+v, %v", req, err)
	}
	if got, err := s.RecordResultAt(ctx, req.ID, relink.RelinkResult{Authorization: "fcauth_2"}, t0); !errors.Is(err, relink.ErrInvalid) {
		t.Fatalf("RecordResult with another authorization = %+v, %v; want ErrInvalid", got, err)
	}
	sess := relink.SessionUpdate{ID: "fcsess_1", RelinkOptions: relink.RelinkOptions{Authorization: "fcauth_1"},
		RelinkResult: relink.RelinkResult{Authorization: "fcauth_2"}}
	if got, err := s.ApplySessionResultAt(ctx, sess, evt(1, "evt_1"), t0.Add(time.Second)); !errors.Is(err, relink.ErrInvalid) {
		t.Fatalf("session with relink_result.authorization another than relink_options' = %+v, %v; want ErrInvalid", got, err)
	}
	if g, _ := s.Store.Get(ctx, req.ID); g.Status != relink.RequestPending {
		t.Fatalf("after refused results the request is %+v, want pending", g)
	}
	sess.RelinkResult.Authorization = "fcauth_1"
	got, err := s.ApplySessionResultAt(ctx, sess, evt(2, "evt_2"), t0.Add(2*time.Second))
	if err != nil || got.Result != relink.SessionCompleted || got.Stored.Relinked != "" {
		t.Fatalf("success with account null, another allowed = %+v, %v; want completed with Relinked empty", got, err)
	}
}
