// Package counterexample runs a rapid property that is expected to fail and
// hands back rapid's report instead of failing the test, so that a test can
// assert that rapid finds a violation and shrinks it to a small, readable
// counterexample.
//
// It is the companion of a deliberately broken policy: write the property
// once, check the real rule with rapid.Check, and check the broken rule with
// Find to prove the property has teeth. Like the …test packages it is for
// tests only; it imports rapid, and no production package imports it.
package counterexample

import (
	"fmt"
	"strings"

	"pgregory.net/rapid"
)

// Report is what rapid said while checking a property. The zero Report has
// found nothing.
type Report struct {
	// Found reports whether rapid falsified the property.
	Found bool
	// Lines are rapid's log lines, in order: the named draws of the
	// shrunk counterexample ("[rapid] draw held.role_1: \"owner\"") and
	// the property's own failure message.
	Lines []string
}

// String returns the report's lines joined by newlines.
func (r Report) String() string { return strings.Join(r.Lines, "\n") }

// Contains reports whether any line of the report contains s, such as
// `draw email_verified: false`.
func (r Report) Contains(s string) bool {
	for _, l := range r.Lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// Find runs prop with rapid.Check, recording instead of failing. name is
// the name rapid reports and names its fail file with (rapid writes one
// under ./testdata/rapid when it falsifies a property; run Find from a
// temporary directory, as with t.Chdir(t.TempDir()), to keep it out of the
// package). rapid replays the shrunk counterexample last, so values the
// property records on each run end at the minimal one.
//
// Find is safe for concurrent use with distinct props.
func Find(name string, prop func(*rapid.T)) Report {
	rec := &recorder{name: name}
	rapid.Check(rec, prop)
	return Report{Found: rec.failed, Lines: rec.lines}
}

// recorder is a rapid.TB that records instead of failing.
type recorder struct {
	name   string
	lines  []string
	failed bool
}

func (r *recorder) Helper()      {}
func (r *recorder) Name() string { return r.name }
func (r *recorder) Logf(format string, args ...any) {
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}
func (r *recorder) Log(args ...any)                  { r.lines = append(r.lines, fmt.Sprint(args...)) }
func (r *recorder) Skipf(format string, args ...any) { r.Logf(format, args...) }
func (r *recorder) Skip(args ...any)                 { r.Log(args...) }
func (r *recorder) SkipNow()                         {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.Logf(format, args...)
}
func (r *recorder) Error(args ...any) { r.failed = true; r.Log(args...) }
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	r.Logf(format, args...)
}
func (r *recorder) Fatal(args ...any) { r.failed = true; r.Log(args...) }
func (r *recorder) FailNow()          { r.failed = true }
func (r *recorder) Fail()             { r.failed = true }
func (r *recorder) Failed() bool      { return r.failed }
