//go:build unix

package requirements_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's CPU time so far, user and system, every thread
// (the garbage collector's included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loopCPU runs body under b.Loop and reports, beside ns/op, the CPU time
// per op ("cpu-ns/op"): on a machine shared with other work, wall time per
// op grows with the load, CPU time much less.
func loopCPU(b *testing.B, body func()) {
	start := cpuTime()
	for b.Loop() {
		body()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
