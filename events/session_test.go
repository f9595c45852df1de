package events_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/connectkit/connectkit/events"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
	"github.com/connectkit/connectkit/snapshot"
)

// sessionEvent wraps Stripe's financial_connections.session fixture
// (testdata/fc_session_fixture.json) in a financial_connections.session.updated
// envelope, with the BETA members in extra set on the session.
func sessionEvent(t *testing.T, id string, created int64, extra map[string]any) events.Event {
	t.Helper()
	var fx struct{ Fixture map[string]any }
	if err := json.Unmarshal(load(t, "fc_session_fixture.json"), &fx); err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		fx.Fixture[k] = v
	}
	b, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": "financial_connections.session.updated",
		"created": created, "data": map[string]any{"object": fx.Fixture}})
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, b)
}

// relinkSetup returns a handler whose relink store holds an inactive FC
// account of authorization fcauth_1 and, when withRequest, a pending
// Dashboard relink request for it (created at t0).
func relinkSetup(t *testing.T, withRequest bool) (*events.Handler, relink.Request) {
	t.Helper()
	ctx := context.Background()
	svc := &relink.Service{Store: relink.NewMemoryStore(), ConfirmedEmails: []string{"jenny@example.com"}} // the fixture is a sandbox session (K6)
	acct := relink.Account{ID: "fca_1", Livemode: false, Status: relink.AccountInactive, Authorization: "fcauth_1",
		Inactive:    relink.InactiveDetails{Action: relink.ActionRelinkRequired, Cause: relink.CauseAccessExpired},
		Holder:      relink.Holder{Type: relink.HolderCustomer, Customer: "cus_QXg1o8vcGmoR32", Email: "jenny@example.com"},
		Permissions: []relink.Permission{relink.PermissionPaymentMethod}}
	if _, err := svc.ApplyAccountSnapshotAt(ctx, acct, snapshot.Mark{Created: t0.Add(-time.Hour), EventID: "evt_acct"}, t0); err != nil {
		t.Fatal(err)
	}
	var req relink.Request
	if withRequest {
		var err error
		ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}}
		if req, _, err = svc.RequestAt(ctx, acct, ask, t0); err != nil {
			t.Fatal(err)
		}
	}
	return &events.Handler{Relink: svc}, req
}

var (
	relinkOpts = map[string]any{"authorization": "fcauth_1", "account": "fca_1"}
	succeeded  = map[string]any{"account": "fca_1", "authorization": "fcauth_1", "failure_reason": nil}
)

// A session event that closes no request — Stripe's fixture as it is (GA: no
// relink members), a pending session, a final result with no matching
// request — is reported unhandled with no changes, on every delivery: it is
// never "applied" (K3: only a closed request is a relink result).
func TestApply_K3_SessionWithoutResultOrRequestUnhandled(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		withRequest bool
		extra       map[string]any
	}{
		{"fixture as is, no relink members", true, nil},
		{"pending relink session", true, map[string]any{"status": "pending", "relink_options": relinkOpts, "relink_result": nil}},
		{"relink_result all null", true, map[string]any{"relink_options": relinkOpts,
			"relink_result": map[string]any{"account": nil, "authorization": nil, "failure_reason": nil}}},
		{"success without relink_options", true, map[string]any{"status": "succeeded", "relink_result": succeeded}},
		{"success, no request stored", false, map[string]any{"status": "succeeded", "relink_options": relinkOpts, "relink_result": succeeded}},
		{"success for another authorization's request", true, map[string]any{"status": "succeeded",
			"relink_options": map[string]any{"authorization": "fcauth_9"}, "relink_result": map[string]any{"authorization": "fcauth_9"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, req := relinkSetup(t, tc.withRequest)
			ev := sessionEvent(t, "evt_sess_1", t0.Unix()+60, tc.extra)
			for i := range 2 {
				r, err := h.ApplyAt(ctx, ev, t0.Add(time.Hour))
				if err != nil || r.Outcome != events.OutcomeUnhandled || !r.Changes.Empty() || r.Note == "" {
					t.Fatalf("delivery %d: %+v, %v; want unhandled with a note and no changes", i+1, r, err)
				}
			}
			if tc.withRequest {
				if got, _ := h.Relink.Store.Get(ctx, req.ID); got.Status != relink.RequestPending {
					t.Fatalf("the request is %s, want still pending", got.Status)
				}
			}
		})
	}
}

// A completing (or failing) session closes the matching request once:
// applied with the request's change, and every redelivery a duplicate with
// no changes (K3: the close is conditional on pending).
func TestApply_K3_SessionClosesRequestOnceThenDuplicate(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		result map[string]any
		want   string
		status relink.RequestStatus
	}{
		{"completed", succeeded, "completed", relink.RequestSucceeded},
		{"failed", map[string]any{"account": nil, "authorization": nil, "failure_reason": "no_account"}, "failed", relink.RequestFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, req := relinkSetup(t, true)
			ev := sessionEvent(t, "evt_sess_1", t0.Unix()+60, map[string]any{"status": "succeeded", "relink_options": relinkOpts, "relink_result": tc.result})
			r, err := h.ApplyAt(ctx, ev, t0.Add(time.Hour))
			if err != nil || r.Outcome != events.OutcomeApplied || r.Changes.RelinkRequest == nil ||
				r.Changes.RelinkRequest.Request != string(req.ID) || r.Changes.RelinkRequest.Result != tc.want {
				t.Fatalf("first delivery: %+v, %v; want applied, request %s %s", r, err, req.ID, tc.want)
			}
			if got, _ := h.Relink.Store.Get(ctx, req.ID); got.Status != tc.status {
				t.Fatalf("request is %s, want %s", got.Status, tc.status)
			}
			for i := range 2 {
				r, err := h.ApplyAt(ctx, ev, t0.Add(2*time.Hour))
				if err != nil || r.Outcome != events.OutcomeDuplicate || !r.Changes.Empty() {
					t.Fatalf("redelivery %d: %+v, %v; want duplicate with no changes", i+1, r, err)
				}
			}
		})
	}
}
