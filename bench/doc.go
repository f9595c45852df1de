// Package bench holds connectkit's side-by-side benchmarks: each row runs
// connectkit and its peers (cedar-go, casbin, golang.org/x/time/rate,
// throttled, stripe-go) on the same decision or payload in the same run.
// It is a nested module so that the library's go.mod gains nothing; run.sh
// runs every row five times and writes RESULTS.md.
package bench
