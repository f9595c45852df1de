package relinktest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/connectkit/connectkit/relink"
	"github.com/connectkit/connectkit/roles"
)

// Barrier holds reads until all racers have read, so that a race between
// read-check-write sequences really races: no racer writes before every
// racer has read what the others are about to change. Each racer wraps the
// store with Racer and calls Done when it finishes, so that a racer that
// never reads does not hold the others forever. A Barrier is for one race;
// its zero value is not usable (call NewBarrier). It is safe for
// concurrent use.
type Barrier struct {
	mu      sync.Mutex
	waiting int
	open    chan struct{}
}

// NewBarrier returns a barrier for n racers.
func NewBarrier(n int) *Barrier {
	b := &Barrier{waiting: n, open: make(chan struct{})}
	if n <= 0 {
		close(b.open)
	}
	return b
}

func (b *Barrier) arrive() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.waiting--
	if b.waiting == 0 {
		close(b.open)
	}
}

// Racer returns s as one racer sees it: its first read (Get,
// ListByAccount or FCAccount) is done, then held until every racer has read or is Done,
// then returned. Later reads and all writes pass straight through.
func (b *Barrier) Racer(s relink.Store) *Racer { return &Racer{Store: s, b: b} }

// Racer is one racer's view of a Store behind a Barrier. It is used by one
// goroutine.
type Racer struct {
	relink.Store
	b       *Barrier
	arrived bool
}

// hold marks this racer's arrival and waits for the others or ctx.
func (r *Racer) hold(ctx context.Context) error {
	if r.arrived {
		return nil
	}
	r.arrived = true
	r.b.arrive()
	select {
	case <-r.b.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done marks the racer finished: if it never read, the others stop
// waiting for it.
func (r *Racer) Done() {
	if !r.arrived {
		r.arrived = true
		r.b.arrive()
	}
}

// Get reads, then waits at the barrier.
func (r *Racer) Get(ctx context.Context, id relink.RequestID) (relink.Request, error) {
	got, err := r.Store.Get(ctx, id)
	if herr := r.hold(ctx); herr != nil {
		return relink.Request{}, herr
	}
	return got, err
}

// ListByAccount reads, then waits at the barrier.
func (r *Racer) ListByAccount(ctx context.Context, acct relink.AccountID) ([]relink.Request, error) {
	got, err := r.Store.ListByAccount(ctx, acct)
	if herr := r.hold(ctx); herr != nil {
		return nil, herr
	}
	return got, err
}

const racers = 64

// testServiceRace: 64 replicas' Services decide on the same empty history
// (the barrier makes each read before any writes) and all try to create a
// Dashboard request at the same instant; the conditional write lets one
// through (K3).
func testServiceRace(t *testing.T, s relink.Store) {
	ctx := context.Background()
	acct := relink.Account{ID: relink.AccountID(fresh("fca")), Livemode: true, Status: relink.AccountInactive,
		Inactive: relink.InactiveDetails{Action: relink.ActionRelinkRequired},
		Holder:   relink.Holder{Type: relink.HolderCustomer, Customer: "cus_1", Email: "jenny@example.com"}}
	ask := relink.Ask{Method: relink.MethodHostedDashboard, User: roles.User{ID: "user_admin", Roles: roles.NewSet(roles.Admin)}}
	b := NewBarrier(racers)
	var (
		wg              sync.WaitGroup
		created, denied atomic.Int32
		errs            = make(chan error, racers)
	)
	for range racers {
		wg.Add(1)
		r := b.Racer(s)
		rnd := strings.NewReader(fmt.Sprintf("%016x", seq.Add(1))) // a distinct request ID per racer
		go func() {
			defer wg.Done()
			defer r.Done()
			svc := relink.Service{Store: r, Rand: rnd}
			_, _, err := svc.RequestAt(ctx, acct, ask, t0)
			switch {
			case err == nil:
				created.Add(1)
			case errors.Is(err, relink.ErrRateLimited):
				denied.Add(1)
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if created.Load() != 1 || denied.Load() != racers-1 {
		t.Fatalf("%d racing Services: %d created, %d rate limited; want 1 and %d", racers, created.Load(), denied.Load(), racers-1)
	}
	if list, _ := s.ListByAccount(ctx, acct.ID); len(list) != 1 {
		t.Fatalf("store holds %d requests for the account, want 1", len(list))
	}
}

// testCloseRace: 64 racers each read the pending request (all see it
// pending), then close it with different outcomes; exactly one close
// applies, the others are ErrNotPending, and the stored request is the
// winner's.
func testCloseRace(t *testing.T, s relink.Store) {
	ctx := context.Background()
	acct := relink.AccountID(fresh("fca"))
	req, err := s.CreateRequest(ctx, relink.NewRequest(relink.RequestID(fresh("req")), acct, relink.Ask{Method: relink.MethodAPI}), t0)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []relink.Result{{Status: relink.RequestSucceeded}, {Status: relink.RequestFailed, FailureReason: relink.FailureNoAccount},
		{Status: relink.RequestCancelled}, {Status: relink.RequestExpired}}
	b := NewBarrier(racers)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		winners []relink.Request
		errs    = make(chan error, racers)
	)
	for i := range racers {
		wg.Add(1)
		r := b.Racer(s)
		go func() {
			defer wg.Done()
			defer r.Done()
			got, err := r.Get(ctx, req.ID)
			if err != nil || got.Status != relink.RequestPending {
				errs <- errors.Join(errors.New("read before the race"), err)
				return
			}
			closed, err := r.Close(ctx, req.ID, outcomes[i%len(outcomes)], t0.Add(time.Duration(i)*time.Second))
			switch {
			case err == nil:
				mu.Lock()
				winners = append(winners, closed)
				mu.Unlock()
			case errors.Is(err, relink.ErrNotPending):
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if len(winners) != 1 {
		t.Fatalf("%d racing closes of one pending request: %d applied, want 1", racers, len(winners))
	}
	if got, err := s.Get(ctx, req.ID); err != nil || !cmp.Equal(winners[0], got) {
		t.Fatalf("stored %+v, %v; want the winner's %+v", got, err, winners[0])
	}
}

// testBadText: IDs, authorizations, relinked accounts and failure reasons
// with NUL, invalid UTF-8 or 12,000 characters are refused with ErrInvalid
// (never a driver's error) and change nothing, in every method.
func testBadText(t *testing.T, s relink.Store) {
	ctx := context.Background()
	bad := map[string]string{"NUL": "req_\x00_1", "invalid UTF-8": "req_\xff\xfe", "12,000 characters": strings.Repeat("r", 12000)}
	acct := relink.AccountID(fresh("fca"))
	api := relink.Ask{Method: relink.MethodAPI}
	ok, err := s.CreateRequest(ctx, relink.NewRequest(relink.RequestID(fresh("req")), acct, api), t0)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range bad {
		cases := map[string]relink.Request{
			"id":            relink.NewRequest(relink.RequestID(v), acct, api),
			"account":       relink.NewRequest(relink.RequestID(fresh("req")), relink.AccountID(v), api),
			"authorization": relink.NewRequest(relink.RequestID(fresh("req")), acct, relink.Ask{Method: relink.MethodAPI, Authorization: relink.AuthorizationID(v)}),
		}
		for field, r := range cases {
			if _, err := s.CreateRequest(ctx, r, t0); !errors.Is(err, relink.ErrInvalid) {
				t.Errorf("CreateRequest with %s in %s = %v, want ErrInvalid", name, field, err)
			}
		}
		if _, err := s.Get(ctx, relink.RequestID(v)); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("Get(%s id) = %v, want ErrInvalid", name, err)
		}
		if _, err := s.ListByAccount(ctx, relink.AccountID(v)); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("ListByAccount(%s account) = %v, want ErrInvalid", name, err)
		}
		if _, err := s.Close(ctx, relink.RequestID(v), relink.Result{Status: relink.RequestCancelled}, t0); !errors.Is(err, relink.ErrInvalid) {
			t.Errorf("Close(%s id) = %v, want ErrInvalid", name, err)
		}
		for field, o := range map[string]relink.Result{
			"failure reason":   {Status: relink.RequestFailed, FailureReason: relink.FailureReason(v)},
			"relinked account": {Status: relink.RequestSucceeded, Relinked: relink.AccountID(v)},
		} {
			if _, err := s.Close(ctx, ok.ID, o, t0); !errors.Is(err, relink.ErrInvalid) {
				t.Errorf("Close with %s in %s = %v, want ErrInvalid", name, field, err)
			}
		}
	}
	list, err := s.ListByAccount(ctx, acct)
	if err != nil || !cmp.Equal([]relink.Request{ok}, list) {
		t.Fatalf("after refused writes the account holds %+v, %v; want only %+v", list, err, ok)
	}
}
