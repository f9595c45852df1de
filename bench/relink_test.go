package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/throttled/throttled/v2"
	"github.com/throttled/throttled/v2/store/memstore"
	"golang.org/x/time/rate"
)

// The relink rows time one request refused by the 48-hour limit (K3): the
// account asked for a relink an hour ago. connectkit decides eligibility
// and the limit through relink.Service over its in-memory store; the peers
// are keyed limiters allowing one event per 48 hours per account:
// throttled's GCRA limiter over its memstore, and golang.org/x/time/rate
// limiters held in a mutex-guarded map (rate has no keyed store of its
// own). Only connectkit also checks the account's eligibility and keeps
// the requests. The n=… rows hold n accounts.

const relinkWindow = 48 * time.Hour

func accountKey(i int) string { return fmt.Sprintf("fca_1Pgc76B7WZ01zgkWql%06d", i) }

// throttledRelink returns a GCRA limiter over a memstore of n keys, each
// having spent its one event, and the refusal function.
func throttledRelink(tb testing.TB, n int) func(i int) bool {
	st, err := memstore.NewCtx(n + 1)
	if err != nil {
		tb.Fatal(err)
	}
	rl, err := throttled.NewGCRARateLimiterCtx(st, throttled.RateQuota{MaxRate: throttled.PerDuration(1, relinkWindow), MaxBurst: 0})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	keys := make([]string, n)
	for i := range keys {
		keys[i] = accountKey(i)
		if limited, _, err := rl.RateLimitCtx(ctx, keys[i], 1); err != nil || limited {
			tb.Fatalf("first event: limited %v, %v", limited, err)
		}
	}
	return func(i int) bool {
		limited, _, err := rl.RateLimitCtx(ctx, keys[i%n], 1)
		return err == nil && limited
	}
}

// keyedRate is one rate.Limiter per account, as a server keeps them.
type keyedRate struct {
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

func (k *keyedRate) allow(key string, now time.Time) bool {
	k.mu.Lock()
	l, ok := k.m[key]
	if !ok {
		l = rate.NewLimiter(rate.Every(relinkWindow), 1)
		k.m[key] = l
	}
	k.mu.Unlock()
	return l.AllowN(now, 1)
}

func rateRelink(tb testing.TB, n int) func(i int) bool {
	k := &keyedRate{m: make(map[string]*rate.Limiter, n)}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = accountKey(i)
		if !k.allow(keys[i], relinkT0) {
			tb.Fatal("first event refused")
		}
	}
	return func(i int) bool { return !k.allow(keys[i%n], relinkT1) }
}

var relinkEngines = []struct {
	name string
	make func(testing.TB, int) func(int) bool
}{
	{"connectkit", connectkitRelink},
	{"throttled", throttledRelink},
	{"x-time-rate", rateRelink},
}

func TestRelinkPeersRefuse(t *testing.T) {
	for _, e := range relinkEngines {
		refuse := e.make(t, 10)
		for i := range 20 {
			if !refuse(i) {
				t.Fatalf("%s: ask %d within 48 hours was not refused", e.name, i)
			}
		}
	}
}

func relinkRows(b *testing.B, n int) {
	for _, e := range relinkEngines {
		b.Run(e.name, func(b *testing.B) {
			refuse := e.make(b, n)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if !refuse(i) {
					b.Fatal("not refused")
				}
			}
		})
	}
}

// BenchmarkRelinkRefused: one account's ask refused by the limit.
func BenchmarkRelinkRefused(b *testing.B) { relinkRows(b, 1) }

// BenchmarkRelinkRefusedAccounts: the same among n accounts.
func BenchmarkRelinkRefusedAccounts(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { relinkRows(b, n) })
	}
}
