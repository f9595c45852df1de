package relinktest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/relink"
)

// modelReq is the model's plain record of a request.
type modelReq struct {
	id      relink.RequestID
	account relink.AccountID
	limited bool
	same    bool
	status  relink.RequestStatus
	created time.Time
}

// limitModel is a plain model of the 48-hour limit, written apart from the
// package: a limited request is blocked while some earlier limited request
// of the account, not succeeded, is younger than 48 hours.
type limitModel struct {
	s        relink.Store
	prefix   string // unique per case, so that cases can share one store
	accounts []relink.AccountID
	now      time.Time
	reqs     []modelReq
}

func (m *limitModel) blockedUntil(acct relink.AccountID) (time.Time, bool) {
	var until time.Time
	for _, r := range m.reqs {
		if r.account == acct && r.limited && r.status != relink.RequestSucceeded &&
			m.now.Sub(r.created) < 48*time.Hour && r.created.Add(48*time.Hour).After(until) {
			until = r.created.Add(48 * time.Hour)
		}
	}
	return until, !until.IsZero()
}

var asks = []relink.Ask{
	{Method: relink.MethodHostedDashboard},
	{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryEmail},
	{Method: relink.MethodHostedAPI, Delivery: relink.DeliveryURL},
	{Method: relink.MethodAPI},
	{Method: relink.MethodAPI, AllowOtherAccount: true},
}

func (m *limitModel) Request(t *rapid.T) {
	acct := rapid.SampledFrom(m.accounts).Draw(t, "account")
	ask := rapid.SampledFrom(asks).Draw(t, "ask")
	// The ID is drawn, so that a failing case replays exactly; only the
	// per-case prefix differs between runs, and it is common to every ID
	// of the case, so it changes no order.
	id := relink.RequestID(m.prefix + fmt.Sprint(rapid.IntRange(0, 1200).Draw(t, "request_id")))
	got, err := m.s.CreateRequest(context.Background(), relink.NewRequest(id, acct, ask), m.now)
	limited := ask.Limited()
	for _, r := range m.reqs {
		if r.id == id {
			if !errors.Is(err, relink.ErrExists) {
				t.Fatalf("CreateRequest(%s) with a taken ID = %+v, %v; want ErrExists", id, got, err)
			}
			return
		}
	}
	if until, blocked := m.blockedUntil(acct); limited && blocked {
		var rl *relink.RateLimitedError
		if !errors.As(err, &rl) || !rl.NextPossibleAt.Equal(until) {
			t.Fatalf("CreateRequest(%s, %v) at %v = %v; model: rate limited until %v", acct, ask, m.now, err, until)
		}
		return
	}
	if err != nil || got.Status != relink.RequestPending || !got.CreatedAt.Equal(m.now) {
		t.Fatalf("CreateRequest(%s, %+v) at %v = %+v, %v; model: created", acct, ask, m.now, got, err)
	}
	m.reqs = append(m.reqs, modelReq{id: id, account: acct, limited: limited,
		same: ask.Method.Hosted() || !ask.AllowOtherAccount, status: relink.RequestPending, created: m.now})
}

func (m *limitModel) close(t *rapid.T, status relink.RequestStatus) {
	if len(m.reqs) == 0 {
		t.Skip("no request yet")
	}
	i := rapid.IntRange(0, len(m.reqs)-1).Draw(t, "request")
	r := &m.reqs[i]
	relinked := r.account
	if status == relink.RequestSucceeded && rapid.Bool().Draw(t, "relink_other_account") {
		relinked = m.accounts[0] + m.accounts[1] // an account never asked for
	}
	_, err := m.s.Close(context.Background(), r.id, relink.Result{Status: status, Relinked: relinked}, m.now)
	switch {
	case r.status != relink.RequestPending:
		if !errors.Is(err, relink.ErrNotPending) {
			t.Fatalf("Close(%s, %s) of a %s request = %v, want ErrNotPending", r.id, status, r.status, err)
		}
	case r.same && relinked != r.account:
		if !errors.Is(err, relink.ErrWrongAccount) {
			t.Fatalf("Close(%s) onto %s = %v, want ErrWrongAccount", r.id, relinked, err)
		}
	default:
		if err != nil {
			t.Fatalf("Close(%s, %s) = %v", r.id, status, err)
		}
		r.status = status
	}
}

func (m *limitModel) Complete(t *rapid.T) { m.close(t, relink.RequestSucceeded) }
func (m *limitModel) Fail(t *rapid.T)     { m.close(t, relink.RequestFailed) }
func (m *limitModel) Cancel(t *rapid.T)   { m.close(t, relink.RequestCancelled) }
func (m *limitModel) Expire(t *rapid.T)   { m.close(t, relink.RequestExpired) }

var steps = []time.Duration{
	time.Second, time.Hour, 24 * time.Hour,
	47*time.Hour + 59*time.Minute + 59*time.Second, 48 * time.Hour,
}

func (m *limitModel) AdvanceClock(t *rapid.T) {
	m.now = m.now.Add(rapid.SampledFrom(steps).Draw(t, "advance"))
}

// Check compares every account's stored requests with the model, so that
// a refused operation that changed anything is caught at once.
func (m *limitModel) Check(t *rapid.T) {
	for _, acct := range m.accounts {
		list, err := m.s.ListByAccount(context.Background(), acct)
		if err != nil {
			t.Fatalf("ListByAccount(%s): %v", acct, err)
		}
		var got, want []modelReq
		for _, r := range list {
			got = append(got, modelReq{id: r.ID, account: r.Account, limited: r.Limited(), same: r.SameAccount, status: r.Status, created: r.CreatedAt})
		}
		for _, r := range m.reqs {
			if r.account == acct {
				want = append(want, r)
			}
		}
		// The order the Store contract states: created_at, then ID
		// bytewise.
		slices.SortStableFunc(want, func(a, b modelReq) int {
			if c := a.created.Compare(b.created); c != 0 {
				return c
			}
			return strings.Compare(string(a.id), string(b.id))
		})
		if d := cmp.Diff(want, got, cmp.AllowUnexported(modelReq{})); d != "" {
			t.Fatalf("account %s (-model +store):\n%s", acct, d)
		}
	}
}

func testModel(t *testing.T, s relink.Store) {
	rapid.Check(t, func(rt *rapid.T) {
		m := &limitModel{
			s:        s,
			prefix:   fresh("req") + "_",
			accounts: []relink.AccountID{relink.AccountID(fresh("fca")), relink.AccountID(fresh("fca"))},
			now:      t0,
		}
		rt.Repeat(rapid.StateMachineActions(m))
	})
}
