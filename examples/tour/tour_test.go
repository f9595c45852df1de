package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/connectkit/connectkit/internal/golden"
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
	golden.Check(t, filepath.Join("testdata", "tour.golden"), buf.Bytes(), *update)
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

// TestTour_TagsNameCatalogueRules checks that every tag the tour prints,
// such as [L6,L8], names only rules RULES.md defines, and that the intro
// explaining the tags comes first.
func TestTour_TagsNameCatalogueRules(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, ""); err != nil {
		t.Fatal(err)
	}
	catalogue, err := os.ReadFile(filepath.Join("..", "..", "RULES.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "connectkit tour. A tag such as [L7]") {
		t.Errorf("the tour does not start by explaining its tags:\n%.200s", buf.String())
	}
	tags := regexp.MustCompile(`(?m)^  \[([A-Z0-9,]+) *\] `).FindAllStringSubmatch(buf.String(), -1)
	if len(tags) < 50 {
		t.Fatalf("found only %d tagged lines", len(tags))
	}
	for _, m := range tags {
		for _, id := range strings.Split(m[1], ",") {
			if !strings.Contains(string(catalogue), "\n### "+id+" — ") {
				t.Errorf("tag [%s] names %s, which RULES.md does not define", m[1], id)
			}
		}
	}
}
