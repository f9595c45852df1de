// Package fuzzbudget is the fuzz targets' resource property: a parser's
// allocations (count and bytes) stay within a constant plus k per input
// byte, so that the fuzzer reports amplification (work growing faster than
// the input: a decimal exponent, a nesting, a quadratic copy), not only
// panics. Allocation is the deterministic stand-in for time: no test here
// reads a clock.
//
// It is used only by tests (it imports testing); being internal, no user
// of the library sees it.
package fuzzbudget

import (
	"runtime"
	"testing"
)

// Budget is a resource bound for one input of n bytes: at most
// Allocs + AllocsPerByte·n allocations and Bytes + BytesPerByte·n bytes
// allocated. The zero Budget allows nothing. Each fuzz target keeps its own
// Budget, calibrated on its seeds with a margin and documented beside it.
type Budget struct {
	Allocs, AllocsPerByte uint64
	Bytes, BytesPerByte   uint64
}

// Max returns the allocations and bytes b allows for an input of n bytes.
func (b Budget) Max(n int) (allocs, bytes uint64) {
	return b.Allocs + b.AllocsPerByte*uint64(n), b.Bytes + b.BytesPerByte*uint64(n)
}

// Runs is how many times Check measures f, at the most, before it reports
// f over budget.
const Runs = 8

// Measure runs f once and returns the allocations and bytes allocated
// meanwhile, as testing.AllocsPerRun counts them (runtime.MemStats's
// Mallocs and TotalAlloc). It reads runtime.ReadMemStats, which stops the
// world briefly but is exact: runtime/metrics' /gc/heap/allocs counters
// are charged a whole span at a time when a cache refills (one 48-byte
// allocation reads as 0 or as 168 objects and 8 KiB), too coarse for a
// budget of a few allocations. The counters are process-wide: other
// goroutines add to them.
func Measure(f func()) (allocs, bytes uint64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
}

// Check fails t when f, run on an input of n bytes, allocates more than b
// allows. It runs f once to warm up lazily initialised state, then
// measures it; a measurement over budget is repeated, up to Runs in all,
// and the least counts are judged: noise from other goroutines (the
// fuzzer's own) only adds, while amplification shows in every run. what
// names f in the failure. f may be called several times.
func (b Budget) Check(t testing.TB, what string, n int, f func()) {
	t.Helper()
	maxA, maxB := b.Max(n)
	f()
	allocs, bytes := Measure(f)
	for i := 1; i < Runs && (allocs > maxA || bytes > maxB); i++ {
		runtime.GC()
		a, by := Measure(f)
		allocs, bytes = min(allocs, a), min(bytes, by)
	}
	if allocs > maxA {
		t.Fatalf("%s of %d input bytes made %d allocations, over %d + %d per byte (least of %d runs)",
			what, n, allocs, b.Allocs, b.AllocsPerByte, Runs)
	}
	if bytes > maxB {
		t.Fatalf("%s of %d input bytes allocated %d bytes, over %d + %d per byte (least of %d runs)",
			what, n, bytes, b.Bytes, b.BytesPerByte, Runs)
	}
}
