// Package clocktest provides a settable fake clock.Clock for tests and
// examples, in the manner of httptest and fstest.
package clocktest

import (
	"sync"
	"time"
)

// Fake is a clock.Clock whose time only moves when told to. It is safe for
// concurrent use.
//
// Advance never moves the clock backwards (a negative duration is ignored and
// reported); only Set may move it to an earlier instant, because a test that
// wants time to go backwards should say so explicitly.
//
// The zero value reads as the zero time.Time; build one with New so that the
// starting instant is explicit and tests stay deterministic.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a Fake that reads start until it is advanced or set.
func New(start time.Time) *Fake { return &Fake{now: start} }

// Now returns the fake's current instant.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the clock forward by d and returns the new instant. A
// negative d leaves the clock where it is and returns false in ok, so that
// a fake clock never runs backwards by accident.
func (f *Fake) Advance(d time.Duration) (now time.Time, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d < 0 {
		return f.now, false
	}
	f.now = f.now.Add(d)
	return f.now, true
}

// Set moves the clock to t, which may be earlier than the current instant:
// Set is the only way to move a Fake backwards.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t
}
