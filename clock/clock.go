// Package clock supplies the current time to connectkit.
//
// Every decision in connectkit takes the instant it decides at as an explicit
// time.Time. The service types that hold state take a Clock so that callers
// need not pass the instant by hand; tests and examples give them the fake in
// package clocktest, production code gives them System.
//
// The package starts no timers and no goroutines: a Clock only answers Now.
package clock

import "time"

// Clock tells the current time. Implementations must be safe for concurrent
// use. Clock has a single method on purpose: connectkit never sleeps or waits,
// so it needs nothing but Now.
type Clock interface {
	// Now returns the current instant.
	Now() time.Time
}

// System is the Clock backed by the wall clock (time.Now). Its zero value is
// ready to use and it is safe for concurrent use.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// Func adapts an ordinary function to the Clock interface, for callers that
// already have a time source of their own. A nil Func panics when called, as a
// nil func value does; it is safe for concurrent use if f is.
type Func func() time.Time

// Now returns f().
func (f Func) Now() time.Time { return f() }
