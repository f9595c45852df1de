package clocktest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/connectkit/connectkit/clock"
	"github.com/connectkit/connectkit/clock/clocktest"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var _ clock.Clock = (*clocktest.Fake)(nil)

func TestFake_StartsAtTheGivenInstant(t *testing.T) {
	if got := clocktest.New(t0).Now(); !got.Equal(t0) {
		t.Fatalf("Now() = %v, want %v", got, t0)
	}
}

func TestFake_Advance(t *testing.T) {
	c := clocktest.New(t0)
	now, ok := c.Advance(90 * time.Second)
	if !ok || !now.Equal(t0.Add(90*time.Second)) || !c.Now().Equal(now) {
		t.Fatalf("Advance(90s) = %v, %v; Now() = %v", now, ok, c.Now())
	}
}

func TestFake_AdvanceNeverGoesBackwards(t *testing.T) {
	c := clocktest.New(t0)
	now, ok := c.Advance(-time.Hour)
	if ok || !now.Equal(t0) || !c.Now().Equal(t0) {
		t.Fatalf("Advance(-1h) = %v, %v; Now() = %v; want the clock unmoved", now, ok, c.Now())
	}
}

func TestFake_SetMayGoBackwards(t *testing.T) {
	c := clocktest.New(t0)
	earlier := t0.Add(-24 * time.Hour)
	c.Set(earlier)
	if !c.Now().Equal(earlier) {
		t.Fatalf("after Set(%v), Now() = %v", earlier, c.Now())
	}
}

func TestFake_ConcurrentAdvanceLosesNoStep(t *testing.T) {
	c := clocktest.New(t0)
	const n = 64
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Advance(time.Second)
			_ = c.Now()
		}()
	}
	wg.Wait()
	if want := t0.Add(n * time.Second); !c.Now().Equal(want) {
		t.Fatalf("after %d concurrent Advance(1s), Now() = %v, want %v", n, c.Now(), want)
	}
}

func TestSystemAndFunc(t *testing.T) {
	var s clock.Clock = clock.System{}
	if s.Now().IsZero() {
		t.Fatal("System.Now() is the zero time")
	}
	f := clock.Func(func() time.Time { return t0 })
	if !f.Now().Equal(t0) {
		t.Fatalf("Func.Now() = %v, want %v", f.Now(), t0)
	}
}

func Example() {
	c := clocktest.New(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	c.Advance(48 * time.Hour)
	fmt.Println(c.Now().Format(time.RFC3339))
	_, ok := c.Advance(-time.Hour)
	fmt.Println("moved backwards:", ok)
	// Output:
	// 2026-03-03T09:00:00Z
	// moved backwards: false
}
