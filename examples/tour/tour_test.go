package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/tour.golden from the tour's output")

// TestTour_MatchesGolden runs the whole tour and compares it with the
// golden file, so the tour cannot rot. Regenerate with
// go test ./examples/tour -update.
func TestTour_MatchesGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, ""); err != nil {
		t.Fatalf("tour failed: %v", err)
	}
	golden := filepath.Join("testdata", "tour.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./examples/tour -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("tour output differs from %s (-golden +got):\n%s", golden, diff)
	}
}

func TestTour_IsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := run(&a, ""); err != nil {
		t.Fatal(err)
	}
	if err := run(&b, ""); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("two runs of the tour printed different stories")
	}
}

func TestTour_UnknownChapterIsAnError(t *testing.T) {
	if err := run(&bytes.Buffer{}, "nonesuch"); err == nil {
		t.Fatal("run with an unknown chapter succeeded")
	}
}
