package clocktest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/connectkit/connectkit/account"
	"github.com/connectkit/connectkit/clock/clocktest"
	"pgregory.net/rapid"
)

var genT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// linkTTL is a short boundary of the tests' own; the longer ones are the
// account package's, as a test kit passes its package's constants.
const linkTTL = 300 * time.Second

var boundaries = []time.Duration{linkTTL, account.SupportCaseWindow, account.InactivityPeriod}

// genDraws bounds every coverage test: each enum value must show up among
// the examples of the first genDraws seeds. Example is deterministic per
// seed, so these tests cannot flake.
const genDraws = 1000

func TestInstant_RespectsOptions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		dir := rapid.SampledFrom([]clocktest.Direction{clocktest.Either, clocktest.After, clocktest.Before}).Draw(t, "direction")
		whole := rapid.Bool().Draw(t, "whole_seconds")
		got := clocktest.Instant(genT0, clocktest.InstantOptions{Boundaries: boundaries, Direction: dir, WholeSeconds: whole}).Draw(t, "instant")
		if dir == clocktest.After && got.Before(genT0) || dir == clocktest.Before && got.After(genT0) {
			t.Fatalf("Instant(%v) = %v is on the wrong side of %v", dir, got, genT0)
		}
		if whole && got.Nanosecond() != 0 {
			t.Fatalf("WholeSeconds: %v is not a whole second", got)
		}
		if d := got.Sub(genT0); d > account.InactivityPeriod+time.Minute || d < -account.InactivityPeriod-time.Minute {
			t.Fatalf("Instant = %v, %v from the reference: beyond the outermost boundary", got, d)
		}
	})
}

func TestInstant_ReachesEveryBoundaryExactlyAndBothSides(t *testing.T) {
	want := map[time.Duration]bool{0: false}
	for _, b := range boundaries {
		for _, d := range []time.Duration{b, b - time.Second, b + time.Second, -b, -b - time.Second} {
			want[d] = false
		}
	}
	g := clocktest.Instant(genT0, clocktest.InstantOptions{Boundaries: boundaries})
	for i := 0; i < genDraws; i++ {
		if d := g.Example(i).Sub(genT0); !want[d] {
			if _, ok := want[d]; ok {
				want[d] = true
			}
		}
	}
	for d, seen := range want {
		if !seen {
			t.Errorf("no instant at offset %v in %d draws", d, genDraws)
		}
	}
}

func TestNear_FavoursTheBoundary(t *testing.T) {
	want := map[time.Duration]bool{0: false, -time.Second: false, time.Second: false, -1: false, 1: false}
	g := clocktest.Near(genT0, linkTTL)
	for i := 0; i < genDraws; i++ {
		d := g.Example(i).Sub(genT0.Add(linkTTL))
		if d > time.Minute || d < -time.Minute {
			t.Fatalf("Near drew %v from the boundary, more than a minute", d)
		}
		if _, ok := want[d]; ok {
			want[d] = true
		}
	}
	for d, seen := range want {
		if !seen {
			t.Errorf("Near never drew the boundary %+v in %d draws", d, genDraws)
		}
	}
}

func TestDuration_NonNegativeAndReachesBoundaries(t *testing.T) {
	want := map[time.Duration]bool{0: false}
	for _, b := range boundaries {
		want[b], want[b-time.Second], want[b+time.Second] = false, false, false
	}
	g := clocktest.Duration(clocktest.DurationOptions{Boundaries: boundaries})
	for i := 0; i < genDraws; i++ {
		d := g.Example(i)
		if d < 0 {
			t.Fatalf("Duration drew %v < 0", d)
		}
		if _, ok := want[d]; ok {
			want[d] = true
		}
	}
	for d, seen := range want {
		if !seen {
			t.Errorf("Duration never drew %v in %d draws", d, genDraws)
		}
	}
}

func ExampleNear() {
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	g := clocktest.Near(created, linkTTL)
	// Every draw lies within a minute of the link's expiry, and most are
	// exactly on it or a second or a nanosecond either side.
	at := g.Example(1)
	fmt.Println(at.Sub(created) >= linkTTL-time.Minute && at.Sub(created) <= linkTTL+time.Minute)
	// Output: true
}
