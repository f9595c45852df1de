package relink_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/connectkit/connectkit/clock/clocktest"
	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

func newService(now time.Time) (*relink.Service, *clocktest.Fake) {
	c := clocktest.New(now)
	return &relink.Service{
		Store: relink.NewMemoryStore(),
		Clock: c,
		Rand:  new(counter),
	}, c
}

// counter is a deterministic Rand: each read is the next number, big
// endian, so that request IDs end in 01, 02, …
type counter uint64

func (c *counter) Read(p []byte) (int, error) {
	*c++
	clear(p)
	if len(p) >= 8 {
		binary.BigEndian.PutUint64(p[len(p)-8:], uint64(*c))
	}
	return len(p), nil
}

// nthID is the ID the nth request of a newService gets.
func nthID(n int) relink.RequestID {
	return relink.RequestID(fmt.Sprintf("relreq_%032x", n))
}

func TestService_K3_RequestCompleteResetsLimit(t *testing.T) {
	ctx := context.Background()
	s, c := newService(t0)
	acct := inactive()
	r, d, err := s.Request(ctx, acct, dashboardAsk)
	if err != nil || !d.Allowed || r.ID != nthID(1) || !r.CreatedAt.Equal(t0) || !r.SameAccount {
		t.Fatalf("first request: %+v, %v, %v", r, d, err)
	}
	c.Advance(47*time.Hour + 59*time.Minute + 59*time.Second)
	_, d, err = s.Request(ctx, acct, dashboardAsk)
	if !errors.Is(err, relink.ErrRateLimited) || !d.NextPossibleAt.Equal(t0.Add(48*time.Hour)) {
		t.Fatalf("at 47h59m59s: %v, %v", d, err)
	}
	if _, err := s.Complete(ctx, r.ID, "fca_other"); !errors.Is(err, relink.ErrWrongAccount) {
		t.Fatalf("complete onto another account: %v", err)
	}
	if _, err := s.Complete(ctx, r.ID, ""); err != nil {
		t.Fatal(err)
	}
	r2, _, err := s.Request(ctx, acct, dashboardAsk)
	if err != nil {
		t.Fatalf("after completion the limit resets at once: %v", err)
	}
	for _, close := range []func() (relink.Request, error){
		func() (relink.Request, error) { return s.Fail(ctx, r2.ID, relink.FailureNoAccount) },
		func() (relink.Request, error) { return s.Cancel(ctx, r2.ID) },
		func() (relink.Request, error) { return s.Expire(ctx, r2.ID) },
	} {
		_, _ = close()
	}
	if got, _ := s.Store.Get(ctx, r2.ID); got.Status != relink.RequestFailed || got.FailureReason != relink.FailureNoAccount {
		t.Fatalf("only the first close applies: %+v", got)
	}
	if _, _, err := s.Request(ctx, acct, dashboardAsk); !errors.Is(err, relink.ErrRateLimited) {
		t.Fatalf("a failed request does not reset the limit: %v", err)
	}
	if _, _, err := s.Request(ctx, acct, urlAsk); err != nil {
		t.Fatalf("URL delivery is not limited: %v", err)
	}
}

func TestService_RefusalWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t0)
	ask := dashboardAsk
	ask.User.Roles = roles.NewSet(roles.Analyst)
	_, d, err := s.Request(ctx, inactive(), ask)
	if !errors.Is(err, roles.ErrDenied) || d.Allowed {
		t.Fatalf("analyst: %v, %v", d, err)
	}
	if list, _ := s.Store.ListByAccount(ctx, "fca_1"); len(list) != 0 {
		t.Fatalf("refused request was stored: %+v", list)
	}
	if _, _, err := (&relink.Service{}).Request(ctx, inactive(), apiAsk); !errors.Is(err, relink.ErrNoStore) {
		t.Fatalf("zero service: %v", err)
	}
}

// racingStore lets another replica create a request between the decision
// and the write.
type racingStore struct{ relink.Store }

func (r racingStore) CreateRequest(ctx context.Context, req relink.Request, now time.Time) (relink.Request, error) {
	other := relink.NewRequest("relreq_other_replica", req.Account, relink.Ask{Method: relink.MethodHostedDashboard})
	if _, err := r.Store.CreateRequest(ctx, other, now); err != nil {
		return relink.Request{}, err
	}
	return r.Store.CreateRequest(ctx, req, now)
}

func TestService_K3_LostRaceIsRateLimited(t *testing.T) {
	s, _ := newService(t0)
	s.Store = racingStore{s.Store}
	_, d, err := s.RequestAt(context.Background(), inactive(), emailAsk, t1)
	var ne *relink.DecisionError
	if !errors.As(err, &ne) || !errors.Is(err, relink.ErrRateLimited) || d.Allowed || !d.NextPossibleAt.Equal(t1.Add(48*time.Hour)) {
		t.Fatalf("lost race: %v, %v", d, err)
	}
}

func TestCampaign_BucketsAndOrder(t *testing.T) {
	var targets []relink.Target
	add := func(id string, a relink.Account, lim relink.Limit) {
		a.ID = relink.AccountID(id)
		targets = append(targets, relink.Target{Account: a, Limit: lim})
	}
	disconnected := inactive()
	disconnected.Status = relink.AccountDisconnected
	noEmail := inactive()
	noEmail.Holder.Email = ""
	add("fca_a", inactive(), relink.Limit{})
	add("fca_b", inactive(), relink.Limit{Until: t0.Add(30 * time.Hour)})
	add("fca_c", activeWithTAN(t0.Add(31*day)), relink.Limit{})
	add("fca_d", disconnected, relink.Limit{})
	add("fca_e", activeWithTAN(t0.Add(29*day)), relink.Limit{})
	add("fca_f", noEmail, relink.Limit{Until: t1})
	add("fca_a", inactive(), relink.Limit{})
	add("fca_g", inactive(), relink.Limit{Until: t1})
	c := relink.PlanCampaign(roles.Default(), dashboardAsk, slices.Values(targets), nil, t0)
	ids := func(ds []relink.Decision) (out []string) {
		for _, d := range ds {
			out = append(out, string(d.Account)+":"+d.Reasons.String())
		}
		return out
	}
	want := [][]string{
		{"fca_a:none", "fca_e:none"},
		{"fca_g:rate_limited", "fca_c:not_inactive_or_expiring", "fca_b:rate_limited"},
		{"fca_d:disconnected,not_inactive_or_expiring", "fca_f:holder_email_missing,rate_limited", "fca_a:duplicate_in_campaign"},
	}
	got := [][]string{ids(c.Eligible), ids(c.Later), ids(c.Never)}
	if !slices.EqualFunc(want, got, slices.Equal) {
		t.Fatalf("campaign buckets\n got %v\nwant %v", got, want)
	}
	if cs := relink.PlanCampaignSlice(roles.Default(), dashboardAsk, targets, nil, t0); !cmp.Equal(c, cs, cmpopts.EquateComparable(roles.Decision{})) {
		t.Fatalf("CampaignSlice differs from Campaign:\n%s", cmp.Diff(c, cs, cmpopts.EquateComparable(roles.Decision{})))
	}
	if c.Len() != len(targets) || !c.Later[1].NextPossibleAt.Equal(t0.Add(day)) {
		t.Fatalf("Len %d, later %v", c.Len(), c.Later)
	}
}
