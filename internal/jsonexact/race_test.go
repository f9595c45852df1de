//go:build race

package jsonexact

// raceEnabled: the race detector makes sync.Pool drop items at random,
// so Check allocates its scratch space again.
const raceEnabled = true
