// Package golden compares test output with a file under testdata, the
// golden file, and rewrites the file when the test binary runs with the
// package's -update flag (each test package declares its own, as
// `var update = flag.Bool("update", false, "…")`, and passes *update).
//
// It is used only by tests (it imports testing); being internal, no user
// of the library sees it.
package golden

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Check fails t, with a diff, when got differs from the contents of the
// file at path. With update, it first writes got to path, so that the
// comparison passes and `git diff` shows what changed.
func Check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-golden +got):\n%s", path, d)
	}
}

// JSON is Check for v's JSON, indented by two spaces and ended by a
// newline; it returns that JSON (for a round trip).
func JSON(t testing.TB, path string, v any, update bool) []byte {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	Check(t, path, got, update)
	return got
}
