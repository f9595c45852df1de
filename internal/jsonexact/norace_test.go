//go:build !race

package jsonexact

const raceEnabled = false
