//go:build !unix

package requirements_test

import "testing"

// loopCPU runs body under b.Loop; CPU time per op is reported on unix only.
func loopCPU(b *testing.B, body func()) {
	for b.Loop() {
		body()
	}
}
