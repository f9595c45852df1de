package fuzzbudget

import (
	"fmt"
	"testing"
)

// recorder is a testing.TB that records a failure instead of stopping.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
}

var (
	sink     [][]byte
	tinySink *[1]byte
)

// linear allocates one 64-byte block per 64 input bytes; quadratic one per
// pair of input bytes.
func linear(n int) func() {
	return func() {
		sink = sink[:0]
		for range n / 64 {
			sink = append(sink[:0], make([]byte, 64))
		}
	}
}

func quadratic(n int) func() {
	return func() {
		for range n * n {
			sink = append(sink[:0], make([]byte, 64))
		}
	}
}

func TestCheck_LinearPassesQuadraticFails(t *testing.T) {
	b := Budget{Allocs: 64, AllocsPerByte: 1, Bytes: 4 << 10, BytesPerByte: 8}
	for _, n := range []int{0, 100, 1000} {
		var r recorder
		r.TB = t
		b.Check(&r, "linear", n, linear(n))
		if r.failed != "" {
			t.Errorf("n=%d: linear work failed: %s", n, r.failed)
		}
	}
	var r recorder
	r.TB = t
	b.Check(&r, "quadratic", 100, quadratic(100))
	if r.failed == "" {
		t.Error("quadratic work passed")
	}
}

func TestMeasure_CountsAsMemStats(t *testing.T) {
	allocs, bytes := Measure(func() { sink = append(sink[:0], make([]byte, 1<<20)) })
	if allocs < 1 || bytes < 1<<20 {
		t.Fatalf("a 1 MiB allocation measured as %d allocations, %d bytes", allocs, bytes)
	}
	// Small and tiny allocations count one by one, not a cache's span at
	// a time.
	if allocs, _ := Measure(func() { sink = append(sink[:0], make([]byte, 48)) }); allocs != 1 {
		t.Fatalf("one 48-byte allocation measured as %d", allocs)
	}
	allocs, _ = Measure(func() {
		for range 1000 {
			tinySink = new([1]byte)
		}
	})
	if allocs != 1000 {
		t.Fatalf("1000 tiny allocations measured as %d", allocs)
	}
}
