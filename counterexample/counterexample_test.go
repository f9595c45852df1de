package counterexample_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/connectkit/connectkit/counterexample"
)

func TestFind_FalsePropertyIsFoundAndShrunk(t *testing.T) {
	t.Chdir(t.TempDir())
	var last int
	r := counterexample.Find(t.Name(), func(t *rapid.T) {
		last = rapid.IntRange(0, 1000).Draw(t, "n")
		if last >= 10 {
			t.Fatalf("%d is not below 10", last)
		}
	})
	if !r.Found {
		t.Fatalf("a false property was not falsified:\n%s", r)
	}
	if last != 10 || !r.Contains("draw n: 10") || !r.Contains("10 is not below 10") {
		t.Errorf("not shrunk to 10 (last %d):\n%s", last, r)
	}
}

func TestFind_TruePropertyFindsNothing(t *testing.T) {
	t.Chdir(t.TempDir())
	r := counterexample.Find(t.Name(), func(t *rapid.T) {
		if n := rapid.IntRange(0, 9).Draw(t, "n"); n >= 10 {
			t.Fatalf("%d is not below 10", n)
		}
	})
	if r.Found || r.Contains("draw n") {
		t.Fatalf("a true property was reported falsified:\n%s", r)
	}
}

// A property with a deliberate bug: rapid finds it and shrinks the
// counterexample to the smallest value that breaks it.
func ExampleFind() {
	var last int
	r := counterexample.Find("ExampleFind", func(t *rapid.T) {
		last = rapid.IntRange(0, 1000).Draw(t, "n")
		if last >= 10 {
			t.Fatalf("%d is not below 10", last)
		}
	})
	fmt.Println(r.Found, last, r.Contains("draw n: 10"))
	// Output: true 10 true
}
