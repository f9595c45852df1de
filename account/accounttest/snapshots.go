package accounttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/requirements"
	"github.com/connectkit/connectkit/snapshot"
)

// snapshotAt returns an account.updated snapshot whose email and
// currently due field name the event, marked (t0+sec, id).
func snapshotAt(id string, sec int) (account.AccountSnapshot, snapshot.Mark, error) {
	reqs, err := requirements.DecodeV1([]byte(fmt.Sprintf(
		`{"object":"account","requirements":{"currently_due":["field_%s"]},"future_requirements":{}}`, id)), nil)
	if err != nil {
		return account.AccountSnapshot{}, snapshot.Mark{}, err
	}
	return account.AccountSnapshot{Requirements: reqs, Email: id + "@example.com"},
		snapshot.Mark{Created: t0.Add(time.Duration(sec) * time.Second), EventID: id}, nil
}

// raceSameEvent: 64 replicas deliver the same account.updated at once,
// each reading through the Barrier before writing: exactly one applies it
// (one write, version 1 → 2), the other 63 find it a duplicate.
func raceSameEvent(s account.Store) error {
	ctx := context.Background()
	if _, err := s.Create(ctx, Sample("acct_1")); err != nil {
		return err
	}
	snap, mark, err := snapshotAt("evt_same", 0)
	if err != nil {
		return err
	}
	b := NewBarrier(s, goroutines)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		verdict = map[snapshot.Verdict]int{}
		errs    []error
	)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := replica(b).ApplyAccountSnapshot(ctx, "acct_1", snap, mark)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			verdict[res.Verdict]++
		}()
	}
	wg.Wait()
	if verdict[snapshot.Newer] != 1 || verdict[snapshot.Duplicate] != goroutines-1 {
		errs = append(errs, fmt.Errorf("verdicts %v, want 1 newer and %d duplicates", verdict, goroutines-1))
	}
	if a, err := s.Get(ctx, "acct_1"); err != nil || a.Version != 2 || a.Marks.Account != mark {
		errs = append(errs, fmt.Errorf("stored version %d, mark %v (%v); want version 2 marked %v", a.Version, a.Marks.Account, err, mark))
	}
	return errors.Join(errs...)
}

// raceOlderNewer: two replicas deliver an older and a newer account.updated
// for one account at once, both reading (through the Barrier) before either
// writes; the newer must be what is stored. Two rounds, on fresh accounts:
// the newer writes first, then the older; and the other way round. In the
// first, only the conditional write stops the older from overwriting the
// newer.
func raceOlderNewer(s account.Store) error {
	ctx := context.Background()
	older, om, err := snapshotAt("evt_older", 0)
	if err != nil {
		return err
	}
	newer, nm, err := snapshotAt("evt_newer", 1)
	if err != nil {
		return err
	}
	var errs []error
	for round, first := range []string{"evt_newer", "evt_older"} {
		id := account.ID(fmt.Sprintf("acct_round%d", round))
		if _, err := s.Create(ctx, Sample(id)); err != nil {
			return err
		}
		o := &ordered{Store: NewBarrier(s, 2), first: first, done: make(chan struct{})}
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, sn := range []struct {
			snap account.AccountSnapshot
			mark snapshot.Mark
		}{{older, om}, {newer, nm}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = replica(o).ApplyAccountSnapshot(ctx, id, sn.snap, sn.mark)
			}()
		}
		wg.Wait()
		errs = append(errs, results...)
		a, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		if a.Marks.Account != nm || a.Email.Address() != "evt_newer@example.com" {
			errs = append(errs, fmt.Errorf("round %d (%s wrote first): stored %q marked %v, want the newer event's", round, first, a.Email, a.Marks.Account))
		}
	}
	return errors.Join(errs...)
}

// ordered holds every Update but the one writing the event first until that
// one has returned.
type ordered struct {
	account.Store
	first string
	once  sync.Once
	done  chan struct{}
}

func (o *ordered) Update(ctx context.Context, a account.Account, expected uint64) (account.Account, error) {
	if a.Marks.Account.EventID == o.first {
		defer o.once.Do(func() { close(o.done) })
		return o.Store.Update(ctx, a, expected)
	}
	<-o.done
	return o.Store.Update(ctx, a, expected)
}
